/**
 * Gradient boosting of histogram trees for binary log-loss (Friedman 2001; second-order leaf values as in
 * XGBoost, Chen & Guestrin 2016, with histogram subtraction and leaf-wise growth as in LightGBM, Ke et al.
 * 2017). Pure: data in typed arrays, randomness from the seeded `Rng`.
 */
import type { Rng } from '../../../shared/rng.js';
import { type FeatureFrame, type FeatureSpec, specsOf, takeRows } from '../frame.js';
import { applyBins, binStride, fitBins } from './binning.js';
import { createWorkspace, type GrowOptions, growTree, workspaceBytes } from './grower.js';
import { typescriptLoops } from './histogram.js';
import { type GrownTree, predictBinnedRow, type TreeState, toTreeState } from './tree.js';
import { arenaBytes, heapArena, wasmHistogramLoops } from './wasm/kernels.js';

/**
 * Which histogram loops a fit runs: WebAssembly (the default; falls back to TypeScript where WebAssembly is
 * unavailable or the data exceed 4 GiB) or TypeScript. Both grow bit-identical models.
 */
export type HistogramKernel = 'webassembly' | 'typescript';

export interface GbdtOptions extends GrowOptions {
  trees: number;
  maxBins: number;
  /** Fraction of rows drawn (without replacement) for each tree. */
  rowSubsample: number;
  /** Fraction of features drawn for each tree. */
  featureSubsample: number;
  earlyStopping: boolean;
  validationFraction: number;
  /** Trees without improvement of the validation loss before stopping. */
  patience: number;
  /**
   * Trees always fitted and kept before early stopping may stop (0 or absent: none). A small validation set's
   * loss is noisy; without a floor it can stop after 2–5 trees, whose few leaves tie many rows at one score.
   */
  minTrees?: number;
  tolerance: number;
  binSampleSize: number;
}

export interface GbdtState {
  kind: 'gbdt';
  features: FeatureSpec[];
  /** Log-odds of the training base rate; every tree adds to it. */
  baseScore: number;
  trees: TreeState[];
}

export interface GbdtFitResult {
  state: GbdtState;
  /** Trees fitted before stopping (≥ trees kept when early stopping truncated to the best iteration). */
  iterations: number;
  converged: boolean;
  /** Mean log-loss of the training rows after the last tree. */
  trainLoss: number;
  validationLoss: number[];
  warnings: string[];
  /** The histogram loops that ran. */
  kernel: HistogramKernel;
}

