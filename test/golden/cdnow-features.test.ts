/**
 * Golden: the recency / frequency / tenure summary of the customer feature view reproduces the published
 * CDNOW calibration summary (x, t_x, T in weeks) for all 2,357 customers of the 1/10th sample.
 *
 * Reference: `cdnow_customers_summary.csv` (CamDavidsonPilon/lifetimes, lifetimes/datasets; the summary used by
 * Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way", Marketing Science 24(2):275–284).
 * Conventions from ../shared/data/cdnow/README.md: calibration ends 1997-09-30 (our asOf, inclusive);
 * x = repeat purchases on distinct days; t_x = last − first purchase; T = asOf − first purchase; weeks = days ÷ 7.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureParams, featuresSql } from '../../src/analytics/features/index.js';
import { type DuckDbEngine, sql } from '../../src/store/index.js';
import { loadCdnowSample } from './clv/cdnow.js';

const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'cdnow');

let engine: DuckDbEngine;
beforeAll(async () => {
  // The raw log through the normal import, one command and no SQL (issue 12): see clv/cdnow.ts.
  engine = await loadCdnowSample();
});
afterAll(async () => {
  await engine?.close();
});

describe('golden: CDNOW calibration summary from the feature view', () => {
  it('loads all 6,919 transactions', async () => {
    expect(await engine.query('SELECT count(*) AS n, round(sum(total), 2) AS v FROM orders')).toEqual([
      { n: 6919, v: 244091.94 },
    ]);
  });

  it('x, t_x and T equal cdnow_customers_summary.csv for all 2,357 customers', async () => {
    const params = await featureParams(engine, '1997-09-30');
    const rows = await engine.query<{
      customer_id: string;
      repeat_order_days: number;
      active_span_days: number;
      tenure_days: number;
    }>(sql`SELECT customer_id, repeat_order_days, active_span_days, tenure_days
      FROM (${featuresSql(engine.dialect, params)}) f`);
    const ours = new Map(rows.map((r) => [Number(r.customer_id), r]));
    const lines = readFileSync(join(DATA, 'cdnow_customers_summary.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1);
    expect(lines).toHaveLength(2357);
    expect(ours.size).toBe(2357);
    const mismatches: string[] = [];
    for (const line of lines) {
      const [id, x, tx, T] = line.split(',').map(Number) as [number, number, number, number];
      const r = ours.get(id);
      const got = r
        ? [r.repeat_order_days, round2(r.active_span_days / 7), round2(r.tenure_days / 7)]
        : ['missing'];
      if (JSON.stringify(got) !== JSON.stringify([x, tx, T]))
        mismatches.push(`${id}: expected ${[x, tx, T]} got ${got}`);
    }
    expect(mismatches).toEqual([]);
    expect(rows.reduce((s, r) => s + r.repeat_order_days, 0)).toBe(2457);
  });
});

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
