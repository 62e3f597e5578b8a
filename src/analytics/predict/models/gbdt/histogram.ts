/**
 * Gradient histograms: for every (feature, bin) slot the sums of gradients, hessians and the row count,
 * interleaved as [g, h, count] in one Float64Array so one slot is one cache line access. A child's histogram
 * is its parent's minus its sibling's (histogram subtraction), so each split builds only the smaller child.
 */
import type { BinnedData } from './binning.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Rows per (feature, bin) slot over all rows: the count part of every full-data root histogram. */
export function countBins(data: BinnedData): Float64Array {
  const counts = new Float64Array(data.totalBins);
  for (let f = 0; f < data.features; f++) {
    const o = data.offsets[f] as number;
    const base = f * data.stride;
    for (let i = 0; i < data.rows; i++) {
      const s = o + (data.bins[base + i] as number);
      counts[s] = (counts[s] as number) + 1;
    }
  }
  return counts;
}

/**
 * The inner loops of histogram building, over typed arrays and element offsets (column starts `b*` in `bins`,
 * feature slot starts `o*` in `hist`). Two implementations: `typescriptLoops` below and the WebAssembly ones
 * in wasm/kernels.ts; both add every slot's rows in row order, so they give bit-identical histograms. The
 * gradient loops live here too (they feed the histograms); the WebAssembly ones compute e^x exactly as V8's
 * Math.exp does (a port of the same fdlibm code), so both give bit-identical gradients.
 */
