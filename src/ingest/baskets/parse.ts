import { type Issue, inputErrorFromIssues } from '../../errors.js';

/** What precedes the items on each line of a basket file. */
export type BasketLeadField = 'order' | 'customer' | 'date';

export interface BasketParseOptions {
  /** Item separator; detected from the first lines when omitted (',', ';', tab or '|'). */
  delimiter?: string;
  /** Fields before the items, in order (e.g. ['customer', 'date']); default none. */
  lead?: readonly BasketLeadField[];
  /** Trim spaces around items (default false: arules keeps `"cream cheese "` as it is). */
  trim?: boolean;
}

/** One parsed basket line. */
export interface BasketLine {
  /** 1-based line number in the file. */
  line: number;
  order: string | null;
  customer: string | null;
  date: string | null;
  /** Items in file order, repeats kept (they become the quantity of an order line). */
  items: string[];
}

export interface ParsedBaskets {
  baskets: BasketLine[];
  delimiter: string;
  /** Blank lines skipped (not baskets), and empty items between two delimiters dropped. */
  blankLines: number;
  emptyItems: number;
  /** Lines that could not be read (bad date, missing lead field), with their reason: data, not lost. */
  rejects: { line: number; reason: string; raw: string }[];
}

const CANDIDATES = [',', ';', '\t', '|'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Picks the delimiter that occurs on the most of the first 100 non-blank lines. */
export function detectDelimiter(lines: readonly string[]): string {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 100);
  let best = ',';
  let bestHits = -1;
  for (const d of CANDIDATES) {
    const hits = sample.filter((l) => l.includes(d)).length;
    if (hits > bestHits) {
      best = d;
      bestHits = hits;
    }
  }
  return best;
}

/**
 * Checks the parse options, collecting every problem at once.
 *
 * @throws InputError INVALID_INPUT for an unknown or repeated lead field or an empty delimiter.
 */
export function validateParseOptions(options: BasketParseOptions): void {
  const lead = options.lead ?? [];
  const issues: Issue[] = [];
  if (options.delimiter !== undefined && options.delimiter.length === 0) {
    issues.push({ where: 'delimiter', message: 'expected one or more characters, got an empty text' });
  }
  const seen = new Set<string>();
  for (const f of lead) {
    if (!['order', 'customer', 'date'].includes(f)) {
      issues.push({ where: 'lead', message: `expected order, customer or date, got "${f}"` });
    }
    if (seen.has(f)) issues.push({ where: 'lead', message: `"${f}" is given twice` });
    seen.add(f);
  }
  if (issues.length) throw inputErrorFromIssues('Basket file options are invalid:', issues);
}

/**
 * Parses basket text: one transaction per line, items separated by a delimiter, no header, no quoting
 * (the format of arules' `read.transactions(format = "basket")` and of Groceries).
 *
 * @throws InputError INVALID_INPUT for a bad option (an unknown lead field, a delimiter that is empty).
 */
export function parseBasketText(text: string, options: BasketParseOptions = {}): ParsedBaskets {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const lead = options.lead ?? [];
  validateParseOptions(options);
  const delimiter = options.delimiter ?? detectDelimiter(lines.slice(0, 100));
  const result: ParsedBaskets = { baskets: [], delimiter, blankLines: 0, emptyItems: 0, rejects: [] };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (raw.trim() === '') {
      result.blankLines++;
      continue;
    }
    const fields = raw.split(delimiter);
    const basket: BasketLine = { line: i + 1, order: null, customer: null, date: null, items: [] };
    let bad: string | null = null;
    lead.forEach((f, j) => {
      const v = (fields[j] ?? '').trim();
      if (v === '') bad ??= `expected a ${f} in field ${j + 1}, found nothing`;
      else if (f === 'date' && !ISO_DATE.test(v))
        bad ??= `expected a date YYYY-MM-DD in field ${j + 1}, got "${v}"`;
      basket[f] = v;
    });
    if (bad) {
      result.rejects.push({ line: i + 1, reason: bad, raw });
      continue;
    }
    for (let j = lead.length; j < fields.length; j++) {
      const item = options.trim ? fields[j]!.trim() : fields[j]!;
      if (item === '') result.emptyItems++;
      else basket.items.push(item);
    }
    result.baskets.push(basket);
  }
  return result;
}
