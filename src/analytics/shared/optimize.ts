/**
 * Unconstrained minimisation: L-BFGS (Nocedal & Wright 2006, "Numerical Optimization", Alg. 7.4 two-loop
 * recursion) with a strong-Wolfe line search (Alg. 3.5 and 3.6, cubic interpolation in the zoom phase),
 * plus central-difference gradients and Hessians for standard errors.
 *
 * Models minimise over log-parameters, so every point is feasible; a point where the objective is not
 * finite (overflow, a parameter run off to 0 or ∞) is treated as "step too long" by the line search.
 */

/** Returns f(x) and writes ∇f(x) into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  /** Stop after this many iterations (default 500). */
  maxIterations?: number;
  /** Converged when max |∂f/∂x_i| ≤ gradientTolerance · max(1, |f|) (default 1e-8). */
  gradientTolerance?: number;
  /** Converged when the relative decrease of f over an iteration is below this (default 1e-13). */
  functionTolerance?: number;
  /** Number of correction pairs kept (default 10). */
  memory?: number;
  /** Called after each iteration with its number, the point and f. */
  onIteration?: (iteration: number, x: Float64Array, f: number) => void;
}

export type StopReason = 'gradient' | 'function' | 'max-iterations' | 'line-search' | 'non-finite';

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: StopReason;
  /** Plain-language account of why the run stopped. */
  message: string;
}

const C1 = 1e-4;
const C2 = 0.9;

/**
 * Minimises `objective` from `x0` with L-BFGS.
 *
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0]);
 * // r.x[0] ≈ 3
 */
export function minimizeLbfgs(
  objective: Objective,
  x0: ArrayLike<number>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-8;
  const ftol = options.functionTolerance ?? 1e-13;
  const m = options.memory ?? 10;
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    evaluations++;
    const f = objective(x, g);
    if (!Number.isFinite(f)) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (!Number.isFinite(g[i]!)) return Number.POSITIVE_INFINITY;
    return f;
  };

  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let f = evaluate(x, g);
  const done = (iterations: number, converged: boolean, reason: StopReason, message: string) => ({
    x,
    f,
    gradient: g,
    iterations,
    evaluations,
    converged,
    reason,
    message,
  });
  if (!Number.isFinite(f))
    return done(0, false, 'non-finite', 'the objective is not finite at the starting point');

  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const alpha = new Float64Array(m);

  for (let iter = 1; iter <= maxIterations; iter++) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f)))
      return done(iter - 1, true, 'gradient', 'gradient below tolerance');

    // Two-loop recursion: d = −H·g.
    const d = Float64Array.from(g, (v) => -v);
    const k = sList.length;
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = rhoList[i]! * dot(sList[i]!, d);
      axpy(-alpha[i]!, yList[i]!, d);
    }
    if (k > 0) {
      const gamma = dot(sList[k - 1]!, yList[k - 1]!) / dot(yList[k - 1]!, yList[k - 1]!);
      for (let j = 0; j < n; j++) d[j]! *= gamma;
    }
    for (let i = 0; i < k; i++) {
      const beta = rhoList[i]! * dot(yList[i]!, d);
      axpy(alpha[i]! - beta, sList[i]!, d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rhoList.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j]!;
      slope = dot(g, d);
    }
    const initialStep = k === 0 ? Math.min(1, 1 / Math.max(1e-12, norm(g))) : 1;
    const ls = lineSearch(evaluate, x, f, g, d, slope, initialStep);
    if (ls === null) {
      const converged = maxAbs(g) <= Math.sqrt(gtol) * Math.max(1, Math.abs(f));
      return done(
        iter - 1,
        converged,
        'line-search',
        converged
          ? 'no further decrease possible (at machine precision); gradient is small'
          : 'the line search found no point that decreases the objective',
      );
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = ls.x[j]! - x[j]!;
      y[j] = ls.g[j]! - g[j]!;
    }
    const fPrev = f;
    x = ls.x;
    g = ls.g;
    f = ls.f;
    options.onIteration?.(iter, x, f);
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (sList.length === m) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
    }
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f)))
      return done(iter, true, 'gradient', 'gradient below tolerance');
    if (Math.abs(fPrev - f) <= ftol * Math.max(1, Math.abs(f)))
      return done(iter, true, 'function', 'objective no longer decreasing (relative change below tolerance)');
  }
  return done(maxIterations, false, 'max-iterations', `stopped after ${maxIterations} iterations`);
}

interface LinePoint {
  x: Float64Array;
  f: number;
  g: Float64Array;
  slope: number;
}

