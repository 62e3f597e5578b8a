/**
 * Property tests on simulated data: parameters are recovered within their standard errors, the per-customer
 * likelihood sums to the grouped one, predictions do not depend on the time unit, P(alive) stays in [0, 1].
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.js';
import { fitCore } from '../core.js';
import type { BgNbdParams } from './bg-nbd.js';
import { gammaGammaLogLikelihood } from './gamma-gamma.js';
import {
  type ParetoNbdParams,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdRowLogLikelihood,
} from './pareto-nbd.js';
import { simulateBgNbdCustomer, simulateParetoNbdCustomer, simulateSpend } from './simulate.js';
import { createRfSummary, indexByX } from './summary.js';

const opts = { calibrationEnd: '', penalizer: 0, maxIterations: 1000 };

/** Customers with T spread over 30–39 units (first purchases over ~9 units, as in CDNOW). */
function simulate(n: number, seed: number, draw: (rng: ReturnType<typeof createRng>, T: number) => number[]) {
  const rng = createRng(seed);
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < n; i++) {
    const Ti = 30 + rng.int(10);
    const times = draw(rng, Ti);
    x.push(times.length);
    tx.push(times.length ? times[times.length - 1]! : 0);
    T.push(Ti);
  }
  return createRfSummary(x, tx, T);
}

function withinSe(
  est: Record<string, number>,
  se: Record<string, number | null>,
  truth: Record<string, number>,
) {
  for (const [name, value] of Object.entries(truth)) {
    const s = se[name];
    expect(s, `SE of ${name}`).not.toBeNull();
    // 3 standard errors: a 99.7 % interval; the seed is fixed so the test is deterministic.
    expect(Math.abs(est[name]! - value), `${name}: ${est[name]} vs ${value} ± ${s}`).toBeLessThan(3 * s!);
  }
}

describe('parameter recovery on 10,000 simulated customers (seeded)', () => {
  it('BG/NBD recovers r, α, a, b', () => {
    const truth: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const data = simulate(10_000, 11, (rng, T) => simulateBgNbdCustomer(rng, truth, T));
    const fit = fitCore({ rf: data }, { model: 'bgnbd', ...opts });
    withinSe(fit.state.params, fit.state.standardErrors, { ...truth });
  });

  it('Pareto/NBD recovers r, α, s, β', () => {
    const truth: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const data = simulate(10_000, 12, (rng, T) => simulateParetoNbdCustomer(rng, truth, T));
    // Group to distinct (x, t_x, T) rows is what fitClv does in SQL; here we fit per customer.
    const fit = fitCore({ rf: data }, { model: 'pareto', ...opts });
    withinSe(fit.state.params, fit.state.standardErrors, { ...truth });
  });

  it('Gamma-Gamma recovers p, q, γ', () => {
    const truth = { p: 6.25, q: 3.74, gamma: 15.44 };
    const rng = createRng(13);
    const x: number[] = [];
    const m: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const count = 1 + rng.int(6);
      const values = simulateSpend(rng, truth, count);
      x.push(count);
      m.push(values.reduce((a, b) => a + b, 0) / count);
    }
    const spend = {
      x: Float64Array.from(x),
      meanSpend: Float64Array.from(m),
      weight: new Float64Array(x.length).fill(1),
    };
    const fit = fitCore({ spend }, { model: 'gammagamma', ...opts });
    withinSe(fit.state.params, fit.state.standardErrors, truth);
    expect(Number.isFinite(gammaGammaLogLikelihood(truth, spend))).toBe(true);
  });
});

describe('Pareto/NBD properties', () => {
  const P: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  it('summed per-customer log-likelihood equals the grouped one', () => {
    const data = simulate(500, 5, (rng, T) => simulateParetoNbdCustomer(rng, P, T));
    let perCustomer = 0;
    for (let i = 0; i < data.x.length; i++)
      perCustomer += paretoNbdRowLogLikelihood(P, data.x[i]!, data.tx[i]!, data.T[i]!);
    // Group identical rows and weight them.
    const keys = new Map<string, number>();
    const gx: number[] = [];
    const gtx: number[] = [];
    const gT: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < data.x.length; i++) {
      const k = `${data.x[i]}|${data.tx[i]}|${data.T[i]}`;
      const j = keys.get(k);
      if (j === undefined) {
        keys.set(k, gx.length);
        gx.push(data.x[i]!);
        gtx.push(data.tx[i]!);
        gT.push(data.T[i]!);
        w.push(1);
      } else w[j]! += 1;
    }
    expect(gx.length).toBeLessThan(500);
    expect(indexByX(Float64Array.from(gx), Float64Array.from(w)).weight.reduce((a, b) => a + b, 0)).toBe(500);
    expect(paretoNbdLogLikelihood(P, createRfSummary(gx, gtx, gT, w))).toBeCloseTo(perCustomer, 8);
  });

  it('P(alive) is in [0, 1], predictions are finite and invariant to the time unit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (x, f, T) => {
          const tx = x === 0 ? 0 : f * T;
          const alive = paretoNbdProbabilityAlive(P, x, tx, T);
          expect(alive).toBeGreaterThanOrEqual(0);
          expect(alive).toBeLessThanOrEqual(1);
          const weeks = paretoNbdConditionalExpectedPurchases(P, 39, x, tx, T);
          expect(Number.isFinite(weeks)).toBe(true);
          const days = paretoNbdConditionalExpectedPurchases(
            { ...P, alpha: P.alpha * 7, beta: P.beta * 7 },
            39 * 7,
            x,
            tx * 7,
            T * 7,
          );
          expect(Math.abs(days - weeks)).toBeLessThanOrEqual(1e-8 * Math.max(1, weeks));
        },
      ),
      { seed: 3, numRuns: 150 },
    );
  });

  it('stays finite at extreme x, T and very unequal α, β', () => {
    for (const p of [P, { r: 2, alpha: 0.01, s: 0.5, beta: 5000 }, { r: 0.1, alpha: 8000, s: 3, beta: 0.02 }])
      for (const [x, tx, T] of [
        [0, 0, 1e4],
        [500, 999, 1000],
        [2000, 10, 5000],
        [1, 0.001, 0.002],
      ] as const) {
        const ll = paretoNbdRowLogLikelihood(p, x, tx, T);
        expect(Number.isFinite(ll), `${JSON.stringify(p)} ${x} ${tx} ${T}: ${ll}`).toBe(true);
        const alive = paretoNbdProbabilityAlive(p, x, tx, T);
        expect(alive >= 0 && alive <= 1).toBe(true);
      }
  });
});
