/**
 * Benchmarks: the (seasonal) naive method, ŷ_{n+h} = y_{n+h−m·⌈h/m⌉}, with the random-walk intervals of
 * `forecast::snaive`: σ²·(⌊(h − 1)/m⌋ + 1), σ² the mean squared lag-m difference; and the mean method.
 */
import type { IntervalForecast } from './ets.js';
import { normalQuantile } from './normal.js';

/** Seasonal naive with lag m (m = 1: the naive method). Needs at least m observations. */
export function naiveForecast(y: ArrayLike<number>, m: number, h: number, level: number): IntervalForecast {
  const n = y.length;
  const lag = Math.max(1, Math.min(m, n));
  const mean = new Float64Array(h);
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  let ss = 0;
  let count = 0;
  for (let t = lag; t < n; t++) {
    ss += (y[t]! - y[t - lag]!) ** 2;
    count++;
  }
  const sigma2 = count > 0 ? ss / count : 0;
  const z = normalQuantile(0.5 + level / 2);
  for (let i = 0; i < h; i++) {
    const f = y[n - lag + (i % lag)]!;
    const se = Math.sqrt(sigma2 * (Math.floor(i / lag) + 1));
    mean[i] = f;
    lower[i] = f - z * se;
    upper[i] = f + z * se;
  }
  return { mean, lower, upper, intervals: 'analytic' };
}

/** The mean method: every horizon forecast by the sample mean. */
export function meanForecast(y: ArrayLike<number>, h: number): Float64Array {
  let s = 0;
  for (let t = 0; t < y.length; t++) s += y[t]!;
  return new Float64Array(h).fill(s / y.length);
}
