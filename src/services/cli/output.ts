/** Human-readable CLI output: lines and aligned tables on stdout, numbers and dates in the CLI's language. */
import type { Language } from '../../analytics/shared/field-labels.js';
import { type CliFormats, cliFormats } from './format.js';

export interface TableOptions {
  columns?: string[];
  maxRows?: number;
  /** Columns holding amounts of money: shown with the datamart's currency outside English. */
  money?: readonly string[];
}

export interface Output {
  line(text?: string): void;
  table(rows: readonly object[], options?: TableOptions): void;
  /** Number, money and date formats of --lang / CLIENTELE_LANG, with the datamart's currency. */
  readonly fmt: CliFormats;
  /** Sets the currency (the datamart's `currency` setting, read when a command opens it). */
  setCurrency(code: string): void;
}

export function createOutput(write: (text: string) => void, lang: Language = 'en'): Output {
  let fmt = cliFormats(lang);
  return {
    line(text = '') {
      write(`${text}\n`);
    },
    table(rows, options = {}) {
      write(formatTable(rows as readonly Record<string, unknown>[], options, fmt));
    },
    get fmt() {
      return fmt;
    },
    setCurrency(code) {
      if (code !== fmt.currency) fmt = cliFormats(lang, code);
    },
  };
}

const ENGLISH = cliFormats('en');

/**
 * Formats rows as a plain aligned text table (numbers right-aligned). English keeps plain digits and ISO
 * dates; other languages group thousands, use their decimal mark and date order, and show money columns
 * with the currency.
 */
export function formatTable(
  rows: readonly Record<string, unknown>[],
  options: TableOptions = {},
  fmt: CliFormats = ENGLISH,
): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const money = new Set(options.money ?? []);
  const shown = rows.slice(0, options.maxRows ?? rows.length);
  const cells = shown.map((r) => columns.map((c) => fmt.cell(r[c], money.has(c))));
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
