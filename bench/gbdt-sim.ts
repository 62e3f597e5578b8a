/**
 * The synthetic churn-like GBDT data the predict benches share: `P` = 30 features (every fifth log-normal,
 * the rest normal), a nonlinear label with interactions, and 10% missing values in two features. Seeded.
 */
import { createRng } from '../src/analytics/shared/rng.js';

export const P = 30;

export function synthetic(n: number, seed = 2026): { cols: Float64Array[]; y: Float64Array } {
  const rng = createRng(seed);
  const cols = Array.from({ length: P }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < P; f++)
      (cols[f] as Float64Array)[i] = f % 5 === 4 ? Math.exp(rng.normal()) : rng.normal();
    const c = (f: number) => (cols[f] as Float64Array)[i] as number;
    let m =
      c(0) +
      Math.sin(2 * c(1)) +
      0.5 * c(2) * c(3) +
      (c(4) > 1.5 ? 0.8 : 0) -
      0.5 +
      0.3 * Math.abs(c(5)) -
      0.2 * c(6) * c(6);
    for (let f = 7; f < 15; f++) m += 0.1 * c(f);
    y[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    if (rng.next() < 0.1) (cols[7] as Float64Array)[i] = Number.NaN;
    if (rng.next() < 0.1) (cols[8] as Float64Array)[i] = Number.NaN;
  }
  return { cols, y };
}
