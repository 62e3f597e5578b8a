/**
 * Pareto/NBD: the analytic gradient of the grouped log-likelihood against central differences of the exact
 * (log-space 2F1) likelihood, on both sides of α = β, at α = β, and where z = |α−β|/(m+y) is so close to 1
 * that the series is too long and that term falls back to differences.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.js';
import { type ParetoNbdParams, paretoNbdLogLikelihood } from './pareto-nbd.js';
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
