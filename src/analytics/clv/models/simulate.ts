/**
 * Seeded simulators of the purchase and spend models, for parameter-recovery tests and benchmarks.
 * Each follows the model's story: BG/NBD (FHL 2005 §3: Poisson purchasing at rate λ ~ Γ(r, α); after each
 * repeat purchase the customer drops out with probability p ~ B(a, b)); Pareto/NBD (lifetime ~ Exp(μ),
 * μ ~ Γ(s, β)); Gamma-Gamma (transaction values ~ Γ(p, ν), ν ~ Γ(q, γ)).
 */
import { type Rng, sampleBeta, sampleExponential, sampleGamma } from '../../shared/rng.js';
import type { BgNbdParams } from './bg-nbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import type { ParetoNbdParams } from './pareto-nbd.js';

/** One customer's repeat purchase times in (0, T] (the first purchase is at 0 and not listed). */
export type PurchaseTimes = number[];

export function simulateBgNbdCustomer(rng: Rng, p: BgNbdParams, T: number): PurchaseTimes {
  const lambda = sampleGamma(rng, p.r, 1 / p.alpha);
  const dropout = sampleBeta(rng, p.a, p.b);
  const times: number[] = [];
  let t = 0;
  for (;;) {
    t += sampleExponential(rng, lambda);
    if (t > T) return times;
    times.push(t);
    if (rng.next() < dropout) return times;
  }
}

export function simulateParetoNbdCustomer(rng: Rng, p: ParetoNbdParams, T: number): PurchaseTimes {
  const lambda = sampleGamma(rng, p.r, 1 / p.alpha);
  const mu = sampleGamma(rng, p.s, 1 / p.beta);
  const end = Math.min(T, sampleExponential(rng, mu));
  const times: number[] = [];
  let t = sampleExponential(rng, lambda);
  while (t <= end) {
    times.push(t);
    t += sampleExponential(rng, lambda);
  }
  return times;
}

/** Values of `count` transactions of one customer. */
export function simulateSpend(rng: Rng, p: GammaGammaParams, count: number): number[] {
  const nu = sampleGamma(rng, p.q, 1 / p.gamma);
  return Array.from({ length: count }, () => sampleGamma(rng, p.p, 1 / nu));
}
