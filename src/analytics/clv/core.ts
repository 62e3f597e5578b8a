/**
 * Pure core of the CLV module: fits a model on summary arrays and scores customers. No store, no clock.
 */
import { ModelError } from '../../errors.js';
import {
  BG_NBD_PARAM_NAMES,
  type BgNbdParams,
  bgNbdConditionalExpectedPurchases,
  bgNbdConditionalProbabilityOfPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdStart,
} from './models/bg-nbd.js';
import {
  GAMMA_GAMMA_PARAM_NAMES,
  type GammaGammaParams,
  gammaGammaConditionalExpectedSpend,
  gammaGammaLogLikelihood,
  gammaGammaStarts,
} from './models/gamma-gamma.js';
import { fitMle, type MleProblem, type MleResult } from './models/mle.js';
import {
  PARETO_NBD_PARAM_NAMES,
  type ParetoNbdParams,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdConditionalProbabilityOfPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdStarts,
} from './models/pareto-nbd.js';
import { SBG_PARAM_NAMES, sbgLogLikelihood } from './models/sbg.js';
import { type RfSummary, type SpendSummary, totalWeight } from './models/summary.js';

/** The models this module fits. */
export const CLV_MODELS = ['bgnbd', 'pareto', 'gammagamma', 'sbg'] as const;
export type ClvModelKind = (typeof CLV_MODELS)[number];

/** What fitCore needs from the module params (params.ts holds the full, validated set). */
export interface ClvFitOptions {
  model: ClvModelKind;
  calibrationEnd: string;
  penalizer: number;
  maxIterations: number;
}

/** What a fitted CLV model keeps: learned numbers only (JSON-safe). */
export interface ClvState {
  model: ClvModelKind;
  /** Named as in the papers: r, alpha, a, b (BG/NBD); r, alpha, s, beta (Pareto/NBD); p, q, gamma (Gamma-Gamma); alpha, beta (sBG). */
  params: Record<string, number>;
  /** null where the Hessian is not positive definite. */
  standardErrors: Record<string, number | null>;
  logLikelihood: number;
  /** Customers (Σ weights) the model was fitted on. */
  customers: number;
  /** Distinct rows the likelihood was evaluated on. */
  distinctRows: number;
  evaluations: number;
}

export interface ClvFitResult {
  state: ClvState;
  converged: boolean;
  iterations: number;
  message: string;
  warnings: string[];
}

/** The data a fit needs: the grouped purchase summary, or the spend summary for Gamma-Gamma. */
export interface ClvFitData {
  rf?: RfSummary;
  spend?: SpendSummary;
  /** sBG: cohort size, then customers still active after 1, 2 … periods. */
  survivors?: number[];
}

function problemFor(model: ClvModelKind, data: ClvFitData): MleProblem {
  if (model === 'bgnbd') {
    const rf = requireData(data.rf, model);
    const s = bgNbdStart(rf);
    return {
      names: BG_NBD_PARAM_NAMES,
      analyticGradient: true,
      customers: totalWeight(rf.weight),
      starts: [Float64Array.of(s.r, s.alpha, s.a, s.b), Float64Array.of(0.5, s.alpha, 0.5, 2)],
      logLikelihood: (p, g) => bgNbdLogLikelihood(toBgNbd(p), rf, g),
    };
  }
  if (model === 'pareto') {
    const rf = requireData(data.rf, model);
    return {
      names: PARETO_NBD_PARAM_NAMES,
      // Analytic: the 2F1 series is differentiated term by term in one pass (pareto-nbd.ts).
      analyticGradient: true,
      customers: totalWeight(rf.weight),
      starts: paretoNbdStarts(rf),
      logLikelihood: (p, g) => paretoNbdLogLikelihood(toPareto(p), rf, g),
    };
  }
  if (model === 'sbg') {
    const survivors = requireData(data.survivors, model);
    return {
      names: SBG_PARAM_NAMES,
      analyticGradient: false,
      customers: survivors[0] ?? 0,
      starts: [Float64Array.of(1, 1), Float64Array.of(0.5, 3)],
      logLikelihood: (p) => sbgLogLikelihood({ alpha: p[0]!, beta: p[1]! }, survivors),
    };
  }
  const spend = requireData(data.spend, model);
  return {
    names: GAMMA_GAMMA_PARAM_NAMES,
    analyticGradient: true,
    customers: totalWeight(spend.weight),
    starts: gammaGammaStarts(spend),
    logLikelihood: (p, g) => gammaGammaLogLikelihood(toGammaGamma(p), spend, g),
  };
}

