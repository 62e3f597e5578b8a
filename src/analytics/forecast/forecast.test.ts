import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { overview } from '../overview/index.js';
import { createRng } from '../shared/rng.js';
import { forecastCore } from './core.js';
import {
  backtestSeries,
  etsForecast,
  FORECAST_METHODS,
  fitEts,
  forecastSales,
  forecastSeries,
  forecastTable,
  parseForecastParams,
  quantileSorted,
  simulateEts,
  writeForecast,
} from './index.js';
import { AUTO_THREADS_MIN_SERIES, resolveThreads } from './parallel.js';

const PATTERN = [120, 95, 100, 110, 130, 150, 170, 165, 140, 125, 160, 220];
const pureSeasonal = (years: number) => Array.from({ length: 12 * years }, (_, t) => PATTERN[t % 12]!);

/** Seasonal series with trend and noise from a seeded generator. */
function noisy(n: number, seed = 7): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, t) => (100 + 0.8 * t) * (PATTERN[t % 12]! / 140) + 4 * rng.normal());
}

describe('a pure seasonal series is forecast exactly by the seasonal methods', () => {
  const y = pureSeasonal(5);
  it.each(FORECAST_METHODS)('%s', (method) => {
    const f = forecastSeries(y, { period: 12, horizon: 24, method });
    for (let h = 0; h < 24; h++) expect(f.mean[h]! / PATTERN[(60 + h) % 12]!).toBeCloseTo(1, 6);
  });
  it('and by ETS in fast mode (heuristic initial seasons)', () => {
    const f = forecastCore(
      y,
      { period: 12, horizon: 12, level: 0.95, method: 'ets', fast: true },
      createRng(1),
    );
    expect(f.ets!.spec.season).not.toBe('N');
    for (let h = 0; h < 12; h++) expect(f.mean[h]! / PATTERN[(60 + h) % 12]!).toBeCloseTo(1, 6);
  });
});

describe('prediction intervals widen with the horizon', () => {
  const y = noisy(72);
  it.each(FORECAST_METHODS)('%s: wider a season later, at the same point of the season', (method) => {
    const f = forecastSeries(y, { period: 12, horizon: 36, method });
    for (let h = 0; h + 12 < 36; h++) {
      expect(f.upper[h]!).toBeGreaterThan(f.mean[h]!);
      expect(f.lower[h]!).toBeLessThan(f.mean[h]!);
      expect(f.upper[h + 12]! - f.lower[h + 12]!).toBeGreaterThan(f.upper[h]! - f.lower[h]!);
    }
  });
  it('analytic ETS(A,A,A) intervals widen at every step, and simulation agrees with them', () => {
    const model = fitEts(y, { error: 'A', trend: 'A', season: 'A' }, 12)!;
    const a = etsForecast(model, 24, 0.9, createRng(1));
    expect(a.intervals).toBe('analytic');
    for (let h = 1; h < 24; h++)
      expect(a.upper[h]! - a.lower[h]!).toBeGreaterThan(a.upper[h - 1]! - a.lower[h - 1]!);
    // Simulating the same linear model gives the same widths, within Monte Carlo error.
    const draws = simulateEts(model, 24, 20000, createRng(2));
    for (const h of [0, 11, 23]) {
      const column = Float64Array.from({ length: 20000 }, (_, p) => draws[p * 24 + h]!).sort();
      const width = quantileSorted(column, 0.95) - quantileSorted(column, 0.05);
      expect(width / (a.upper[h]! - a.lower[h]!)).toBeCloseTo(1, 1);
    }
  });
});

