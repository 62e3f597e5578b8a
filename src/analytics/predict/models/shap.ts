/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
 * for tree ensembles", Algorithm 2), ported from the reference C++ of the `shap` package. For every row it
 * gives each feature's contribution in log-odds such that base value + Σ contributions = margin exactly.
 * Node covers (training rows per node) stand in for the conditional expectations. Linear models get the
 * closed form for independent features: weight × (value − mean).
 */
import type { FeatureColumn, FeatureFrame } from './frame.js';
import type { GbdtState } from './gbdt/boost.js';
import { goesLeft } from './gbdt/predict.js';
import type { TreeState } from './gbdt/tree.js';
import type { LogisticState } from './logistic.js';

/** The expected margin over the training data: base score plus each tree's cover-weighted mean leaf. */
export function gbdtExpectedValue(state: GbdtState): number {
  let e = state.baseScore;
  for (const t of state.trees) e += treeExpectation(t, 0);
  return e;
}

function treeExpectation(t: TreeState, node: number): number {
  if ((t.feature[node] as number) < 0) return t.value[node] as number;
  const l = t.left[node] as number;
  const r = t.right[node] as number;
  const c = t.cover[node] as number;
  if (c <= 0) return 0;
  return (
    ((t.cover[l] as number) * treeExpectation(t, l) + (t.cover[r] as number) * treeExpectation(t, r)) / c
  );
}

function treeDepth(t: TreeState, node: number): number {
  if ((t.feature[node] as number) < 0) return 0;
  return 1 + Math.max(treeDepth(t, t.left[node] as number), treeDepth(t, t.right[node] as number));
}

/** The unique path of features seen on the way down, as parallel arrays (one segment per depth). */
class Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function extend(m: Path, o: number, depth: number, zero: number, one: number, feature: number): void {
  m.feature[o + depth] = feature;
  m.zero[o + depth] = zero;
  m.one[o + depth] = one;
  m.weight[o + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    m.weight[o + i + 1] =
      (m.weight[o + i + 1] as number) + (one * (m.weight[o + i] as number) * (i + 1)) / (depth + 1);
    m.weight[o + i] = (zero * (m.weight[o + i] as number) * (depth - i)) / (depth + 1);
  }
}

function unwind(m: Path, o: number, depth: number, index: number): void {
  const one = m.one[o + index] as number;
  const zero = m.zero[o + index] as number;
  let next = m.weight[o + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = m.weight[o + i] as number;
      m.weight[o + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - ((m.weight[o + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      m.weight[o + i] = ((m.weight[o + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    m.feature[o + i] = m.feature[o + i + 1] as number;
    m.zero[o + i] = m.zero[o + i + 1] as number;
    m.one[o + i] = m.one[o + i + 1] as number;
  }
}

function unwoundSum(m: Path, o: number, depth: number, index: number): number {
  const one = m.one[o + index] as number;
  const zero = m.zero[o + index] as number;
  let next = m.weight[o + depth] as number;
  let total = 0;
  if (one !== 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next / ((i + 1) * one);
      total += tmp;
      next = (m.weight[o + i] as number) - tmp * zero * (depth - i);
    }
  } else {
    for (let i = depth - 1; i >= 0; i--) total += (m.weight[o + i] as number) / (zero * (depth - i));
  }
  return total * (depth + 1);
}

function recurse(
  t: TreeState,
  cols: readonly FeatureColumn[],
  row: number,
  phi: Float64Array,
  node: number,
  depth: number,
  m: Path,
  parentOffset: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  // Each level works on its own copy of the path, placed after the parent's segment.
  const o = parentOffset + depth;
  for (let i = 0; i < depth; i++) {
    m.feature[o + i] = m.feature[parentOffset + i] as number;
    m.zero[o + i] = m.zero[parentOffset + i] as number;
    m.one[o + i] = m.one[parentOffset + i] as number;
    m.weight[o + i] = m.weight[parentOffset + i] as number;
  }
  extend(m, o, depth, zeroFraction, oneFraction, feature);
  const f = t.feature[node] as number;
  if (f < 0) {
    const v = t.value[node] as number;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(m, o, depth, i);
      const fi = m.feature[o + i] as number;
      phi[fi] = (phi[fi] as number) + w * ((m.one[o + i] as number) - (m.zero[o + i] as number)) * v;
    }
    return;
  }
  const left = goesLeft(t, node, cols[f] as FeatureColumn, row);
  const hot = left ? (t.left[node] as number) : (t.right[node] as number);
  const cold = left ? (t.right[node] as number) : (t.left[node] as number);
  const w = t.cover[node] as number;
  const hotZero = (t.cover[hot] as number) / w;
  const coldZero = (t.cover[cold] as number) / w;
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  let k = 0;
  for (; k <= d; k++) if (m.feature[o + k] === f) break;
  if (k !== d + 1) {
    inZero = m.zero[o + k] as number;
    inOne = m.one[o + k] as number;
    unwind(m, o, d, k);
    d -= 1;
  }
  recurse(t, cols, row, phi, hot, d + 1, m, o, hotZero * inZero, inOne, f);
  recurse(t, cols, row, phi, cold, d + 1, m, o, coldZero * inZero, 0, f);
}

/**
 * SHAP values of every row: an n × features matrix (row-major) of log-odds contributions, plus the base value
 * (expected margin). Frame columns must be aligned to the model's features.
 */
export function gbdtShap(state: GbdtState, frame: FeatureFrame): { base: number; values: Float64Array } {
  const p = state.features.length;
  const values = new Float64Array(frame.rows * p);
  let maxDepth = 0;
  for (const t of state.trees) maxDepth = Math.max(maxDepth, treeDepth(t, 0));
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 2;
  const path = new Path(size);
  const phi = new Float64Array(p + 1);
  for (let r = 0; r < frame.rows; r++) {
    phi.fill(0);
    for (const t of state.trees) {
      if ((t.feature[0] as number) < 0) continue;
      recurse(t, frame.columns, r, phi, 0, 0, path, 0, 1, 1, p);
    }
    values.set(phi.subarray(0, p), r * p);
  }
  return { base: gbdtExpectedValue(state), values };
}

/** Contributions of a logistic model per row and feature: Σ over the feature's terms of weight × (value − mean). */
export function logisticContributions(
  state: LogisticState,
  frame: FeatureFrame,
): { base: number; values: Float64Array } {
  const p = state.features.length;
  const n = frame.rows;
  const values = new Float64Array(n * p);
  for (const term of state.terms) {
    if (term.weight === 0) continue;
    const col = frame.columns[term.feature];
    if (!col) continue;
    const code = col.kind === 'categorical' ? col.levels.indexOf(term.level ?? '') : -1;
    for (let i = 0; i < n; i++) {
      let x: number;
      if (col.kind === 'numeric') {
        const v = col.values[i] as number;
        x = !Number.isNaN(v) ? v : term.mean;
      } else {
        x = code >= 0 && col.codes[i] === code ? 1 : 0;
      }
      const k = i * p + term.feature;
      values[k] = (values[k] as number) + term.weight * (x - term.mean);
    }
  }
  return { base: state.intercept, values };
}
