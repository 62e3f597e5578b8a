/**
 * Maximum likelihood for the customer-base models: L-BFGS on log-parameters (so every step is feasible),
 * an optional L2 penalty on the natural parameters (lifetimes' `penalizer_coef`), standard errors from the
 * Hessian of the log-likelihood at the optimum, and diagnostics that say which parameter failed and why.
 */
import { inverse, Matrix } from 'ml-matrix';
import {
  hessianFromGradient,
  type MinimizeResult,
  minimizeLbfgs,
  numericGradient,
  numericHessian,
} from '../../shared/optimize.js';

export interface MleProblem {
  /** Parameter names as in the papers, in the order of the parameter vector. */
  names: readonly string[];
  /** Weighted log-likelihood at natural parameters; writes ∂LL/∂p into `gradient` when given and supported. */
  logLikelihood(params: Float64Array, gradient?: Float64Array): number;
  /** True when logLikelihood fills the gradient; otherwise central differences are used. */
  analyticGradient: boolean;
  /** Starting points (natural parameters), tried in order until one converges. */
  starts: Float64Array[];
  /** Σ weights: the objective is the mean negative log-likelihood, so tolerances do not depend on N. */
  customers: number;
}

export interface MleOptions {
  /** L2 penalty on the natural parameters, added to the mean negative log-likelihood (default 0). */
  penalizer?: number;
  maxIterations?: number;
}

export interface MleResult {
  params: Record<string, number>;
  /** null where the Hessian is not positive definite at the optimum. */
  standardErrors: Record<string, number | null>;
  logLikelihood: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why the optimiser stopped, in plain words, with the advice when it failed. */
  message: string;
  warnings: string[];
}

/** log-parameter beyond which a parameter is said to have run off to 0 or ∞ (e^±18 ≈ 1.5e-8 / 6.6e7). */
const RUNAWAY = 18;

