import { AppError } from '../../../errors.js';
import { createItemsetIndex, type Itemsets, itemsOf } from './itemsets.js';
import { compareRatios } from './metrics.js';

/** A rule on item ids: lhs ⇒ rhs, with the counts every metric is computed from. */
export interface EncodedRule {
  /** Antecedent item ids, ascending (empty for `{} ⇒ Y`). */
  readonly lhs: Uint32Array;
  /** Consequent item ids, ascending, non-empty. */
  readonly rhs: Uint32Array;
  /** Transactions containing lhs ∪ rhs, lhs, and rhs. */
  readonly countXY: number;
  readonly countX: number;
  readonly countY: number;
}

export interface RuleOptions {
  /** `ok(countXY, countX)` decides the confidence threshold on exact integers (see thresholds.ts). */
  confidenceTest: (countXY: number, countX: number) => boolean;
  /** Rule length |lhs| + |rhs| bounds (arules' minlen/maxlen, defaults 1 and 10). */
  minLength?: number;
  maxLength?: number;
  /** Allow several items on the right-hand side (mlxtend's rules); default one item, as arules. */
  multiRhs?: boolean;
  /** Keep only rules whose rhs contains this item id. */
  consequent?: number;
  /** Keep only rules whose lhs contains this item id. */
  antecedent?: number;
}

/** Looks up an itemset's count by its sorted items; the empty set counts every transaction. */
export type ItemsetCounter = (items: Uint32Array) => number;

/**
 * A counter over mined itemsets, falling back to `extra` itemsets counted separately (targeted mining),
 * then to single-item counts.
 */
export function createCounter(
  n: number,
  sets: Itemsets,
  itemCounts: Uint32Array,
  extra?: Itemsets,
): ItemsetCounter {
  const index = createItemsetIndex(sets);
  const extraIndex = extra ? createItemsetIndex(extra) : undefined;
  return (items) => {
    if (items.length === 0) return n;
    const k = index.find(items);
    if (k >= 0) return sets.counts[k]!;
    if (extra && extraIndex) {
      const e = extraIndex.find(items);
      if (e >= 0) return extra.counts[e]!;
    }
    if (items.length === 1) return itemCounts[items[0]!]!;
    throw new AppError(
      'INTERNAL',
      `Rule generation: itemset [${[...items].join(', ')}] has no count although its superset is frequent. This is a bug; report it with the data and parameters.`,
    );
  };
}

/**
 * Rules from frequent itemsets: for each itemset Z and each split into lhs X and rhs Y = Z \ X, the rule
 * X ⇒ Y is kept when confidence count(Z)/count(X) meets the threshold. With one item on the right this is
 * arules' `apriori` rule set; with `multiRhs` every non-empty proper split, as mlxtend (no empty lhs
 * there, but `{} ⇒ Y` is kept when minLength is 1, as arules does).
 */
export function generateRules(sets: Itemsets, count: ItemsetCounter, options: RuleOptions): EncodedRule[] {
  const minLength = options.minLength ?? 1;
  const maxLength = options.maxLength ?? 10;
  const ok = options.confidenceTest;
  const rules: EncodedRule[] = [];
  for (let k = 0; k < sets.size; k++) {
    const z = itemsOf(sets, k);
    const m = z.length;
    if (m < minLength || m > maxLength) continue;
    const countXY = sets.counts[k]!;
    if (m === 1) {
      if (options.antecedent !== undefined) continue;
      if (options.consequent !== undefined && z[0] !== options.consequent) continue;
      const rhs = z.slice();
      if (ok(countXY, count(new Uint32Array(0)))) {
        rules.push({
          lhs: new Uint32Array(0),
          rhs,
          countXY,
          countX: count(new Uint32Array(0)),
          countY: countXY,
        });
      }
      continue;
    }
    if (m > 30) throw new AppError('INTERNAL', `Rule generation: itemset of length ${m} exceeds 30 items.`);
    const full = (1 << m) - 1;
    for (let mask = 1; mask < full; mask++) {
      // mask = the rhs items.
      if (!options.multiRhs && (mask & (mask - 1)) !== 0) continue;
      const lhs = new Uint32Array(m - popcount(mask));
      const rhs = new Uint32Array(m - lhs.length);
      let a = 0;
      let b = 0;
      let lhsHasAntecedent = false;
      let rhsHasConsequent = false;
      for (let j = 0; j < m; j++) {
        const it = z[j]!;
        if (mask & (1 << j)) {
          rhs[b++] = it;
          if (it === options.consequent) rhsHasConsequent = true;
        } else {
          lhs[a++] = it;
          if (it === options.antecedent) lhsHasAntecedent = true;
        }
      }
      if (options.consequent !== undefined && !rhsHasConsequent) continue;
      if (options.antecedent !== undefined && !lhsHasAntecedent) continue;
      const countX = count(lhs);
      if (!ok(countXY, countX)) continue;
      rules.push({ lhs, rhs, countXY, countX, countY: count(rhs) });
    }
  }
  return rules;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}

/**
 * arules' `is.redundant`: a rule is redundant when a more general rule in the same set (same rhs, lhs a
 * proper subset) has the same or a higher confidence. Compared on exact counts. Returns a flag per rule.
 */
export function findRedundant(rules: readonly EncodedRule[]): Uint8Array {
  const key = (lhs: Uint32Array, rhs: Uint32Array) => `${lhs.join(',')}|${rhs.join(',')}`;
  const byKey = new Map<string, number>();
  rules.forEach((r, i) => {
    byKey.set(key(r.lhs, r.rhs), i);
  });
  const flags = new Uint8Array(rules.length);
  rules.forEach((r, i) => {
    const m = r.lhs.length;
    if (m === 0 || m > 20) return;
    const full = (1 << m) - 1;
    // Every proper subset of lhs (mask = items kept), the empty lhs included.
    for (let mask = 0; mask < full; mask++) {
      const sub = new Uint32Array(popcount(mask));
      let a = 0;
      for (let j = 0; j < m; j++) if (mask & (1 << j)) sub[a++] = r.lhs[j]!;
      const g = byKey.get(key(sub, r.rhs));
      if (g === undefined) continue;
      const general = rules[g]!;
      if (compareRatios(general.countXY, general.countX, r.countXY, r.countX) >= 0) {
        flags[i] = 1;
        return;
      }
    }
  });
  return flags;
}
