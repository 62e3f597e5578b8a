/**
 * Golden: BG/NBD and Gamma-Gamma on CDNOW (the 2,357-customer 1/10th sample), from the raw transactions.
 *
 * Dataset: ../shared/data/cdnow/CDNOW_sample.txt, imported with importSource (see cdnow.ts); conventions from its README: calibration ends
 * 1997-09-30, weeks, x = repeat purchase days).
 * Sources:
 * - Fader, Hardie & Lee (2005), Marketing Science 24(2), §7: BG/NBD r = 0.243, α = 4.414, a = 0.793,
 *   b = 2.426, LL = −9582.4.  Tolerance: 0.5 % relative on each parameter, 0.1 on LL.
 * - Fader & Hardie (2013) note 025 / FHL (2005) JMR: Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44 on the 946
 *   customers with x > 0. Tolerance: 0.5 % relative (published to 3 significant figures).
 * - Hardie's note-025 spreadsheet (quoted in lifetimes): E[M | x, m_x] of customers 1–10, given to 2 decimals;
 *   at the full-precision estimates; tolerance 0.01 (half a unit of the last published digit).
 * - Hardie's BG/NBD spreadsheet, as quoted in lifetimes tests: E[X(t)] at t = 0.1429, 1, 3, 31.8571, 32, 78
 *   = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576 (at the fitted parameters, 2F1 as a 150-term partial
 *   sum; tolerance 5e-5, i.e. 4 decimals); customer 1's conditional
 *   expectation over 39 weeks = 1.226; BTYD manual: P(X(39) = 0) = 0.5737864, P(X(2) = 10) = 1.07869e-07.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClvModel,
  fitClv,
  fitClvModels,
  loadCustomerSummary,
} from '../../../src/analytics/clv/index.js';
import {
  type BgNbdParams,
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdProbabilityOfPurchases,
} from '../../../src/analytics/clv/models/bg-nbd.js';
import {
  type GammaGammaParams,
  gammaGammaConditionalExpectedSpend,
} from '../../../src/analytics/clv/models/gamma-gamma.js';
import type { DuckDbEngine } from '../../../src/store/index.js';
import { cdnowId, loadCdnowSample } from './cdnow.js';

const relClose = (actual: number, expected: number, rel: number) =>
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(rel);

let engine: DuckDbEngine;
let bg: ClvModel;
let gg: ClvModel;

beforeAll(async () => {
  engine = await loadCdnowSample();
  bg = await fitClv(engine, { model: 'bgnbd', calibrationEnd: '1997-09-30', unit: 'week' });
  gg = await fitClv(engine, { model: 'gammagamma', calibrationEnd: '1997-09-30', unit: 'week' });
});
afterAll(async () => {
  await engine.close();
});

describe('CDNOW summary from raw transactions', () => {
  it('reproduces the published calibration summary (Σx = 2457, 1411 zero-repeaters, customer 1)', async () => {
    const s = await loadCustomerSummary(engine, {
      calibrationEnd: '1997-09-30',
      holdoutEnd: '1998-06-30',
      unit: 'week',
    });
    expect(s.customerId.length).toBe(2357);
    expect(s.x.reduce((a, b) => a + b, 0)).toBe(2457);
    expect(s.x.filter((v) => v === 0).length).toBe(1411);
    expect(s.xHoldout.reduce((a, b) => a + b, 0)).toBe(1882);
    const i = s.customerId.indexOf(cdnowId(1));
    expect(s.x[i]).toBe(2);
    expect(s.tx[i]).toBeCloseTo(30.43, 2);
    expect(s.T[i]).toBeCloseTo(38.86, 2);
    expect(Math.abs(s.meanSpend[i]! - 22.35)).toBeLessThan(0.0051); // the file rounds 22.345 to 2 decimals
  });
});

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005, §7)', () => {
  it('estimates r, α, a, b within 0.5 % of 0.243, 4.414, 0.793, 2.426 and LL within 0.1 of −9582.4', () => {
    const p = bg.state.params;
    relClose(p.r!, 0.243, 0.005);
    relClose(p.alpha!, 4.414, 0.005);
    relClose(p.a!, 0.793, 0.005);
    relClose(p.b!, 2.426, 0.005);
    expect(Math.abs(bg.state.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    expect(bg.diagnostics.converged).toBe(true);
    expect(bg.state.customers).toBe(2357);
    expect(bg.state.distinctRows).toBeLessThan(2357);
  });

  it('gives standard errors for every parameter', () => {
    for (const name of ['r', 'alpha', 'a', 'b']) {
      const se = bg.state.standardErrors[name];
      expect(se).not.toBeNull();
      expect(se!).toBeGreaterThan(0);
      expect(se!).toBeLessThan(bg.state.params[name]!);
    }
  });

  it("matches Hardie's six spreadsheet E[X(t)] values to 4 decimals", () => {
    // The spreadsheet evaluates E[X(t)] (eq. 9) at its full-precision estimates, i.e. the MLE (at the rounded
    // 0.243/4.414/0.793/2.426 the values are 0.0078, 0.0533, 0.1509, 1.0420, 1.0452, 1.8605 and do not match).
    // Its 2F1 is a partial sum of the series: at t = 78 (z = t/(α+t) = 0.946, slow convergence) the exact
    // value is 1.85797 (mpmath at the MLE) while the sum of the first 148–152 terms gives 1.8576.
    const p = bg.state.params as unknown as BgNbdParams;
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const hardie = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    const spreadsheet = times.map((t) => expectedPurchasesPartialSum(p, t, 150));
    for (let i = 0; i < times.length; i++) expect(Math.abs(spreadsheet[i]! - hardie[i]!)).toBeLessThan(5e-5);
    // Ours (exact 2F1): the first five to 4 decimals; t = 78 equals the converged sum, not the truncated one.
    for (let i = 0; i < 5; i++)
      expect(Math.abs(bgNbdExpectedPurchases(p, times[i]!) - hardie[i]!)).toBeLessThan(5e-5);
    expect(bgNbdExpectedPurchases(p, 78)).toBeCloseTo(expectedPurchasesPartialSum(p, 78, 5000), 10);
  });

  it("reproduces customer 1's conditional expectation (1.226) and BTYD's P(X(t) = n)", () => {
    const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(bgNbdConditionalExpectedPurchases(published, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
    expect(bgNbdProbabilityOfPurchases(published, 39, 0)).toBeCloseTo(0.5737864, 7);
    expect(bgNbdProbabilityOfPurchases(published, 2, 10)).toBeCloseTo(1.07869e-7, 11);
  });
});

/** Eq. 9 with 2F1(r, b; a+b−1; z) summed term by term to `terms` terms, as a spreadsheet does it. */
function expectedPurchasesPartialSum(p: BgNbdParams, t: number, terms: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  let term = 1;
  let sum = 0;
  for (let j = 0; j < terms; j++) {
    sum += term;
    term *= (((r + j) * (b + j)) / ((a + b - 1 + j) * (j + 1))) * z;
  }
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * sum);
}

