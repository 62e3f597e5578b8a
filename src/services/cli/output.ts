/** Human-readable CLI output: lines and aligned tables on stdout. */
export interface Output {
  line(text?: string): void;
  table(rows: readonly object[], options?: { columns?: string[]; maxRows?: number }): void;
}

export function createOutput(write: (text: string) => void): Output {
  return {
    line(text = '') {
      write(`${text}\n`);
    },
    table(rows, options = {}) {
      write(formatTable(rows as readonly Record<string, unknown>[], options));
    },
  };
}

/** Formats rows as a plain aligned text table (numbers right-aligned). */
export function formatTable(
  rows: readonly Record<string, unknown>[],
  options: { columns?: string[]; maxRows?: number } = {},
): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const shown = rows.slice(0, options.maxRows ?? rows.length);
  const cells = shown.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const numeric = columns.map((c) => shown.every((r) => r[c] === null || typeof r[c] === 'number'));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0));
  const lines = [
    columns.map((c, i) => pad(c, i)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map((s, i) => pad(s, i)).join('  ')),
  ];
  if (shown.length < rows.length) lines.push(`… ${rows.length - shown.length} more rows`);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 100 ? v.toFixed(2) : Number(v.toPrecision(4)).toString();
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
