/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing.
 * Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD
 * Model", Marketing Science 24(2):275–284. Equation numbers refer to that paper; the conditional
 * P(Y(t) = n) follows from the posterior argument of its §4 (alive at T ⇒ λ ~ Γ(r+x, α+T), p ~ B(a, b+x)).
 */
import { betaln, digamma, gammaln, logAddExp, logHyp2f1 } from '../../shared/special.js';
import { cachedIndexByX, type RfSummary, totalWeight } from './summary.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export const BG_NBD_PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/**
 * Log-likelihood (eq. 6, summed over rows with weights) and its gradient with respect to the natural
 * parameters when `gradient` is given. Terms that depend on x only are computed once per distinct x.
 */
export function bgNbdLogLikelihood(p: BgNbdParams, data: RfSummary, gradient?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const xi = cachedIndexByX(data.x, data.weight);
  const k = xi.values.length;
  const c = new Float64Array(k);
  const dcr = new Float64Array(k);
  const dca = new Float64Array(k);
  const dcb = new Float64Array(k);
  const logBx1 = new Float64Array(k);
  const lnAlpha = Math.log(alpha);
  const base = -gammaln(r) + r * lnAlpha + gammaln(a + b) - gammaln(b);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  for (let j = 0; j < k; j++) {
    const x = xi.values[j]!;
    c[j] = base + gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x);
    if (gradient) {
      const psiABX = digamma(a + b + x);
      dcr[j] = digamma(r + x) - psiR + lnAlpha;
      dca[j] = psiAB - psiABX;
      dcb[j] = digamma(b + x) - psiB + psiAB - psiABX;
    }
    logBx1[j] = x > 0 ? Math.log(b + x - 1) : 0;
  }
  const lnA = Math.log(a);
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  const { x: xs, tx, T, weight } = data;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = weight[i]!;
    const j = xi.slot[i]!;
    const lnAT = Math.log(alpha + T[i]!);
    const a3 = -(r + x) * lnAT;
    let z = a3;
    let w4 = 0;
    let lnAtx = 0;
    if (x > 0) {
      lnAtx = Math.log(alpha + tx[i]!);
      const a4 = lnA - logBx1[j]! - (r + x) * lnAtx;
      z = logAddExp(a3, a4);
      w4 = Math.exp(a4 - z);
    }
    ll += w * (c[j]! + z);
    if (gradient) {
      const w3 = 1 - w4;
      gr += w * (dcr[j]! - w3 * lnAT - w4 * lnAtx);
      gAlpha += w * (r / alpha - (r + x) * (w3 / (alpha + T[i]!) + (x > 0 ? w4 / (alpha + tx[i]!) : 0)));
      ga += w * (dca[j]! + w4 / a);
      gb += w * (dcb[j]! - (x > 0 ? w4 / (b + x - 1) : 0));
    }
  }
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = gAlpha;
    gradient[2] = ga;
    gradient[3] = gb;
  }
  return ll;
}

/** Per-row log-likelihood (unweighted), for checks and per-customer diagnostics. */
export function bgNbdRowLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const c = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + betaln(a, b + x) - betaln(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return c + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return c + logAddExp(a3, a4);
}

/** E[X(t)], expected purchases in (0, t] for a randomly chosen new customer (eq. 9). */
export function bgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const logF = logHyp2f1(r, b, a + b - 1, t / (alpha + t));
  const term = Math.exp(r * Math.log(alpha / (alpha + t)) + logF);
  return ((a + b - 1) / (a - 1)) * (1 - term);
}

/** P(alive | x, t_x, T) (eq. in §5; equals 1 for x = 0 under the BG/NBD's dropout-after-purchase rule). */
export function bgNbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = p;
  const logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] for a customer with that history (eq. 10). */
export function bgNbdConditionalExpectedPurchases(
  p: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const logF = logHyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const inner = Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t)) + logF);
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - inner);
  return numerator * bgNbdProbabilityAlive(p, x, tx, T);
}

/** P(X(t) = n) for a randomly chosen new customer (eq. 8). */
export function bgNbdProbabilityOfPurchases(p: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = p;
  const lnq = Math.log(alpha / (alpha + t));
  const lnz = Math.log(t / (alpha + t));
  const first = Math.exp(
    betaln(a, b + n) - betaln(a, b) + gammaln(r + n) - gammaln(r) - gammaln(n + 1) + r * lnq + n * lnz,
  );
  if (n === 0) return first;
  // Σ_{j<n} Γ(r+j)/(Γ(r) j!) z^j, by the term ratio (r+j)/(j+1)·z.
  let term = 1;
  let sum = 1;
  const z = Math.exp(lnz);
  for (let j = 1; j < n; j++) {
    term *= ((r + j - 1) / j) * z;
    sum += term;
  }
  const second = Math.exp(betaln(a + 1, b + n - 1) - betaln(a, b)) * (1 - Math.exp(r * lnq) * sum);
  return first + second;
}

/**
 * P(Y(t) = n | x, t_x, T): purchases in (T, T + t]. A customer who is alive at T behaves like a new
 * BG/NBD customer with posterior parameters (r + x, α + T, a, b + x); a dead one buys nothing.
 */
export function bgNbdConditionalProbabilityOfPurchases(
  p: BgNbdParams,
  t: number,
  n: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alive = bgNbdProbabilityAlive(p, x, tx, T);
  const posterior = { r: p.r + x, alpha: p.alpha + T, a: p.a, b: p.b + x };
  return (n === 0 ? 1 - alive : 0) + alive * bgNbdProbabilityOfPurchases(posterior, t, n);
}

/** Method-of-moments-style starting point: r, α from the mean purchase rate, a = 1, b = 1. */
export function bgNbdStart(data: RfSummary): BgNbdParams {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.x.length; i++) {
    sx += data.weight[i]! * data.x[i]!;
    sT += data.weight[i]! * data.T[i]!;
  }
  const n = totalWeight(data.weight);
  const rate = Math.max(sx, 0.1 * n) / Math.max(sT, 1e-9);
  return { r: 1, alpha: 1 / rate, a: 1, b: 1 };
}
