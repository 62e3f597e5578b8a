/**
 * Inline SVG charts for the report: plain strings, no script, no external fetch, readable on paper. Every label
 * is formatted by the caller (locale) and escaped here.
 */

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
export const COLOURS = {
  primary: '#1f5f8b',
  secondary: '#e39b2d',
  muted: '#9aa5b1',
  good: '#2e7d4f',
  bad: '#b3403a',
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Vertical bars over time (one per month), with every `labelEvery`-th label and the top value gridline. */
export function columnChart(
  bars: { label: string; value: number; muted?: boolean }[],
  options: { title: string; formatValue(v: number): string; labelEvery?: number; width?: number },
): string {
  const width = options.width ?? 680;
  const height = 210;
  const left = 64;
  const bottom = 28;
  const top = 12;
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const step = plotW / Math.max(bars.length, 1);
  const every = options.labelEvery ?? 1;
  const y = (v: number) => top + plotH - (Math.max(v, 0) / max) * plotH;
  const grid = [0, 0.5, 1]
    .map((f) => {
      const gy = r1(y(max * f));
      return `<line x1="${left}" x2="${width - 8}" y1="${gy}" y2="${gy}" stroke="#e3e7eb"/><text x="${left - 6}" y="${r1(gy + 4)}" text-anchor="end" font-size="10" fill="#52606d" ${FONT}>${escapeHtml(options.formatValue(max * f))}</text>`;
    })
    .join('');
  const rects = bars
    .map((b, i) => {
      const x = r1(left + i * step + step * 0.15);
      const h = r1(top + plotH - y(b.value));
      const label =
        i % every === 0
          ? `<text x="${r1(left + i * step + step / 2)}" y="${height - bottom + 14}" text-anchor="middle" font-size="10" fill="#52606d" ${FONT}>${escapeHtml(b.label)}</text>`
          : '';
      return `<rect x="${x}" y="${r1(y(b.value))}" width="${r1(step * 0.7)}" height="${h}" fill="${b.muted ? COLOURS.muted : COLOURS.primary}"><title>${escapeHtml(`${b.label}: ${options.formatValue(b.value)}`)}</title></rect>${label}`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${grid}${rects}</svg>`;
}

/** Horizontal bars, one or two series per row (e.g. share of buyers next to share of revenue). */
export function barChart(
  rows: { label: string; values: number[] }[],
  options: {
    title: string;
    series: { name: string; colour: string }[];
    formatValue(v: number): string;
    width?: number;
  },
): string {
  const width = options.width ?? 680;
  const left = 170;
  const right = 70;
  const barH = 11;
  const gap = 2;
  const rowH = options.series.length * (barH + gap) + 8;
  const legendH = options.series.length > 1 ? 22 : 4;
  const height = legendH + rows.length * rowH + 4;
  const max = Math.max(...rows.flatMap((r) => r.values), 0) || 1;
  const plotW = width - left - right;
  const legend =
    options.series.length > 1
      ? options.series
          .map(
            (s, i) =>
              `<rect x="${left + i * 150}" y="4" width="10" height="10" fill="${s.colour}"/><text x="${left + i * 150 + 14}" y="13" font-size="11" fill="#323f4b" ${FONT}>${escapeHtml(s.name)}</text>`,
          )
          .join('')
      : '';
  const body = rows
    .map((row, i) => {
      const y0 = legendH + i * rowH;
      const label = `<text x="${left - 8}" y="${r1(y0 + rowH / 2 + 2)}" text-anchor="end" font-size="11" fill="#323f4b" ${FONT}>${escapeHtml(row.label)}</text>`;
      const bars = row.values
        .map((v, j) => {
          const w = r1((Math.max(v, 0) / max) * plotW);
          const y = r1(y0 + 2 + j * (barH + gap));
          const colour = options.series[j]?.colour ?? COLOURS.primary;
          return `<rect x="${left}" y="${y}" width="${w}" height="${barH}" fill="${colour}"/><text x="${r1(left + w + 4)}" y="${r1(y + barH - 2)}" font-size="10" fill="#52606d" ${FONT}>${escapeHtml(options.formatValue(v))}</text>`;
        })
        .join('');
      return label + bars;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${legend}${body}</svg>`;
}

/** A forest plot: a point and its interval per row, with the zero line (for lifts). */
export function intervalChart(
  rows: { label: string; value: number; low: number; high: number }[],
  options: { title: string; formatValue(v: number): string; width?: number },
): string {
  const width = options.width ?? 680;
  const left = 210;
  const right = 40;
  const rowH = 17;
  const axisH = 20;
  const height = rows.length * rowH + axisH + 6;
  const lo = Math.min(0, ...rows.map((r) => r.low));
  const hi = Math.max(0, ...rows.map((r) => r.high));
  const span = hi - lo || 1;
  const plotW = width - left - right;
  const x = (v: number) => r1(left + ((v - lo) / span) * plotW);
  const zero = `<line x1="${x(0)}" x2="${x(0)}" y1="2" y2="${rows.length * rowH + 4}" stroke="#52606d" stroke-dasharray="3 3"/>`;
  const ticks = [lo, 0, hi]
    .filter((v, i, all) => all.indexOf(v) === i)
    .map(
      (v) =>
        `<text x="${x(v)}" y="${rows.length * rowH + 18}" text-anchor="middle" font-size="10" fill="#52606d" ${FONT}>${escapeHtml(v === 0 ? '0' : options.formatValue(v))}</text>`,
    )
    .join('');
  const body = rows
    .map((row, i) => {
      const cy = 4 + i * rowH + rowH / 2;
      const colour = row.low > 0 ? COLOURS.good : row.high < 0 ? COLOURS.bad : COLOURS.muted;
      return `<text x="${left - 8}" y="${cy + 4}" text-anchor="end" font-size="11" fill="#323f4b" ${FONT}>${escapeHtml(row.label)}</text><line x1="${x(row.low)}" x2="${x(row.high)}" y1="${cy}" y2="${cy}" stroke="${colour}" stroke-width="2"/><circle cx="${x(row.value)}" cy="${cy}" r="4" fill="${colour}"/>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${zero}${body}${ticks}</svg>`;
}