describe('fitClvModels', () => {
  it('fits BG/NBD and Gamma-Gamma on one shared summary with the same results as two fitClv calls', async () => {
    const [b, g] = await fitClvModels(engine, { calibrationEnd: '1997-09-30', unit: 'week' }, [
      'bgnbd',
      'gammagamma',
    ]);
    // One shared SQL summary vs one query per model: the same sorted rows, so the same optimiser path.
    expect(b!.state.params).toEqual(bg.state.params);
    expect(b!.state.logLikelihood).toBe(bg.state.logLikelihood);
    expect(b!.state.standardErrors).toEqual(bg.state.standardErrors);
    expect(g!.state.params).toEqual(gg.state.params);
    expect(g!.state.logLikelihood).toBe(gg.state.logLikelihood);
    expect(b!.state.customers).toBe(2357);
    expect(g!.state.customers).toBe(946);
  });
});

describe('Gamma-Gamma on CDNOW (Fader & Hardie 2013, note 025)', () => {
  it('estimates p, q, γ within 0.5 % of 6.25, 3.74, 15.44 on the 946 repeat customers', () => {
    const p = gg.state.params;
    relClose(p.p!, 6.25, 0.005);
    relClose(p.q!, 3.74, 0.005);
    relClose(p.gamma!, 15.44, 0.005);
    expect(gg.state.customers).toBe(946);
    expect(gg.diagnostics.converged).toBe(true);
  });

  it("reproduces the spreadsheet's conditional expected average value for the first 10 customers", async () => {
    const s = await loadCustomerSummary(engine, { calibrationEnd: '1997-09-30', unit: 'week' });
    // The sheet uses the full-precision estimates (6.2488, 3.7446, 15.4477), as does this test.
    const fitted = gg.state.params as unknown as GammaGammaParams;
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    for (let id = 1; id <= 10; id++) {
      const i = s.customerId.indexOf(cdnowId(id));
      const x = s.x[i]!;
      const m = x > 0 ? s.meanSpend[i]! : 0;
      expect(Math.abs(gammaGammaConditionalExpectedSpend(fitted, x, m) - expected[id - 1]!)).toBeLessThan(
        0.01,
      );
    }
  });
});
