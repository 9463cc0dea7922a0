import { escapeHtml } from '../../render/escape.js';

/**
 * A bar chart drawn server-side as inline SVG: no script, no outside assets, and it scales to a
 * phone through its viewBox. The SVG carries a title and description for screen readers; the
 * page also shows the same numbers as a table.
 */

/** One bar. */
export interface Bar {
  label: string;
  value: number;
}

/** Renders `bars` as an accessible SVG bar chart; `id` must be unique on the page (it names the title and description). */
export function barChartSvg(bars: Bar[], title: string, id = 'chart'): string {
  const width = 600;
  const height = 166;
  const top = 10;
  const bottom = 26;
  const peak = Math.max(0, ...bars.map((b) => b.value));
  const max = Math.max(1, peak);
  const slot = width / Math.max(1, bars.length);
  const rects = bars
    .map((b, i) => {
      const h = Math.round(((height - top - bottom) * b.value) / max);
      const x = (i * slot + slot * 0.15).toFixed(1);
      const y = height - bottom - h;
      return `<rect x="${x}" y="${y}" width="${(slot * 0.7).toFixed(1)}" height="${h}" fill="currentColor"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect>`;
    })
    .join('');
  const first = bars[0]?.label ?? '';
  const last = bars.at(-1)?.label ?? '';
  const total = bars.reduce((n, b) => n + b.value, 0);
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(`${total} in all from ${first} to ${last}; highest day ${peak}.`)}</desc>` +
    rects +
    // A baseline, so an empty month still reads as a chart of zeros.
    `<line x1="0" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="currentColor" stroke-width="1"/>` +
    `<text x="0" y="${height - 4}" font-size="20" fill="currentColor">${escapeHtml(first)}</text>` +
    `<text x="${width}" y="${height - 4}" font-size="20" text-anchor="end" fill="currentColor">${escapeHtml(last)}</text></svg>`
  );
}