function requireData<T>(value: T | undefined, model: string): T {
  if (!value) throw new ModelError('NOT_FITTED', `clv ${model}: no input data was given to fit on.`);
  return value;
}

const toBgNbd = (p: Float64Array): BgNbdParams => ({ r: p[0]!, alpha: p[1]!, a: p[2]!, b: p[3]! });
const toPareto = (p: Float64Array): ParetoNbdParams => ({ r: p[0]!, alpha: p[1]!, s: p[2]!, beta: p[3]! });
const toGammaGamma = (p: Float64Array): GammaGammaParams => ({ p: p[0]!, q: p[1]!, gamma: p[2]! });

/**
 * Fits the chosen model by maximum likelihood. Throws ModelError NOT_CONVERGED with the parameter at fault
 * and what to try when the optimiser fails; EMPTY_INPUT when there is nothing to fit.
 */
export function fitCore(data: ClvFitData, params: ClvFitOptions): ClvFitResult {
  const problem = problemFor(params.model, data);
  if (problem.customers === 0)
    throw new ModelError(
      'EMPTY_INPUT',
      `clv ${params.model}: no customers to fit on as of ${params.calibrationEnd}. Check that orders exist before the calibration end${params.model === 'gammagamma' ? ' and that some customers made repeat purchases with an amount > 0' : ''}.`,
    );
  const result: MleResult = fitMle(problem, {
    penalizer: params.penalizer,
    maxIterations: params.maxIterations,
  });
  const warnings = [...result.warnings, ...modelWarnings(params.model, result.params)];
  if (!result.converged)
    throw new ModelError(
      'NOT_CONVERGED',
      `clv ${params.model}: the fit did not converge after ${result.iterations} iterations: ${result.message}.`,
      { params: result.params, logLikelihood: result.logLikelihood, iterations: result.iterations },
    );
  return {
    state: {
      model: params.model,
      params: result.params,
      standardErrors: result.standardErrors,
      logLikelihood: result.logLikelihood,
      customers: problem.customers,
      distinctRows:
        params.model === 'gammagamma'
          ? (data.spend?.x.length ?? 0)
          : params.model === 'sbg'
            ? (data.survivors?.length ?? 0)
            : (data.rf?.x.length ?? 0),
      evaluations: result.evaluations,
    },
    converged: result.converged,
    iterations: result.iterations,
    message: result.message,
    warnings,
  };
}

function modelWarnings(model: ClvModelKind, p: Record<string, number>): string[] {
  const w: string[] = [];
  if (model === 'gammagamma' && (p.q ?? 2) <= 1)
    w.push(
      `gammagamma: q = ${p.q?.toFixed(3)} ≤ 1, so the expected average spend is infinite; spend is too heavy-tailed for this model (cap outliers, or use the mean spend directly)`,
    );
  if (model === 'bgnbd' && (p.a ?? 2) <= 1)
    w.push(
      `bgnbd: a = ${p.a?.toFixed(3)} ≤ 1; the expected purchase count has no finite long-run limit (normal for CDNOW-like data; horizons stay finite)`,
    );
  return w;
}

/** One customer's calibration summary and optional monetary value. */
export interface ClvCustomer {
  x: number;
  tx: number;
  T: number;
  meanSpend: number | null;
}