export interface HistogramLoops {
  /** Rows 0..m in natural order of three columns (gradients and hessians; counts are copied separately). */
  natural3(
    bins: Uint8Array,
    b0: number,
    b1: number,
    b2: number,
    m: number,
    grad: Float64Array,
    hess: Float64Array,
    hist: Float64Array,
    o0: number,
    o1: number,
    o2: number,
  ): void;
  natural1(
    bins: Uint8Array,
    base: number,
    from: number,
    to: number,
    grad: Float64Array,
    hess: Float64Array,
    hist: Float64Array,
    o: number,
  ): void;
  /** Rows idx[start..start+m) of three columns, gradients already gathered into og/oh in idx order. */
  indexed3(
    bins: Uint8Array,
    b0: number,
    b1: number,
    b2: number,
    idx: Uint32Array,
    start: number,
    m: number,
    og: Float64Array,
    oh: Float64Array,
    hist: Float64Array,
    o0: number,
    o1: number,
    o2: number,
  ): void;
  /** indexed3 that first gathers each row's gradient and hessian from grad/hess (by row) into og/oh. */
  gatherIndexed3(
    bins: Uint8Array,
    b0: number,
    b1: number,
    b2: number,
    idx: Uint32Array,
    start: number,
    m: number,
    grad: Float64Array,
    hess: Float64Array,
    og: Float64Array,
    oh: Float64Array,
    hist: Float64Array,
    o0: number,
    o1: number,
    o2: number,
  ): void;
  indexed1(
    bins: Uint8Array,
    base: number,
    idx: Uint32Array,
    start: number,
    m: number,
    og: Float64Array,
    oh: Float64Array,
    hist: Float64Array,
    o: number,
  ): void;
  gather(
    idx: Uint32Array,
    start: number,
    m: number,
    grad: Float64Array,
    hess: Float64Array,
    og: Float64Array,
    oh: Float64Array,
  ): void;
  /** Log-loss gradients and hessians of rows 0..n from their margins `raw` and 0/1 labels `y`. */
  gradients(n: number, raw: Float64Array, y: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /**
   * Adds a leaf's value `v` to the margins of rows idx[start..start+m) and computes their new gradients and
   * hessians, in one pass.
   */
  addLeafGradients(
    idx: Uint32Array,
    start: number,
    m: number,
    v: number,
    raw: Float64Array,
    y: Float64Array,
    grad: Float64Array,
    hess: Float64Array,
  ): void;
}

/**
 * The histogram of all rows in natural order (the root of a tree grown on every row): `grad`/`hess` are indexed
 * by row and the counts are copied from `allCounts` (see countBins), since they do not change between trees.
 * Features go three at a time, so one pass loads a row's gradient and hessian once for three features and
 * updates three histograms of 256 × 3 doubles that stay in L1.
 */
export function buildFullHistogram(
  data: BinnedData,
  features: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  allCounts: Float64Array,
  loops: HistogramLoops = typescriptLoops,
): void {
  const stride = data.stride;
  const bins = data.bins;
  const nf = features.length;
  const m = data.rows;
  let k = 0;
  for (; k + 3 <= nf; k += 3) {
    const f0 = features[k] as number;
    const f1 = features[k + 1] as number;
    const f2 = features[k + 2] as number;
    const o0 = clear(data, f0, hist);
    const o1 = clear(data, f1, hist);
    const o2 = clear(data, f2, hist);
    loops.natural3(bins, f0 * stride, f1 * stride, f2 * stride, m, grad, hess, hist, o0, o1, o2);
  }
  for (; k < nf; k++) {
    const f = features[k] as number;
    loops.natural1(bins, f * stride, 0, m, grad, hess, hist, clear(data, f, hist));
  }
  for (let j = 0; j < nf; j++) {
    const f = features[j] as number;
    const o = data.offsets[f] as number;
    const slots = (data.info[f]?.missingBin ?? 0) + 1;
    for (let b = 0; b < slots; b++) hist[(o + b) * 3 + 2] = allCounts[o + b] as number;
  }
}

/**
 * Adds rows `idx[start..end)` into `hist` for the given features. The first pass gathers the rows' gradients
 * and hessians from `grad`/`hess` (indexed by row) into `og`/`oh` in idx order (ordered gradients), so the
 * later passes read them sequentially.
 * Features go three at a time as in buildFullHistogram. Every slot receives its rows in row order, so the sums
 * equal a plain row-by-row loop's whatever the grouping.
 */
export function buildHistogram(
  data: BinnedData,
  features: Int32Array,
  idx: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  og: Float64Array,
  oh: Float64Array,
  hist: Float64Array,
  loops: HistogramLoops = typescriptLoops,
): void {
  const stride = data.stride;
  const bins = data.bins;
  const nf = features.length;
  const m = end - start;
  let k = 0;
  if (nf >= 3) {
    const f0 = features[0] as number;
    const f1 = features[1] as number;
    const f2 = features[2] as number;
    const o0 = clear(data, f0, hist);
    const o1 = clear(data, f1, hist);
    const o2 = clear(data, f2, hist);
    const [b0, b1, b2] = [f0 * stride, f1 * stride, f2 * stride];
    loops.gatherIndexed3(bins, b0, b1, b2, idx, start, m, grad, hess, og, oh, hist, o0, o1, o2);
    k = 3;
  } else {
    loops.gather(idx, start, m, grad, hess, og, oh);
  }
  for (; k + 3 <= nf; k += 3) {
    const f0 = features[k] as number;
    const f1 = features[k + 1] as number;
    const f2 = features[k + 2] as number;
    const o0 = clear(data, f0, hist);
    const o1 = clear(data, f1, hist);
    const o2 = clear(data, f2, hist);
    loops.indexed3(bins, f0 * stride, f1 * stride, f2 * stride, idx, start, m, og, oh, hist, o0, o1, o2);
  }
  for (; k < nf; k++) {
    const f = features[k] as number;
    loops.indexed1(bins, f * stride, idx, start, m, og, oh, hist, clear(data, f, hist));
  }
}

/** The TypeScript loops (used where WebAssembly is not available, and as the reference in tests). */
export const typescriptLoops: HistogramLoops = {
  natural3(bins, b0, b1, b2, m, grad, hess, hist, o0, o1, o2) {
    // Little-endian and word-aligned columns (stride is a multiple of 8): read four bins per 32-bit word.
    const done = LITTLE_ENDIAN && (bins.byteOffset & 3) === 0 ? m & ~3 : 0;
    if (done > 0) {
      const words = new Uint32Array(bins.buffer, bins.byteOffset, bins.byteLength >>> 2);
      natural3Words(words, b0 >>> 2, b1 >>> 2, b2 >>> 2, done, grad, hess, hist, o0, o1, o2);
    }
    typescriptLoops.natural1(bins, b0, done, m, grad, hess, hist, o0);
    typescriptLoops.natural1(bins, b1, done, m, grad, hess, hist, o1);
    typescriptLoops.natural1(bins, b2, done, m, grad, hess, hist, o2);
  },
  natural1(bins, base, from, to, og, oh, hist, o) {
    for (let i = from; i < to; i++) {
      const s = o + (bins[base + i] as number) * 3;
      hist[s] = (hist[s] as number) + (og[i] as number);
      hist[s + 1] = (hist[s + 1] as number) + (oh[i] as number);
    }
  },
  indexed3(bins, b0, b1, b2, idx, start, m, og, oh, hist, o0, o1, o2) {
    for (let i = 0; i < m; i++) {
      const r = idx[start + i] as number;
      const g = og[i] as number;
      const h = oh[i] as number;
      let s = 0;
      s = o0 + (bins[b0 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
      s = o1 + (bins[b1 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
      s = o2 + (bins[b2 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
    }
  },
  gatherIndexed3(bins, b0, b1, b2, idx, start, m, grad, hess, og, oh, hist, o0, o1, o2) {
    for (let i = 0; i < m; i++) {
      const r = idx[start + i] as number;
      const g = grad[r] as number;
      const h = hess[r] as number;
      og[i] = g;
      oh[i] = h;
      let s = 0;
      s = o0 + (bins[b0 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
      s = o1 + (bins[b1 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
      s = o2 + (bins[b2 + r] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
    }
  },
  indexed1(bins, base, idx, start, m, og, oh, hist, o) {
    for (let i = 0; i < m; i++) {
      const s = o + (bins[base + (idx[start + i] as number)] as number) * 3;
      hist[s] = (hist[s] as number) + (og[i] as number);
      hist[s + 1] = (hist[s + 1] as number) + (oh[i] as number);
      hist[s + 2] = (hist[s + 2] as number) + 1;
    }
  },
  gather(idx, start, m, grad, hess, og, oh) {
    for (let i = 0; i < m; i++) {
      const r = idx[start + i] as number;
      og[i] = grad[r] as number;
      oh[i] = hess[r] as number;
    }
  },
  gradients(n, raw, y, grad, hess) {
    for (let i = 0; i < n; i++) {
      const prob = 1 / (1 + Math.exp(-(raw[i] as number)));
      grad[i] = prob - (y[i] as number);
      hess[i] = Math.max(prob * (1 - prob), 1e-16);
    }
  },
  addLeafGradients(idx, start, m, v, raw, y, grad, hess) {
    for (let i = start; i < start + m; i++) {
      const r = idx[i] as number;
      const margin = (raw[r] as number) + v;
      raw[r] = margin;
      const prob = 1 / (1 + Math.exp(-margin));
      grad[r] = prob - (y[r] as number);
      hess[r] = Math.max(prob * (1 - prob), 1e-16);
    }
  },
};

/** Rows 0..m (m a multiple of 4) of three features, four bins per word read; w0..w2 are word offsets. */
function natural3Words(
  words: Uint32Array,
  w0: number,
  w1: number,
  w2: number,
  m: number,
  og: Float64Array,
  oh: Float64Array,
  hist: Float64Array,
  o0: number,
  o1: number,
  o2: number,
): void {
  for (let i = 0, k = 0; i < m; i += 4, k++) {
    const x0 = words[w0 + k] as number;
    const x1 = words[w1 + k] as number;
    const x2 = words[w2 + k] as number;
    let g = og[i] as number;
    let h = oh[i] as number;
    let s = 0;
    s = o0 + (x0 & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o1 + (x1 & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o2 + (x2 & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    g = og[i + 1] as number;
    h = oh[i + 1] as number;
    s = o0 + ((x0 >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o1 + ((x1 >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o2 + ((x2 >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    g = og[i + 2] as number;
    h = oh[i + 2] as number;
    s = o0 + ((x0 >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o1 + ((x1 >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o2 + ((x2 >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    g = og[i + 3] as number;
    h = oh[i + 3] as number;
    s = o0 + (x0 >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o1 + (x1 >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    s = o2 + (x2 >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
  }
}

/** Zeroes feature f's slots and returns their start in `hist`. */
function clear(data: BinnedData, f: number, hist: Float64Array): number {
  const o = (data.offsets[f] as number) * 3;
  hist.fill(0, o, o + ((data.info[f]?.missingBin ?? 0) + 1) * 3);
  return o;
}

/** parent ← parent − sibling over the given features' slots (parent becomes the other child's histogram). */
export function subtractHistogram(
  data: BinnedData,
  features: Int32Array,
  parent: Float64Array,
  sibling: Float64Array,
): void {
  // Every feature (the usual case): their slots are one contiguous range, so one loop does it.
  if (features.length === data.features && data.features > 0) {
    const end = data.totalBins * 3;
    for (let s = 0; s < end; s++) parent[s] = (parent[s] as number) - (sibling[s] as number);
    return;
  }
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const o = (data.offsets[f] as number) * 3;
    const end = o + ((data.info[f]?.missingBin ?? 0) + 1) * 3;
    for (let s = o; s < end; s++) parent[s] = (parent[s] as number) - (sibling[s] as number);
  }
}
