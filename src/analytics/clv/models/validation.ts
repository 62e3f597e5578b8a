/**
 * Calibration-vs-holdout validation of a purchase model, as in Fader, Hardie & Lee (2005) §7: the
 * calibration frequency histogram with a χ² test (Figure 2), cumulative and incremental tracking of repeat
 * purchases (Figures 3–4), conditional expectations by calibration frequency (Figure 5), plus per-customer
 * MAE/RMSE/correlation against a naive baseline (each customer keeps buying at their calibration rate x/T).
 */
import { regularizedGammaQ } from '../../shared/special.js';
import { type BgNbdParams, bgNbdExpectedPurchases, bgNbdProbabilityOfPurchases } from './bg-nbd.js';
import {
  type ParetoNbdParams,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityOfPurchases,
} from './pareto-nbd.js';

export interface PurchaseModelState {
  model: string;
  params: Record<string, number>;
}

/** Per-customer calibration summary with holdout counts and the model's holdout predictions. */
export interface ValidationInput {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  xHoldout: Float64Array;
  /** E[Y(holdoutLength) | x, t_x, T] per customer. */
  predicted: Float64Array;
  /** Holdout length in model time units. */
  holdoutLength: number;
}

/** Repeat purchases per tracking period (period 1 starts on the cohort's first purchase day). */
export interface TrackingInput {
  /** Actual repeat purchases in period k (index k − 1). */
  actual: Float64Array;
  /** Customers grouped by first purchase: offset from the cohort start in model units, and counts. */
  firstOffsets: Float64Array;
  firstCounts: Float64Array;
  /** Last period index (1-based) that lies in calibration. */
  calibrationPeriods: number;
}

export interface FrequencyBin {
  /** "0" … "6", then "7+" (the paper's bins). */
  bin: string;
  actual: number;
  expected: number;
}

export interface ErrorSummary {
  mae: number;
  rmse: number;
  correlation: number;
  total: number;
}

export interface ValidationReport {
  model: string;
  customers: number;
  holdoutLength: number;
  /** Calibration histogram of x: actual vs Σ over customers of P(X(T) = x) of the model. */
  histogram: FrequencyBin[] | null;
  chiSquare: { statistic: number; degreesOfFreedom: number; pValue: number } | null;
  /** Mean holdout purchases by calibration frequency: actual vs model. */
  conditional: { bin: string; customers: number; actualMean: number; predictedMean: number }[];
  zeroClass: { customers: number; actualTotal: number; actualMean: number; predictedMean: number };
  tracking: {
    period: number;
    holdout: boolean;
    actual: number;
    expected: number;
    actualCumulative: number;
    expectedCumulative: number;
  }[];
  /** Per-customer holdout errors of the model and of the naive baseline (rate x/T continued). */
  errors: { actualTotal: number; model: ErrorSummary; baseline: ErrorSummary };
  /** True when the model's RMSE beats the baseline's. */
  beatsBaseline: boolean;
}

const MAX_BIN = 7;
const binOf = (x: number) => (x >= MAX_BIN ? `${MAX_BIN}+` : String(x));

function expectedUpTo(state: PurchaseModelState, t: number): number {
  if (t <= 0) return 0;
  return state.model === 'pareto'
    ? paretoNbdExpectedPurchases(state.params as unknown as ParetoNbdParams, t)
    : bgNbdExpectedPurchases(state.params as unknown as BgNbdParams, t);
}

