/**
 * Golden test: forecast accuracy on the fpp2 sales series against the figures published in Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", 2nd ed. (2018), OTexts, as listed in
 * ../shared/data/fpp2-sales/README.md (series exported from the fpp2 R package, GPL-3).
 *
 * 1. Sec. 3.4 (ausbeer, train 1992Q1–2007Q4, test 2008Q1–2010Q2): the book's accuracy table for the mean,
 *    naive and seasonal naive methods: all 12 numbers, to the printed 2 decimals.
 * 2. Sec. 8.9 (h02, train 180 months, test 24): seasonal naive RMSE/MAE/MAPE/MASE; and our ETS, Theta and
 *    combination against the published seasonal ARIMA table (test RMSE 0.0622 … 0.0679).
 * 3. Sec. 12.4 (auscafe, train to 2012-09, test 60 months): `ets(train)` test RMSE 0.1370 published; ours
 *    reaches a higher likelihood for the same class of model and lands within 20% of it (see the module README
 *    for why an exact match is not expected: the optimiser's stopping point decides the third decimal).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  forecastSeries,
  maseScale,
  meanForecast,
  naiveForecast,
} from '../../../src/analytics/forecast/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DIR = [
  join(ROOT, '..', 'shared', 'data', 'fpp2-sales'),
  join(ROOT, '..', '..', 'shared', 'data', 'fpp2-sales'),
].find(existsSync);
if (!DIR)
  throw new Error('fpp2-sales data not found: expected ../shared/data/fpp2-sales next to the repository');

function load(file: string): number[] {
  return readFileSync(join(DIR!, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]));
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

describe('fpp2 Sec. 3.4: ausbeer benchmark table (reproduced exactly)', () => {
  const y = load('ausbeer.csv');
  it('has the fingerprint of the README', () => {
    expect(y).toHaveLength(218);
    expect(y.reduce((s, v) => s + v, 0)).toBe(90551);
  });
  // 1956Q1 is index 0: 1992Q1 = 144, 2007Q4 = 207, test 208 … 217.
  const train = y.slice(144, 208);
  const test = y.slice(208, 218);
  const scale = maseScale(train, 4);
  const table = {
    mean: accuracy(test, meanForecast(train, 10), scale),
    naive: accuracy(test, naiveForecast(train, 1, 10, 0.95).mean, scale),
    snaive: accuracy(test, naiveForecast(train, 4, 10, 0.95).mean, scale),
  };
  it.each([
    ['mean', 38.45, 34.83, 8.28, 2.44],
    ['naive', 62.69, 57.4, 14.18, 4.01],
    ['snaive', 14.31, 13.4, 3.17, 0.94],
  ] as const)('%s: RMSE %f MAE %f MAPE %f MASE %f', (name, rmse, mae, mape, mase) => {
    const a = table[name];
    expect([round(a.rmse, 2), round(a.mae, 2), round(a.mape, 2), round(a.mase, 2)]).toEqual([
      rmse,
      mae,
      mape,
      mase,
    ]);
  });
});

describe('fpp2 Sec. 8.9: h02 corticosteroid sales, 24-month test', () => {
  const y = load('h02.csv');
  const train = y.slice(0, 180);
  const test = y.slice(180);
  const scale = maseScale(train, 12);
  it('seasonal naive matches the README figures (RMSE 0.0754, MAE 0.0555, MAPE 6.34%, MASE 0.929)', () => {
    const a = accuracy(test, naiveForecast(train, 12, 24, 0.95).mean, scale);
    expect([round(a.rmse, 4), round(a.mae, 4), round(a.mape, 2), round(a.mase, 3)]).toEqual([
      0.0754, 0.0555, 6.34, 0.929,
    ]);
    expect(round(accuracy(test, naiveForecast(train, 1, 24, 0.95).mean, scale).rmse, 4)).toBe(0.2513);
  });
  it('the combination is as accurate as the published seasonal ARIMA models (RMSE within 0.0622 … 0.0679)', () => {
    const f = forecastSeries(train, { period: 12, horizon: 24, method: 'combination', seed: 1 });
    const a = accuracy(test, f.mean, scale);
    expect(a.rmse).toBeLessThan(0.0679);
    expect(a.rmse).toBeLessThan(0.0754); // and beats seasonal naive
    expect(round(a.rmse, 4)).toBe(0.0668);
  });
  it('ETS and Theta alone beat seasonal naive on RMSE', () => {
    for (const method of ['ets', 'theta'] as const) {
      const f = forecastSeries(train, { period: 12, horizon: 24, method, seed: 1 });
      expect(accuracy(test, f.mean, scale).rmse).toBeLessThan(0.0754);
    }
  });
});

describe('fpp2 Sec. 12.4: auscafe eating-out expenditure, 60-month test', () => {
  const y = load('auscafe.csv');
  const train = y.slice(0, 366);
  const test = y.slice(366);
  const scale = maseScale(train, 12);
  it('benchmarks match the README (seasonal naive RMSE 0.5693, MAPE 14.72%; naive RMSE 0.5349)', () => {
    const s = accuracy(test, naiveForecast(train, 12, 60, 0.95).mean, scale);
    expect([round(s.rmse, 4), round(s.mape, 2)]).toEqual([0.5693, 14.72]);
    expect(round(accuracy(test, naiveForecast(train, 1, 60, 0.95).mean, scale).rmse, 4)).toBe(0.5349);
  });
  it('automatic ETS picks a multiplicative-season model and lands within 20% of the published 0.1370', () => {
    const f = forecastSeries(train, { period: 12, horizon: 60, method: 'ets', seed: 1 });
    expect(f.model).toBe('ETS(M,A,M)');
    const rmse = accuracy(test, f.mean, scale).rmse;
    expect(Math.abs(rmse - 0.137) / 0.137).toBeLessThan(0.2);
    expect(rmse).toBeLessThan(0.5349 / 3);
  });
});
