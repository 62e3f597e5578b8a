/**
 * Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987), in the forms of Fader &
 * Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions" (brucehardie.com note
 * 008): likelihood eqs. (19)–(22), P(alive) eq. (18) restated via A0, E[X(t)] eq. (17), and the conditional
 * expectation of Schmittlein et al. (1987, eq. 22).
 *
 * Numerics: the likelihood's second term is a difference of two 2F1/(·)^(r+s+x) terms. We evaluate both in
 * log space (logHyp2f1) and subtract with logSubExp, so large x, T or very unequal α, β do not overflow.
 */
import {
  digamma,
  gammaln,
  logAddExp,
  logHyp2f1,
  logHyp2f1WithGradient,
  logSubExp,
} from '../../shared/special.js';
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
 * ln F(y)/(m + y)^(r+s+x) (as logA0Term) and its gradient in (r, α, s, β), written into `out`. With
 * a = r+s+x, c = a+1, z = |α−β|/(m+y), b = s+1 (α ≥ β) or r+x (α < β):
 *   ∂/∂r = ∂a + ∂c [+ ∂b if α < β] − ln(m+y);  ∂/∂s = ∂a + ∂c [+ ∂b if α ≥ β] − ln(m+y);
 *   α ≥ β: ∂/∂α = ∂z·(β+y)/(α+y)² − a/(α+y), ∂/∂β = −∂z/(α+y);  α < β: mirrored.
 * where ∂a … ∂z are the partial derivatives of ln 2F1 (logHyp2f1WithGradient). Both branches give the same
 * derivatives at α = β, as they must (A0 is smooth there). Where the series is too long (z within ~1e-3 of
 * 1), central differences of logA0Term are used for that term only.
 */
function logA0TermWithGradient(p: ParetoNbdParams, x: number, y: number, out: Float64Array): number {
  const { r, alpha, s, beta } = p;
  const a = r + s + x;
  const alphaBig = alpha >= beta;
  const m = alphaBig ? alpha : beta;
  const my = m + y;
  const z = Math.abs(alpha - beta) / my;
  const b2 = alphaBig ? s + 1 : r + x;
  const f = logHyp2f1WithGradient(a, b2, a + 1, z);
  if (!f.converged) return logA0TermByDifferences(p, x, y, out);
  const lnMy = Math.log(my);
  const dac = f.da + f.dc - lnMy;
  if (alphaBig) {
    out[0] = dac;
    out[2] = dac + f.db;
    out[1] = (f.dz * (beta + y)) / (my * my) - a / my;
    out[3] = -f.dz / my;
  } else {
    out[0] = dac + f.db;
    out[2] = dac;
    out[1] = -f.dz / my;
    out[3] = (f.dz * (alpha + y)) / (my * my) - a / my;
  }
  return f.log - a * lnMy;
}

function logA0TermByDifferences(p: ParetoNbdParams, x: number, y: number, out: Float64Array): number {
  const v = [p.r, p.alpha, p.s, p.beta];
  const at = (k: number, h: number) => {
    const q = v.slice();
    q[k]! += h;
    return logA0Term({ r: q[0]!, alpha: q[1]!, s: q[2]!, beta: q[3]! }, x, y);
  };
  for (let k = 0; k < 4; k++) {
    const h = 1e-6 * v[k]!;
    out[k] = (at(k, h) - at(k, -h)) / (2 * h);
  }
  return logA0Term(p, x, y);
}

