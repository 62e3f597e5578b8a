import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { seedDemo } from '../../../../test/support/demo-datamart.js';
import { buildTrainingSet, loadTable, purchaseCycle, scoreLoaded } from '../../../analytics/predict/index.js';
import { DuckDbEngine, sql } from '../../../store/index.js';
import { churnModel, DEMO_CHURN_GBDT } from '../demo-predict.js';

/**
 * Issue 18: the churn label's default window follows the shop's own purchase cycle. On the demo shop a fixed
 * 90-day window calls most buyers churned (the demo's label was 85% positive); the cycle's window does not.
 */
let dir: string;
let db: string;
const cli = cliOn(() => db);
const AS_OF = '2026-06-30';

function shift(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-churn-window-'));
  db = join(dir, 'demo.duckdb');
  const engine = await DuckDbEngine.open(db);
  await seedDemo(engine, { customers: 600, seed: 7, asOf: AS_OF });
  await engine.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('churn window from the purchase cycle (demo shop)', () => {
  it('measures the cycle from repeat purchases and gives a label with a sane positive rate', async () => {
    const engine = await DuckDbEngine.open(db);
    try {
      const cycle = await purchaseCycle(engine, AS_OF);
      expect(cycle.source).toBe('purchase cycle');
      expect(cycle.gaps).toBeGreaterThan(300);
      expect(cycle.days).toBeGreaterThan(120);
      expect(cycle.days).toBeLessThanOrEqual(730);
      // 90% of the gaps between consecutive order days are within the window, by a hand count.
      const [row] = await engine.query<{ share: number }>(
        `WITH d AS (SELECT DISTINCT customer_id, order_date FROM orders
            WHERE customer_id IS NOT NULL AND order_date <= DATE '${AS_OF}' AND lower(coalesce(status, 'completed')) NOT IN ('cancelled', 'canceled', 'void', 'failed')),
          g AS (SELECT date_diff('day', lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date), order_date) AS gap FROM d)
        SELECT avg(CASE WHEN gap <= ${cycle.days} THEN 1.0 ELSE 0 END) AS share FROM g WHERE gap IS NOT NULL`,
      );
      // The engine's quantile is approximate: 89.98% on this shop after the other demo plants landed.
      expect(row!.share).toBeGreaterThanOrEqual(0.895);
      expect(row!.share).toBeLessThan(0.93);

      const rate = async (days: number) => {
        const set = await buildTrainingSet(engine, {
          cutoffs: [shift(AS_OF, -days)],
          label: { kind: 'churn', horizonDays: days },
          table: `churn_${days}`,
        });
        return set.positives / set.rows;
      };
      const fixed = await rate(90);
      const fromCycle = await rate(cycle.days);
      expect(fixed).toBeGreaterThan(0.8);
      expect(fromCycle).toBeGreaterThan(0.3);
      expect(fromCycle).toBeLessThan(0.75);
    } finally {
      await engine.close();
    }
  });

  it('predict dataset says the chosen window, and --horizon still sets one', async () => {
    const cutoff = shift(AS_OF, -365);
    const chosen = await cli('predict', 'dataset', '--cutoffs', cutoff, '--label', 'churn');
    expect(chosen.exitCode).toBe(0);
    expect(chosen.stdout).toMatch(
      /Churn window: \d+ days \(the shop's purchase cycle: 90% of [\d,]+ repeat purchases/,
    );
    const json = await cli('predict', 'dataset', '--cutoffs', cutoff, '--label', 'churn', '--json');
    expect(json.json.labelWindow).toMatchObject({ source: 'purchase cycle' });
    expect(json.json.labelWindow.days).toBeGreaterThan(90);
    const given = await cli(
      'predict',
      'dataset',
      '--cutoffs',
      cutoff,
      '--label',
      'churn',
      '--horizon',
      '60',
      '--json',
    );
    expect(given.json.labelWindow).toEqual({ days: 60, source: '--horizon' });
  });
});

describe('the demo churn model ranks its top risks by distinct scores', () => {
  // On the full demo (5,000 customers, seed 42) the model without per-tree subsampling tied 17 of its top 20
  // at one score (6 distinct values). On this smaller shop, without the floor of trees before early stopping,
  // seeds 11 and 42 kept 2–5 trees and tied the whole top 20 (1–2 distinct scores).
  it('gives the top 20 at least 15 distinct scores whatever the seed, with no lower AUC', async () => {
    expect(DEMO_CHURN_GBDT).toMatchObject({ rowSubsample: 0.8, featureSubsample: 0.8 });
    const engine = await DuckDbEngine.open(db);
    try {
      const fit = async (seed: number, gbdt: Record<string, number>) => {
        const trained = await churnModel(engine, { asOf: AS_OF, seed }, gbdt);
        const current = await loadTable(engine, 'customer_features', {
          idColumn: 'customer_id',
          include: trained.model.state.model.features.map((f) => f.name),
          where: sql`last_order IS NOT NULL`,
        });
        const top = scoreLoaded(trained.model, current)
          .rows.flatMap((r) => (r.score === null ? [] : [r.score]))
          .sort((a, b) => b - a)
          .slice(0, 20);
        return { distinct: new Set(top).size, auc: trained.evaluation?.overall.auc ?? 0 };
      };
      const seeds = [1, 7, 11, 42, 99];
      let aucNow = 0;
      let aucWithout = 0;
      let tiedWithout = 0;
      for (const seed of seeds) {
        const now = await fit(seed, DEMO_CHURN_GBDT);
        expect(now.distinct, `seed ${seed}`).toBeGreaterThanOrEqual(15);
        aucNow += now.auc / seeds.length;
        const without = await fit(seed, { ...DEMO_CHURN_GBDT, minTrees: 0 });
        aucWithout += without.auc / seeds.length;
        if (without.distinct < 5) tiedWithout++;
      }
      // The floor is what fixes it: without it, some seeds tie.
      expect(tiedWithout).toBeGreaterThanOrEqual(2);
      expect(aucNow).toBeGreaterThanOrEqual(aucWithout);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
