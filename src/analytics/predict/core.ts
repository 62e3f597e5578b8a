/**
 * The pure core of the predict module (the maths lives in models/): fit a model on a feature frame with
 * 0/1 labels, score margins and probabilities, and explain rows as per-feature log-odds contributions. No I/O, no clock; randomness only
 * from the seeded Rng passed in.
 */
import type { Rng } from '../shared/rng.js';
import type { FeatureFrame, FeatureSpec } from './models/frame.js';
import { fitGbdt, type GbdtState } from './models/gbdt/boost.js';
import { predictGbdtMargin } from './models/gbdt/predict.js';
import { fitLogistic, type LogisticState, predictLogisticMargin } from './models/logistic.js';
import { gbdtShap, logisticContributions } from './models/shap.js';
import type { PredictParams } from './params.js';

export type ModelState = GbdtState | LogisticState;

export interface FitCoreResult {
  state: ModelState;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

/** Fits the model chosen by `params.model`. `y` holds 0/1 labels, one per frame row. */
export function fitCore(
  frame: FeatureFrame,
  y: ArrayLike<number>,
  params: PredictParams,
  rng: Rng,
): FitCoreResult {
  if (params.model === 'logistic') {
    const r = fitLogistic(frame, y, { ...params.logistic, tolerance: 1e-8 });
    return { state: r.state, iterations: r.iterations, converged: r.converged, warnings: r.warnings };
  }
  const g = params.gbdt;
  const r = fitGbdt(
    frame,
    y,
    {
      trees: g.trees,
      learningRate: g.learningRate,
      maxLeaves: g.maxLeaves,
      maxDepth: g.maxDepth,
      minSamplesLeaf: g.minSamplesLeaf,
      minChildWeight: g.minChildWeight,
      l2: g.l2,
      minGainToSplit: g.minGainToSplit,
      catSmooth: g.catSmooth,
      maxBins: g.maxBins,
      rowSubsample: g.rowSubsample,
      featureSubsample: g.featureSubsample,
      earlyStopping: g.earlyStopping,
      validationFraction: g.validationFraction,
      patience: g.patience,
      minTrees: g.minTrees,
      tolerance: 1e-7,
      binSampleSize: g.binSampleSize,
    },
    rng,
  );
  return { state: r.state, iterations: r.iterations, converged: r.converged, warnings: r.warnings };
}

/** Log-odds margins for a frame aligned to the model's features. */
export function scoreCore(state: ModelState, frame: FeatureFrame): Float64Array {
  return state.kind === 'gbdt' ? predictGbdtMargin(state, frame) : predictLogisticMargin(state, frame);
}

/**
 * Per-row, per-feature log-odds contributions (row-major n × features) and the base value; for every row
 * base + Σ contributions equals the margin.
 */
export function explainCore(state: ModelState, frame: FeatureFrame): { base: number; values: Float64Array } {
  return state.kind === 'gbdt' ? gbdtShap(state, frame) : logisticContributions(state, frame);
}

export function featuresOf(state: ModelState): FeatureSpec[] {
  return state.features;
}
