import type { TimelineEvent } from "./demo";

const STATE_COLORS = { CLOSED: "#dff0d8", OPEN: "#f2dede", HALF_OPEN: "#fcf8e3" } as const;
const READ_COLORS = { ok: "#3c9a3c", exhausted: "#d9534f", open: "#888888" } as const;

/**
 * Draws the demo's timeline as an SVG string: breaker state as background bands, each read as a dot (green ok,
 * red retries exhausted, grey refused by the open circuit), each retry wait as an orange bar.
 * @param events - `runExercise4Demo(...).events`
 */
export function timelineSvg(events: readonly TimelineEvent[], width = 720, height = 170): string {
  const end = Math.max(1, ...events.map((e) => e.t + (e.kind === "retry" ? e.delaySec * 1000 : 0)));
  const left = 20;
  const x = (t: number) => (left + (t / end) * (width - 2 * left)).toFixed(1);
  const parts: string[] = [];
  let state: keyof typeof STATE_COLORS = "CLOSED";
  let since = 0;
  const band = (to: number) =>
    parts.push(`<rect x="${x(since)}" y="20" width="${(Number(x(to)) - Number(x(since))).toFixed(1)}" height="110" fill="${STATE_COLORS[state]}"><title>${state}</title></rect>`);
  for (const e of events) {
    if (e.kind !== "state") continue;
    band(e.t);
    state = e.to;
    since = e.t;
  }
  band(end);
  for (const e of events) {
    if (e.kind === "read") parts.push(`<circle cx="${x(e.t)}" cy="55" r="5" fill="${READ_COLORS[e.outcome]}"><title>read ${e.index + 1}: ${e.outcome}</title></circle>`);
    if (e.kind === "retry") {
      parts.push(`<rect x="${x(e.t)}" y="${90 + e.attempt * 8}" width="${Math.max(1, Number(x(e.t + e.delaySec * 1000)) - Number(x(e.t))).toFixed(1)}" height="6" fill="#f0a030"><title>attempt ${e.attempt} failed: wait ${e.delaySec}s</title></rect>`);
    }
  }
  const legend = [
    ...Object.entries(READ_COLORS).map(([k, c], i) => `<circle cx="${left + 6 + i * 90}" cy="10" r="5" fill="${c}"/><text x="${left + 14 + i * 90}" y="14">read ${k}</text>`),
    `<rect x="${left + 270}" y="6" width="14" height="6" fill="#f0a030"/><text x="${left + 288}" y="14">retry wait</text>`,
    ...Object.entries(STATE_COLORS).map(([k, c], i) => `<rect x="${left + 370 + i * 100}" y="4" width="12" height="12" fill="${c}" stroke="#999"/><text x="${left + 386 + i * 100}" y="14">${k}</text>`),
  ].join("");
  const axis = `<line x1="${left}" y1="135" x2="${width - left}" y2="135" stroke="#333"/><text x="${left}" y="155">0 s</text><text x="${width - left}" y="155" text-anchor="end">${(end / 1000).toFixed(1)} s (simulated)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">${legend}${parts.join("")}${axis}</svg>`;
}
