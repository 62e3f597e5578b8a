/**
 * Special functions for the likelihoods of the customer-base models: log-gamma, digamma, log-beta (from
 * @stdlib, accurate to machine precision) and a Gauss hypergeometric 2F1 evaluated in log space.
 *
 * Why our own 2F1: the Pareto/NBD likelihood and the BG/NBD expectations need 2F1(a, b; c; z) with a and b
 * in the hundreds (a = r + x grows with the purchase count) and z close to 1 (long horizons, or α and β of
 * very different sizes). The plain value then overflows double precision long before its logarithm is
 * large, so we sum the series with a running scale and return ln 2F1. Near z = 1 we switch to the linear
 * transformation z → 1 − z (Abramowitz & Stegun 15.3.6), whose two series converge fast there.
 */
import betalnImpl from '@stdlib/math-base-special-betaln';
import digammaImpl from '@stdlib/math-base-special-digamma';
import gammalnImpl from '@stdlib/math-base-special-gammaln';

/** ln Γ(x) (for x < 0: ln |Γ(x)|). */
export const gammaln: (x: number) => number = gammalnImpl;
/** ψ(x) = d/dx ln Γ(x). */
export const digamma: (x: number) => number = digammaImpl;
/** ln B(a, b). */
export const betaln: (a: number, b: number) => number = betalnImpl;

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(e^a − e^b) for a ≥ b; −∞ when they are equal, NaN when a < b. */
export function logSubExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a < b) return Number.NaN;
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + Math.log(-Math.expm1(b - a));
}

/** A real number as (sign, ln |value|): sign is −1, 0 or 1. */
export interface SignedLog {
  sign: number;
  log: number;
}

/** ln |Γ(x)| with the sign of Γ(x); Γ has poles at 0, −1, −2 … where 1/Γ = 0 (sign 0, log +∞). */
export function gammalnSigned(x: number): SignedLog {
  if (x <= 0 && Number.isInteger(x)) return { sign: 0, log: Number.POSITIVE_INFINITY };
  const sign = x > 0 || Math.floor(x) % 2 === 0 ? 1 : -1;
  return { sign, log: gammaln(x) };
}

/** Adds two signed logs. */
function signedAdd(p: SignedLog, q: SignedLog): SignedLog {
  if (p.sign === 0) return q;
  if (q.sign === 0) return p;
  if (p.sign === q.sign) return { sign: p.sign, log: logAddExp(p.log, q.log) };
  if (p.log === q.log) return { sign: 0, log: Number.NEGATIVE_INFINITY };
  return p.log > q.log
    ? { sign: p.sign, log: logSubExp(p.log, q.log) }
    : { sign: q.sign, log: logSubExp(q.log, p.log) };
}

const SERIES_MAX_TERMS = 200_000;

/**
 * The hypergeometric series Σ (a)_n (b)_n / ((c)_n n!) z^n as a signed log, for |z| < 1. The partial sum
 * is kept relative to a running scale so that terms of size 1e300 and more neither overflow nor lose the
 * small terms that follow them.
 */
export function hyp2f1SeriesSigned(a: number, b: number, c: number, z: number): SignedLog {
  return seriesWithCap(a, b, c, z, SERIES_MAX_TERMS);
}

/** The series as in hyp2f1SeriesSigned, stopped after `maxTerms`; `converged` says whether it got there. */
function seriesWithCap(
  a: number,
  b: number,
  c: number,
  z: number,
  maxTerms: number,
): SignedLog & { converged: boolean } {
  let converged = false;
  let scale = 0;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    const absTerm = term < 0 ? -term : term;
    const absSum = sum < 0 ? -sum : sum;
    if (absTerm <= 1e-17 * absSum && ratio < 1 && ratio > -1) {
      converged = true;
      break;
    }
    if (absSum > 1e250 || absTerm > 1e250) {
      // Rescale: keep the numbers near 1, carry the factor in `scale`.
      const f = Math.max(absSum, absTerm);
      term /= f;
      sum /= f;
      scale += Math.log(f);
    } else if (term === 0) {
      converged = true;
      break;
    }
  }
  if (sum === 0) return { sign: 0, log: Number.NEGATIVE_INFINITY, converged };
  return sum > 0
    ? { sign: 1, log: scale + Math.log(sum), converged }
    : { sign: -1, log: scale + Math.log(-sum), converged };
}

/** c − a − b closer than this to an integer is moved off it (the 1 − z transformation has a pole there). */
const INTEGER_GAP = 1e-5;

