import { describe, expect, it } from 'vitest';
import { numericGradient } from '../../shared/optimize.js';
import { gammaGammaLogLikelihood, gammaGammaRowLogLikelihood } from './gamma-gamma.js';

const P = { p: 6.25, q: 3.74, gamma: 15.44 };
const x = [2, 1, 7, 1, 3];
const m = [22.35, 11.77, 73.74, 11.77, 40];

describe('Gamma-Gamma likelihood', () => {
  const data = {
    x: Float64Array.from(x),
    meanSpend: Float64Array.from(m),
    weight: new Float64Array(5).fill(1),
  };
  it('batch log-likelihood equals the sum of per-customer ones', () => {
    const sum = x.reduce((s, xi, i) => s + gammaGammaRowLogLikelihood(P, xi, m[i]!), 0);
    expect(gammaGammaLogLikelihood(P, data)).toBeCloseTo(sum, 10);
  });
  it('has an analytic gradient equal to the numeric one', () => {
    const g = new Float64Array(3);
    gammaGammaLogLikelihood(P, data, g);
    const num = numericGradient(
      (v) => gammaGammaLogLikelihood({ p: v[0]!, q: v[1]!, gamma: v[2]! }, data),
      [P.p, P.q, P.gamma],
    );
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(num[i]!, 5);
  });
});