/** P(alive) and expected purchases over `horizon` units for a purchase model. */
export function predictPurchases(
  state: ClvState,
  c: ClvCustomer,
  horizon: number,
): { probabilityAlive: number; expectedPurchases: number } {
  if (state.model === 'bgnbd') {
    const p = state.params as unknown as BgNbdParams;
    return {
      probabilityAlive: bgNbdProbabilityAlive(p, c.x, c.tx, c.T),
      expectedPurchases: bgNbdConditionalExpectedPurchases(p, horizon, c.x, c.tx, c.T),
    };
  }
  if (state.model === 'pareto') {
    const p = state.params as unknown as ParetoNbdParams;
    return {
      probabilityAlive: paretoNbdProbabilityAlive(p, c.x, c.tx, c.T),
      expectedPurchases: paretoNbdConditionalExpectedPurchases(p, horizon, c.x, c.tx, c.T),
    };
  }
  throw new ModelError(
    'MODULE_MISMATCH',
    `clv: a ${state.model} model does not predict purchase counts; use a bgnbd or pareto model.`,
  );
}

/** E[M | x, m_x] from a Gamma-Gamma model. */
export function predictSpend(state: ClvState, c: ClvCustomer): number {
  if (state.model !== 'gammagamma')
    throw new ModelError('MODULE_MISMATCH', `clv: a ${state.model} model does not predict spend.`);
  return gammaGammaConditionalExpectedSpend(
    state.params as unknown as GammaGammaParams,
    c.meanSpend === null ? 0 : c.x,
    c.meanSpend ?? 0,
  );
}

export interface PurchaseScoreOptions {
  /** Prediction horizon in model time units. */
  horizon: number;
  /** Annual discount rate (0.1 = 10 %), applied per step at the step's end. */
  discountRatePerYear: number;
  /** Days per model time unit (7 for weeks). */
  unitDays: number;
}

/** Predictions for each (x, t_x, T) row: P(alive), E[Y(horizon)], discounted E[Y] and P(Y(horizon) = 0). */
export interface PurchaseScores {
  probabilityAlive: Float64Array;
  expectedPurchases: Float64Array;
  /** Σ_k (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^(t_k in years), monthly steps: multiply by spend × margin for CLV. */
  discountedPurchases: Float64Array;
  /** P(no purchase in the horizon). */
  probabilityNone: Float64Array;
}

/**
 * Scores rows with a purchase model (bgnbd or pareto). The horizon is cut into about monthly steps; each
 * step's expected purchases are discounted to the step's end, which is how a CLV in money is formed.
 */
export function scoreCore(state: ClvState, rows: RfSummary, options: PurchaseScoreOptions): PurchaseScores {
  const n = rows.x.length;
  const out: PurchaseScores = {
    probabilityAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    discountedPurchases: new Float64Array(n),
    probabilityNone: new Float64Array(n),
  };
  const steps = Math.max(1, Math.ceil((options.horizon * options.unitDays) / (365.25 / 12)));
  const factors = Array.from({ length: steps }, (_, k) => {
    const years = ((options.horizon * (k + 1)) / steps) * (options.unitDays / 365.25);
    return (1 + options.discountRatePerYear) ** -years;
  });
  for (let i = 0; i < n; i++) {
    const c: ClvCustomer = { x: rows.x[i]!, tx: rows.tx[i]!, T: rows.T[i]!, meanSpend: null };
    let previous = 0;
    let discounted = 0;
    let alive = 0;
    for (let k = 0; k < steps; k++) {
      const pr = predictPurchases(state, c, (options.horizon * (k + 1)) / steps);
      alive = pr.probabilityAlive;
      discounted += (pr.expectedPurchases - previous) * factors[k]!;
      previous = pr.expectedPurchases;
    }
    out.probabilityAlive[i] = alive;
    out.expectedPurchases[i] = previous;
    out.discountedPurchases[i] = discounted;
    out.probabilityNone[i] =
      state.model === 'bgnbd'
        ? bgNbdConditionalProbabilityOfPurchases(
            state.params as unknown as BgNbdParams,
            options.horizon,
            0,
            c.x,
            c.tx,
            c.T,
          )
        : paretoNbdConditionalProbabilityOfPurchases(
            state.params as unknown as ParetoNbdParams,
            options.horizon,
            0,
            c.x,
            c.tx,
            c.T,
          );
  }
  return out;
}