/** Fits a boosted tree ensemble; `y` holds 0/1 labels per row. */
export function fitGbdt(
  frame: FeatureFrame,
  y: ArrayLike<number>,
  options: GbdtOptions,
  rng: Rng,
  kernel: HistogramKernel = 'webassembly',
): GbdtFitResult {
  const warnings: string[] = [];
  const specs = specsOf(frame);
  for (const c of frame.columns) {
    if (c.kind === 'categorical' && c.levels.length > options.maxBins)
      warnings.push(
        `Feature "${c.name}" has ${c.levels.length} levels; levels beyond the first ${options.maxBins - 1} share one bin. Group rare levels or exclude the column.`,
      );
  }
  const splitRng = rng.fork();
  const binRng = rng.fork();
  const treeRng = rng.fork();

  let trainIdx: Int32Array | null = null;
  let validIdx: Int32Array | null = null;
  if (options.earlyStopping && options.validationFraction > 0 && frame.rows >= 20) {
    [trainIdx, validIdx] = stratifiedHoldout(y, options.validationFraction, splitRng);
  }
  const trainFrame = trainIdx ? takeRows(frame, trainIdx) : frame;
  const yTrain = trainIdx ? gather(y, trainIdx) : Float64Array.from(y as ArrayLike<number>);
  const info = fitBins(trainFrame, options.maxBins, options.binSampleSize, binRng);
  // The arrays the histogram loops read live in one arena: WebAssembly memory sized for them, or the heap.
  const rows = trainFrame.rows;
  let totalBins = 0;
  for (const b of info) totalBins += b.missingBin + 1;
  const wasm =
    kernel === 'webassembly'
      ? wasmHistogramLoops(
          arenaBytes(
            [binStride(rows) * info.length, 1],
            [rows, 8],
            [rows, 8],
            [rows, 4],
            [rows, 8],
            [rows, 8],
          ) + workspaceBytes(rows, totalBins, options.maxLeaves),
        )
      : null;
  const arena = wasm?.arena ?? heapArena;
  const data = applyBins(trainFrame, info, arena);
  const valid = validIdx ? applyBins(takeRows(frame, validIdx), info) : null;
  const yValid = validIdx ? gather(y, validIdx) : null;

  const n = data.rows;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += yTrain[i] as number;
  const rate = Math.min(Math.max(pos / Math.max(n, 1), 1e-12), 1 - 1e-12);
  const baseScore = Math.log(rate / (1 - rate));
  if (pos === 0 || pos === n)
    warnings.push('The training labels are all one class; the model predicts the base rate only.');

  const rawValid = valid ? new Float64Array(valid.rows).fill(baseScore) : null;
  const grad = arena.f64(n);
  const hess = arena.f64(n);
  const idx = arena.u32(n);
  // Margins and labels in the arena too: the gradient loops read them.
  const raw = arena.f64(n).fill(baseScore);
  const yArena = arena.f64(n);
  yArena.set(yTrain);
  const loops = wasm?.loops ?? typescriptLoops;
  const ws = createWorkspace(data, options.maxLeaves, arena, loops);
  const sampled = new Uint8Array(n);
  const trees: GrownTree[] = [];
  const validationLoss: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestIter = 0;
  let sinceBest = 0;
  let converged = !options.earlyStopping;
  const p = data.features;
  const nFeat = Math.max(1, Math.round(options.featureSubsample * p));
  const minTrees = options.minTrees ?? 0;

  const full = options.rowSubsample >= 1;
  // On all rows, the next tree's gradients are computed in the pass that adds this tree's leaf values
  // (one pass over the rows instead of two; the same arithmetic per row, so the same bits).
  let gradientsReady = false;
  for (let it = 0; it < options.trees; it++) {
    if (!gradientsReady) loops.gradients(n, raw, yArena, grad, hess);

    let count = n;
    if (full) {
      for (let i = 0; i < n; i++) idx[i] = i;
    } else {
      count = sampleSorted(n, Math.max(1, Math.round(options.rowSubsample * n)), treeRng, idx, sampled);
    }
    const features = nFeat >= p ? allFeatures(p) : sampleFeatures(p, nFeat, treeRng);
    const { tree, leafRanges } = growTree(data, grad, hess, idx, count, full, features, options, ws);
    trees.push(tree);
    gradientsReady = full && it + 1 < options.trees;
    for (let k = 0; k < leafRanges.length; k += 3) {
      const v = tree.value[leafRanges[k] as number] as number;
      const e = leafRanges[k + 2] as number;
      if (gradientsReady) {
        const start = leafRanges[k + 1] as number;
        loops.addLeafGradients(idx, start, e - start, v, raw, yArena, grad, hess);
      } else {
        for (let i = leafRanges[k + 1] as number; i < e; i++) {
          const r = idx[i] as number;
          raw[r] = (raw[r] as number) + v;
        }
      }
    }
    if (!full) {
      for (let r = 0; r < n; r++)
        if (sampled[r] === 0) raw[r] = (raw[r] as number) + predictBinnedRow(tree, data, r);
    }
    if (valid && rawValid && yValid) {
      let vl = 0;
      for (let r = 0; r < valid.rows; r++) {
        const m = (rawValid[r] as number) + predictBinnedRow(tree, valid, r);
        rawValid[r] = m;
        vl += logLoss1(yValid[r] as number, m);
      }
      vl /= Math.max(valid.rows, 1);
      validationLoss.push(vl);
      // Before the floor the loss is only recorded: the best iteration is chosen among the later ones.
      if (it + 1 >= minTrees) {
        if (vl < best - options.tolerance) {
          best = vl;
          bestIter = it + 1;
          sinceBest = 0;
        } else if (++sinceBest >= options.patience) {
          converged = true;
          break;
        }
      }
    }
    if (tree.feature.length === 1 && tree.feature[0] === -1) {
      converged = true;
      break;
    }
  }
  // Stopped (or ran out of trees) before the floor: every tree is kept.
  const kept = valid ? trees.slice(0, bestIter > 0 ? bestIter : minTrees > 0 ? trees.length : 1) : trees;
  return {
    state: { kind: 'gbdt', features: specs, baseScore, trees: kept.map((t) => toTreeState(t, info, specs)) },
    iterations: trees.length,
    converged,
    trainLoss: meanLogLoss(yTrain, raw),
    validationLoss,
    warnings,
    kernel: wasm ? 'webassembly' : 'typescript',
  };
}

function meanLogLoss(y: Float64Array, margin: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += logLoss1(y[i] as number, margin[i] as number);
  return s / Math.max(y.length, 1);
}

function logLoss1(y: number, margin: number): number {
  // log(1 + e^{-m}) for y = 1 and log(1 + e^{m}) for y = 0, written to avoid overflow.
  const z = y ? -margin : margin;
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function gather(y: ArrayLike<number>, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = y[index[i] as number] as number;
  return out;
}

/** A stratified random holdout: about `fraction` of each class goes to the second set; both sets sorted. */
export function stratifiedHoldout(
  y: ArrayLike<number>,
  fraction: number,
  rng: Rng,
): [Int32Array, Int32Array] {
  const n = y.length;
  const classes: number[][] = [[], []];
  for (let i = 0; i < n; i++) classes[(y[i] as number) > 0 ? 1 : 0]?.push(i);
  const hold = new Uint8Array(n);
  for (const members of classes) {
    shuffle(members, rng);
    const k = Math.round(members.length * fraction);
    for (let j = 0; j < k; j++) hold[members[j] as number] = 1;
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) (hold[i] ? b : a).push(i);
  return [Int32Array.from(a), Int32Array.from(b)];
}

export function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
}

function allFeatures(p: number): Int32Array {
  const out = new Int32Array(p);
  for (let i = 0; i < p; i++) out[i] = i;
  return out;
}

function sampleFeatures(p: number, k: number, rng: Rng): Int32Array {
  const all = Array.from({ length: p }, (_, i) => i);
  shuffle(all, rng);
  return Int32Array.from(all.slice(0, k).sort((a, b) => a - b));
}

/** Draws k of n rows without replacement (selection sampling, already in order); marks them in `mark`. */
function sampleSorted(n: number, k: number, rng: Rng, out: Uint32Array, mark: Uint8Array): number {
  let need = k;
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (rng.next() * (n - i) < need) {
      out[c++] = i;
      mark[i] = 1;
      need--;
    } else mark[i] = 0;
  }
  return c;
}
