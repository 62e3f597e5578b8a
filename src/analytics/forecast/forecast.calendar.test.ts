import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../store/index.js';
import { createRng } from '../shared/rng.js';
import { forecastCore } from './core.js';
import { blackFriday, calendarRegressors, easterSunday, forecastTable } from './index.js';

const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (s: string) => Date.parse(`${s}T00:00:00Z`) / DAY_MS;
const WEEK = [0.8, 0.9, 0.95, 1, 1.1, 1.4, 1.2];
/** The planted effects: Black Friday weekend ×3, Easter ×1.8, 1–24 December ×1.4. */
const PLANTED = { black_friday: 3, easter: 1.8, december: 1.4 };

/** A daily series with a weekly pattern, slow growth, 5% noise and the planted calendar effects. */
function shop(from: string, to: string, seed = 3): { dates: string[]; y: number[] } {
  const rng = createRng(seed);
  const dates: string[] = [];
  const y: number[] = [];
  const x = (d: string) => calendarRegressors([d], 1);
  for (let d = dayOf(from); d < dayOf(to); d++) {
    const date = iso(d);
    const r = x(date);
    const effect =
      1 +
      r[0]![0]! * (PLANTED.december - 1) +
      r[1]![0]! * (PLANTED.easter - 1) +
      r[2]![0]! * (PLANTED.black_friday - 1);
    const weekday = (new Date(d * DAY_MS).getUTCDay() + 6) % 7;
    dates.push(date);
    y.push(1000 * (1 + 0.0002 * (d - dayOf(from))) * WEEK[weekday]! * effect * (1 + 0.05 * rng.normal()));
  }
  return { dates, y };
}

function mae(actual: number[], forecast: number[]): number {
  return actual.reduce((s, a, i) => s + Math.abs(a - forecast[i]!), 0) / actual.length;
}

describe('calendar dates', () => {
  it('Easter and Black Friday fall on the published dates', () => {
    expect(iso(easterSunday(2024))).toBe('2024-03-31');
    expect(iso(easterSunday(2025))).toBe('2025-04-20');
    expect(iso(easterSunday(2026))).toBe('2026-04-05');
    expect(iso(blackFriday(2024))).toBe('2024-11-29');
    expect(iso(blackFriday(2025))).toBe('2025-11-28');
    expect(iso(blackFriday(2026))).toBe('2026-11-27');
  });
  it('weekly regressors are the share of the week in the event', () => {
    // The week of Monday 2024-11-25 holds Black Friday, Saturday and Sunday; the next week Cyber Monday.
    const x = calendarRegressors(['2024-11-25', '2024-12-02'], 7);
    expect(x[2]![0]).toBeCloseTo(3 / 7, 12);
    expect(x[2]![1]).toBeCloseTo(1 / 7, 12);
    expect(x[0]![1]).toBeCloseTo(6 / 7, 12);
  });
});

describe('a daily series with planted Black Friday, December and Easter effects', () => {
  const { dates, y } = shop('2021-09-01', '2025-06-01');
  const run = (origin: string, h: number, calendar: boolean) => {
    const n = dates.indexOf(origin);
    const future = Array.from({ length: h }, (_, i) => iso(dayOf(origin) + i));
    const f = forecastCore(
      y.slice(0, n),
      {
        period: 7,
        horizon: h,
        level: 0.95,
        method: 'ets',
        fast: true,
        ...(calendar
          ? { calendar: { x: calendarRegressors([...dates.slice(0, n), ...future], 1), lag: 7 } }
          : {}),
      },
      createRng(1),
    );
    return { f, actual: y.slice(n, n + h) };
  };

  it('the forecast error over November–December drops with the calendar effects on', () => {
    const on = run('2024-11-01', 56, true);
    const off = run('2024-11-01', 56, false);
    expect(on.f.calendar!.factors.black_friday).toBeGreaterThan(2.6);
    expect(on.f.calendar!.factors.black_friday).toBeLessThan(3.4);
    expect(on.f.calendar!.factors.december).toBeGreaterThan(1.25);
    expect(on.f.calendar!.factors.december).toBeLessThan(1.55);
    expect(off.f.calendar).toBeNull();
    expect(mae(on.actual, on.f.mean)).toBeLessThan(0.6 * mae(off.actual, off.f.mean));
  });

  it('and over the weeks around Easter', () => {
    const on = run('2025-03-20', 42, true);
    const off = run('2025-03-20', 42, false);
    expect(on.f.calendar!.factors.easter).toBeGreaterThan(1.5);
    expect(on.f.calendar!.factors.easter).toBeLessThan(2.1);
    expect(mae(on.actual, on.f.mean)).toBeLessThan(0.8 * mae(off.actual, off.f.mean));
  });
});

describe('forecastTable: calendar effects on by default only with two years of daily or weekly data', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
    const long = shop('2022-01-01', '2024-10-01');
    const short = shop('2023-06-01', '2024-10-01', 4);
    const values = [
      ...long.dates.map((d, i) => `('long', DATE '${d}', ${long.y[i]})`),
      ...short.dates.map((d, i) => `('short', DATE '${d}', ${short.y[i]})`),
    ];
    await engine.exec(`CREATE TABLE sales (shop VARCHAR, day DATE, amount DOUBLE);
      INSERT INTO sales VALUES ${values.join(',')};`);
  });
  afterAll(async () => {
    await engine.close();
  });
  const options = {
    table: 'sales',
    date: 'day',
    value: 'amount',
    series: 'shop',
    frequency: 'day' as const,
    horizon: 70,
    origins: 0,
    method: 'ets' as const,
    fast: true,
  };
  it('auto: the two-year series gets them, the shorter one not; forecasts carry the Black Friday lift', async () => {
    const r = await forecastTable(engine, options);
    const long = r.series.find((s) => s.series === 'long')!;
    const short = r.series.find((s) => s.series === 'short')!;
    expect(long.calendar!.black_friday).toBeGreaterThan(2.5);
    expect(short.calendar).toBeNull();
    const at = (d: string) => long.forecast.find((f) => f.date === d)!.forecast;
    // Black Friday 2024 against the Friday a week before.
    expect(at('2024-11-29') / at('2024-11-22')).toBeGreaterThan(2.2);
  });
  it('off and on', async () => {
    const off = await forecastTable(engine, { ...options, calendar: 'off' });
    expect(off.series.every((s) => s.calendar === null)).toBe(true);
    const on = await forecastTable(engine, { ...options, calendar: 'on' });
    expect(on.series.every((s) => s.calendar !== null)).toBe(true);
  });
});
