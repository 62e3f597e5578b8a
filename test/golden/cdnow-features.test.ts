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
import { DuckDbEngine, migrate, sql } from '../../src/store/index.js';

const DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'cdnow');

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  // CDNOW_sample.txt: whitespace-separated, no header: master_id sample_id yyyymmdd n_cds dollar_value.
  await engine.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
    SELECT CAST(row_number() OVER () AS VARCHAR), f[2], CAST(strptime(f[3], '%Y%m%d') AS DATE), CAST(f[5] AS DOUBLE),
      'CDNOW_sample.txt', 1
    FROM (SELECT string_split_regex(trim(line), '\\s+') AS f
          FROM read_csv(${join(DATA, 'CDNOW_sample.txt')}, columns = {'line': 'VARCHAR'}, delim = '\x01',
                        header = false, quote = '', escape = ''))`);
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
