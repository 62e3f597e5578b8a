/**
 * Derivative-free minimisation: Nelder–Mead simplex (Nelder & Mead 1965) with the standard coefficients
 * (reflection 1, expansion 2, contraction ½, shrink ½), as used by R's `optim` for `forecast::ets`.
 *
 * ETS likelihoods live on a bounded, non-smooth domain (the objective is +∞ outside the parameter bounds and
 * the level can cross zero), so the L-BFGS in `analytics/shared/optimize.ts`, which needs gradients and a
 * finite objective along its line search, does not fit; the simplex only compares values.
 */
export interface NelderMeadOptions {
  /** Stop after this many objective evaluations (default 2000). */
  maxEvaluations?: number;
  /** Converged when the spread of the simplex values is below reltol · (|f| + reltol) (default 1e-8, as optim). */
  reltol?: number;
  /** Initial step per coordinate (default 10% of |x0_i|, or 0.1 when x0_i is 0). */
  steps?: ArrayLike<number>;
}

export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  evaluations: number;
  converged: boolean;
}

export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const reltol = options.reltol ?? 1e-8;
  const points: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  let evaluations = 0;
  const evaluate = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) {
      const j = i - 1;
      const step = options.steps ? options.steps[j]! : Math.abs(p[j]!) > 0 ? 0.1 * Math.abs(p[j]!) : 0.1;
      p[j] = p[j]! + step;
    }
    points.push(p);
    values[i] = evaluate(p);
  }
  const order = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) order[i] = i;
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  let converged = false;
  while (evaluations < maxEvaluations) {
    // Stable insertion sort of the vertex indices by value, from the last iteration's order (the same
    // permutation a stable library sort gives, without a comparator call per pair: the simplex is small).
    for (let i = 1; i <= n; i++) {
      const v = order[i]!;
      const fv = values[v]!;
      let k = i - 1;
      while (k >= 0 && values[order[k]!]! - fv > 0) {
        order[k + 1] = order[k]!;
        k--;
      }
      order[k + 1] = v;
    }
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    const fBest = values[best]!;
    const fWorst = values[worst]!;
    if (Number.isFinite(fWorst) && fWorst - fBest <= reltol * (Math.abs(fBest) + reltol)) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let o = 0; o <= n; o++) {
      const i = order[o]!;
      if (i === worst) continue;
      const p = points[i]!;
      for (let j = 0; j < n; j++) centroid[j]! += p[j]! / n;
    }
    const pw = points[worst]!;
    for (let j = 0; j < n; j++) trial[j] = centroid[j]! + (centroid[j]! - pw[j]!);
    const fr = evaluate(trial);
    if (fr < fBest) {
      for (let j = 0; j < n; j++) trial2[j] = centroid[j]! + 2 * (centroid[j]! - pw[j]!);
      const fe = evaluate(trial2);
      if (fe < fr) {
        pw.set(trial2);
        values[worst] = fe;
      } else {
        pw.set(trial);
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[second]!) {
      pw.set(trial);
      values[worst] = fr;
      continue;
    }
    // Contraction: outside when the reflection improved on the worst, else inside.
    const outside = fr < fWorst;
    for (let j = 0; j < n; j++)
      trial2[j] = outside
        ? centroid[j]! + 0.5 * (trial[j]! - centroid[j]!)
        : centroid[j]! + 0.5 * (pw[j]! - centroid[j]!);
    const fc = evaluate(trial2);
    if (fc < (outside ? fr : fWorst)) {
      pw.set(trial2);
      values[worst] = fc;
      continue;
    }
    // Shrink towards the best point.
    const pb = points[best]!;
    for (let o = 0; o <= n; o++) {
      const i = order[o]!;
      if (i === best) continue;
      const p = points[i]!;
      for (let j = 0; j < n; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
      values[i] = evaluate(p);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: Float64Array.from(points[bestIndex]!), f: values[bestIndex]!, evaluations, converged };
}