describe('the backtest never sees future data', () => {
  const y = noisy(60);
  it.each(FORECAST_METHODS)('%s: forecasts at each origin ignore everything after it', (method) => {
    const bt = backtestSeries(y, { period: 12, horizon: 12, method, origins: 3 });
    expect(bt.origins).toHaveLength(3);
    expect(bt.origins.map((o) => o.train)).toEqual([40, 44, 48]);
    for (const o of bt.origins) {
      // Poison everything after the origin: the origin's forecast must not move.
      const poisoned = y.map((v, t) => (t < o.train ? v : v * 1000 + 1e6));
      const again = backtestSeries(poisoned, { period: 12, horizon: 12, method, origins: 3 });
      const same = again.origins.find((p) => p.train === o.train)!;
      expect(same.forecast).toEqual(o.forecast);
      expect(same.benchmark).toEqual(o.benchmark);
      // And it is the forecast made from the training window alone.
      expect(forecastSeries(y.slice(0, o.train), { period: 12, horizon: 12, method }).mean).toEqual(
        o.forecast,
      );
      expect(o.actual).toEqual(y.slice(o.train, o.train + 12));
    }
  });
  it('scores the method against seasonal naive', () => {
    const bt = backtestSeries(noisy(84), { period: 12, horizon: 12, method: 'ets', origins: 3 });
    expect(bt.mase).not.toBeNull();
    expect(bt.relativeMase).toBeCloseTo(bt.mase! / bt.benchmarkMase!, 12);
    expect(bt.verdict).toBe('better');
  });
});

describe('params', () => {
  it('reports every bad field at once', () => {
    expect(() => parseForecastParams({ horizon: 0, level: 2, method: 'arima', frequency: 'year' })).toThrow(
      /horizon[\s\S]*frequency[\s\S]*level[\s\S]*method|frequency[\s\S]*horizon[\s\S]*level[\s\S]*method/,
    );
  });
});

