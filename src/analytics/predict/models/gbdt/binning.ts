/**
 * Feature binning for histogram trees: every feature becomes a Uint8 bin index per row, so a node's
 * histogram has at most 256 slots per feature. Numeric features get rank-quantile bins (cut points chosen
 * by position among the sorted distinct values, so a strictly monotone transform of a feature gives the same
 * bins and therefore the same trees); categorical features use their level code as bin. The last bin of
 * every feature (index `missingBin`) holds missing values.
 */
import type { Rng } from '../../../shared/rng.js';
import type { FeatureFrame } from '../frame.js';
import { type Arena, heapArena } from './wasm/kernels.js';

export interface FeatureBins {
  kind: 'numeric' | 'categorical';
  /** Numeric: upper edges; value ≤ thresholds[b] falls in bin ≤ b; values above the last edge are in bin thresholds.length. */
  thresholds: Float64Array;
  /** Bins holding non-missing values (numeric: thresholds.length + 1; categorical: level count). */
  valueBins: number;
  /** Index of the missing-value bin (= valueBins). */
  missingBin: number;
}

export interface BinnedData {
  rows: number;
  features: number;
  /**
   * Column-major bins: feature f, row i at bins[f * stride + i]. Histogram building runs a few features at a
   * time over a node's rows, so it streams byte columns and updates small (L1-resident) histograms.
   */
  bins: Uint8Array;
  /** Column length in bytes: rows rounded up to a multiple of 8, so every column starts word-aligned. */
  stride: number;
  info: FeatureBins[];
  /** Start of each feature's histogram slots; slots per feature = missingBin + 1. */
  offsets: Int32Array;
  totalBins: number;
}

/** Fits bin edges on (a sample of) the training frame. */
export function fitBins(frame: FeatureFrame, maxBins: number, sampleSize: number, rng: Rng): FeatureBins[] {
  const n = frame.rows;
  let sample: Int32Array | null = null;
  if (n > sampleSize) {
    // Partial Fisher–Yates: a seeded sample without replacement.
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < sampleSize; i++) {
      const j = i + rng.int(n - i);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    sample = perm.subarray(0, sampleSize);
  }
  return frame.columns.map((col): FeatureBins => {
    if (col.kind === 'categorical') {
      const valueBins = Math.min(col.levels.length, maxBins);
      return { kind: 'categorical', thresholds: new Float64Array(0), valueBins, missingBin: valueBins };
    }
    const m = sample ? sample.length : n;
    const vals = new Float64Array(m);
    let k = 0;
    for (let i = 0; i < m; i++) {
      const v = col.values[sample ? (sample[i] as number) : i] as number;
      if (!Number.isNaN(v)) vals[k++] = v;
    }
    const thresholds = numericEdges(vals.subarray(0, k).sort(), maxBins);
    const valueBins = thresholds.length + 1;
    return { kind: 'numeric', thresholds, valueBins, missingBin: valueBins };
  });
}

/**
 * Cut points for sorted values: midpoints between distinct values, one per distinct value when there are few,
 * else at rank quantiles of the non-missing values.
 */
function numericEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  const distinct: number[] = [];
  const ends: number[] = []; // exclusive end position of each distinct value in sorted
  for (let i = 0; i < m; i++) {
    const v = sorted[i] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      if (distinct.length > 0) ends.push(i);
      distinct.push(v);
    }
  }
  ends.push(m);
  const d = distinct.length;
  const edges: number[] = [];
  if (d <= maxBins) {
    for (let j = 0; j + 1 < d; j++) edges.push(midpoint(distinct[j] as number, distinct[j + 1] as number));
    return Float64Array.from(edges);
  }
  let j = 0;
  for (let q = 1; q < maxBins; q++) {
    const target = (q * m) / maxBins;
    while (j < d - 1 && (ends[j] as number) < target) j++;
    if (j >= d - 1) break;
    const edge = midpoint(distinct[j] as number, distinct[j + 1] as number);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
    j++;
  }
  return Float64Array.from(edges);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Keep a < edge so that the value a itself stays on the left; b − a may underflow the midpoint onto b.
  return m >= b ? a : m;
}

/** Maps a numeric value to its bin: the number of upper edges below v. */
export function numericBin(thresholds: Float64Array, v: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (thresholds[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Branch-free search over edges padded with +Infinity to 256 entries: a fixed sequence of 8 halvings whose
 * outcome depends on data only through a conditional add, so random values cost no mispredictions.
 */
function binColumn(
  values: Float64Array,
  t: Float64Array,
  missing: number,
  bins: Uint8Array,
  base: number,
): void {
  const n = values.length;
  for (let i = 0, o = base; i < n; i++, o++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) {
      bins[o] = missing;
      continue;
    }
    // +(a < b) compiles to a flag-to-register move; `a < b ? 128 : 0` compiled to a branch (2× slower).
    let pos = 0;
    pos += +((t[pos + 127] as number) < v) << 7;
    pos += +((t[pos + 63] as number) < v) << 6;
    pos += +((t[pos + 31] as number) < v) << 5;
    pos += +((t[pos + 15] as number) < v) << 4;
    pos += +((t[pos + 7] as number) < v) << 3;
    pos += +((t[pos + 3] as number) < v) << 2;
    pos += +((t[pos + 1] as number) < v) << 1;
    pos += +((t[pos] as number) < v);
    bins[o] = pos;
  }
}

/** Column length in bytes for `rows` rows: a multiple of 8, so every column starts word-aligned. */
export function binStride(rows: number): number {
  return Math.ceil(rows / 8) * 8;
}

/**
 * Bins a frame with fitted edges (the bins allocated from `arena`). Categorical levels beyond the bin budget
 * share the last value bin.
 */
export function applyBins(
  frame: FeatureFrame,
  info: readonly FeatureBins[],
  arena: Arena = heapArena,
): BinnedData {
  const n = frame.rows;
  const p = info.length;
  const stride = binStride(n);
  const bins = arena.u8(stride * p);
  const offsets = new Int32Array(p);
  let total = 0;
  const padded = new Float64Array(256);
  for (let f = 0; f < p; f++) {
    const fi = info[f] as FeatureBins;
    offsets[f] = total;
    total += fi.missingBin + 1;
    const col = frame.columns[f];
    if (!col) continue;
    if (col.kind === 'numeric') {
      padded.fill(Number.POSITIVE_INFINITY);
      padded.set(fi.thresholds);
      const missing = fi.missingBin;
      const values = col.values;
      binColumn(values, padded, missing, bins, f * stride);
    } else {
      const last = fi.valueBins - 1;
      for (let i = 0, o = f * stride; i < n; i++, o++) {
        const c = col.codes[i] as number;
        bins[o] = c < 0 ? fi.missingBin : Math.min(c, last);
      }
    }
  }
  return {
    rows: n,
    features: p,
    bins,
    stride,
    info: [...info],
    offsets,
    totalBins: total,
  };
}
