import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { seedShop } from '../../../../test/support/shop.js';
import { DuckDbEngine } from '../../../store/index.js';
import { createApp } from '../../http/app.js';
import { createToken } from '../../http/auth.js';

let db: string;
beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'clientele-forecast-')), 'shop.duckdb');
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await engine.exec(`CREATE TABLE web_visits AS SELECT DATE '2024-01-01' + CAST(i AS INTEGER) AS day,
    ['a', 'b'][1 + i % 2] AS site, CAST(100 + 20 * (i % 7) AS DOUBLE) AS visits FROM range(0, 364) r(i)`);
  await engine.close();
});

const cli = cliOn(() => db);

describe('clientele forecast', () => {
  it('forecasts monthly net revenue per channel with a backtest, and prints a table', async () => {
    const r = await cli('forecast', '--by', 'channel', '--horizon', '3', '--origins', '2', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({
      source: 'datamart',
      measure: 'net revenue',
      by: 'channel',
      frequency: 'month',
      horizon: 3,
    });
    expect(r.json.series.map((s: { series: string }) => s.series)).toEqual(['app', 'store', 'web']);
    for (const s of r.json.series) {
      expect(s.forecast).toHaveLength(3);
      expect(s.backtest.origins).toBe(1); // 17 months: only the origin at month 14 leaves one season plus two to fit on
      expect(s.backtest.mase).toBeGreaterThan(0);
    }
    const human = await cli('forecast', '--horizon', '2', '--origins', '1');
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/Forecast of net revenue by month, 2 ahead/);
    expect(human.stdout).toMatch(/verdict/);
  });

  it('forecasts any table per series and writes series, date, forecast, lower, upper', async () => {
    const r = await cli(
      'forecast',
      '--table',
      'web_visits',
      '--date',
      'day',
      '--value',
      'visits',
      '--series',
      'site',
      '--frequency',
      'day',
      '--horizon',
      '14',
      '--method',
      'snaive',
      '--to-table',
      'visits_fc',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    expect(r.json.written).toBe(28);
    const rows = await cli(
      'sql',
      'SELECT series, date, forecast, lower, upper FROM visits_fc ORDER BY series, date LIMIT 2',
      '--json',
    );
    expect(rows.json.rows[0]).toMatchObject({ series: 'a', date: '2024-12-30' });
    // A weekly pattern of a daily series is repeated exactly by seasonal naive.
    expect(rows.json.rows[0].forecast).toBe(r.json.series[0].history.at(-7).value);
  });

  it('refuses contradictory or incomplete flags with a clear message', async () => {
    const a = await cli('forecast', '--table', 'web_visits', '--value', 'visits');
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(/--table needs --date COL and --value COL/);
    const b = await cli('forecast', '--by', 'planet');
    expect(b.stderr).toMatch(/--by: expected one of total, category, channel, region/);
    const c = await cli('forecast', '--method', 'arima');
    expect(c.stderr).toMatch(/--method: expected one of combination, ets, theta, snaive/);
    const d = await cli('forecast', '--calendar', 'sometimes');
    expect(d.exitCode).toBe(2);
    expect(d.stderr).toMatch(/--calendar expected auto, on or off/);
  });

  it('--calendar on estimates calendar effects for a daily table (auto leaves a one-year series alone)', async () => {
    const args = [
      'forecast',
      '--table',
      'web_visits',
      '--date',
      'day',
      '--value',
      'visits',
      '--frequency',
      'day',
    ];
    const more = ['--horizon', '7', '--method', 'snaive', '--origins', '0', '--json'];
    const auto = await cli(...args, ...more);
    expect(auto.json.series[0].calendar).toBeNull();
    const on = await cli(...args, ...more, '--calendar', 'on');
    expect(on.exitCode).toBe(0);
    expect(Object.keys(on.json.series[0].calendar).sort()).toEqual(['black_friday', 'december', 'easter']);
    // No calendar pattern was planted in these visits: the effects stay near 1.
    for (const f of Object.values(on.json.series[0].calendar) as number[])
      expect(Math.abs(f - 1)).toBeLessThan(0.25);
  });
});

describe('clientele sales', () => {
  it('prints the cube by channel against the previous period and last year', async () => {
    const r = await cli('sales', '--by', 'channel', '--from', '2026-01-01', '--to', '2026-04-01', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.windows.lastYear).toEqual({ from: '2025-01-01', to: '2025-04-01' });
    expect(r.json.rows.map((x: { key: string }) => x.key).sort()).toEqual(['app', 'store', 'web']);
    const human = await cli('sales', '--by', 'weekday', '--from', '2026-01-01', '--to', '2026-04-01');
    expect(human.stdout).toMatch(/By weekday:/);
    const bad = await cli('sales', '--by', 'planet');
    expect(bad.stderr).toMatch(/--by expected one of product, category, channel/);
  });
});

describe('clientele cohorts', () => {
  it('prints a retention triangle and returns it as JSON', async () => {
    const r = await cli(
      'cohorts',
      '--by',
      'first_channel',
      '--metric',
      'revenue',
      '--periods',
      '6',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    expect(r.json.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual(['app', 'store', 'web']);
    expect(r.json.cohorts[0].values).toHaveLength(6);
    const human = await cli('cohorts', '--rates', '--periods', '3');
    expect(human.stdout).toMatch(/Cohorts by first_order_month, customers per cohort customer/);
    expect(human.stdout).toMatch(/100\.0%/);
    const bad = await cli('cohorts', '--by', 'planet');
    expect(bad.stderr).toMatch(/--by expected one of first_order_month, first_channel, first_category/);
  });
});

describe('GET /api/forecast', () => {
  let engine: DuckDbEngine;
  let app: Awaited<ReturnType<typeof createApp>>;
  let token: string;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
    await seedShop(engine);
    app = await createApp(engine, { log: () => undefined });
    token = (await createToken(engine, 'viewer', 'viewer')).token;
  });
  afterAll(async () => {
    await engine.close();
  });
  it('returns per-category forecasts with intervals and backtests for a viewer', async () => {
    const res = await app.app.request('/api/forecast?by=category&horizon=4&origins=1', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the body is checked field by field
    const body: any = await res.json();
    expect(body.series.map((s: { series: string }) => s.series)).toEqual(['Home', 'Men', 'Women']);
    for (const s of body.series)
      for (const f of s.forecast) expect(f.lower <= f.forecast && f.forecast <= f.upper).toBe(true);
    const bad = await app.app.request('/api/forecast?by=planet', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
  });

  it('GET /api/sales returns the cube for a viewer', async () => {
    const res = await app.app.request('/api/sales?by=category&from=2026-01-01&to=2026-04-01&grain=month', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the body is checked field by field
    const body: any = await res.json();
    expect(body.rows.map((r: { key: string }) => r.key).sort()).toEqual(['Home', 'Men', 'Women']);
    expect(body.trend.map((r: { period: string }) => r.period)).toContain('2026-03-01');
  });

  it('GET /api/cohorts returns triangles for a viewer', async () => {
    const res = await app.app.request('/api/cohorts?by=first_category&metric=margin&periods=4', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the body is checked field by field
    const body: any = await res.json();
    expect(body.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual(['Home', 'Men', 'Women']);
    expect(body.cohorts[0].rates[0]).toBeGreaterThan(0); // margin per cohort customer in the first month
  });
});
