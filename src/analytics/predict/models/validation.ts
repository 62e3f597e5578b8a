/**
 * Honest evaluation: stratified k-fold cross-validation and time-based holdouts, each model compared with a
 * one-feature baseline (the single most predictive feature in a logistic regression, or a feature the user
 * names such as recency), so the report shows what the full model adds. Pure.
 */
import { createRng, type Rng } from '../../shared/rng.js';
import { fitCore, scoreCore } from '../core.js';
import type { PredictParams } from '../params.js';
import { type FeatureColumn, type FeatureFrame, takeRows } from './frame.js';
import { shuffle } from './gbdt/boost.js';
import { fitLogistic, predictLogisticMargin } from './logistic.js';
import { auc, type BinaryMetrics, binaryMetrics, sigmoidAll } from './metrics.js';

/** Fold number (0..k−1) per row; each fold holds about 1/k of each class. */
export function stratifiedFolds(y: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  const fold = new Int32Array(y.length);
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (((y[i] as number) > 0 ? 1 : 0) === cls) members.push(i);
    shuffle(members, rng);
    members.forEach((row, j) => {
      fold[row] = j % k;
    });
  }
  return fold;
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  metrics: BinaryMetrics;
  baseline: BinaryMetrics;
  trees?: number;
}

export interface CrossValidationResult {
  folds: FoldResult[];
  /** Metrics of the pooled out-of-fold predictions. */
  overall: BinaryMetrics;
  baselineOverall: BinaryMetrics;
  /** Mean and standard deviation of the per-fold AUC. */
  meanAuc: number;
  sdAuc: number;
  baselineFeature: string;
  /** Out-of-fold probability per row. */
  oof: Float64Array;
  /** Out-of-fold margin per row. */
  oofMargin: Float64Array;
  /** The fold (0..k−1) each row was tested in, so reference tools can reuse the exact folds. */
  foldOf: Int32Array;
  warnings: string[];
}

export interface EvaluateOptions {
  /** The baseline's feature; default: the feature with the best single-feature AUC on each training set. */
  baselineFeature?: string;
  /** Called after each fold with (done, total). */
  onFold?: (done: number, total: number) => void;
}

/** Stratified k-fold cross-validation of the model in `params`. */
export function crossValidate(
  frame: FeatureFrame,
  y: ArrayLike<number>,
  params: PredictParams,
  k: number,
  options: EvaluateOptions = {},
): CrossValidationResult {
  const rng = createRng(params.seed);
  const foldOf = stratifiedFolds(y, k, rng.fork());
  const n = frame.rows;
  const oofMargin = new Float64Array(n);
  const oofBase = new Float64Array(n);
  const folds: FoldResult[] = [];
  const warnings = new Set<string>();
  let baselineFeature = options.baselineFeature ?? '';
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    const r = holdout(
      frame,
      y,
      Int32Array.from(train),
      Int32Array.from(test),
      params,
      rng.fork(),
      options.baselineFeature,
    );
    for (const w of r.warnings) warnings.add(w);
    test.forEach((row, j) => {
      oofMargin[row] = r.margin[j] as number;
      oofBase[row] = r.baselineProb[j] as number;
    });
    baselineFeature = r.baselineFeature;
    folds.push({
      fold: f + 1,
      trainRows: train.length,
      testRows: test.length,
      metrics: r.metrics,
      baseline: r.baseline,
      trees: r.trees,
    });
    options.onFold?.(f + 1, k);
  }
  const oof = sigmoidAll(oofMargin);
  const aucs = folds.map((f) => f.metrics.auc);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(aucs.length - 1, 1));
  const threshold = folds[0]?.metrics.threshold;
  return {
    folds,
    overall: binaryMetrics(y, oof, threshold),
    baselineOverall: binaryMetrics(y, oofBase, threshold),
    meanAuc: mean,
    sdAuc: sd,
    baselineFeature,
    oof,
    oofMargin,
    foldOf,
    warnings: [...warnings],
  };
}

export interface HoldoutResult {
  margin: Float64Array;
  metrics: BinaryMetrics;
  baseline: BinaryMetrics;
  baselineProb: Float64Array;
  baselineFeature: string;
  trees?: number;
  warnings: string[];
}

