import { performance } from 'node:perf_hooks';
import {
  type BasketSource,
  type DatamartBaskets,
  describeSource,
  fromEncodedPairs,
  loadBaskets,
  type Transactions,
} from '../../../analytics/basket/index.js';
import { type Issue, inputErrorFromIssues } from '../../../errors.js';
import { type BasketLeadField, readEncodedBasketFile } from '../../../ingest/baskets/index.js';
import type { CommandContext, CommandOptions } from '../command.js';

/** Options shared by `basket` and `recommend`: where the baskets come from. */
export const SOURCE_OPTIONS: CommandOptions = {
  file: { type: 'string' },
  delimiter: { type: 'string' },
  lead: { type: 'string' },
  trim: { type: 'boolean', default: false },
  level: { type: 'string' },
  'category-depth': { type: 'string' },
  'category-separator': { type: 'string' },
  per: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
};

export const SOURCE_USAGE = `Baskets from a file (no datamart needed):
  --file PATH            one basket per line, items separated by a delimiter (as Groceries)
  --delimiter C          item separator (default: detected among , ; tab |)
  --lead FIELDS          fields before the items on each line: order, customer, date (e.g. customer,date)
  --trim                 trim spaces around items (default: keep them, as arules does)
Baskets from the datamart's order lines (the default):
  --level product|category   item = product (default) or category
  --category-depth N     category levels kept from the top (default: the whole path)
  --category-separator S separator of products.category_path (default " > ")
  --per order|customer   one basket per order (default) or per customer over the window
  --from DATE --to DATE  order-date window [from, to)`;

export interface LoadedBaskets {
  tx: Transactions;
  /** Key of basket t (order or customer id; for a file: the lead order/customer field, else the line number). */
  basketKey: (t: number) => string;
  itemKeys: string[];
  /** Where the baskets came from, for the JSON result. */
  source: Record<string, unknown>;
  warnings: string[];
  loadSeconds: number;
}

/** Reads the source options, collecting every problem at once. */
export function parseSourceOptions(ctx: CommandContext): {
  file: string | null;
  source: Partial<BasketSource>;
} {
  const v = ctx.values;
  const issues: Issue[] = [];
  const source: Partial<BasketSource> = {};
  if (v.level !== undefined) {
    if (v.level === 'product' || v.level === 'category') source.level = v.level;
    else issues.push({ where: '--level', message: `expected product or category, got "${v.level}"` });
  }
  if (v.per !== undefined) {
    if (v.per === 'order' || v.per === 'customer') source.per = v.per;
    else issues.push({ where: '--per', message: `expected order or customer, got "${v.per}"` });
  }
  if (v['category-depth'] !== undefined) {
    const n = Number(v['category-depth']);
    if (Number.isInteger(n) && n >= 1) {
      source.categoryDepth = n;
      source.level ??= 'category';
    } else
      issues.push({
        where: '--category-depth',
        message: `expected a whole number ≥ 1, got "${v['category-depth']}"`,
      });
  }
  if (typeof v['category-separator'] === 'string') source.categorySeparator = v['category-separator'];
  for (const k of ['from', 'to'] as const) {
    const d = v[k];
    if (d === undefined) continue;
    if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d))) source[k] = d;
    else issues.push({ where: `--${k}`, message: `expected a date YYYY-MM-DD, got "${d}"` });
  }
  const file = typeof v.file === 'string' ? v.file : null;
  if (file && (source.level || source.per || source.from || source.to)) {
    issues.push({
      where: '--file',
      message:
        '--level, --per, --from and --to apply to datamart baskets, not to a basket file; drop one or the other',
    });
  }
  if (issues.length) throw inputErrorFromIssues('Basket source options are invalid:', issues);
  return { file, source };
}

export function parseLead(text: unknown): BasketLeadField[] | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  return text.split(',').map((s) => s.trim()) as BasketLeadField[];
}

/** Loads baskets from `--file` or from the datamart; `minCount` lets the engine drop rare items early. */
export async function loadSourceBaskets(ctx: CommandContext, minSupport?: number): Promise<LoadedBaskets> {
  const { file, source } = parseSourceOptions(ctx);
  const started = performance.now();
  if (file) {
    const parsed = await readEncodedBasketFile(file, {
      delimiter: typeof ctx.values.delimiter === 'string' ? ctx.values.delimiter : undefined,
      lead: parseLead(ctx.values.lead),
      trim: ctx.values.trim === true,
    });
    const warnings: string[] = [];
    if (parsed.rejects.length) {
      warnings.push(
        `${parsed.rejects.length} line(s) rejected, first: line ${parsed.rejects[0]!.line}: ${parsed.rejects[0]!.reason}.`,
      );
    }
    if (parsed.blankLines) warnings.push(`${parsed.blankLines} blank line(s) skipped.`);
    if (parsed.emptyItems) warnings.push(`${parsed.emptyItems} empty item(s) between delimiters dropped.`);
    const tx = fromEncodedPairs(parsed.count, parsed.basket, parsed.item, parsed.labels);
    return {
      tx,
      basketKey: parsed.basketKey,
      itemKeys: [...tx.labels],
      source: { file, delimiter: parsed.delimiter, baskets: tx.count, rejected: parsed.rejects.length },
      warnings,
      loadSeconds: (performance.now() - started) / 1000,
    };
  }
  const engine = await ctx.openDb({ readOnly: true });
  let loaded: DatamartBaskets;
  try {
    const progress = ctx.progress('Reading baskets');
    loaded = await loadBaskets(engine, source, { minSupport });
    progress.done(`${loaded.tx.count.toLocaleString('en')} baskets`);
  } finally {
    await engine.close();
  }
  return {
    tx: loaded.tx,
    basketKey: (t) => loaded.basketKeys[t]!,
    itemKeys: loaded.itemKeys,
    source: { datamart: describeSource(loaded.source), ...loaded.source },
    warnings: [],
    loadSeconds: (performance.now() - started) / 1000,
  };
}
