import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { createRng } from '../shared/rng.js';
import {
  bootstrapMeanDifference,
  compareArms,
  evaluateCampaigns,
  evaluateExperiment,
  meanDifference,
  proportionDifference,
  proportionPower,
  sampleBinomial,
} from './index.js';

/**
 * A hand-checkable campaign: 4 contacts sent, 4 held out on 2025-01-10. Within 14 days two treated contacts
 * buy (50 and 30; a third treated order is cancelled, a fourth falls on day 20) and one control contact buys
 * (20). Cost: 10 fixed + 0.50 per treated contact = 12.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO customers (customer_id, country, source, load_id)
      SELECT 'K' || i, CASE WHEN i % 2 = 0 THEN 'NL' ELSE 'DE' END, 't', 1 FROM range(1, 9) t(i);
    INSERT INTO campaigns (campaign_id, name, channel, start_date, keywords, cost, cost_per_contact, source, load_id)
      VALUES ('SPRING', 'Spring', 'email', DATE '2025-01-10', ['fashion', 'sale'], 10, 0.5, 't', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'SPRING', 'K' || i, CASE WHEN i <= 4 THEN 'sent' ELSE 'holdout' END,
        TIMESTAMP '2025-01-10 09:00:00', 't', 1 FROM range(1, 9) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      VALUES ('SPRING', 'K1', 'open', TIMESTAMP '2025-01-10 10:00:00', 't', 1);
    INSERT INTO orders (order_id, customer_id, order_date, order_time, total, status, source, load_id) VALUES
      ('O1', 'K1', DATE '2025-01-12', TIMESTAMP '2025-01-12 12:00:00', 50, 'completed', 't', 1),
      ('O2', 'K2', DATE '2025-01-15', TIMESTAMP '2025-01-15 12:00:00', 30, 'completed', 't', 1),
      ('O3', 'K3', DATE '2025-01-15', TIMESTAMP '2025-01-15 12:00:00', 99, 'cancelled', 't', 1),
      ('O4', 'K4', DATE '2025-01-30', TIMESTAMP '2025-01-30 12:00:00', 70, 'completed', 't', 1),
      ('O5', 'K5', DATE '2025-01-11', TIMESTAMP '2025-01-11 12:00:00', 20, 'completed', 't', 1),
      ('O6', 'K6', DATE '2024-12-01', TIMESTAMP '2024-12-01 12:00:00', 40, 'completed', 't', 1);
  `);
});
afterAll(async () => {
  await engine.close();
});

describe('evaluateCampaigns', () => {
  it('compares sent with holdout contacts on orders within the horizon, with cost and ROI', async () => {
    const r = await evaluateCampaigns(engine, { asOf: '2025-06-30', bootstrap: 0 });
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.campaign?.keywords).toEqual(['fashion', 'sale']);
    const [control, treated] = r.arms;
    expect(control).toMatchObject({ arm: 'control', isControl: true, n: 4, conversions: 1, rate: 0.25 });
    expect(control!.lift).toBeNull();
    expect(treated).toMatchObject({ arm: 'treated', n: 4, conversions: 2, rate: 0.5, lift: 0.25 });
    expect(treated!.ordersLift).toBeCloseTo(0.25, 12);
    expect(treated!.valuePerContact).toBeCloseTo(20, 12);
    expect(treated!.valueLift).toBeCloseTo(15, 12);
    expect(treated!.incrementalValue).toBeCloseTo(60, 12);
    expect(treated!.cost).toBeCloseTo(12, 12);
    expect(treated!.roi).toBeCloseTo(4, 12);
    // 4 vs 4 contacts cannot show a lift of 25 points: a power warning names the control size needed.
    expect(r.warnings.some((w) => w.includes('power'))).toBe(true);
  });

  it('runs the per-contact outcome join once (one statement), with the same figures as the SQL of each part', async () => {
    const statements: string[] = [];
    const counting = new Proxy(engine, {
      get(target, prop, receiver) {
        if (prop === 'query')
          return (q: { toString(): string }, ...rest: unknown[]) => {
            statements.push(String(q));
            return (target.query as (...a: unknown[]) => unknown).call(target, q, ...rest);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const r = await evaluateCampaigns(counting, { asOf: '2025-06-30', by: ['channel'], bootstrap: 200 });
    expect(statements.filter((t) => t.includes('FROM campaign_events')).length).toBe(1);
    // The same statistics straight from outcomesSql (the per-contact rows), aggregated here.
    const { outcomesSql, parseCampaignParams } = await import('./index.js');
    const per = await engine.query(
      outcomesSql(engine.dialect, parseCampaignParams({ asOf: '2025-06-30', by: ['channel'] })),
    );
    for (const a of r.arms) {
      const rows = per.filter((x) => x.arm === a.arm);
      expect(a.n).toBe(rows.length);
      expect(a.conversions).toBe(rows.filter((x) => Number(x.orders) > 0).length);
      expect(a.valuePerContact).toBeCloseTo(rows.reduce((s, x) => s + Number(x.revenue), 0) / rows.length, 9);
    }
    expect(r.arms.find((a) => !a.isControl)?.valueInterval).toBe('bootstrap');
  });

  it('counts orders only within the horizon', async () => {
    const r = await evaluateCampaigns(engine, { asOf: '2025-06-30', horizonDays: 30, bootstrap: 0 });
    expect(r.arms.find((a) => a.arm === 'treated')?.conversions).toBe(3);
  });

  it('breaks down by keyword and by a customers column', async () => {
    const kw = await evaluateCampaigns(engine, { asOf: '2025-06-30', by: ['keyword'], bootstrap: 0 });
    expect(kw.groups.map((g) => g.key.keyword)).toEqual(['fashion', 'sale']);
    const country = await evaluateCampaigns(engine, { asOf: '2025-06-30', by: ['country'], bootstrap: 0 });
    const nl = country.arms.filter((a) => a.group.country === 'NL');
    expect(nl.map((a) => [a.arm, a.n, a.conversions])).toEqual([
      ['control', 2, 0],
      ['treated', 2, 1],
    ]);
  });

  it('warns about pre-campaign imbalance and censored windows', async () => {
    const r = await evaluateCampaigns(engine, { asOf: '2025-01-15', bootstrap: 0 });
    // K6 (control) bought before the send, nobody treated did: orders before differ between arms.
    expect(r.warnings.some((w) => w.includes('unbalanced'))).toBe(true);
    expect(r.groups[0]!.censored).toBe(8);
  });

  it('rejects an unknown breakdown with the allowed ones', async () => {
    await expect(evaluateCampaigns(engine, { asOf: '2025-06-30', by: ['shoe_size'] })).rejects.toThrow(
      /campaign, channel, keyword, rfm_segment or a column of customers/,
    );
  });
});

describe('evaluateExperiment', () => {
  it('rejects an outcome that is not 0/1 and an unknown control arm', async () => {
    await engine.exec(
      `CREATE TABLE exp AS SELECT * FROM (VALUES ('a', 1, 3.5), ('b', 0, 0.0), ('b', 2, 1.0)) t(arm, y, v)`,
    );
    await expect(
      evaluateExperiment(engine, { table: 'exp', arm: 'arm', control: 'b', outcome: 'y' }),
    ).rejects.toThrow(/expected a 0\/1 outcome/);
    await expect(
      evaluateExperiment(engine, { table: 'exp', arm: 'arm', control: 'z', outcome: 'v' }),
    ).rejects.toBeInstanceOf(InputError);
  });
});

describe('properties', () => {
  it('identical arms give lift 0 inside its interval, also for the value (full SQL path)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 500 })), { minLength: 2, maxLength: 40 }),
        async (rows) => {
          const values = rows.flatMap(([y, v]) => [`('A', ${y}, ${y ? v : 0})`, `('B', ${y}, ${y ? v : 0})`]);
          await engine.exec(
            `CREATE OR REPLACE TABLE aa AS SELECT * FROM (VALUES ${values.join(', ')}) t(arm, y, v)`,
          );
          const r = await evaluateExperiment(engine, {
            table: 'aa',
            arm: 'arm',
            control: 'A',
            outcome: 'y',
            value: 'v',
            bootstrap: 200,
          });
          const b = r.arms.find((a) => a.arm === 'B')!;
          expect(b.lift).toBe(0);
          expect(b.ciLow!).toBeLessThanOrEqual(0);
          expect(b.ciHigh!).toBeGreaterThanOrEqual(0);
          expect(b.pValue).toBe(1);
          expect(b.valueLift).toBeCloseTo(0, 9);
          expect(b.valueCiLow!).toBeLessThanOrEqual(1e-9);
          expect(b.valueCiHigh!).toBeGreaterThanOrEqual(-1e-9);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('a small segment with 0 control conversions gets an honest (Agresti–Caffo) interval, not a Wald point', () => {
    // 4 of 84 treated vs 0 of 41 held out: Wald gives [0.002, 0.093] (the control's variance is 0).
    const small = proportionDifference(4, 84, 0, 41);
    expect(small.estimate).toBeCloseTo(4 / 84, 12);
    expect(small.low).toBeLessThan(0);
    expect(small.high).toBeGreaterThan(0.09);
    // Large counts keep the Wald interval (the Hillstrom golden figures).
    const big = proportionDifference(300, 2000, 200, 2000);
    const se = Math.sqrt((0.15 * 0.85) / 2000 + (0.1 * 0.9) / 2000);
    expect(big.low).toBeCloseTo(0.05 - 1.959963984540054 * se, 12);
  });

  it('swapping the arms negates the interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n0, f1, f0) => {
          const x1 = Math.round(f1 * n1);
          const x0 = Math.round(f0 * n0);
          const a = proportionDifference(x1, n1, x0, n0);
          const b = proportionDifference(x0, n0, x1, n1);
          expect(a.low).toBeCloseTo(-b.high, 9);
          expect(a.pValue).toBeCloseTo(b.pValue, 9);
          expect(a.pValue).toBeGreaterThanOrEqual(0);
          expect(a.pValue).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 3 },
    );
  });

  it('the 95% interval covers a zero lift in about 95% of simulated A/A tests', () => {
    const rng = createRng(11);
    let covered = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const n = 2000;
      const x1 = sampleBinomial(rng, n, 0.1);
      const x0 = sampleBinomial(rng, n, 0.1);
      const [, b] = compareArms(
        [
          { arm: 'c', n, successes: x0 },
          { arm: 't', n, successes: x1 },
        ],
        { control: 'c', bootstrap: 0, maxBootstrapValues: 0 },
        rng,
      );
      if (b!.ciLow! <= 0 && b!.ciHigh! >= 0) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('the bootstrap of large arms (normal limit of the sum) agrees with the Welch interval', () => {
    const values = Array.from({ length: 41 }, (_, i) => ({ value: 10 + i, count: 150 }));
    const sum = values.reduce((s, v) => s + v.value * v.count, 0);
    const sumSq = values.reduce((s, v) => s + v.value * v.value * v.count, 0);
    const treated = { n: 100_000, values, sum: sum * 1.1, sumSq: sumSq * 1.1 };
    const tValues = values.map((v) => ({ value: v.value, count: Math.round(v.count * 1.1) }));
    const control = { n: 100_000, values, sum, sumSq };
    const boot = bootstrapMeanDifference(createRng(1), { ...treated, values: tValues }, control, 2000);
    const welch = meanDifference(
      treated.n,
      treated.sum,
      treated.sumSq,
      control.n,
      control.sum,
      control.sumSq,
    );
    const width = welch.high - welch.low;
    expect(Math.abs(boot.low - welch.low)).toBeLessThan(0.1 * width);
    expect(Math.abs(boot.high - welch.high)).toBeLessThan(0.1 * width);
  });

  it('samples binomial counts with the right mean and variance', () => {
    const rng = createRng(5);
    const draws = Array.from({ length: 4000 }, () => sampleBinomial(rng, 1000, 0.03));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1);
    expect(mean).toBeGreaterThan(29.5);
    expect(mean).toBeLessThan(30.5);
    expect(variance / (1000 * 0.03 * 0.97)).toBeGreaterThan(0.9);
    expect(variance / (1000 * 0.03 * 0.97)).toBeLessThan(1.1);
  });

  it('power rises with the control size and the 80% size gives 80%', () => {
    const small = proportionPower(0.1, 0.02, 10_000, 500);
    const big = proportionPower(0.1, 0.02, 10_000, 5000);
    expect(big.power).toBeGreaterThan(small.power);
    const need = small.controlFor80!;
    expect(proportionPower(0.1, 0.02, 10_000, need).power).toBeCloseTo(0.8, 2);
  });
});
