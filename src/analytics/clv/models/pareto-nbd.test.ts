/**
 * Pareto/NBD: the analytic gradient of the grouped log-likelihood against central differences of the exact
 * (log-space 2F1) likelihood, on both sides of α = β, at α = β, and where z = |α−β|/(m+y) is so close to 1
 * that the series is too long and that term falls back to differences. P(X(t) = n): sums to 1, its mean is
 * the closed-form E[X(t)], it matches simulation; the CDNOW χ² golden (11.99) is in test/golden/clv.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.js';
import {
  type ParetoNbdParams,
  paretoNbdConditionalProbabilityOfPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchases,
} from './pareto-nbd.js';
import { simulateParetoNbdCustomer } from './simulate.js';
import { createRfSummary, type RfSummary } from './summary.js';

function simulated(n: number): RfSummary {
  const rng = createRng(7);
  const truth: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < n; i++) {
    const Ti = 20 + rng.int(20);
    const times = simulateParetoNbdCustomer(rng, truth, Ti);
    x.push(times.length);
    tx.push(times.length ? times[times.length - 1]! : 0);
    T.push(Ti);
  }
  // A customer whose last purchase falls on the calibration end (t_x = T: the A0 term vanishes).
  x.push(3);
  tx.push(25);
  T.push(25);
  return createRfSummary(x, tx, T);
}

const ll = (v: number[], data: RfSummary) =>
  paretoNbdLogLikelihood({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! }, data);

describe('Pareto/NBD analytic gradient', () => {
  const data = simulated(1500);
  const points: ParetoNbdParams[] = [
    { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, // α < β, z small
    { r: 2.1, alpha: 3, s: 0.3, beta: 40 }, // α < β, z up to 0.93
    { r: 0.3, alpha: 50, s: 2.5, beta: 2 }, // α > β
    { r: 1, alpha: 5, s: 1, beta: 5 }, // α = β (z = 0)
    { r: 0.5, alpha: 0.02, s: 0.4, beta: 30 }, // z = 0.9993 at y = 0: the differences fallback
  ];
  for (const p of points)
    it(`matches central differences at r=${p.r}, α=${p.alpha}, s=${p.s}, β=${p.beta}`, () => {
      const g = new Float64Array(4);
      const value = paretoNbdLogLikelihood(p, data, g);
      expect(value).toBeCloseTo(paretoNbdLogLikelihood(p, data), 8);
      const v = [p.r, p.alpha, p.s, p.beta];
      for (let k = 0; k < 4; k++) {
        const h = 1e-4 * v[k]!;
        const up = v.slice();
        const down = v.slice();
        up[k]! += h;
        down[k]! -= h;
        const numeric = (ll(up, data) - ll(down, data)) / (2 * h);
        // Central differences with h = 1e-4·θ are good to ~1e-5 of the gradient's size here.
        expect(Math.abs(g[k]! - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
      }
    });
});

describe('Pareto/NBD P(X(t) = n)', () => {
  const cdnow: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  const points: ParetoNbdParams[] = [
    cdnow,
    { r: 2.1, alpha: 3, s: 0.3, beta: 40 },
    { r: 0.3, alpha: 50, s: 2.5, beta: 2 },
  ];
  for (const p of points)
    it(`sums to 1 over n and its mean is E[X(t)] (eq. 17) at r=${p.r}, α=${p.alpha}`, () => {
      for (const t of [1, 39, 78]) {
        let sum = 0;
        let mean = 0;
        for (let n = 0; n < 2000; n++) {
          const v = paretoNbdProbabilityOfPurchases(p, t, n);
          expect(v).toBeGreaterThanOrEqual(0);
          sum += v;
          mean += n * v;
          if (n > 20 && v < 1e-17) break;
        }
        // n = 0 comes from the closed form, n ≥ 1 from quadrature: the sum ties the two together.
        expect(Math.abs(sum - 1)).toBeLessThan(1e-10);
        expect(Math.abs(mean - paretoNbdExpectedPurchases(p, t))).toBeLessThan(1e-8);
      }
    });

  it('matches the frequencies of 40,000 simulated customers over 39 weeks', () => {
    const rng = createRng(11);
    const counts = new Map<number, number>();
    const N = 40_000;
    for (let i = 0; i < N; i++) {
      const n = simulateParetoNbdCustomer(rng, cdnow, 39).length;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (let n = 0; n <= 6; n++) {
      const prob = paretoNbdProbabilityOfPurchases(cdnow, 39, n);
      const sd = Math.sqrt((prob * (1 - prob)) / N);
      expect(Math.abs((counts.get(n) ?? 0) / N - prob)).toBeLessThan(4 * sd);
    }
  });

  it('conditional P(Y(t) = n | x, t_x, T) sums to 1 and puts 1 − P(alive) extra on n = 0', () => {
    const [x, tx, T] = [4, 20, 35];
    let sum = 0;
    for (let n = 0; n < 500; n++) sum += paretoNbdConditionalProbabilityOfPurchases(cdnow, 39, n, x, tx, T);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-10);
    const alive = paretoNbdProbabilityAlive(cdnow, x, tx, T);
    const posterior = { r: cdnow.r + x, alpha: cdnow.alpha + T, s: cdnow.s, beta: cdnow.beta + T };
    expect(paretoNbdConditionalProbabilityOfPurchases(cdnow, 39, 0, x, tx, T)).toBeCloseTo(
      1 - alive + alive * paretoNbdProbabilityOfPurchases(posterior, 39, 0),
      12,
    );
  });
});
