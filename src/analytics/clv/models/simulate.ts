/**
 * Seeded simulators of the purchase and spend models, for parameter-recovery tests and benchmarks.
 * Each follows the model's story: BG/NBD (FHL 2005 §3: Poisson purchasing at rate λ ~ Γ(r, α); after each
 * repeat purchase the customer drops out with probability p ~ B(a, b)); Pareto/NBD (lifetime ~ Exp(μ),
 * μ ~ Γ(s, β)); Gamma-Gamma (transaction values ~ Γ(p, ν), ν ~ Γ(q, γ)).
 */
import type { Rng } from '../../shared/rng.js';
import type { BgNbdParams } from './bg-nbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import type { ParetoNbdParams } from './pareto-nbd.js';

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 via the u^(1/shape) boost. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return sampleGamma(rng, shape + 1, rate) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return (d * v) / rate;
  }
}

export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a, 1);
  const y = sampleGamma(rng, b, 1);
  return x / (x + y);
}

function sampleExp(rng: Rng, rate: number): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return -Math.log(u) / rate;
}

/** One customer's repeat purchase times in (0, T] (the first purchase is at 0 and not listed). */
export type PurchaseTimes = number[];

export function simulateBgNbdCustomer(rng: Rng, p: BgNbdParams, T: number): PurchaseTimes {
  const lambda = sampleGamma(rng, p.r, p.alpha);
  const dropout = sampleBeta(rng, p.a, p.b);
  const times: number[] = [];
  let t = 0;
  for (;;) {
    t += sampleExp(rng, lambda);
    if (t > T) return times;
    times.push(t);
    if (rng.next() < dropout) return times;
  }
}

export function simulateParetoNbdCustomer(rng: Rng, p: ParetoNbdParams, T: number): PurchaseTimes {
  const lambda = sampleGamma(rng, p.r, p.alpha);
  const mu = sampleGamma(rng, p.s, p.beta);
  const end = Math.min(T, sampleExp(rng, mu));
  const times: number[] = [];
  let t = sampleExp(rng, lambda);
  while (t <= end) {
    times.push(t);
    t += sampleExp(rng, lambda);
  }
  return times;
}

/** Values of `count` transactions of one customer. */
export function simulateSpend(rng: Rng, p: GammaGammaParams, count: number): number[] {
  const nu = sampleGamma(rng, p.q, p.gamma);
  return Array.from({ length: count }, () => sampleGamma(rng, p.p, nu));
}