/** Strong-Wolfe line search along d; null when no acceptable step exists. */
function lineSearch(
  evaluate: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  d: Float64Array,
  slope0: number,
  step0: number,
): (LinePoint & { step: number }) | null {
  const n = x.length;
  const at = (step: number): LinePoint => {
    const xs = new Float64Array(n);
    for (let j = 0; j < n; j++) xs[j] = x[j]! + step * d[j]!;
    const gs = new Float64Array(n);
    const fs = evaluate(xs, gs);
    return { x: xs, f: fs, g: gs, slope: Number.isFinite(fs) ? dot(gs, d) : Number.NaN };
  };
  let prevStep = 0;
  let prev: LinePoint = { x, f: f0, g: g0, slope: slope0 };
  let step = step0;
  for (let i = 0; i < 40; i++) {
    const cur = at(step);
    if (!Number.isFinite(cur.f)) {
      // Overflow or out of the domain: the step was too long.
      step = prevStep + (step - prevStep) * 0.1;
      if (step - prevStep < 1e-20) return null;
      continue;
    }
    if (cur.f > f0 + C1 * step * slope0 || (i > 0 && cur.f >= prev.f))
      return zoom(at, f0, slope0, prevStep, prev, step, cur);
    if (Math.abs(cur.slope) <= -C2 * slope0) return { ...cur, step };
    if (cur.slope >= 0) return zoom(at, f0, slope0, step, cur, prevStep, prev);
    prevStep = step;
    prev = cur;
    step *= 2;
  }
  return null;
}

function zoom(
  at: (step: number) => LinePoint,
  f0: number,
  slope0: number,
  loStep: number,
  lo: LinePoint,
  hiStep: number,
  hi: LinePoint,
): (LinePoint & { step: number }) | null {
  for (let i = 0; i < 30; i++) {
    // Once the whole bracket can change f by less than rounding noise, further bisection is wasted work.
    if (Math.abs((hiStep - loStep) * slope0) < 1e-15 * Math.max(1, Math.abs(f0))) break;
    let step = cubicMin(loStep, lo.f, lo.slope, hiStep, hi.f, hi.slope);
    const a = Math.min(loStep, hiStep);
    const b = Math.max(loStep, hiStep);
    const margin = 0.1 * (b - a);
    if (!Number.isFinite(step) || step < a + margin || step > b - margin) step = (loStep + hiStep) / 2;
    const cur = at(step);
    if (!Number.isFinite(cur.f) || cur.f > f0 + C1 * step * slope0 || cur.f >= lo.f) {
      hiStep = step;
      hi = cur;
    } else {
      if (Math.abs(cur.slope) <= -C2 * slope0) return { ...cur, step };
      if (cur.slope * (hiStep - loStep) >= 0) {
        hiStep = loStep;
        hi = lo;
      }
      loStep = step;
      lo = cur;
    }
    if (Math.abs(hiStep - loStep) < 1e-16 * Math.max(1, Math.abs(loStep))) break;
  }
  // Accept the best point found if it decreased f at all (sufficient decrease holds for lo).
  return loStep > 0 && lo.f < f0 ? { ...lo, step: loStep } : null;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return Number.NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}
function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Central-difference gradient of f at x, step h·max(1, |x_i|). */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h = 1e-6,
): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  const xp = Float64Array.from(x);
  for (let i = 0; i < n; i++) {
    const xi = xp[i]!;
    const hi = h * Math.max(1, Math.abs(xi));
    xp[i] = xi + hi;
    const fp = f(xp);
    xp[i] = xi - hi;
    const fm = f(xp);
    xp[i] = xi;
    g[i] = (fp - fm) / (2 * hi);
  }
  return g;
}

/**
 * Hessian of f at x by central differences of f (four evaluations per off-diagonal entry), symmetric.
 * Step h·max(|x_i|, 1e-3) per coordinate: relative steps keep the error balanced for parameters of any size.
 */
export function numericHessian(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-4): number[][] {
  const n = x.length;
  const xp = Float64Array.from(x);
  const steps = Array.from(x, (v) => h * Math.max(Math.abs(v), 1e-3));
  const f0 = f(xp);
  const hess = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const shifted = (i: number, di: number, j: number, dj: number) => {
    const xi = xp[i]!;
    const xj = xp[j]!;
    xp[i] = xi + di;
    xp[j] = xp[j]! + dj;
    const v = f(xp);
    xp[i] = xi;
    xp[j] = xj;
    return v;
  };
  for (let i = 0; i < n; i++) {
    const hi = steps[i]!;
    hess[i]![i] = (shifted(i, hi, i, 0) - 2 * f0 + shifted(i, -hi, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const hj = steps[j]!;
      const v =
        (shifted(i, hi, j, hj) - shifted(i, hi, j, -hj) - shifted(i, -hi, j, hj) + shifted(i, -hi, j, -hj)) /
        (4 * hi * hj);
      hess[i]![j] = v;
      hess[j]![i] = v;
    }
  }
  return hess;
}

/** Hessian by central differences of an analytic gradient (more accurate than differences of f). */
export function hessianFromGradient(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: ArrayLike<number>,
  h = 1e-5,
): number[][] {
  const n = x.length;
  const xp = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const hess = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const xj = xp[j]!;
    const hj = h * Math.max(Math.abs(xj), 1e-3);
    xp[j] = xj + hj;
    gradient(xp, gp);
    xp[j] = xj - hj;
    gradient(xp, gm);
    xp[j] = xj;
    for (let i = 0; i < n; i++) hess[i]![j] = (gp[i]! - gm[i]!) / (2 * hj);
  }
  // Symmetrise: the two one-sided estimates of each mixed derivative differ only by rounding.
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = (hess[i]![j]! + hess[j]![i]!) / 2;
      hess[i]![j] = v;
      hess[j]![i] = v;
    }
  return hess;
}