/**
 * Weighted log-likelihood, and its gradient in (r, α, s, β) when `gradient` is given (analytic: see
 * logA0TermWithGradient). The 2F1 terms dominate the cost. Each depends on (x, y) only, y = T or t_x, so it
 * is computed once per distinct (x, y) pair in an evaluation and reused by every row that shares it (all
 * x = 0 rows share t_x = 0; rows with one first-purchase date share T); log-gamma terms once per distinct x.
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: RfSummary, gradient?: Float64Array): number {
  if (gradient) return paretoNbdLogLikelihoodWithGradient(p, data, gradient);
  const { r, alpha, s, beta } = p;
  const xi = cachedIndexByX(data.x, data.weight);
  const lgr = gammaln(r);
  const c = Float64Array.from(xi.values, (x) => gammaln(r + x) - lgr);
  // The term at y (y = T or t_x) depends on (x, y) only: one cache per distinct x, keyed by y.
  const atY: Map<number, number>[] = Array.from(xi.values, () => new Map());
  const term = (j: number, x: number, y: number): number => {
    let v = atY[j]!.get(y);
    if (v === undefined) {
      v = logA0Term(p, x, y);
      atY[j]!.set(y, v);
    }
    return v;
  };
  let ll = totalWeight(data.weight) * (r * Math.log(alpha) + s * Math.log(beta));
  const lnS = Math.log(s);
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!;
    const T = data.T[i]!;
    const j = xi.slot[i]!;
    const termT = term(j, x, T);
    const termTx = term(j, x, data.tx[i]!);
    const first = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const second = lnS - Math.log(r + s + x) + logSubExp(termTx, termT);
    ll += data.weight[i]! * (c[j]! + logAddExp(first, second));
  }
  return ll;
}

/** The log-likelihood with its analytic gradient (row formulas in the comments below). */
function paretoNbdLogLikelihoodWithGradient(
  p: ParetoNbdParams,
  data: RfSummary,
  gradient: Float64Array,
): number {
  const { r, alpha, s, beta } = p;
  const xi = cachedIndexByX(data.x, data.weight);
  const lgr = gammaln(r);
  const psiR = digamma(r);
  const k = xi.values.length;
  const c = Float64Array.from(xi.values, (x) => gammaln(r + x) - lgr);
  const dcr = Float64Array.from(xi.values, (x) => digamma(r + x) - psiR);
  // Per (x, y) with y = T or t_x: the term's value and its 4 derivatives, in a flat pool.
  const slotY: Map<number, number>[] = Array.from({ length: k }, () => new Map());
  let pool = new Float64Array(5 * 1024);
  let used = 0;
  const g = new Float64Array(4);
  const cacheTerm = (j: number, x: number, y: number): number => {
    const known = slotY[j]!.get(y);
    if (known !== undefined) return known;
    if (5 * (used + 1) > pool.length) {
      const bigger = new Float64Array(pool.length * 2);
      bigger.set(pool);
      pool = bigger;
    }
    const at = used++;
    pool[5 * at] = logA0TermWithGradient(p, x, y, g);
    pool.set(g, 5 * at + 1);
    slotY[j]!.set(y, at);
    return at;
  };
  const W = totalWeight(data.weight);
  const lnAlpha = Math.log(alpha);
  const lnBeta = Math.log(beta);
  let ll = W * (r * lnAlpha + s * lnBeta);
  // Σ w·∂/∂θ of the r ln α + s ln β part.
  let gr = W * lnAlpha;
  let gAlpha = (W * r) / alpha;
  let gs = W * lnBeta;
  let gBeta = (W * s) / beta;
  const lnS = Math.log(s);
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!;
    const T = data.T[i]!;
    const tx = data.tx[i]!;
    const w = data.weight[i]!;
    const j = xi.slot[i]!;
    const kT = cacheTerm(j, x, T);
    const kTx = cacheTerm(j, x, tx);
    const termTx = pool[5 * kTx]!;
    const termT = pool[5 * kT]!;
    const lnAT = Math.log(alpha + T);
    const lnBT = Math.log(beta + T);
    const rsx = r + s + x;
    // first = −(r+x) ln(α+T) − s ln(β+T); second = ln s − ln(r+s+x) + ln A0, ln A0 = ln(e^termTx − e^termT).
    const first = -(r + x) * lnAT - s * lnBT;
    const lnA0 = logSubExp(termTx, termT);
    const second = lnS - Math.log(rsx) + lnA0;
    const z = logAddExp(first, second);
    ll += w * (c[j]! + z);
    // Weights of the two terms in ln(e^first + e^second).
    const w2 = second === Number.NEGATIVE_INFINITY ? 0 : Math.exp(second - z);
    const w1 = 1 - w2;
    let dA0r = 0;
    let dA0a = 0;
    let dA0s = 0;
    let dA0b = 0;
    if (w2 > 0) {
      // ∂ ln A0 = (∂termTx − e^(termT−termTx) ∂termT) / (1 − e^(termT−termTx)).
      const e = Math.exp(termT - termTx);
      const inv = 1 / -Math.expm1(termT - termTx);
      const o = 5 * kT + 1;
      const ox = 5 * kTx + 1;
      dA0r = (pool[ox]! - e * pool[o]!) * inv;
      dA0a = (pool[ox + 1]! - e * pool[o + 1]!) * inv;
      dA0s = (pool[ox + 2]! - e * pool[o + 2]!) * inv;
      dA0b = (pool[ox + 3]! - e * pool[o + 3]!) * inv;
    }
    gr += w * (dcr[j]! + w1 * -lnAT + w2 * (dA0r - 1 / rsx));
    gAlpha += w * (w1 * (-(r + x) / (alpha + T)) + w2 * dA0a);
    gs += w * (w1 * -lnBT + w2 * (1 / s - 1 / rsx + dA0s));
    gBeta += w * (w1 * (-s / (beta + T)) + w2 * dA0b);
  }
  gradient[0] = gr;
  gradient[1] = gAlpha;
  gradient[2] = gs;
  gradient[3] = gBeta;
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

/**
 * P(X(t) = n) for a randomly chosen new customer. Conditioning on the dropout time (Fader & Hardie, note 012
 * derives the same quantity):
 *   P = NB(n; r, α, t)·(β/(β+t))^s + Γ(r+n)/(Γ(r) n!) · α^r s β^s · ∫_0^t τ^n (α+τ)^−(r+n) (β+τ)^−(s+1) dτ,
 * the first term for customers still alive at t, the second for those who dropped out at τ < t having made
 * n purchases by then. The integral has all-positive integrand, so it is evaluated by adaptive Gauss–Legendre
 * quadrature on geometric panels in log space (no cancellation, no overflow at large n or t; ~1e-12 relative), rather than by the
 * note's closed form, which subtracts a sum of 2F1 terms from another and loses digits where P is small.
 * n = 0 has a closed form in the likelihood's A0 term (one 2F1 pair), used for speed: scoring calls it per
 * customer.
 */