describe('on the datamart and on any table (DuckDB)', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
    await migrate(engine);
    // 36 months × 2 orders: web sells category A, shop sells A and B; one order-level extra discount.
    const orders: string[] = [];
    const lines: string[] = [];
    for (let t = 0; t < 36; t++) {
      const month = `${2022 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
      const price = PATTERN[t % 12]! + t;
      orders.push(
        `('w${t}', 'a', '${month}-10', 'web', 0, 'completed', 't', 0)`,
        `('s${t}', 'b', '${month}-20', 'shop', 5, 'completed', 't', 0)`,
      );
      lines.push(
        `('w${t}', 1, 'pa', 1, ${price}, 0, 0, 't', 0)`,
        `('s${t}', 1, 'pa', 1, ${price / 2}, 0, 0, 't', 0)`,
        `('s${t}', 2, 'pb', 2, 10, 0, 0, 't', 0)`,
      );
    }
    await engine.exec(`
      INSERT INTO customers (customer_id, region, source, load_id) VALUES ('a', 'North', 't', 0), ('b', 'South', 't', 0);
      INSERT INTO products (sku, category_path, unit_cost, source, load_id) VALUES ('pa', 'A > x', 1, 't', 0), ('pb', 'B', 1, 't', 0);
      INSERT INTO orders (order_id, customer_id, order_date, channel, discount, status, source, load_id) VALUES ${orders.join(',')};
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES ${lines.join(',')};
      INSERT INTO orders (order_id, customer_id, order_date, channel, discount, status, total, source, load_id) VALUES ('partial', 'a', '2025-01-03', 'web', 0, 'completed', 999, 't', 0);
      CREATE TABLE visits AS SELECT DATE '2023-01-02' + CAST(i AS INTEGER) AS day, CASE WHEN i % 2 = 0 THEN 'x' ELSE 'y' END AS site,
        CAST(10 + (i % 7) AS DOUBLE) AS n FROM range(0, 140) r(i);
      INSERT INTO visits VALUES (NULL, 'x', 1);`);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('total net revenue per month equals the overview, and the incomplete last month is left out', async () => {
    const r = await forecastSales(engine, { horizon: 6 });
    expect(r.asOf).toBe('2025-01-04');
    expect(r.series).toHaveLength(1);
    const s = r.series[0]!;
    expect(s.history).toHaveLength(36);
    const o = await overview(engine, { asOf: '2025-01-04' });
    for (const m of o.byMonth.filter((x) => x.month < '2025-01'))
      expect(s.history.find((h) => h.date.startsWith(m.month.slice(0, 7)))!.value).toBeCloseTo(m.revenue, 9);
    expect(r.warnings.join(' ')).toMatch(/incomplete month/);
    expect(s.forecast.map((f) => f.date)).toEqual([
      '2025-01-01',
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
      '2025-05-01',
      '2025-06-01',
    ]);
    expect(s.backtest.origins).toBe(3);
    expect(['better', 'similar', 'worse']).toContain(s.backtest.verdict);
  });

  it('per category, channel and region the series add up to the total', async () => {
    const total = (await forecastSales(engine, { horizon: 3, origins: 0 })).series[0]!.history;
    for (const by of ['category', 'channel', 'region'] as const) {
      const r = await forecastSales(engine, { by, horizon: 3, origins: 0 });
      expect(r.series.map((s) => s.series)).toEqual(
        by === 'category' ? ['A', 'B'] : by === 'channel' ? ['shop', 'web'] : ['North', 'South'],
      );
      for (let i = 0; i < total.length; i++) {
        const sum = r.series.reduce(
          (acc, s) => acc + (s.history.find((h) => h.date === total[i]!.date)?.value ?? 0),
          0,
        );
        expect(sum).toBeCloseTo(total[i]!.value, 9);
      }
    }
  });

  it('forecasts any table by week per series and writes series, date, forecast, lower, upper', async () => {
    const r = await forecastTable(engine, {
      table: 'visits',
      date: 'day',
      value: 'n',
      series: 'site',
      frequency: 'week',
      horizon: 4,
    });
    expect(r.series.map((s) => s.series)).toEqual(['x', 'y']);
    expect(r.warnings.join(' ')).toMatch(/1 rows with an empty day or n were left out/);
    expect(r.series[0]!.history[0]!.date).toBe('2023-01-02');
    expect(r.series[0]!.history[0]!.value).toBe(10 + 12 + 14 + 16);
    const n = await writeForecast(engine, r, 'visits_forecast');
    expect(n).toBe(8);
    const rows = await engine.query<Record<string, unknown>>(
      'SELECT * FROM visits_forecast ORDER BY series, date',
    );
    expect(Object.keys(rows[0]!).slice(0, 5)).toEqual(['series', 'date', 'forecast', 'lower', 'upper']);
    expect(rows[0]!.date).toBe(r.series[0]!.forecast[0]!.date);
    for (const row of rows) expect(Number(row.lower)).toBeLessThanOrEqual(Number(row.forecast));
  });

  it('worker threads give the same forecasts as one thread', async () => {
    const options = {
      table: 'visits',
      date: 'day',
      value: 'n',
      series: 'site',
      frequency: 'week' as const,
      horizon: 4,
      fast: true,
    };
    const one = await forecastTable(engine, { ...options, threads: 1 });
    const two = await forecastTable(engine, { ...options, threads: 2 });
    expect(two.warnings).toEqual(one.warnings);
    expect(two.series).toEqual(one.series);
  });

  it('says what is wrong with a missing table', async () => {
    await expect(forecastTable(engine, { table: 'nope', date: 'd', value: 'v' })).rejects.toThrow(
      /table "nope" not found/,
    );
  });
});

describe('automatic worker threads', () => {
  it('uses two threads for many series on a machine with two cores or more, else one', () => {
    expect(parseForecastParams({}).threads).toBe(0);
    expect(resolveThreads(0, 10_000, 2)).toBe(2);
    expect(resolveThreads(0, 10_000, 16)).toBe(2);
    expect(resolveThreads(0, AUTO_THREADS_MIN_SERIES - 1, 16)).toBe(1);
    expect(resolveThreads(0, 10_000, 1)).toBe(1);
    expect(resolveThreads(3, 10, 1)).toBe(3);
  });
});
