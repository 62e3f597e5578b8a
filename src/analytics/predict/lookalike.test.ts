import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { findLookalikes } from './lookalike.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-30' });
});
afterAll(async () => {
  await engine.close();
});

describe('lookalikes', () => {
  let threshold = 0;
  const revenue = async () =>
    new Map(
      (
        await engine.query<{ customer_id: string; revenue: number }>(
          'SELECT customer_id, revenue FROM customer_features',
        )
      ).map((x) => [x.customer_id, Number(x.revenue)]),
    );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('ranks high spenders outside the seed above low spenders (classifier), with drivers and bands', async () => {
    const q = await engine.query<{ t: number }>(
      'SELECT quantile_disc(revenue, 0.75) AS t FROM customer_features WHERE orders >= 1',
    );
    threshold = Number(q[0]?.t);
    const r = await findLookalikes(engine, {
      seed: `revenue >= ${threshold}`,
      target: 'orders >= 1',
      top: 1000,
    });
    expect(r.method).toBe('classifier');
    expect(r.seedSize).toBeGreaterThan(5);
    expect(r.separation).toBeGreaterThan(0.7);
    expect(r.bands.reduce((a, b) => a + b.customers, 0)).toBe(r.populationSize);
    expect(r.drivers.map((d) => d.feature).slice(0, 5)).toEqual(
      expect.arrayContaining([expect.stringMatching(/revenue|aov|gross|margin|cost|items/)]),
    );
    const rev = await revenue();
    const ranked = r.rows.map((x) => rev.get(x.customerId) ?? 0);
    expect(mean(ranked.slice(0, 15))).toBeGreaterThan(mean(ranked.slice(-15)));
    expect(ranked.every((v) => v < threshold)).toBe(true);
  });

  it('offers a nearest-neighbour alternative in standardised feature space', async () => {
    const r = await findLookalikes(engine, {
      seed: `revenue >= ${threshold}`,
      target: 'orders >= 1',
      method: 'neighbours',
      k: 3,
      top: 1000,
    });
    expect(r.separation).toBeNull();
    const rev = await revenue();
    const ranked = r.rows.map((x) => rev.get(x.customerId) ?? 0);
    expect(mean(ranked.slice(0, 20))).toBeGreaterThan(mean(ranked.slice(-20)));
    expect(r.rows[0]?.similarity).toBeGreaterThanOrEqual(r.rows.at(-1)?.similarity ?? 1);
  });

  it('refuses an empty seed with a clear error', async () => {
    await expect(findLookalikes(engine, { seed: 'orders >= 100000' })).rejects.toThrow(
      /at least 5 customers in the seed/,
    );
  });
});
