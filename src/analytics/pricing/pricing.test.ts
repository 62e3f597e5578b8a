import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../test/support/demo-datamart.js';
import { englishWordsIn } from '../../../test/support/english-words.js';
import type { DemoManifest } from '../../demo/index.js';
import { DuckDbEngine } from '../../store/index.js';
import {
  type ElasticityResult,
  elasticities,
  localizeElasticities,
  localizeWhatIf,
  whatIf,
} from './index.js';

/**
 * The demo plants one price elasticity per top-level category (src/demo/pricing.ts): weekly shelf-price moves
 * per leaf category, and units that respond as m^ε. The estimates must recover every planted value within
 * their interval. 99 % intervals: with eight categories, 95 % intervals would all cover only two times in three
 * even for a perfect estimator.
 */
let engine: DuckDbEngine;
let manifest: DemoManifest;
let result: ElasticityResult;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  manifest = await seedDemo(engine, { customers: 5000, seed: 42 });
  result = await elasticities(engine, { asOf: '2026-06-30', level: 0.99 });
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

describe('price elasticity on the demo shop', () => {
  it('recovers each planted category elasticity within its interval, with useful precision', () => {
    const planted = manifest.planted.elasticities;
    expect(Object.keys(planted).length).toBe(8);
    for (const [category, truth] of Object.entries(planted)) {
      const c = result.categories.find((x) => x.category === category)!;
      expect(c.supported, category).toBe(true);
      expect(c.lower, `${category}: ${c.lower} … ${c.upper} vs ${truth}`).toBeLessThanOrEqual(truth);
      expect(c.upper, `${category}: ${c.lower} … ${c.upper} vs ${truth}`).toBeGreaterThanOrEqual(truth);
      expect(c.upper - c.lower, category).toBeLessThan(1.8);
    }
    // The ordering is learned too: electronics responds most, books least.
    const by = (name: string) => result.categories.find((x) => x.category === name)!.elasticity;
    expect(by('Electronics')).toBeLessThan(by('Home'));
    expect(by('Women')).toBeLessThan(by('Books'));
  });

  it('gives products with enough weeks their own estimate, pulled toward the category', () => {
    expect(result.products.length).toBeGreaterThan(20);
    for (const p of result.products.slice(0, 20)) {
      const c = result.categories.find((x) => x.category === p.category)!;
      // The pooled estimate lies between the product's own and the category's.
      expect(Math.abs(p.elasticity - c.elasticity)).toBeLessThanOrEqual(
        Math.abs(p.raw - c.elasticity) + 1e-9,
      );
      expect(p.shrinkage).toBeGreaterThanOrEqual(0);
      expect(p.shrinkage).toBeLessThanOrEqual(1);
    }
  });

  it('what-if: a 10 % cut in electronics sells more units and the interval holds the planted answer', async () => {
    const w = await whatIf(engine, {
      category: 'Electronics',
      priceChange: '-10%',
      asOf: '2026-06-30',
      level: 0.99,
    });
    expect(w.supported).toBe(true);
    const base = w.baseline.units;
    const truth = base * 0.9 ** manifest.planted.elasticities.Electronics!;
    expect(w.simulated!.units.lower).toBeLessThanOrEqual(truth);
    expect(w.simulated!.units.upper).toBeGreaterThanOrEqual(truth);
    expect(w.simulated!.units.value).toBeGreaterThan(base);
    // |ε| > 1: revenue rises with a price cut.
    expect(w.simulated!.revenue.value).toBeGreaterThan(w.baseline.revenue);
    expect(w.summary).toMatch(/Electronics: a price change of -10 %/);
  });

  it('says plainly when the data cannot support an answer', async () => {
    const w = await whatIf(engine, {
      category: 'Books',
      priceChange: -0.1,
      asOf: '2026-06-30',
      historyWeeks: 20,
      baseWeeks: 13,
      minWeeks: 26,
    });
    expect(w.supported).toBe(false);
    expect(w.simulated).toBeNull();
    expect(w.reason).toMatch(/only 20 weeks/);
    await expect(whatIf(engine, { category: 'Garden', priceChange: -0.1 })).rejects.toThrow(
      /Known categories: Beauty/,
    );
    await expect(whatIf(engine, { priceChange: -0.1 })).rejects.toThrow(/exactly one of category or product/);
  });

  it('answers in the asked language: no English left in summaries, reasons and warnings (nl, fr, de, ru)', async () => {
    const answers = [
      await whatIf(engine, { category: 'Electronics', priceChange: -0.1, asOf: '2026-06-30' }),
      await whatIf(engine, { category: 'Electronics', priceChange: 0.6, asOf: '2026-06-30' }),
      await whatIf(engine, {
        category: 'Books',
        priceChange: -0.1,
        asOf: '2026-06-30',
        historyWeeks: 20,
        baseWeeks: 13,
        minWeeks: 26,
      }),
      await whatIf(engine, { category: 'Books', priceChange: -0.1, asOf: '2026-06-30', maxSe: 0.01 }),
    ];
    const english = answers.flatMap((a) => [a.summary, a.reason ?? '', ...a.warnings]).filter(Boolean);
    expect(english.some((t) => /is an extrapolation/.test(t))).toBe(true);
    expect(english.some((t) => /too uncertain/.test(t))).toBe(true);
    for (const lang of ['nl', 'fr', 'de', 'ru'] as const) {
      for (const a of answers) {
        const l = localizeWhatIf(a, lang);
        for (const text of [l.summary, l.reason ?? '', ...l.warnings])
          expect(englishWordsIn(text), `${lang}: ${text}`).toEqual([]);
        expect(l.summary).not.toBe(a.summary);
      }
      const el = localizeElasticities(result, lang);
      for (const c of el.categories)
        if (c.reason) expect(englishWordsIn(c.reason), `${lang}: ${c.reason}`).toEqual([]);
    }
  });
});
