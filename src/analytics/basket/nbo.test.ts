import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { scoreCore } from './core.js';
import { loadBaskets } from './data.js';
import { evaluateHoldout } from './evaluate.js';
import { encodeBaskets } from './models/transactions.js';
import { buildNboState, fitNbo, parseNboParams, recommendFor } from './nbo.js';
import { testShopSql } from './test-shop.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  for (const s of testShopSql({ customers: 1500, seed: 7, affinity: 0.7 })) await engine.exec(s);
});
afterAll(async () => {
  await engine.close();
});

describe('next best offer', () => {
  it('beats the popularity baseline on planted affinities (hit rate@5, time-based holdout)', async () => {
    const params = parseNboParams({ asOf: '2024-08-01', k: 5, minSupport: 0.01, minConfidence: 0.2 });
    const r = await evaluateHoldout(engine, params, 150);
    expect(r.customers).toBeGreaterThan(100);
    expect(r.model.hitRate).toBeGreaterThan(r.popularity.hitRate);
    expect(r.model.precision).toBeGreaterThan(r.popularity.precision);
    expect(r.hitRateLift).toBeGreaterThan(1.3);
  });

  it('offers the planted consequent with its rule as the reason, never an item the customer has', async () => {
    const params = parseNboParams({ asOf: '2024-08-01', minSupport: 0.01, minConfidence: 0.2 });
    const fitted = await fitNbo(engine, params);
    const withA = [...fitted.owned.entries()].find(
      ([, items]) =>
        items.some((i) => fitted.state.items[i] === 'P030') &&
        !items.some((i) => fitted.state.items[i] === 'P060'),
    )!;
    const [rec] = recommendFor(fitted, [withA[0]], params);
    const offer = rec!.offers.find((o) => o.item === 'P060')!;
    expect(offer).toBeDefined();
    expect(offer.source).toBe('rule');
    expect(offer.reason).toMatch(
      /^bought .*Product P030.*; \d+% of such customers buy Product P060, lift \d+\.\d$/,
    );
    const owned = new Set(withA[1].map((i) => fitted.state.items[i]));
    for (const o of rec!.offers) expect(owned.has(o.item)).toBe(false);
  });

  it('excludes owned items unless repeat is allowed, and weights by margin when asked', () => {
    const tx = encodeBaskets([['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'c'], ['c'], ['c'], ['b']]);
    const p = parseNboParams({
      asOf: '2024-01-01',
      minSupport: 0.1,
      minConfidence: 0.1,
      minPairCustomers: 1,
    });
    const keys = [...tx.labels];
    const state = buildNboState(
      tx,
      keys,
      { ...p, repeatable: ['b'] },
      new Map([
        ['b', 1],
        ['c', 100],
      ]),
    );
    const a = keys.indexOf('a');
    const b = keys.indexOf('b');
    const base = { k: 3, weightByMargin: false, repeat: 'never' as const };
    expect(scoreCore(state, [a], base)[0]!.item).toBe('b');
    expect(scoreCore(state, [a], { ...base, weightByMargin: true })[0]!.item).toBe('c');
    expect(scoreCore(state, [a, b], base).map((o) => o.item)).not.toContain('b');
    expect(scoreCore(state, [a, b], { ...base, repeat: 'repeatable' }).map((o) => o.item)).toContain('b');
    // A customer without history gets popular items, marked as such.
    expect(scoreCore(state, [], base).every((o) => o.source === 'popular')).toBe(true);
  });

  it('builds baskets in SQL per order or customer, at category depth, equal to the pure encoding', async () => {
    const perOrder = await loadBaskets(engine, { per: 'order' });
    const rows = await engine.query('SELECT order_id, sku FROM order_lines ORDER BY order_id, sku');
    const byOrder = new Map<string, string[]>();
    for (const r of rows)
      byOrder.set(String(r.order_id), [...(byOrder.get(String(r.order_id)) ?? []), String(r.sku)]);
    const pure = encodeBaskets([...byOrder.values()]);
    expect(perOrder.tx.count).toBe(pure.count);
    expect(perOrder.itemKeys).toEqual([...pure.labels]);
    expect(Array.from(perOrder.tx.itemCounts)).toEqual(Array.from(pure.itemCounts));
    const cats = await loadBaskets(engine, { level: 'category', categoryDepth: 1, per: 'customer' });
    expect([...cats.itemKeys].sort()).toEqual(['Drinks', 'Food', 'Home']);
    const customers = await engine.query('SELECT count(DISTINCT customer_id) AS n FROM orders');
    expect(cats.tx.count).toBe(Number(customers[0]!.n));
  });

  it('requires asOf and reports every bad param', () => {
    expect(() => parseNboParams({ k: 0 })).toThrowError(/asOf[\s\S]*k:/);
  });
});
