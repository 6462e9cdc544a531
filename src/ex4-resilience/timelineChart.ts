import type { TimelineEvent } from "./demo";

const STATE_COLORS = { CLOSED: "#dff0d8", OPEN: "#f2dede", HALF_OPEN: "#fcf8e3" } as const;
const READ_COLORS = { ok: "#3c9a3c", exhausted: "#d9534f", open: "#888888" } as const;
const READ_LABELS = { ok: "read ok", exhausted: "read gave up", open: "read refused" } as const;

/** Roughly how wide a label is in an 11px sans-serif font; enough to keep legend entries apart. */
const textWidth = (text: string) => text.length * 6.5;

/**
 * Where the simulated clock stopped: one read interval after the last read (the demo advances the clock after
 * every read). The interval is the shortest gap between two reads, one that needed no retry wait.
 */
function clockEnd(events: readonly TimelineEvent[]): number {
  const reads = events.filter((e) => e.kind === "read").map((e) => e.t);
  const gaps = reads.slice(1).map((t, i) => t - reads[i]).filter((g) => g > 0);
  const last = Math.max(0, ...events.map((e) => e.t + (e.kind === "retry" ? e.delaySec * 1000 : 0)));
  return Math.max(1, last, reads.length > 0 && gaps.length > 0 ? reads[reads.length - 1] + Math.min(...gaps) : last);
}

/**
 * Draws the demo's timeline as an SVG string: breaker state as background bands, each read as a dot (green ok,
 * red retries exhausted, grey refused by the open circuit), each retry wait as an orange bar, and a time axis in
 * simulated seconds that ends where the demo's clock stopped.
 * @param events - `runExercise4Demo(...).events`
 * @param endMs - where the axis ends; default one read interval after the last read, as the demo's clock does
 */
export function timelineSvg(events: readonly TimelineEvent[], width = 720, height = 180, endMs = clockEnd(events)): string {
  const end = Math.max(1, endMs);
  const left = 20;
  const x = (t: number) => (left + (t / end) * (width - 2 * left)).toFixed(1);
  const parts: string[] = [];
  let state: keyof typeof STATE_COLORS = "CLOSED";
  let since = 0;
  const band = (to: number) =>
    parts.push(`<rect x="${x(since)}" y="28" width="${(Number(x(to)) - Number(x(since))).toFixed(1)}" height="110" fill="${STATE_COLORS[state]}"><title>${state}</title></rect>`);
  for (const e of events) {
    if (e.kind !== "state") continue;
    band(e.t);
    state = e.to;
    since = e.t;
  }
  band(end);
  for (const e of events) {
    if (e.kind === "read") parts.push(`<circle cx="${x(e.t)}" cy="63" r="5" fill="${READ_COLORS[e.outcome]}"><title>read ${e.index + 1}: ${e.outcome} at ${(e.t / 1000).toFixed(2)} s</title></circle>`);
    if (e.kind === "retry") {
      parts.push(`<rect x="${x(e.t)}" y="${98 + e.attempt * 8}" width="${Math.max(1, Number(x(e.t + e.delaySec * 1000)) - Number(x(e.t))).toFixed(1)}" height="6" fill="#f0a030"><title>attempt ${e.attempt} failed: wait ${e.delaySec} s</title></rect>`);
    }
  }
  // Legend entries flow left to right, each as wide as its label.
  const legend: string[] = [];
  let lx = left;
  const entry = (swatch: (x: number) => string, text: string) => {
    legend.push(swatch(lx), `<text x="${lx + 18}" y="14">${text}</text>`);
    lx += 18 + textWidth(text) + 14;
  };
  for (const [k, c] of Object.entries(READ_COLORS)) entry((at) => `<circle cx="${at + 6}" cy="10" r="5" fill="${c}"/>`, READ_LABELS[k as keyof typeof READ_LABELS]);
  entry((at) => `<rect x="${at}" y="7" width="14" height="6" fill="#f0a030"/>`, "retry wait");
  for (const [k, c] of Object.entries(STATE_COLORS)) entry((at) => `<rect x="${at}" y="4" width="12" height="12" fill="${c}" stroke="#999"/>`, k);
  const ticks: string[] = [];
  const step = end > 20000 ? 5000 : 1000;
  for (let t = 0; t <= end + 1e-6; t += step) {
    ticks.push(`<line x1="${x(t)}" y1="143" x2="${x(t)}" y2="147" stroke="#333"/><text x="${x(t)}" y="160" text-anchor="middle">${t / 1000} s</text>`);
  }
  const axis = `<line x1="${left}" y1="143" x2="${width - left}" y2="143" stroke="#333"/>${ticks.join("")}<text x="${width - left}" y="175" text-anchor="end" fill="#555">simulated time, ${(end / 1000).toFixed(1)} s in all</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, lx)}" height="${height}" font-family="sans-serif" font-size="11">${legend.join("")}${parts.join("")}${axis}</svg>`;
}
