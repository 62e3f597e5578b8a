/**
 * Gamma-Gamma model of average transaction value. Fader, Hardie & Lee (2005), "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4):415–430, and Fader &
 * Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (brucehardie.com note 025): the likelihood is
 * note 025 eq. (2) for the mean m_x of x transactions; the conditional mean is eq. (5).
 */
import { digamma, gammaln } from '../../shared/special.js';
import { cachedIndexByX, type SpendSummary } from './summary.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export const GAMMA_GAMMA_PARAM_NAMES = ['p', 'q', 'gamma'] as const;

interface Prepared {
  lnM: Float64Array;
  /** Σ_i w_i x_i ln m_i + Σ w_i x_i ln x_i, Σ_i w_i ln m_i: constant in the parameters. */
  sumXLnMx: number;
  sumLnM: number;
}
const PREPARED = new WeakMap<Float64Array, Prepared>();

function prepare(data: SpendSummary): Prepared {
  let prepared = PREPARED.get(data.meanSpend);
  if (prepared) return prepared;
  const lnM = Float64Array.from(data.meanSpend, Math.log);
  let sumXLnMx = 0;
  let sumLnM = 0;
  for (let i = 0; i < lnM.length; i++) {
    const w = data.weight[i]!;
    const x = data.x[i]!;
    sumXLnMx += w * x * (lnM[i]! + Math.log(x));
    sumLnM += w * lnM[i]!;
  }
  prepared = { lnM, sumXLnMx, sumLnM };
  PREPARED.set(data.meanSpend, prepared);
  return prepared;
}

/**
 * Weighted log-likelihood and its gradient (∂/∂p, ∂/∂q, ∂/∂γ). Only ln(x·m + γ) is computed per row per
 * evaluation; the log-gamma terms depend on x alone and the ln m terms are constants.
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: SpendSummary,
  gradient?: Float64Array,
): number {
  const { p, q, gamma } = params;
  const xi = cachedIndexByX(data.x, data.weight);
  const pre = prepare(data);
  let ll = q * Math.log(gamma) * sumOf(xi.weight) + p * pre.sumXLnMx - pre.sumLnM;
  let gp = pre.sumXLnMx;
  let gq = Math.log(gamma) * sumOf(xi.weight);
  let gg = (q / gamma) * sumOf(xi.weight);
  const lgq = gammaln(q);
  const psiQ = digamma(q);
  for (let j = 0; j < xi.values.length; j++) {
    const x = xi.values[j]!;
    const w = xi.weight[j]!;
    ll += w * (gammaln(p * x + q) - gammaln(p * x) - lgq);
    if (gradient) {
      const psiPxQ = digamma(p * x + q);
      gp += w * x * (psiPxQ - digamma(p * x));
      gq += w * (psiPxQ - psiQ);
    }
  }
  const { x: xs, meanSpend, weight } = data;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = weight[i]!;
    const denom = x * meanSpend[i]! + gamma;
    const lnD = Math.log(denom);
    ll -= w * (p * x + q) * lnD;
    if (gradient) {
      gp -= w * x * lnD;
      gq -= w * lnD;
      gg -= (w * (p * x + q)) / denom;
    }
  }
  if (gradient) {
    gradient[0] = gp;
    gradient[1] = gq;
    gradient[2] = gg;
  }
  return ll;
}

/** Per-customer log-likelihood (note 025 eq. 2), for checks. */
export function gammaGammaRowLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  return (
    gammaln(p * x + q) -
    gammaln(p * x) -
    gammaln(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(m) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(x * m + gamma)
  );
}

/**
 * E[M | x, m_x]: expected average transaction value of a customer with x repeat purchases of mean m_x
 * (note 025 eq. 5); for x = 0 it is the population mean pγ/(q − 1). Requires q > 1.
 */
export function gammaGammaConditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  if (x === 0) return (p * gamma) / (q - 1);
  return (p * (gamma + x * m)) / (p * x + q - 1);
}

/** Starting points: moments of the mean spends give E[m] ≈ pγ/(q−1). */
export function gammaGammaStarts(data: SpendSummary): Float64Array[] {
  let s = 0;
  let w = 0;
  for (let i = 0; i < data.x.length; i++) {
    s += data.weight[i]! * data.meanSpend[i]!;
    w += data.weight[i]!;
  }
  const mean = w > 0 ? s / w : 1;
  return [Float64Array.of(1, 2, mean), Float64Array.of(5, 5, mean), Float64Array.of(1, 1, 1)];
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
