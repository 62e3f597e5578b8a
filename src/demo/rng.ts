/**
 * The demo generator's random numbers: the project's seeded generator (`analytics/shared/rng.ts`,
 * xoshiro128** seeded by SplitMix32) with the distributions a shop simulation draws from bound to it.
 * The same seed always gives the same stream, on every platform (only 32-bit integer maths and IEEE doubles).
 */
import {
  createRng,
  type Rng,
  sampleBeta,
  sampleExponential,
  sampleGamma,
  samplePoisson,
  sampleWeighted,
} from '../analytics/shared/rng.js';

export { type WeightedTable, weightedTable } from '../analytics/shared/rng.js';

export interface DemoRng extends Rng {
  /** True with probability p. */
  chance(p: number): boolean;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** Gamma(shape, scale). Mean shape·scale. */
  gamma(shape: number, scale: number): number;
  /** Beta(a, b). */
  beta(a: number, b: number): number;
  /** Poisson with the given mean. */
  poisson(mean: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with the given non-negative weights. */
  weighted(weights: readonly number[]): number;
  /** A new generator derived from this one (its stream does not overlap in practice). */
  fork(): DemoRng;
}

export function createDemoRng(seed: number): DemoRng {
  return withDistributions(createRng(seed));
}

function withDistributions(base: Rng): DemoRng {
  const rng: DemoRng = {
    next: () => base.next(),
    int: (n) => base.int(n),
    normal: () => base.normal(),
    chance: (p) => base.next() < p,
    exponential: (rate) => sampleExponential(base, rate),
    gamma: (shape, scale) => sampleGamma(base, shape, scale),
    beta: (a, b) => sampleBeta(base, a, b),
    poisson: (mean) => samplePoisson(base, mean),
    pick: (items) => items[Math.floor(base.next() * items.length)]!,
    weighted: (weights) => sampleWeighted(base, weights),
    fork: () => withDistributions(base.fork()),
  };
  return rng;
}
