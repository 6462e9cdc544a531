import type { StageMetrics } from "./StageMetrics";

const COLORS = { mean: "#9aa5b1", p50: "#4c9be8", p95: "#f0a030", p99: "#d9534f" } as const;
type Key = keyof typeof COLORS;

/** Rounds a positive number up to 1, 2 or 5 times a power of ten (a readable axis maximum). */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((f) => f * power >= value) ?? 10) * power;
}

/** Formats a latency in ms, or in µs below 0.1 ms (Node's timer resolution makes sub-µs digits noise). */
function label(ms: number): string {
  return ms !== 0 && ms < 0.1 ? `${Number((ms * 1000).toPrecision(3))} µs` : `${Number(ms.toPrecision(3))} ms`;
}

/**
 * Draws grouped bars of mean, p50, p95 and p99 latency per stage as a standalone SVG string (hand-drawn, so it
 * renders in every notebook front end without a plotting library). The axis is scaled to the percentiles: one
 * slow record can make a mean far larger than p99, and such a bar is cut at the top and labelled with its value.
 * @param stages - the metrics to draw, e.g. `[...MetricsRegistry.entries()].map(([, m]) => m)`
 * @returns SVG markup, for `tslab.display.svg(...)` in a notebook
 */
export function latencyChartSvg(stages: readonly StageMetrics[], width = 640, height = 300): string {
  const keys = Object.keys(COLORS) as Key[];
  const value = (m: StageMetrics, k: Key) => (k === "mean" ? m.meanLatency : m[k]);
  const percentiles = stages.flatMap((m) => [m.p50, m.p95, m.p99]);
  const max = niceCeil(Math.max(1e-6, ...percentiles.filter(Number.isFinite)));
  const left = 70;
  const top = 40;
  const bottom = height - 40;
  const plotH = bottom - top;
  const groupW = (width - left - 20) / Math.max(1, stages.length);
  const barW = (groupW * 0.7) / keys.length;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = (bottom - tick * plotH).toFixed(1);
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="${tick === 0 ? "#333" : "#e3e3e3"}"/>`);
    parts.push(`<text x="${left - 6}" y="${Number(y) + 4}" text-anchor="end">${label(tick * max)}</text>`);
  }
  stages.forEach((m, i) => {
    const x0 = left + i * groupW + groupW * 0.15;
    keys.forEach((k, j) => {
      const v = value(m, k);
      const cut = v > max;
      const h = (Math.min(v, max) / max) * plotH;
      const x = x0 + j * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[k]}"><title>${escape(m.stageName)} ${k}: ${label(v)}</title></rect>`,
      );
      if (cut) {
        parts.push(`<path d="M${x.toFixed(1)} ${top + 6} l${((barW - 2) / 2).toFixed(1)} -6 l${((barW - 2) / 2).toFixed(1)} 6" fill="white" stroke="white" stroke-width="2"/>`);
        parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${top - 4}" text-anchor="middle" font-size="10">${label(v)}</text>`);
      }
    });
    parts.push(`<text x="${(x0 + groupW * 0.35).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${escape(m.stageName)}</text>`);
  });
  const legend = keys
    .map((k, j) => `<rect x="${left + j * 70}" y="6" width="12" height="12" fill="${COLORS[k]}"/><text x="${left + j * 70 + 16}" y="17">${k}</text>`)
    .join("");
  const title = `<text x="${width - 10}" y="17" text-anchor="end" fill="#555">latency per record</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">${legend}${title}${parts.join("")}</svg>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