/** Fits on `train` rows, evaluates on `test` rows, with the one-feature baseline alongside. */
export function holdout(
  frame: FeatureFrame,
  y: ArrayLike<number>,
  train: Int32Array,
  test: Int32Array,
  params: PredictParams,
  rng: Rng,
  baselineFeature?: string,
): HoldoutResult {
  const trainFrame = takeRows(frame, train);
  const testFrame = takeRows(frame, test);
  const yTrain = Float64Array.from(train, (i) => y[i] as number);
  const yTest = Float64Array.from(test, (i) => y[i] as number);
  const fit = fitCore(trainFrame, yTrain, params, rng);
  const margin = scoreCore(fit.state, testFrame);
  const prob = sigmoidAll(margin);
  // Decisions at the training base rate: a sensible default threshold for imbalanced labels.
  let pos = 0;
  for (let i = 0; i < yTrain.length; i++) pos += yTrain[i] as number;
  const threshold = pos / Math.max(yTrain.length, 1);
  const chosen = baselineFeature ?? bestSingleFeature(trainFrame, yTrain);
  const col = frame.columns.findIndex((c) => c.name === chosen);
  let baselineProb: Float64Array;
  if (col < 0) {
    baselineProb = new Float64Array(test.length).fill(threshold);
  } else {
    const one = (fr: FeatureFrame): FeatureFrame => ({
      rows: fr.rows,
      columns: [fr.columns[col] as FeatureColumn],
    });
    const base = fitLogistic(one(trainFrame), yTrain, {
      lambda: 1e-4,
      l1Ratio: 0,
      maxIterations: 50,
      tolerance: 1e-8,
    });
    baselineProb = sigmoidAll(predictLogisticMargin(base.state, one(testFrame)));
  }
  return {
    margin,
    metrics: binaryMetrics(yTest, prob, threshold),
    baseline: binaryMetrics(yTest, baselineProb, threshold),
    baselineProb,
    baselineFeature: col < 0 ? '(base rate)' : chosen,
    trees: fit.state.kind === 'gbdt' ? fit.state.trees.length : undefined,
    warnings: fit.warnings,
  };
}

/** The feature with the largest single-feature ranking power |AUC − 0.5| on the given rows. */
export function bestSingleFeature(frame: FeatureFrame, y: ArrayLike<number>): string {
  let best = '';
  let bestScore = -1;
  for (const col of frame.columns) {
    const s = univariateAuc(col, y);
    const strength = Math.abs(s - 0.5);
    if (strength > bestScore) {
      bestScore = strength;
      best = col.name;
    }
  }
  return best;
}

/** AUC of one feature on its own: numeric values as scores (missing = median), categorical by level rate. */
export function univariateAuc(col: FeatureColumn, y: ArrayLike<number>): number {
  const n = y.length;
  const score = new Float64Array(n);
  if (col.kind === 'numeric') {
    const present = Array.from(col.values)
      .filter((v) => !Number.isNaN(v))
      .sort((a, b) => a - b);
    const median = present.length ? (present[present.length >> 1] as number) : 0;
    for (let i = 0; i < n; i++) {
      const v = col.values[i] as number;
      score[i] = !Number.isNaN(v) ? v : median;
    }
  } else {
    const pos = new Float64Array(col.levels.length + 1);
    const cnt = new Float64Array(col.levels.length + 1);
    for (let i = 0; i < n; i++) {
      const c = (col.codes[i] as number) < 0 ? col.levels.length : (col.codes[i] as number);
      pos[c] = (pos[c] as number) + ((y[i] as number) > 0 ? 1 : 0);
      cnt[c] = (cnt[c] as number) + 1;
    }
    for (let i = 0; i < n; i++) {
      const c = (col.codes[i] as number) < 0 ? col.levels.length : (col.codes[i] as number);
      score[i] = (pos[c] as number) / Math.max(cnt[c] as number, 1);
    }
  }
  const a = auc(y, score);
  return Number.isNaN(a) ? 0.5 : a;
}

/**
 * Time-based validation: rows whose time is before `cutoff` train the model, the rest test it.
 * `time` holds sortable values (epoch days, ISO dates compared as text are fine).
 */
export function timeSplit<T extends number | string>(
  time: ArrayLike<T>,
  cutoff: T,
): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < time.length; i++) ((time[i] as T) < cutoff ? train : test).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
