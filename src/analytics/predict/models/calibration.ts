/**
 * Probability calibration fitted on held-out scores: Platt scaling (Platt 1999: a logistic regression of
 * the label on the margin) or isotonic regression (pool-adjacent-violators; Zadrozny & Elkan 2002).
 * Both are JSON-safe and monotone, so they never change the ranking (AUC) of a model, only its probabilities.
 */
import { sigmoid } from './metrics.js';

export type Calibration =
  | { kind: 'platt'; a: number; b: number }
  | {
      kind: 'isotonic' /** Ascending margins */;
      x: number[] /** Calibrated probability at each x */;
      y: number[];
    };

/** Platt scaling: p = σ(a·margin + b), fitted by Newton's method on the log-loss. */
export function fitPlatt(margin: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < margin.length; i++) {
      const m = margin[i] as number;
      const p = sigmoid(a * m + b);
      const d = p - ((y[i] as number) > 0 ? 1 : 0);
      const w = p * (1 - p);
      ga += d * m;
      gb += d;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-300) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

/** Isotonic regression of the label on the margin (pool adjacent violators), as a step function. */
export function fitIsotonic(margin: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  const n = margin.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (margin[i] as number) - (margin[j] as number),
  );
  const xs: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (const i of order) {
    xs.push(margin[i] as number);
    sums.push((y[i] as number) > 0 ? 1 : 0);
    counts.push(1);
    while (sums.length > 1) {
      const k = sums.length - 1;
      if ((sums[k - 1] as number) / (counts[k - 1] as number) <= (sums[k] as number) / (counts[k] as number))
        break;
      sums[k - 1] = (sums[k - 1] as number) + (sums[k] as number);
      counts[k - 1] = (counts[k - 1] as number) + (counts[k] as number);
      xs[k - 1] = xs[k] as number;
      sums.pop();
      counts.pop();
      xs.pop();
    }
  }
  // xs[k] is the largest margin of block k; a margin maps to the first block whose upper end it does not exceed.
  return { kind: 'isotonic', x: xs, y: sums.map((s, k) => s / (counts[k] as number)) };
}

/** Calibrated probability of one margin. */
export function calibrate(c: Calibration, margin: number): number {
  if (c.kind === 'platt') return sigmoid(c.a * margin + c.b);
  const xs = c.x;
  if (xs.length === 0) return sigmoid(margin);
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (margin <= (xs[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return c.y[lo] as number;
}
