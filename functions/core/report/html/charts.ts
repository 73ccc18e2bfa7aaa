/** Inline SVG charts: drawn here as markup, so the page needs no script or library to show them. */
import { escapeHtml } from './escape.js';

export interface Bar {
  label: string;
  value: number;
  colour: string;
}

const BAR_HEIGHT = 22;
const BAR_GAP = 8;

/** Horizontal bars, one per row, longest = the largest value. */
export function barChart(
  bars: readonly Bar[],
  title: string,
  { width, labelWidth }: { width: number; labelWidth: number },
): string {
  const height = bars.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = width - labelWidth - 60;
  const rows = bars.map((b, i) => {
    const y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
    const length = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * room));
    return (
      `<g><title>${escapeHtml(`${b.label}: ${b.value}`)}</title>` +
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" class="chart-label">${escapeHtml(b.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${length}" height="${BAR_HEIGHT}" rx="3" fill="${b.colour}"/>` +
      `<text x="${labelWidth + length + 6}" y="${y + 15}" class="chart-value">${b.value}</text></g>`
    );
  });
  return svg(width, height, title, rows.join(''));
}

export interface LinePoint {
  /** Shown under the axis for the first and last points, and in every point's tooltip. */
  label: string;
  /** null: no value for this point (the line skips it). */
  value: number | null;
}

const PLOT = { left: 48, right: 16, top: 14, bottom: 34 };

/** A line over points spread evenly left to right, with its y axis from 0 to `max`. */
export function lineChart(
  points: readonly LinePoint[],
  options: { title: string; max: number; colour: string; format: (value: number) => string; width?: number },
): string {
  const width = options.width ?? 560;
  const height = 200;
  const plotWidth = width - PLOT.left - PLOT.right;
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const max = options.max > 0 ? options.max : 1;
  const x = (i: number) =>
    PLOT.left + (points.length === 1 ? plotWidth / 2 : (i * plotWidth) / (points.length - 1));
  const y = (value: number) => PLOT.top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [];
  for (const tick of [0, 0.5, 1]) {
    const ty = y(tick * max);
    parts.push(
      `<line x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${ty}" y2="${ty}" class="chart-grid"/>`,
      `<text x="${PLOT.left - 6}" y="${ty + 4}" text-anchor="end" class="chart-axis">${escapeHtml(options.format(tick * max))}</text>`,
    );
  }
  const segments: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.value === null) segments.push([]);
    else segments.at(-1)!.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  for (const segment of segments.filter((s) => s.length > 1)) {
    parts.push(
      `<polyline points="${segment.join(' ')}" fill="none" stroke="${options.colour}" stroke-width="2.5" stroke-linejoin="round"/>`,
    );
  }
  points.forEach((p, i) => {
    if (p.value === null) return;
    parts.push(
      `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="4" fill="${options.colour}"><title>${escapeHtml(
        `${p.label}: ${options.format(p.value)}`,
      )}</title></circle>`,
    );
  });
  const first = points[0];
  const last = points.at(-1);
  if (first) {
    parts.push(
      `<text x="${x(0)}" y="${height - 10}" text-anchor="${points.length === 1 ? 'middle' : 'start'}" class="chart-axis">${escapeHtml(first.label)}</text>`,
    );
  }
  if (last && points.length > 1) {
    parts.push(
      `<text x="${x(points.length - 1)}" y="${height - 10}" text-anchor="end" class="chart-axis">${escapeHtml(last.label)}</text>`,
    );
  }
  return svg(width, height, options.title, parts.join(''));
}

function svg(width: number, height: number, title: string, body: string): string {
  return (
    `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${body}</svg>`
  );
}
