/**
 * Speed work must not change forecasts unnoticed: four fixed monthly series (seeded) are forecast and backtested in
 * fast and default mode, and the point forecasts, interval bounds and backtest MASE must equal recorded figures
 * to a relative tolerance of 1e-9, with the same model selected. `fixed-forecasts.json` holds the figures made
 * before the speed work of issue 15 (commit 7dc97c0; keys `<name>` and `<name> fast`) and those of fast mode
 * since its looser stopping rule (`FAST_ETS.reltol` 1e-5 instead of 1e-8; keys `<name> fast reltol 1e-5`).
 * Default mode still equals the old figures; fast mode equals its new ones, picks the same models as before and
 * stays within 1% of the old forecasts and MASE (2% for the interval bounds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../shared/rng.js';
import { backtestCore, forecastCore } from './core.js';

interface Recorded {
  model: string;
  mean: number[];
  lower: number[];
  upper: number[];
  mase: number;
}

const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixed-forecasts.json'), 'utf8'),
) as Record<string, Recorded>;
const TOLERANCE = 1e-9;

function fixedSeries(): { name: string; y: number[] }[] {
  const rng = createRng(15);
  const kinds = [
    { name: 'seasonal-trend', amp: 0.35, trend: 0.008, noise: 0.05, zero: false },
    { name: 'flat-noisy', amp: 0, trend: 0, noise: 0.12, zero: false },
    { name: 'declining-seasonal', amp: 0.2, trend: -0.006, noise: 0.08, zero: false },
    { name: 'with-a-zero', amp: 0.3, trend: 0.004, noise: 0.06, zero: true },
  ];
  return kinds.map((k) => {
    const y: number[] = [];
    for (let t = 0; t < 60; t++) {
      const v =
        500 *
        (1 + k.trend) ** t *
        (1 + k.amp * Math.sin((2 * Math.PI * t) / 12)) *
        (1 + k.noise * rng.normal());
      y.push(k.zero && t === 30 ? 0 : Math.round(v * 1000) / 1000);
    }
    return { name: k.name, y };
  });
}

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(TOLERANCE * Math.abs(expected[i]!));
}

describe('fixed series give the recorded forecasts (speed work changes nothing unnoticed)', () => {
  const cases = fixedSeries().flatMap((s) => [
    { ...s, fast: true },
    { ...s, fast: false },
  ]);
  const run = (y: number[], fast: boolean) => {
    const opts = { period: 12, horizon: 12, level: 0.95, method: 'combination' as const, fast };
    const f = forecastCore(y, opts, createRng(1));
    const bt = backtestCore(y, { ...opts, origins: 3 }, createRng(2));
    return { f, bt };
  };
  it.each(cases)('$name (fast: $fast)', ({ name, y, fast }) => {
    const recorded = RECORDED[`${name}${fast ? ' fast reltol 1e-5' : ''}`]!;
    const { f, bt } = run(y, fast);
    expect(f.model).toBe(recorded.model);
    close(f.mean, recorded.mean);
    close(f.lower, recorded.lower);
    close(f.upper, recorded.upper);
    close([bt.mase!], [recorded.mase]);
  });
  it.each(fixedSeries())(
    '$name: fast mode stays within 1% (bounds 2%) of its forecasts before the looser stopping rule',
    ({ name, y }) => {
      const before = RECORDED[`${name} fast`]!;
      const { f, bt } = run(y, true);
      expect(f.model).toBe(before.model);
      const within = (a: readonly number[], b: readonly number[], tolerance: number) =>
        a.forEach((v, i) => {
          expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(tolerance * Math.abs(b[i]!));
        });
      within(f.mean, before.mean, 0.01);
      within([bt.mase!], [before.mase], 0.01);
      // The interval bounds move a little more (σ² follows the fit; the lower bound is the smaller number).
      within(f.lower, before.lower, 0.02);
      within(f.upper, before.upper, 0.02);
    },
  );
});
