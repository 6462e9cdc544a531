import type { StageMetrics } from "./StageMetrics";

const COLORS = { mean: "#9aa5b1", p50: "#4c9be8", p95: "#f0a030", p99: "#d9534f" } as const;

/**
 * Draws grouped bars of mean, p50, p95 and p99 latency per stage as a standalone SVG string (no plotting service).
 * @param stages - the metrics to draw, e.g. `[...MetricsRegistry.entries()].map(([, m]) => m)`
 * @returns SVG markup, for `tslab.display.svg(...)` in a notebook
 */
export function latencyChartSvg(stages: readonly StageMetrics[], width = 640, height = 280): string {
  const keys = Object.keys(COLORS) as (keyof typeof COLORS)[];
  const value = (m: StageMetrics, k: keyof typeof COLORS) => (k === "mean" ? m.meanLatency : m[k]);
  const max = Math.max(1e-9, ...stages.flatMap((m) => keys.map((k) => value(m, k))));
  const left = 60;
  const bottom = height - 40;
  const plotH = bottom - 30;
  const groupW = (width - left - 20) / Math.max(1, stages.length);
  const barW = (groupW * 0.7) / keys.length;
  const parts: string[] = [];
  stages.forEach((m, i) => {
    const x0 = left + i * groupW + groupW * 0.15;
    keys.forEach((k, j) => {
      const h = (value(m, k) / max) * plotH;
      parts.push(
        `<rect x="${(x0 + j * barW).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[k]}"><title>${m.stageName} ${k}: ${value(m, k).toFixed(4)} ms</title></rect>`,
      );
    });
    parts.push(`<text x="${(x0 + groupW * 0.35).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${escape(m.stageName)}</text>`);
  });
  const legend = keys
    .map((k, j) => `<rect x="${left + j * 80}" y="6" width="12" height="12" fill="${COLORS[k]}"/><text x="${left + j * 80 + 16}" y="17">${k}</text>`)
    .join("");
  const axis = `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#333"/><text x="${left - 6}" y="${bottom - plotH + 4}" text-anchor="end">${max.toFixed(4)}</text><text x="${left - 6}" y="${bottom}" text-anchor="end">0 ms</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">${legend}${axis}${parts.join("")}</svg>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
