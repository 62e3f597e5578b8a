import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mineFrequentItemsets } from './fpgrowth.js';
import { closedAndMaximal, itemsOf } from './itemsets.js';
import { ruleMetrics } from './metrics.js';
import { mineItemsets, mineRules } from './mine.js';
import { minCountFor } from './thresholds.js';
import { encodeBaskets } from './transactions.js';

/** Brute force: every non-empty subset of the item universe, counted by scanning all baskets. */
function bruteItemsets(baskets: string[][], minCount: number, maxLength = 10): Map<string, number> {
  const universe = [...new Set(baskets.flat())].sort();
  const out = new Map<string, number>();
  const sets = baskets.map((b) => new Set(b));
  const n = universe.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const items = universe.filter((_, j) => mask & (1 << j));
    if (items.length > maxLength) continue;
    const c = sets.filter((s) => items.every((i) => s.has(i))).length;
    if (c >= minCount) out.set(items.join(','), c);
  }
  return out;
}

function countOf(baskets: string[][], items: string[]): number {
  return baskets.filter((b) => items.every((i) => b.includes(i))).length;
}

const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const basketsArb = fc.array(fc.subarray(ITEMS, { minLength: 0, maxLength: 6 }), {
  minLength: 1,
  maxLength: 40,
});

describe('FP-Growth', () => {
  it('finds exactly the brute-force frequent itemsets and counts', () => {
    fc.assert(
      fc.property(
        basketsArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (baskets, minCount, maxLength) => {
          const tx = encodeBaskets(baskets);
          const sets = mineFrequentItemsets(tx, { minCount, maxLength });
          const got = new Map<string, number>();
          for (let k = 0; k < sets.size; k++) {
            const key = [...itemsOf(sets, k)]
              .map((i) => tx.labels[i]!)
              .sort()
              .join(',');
            expect(got.has(key)).toBe(false);
            got.set(key, sets.counts[k]!);
          }
          expect(got).toEqual(bruteItemsets(baskets, minCount, maxLength));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the same itemset counts whatever the basket and item order', () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), fc.integer(), (baskets, minCount, seed) => {
        const shuffled = shuffle(
          baskets.map((b) => shuffle([...b], seed)),
          seed + 1,
        );
        const a = mineItemsets(encodeBaskets(baskets), {
          minSupport: Math.min(1, minCount / baskets.length),
        });
        const b = mineItemsets(encodeBaskets(shuffled), {
          minSupport: Math.min(1, minCount / baskets.length),
        });
        expect(b.itemsets).toEqual(a.itemsets);
      }),
      { numRuns: 100 },
    );
  });

  it('mines only itemsets containing an item by projection, equal to the full subset', () => {
    fc.assert(
      fc.property(
        basketsArb,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(...ITEMS),
        (baskets, minCount, item) => {
          const tx = encodeBaskets(baskets);
          const id = tx.labels.indexOf(item);
          fc.pre(id >= 0);
          const sets = mineFrequentItemsets(tx, { minCount, containing: id });
          const got = new Map<string, number>();
          for (let k = 0; k < sets.size; k++) {
            got.set(
              [...itemsOf(sets, k)]
                .map((i) => tx.labels[i]!)
                .sort()
                .join(','),
              sets.counts[k]!,
            );
          }
          const expected = new Map(
            [...bruteItemsets(baskets, minCount)].filter(([k]) => k.split(',').includes(item)),
          );
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('flags closed and maximal itemsets as their definitions say', () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), (baskets, minCount) => {
        const tx = encodeBaskets(baskets);
        const sets = mineFrequentItemsets(tx, { minCount });
        const flags = closedAndMaximal(sets);
        const all: { items: number[]; count: number }[] = [];
        for (let k = 0; k < sets.size; k++)
          all.push({ items: [...itemsOf(sets, k)], count: sets.counts[k]! });
        all.forEach((s, k) => {
          const supersets = all.filter(
            (o) => o.items.length > s.items.length && s.items.every((i) => o.items.includes(i)),
          );
          expect(flags.maximal[k] === 1).toBe(supersets.length === 0);
          expect(flags.closed[k] === 1).toBe(supersets.every((o) => o.count < s.count));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('fails with MEMORY_LIMIT, before exhausting memory, when the output would not fit', () => {
    const baskets = Array.from({ length: 200 }, () =>
      ITEMS.concat(['h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p']),
    );
    const tx = encodeBaskets(baskets);
    expect(() => mineFrequentItemsets(tx, { minCount: 1, memoryLimitBytes: 64 * 1024 })).toThrowError(
      expect.objectContaining({ code: 'MEMORY_LIMIT' }),
    );
    // The same mining fits with the default limit: 2^16 − 1 itemsets.
    expect(mineFrequentItemsets(tx, { minCount: 1, maxLength: 16 }).size).toBe(2 ** 16 - 1);
  });
});

describe('association rules', () => {
  it('reports every metric equal to its brute-force value, and exactly the rules meeting the thresholds', () => {
    fc.assert(
      fc.property(
        basketsArb,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 0.3, 0.5, 0.8, 1),
        fc.boolean(),
        (baskets, minCount, minConfidence, multiRhs) => {
          const n = baskets.length;
          const minSupport = Math.min(1, minCount / n);
          const r = mineRules(encodeBaskets(baskets), { minSupport, minConfidence, multiRhs });
          const cut = minCountFor(minSupport, n);
          const expected = new Set<string>();
          for (const [key, c] of bruteItemsets(baskets, cut)) {
            const z = key.split(',');
            const m = z.length;
            for (let mask = 1; mask < 1 << m; mask++) {
              const rhs = z.filter((_, j) => mask & (1 << j));
              const lhs = z.filter((_, j) => !(mask & (1 << j)));
              if (!multiRhs && rhs.length !== 1) continue;
              if (multiRhs && lhs.length === 0 && rhs.length > 1) continue;
              const cx = countOf(baskets, lhs);
              if (c >= minConfidence * cx - 1e-12) expected.add(`${lhs}|${rhs}`);
            }
          }
          expect(new Set(r.rules.map((x) => `${x.lhs}|${x.rhs}`))).toEqual(expected);
          for (const rule of r.rules) {
            const nXY = countOf(baskets, [...rule.lhs, ...rule.rhs]);
            const nX = countOf(baskets, rule.lhs);
            const nY = countOf(baskets, rule.rhs);
            const sXY = nXY / n;
            const sX = nX / n;
            const sY = nY / n;
            expect(rule.count).toBe(nXY);
            expect(rule.support).toBeCloseTo(sXY, 12);
            expect(rule.confidence).toBeCloseTo(nXY / nX, 12);
            expect(rule.coverage).toBeCloseTo(sX, 12);
            expect(rule.lift).toBeCloseTo(sXY / (sX * sY), 10);
            expect(rule.leverage).toBeCloseTo(sXY - sX * sY, 12);
            if (nXY === nX) expect(rule.conviction).toBe(Number.POSITIVE_INFINITY);
            else expect(rule.conviction).toBeCloseTo((1 - sY) / (1 - nXY / nX), 10);
            const den = Math.max(sXY * (1 - sX), sX * (sY - sXY));
            expect(rule.zhang).toBeCloseTo(den === 0 ? 0 : (sXY - sX * sY) / den, 10);
            expect(rule.kulczynski).toBeCloseTo((nXY / nX + nXY / nY) / 2, 12);
            expect(rule.jaccard).toBeCloseTo(nXY / (nX + nY - nXY), 12);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('mines rules for one consequent or antecedent directly, equal to the subset of full mining', () => {
    fc.assert(
      fc.property(
        basketsArb,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.2, 0.5, 0.7),
        fc.constantFrom(...ITEMS),
        fc.boolean(),
        (baskets, minCount, minConfidence, item, multiRhs) => {
          const tx = encodeBaskets(baskets);
          fc.pre(tx.labels.includes(item));
          const base = { minSupport: Math.min(1, minCount / baskets.length), minConfidence, multiRhs };
          const full = mineRules(tx, base).rules;
          expect(mineRules(tx, { ...base, consequent: item }).rules).toEqual(
            full.filter((r) => r.rhs.includes(item)),
          );
          expect(mineRules(tx, { ...base, antecedent: item }).rules).toEqual(
            full.filter((r) => r.lhs.includes(item)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('prunes a rule when a more general rule with the same rhs has at least its confidence', () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), (baskets, minCount) => {
        const tx = encodeBaskets(baskets);
        const base = { minSupport: Math.min(1, minCount / baskets.length), minConfidence: 0.3 };
        const all = mineRules(tx, base).rules;
        const kept = new Set(
          mineRules(tx, { ...base, removeRedundant: true }).rules.map((r) => `${r.lhs}|${r.rhs}`),
        );
        for (const r of all) {
          const redundant = all.some(
            (g) =>
              g.rhs.join() === r.rhs.join() &&
              g.lhs.length < r.lhs.length &&
              g.lhs.every((i) => r.lhs.includes(i)) &&
              // conf(g) ≥ conf(r) on counts: nXY_g · nX_r ≥ nXY_r · nX_g
              g.count * countOf(baskets, r.lhs) >= r.count * countOf(baskets, g.lhs),
          );
          expect(kept.has(`${r.lhs}|${r.rhs}`)).toBe(!redundant);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('decides the confidence boundary exactly: 4 of 5 meets 0.8', () => {
    const baskets = [['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b'], ['a'], ['b']];
    const r = mineRules(encodeBaskets(baskets), { minSupport: 0.1, minConfidence: 0.8, minLength: 2 });
    expect(r.rules.map((x) => `${x.lhs}=>${x.rhs}`).sort()).toEqual(['a=>b', 'b=>a']);
    expect(ruleMetrics(4, 5, 5, 6).confidence).toBe(0.8);
  });

  it('applies metric filters and sorting', () => {
    const baskets = [['a', 'b'], ['a', 'b'], ['a', 'c'], ['b', 'c'], ['c']];
    const r = mineRules(encodeBaskets(baskets), {
      minSupport: 0.2,
      minConfidence: 0.1,
      minLength: 2,
      filters: [{ metric: 'lift', op: '>', value: 1 }],
      sortBy: 'confidence',
    });
    expect(r.rules.map((x) => `${x.lhs}=>${x.rhs}`)).toEqual(['a=>b', 'b=>a']);
  });

  it('rejects bad params listing every problem, and an unknown item with close matches', () => {
    const tx = encodeBaskets([['whole milk', 'butter']]);
    expect(() => mineRules(tx, { minSupport: 0, minConfidence: 2 })).toThrowError(
      /minSupport[\s\S]*minConfidence/,
    );
    expect(() => mineRules(tx, { consequent: 'milk' })).toThrowError(/Close matches: "whole milk"/);
  });
});

function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = xs.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