export function paretoNbdProbabilityOfPurchases(p: ParetoNbdParams, t: number, n: number): number {
  const { r, alpha, s, beta } = p;
  if (t <= 0) return n === 0 ? 1 : 0;
  if (n === 0) {
    // Closed form: ∫_0^t (α+τ)^−r (β+τ)^−(s+1) dτ = A0(x = 0, t_x = 0, T = t)/(r + s) (note 008).
    const lnDead =
      r * Math.log(alpha) + Math.log(s) + s * Math.log(beta) - Math.log(r + s) + paretoLogA0(p, 0, 0, t);
    return (alpha / (alpha + t)) ** r * (beta / (beta + t)) ** s + Math.exp(lnDead);
  }
  const lnNb = gammaln(r + n) - gammaln(r) - gammaln(n + 1);
  const alive = Math.exp(
    lnNb +
      r * Math.log(alpha / (alpha + t)) +
      (n > 0 ? n * Math.log(t / (alpha + t)) : 0) +
      s * Math.log(beta / (beta + t)),
  );
  const logG = (tau: number) =>
    (n > 0 ? n * Math.log(tau) : 0) - (r + n) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau);
  const lnJ = logIntegral(logG, t);
  const dead = Math.exp(lnNb + r * Math.log(alpha) + Math.log(s) + s * Math.log(beta) + lnJ);
  return alive + dead;
}

/**
 * P(Y(t) = n | x, t_x, T): purchases in (T, T + t]. Alive at T, the posterior is λ ~ Γ(r + x, α + T) and
 * μ ~ Γ(s, β + T) (independent), and the exponential lifetime restarts, so the customer is a new Pareto/NBD
 * customer with those parameters; a dead one buys nothing.
 */
export function paretoNbdConditionalProbabilityOfPurchases(
  p: ParetoNbdParams,
  t: number,
  n: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alive = paretoNbdProbabilityAlive(p, x, tx, T);
  const posterior = { r: p.r + x, alpha: p.alpha + T, s: p.s, beta: p.beta + T };
  return (n === 0 ? 1 - alive : 0) + alive * paretoNbdProbabilityOfPurchases(posterior, t, n);
}

/** 20-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_20, computed once). */
const GAUSS = (() => {
  const m = 20;
  const nodes = new Float64Array(m);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = 0;
      for (let j = 1; j <= m; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
      }
      dp = (m * (z * p0 - p1)) / (z * z - 1);
      const dz = p0 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    nodes[i] = z;
    weights[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { nodes, weights };
})();

/**
 * ln ∫_0^t e^{f(τ)} dτ by adaptive 20-point Gauss–Legendre on geometric panels [t/2^(k+1), t/2^k] (k < 60, plus
 * [0, t/2^60]): the integrands here are sharpest at τ of the size of α or β, which may be tiny next to t, and
 * geometric panels resolve every scale. Scaled by the largest f seen, so nothing overflows.
 */
function logIntegral(f: (tau: number) => number, t: number): number {
  const edges: number[] = [0];
  for (let k = 60; k >= 0; k--) edges.push(t / 2 ** k);
  let scale = Number.NEGATIVE_INFINITY;
  for (let k = 1; k < edges.length; k++)
    for (const u of [0.25, 0.5, 0.75, 1])
      scale = Math.max(scale, f(edges[k - 1]! + u * (edges[k]! - edges[k - 1]!)));
  const panel = (lo: number, hi: number): number => {
    const half = (hi - lo) / 2;
    const mid = (hi + lo) / 2;
    let sum = 0;
    for (let i = 0; i < GAUSS.nodes.length; i++)
      sum += GAUSS.weights[i]! * Math.exp(f(mid + half * GAUSS.nodes[i]!) - scale);
    return sum * half;
  };
  const wholes = edges.slice(1).map((hi, k) => panel(edges[k]!, hi));
  const total = wholes.reduce((a, b) => a + b, 0);
  const adapt = (lo: number, hi: number, whole: number, depth: number): number => {
    const mid = (lo + hi) / 2;
    const left = panel(lo, mid);
    const right = panel(mid, hi);
    if (depth >= 30 || Math.abs(left + right - whole) <= 1e-14 * Math.max(total, left + right))
      return left + right;
    return adapt(lo, mid, left, depth + 1) + adapt(mid, hi, right, depth + 1);
  };
  let sum = 0;
  for (let k = 1; k < edges.length; k++) sum += adapt(edges[k - 1]!, edges[k]!, wholes[k - 1]!, 0);
  return scale + Math.log(sum);
}
