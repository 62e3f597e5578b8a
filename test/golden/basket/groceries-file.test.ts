/**
 * Golden: association rules on Groceries (Hahsler, Hornik & Reutterer 2006; R arules `data(Groceries)`),
 * read directly from the basket file. Expected numbers from ../shared/data/groceries/README.md:
 * arules `apriori` outputs published in the arulesViz docs/vignette and public R outputs, mlxtend counts
 * for multi-item right-hand sides, and the README's own itemset counts. Tolerance: counts exact;
 * metrics to the printed digits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encodeBaskets,
  mineItemsets,
  mineRules,
  type Transactions,
} from '../../../src/analytics/basket/index.js';
import { parseBasketText } from '../../../src/ingest/baskets/index.js';
import { runCli } from '../../../src/services/cli/main.js';

const FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'groceries',
  'groceries.csv',
);

function lengths(rules: readonly { lhs: string[]; rhs: string[] }[]): Record<number, number> {
  const d: Record<number, number> = {};
  for (const r of rules) d[r.lhs.length + r.rhs.length] = (d[r.lhs.length + r.rhs.length] ?? 0) + 1;
  return d;
}

let tx: Transactions;
beforeAll(() => {
  const parsed = parseBasketText(readFileSync(FILE, 'utf8'));
  tx = encodeBaskets(parsed.baskets.map((b) => b.items));
});

describe('Groceries read from the basket file', () => {
  it('has the summary(Groceries) counts, the trailing-space item kept', () => {
    expect(tx.count).toBe(9835);
    expect(tx.labels.length).toBe(169);
    expect(tx.items.length).toBe(43367);
    expect(tx.labels[0]).toBe('whole milk');
    expect(tx.itemCounts[0]).toBe(2513);
    expect(tx.labels).toContain('cream cheese ');
  });

  it('finds 13,492 frequent itemsets at support 0.001, by size 157/2981/6831/3137/376/10', () => {
    const r = mineItemsets(tx, { minSupport: 0.001 });
    expect(r.minCount).toBe(10);
    expect(r.itemsets.length).toBe(13492);
    expect(r.bySize).toEqual({ 1: 157, 2: 2981, 3: 6831, 4: 3137, 5: 376, 6: 10 });
  });

  it('finds 333 itemsets at 0.01 and 1,001 at 0.005', () => {
    expect(mineItemsets(tx, { minSupport: 0.01 }).itemsets.length).toBe(333);
    expect(mineItemsets(tx, { minSupport: 0.005 }).itemsets.length).toBe(1001);
  });

  it('gives exactly 410 rules at support 0.001 / confidence 0.8 with arules length distribution', () => {
    const r = mineRules(tx, { minSupport: 0.001, minConfidence: 0.8 });
    expect(r.rules.length).toBe(410);
    expect(lengths(r.rules)).toEqual({ 3: 29, 4: 229, 5: 140, 6: 12 });
    const top = r.rules[0]!;
    expect(top.lhs).toEqual(['liquor', 'red/blush wine']);
    expect(top.rhs).toEqual(['bottled beer']);
    expect(top.count).toBe(19);
    expect(top.support).toBeCloseTo(0.001931876, 9);
    expect(top.confidence).toBeCloseTo(0.9047619, 7);
    expect(top.lift).toBeCloseTo(11.23527, 5);
    // The README's next rules by lift, in order.
    expect(r.rules.slice(1, 5).map((x) => [x.lhs.join(', '), x.rhs[0], x.count])).toEqual([
      ['citrus fruit, fruit/vegetable juice, other vegetables, soda', 'root vegetables', 10],
      ['oil, other vegetables, tropical fruit, whole milk, yogurt', 'root vegetables', 10],
      ['citrus fruit, fruit/vegetable juice, grapes', 'tropical fruit', 11],
      ['oil, other vegetables, tropical fruit, whole milk', 'root vegetables', 13],
    ]);
  });

  it('gives exactly 5,668 rules at support 0.001 / confidence 0.5 with arules length distribution', () => {
    const r = mineRules(tx, { minSupport: 0.001, minConfidence: 0.5 });
    expect(r.rules.length).toBe(5668);
    expect(lengths(r.rules)).toEqual({ 2: 11, 3: 1461, 4: 3211, 5: 939, 6: 46 });
    const honey = r.rules.find((x) => x.lhs.join() === 'honey' && x.rhs[0] === 'whole milk')!;
    expect(honey.support).toBeCloseTo(0.001118454, 9);
    expect(honey.confidence).toBeCloseTo(0.7333333, 7);
    expect(honey.lift).toBeCloseTo(2.870009, 6);
    const tidbits = r.rules.find((x) => x.lhs.join() === 'tidbits' && x.rhs[0] === 'rolls/buns')!;
    expect(tidbits.confidence).toBeCloseTo(0.5217391, 7);
    expect(tidbits.lift).toBeCloseTo(2.836542, 6);
  });

  it('prunes 18 redundant rules of the 410 (arules is.redundant → 392)', () => {
    const r = mineRules(tx, { minSupport: 0.001, minConfidence: 0.8, removeRedundant: true });
    expect(r.generated).toBe(410);
    expect(r.redundant).toBe(18);
    expect(r.rules.length).toBe(392);
  });

  it('finds mlxtend counts 413 and 5,829 with multi-item right-hand sides', () => {
    expect(mineRules(tx, { minSupport: 0.001, minConfidence: 0.8, multiRhs: true }).rules.length).toBe(413);
    expect(mineRules(tx, { minSupport: 0.001, minConfidence: 0.5, multiRhs: true }).rules.length).toBe(5829);
  });

  it('gives 15 rules at 0.01 / 0.5 (top {citrus fruit, root vegetables} ⇒ {other vegetables}, lift 3.0296) and 120 at 0.005 / 0.5', () => {
    const r = mineRules(tx, { minSupport: 0.01, minConfidence: 0.5 });
    expect(r.rules.length).toBe(15);
    expect(r.rules[0]!.lhs).toEqual(['citrus fruit', 'root vegetables']);
    expect(r.rules[0]!.rhs).toEqual(['other vegetables']);
    expect(r.rules[0]!.lift).toBeCloseTo(3.0296, 4);
    expect(mineRules(tx, { minSupport: 0.005, minConfidence: 0.5 }).rules.length).toBe(120);
  });

  it("gives 463 rules with Lantz's parameters (0.006 / 0.25, minlen 2): 150 / 297 / 16", () => {
    const r = mineRules(tx, { minSupport: 0.006, minConfidence: 0.25, minLength: 2 });
    expect(r.rules.length).toBe(463);
    expect(lengths(r.rules)).toEqual({ 2: 150, 3: 297, 4: 16 });
  });

  it('mines the rules for one consequent directly: the same 410-set subset', () => {
    const full = mineRules(tx, { minSupport: 0.001, minConfidence: 0.8 });
    const beer = mineRules(tx, { minSupport: 0.001, minConfidence: 0.8, consequent: 'bottled beer' });
    const expected = full.rules.filter((r) => r.rhs[0] === 'bottled beer');
    expect(beer.rules).toEqual(expected);
    expect(beer.rules.length).toBeGreaterThan(0);
  });

  it('`clientele basket rules --file … --json` prints count, seconds and the rules', async () => {
    let out = '';
    const { exitCode } = await runCli(
      ['basket', 'rules', '--file', FILE, '--min-support', '0.001', '--min-confidence', '0.8', '--json'],
      { stdout: (s) => (out += s), stderr: () => undefined },
    );
    expect(exitCode).toBe(0);
    const json = JSON.parse(out);
    expect(json.count).toBe(410);
    expect(typeof json.seconds).toBe('number');
    expect(json.rules).toHaveLength(410);
    expect(json.rules[0]).toMatchObject({
      lhs: ['liquor', 'red/blush wine'],
      rhs: ['bottled beer'],
      count: 19,
    });
    expect(Object.keys(json.rules[0])).toEqual([
      'lhs',
      'rhs',
      'support',
      'confidence',
      'lift',
      'count',
      'coverage',
      'leverage',
      'conviction',
      'zhang',
      'kulczynski',
      'jaccard',
    ]);
  });
});
