import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numericGradient } from '../../shared/optimize.js';
import {
  type BgNbdParams,
  bgNbdConditionalExpectedPurchases,
  bgNbdConditionalProbabilityOfPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdRowLogLikelihood,
} from './bg-nbd.js';
import { createRfSummary } from './summary.js';

const P: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const rows = [
  [0, 0, 38.86],
  [2, 30.43, 38.86],
  [2, 30.43, 38.86],
  [7, 29.43, 38.86],
  [1, 1.71, 38.86],
  [0, 0, 32],
];

describe('BG/NBD likelihood', () => {
  it('summed per-customer log-likelihood equals the grouped (weighted) one', () => {
    const perCustomer = rows.reduce((s, [x, tx, T]) => s + bgNbdRowLogLikelihood(P, x!, tx!, T!), 0);
    const ungrouped = createRfSummary(
      rows.map((r) => r[0]!),
      rows.map((r) => r[1]!),
      rows.map((r) => r[2]!),
    );
    const grouped = createRfSummary(
      [0, 2, 7, 1, 0],
      [0, 30.43, 29.43, 1.71, 0],
      [38.86, 38.86, 38.86, 38.86, 32],
      [1, 2, 1, 1, 1],
    );
    expect(bgNbdLogLikelihood(P, ungrouped)).toBeCloseTo(perCustomer, 10);
    expect(bgNbdLogLikelihood(P, grouped)).toBeCloseTo(perCustomer, 10);
  });

  it('has an analytic gradient equal to the numeric one', () => {
    const data = createRfSummary(
      rows.map((r) => r[0]!),
      rows.map((r) => r[1]!),
      rows.map((r) => r[2]!),
    );
    const g = new Float64Array(4);
    bgNbdLogLikelihood(P, data, g);
    const num = numericGradient(
      (v) => bgNbdLogLikelihood({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, data),
      [P.r, P.alpha, P.a, P.b],
    );
    for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(num[i]!, 5);
  });
});

describe('BG/NBD predictions', () => {
  const customer = fc.tuple(
    fc.integer({ min: 0, max: 60 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0.5, max: 400, noNaN: true }),
  );
  it('P(alive) lies in [0, 1] and predictions are finite and ≥ 0 (property)', () => {
    fc.assert(
      fc.property(customer, ([x, f, T]) => {
        const tx = x === 0 ? 0 : f * T;
        const alive = bgNbdProbabilityAlive(P, x, tx, T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        const e = bgNbdConditionalExpectedPurchases(P, 52, x, tx, T);
        expect(Number.isFinite(e)).toBe(true);
        expect(e).toBeGreaterThanOrEqual(0);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('predictions do not depend on the time unit (weeks vs days)', () => {
    const days: BgNbdParams = { ...P, alpha: P.alpha * 7 };
    for (const [x, tx, T] of rows) {
      expect(bgNbdProbabilityAlive(days, x!, tx! * 7, T! * 7)).toBeCloseTo(
        bgNbdProbabilityAlive(P, x!, tx!, T!),
        12,
      );
      expect(bgNbdConditionalExpectedPurchases(days, 39 * 7, x!, tx! * 7, T! * 7)).toBeCloseTo(
        bgNbdConditionalExpectedPurchases(P, 39, x!, tx!, T!),
        10,
      );
    }
  });

  it('conditional P(Y(t) = n) sums to 1 and its mean is the conditional expectation', () => {
    const [x, tx, T] = [2, 30.43, 38.86];
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 200; n++) {
      const pn = bgNbdConditionalProbabilityOfPurchases(P, 39, n, x, tx, T);
      total += pn;
      mean += n * pn;
    }
    expect(total).toBeCloseTo(1, 8);
    expect(mean).toBeCloseTo(bgNbdConditionalExpectedPurchases(P, 39, x, tx, T), 6);
  });
});
