/**
 * Honest evaluation: stratified k-fold cross-validation and time-based holdouts, each model compared with a
 * one-feature baseline (the single most predictive feature in a logistic regression, or a feature the user
 * names such as recency), so the report shows what the full model adds. Pure.
 *
 * The baseline's feature is chosen once, before the model's folds run (`chooseBaseline`): each candidate's
 * one-feature score is learned on the training part of every fold and judged on its held-out part, and the
 * best mean held-out AUC wins. The same feature then serves in every fold, so the baseline's reported AUC is
 * its own cross-validated AUC. (Re-choosing it inside each fold made it a different, often overfitted
 * feature per fold — a many-level category whose training rate does not carry over — and understated it.)
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
  const baselineFeature = options.baselineFeature ?? chooseBaseline(frame, y, foldOf, k).feature;
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
      baselineFeature,
    );
    for (const w of r.warnings) warnings.add(w);
    test.forEach((row, j) => {
      oofMargin[row] = r.margin[j] as number;
      oofBase[row] = r.baselineProb[j] as number;
    });
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
    baselineFeature: baselineFeature || '(base rate)',
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

export interface BaselineChoice {
  /** The chosen feature ('' when there is no column). */
  feature: string;
  /** Every candidate's held-out AUC per fold and their mean, best first. */
  candidates: { feature: string; foldAucs: number[]; meanAuc: number }[];
}

/**
 * Chooses the baseline's feature once, on the training folds: for every column and fold, a one-feature score
 * is learned on the other folds (`singleFeatureScores`) and its AUC taken on the fold; the column with the best
 * mean AUC over the folds wins (ties: the earlier column). No fold's labels shape the score it is judged by,
 * so a many-level category that only memorises its training rows scores near 0.5, not near 1.
 */
export function chooseBaseline(
  frame: FeatureFrame,
  y: ArrayLike<number>,
  foldOf: ArrayLike<number>,
  k: number,
): BaselineChoice {
  const parts: { train: Int32Array; test: Int32Array }[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < frame.rows; i++) (foldOf[i] === f ? test : train).push(i);
    if (test.length) parts.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  const candidates = frame.columns.map((col) => {
    const foldAucs = parts.map(({ train, test }) => {
      const a = auc(
        Float64Array.from(test, (i) => y[i] as number),
        singleFeatureScores(col, y, train, test),
      );
      return Number.isNaN(a) ? 0.5 : a;
    });
    return { feature: col.name, foldAucs, meanAuc: foldAucs.reduce((a, b) => a + b, 0) / foldAucs.length };
  });
  const ranked = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.meanAuc - a.c.meanAuc || a.i - b.i)
    .map((x) => x.c);
  return { feature: ranked[0]?.feature ?? '', candidates: ranked };
}

/**
 * One column's score for the `test` rows, learned on the `train` rows only: a number signed by its training
 * direction (higher means positive when its training AUC is ≥ 0.5; missing = the training median); a category
 * by its training positive rate (a level unseen in training, or missing, gets the training base rate).
 */
export function singleFeatureScores(
  col: FeatureColumn,
  y: ArrayLike<number>,
  train: Int32Array,
  test: Int32Array,
): Float64Array {
  const yTrain = Float64Array.from(train, (i) => y[i] as number);
  const out = new Float64Array(test.length);
  if (col.kind === 'numeric') {
    const sub = takeRows({ rows: 0, columns: [col] }, train).columns[0] as FeatureColumn;
    const sign = univariateAuc(sub, yTrain) >= 0.5 ? 1 : -1;
    const present = Array.from(train, (i) => col.values[i] as number)
      .filter((v) => !Number.isNaN(v))
      .sort((a, b) => a - b);
    const median = present.length ? (present[present.length >> 1] as number) : 0;
    test.forEach((row, j) => {
      const v = col.values[row] as number;
      out[j] = sign * (Number.isNaN(v) ? median : v);
    });
    return out;
  }
  const pos = new Float64Array(col.levels.length);
  const cnt = new Float64Array(col.levels.length);
  let basePos = 0;
  train.forEach((row, j) => {
    const c = col.codes[row] as number;
    basePos += yTrain[j] as number;
    if (c < 0) return;
    pos[c] = (pos[c] as number) + (yTrain[j] as number);
    cnt[c] = (cnt[c] as number) + 1;
  });
  const base = basePos / Math.max(train.length, 1);
  test.forEach((row, j) => {
    const c = col.codes[row] as number;
    out[j] = c >= 0 && (cnt[c] as number) > 0 ? (pos[c] as number) / (cnt[c] as number) : base;
  });
  return out;
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
