/**
 * Shifted-beta-geometric (sBG) model of contractual retention. Fader & Hardie (2007), "How to Project
 * Customer Retention", Journal of Interactive Marketing 21(1):76–90: churn probability θ ~ Beta(α, β) across
 * customers; P(T = t) and S(t) by the recursions of eqs. (5)–(7); log-likelihood eq. (8) on the survivor
 * counts of one cohort; retention rate r_t = (β + t − 1)/(α + β + t − 1) (eq. 9).
 */
export interface SbgParams {
  alpha: number;
  beta: number;
}

export const SBG_PARAM_NAMES = ['alpha', 'beta'] as const;

/** P(T = t) for t = 1 … n (index t − 1): churn in period t. */
export function sbgChurnProbabilities(p: SbgParams, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = p.alpha / (p.alpha + p.beta);
  for (let t = 2; t <= n; t++) out[t - 1] = ((p.beta + t - 2) / (p.alpha + p.beta + t - 1)) * out[t - 2]!;
  return out;
}

/** S(t) for t = 0 … n: the share of the cohort still active after t periods. */
export function sbgSurvival(p: SbgParams, n: number): Float64Array {
  const churn = sbgChurnProbabilities(p, n);
  const s = new Float64Array(n + 1);
  s[0] = 1;
  for (let t = 1; t <= n; t++) s[t] = s[t - 1]! - churn[t - 1]!;
  return s;
}

/** Retention rate from period t − 1 to t (t ≥ 1): rises with t as the less loyal customers leave. */
export function sbgRetentionRate(p: SbgParams, t: number): number {
  return (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
}

/**
 * Log-likelihood of survivor counts c_0 ≥ c_1 ≥ … ≥ c_n (c_0 = cohort size):
 * Σ_t (c_{t−1} − c_t) ln P(T = t) + c_n ln S(n).
 */
export function sbgLogLikelihood(p: SbgParams, survivors: readonly number[]): number {
  const n = survivors.length - 1;
  const churn = sbgChurnProbabilities(p, n);
  let ll = 0;
  let s = 1;
  for (let t = 1; t <= n; t++) {
    const lost = survivors[t - 1]! - survivors[t]!;
    if (lost > 0) ll += lost * Math.log(churn[t - 1]!);
    s -= churn[t - 1]!;
  }
  const alive = survivors[n]!;
  // S(n) by subtraction can lose digits when it is tiny; the product form is exact.
  if (alive > 0) ll += alive * Math.log(sbgSurvivalAt(p, n, s));
  return ll;
}

function sbgSurvivalAt(p: SbgParams, n: number, bySubtraction: number): number {
  if (bySubtraction > 1e-6) return bySubtraction;
  // S(n) = Π_{t=1..n} r_t.
  let s = 1;
  for (let t = 1; t <= n; t++) s *= sbgRetentionRate(p, t);
  return s;
}

/**
 * Discounted expected residual lifetime of a customer who has renewed n − 1 times (Fader & Hardie 2010,
 * "Customer-Base Valuation in a Contractual Setting", eq. 6), by summing the series to 1e-12.
 * Multiply by the margin per period for the residual CLV.
 */
export function sbgDiscountedResidualLifetime(p: SbgParams, discountRate: number, n: number): number {
  // DERL = Σ_{t≥n} S(t)/S(n−1) · (1+d)^{−(t−n)}, with S(t)/S(t−1) = r_t.
  let total = 0;
  let ratio = 1;
  for (let t = n; t < n + 100_000; t++) {
    ratio *= sbgRetentionRate(p, t);
    const term = ratio / (1 + discountRate) ** (t - n);
    total += term;
    if (term < 1e-12 * total) break;
  }
  return total;
}
