import { InputError } from '../../../errors.js';
import { type BasketParams, defaults, type MetricFilter, parseParams } from '../params.js';
import { countItemsets } from './counting.js';
import { mineFrequentItemsets } from './fpgrowth.js';
import { closedAndMaximal, type Itemsets, itemsOf } from './itemsets.js';
import { type MetricName, type RuleMetrics, ruleMetrics } from './metrics.js';
import { createCounter, type EncodedRule, findRedundant, generateRules } from './rules.js';
import { createRatioTest, minCountFor } from './thresholds.js';
import { compareText, type Transactions } from './transactions.js';

/** One association rule with its item labels and every metric (see metrics.ts). */
export interface AssociationRule extends RuleMetrics {
  lhs: string[];
  rhs: string[];
}

export interface RulesResult {
  /** Transactions N. */
  transactions: number;
  /** The absolute support cut, ceil(minSupport × N). */
  minCount: number;
  /** Frequent itemsets mined (in the projection, for targeted mining). */
  itemsets: number;
  /** Rules before redundancy pruning, metric filters and limit. */
  generated: number;
  /** Rules dropped as redundant (when removeRedundant). */
  redundant: number;
  rules: AssociationRule[];
  /** The same rules on item ids with their counts (for scoring and tests). */
  encoded: EncodedRule[];
  params: BasketParams;
}

/**
 * Mines association rules with arules' semantics (support count ≥ minSupport × N, confidence on exact
 * counts, single-item rhs unless `multiRhs`). With `consequent` or `antecedent`, only the transactions
 * holding that item are mined (a projection) and the few antecedent counts outside it are counted by
 * tid-list intersection, so the result equals the matching subset of full mining at a fraction of the work.
 *
 * @param tx integer-encoded baskets (see `encodeBaskets`, `loadBaskets`)
 * @param params thresholds (`minSupport`, `minConfidence` as fractions 0–1), lengths, `consequent`, filters
 * @returns the rules sorted by `sortBy` (lift by default) with every metric, and the mining counts
 * @throws InputError INVALID_INPUT for bad params or an item that does not occur; AppError MEMORY_LIMIT.
 * @example
 * ```ts
 * const tx = encodeBaskets([['milk', 'bread'], ['milk', 'butter'], ['milk', 'bread', 'butter']]);
 * const { rules } = mineRules(tx, { minSupport: 0.5, minConfidence: 0.6, minLength: 2 });
 * // rules[0]: { lhs: ['bread'], rhs: ['milk'], confidence: 1, lift: 1, count: 2, … }
 * ```
 */
export function mineRules(tx: Transactions, params: Partial<BasketParams> = {}): RulesResult {
  const p = parseParams(params);
  const n = tx.count;
  const minCount = minCountFor(p.minSupport, n);
  const memoryLimitBytes = p.memoryLimitMb * 1024 * 1024;
  const consequent = p.consequent === null ? undefined : itemIdOf(tx, p.consequent, 'consequent');
  const antecedent = p.antecedent === null ? undefined : itemIdOf(tx, p.antecedent, 'antecedent');
  const target = consequent ?? antecedent;
  const sets = mineFrequentItemsets(tx, {
    minCount,
    maxLength: p.maxLength,
    containing: target,
    memoryLimitBytes,
  });
  let extra: Itemsets | undefined;
  if (target !== undefined) extra = countOutsideProjection(tx, sets, target);
  const counter = createCounter(n, sets, tx.itemCounts, extra);
  let encoded = generateRules(sets, counter, {
    confidenceTest: createRatioTest(p.minConfidence),
    minLength: p.minLength,
    maxLength: p.maxLength,
    multiRhs: p.multiRhs,
    consequent,
    antecedent,
  });
  const generated = encoded.length;
  let redundant = 0;
  if (p.removeRedundant) {
    const flags = findRedundant(encoded);
    encoded = encoded.filter((_, i) => !flags[i]);
    redundant = generated - encoded.length;
  }
  let rules = encoded.map((r) => decodeRule(tx, r));
  const keep = rules.map((r) => p.filters.every((f) => passes(r, f)));
  encoded = encoded.filter((_, i) => keep[i]);
  rules = rules.filter((_, i) => keep[i]);
  const order = sortedOrder(rules, p.sortBy);
  const limited = p.limit === null ? order : order.slice(0, p.limit);
  return {
    transactions: n,
    minCount,
    itemsets: sets.size,
    generated,
    redundant,
    rules: limited.map((i) => rules[i]!),
    encoded: limited.map((i) => encoded[i]!),
    params: p,
  };
}

/** Counts of {Z \ target} for every mined Z: the only itemsets rules need that lie outside the projection. */
function countOutsideProjection(tx: Transactions, sets: Itemsets, target: number): Itemsets {
  const needed: Uint32Array[] = [];
  for (let k = 0; k < sets.size; k++) {
    const z = itemsOf(sets, k);
    if (z.length < 2) continue;
    needed.push(z.filter((it) => it !== target));
  }
  const counts = countItemsets(tx, needed);
  const offsets = new Uint32Array(needed.length + 1);
  needed.forEach((s, i) => {
    offsets[i + 1] = offsets[i]! + s.length;
  });
  const items = new Uint32Array(offsets[needed.length]!);
  needed.forEach((s, i) => {
    items.set(s, offsets[i]!);
  });
  return { size: needed.length, offsets, items, counts };
}

