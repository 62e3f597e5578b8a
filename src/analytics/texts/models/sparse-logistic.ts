/**
 * L2-penalised logistic regression on sparse rows plus optional dense extra columns (the lexicon score),
 * fitted by L-BFGS on (1/n) Σ logloss + (λ/2) ‖w‖² with the intercept unpenalised. The design is sparse
 * (thousands of n-gram columns, a handful of non-zeros per text), so the dense glmnet solver of the predict
 * module would spend its time on zeros; the likelihood and penalty are the same.
 */
import { minimizeLbfgs } from '../../shared/optimize.js';
import type { SparseRows } from './ngram.js';

export interface SparseLogisticState {
  intercept: number;
  /** One weight per sparse column. */
  weights: number[];
  /** One weight per dense extra column. */
  extraWeights: number[];
}

export interface SparseLogisticFit {
  state: SparseLogisticState;
  iterations: number;
  converged: boolean;
  message: string;
}

/**
 * @param extra dense columns, each of length rows (may be empty)
 * @param lambda penalty λ > 0 on the per-row scale
 */
export function fitSparseLogistic(
  x: SparseRows,
  extra: readonly Float64Array[],
  y: ArrayLike<number>,
  lambda: number,
  maxIterations = 300,
): SparseLogisticFit {
  const n = x.rows;
  const p = x.columns;
  const q = extra.length;
  const margin = new Float64Array(n);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const b0 = theta[0] as number;
    for (let i = 0; i < n; i++) {
      let m = b0;
      for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++)
        m += (theta[1 + (x.col[k] as number)] as number) * (x.val[k] as number);
      for (let e = 0; e < q; e++)
        m += (theta[1 + p + e] as number) * ((extra[e] as Float64Array)[i] as number);
      margin[i] = m;
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const m = margin[i] as number;
      const yi = (y[i] as number) > 0 ? 1 : 0;
      // log(1 + e^m) − y m, computed without overflow.
      loss += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - yi * m;
      const r = (1 / (1 + Math.exp(-m)) - yi) / n;
      grad[0] = (grad[0] as number) + r;
      for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++) {
        const j = 1 + (x.col[k] as number);
        grad[j] = (grad[j] as number) + r * (x.val[k] as number);
      }
      for (let e = 0; e < q; e++)
        grad[1 + p + e] = (grad[1 + p + e] as number) + r * ((extra[e] as Float64Array)[i] as number);
    }
    let penalty = 0;
    for (let j = 1; j < theta.length; j++) {
      const t = theta[j] as number;
      penalty += t * t;
      grad[j] = (grad[j] as number) + lambda * t;
    }
    return loss / n + 0.5 * lambda * penalty;
  };
  const r = minimizeLbfgs(objective, new Float64Array(1 + p + q), {
    maxIterations,
    gradientTolerance: 1e-6,
    functionTolerance: 1e-10,
  });
  return {
    state: {
      intercept: r.x[0] as number,
      weights: Array.from(r.x.subarray(1, 1 + p)),
      extraWeights: Array.from(r.x.subarray(1 + p)),
    },
    iterations: r.iterations,
    converged: r.converged,
    message: r.message,
  };
}

/** Log-odds per row. */
export function sparseLogisticMargin(
  state: SparseLogisticState,
  x: SparseRows,
  extra: readonly Float64Array[],
): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let m = state.intercept;
    for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++)
      m += (state.weights[x.col[k] as number] as number) * (x.val[k] as number);
    state.extraWeights.forEach((w, e) => {
      m += w * ((extra[e] as Float64Array)[i] as number);
    });
    out[i] = m;
  }
  return out;
}
