/**
 * Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987), in the forms of Fader &
 * Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions" (brucehardie.com note
 * 008): likelihood eqs. (19)–(22), P(alive) eq. (18) restated via A0, E[X(t)] eq. (17), and the conditional
 * expectation of Schmittlein et al. (1987, eq. 22).
 *
 * Numerics: the likelihood's second term is a difference of two 2F1/(·)^(r+s+x) terms. We evaluate both in
 * log space (logHyp2f1) and subtract with logSubExp, so large x, T or very unequal α, β do not overflow.
 */
import { gammaln, logAddExp, logHyp2f1, logSubExp } from '../../shared/special.js';
import { cachedIndexByX, type RfSummary, totalWeight } from './summary.js';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * ln A0 of note 008 eq. (21)/(22): ln[ F(t_x)/(m + t_x)^(r+s+x) − F(T)/(m + T)^(r+s+x) ] with
 * m = max(α, β) and F(y) = 2F1(r+s+x, b; r+s+x+1; |α−β|/(m+y)), b = s+1 if α ≥ β else r+x.
 * −∞ when t_x = T (the term vanishes).
 */
export function paretoLogA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return logSubExp(logA0Term(p, x, tx), logA0Term(p, x, T));
}

/** Per-customer log-likelihood (note 008 eq. 22 in log space). */
export function paretoNbdRowLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const a1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta);
  const first = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const second = Math.log(s) - Math.log(r + s + x) + paretoLogA0(p, x, tx, T);
  return a1 + logAddExp(first, second);
}

/** ln F(y)/(m + y)^(r+s+x), the building block of ln A0 (see paretoLogA0). */
function logA0Term(p: ParetoNbdParams, x: number, y: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const big = Math.max(alpha, beta);
  const diff = Math.abs(alpha - beta);
  const b2 = alpha >= beta ? s + 1 : r + x;
  return (diff === 0 ? 0 : logHyp2f1(rsx, b2, rsx + 1, diff / (big + y))) - rsx * Math.log(big + y);
}

/**
 * Weighted log-likelihood. The 2F1 terms dominate the cost: the one at T depends on (x, T) only and the one
 * at t_x = 0 on x only, so both are cached per evaluation; log-gamma terms are computed once per distinct x.
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: RfSummary): number {
  const { r, alpha, s, beta } = p;
  const xi = cachedIndexByX(data.x, data.weight);
  const lgr = gammaln(r);
  const c = Float64Array.from(xi.values, (x) => gammaln(r + x) - lgr);
  const atT: Map<number, number>[] = xi.values.length ? Array.from(xi.values, () => new Map()) : [];
  const atZero = new Float64Array(xi.values.length).fill(Number.NaN);
  let ll = totalWeight(data.weight) * (r * Math.log(alpha) + s * Math.log(beta));
  const lnS = Math.log(s);
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!;
    const T = data.T[i]!;
    const tx = data.tx[i]!;
    const j = xi.slot[i]!;
    let termT = atT[j]!.get(T);
    if (termT === undefined) {
      termT = logA0Term(p, x, T);
      atT[j]!.set(T, termT);
    }
    let termTx: number;
    if (tx === 0) {
      if (Number.isNaN(atZero[j]!)) atZero[j] = logA0Term(p, x, 0);
      termTx = atZero[j]!;
    } else termTx = logA0Term(p, x, tx);
    const first = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const second = lnS - Math.log(r + s + x) + logSubExp(termTx, termT);
    ll += data.weight[i]! * (c[j]! + logAddExp(first, second));
  }
  return ll;
}

/** P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A0). */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const logRatio =
    Math.log(s) -
    Math.log(r + s + x) +
    (r + x) * Math.log(alpha + T) +
    s * Math.log(beta + T) +
    paretoLogA0(p, x, tx, T);
  if (logRatio === Number.NEGATIVE_INFINITY) return 1;
  return 1 / (1 + Math.exp(logRatio));
}

/** [1 − q^(s−1)]/(s − 1) with q = (β+T)/(β+T+t), continuous through s = 1 (where it is −ln q). */
function survivalIntegral(s: number, lnQ: number): number {
  const k = s - 1;
  if (Math.abs(k) < 1e-10) return -lnQ;
  return -Math.expm1(k * lnQ) / k;
}

/** E[Y(t) | x, t_x, T] (Schmittlein et al. 1987 eq. 22): expected purchases in (T, T + t]. */
export function paretoNbdConditionalExpectedPurchases(
  p: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, s, beta } = p;
  if (t <= 0) return 0;
  const lnQ = Math.log((beta + T) / (beta + T + t));
  const rate = ((r + x) * (beta + T)) / (alpha + T);
  return rate * survivalIntegral(s, lnQ) * paretoNbdProbabilityAlive(p, x, tx, T);
}

/** E[X(t)] for a new customer (note 008 eq. 17): rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]. */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = p;
  if (t <= 0) return 0;
  return ((r * beta) / alpha) * survivalIntegral(s, Math.log(beta / (beta + t)));
}

/** Starting points: mean purchase rate for r/α, a moderate dropout rate. */
export function paretoNbdStarts(data: RfSummary): Float64Array[] {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.x.length; i++) {
    sx += data.weight[i]! * data.x[i]!;
    sT += data.weight[i]! * data.T[i]!;
  }
  const n = totalWeight(data.weight);
  const rate = Math.max(sx, 0.1 * n) / Math.max(sT, 1e-9);
  const meanT = sT / Math.max(n, 1);
  return [Float64Array.of(1, 1 / rate, 1, meanT), Float64Array.of(0.5, 0.5 / rate, 0.5, meanT / 2)];
}