export function validationReport(
  state: PurchaseModelState,
  input: ValidationInput,
  tracking: TrackingInput,
): ValidationReport {
  const n = input.x.length;
  const histogram = calibrationHistogram(state, input);
  let chiSquare: ValidationReport['chiSquare'] = null;
  if (histogram) {
    let stat = 0;
    for (const b of histogram) if (b.expected > 0) stat += (b.actual - b.expected) ** 2 / b.expected;
    const df = histogram.length - 1 - Object.keys(state.params).length;
    chiSquare = {
      statistic: stat,
      degreesOfFreedom: df,
      pValue: df > 0 ? regularizedGammaQ(df / 2, stat / 2) : Number.NaN,
    };
  }

  const groups = new Map<string, { customers: number; actual: number; predicted: number }>();
  for (let i = 0; i < n; i++) {
    const key = binOf(input.x[i]!);
    const g = groups.get(key) ?? { customers: 0, actual: 0, predicted: 0 };
    g.customers++;
    g.actual += input.xHoldout[i]!;
    g.predicted += input.predicted[i]!;
    groups.set(key, g);
  }
  const conditional = [...groups.entries()]
    .sort((a, b) => Number.parseInt(a[0], 10) - Number.parseInt(b[0], 10))
    .map(([bin, g]) => ({
      bin,
      customers: g.customers,
      actualMean: g.actual / g.customers,
      predictedMean: g.predicted / g.customers,
    }));
  const zero = groups.get('0') ?? { customers: 0, actual: 0, predicted: 0 };

  const baseline = Float64Array.from(input.x, (x, i) =>
    input.T[i]! > 0 ? (x / input.T[i]!) * input.holdoutLength : 0,
  );
  const errors = {
    actualTotal: sum(input.xHoldout),
    model: errorSummary(input.predicted, input.xHoldout),
    baseline: errorSummary(baseline, input.xHoldout),
  };
  return {
    model: state.model,
    customers: n,
    holdoutLength: input.holdoutLength,
    histogram,
    chiSquare,
    conditional,
    zeroClass: {
      customers: zero.customers,
      actualTotal: zero.actual,
      actualMean: zero.customers ? zero.actual / zero.customers : Number.NaN,
      predictedMean: zero.customers ? zero.predicted / zero.customers : Number.NaN,
    },
    tracking: trackingRows(state, tracking),
    errors,
    beatsBaseline: errors.model.rmse < errors.baseline.rmse,
  };
}

/** Expected number of customers with x = 0 … 6, 7+ in calibration: Σ_i P(X(T_i) = x). */
function calibrationHistogram(state: PurchaseModelState, input: ValidationInput): FrequencyBin[] {
  const pmf =
    state.model === 'pareto'
      ? (T: number, k: number) =>
          paretoNbdProbabilityOfPurchases(state.params as unknown as ParetoNbdParams, T, k)
      : (T: number, k: number) => bgNbdProbabilityOfPurchases(state.params as unknown as BgNbdParams, T, k);
  const actual = new Float64Array(MAX_BIN + 1);
  const expected = new Float64Array(MAX_BIN + 1);
  const byT = new Map<number, number>();
  for (let i = 0; i < input.x.length; i++) {
    actual[Math.min(MAX_BIN, input.x[i]!)]! += 1;
    byT.set(input.T[i]!, (byT.get(input.T[i]!) ?? 0) + 1);
  }
  for (const [T, count] of byT) {
    let below = 0;
    for (let k = 0; k < MAX_BIN; k++) {
      const pk = pmf(T, k);
      expected[k]! += count * pk;
      below += pk;
    }
    expected[MAX_BIN]! += count * Math.max(0, 1 - below);
  }
  return Array.from(actual, (a, k) => ({ bin: binOf(k), actual: a, expected: expected[k]! }));
}

function trackingRows(state: PurchaseModelState, t: TrackingInput): ValidationReport['tracking'] {
  const rows: ValidationReport['tracking'] = [];
  let actualCumulative = 0;
  let previousExpected = 0;
  for (let k = 1; k <= t.actual.length; k++) {
    let expectedCumulative = 0;
    for (let j = 0; j < t.firstOffsets.length; j++)
      expectedCumulative += t.firstCounts[j]! * expectedUpTo(state, k - t.firstOffsets[j]!);
    actualCumulative += t.actual[k - 1]!;
    rows.push({
      period: k,
      holdout: k > t.calibrationPeriods,
      actual: t.actual[k - 1]!,
      expected: expectedCumulative - previousExpected,
      actualCumulative,
      expectedCumulative,
    });
    previousExpected = expectedCumulative;
  }
  return rows;
}

function errorSummary(predicted: Float64Array, actual: Float64Array): ErrorSummary {
  const n = actual.length;
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i]! - actual[i]!;
    abs += Math.abs(e);
    sq += e * e;
  }
  return {
    mae: n ? abs / n : Number.NaN,
    rmse: n ? Math.sqrt(sq / n) : Number.NaN,
    correlation: pearson(predicted, actual),
    total: sum(predicted),
  };
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = sum(a) / n;
  const mb = sum(b) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
