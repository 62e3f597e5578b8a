/**
 * Empirical-Bayes engagement rates: per contact k successes (opens, clicks) out of n trials (deliveries,
 * opens) are beta-binomial, p ~ Beta(α, β). α and β are fitted by maximum likelihood on the histogram of
 * (n, k) pairs (Griffiths 1973; the marginal log-likelihood is Σ c·[ln B(k + α, n − k + β) − ln B(α, β)]),
 * and each contact's rate is its posterior mean (k + α) / (n + α + β): a contact with 2 sends is pulled
 * toward the population, one with 50 keeps its own rate. Pure maths, no I/O.
 */
import { minimizeLbfgs } from '../../shared/optimize.js';
import { betaln, digamma } from '../../shared/special.js';

export interface CountPair {
  /** Trials (deliveries). */
  n: number;
  /** Successes (opens), 0 ≤ k ≤ n. */
  k: number;
  /** How many contacts have this (n, k). */
  count: number;
}

export interface BetaPrior {
  alpha: number;
  beta: number;
  /** Prior mean α / (α + β): the population rate. */
  mean: number;
  /** α + β: how many trials of its own a contact needs to weigh as much as the population. */
  strength: number;
  converged: boolean;
  /** Contacts with at least one trial used in the fit. */
  contacts: number;
}

/** Posterior mean of a contact's rate. */
export function shrunkRate(prior: Pick<BetaPrior, 'alpha' | 'beta'>, k: number, n: number): number {
  return (k + prior.alpha) / (n + prior.alpha + prior.beta);
}

/**
 * Maximum-likelihood Beta(α, β) prior for binomial counts. Falls back to a weak prior at the pooled rate
 * (strength 2) when the data cannot identify the spread (fewer than two contacts with n ≥ 2, or no
 * variation beyond the binomial: α + β → ∞ is then capped at 1e6, i.e. everybody gets the pooled rate).
 */
export function fitBetaBinomial(pairs: readonly CountPair[]): BetaPrior {
  const used = pairs.filter((p) => p.n > 0 && p.count > 0);
  const contacts = used.reduce((s, p) => s + p.count, 0);
  const trials = used.reduce((s, p) => s + p.count * p.n, 0);
  const successes = used.reduce((s, p) => s + p.count * p.k, 0);
  const pooled = trials > 0 ? Math.min(1 - 1e-6, Math.max(1e-6, successes / trials)) : 0.5;
  const weak = (converged: boolean): BetaPrior => ({
    alpha: 2 * pooled,
    beta: 2 * (1 - pooled),
    mean: pooled,
    strength: 2,
    converged,
    contacts,
  });
  if (used.filter((p) => p.n >= 2).reduce((s, p) => s + p.count, 0) < 2) return weak(false);
  // Parameters on the log scale; x = [ln α, ln β].
  const cap = Math.log(1e6);
  const objective = (x: Float64Array, g: Float64Array) => {
    const a = Math.exp(Math.min(x[0]!, cap));
    const b = Math.exp(Math.min(x[1]!, cap));
    let f = 0;
    let ga = 0;
    let gb = 0;
    const dab = digamma(a + b);
    const da = digamma(a);
    const db = digamma(b);
    for (const p of used) {
      f -= p.count * (betaln(p.k + a, p.n - p.k + b) - betaln(a, b));
      const dn = digamma(p.n + a + b);
      ga -= p.count * (digamma(p.k + a) - dn - da + dab);
      gb -= p.count * (digamma(p.n - p.k + b) - dn - db + dab);
    }
    g[0] = x[0]! < cap ? ga * a : 0;
    g[1] = x[1]! < cap ? gb * b : 0;
    return f;
  };
  // Start from the method of moments on the pooled rate with a moderate strength.
  const r = minimizeLbfgs(objective, [Math.log(pooled * 5), Math.log((1 - pooled) * 5)], {
    maxIterations: 200,
  });
  const alpha = Math.exp(Math.min(r.x[0]!, cap));
  const beta = Math.exp(Math.min(r.x[1]!, cap));
  if (!Number.isFinite(alpha) || !Number.isFinite(beta)) return weak(false);
  return {
    alpha,
    beta,
    mean: alpha / (alpha + beta),
    strength: alpha + beta,
    converged: r.converged,
    contacts,
  };
}