/**
 * ln 2F1(a, b; c; z) for real a, b, c and z < 1 where 2F1 > 0 (always the case for a, b, c > 0 and
 * 0 ≤ z < 1, the only case the models need). Returns NaN where the value is not positive, and +∞ at z = 1
 * when c − a − b ≤ 0.
 *
 * Method: z < 0 by Pfaff's transformation; 0 ≤ z ≤ 0.75 by the series; z > 0.75 by A&S 15.3.6, whose
 * series in 1 − z converge fast. When c − a − b is within 1e-5 of an integer, 15.3.6 has cancelling poles;
 * we sum the series up to z = 0.99 and beyond that interpolate in c (2F1 is smooth in c,
 * so interpolating between c ± 1e-5 around the pole leaves an error near 1e-8 relative at worst).
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  const v = hyp2f1Signed(a, b, c, z);
  return v.sign > 0 ? v.log : Number.NaN;
}

/** 2F1(a, b; c; z) as a signed log (see logHyp2f1). */
export function hyp2f1Signed(a: number, b: number, c: number, z: number): SignedLog {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(z) || z > 1)
    return { sign: 0, log: Number.NaN };
  if (z === 0) return { sign: 1, log: 0 };
  if (z < 0) {
    // Pfaff: 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)), and z/(z−1) lies in (0, 1).
    const inner = hyp2f1Signed(a, c - b, c, z / (z - 1));
    return { sign: inner.sign, log: inner.log - a * Math.log1p(-z) };
  }
  const d = c - a - b;
  if (z === 1) {
    if (d <= 0) return { sign: 1, log: Number.POSITIVE_INFINITY };
    // Gauss's theorem.
    const g = [gammalnSigned(c), gammalnSigned(d), gammalnSigned(c - a), gammalnSigned(c - b)];
    return {
      sign: g[0]!.sign * g[1]!.sign * g[2]!.sign * g[3]!.sign,
      log: g[0]!.log + g[1]!.log - g[2]!.log - g[3]!.log,
    };
  }
  if (z <= 0.75) return hyp2f1SeriesSigned(a, b, c, z);
  const nearest = Math.round(d);
  if (Math.abs(d - nearest) < INTEGER_GAP) {
    // The series needs about 40 / (1 − z) terms: cheap enough up to z = 0.99, and exact.
    if (z <= 0.99) return hyp2f1SeriesSigned(a, b, c, z);
    // Interpolate linearly in c between the two points INTEGER_GAP either side of the pole.
    const cLo = c - (d - nearest) - INTEGER_GAP;
    const lo = oneMinusZ(a, b, cLo, z);
    const hi = oneMinusZ(a, b, cLo + 2 * INTEGER_GAP, z);
    if (lo.sign > 0 && hi.sign > 0) {
      const t = (c - cLo) / (2 * INTEGER_GAP);
      return { sign: 1, log: (1 - t) * lo.log + t * hi.log };
    }
    return hyp2f1SeriesSigned(a, b, c, z);
  }
  const t = oneMinusZ(a, b, c, z);
  if (t.sign !== 0 && Number.isFinite(t.log) && t.loss <= CANCELLATION_LIMIT) return t;
  // The two terms of 15.3.6 cancelled: each carries an absolute error of about ε·|ln Γ| in its logarithm,
  // so the difference is only good to ε·|ln Γ|·e^loss (1e-3 relative for a = r+s+x ≈ 100 and c = a+1 at
  // z ≈ 0.8). The plain series has no cancellation when a, b, c > 0 (all terms positive) and needs about
  // (40 + a·z)/(1 − z) terms, so it is the better answer wherever it converges within the cap.
  const series = seriesWithCap(a, b, c, z, FALLBACK_MAX_TERMS);
  if (series.converged || t.sign === 0 || !Number.isFinite(t.log)) return series;
  return t;
}

/** Nats of cancellation in 15.3.6 beyond which the series is used instead (e^5 ≈ 150: 1e-11 relative left). */
const CANCELLATION_LIMIT = 5;
/** Cap on the fallback series (z ≤ 0.999 for moderate a; ~1 ms at worst). */
const FALLBACK_MAX_TERMS = 1_000_000;