function itemIdOf(tx: Transactions, label: string, what: string): number {
  const id = tx.labels.indexOf(label);
  if (id >= 0) return id;
  const needle = label.trim().toLowerCase();
  const close = tx.labels.filter((l) => l.toLowerCase().includes(needle)).slice(0, 5);
  throw new InputError(
    `${what}: expected an item that occurs in the baskets, got "${label}". ${close.length ? `Close matches: ${close.map((c) => JSON.stringify(c)).join(', ')}.` : 'Check the spelling, or list items with `clientele basket itemsets --max-length 1`.'}`,
    { item: label, closeMatches: close },
  );
}

export function decodeRule(tx: Transactions, r: EncodedRule): AssociationRule {
  return {
    lhs: labelsOf(tx, r.lhs),
    rhs: labelsOf(tx, r.rhs),
    ...ruleMetrics(r.countXY, r.countX, r.countY, tx.count),
  };
}

/** Item labels in text order, as arules prints them. */
export function labelsOf(tx: Transactions, ids: ArrayLike<number>): string[] {
  return Array.from(ids, (i) => tx.labels[i]!).sort(compareText);
}

function passes(r: AssociationRule, f: MetricFilter): boolean {
  const v = r[f.metric];
  switch (f.op) {
    case '>=':
      return v >= f.value;
    case '>':
      return v > f.value;
    case '<=':
      return v <= f.value;
    case '<':
      return v < f.value;
    case '=':
      return v === f.value;
  }
}

function sortedOrder(rules: readonly AssociationRule[], by: MetricName): number[] {
  const text = (r: AssociationRule) => `${r.lhs.join('\u0001')}\u0002${r.rhs.join('\u0001')}`;
  return rules
    .map((_, i) => i)
    .sort((a, b) => {
      const x = rules[a]!;
      const y = rules[b]!;
      return (
        y[by] - x[by] ||
        y.confidence - x.confidence ||
        y.support - x.support ||
        x.lhs.length - y.lhs.length ||
        compareText(text(x), text(y))
      );
    });
}

/** One frequent itemset with its labels. */
export interface FrequentItemset {
  items: string[];
  count: number;
  support: number;
  closed: boolean;
  maximal: boolean;
}

export interface ItemsetsOptions {
  minSupport?: number;
  minLength?: number;
  maxLength?: number;
  /** Only itemsets containing this item. */
  containing?: string;
  /** Keep only closed / maximal itemsets. */
  only?: 'all' | 'closed' | 'maximal';
  memoryLimitMb?: number;
}

export interface ItemsetsResult {
  transactions: number;
  minCount: number;
  /** Frequent itemsets by size: bySize[k] = itemsets with k items. */
  bySize: Record<string, number>;
  itemsets: FrequentItemset[];
}

/**
 * Frequent itemsets (all, closed or maximal) sorted by count, then size, then items.
 *
 * @param tx integer-encoded baskets
 * @param options `minSupport` (0–1), length bounds, `containing` one item, `only` closed or maximal
 * @returns the itemsets with count, support and closed/maximal flags, and the count per size
 * @throws InputError INVALID_INPUT; AppError MEMORY_LIMIT.
 * @example
 * ```ts
 * const r = mineItemsets(encodeBaskets([['a', 'b'], ['a', 'b', 'c']]), { minSupport: 1, only: 'maximal' });
 * // r.itemsets: [{ items: ['a', 'b'], count: 2, support: 1, closed: true, maximal: true }]
 * ```
 */
export function mineItemsets(tx: Transactions, options: ItemsetsOptions = {}): ItemsetsResult {
  const p = parseParams({
    minSupport: options.minSupport ?? defaults.minSupport,
    minLength: options.minLength ?? 1,
    maxLength: options.maxLength ?? defaults.maxLength,
    memoryLimitMb: options.memoryLimitMb ?? defaults.memoryLimitMb,
  });
  const minCount = minCountFor(p.minSupport, tx.count);
  const containing =
    options.containing === undefined ? undefined : itemIdOf(tx, options.containing, 'containing');
  const sets = mineFrequentItemsets(tx, {
    minCount,
    maxLength: p.maxLength,
    containing,
    memoryLimitBytes: p.memoryLimitMb * 1024 * 1024,
  });
  const flags = closedAndMaximal(sets);
  const only = options.only ?? 'all';
  const out: FrequentItemset[] = [];
  const bySize: Record<string, number> = {};
  for (let k = 0; k < sets.size; k++) {
    const it = itemsOf(sets, k);
    if (it.length < p.minLength) continue;
    const closed = flags.closed[k] === 1;
    const maximal = flags.maximal[k] === 1;
    if ((only === 'closed' && !closed) || (only === 'maximal' && !maximal)) continue;
    bySize[it.length] = (bySize[it.length] ?? 0) + 1;
    out.push({
      items: labelsOf(tx, it),
      count: sets.counts[k]!,
      support: sets.counts[k]! / tx.count,
      closed,
      maximal,
    });
  }
  out.sort(
    (a, b) =>
      b.count - a.count ||
      a.items.length - b.items.length ||
      compareText(a.items.join('\u0001'), b.items.join('\u0001')),
  );
  return { transactions: tx.count, minCount, bySize, itemsets: out };
}