export function fitMle(problem: MleProblem, options: MleOptions = {}): MleResult {
  const penalizer = options.penalizer ?? 0;
  const k = problem.names.length;
  const n = Math.max(problem.customers, 1);
  const natural = new Float64Array(k);
  const gNat = new Float64Array(k);
  const objectiveValue = (theta: Float64Array): number => {
    for (let i = 0; i < k; i++) natural[i] = Math.exp(theta[i]!);
    let pen = 0;
    for (let i = 0; i < k; i++) pen += natural[i]! * natural[i]!;
    return -problem.logLikelihood(natural) / n + penalizer * pen;
  };
  // Numeric gradients: forward differences while far from the optimum (half the evaluations of central
  // ones), then a central-difference polish so the final gradient test is as strict as the analytic one.
  let central = false;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    if (!problem.analyticGradient) {
      const f = objectiveValue(theta);
      if (!Number.isFinite(f)) return f;
      if (central) grad.set(numericGradient(objectiveValue, theta, 1e-7));
      else {
        const t = Float64Array.from(theta);
        for (let i = 0; i < k; i++) {
          const h = 1e-8 * Math.max(1, Math.abs(t[i]!));
          t[i] = theta[i]! + h;
          grad[i] = (objectiveValue(t) - f) / h;
          t[i] = theta[i]!;
        }
      }
      return f;
    }
    for (let i = 0; i < k; i++) natural[i] = Math.exp(theta[i]!);
    const ll = problem.logLikelihood(natural, gNat);
    let pen = 0;
    for (let i = 0; i < k; i++) {
      const p = natural[i]!;
      pen += p * p;
      grad[i] = (-gNat[i]! * p) / n + 2 * penalizer * p * p;
    }
    return -ll / n + penalizer * pen;
  };

  let best: MinimizeResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const start of problem.starts) {
    const theta0 = Float64Array.from(start, (v) => Math.log(v));
    central = false;
    // With numeric gradients f is only trustworthy to ~1e-12 relative; a tighter test makes the line
    // search chase rounding noise.
    const functionTolerance = problem.analyticGradient ? 1e-14 : 1e-12;
    let run = minimizeLbfgs(objective, theta0, {
      maxIterations: options.maxIterations ?? 1000,
      gradientTolerance: 1e-9,
      functionTolerance,
    });
    if (!problem.analyticGradient && Number.isFinite(run.f)) {
      central = true;
      const polish = minimizeLbfgs(objective, run.x, {
        maxIterations: 50,
        gradientTolerance: 1e-9,
        functionTolerance,
      });
      polish.iterations += run.iterations;
      polish.evaluations += run.evaluations;
      run = polish;
    }
    iterations += run.iterations;
    evaluations += run.evaluations;
    if (!best || (run.converged && !best.converged) || (run.converged === best.converged && run.f < best.f))
      best = run;
    if (run.converged && !runaway(run.x)) break;
  }
  const result = best!;
  const p = Float64Array.from(result.x, (v) => Math.exp(v));
  const params = Object.fromEntries(problem.names.map((name, i) => [name, p[i]!]));
  const logLikelihood = problem.logLikelihood(p);
  const warnings: string[] = [];
  const runaways = problem.names.filter((_, i) => Math.abs(result.x[i]!) > RUNAWAY);
  let converged = result.converged && Number.isFinite(logLikelihood);
  let message = result.message;
  if (runaways.length) {
    converged = false;
    message = `${runaways
      .map((name) => `${name} ran off to ${result.x[problem.names.indexOf(name)]! > 0 ? '∞' : '0'}`)
      .join(', ')}: the data cannot pin ${runaways.length > 1 ? 'these parameters' : 'this parameter'} down`;
  }
  if (!converged) {
    const grad = new Float64Array(k);
    objective(result.x, grad);
    const worst = problem.names[argMaxAbs(grad)] ?? '?';
    message += `; the largest gradient is on ${worst}. Try --penalizer 0.001 (a small L2 penalty), a coarser time unit (week instead of day), a longer calibration period, or check that the calibration data has repeat buyers and a spread of first-purchase dates`;
  }

  // Standard errors: inverse of the Hessian of −LL (plus the penalty, scaled back to totals) at the optimum.
  const standardErrors: Record<string, number | null> = Object.fromEntries(
    problem.names.map((name) => [name, null]),
  );
  const totalNegLl = (q: Float64Array): number => {
    let pen = 0;
    for (let i = 0; i < k; i++) pen += q[i]! * q[i]!;
    return -problem.logLikelihood(q) + n * penalizer * pen;
  };
  try {
    const hess = problem.analyticGradient
      ? hessianFromGradient((q, out) => {
          problem.logLikelihood(q, out);
          for (let i = 0; i < k; i++) out[i] = -out[i]! + 2 * n * penalizer * q[i]!;
        }, p)
      : numericHessian(totalNegLl, p);
    const cov = inverse(new Matrix(hess));
    problem.names.forEach((name, i) => {
      const v = cov.get(i, i);
      standardErrors[name] = v > 0 && Number.isFinite(v) ? Math.sqrt(v) : null;
    });
  } catch (cause) {
    warnings.push(
      `standard errors: the Hessian at the optimum could not be inverted (${(cause as Error).message}); the parameters are not separately identified by this data`,
    );
  }
  const missing = problem.names.filter((name) => standardErrors[name] === null);
  if (missing.length && !warnings.length)
    warnings.push(
      `standard errors: the Hessian is not positive definite for ${missing.join(', ')}; the optimum is flat or a saddle in that direction, so these estimates are not reliable`,
    );
  return {
    params,
    standardErrors,
    logLikelihood,
    iterations,
    evaluations,
    converged,
    message,
    warnings,
  };
}

function runaway(theta: Float64Array): boolean {
  return theta.some((v) => Math.abs(v) > RUNAWAY);
}

function argMaxAbs(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (Math.abs(a[i]!) > Math.abs(a[best]!)) best = i;
  return best;
}
