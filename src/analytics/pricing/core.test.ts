import { describe, expect, it } from 'vitest';
import { createRng, samplePoisson } from '../shared/rng.js';
import {
  betweenVariance,
  fitElasticities,
  mondayOfWeek,
  monthOfWeek,
  type PriceCell,
  simulatePriceChange,
} from './core.js';

const limits = { minWeeks: 26, minPriceVariation: 0.02, maxSe: 0.75, minProductWeeks: 20, level: 0.95 };

/** Products × weeks of Poisson units with a known elasticity, a December peak and growing traffic. */
function synthetic(elasticity: number, priceMoves: boolean, seed = 3) {
  const rng = createRng(seed);
  const cells: PriceCell[] = [];
  const traffic = new Map<number, number>();
  for (let w = 2800; w < 2956; w++) traffic.set(w, 500 + 2 * (w - 2800));
  for (let p = 0; p < 12; p++) {
    const list = 10 + 7 * p;
    for (let w = 2800; w < 2956; w++) {
      const m = priceMoves && rng.next() < 0.25 ? [0.7, 0.8, 0.9][rng.int(3)]! : 1;
      const season = monthOfWeek(w) === 12 ? 1.6 : 1;
      const mean = (3 + p) * season * (traffic.get(w)! / 500) * m ** elasticity;
      const units = samplePoisson(rng, mean);
      if (units === 0) continue;
      cells.push({
        sku: `P${p}`,
        category: 'Cat',
        week: w,
        units,
        lines: units,
        logPrice: Math.log(list * m),
        promoLines: 0,
        revenue: units * list * m,
        cost: units * list * 0.5,
      });
    }
  }
  return { cells, traffic };
}

describe('pricing core', () => {
  it('recovers a planted elasticity within its interval, with season and traffic controlled', () => {
    const { cells, traffic } = synthetic(-1.7, true);
    const s = fitElasticities(cells, traffic, limits);
    const c = s.categories[0]!;
    expect(c.supported).toBe(true);
    expect(c.lower).toBeLessThan(-1.7);
    expect(c.upper).toBeGreaterThan(-1.7);
    expect(c.upper - c.lower).toBeLessThan(0.5);
    // The weekly traffic here is a smooth trend: the per-calendar-month effects (periodOfWeek) absorb it, so its own
    // coefficient is not identified and is not asserted; the elasticity is what must be recovered.
    expect(Number.isFinite(c.trafficEffect)).toBe(true);
    expect(s.products.length).toBe(12);
    for (const p of s.products) expect(Math.abs(p.elasticity + 1.7)).toBeLessThan(0.4);
  });

  it('says plainly when prices never moved, or when there are too few weeks', () => {
    const flat = synthetic(-1.7, false);
    const c = fitElasticities(flat.cells, flat.traffic, limits).categories[0]!;
    expect(c.supported).toBe(false);
    expect(c.reason).toMatch(/prices hardly moved/);
    const moving = synthetic(-1.7, true);
    const short = moving.cells.filter((x) => x.week < 2815);
    const d = fitElasticities(short, moving.traffic, limits).categories[0]!;
    expect(d.supported).toBe(false);
    expect(d.reason).toMatch(/only 15 weeks/);
  });

  it('simulates a price cut: units × 0.9^ε, revenue × 0.9^(1+ε), intervals from the elasticity interval', () => {
    const f = simulatePriceChange(
      { weeks: 52, units: 1000, revenue: 20000, cost: 10000 },
      { elasticity: -2, se: 0.1, lower: -2.2, upper: -1.8 },
      -0.1,
    );
    expect(f.units.value).toBeCloseTo(1000 * 0.9 ** -2, 6);
    expect(f.units.lower).toBeCloseTo(1000 * 0.9 ** -1.8, 6);
    expect(f.units.upper).toBeCloseTo(1000 * 0.9 ** -2.2, 6);
    expect(f.revenue.value).toBeCloseTo(20000 * 0.9 ** -1, 6);
    expect(f.margin!.value).toBeCloseTo(20000 * 0.9 ** -1 - 10000 * 0.9 ** -2, 6);
  });

  it('pools: equal estimates give τ² = 0, scattered ones a positive τ²', () => {
    expect(betweenVariance([-1, -1, -1], [0.1, 0.2, 0.1])).toBe(0);
    expect(betweenVariance([-0.5, -2, -1.2], [0.1, 0.1, 0.1])).toBeGreaterThan(0.3);
  });

  it('numbers weeks from Monday 1970-01-05', () => {
    expect(mondayOfWeek(0)).toBe('1970-01-05');
    expect(mondayOfWeek(2895)).toBe('2025-06-30');
    expect(monthOfWeek(0)).toBe(1);
  });
});