/** A&S 15.3.6 in signed logs; requires c − a − b not an integer. */
function oneMinusZ(a: number, b: number, c: number, z: number): SignedLog & { loss: number } {
  const d = c - a - b;
  const w = 1 - z;
  const gc = gammalnSigned(c);
  // Term 1: Γ(c)Γ(d) / (Γ(c−a)Γ(c−b)) · F(a, b; 1−d; w). 1/Γ at a pole is 0, so the term vanishes.
  const g1d = gammalnSigned(d);
  const g1a = gammalnSigned(c - a);
  const g1b = gammalnSigned(c - b);
  let t1: SignedLog = { sign: 0, log: Number.NEGATIVE_INFINITY };
  if (g1a.sign !== 0 && g1b.sign !== 0) {
    const s1 = hyp2f1SeriesSigned(a, b, 1 - d, w);
    t1 = {
      sign: gc.sign * g1d.sign * g1a.sign * g1b.sign * s1.sign,
      log: gc.log + g1d.log - g1a.log - g1b.log + s1.log,
    };
  }
  // Term 2: w^d Γ(c)Γ(−d) / (Γ(a)Γ(b)) · F(c−a, c−b; 1+d; w).
  const g2d = gammalnSigned(-d);
  const g2a = gammalnSigned(a);
  const g2b = gammalnSigned(b);
  let t2: SignedLog = { sign: 0, log: Number.NEGATIVE_INFINITY };
  if (g2a.sign !== 0 && g2b.sign !== 0) {
    const s2 = hyp2f1SeriesSigned(c - a, c - b, 1 + d, w);
    t2 = {
      sign: gc.sign * g2d.sign * g2a.sign * g2b.sign * s2.sign,
      log: d * Math.log(w) + gc.log + g2d.log - g2a.log - g2b.log + s2.log,
    };
  }
  const total = signedAdd(t1, t2);
  // loss: how many nats the difference of two opposite terms lost against the larger one (0 without one).
  const biggest = Math.max(t1.log, t2.log);
  const loss = t1.sign !== 0 && t2.sign !== 0 && t1.sign !== t2.sign ? biggest - total.log : 0;
  return { ...total, loss };
}

/**
 * Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a): the χ² survival function is Q(df/2, χ²/2).
 * Series for x < a + 1, Lentz continued fraction otherwise (Press et al., Numerical Recipes §6.2).
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPrefix = -x + a * Math.log(x) - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lnPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lnPrefix) * h;
}

/** ln 2F1 with its partial derivatives (see logHyp2f1WithGradient). */
export interface LogHyp2f1Gradient {
  log: number;
  /** ∂ ln 2F1 / ∂a, ∂b, ∂c, ∂z. */
  da: number;
  db: number;
  dc: number;
  dz: number;
  /** False when the series needed more than `maxTerms` terms: the numbers are then not to be used. */
  converged: boolean;
}

/**
 * ln 2F1(a, b; c; z) and its partial derivatives in a, b, c and z, for a, b, c > 0 and 0 ≤ z < 1 (all terms
 * positive, so no cancellation), from the series and its term-by-term derivatives in one pass:
 * ∂ ln t_n/∂a = Σ_{k<n} 1/(a+k) (likewise b, and minus for c) and ∂ ln t_n/∂z = n/z. Costs about twice
 * the plain series and needs about (40 + a·z)/(1 − z) terms; callers fall back to differences of logHyp2f1
 * when it does not converge within `maxTerms` (z very close to 1).
 */
export function logHyp2f1WithGradient(
  a: number,
  b: number,
  c: number,
  z: number,
  maxTerms = 20_000,
): LogHyp2f1Gradient {
  if (z === 0) return { log: 0, da: 0, db: 0, dc: 0, dz: (a * b) / c, converged: true };
  let scale = 0;
  let term = 1;
  let s = 1;
  let sa = 0;
  let sb = 0;
  let sc = 0;
  let sn = 0;
  let ha = 0;
  let hb = 0;
  let hc = 0;
  let converged = false;
  for (let n = 0; n < maxTerms; n++) {
    const an = a + n;
    const bn = b + n;
    const cn = c + n;
    ha += 1 / an;
    hb += 1 / bn;
    hc += 1 / cn;
    const ratio = ((an * bn) / (cn * (n + 1))) * z;
    term *= ratio;
    s += term;
    sa += term * ha;
    sb += term * hb;
    sc += term * hc;
    sn += term * (n + 1);
    if (ratio < 1 && term <= 1e-17 * s && term * (n + 1) <= 1e-16 * sn) {
      converged = true;
      break;
    }
    if (s > 1e250) {
      term /= s;
      sa /= s;
      sb /= s;
      sc /= s;
      sn /= s;
      scale += Math.log(s);
      s = 1;
    } else if (term === 0) {
      converged = true;
      break;
    }
  }
  return { log: scale + Math.log(s), da: sa / s, db: sb / s, dc: -sc / s, dz: sn / (s * z), converged };
}
