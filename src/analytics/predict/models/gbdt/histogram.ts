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
 * The histogram of all rows in natural order (the root of a tree grown on every row): `grad`/`hess` are indexed
 * by row and the counts are copied from `allCounts` (see countBins), since they do not change between trees.
 * Features go three at a time, each column read four bins per 32-bit word, so one pass loads a row's gradient
 * and hessian once for three features and updates three histograms of 256 × 3 doubles that stay in L1.
 */
export function buildFullHistogram(
  data: BinnedData,
  features: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  allCounts: Float64Array,
): void {
  const stride = data.stride;
  const bins = data.bins;
  const nf = features.length;
  const m = data.rows;
  const words = LITTLE_ENDIAN ? new Uint32Array(bins.buffer, bins.byteOffset, bins.byteLength >>> 2) : null;
  const done = words ? m & ~3 : 0;
  let k = 0;
  for (; words && k + 3 <= nf; k += 3) {
    const f0 = features[k] as number;
    const f1 = features[k + 1] as number;
    const f2 = features[k + 2] as number;
    const o0 = clear(data, f0, hist);
    const o1 = clear(data, f1, hist);
    const o2 = clear(data, f2, hist);
    natural3Words(
      words,
      (f0 * stride) >>> 2,
      (f1 * stride) >>> 2,
      (f2 * stride) >>> 2,
      done,
      grad,
      hess,
      hist,
      o0,
      o1,
      o2,
    );
    natural1(bins, f0 * stride, done, m, grad, hess, hist, o0);
    natural1(bins, f1 * stride, done, m, grad, hess, hist, o1);
    natural1(bins, f2 * stride, done, m, grad, hess, hist, o2);
  }
  for (; k < nf; k++) {
    const f = features[k] as number;
    natural1(bins, f * stride, 0, m, grad, hess, hist, clear(data, f, hist));
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
    gatherIndexed3(
      bins,
      f0 * stride,
      f1 * stride,
      f2 * stride,
      idx,
      start,
      m,
      grad,
      hess,
      og,
      oh,
      hist,
      o0,
      o1,
      o2,
    );
    k = 3;
  } else {
    for (let i = 0; i < m; i++) {
      const r = idx[start + i] as number;
      og[i] = grad[r] as number;
      oh[i] = hess[r] as number;
    }
  }
  for (; k + 3 <= nf; k += 3) {
    const f0 = features[k] as number;
    const f1 = features[k + 1] as number;
    const f2 = features[k + 2] as number;
    const o0 = clear(data, f0, hist);
    const o1 = clear(data, f1, hist);
    const o2 = clear(data, f2, hist);
    indexed3(bins, f0 * stride, f1 * stride, f2 * stride, idx, start, m, og, oh, hist, o0, o1, o2);
  }
  for (; k < nf; k++) {
    const f = features[k] as number;
    indexed1(bins, f * stride, idx, start, m, og, oh, hist, clear(data, f, hist));
  }
}

/**
 * Per-slot offsets for buildRowHistogram: entry f is feature f's first slot × 3; padding entries up to
 * rowWords × 4 point at the spare slot after the last feature (histograms have totalBins + 1 slots).
 */
export function rowOffsets(data: BinnedData): Int32Array {
  const off = new Int32Array(data.rowWords * 4).fill(data.totalBins * 3);
  for (let f = 0; f < data.features; f++) off[f] = (data.offsets[f] as number) * 3;
  return off;
}

/**
 * The histogram of rows idx[start..end) over every feature, from the row-major bins: one pass over the rows,
 * each row's gradient and hessian read once, its bins from one cache line. Every slot receives its rows in idx
 * order, as in buildHistogram, so the sums (and the model) are the same.
 */
export function buildRowHistogram(
  data: BinnedData,
  idx: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  off: Int32Array,
): void {
  for (let f = 0; f < data.features; f++) clear(data, f, hist);
  for (let w0 = 0; w0 < data.rowWords; w0 += 8)
    rowBlock32(data.rowBins, data.rowWords, w0, idx, start, end - start, grad, hess, hist, off, w0 * 4);
}

/**
 * 32 features of rows idx[start..start+m) from the row-major bins (words w0…w0+7 of each row). The feature
 * offsets are locals and the 32 updates are written out: V8 keeps the offsets of straight-line code in registers
 * or stack slots, while a loop over features (offsets read from an array) measured 1.5× slower.
 */
function rowBlock32(
  rowBins: Uint32Array,
  rowWords: number,
  w0: number,
  idx: Uint32Array,
  start: number,
  m: number,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  off: Int32Array,
  f0: number,
): void {
  const o0 = off[f0 + 0] as number;
  const o1 = off[f0 + 1] as number;
  const o2 = off[f0 + 2] as number;
  const o3 = off[f0 + 3] as number;
  const o4 = off[f0 + 4] as number;
  const o5 = off[f0 + 5] as number;
  const o6 = off[f0 + 6] as number;
  const o7 = off[f0 + 7] as number;
  const o8 = off[f0 + 8] as number;
  const o9 = off[f0 + 9] as number;
  const o10 = off[f0 + 10] as number;
  const o11 = off[f0 + 11] as number;
  const o12 = off[f0 + 12] as number;
  const o13 = off[f0 + 13] as number;
  const o14 = off[f0 + 14] as number;
  const o15 = off[f0 + 15] as number;
  const o16 = off[f0 + 16] as number;
  const o17 = off[f0 + 17] as number;
  const o18 = off[f0 + 18] as number;
  const o19 = off[f0 + 19] as number;
  const o20 = off[f0 + 20] as number;
  const o21 = off[f0 + 21] as number;
  const o22 = off[f0 + 22] as number;
  const o23 = off[f0 + 23] as number;
  const o24 = off[f0 + 24] as number;
  const o25 = off[f0 + 25] as number;
  const o26 = off[f0 + 26] as number;
  const o27 = off[f0 + 27] as number;
  const o28 = off[f0 + 28] as number;
  const o29 = off[f0 + 29] as number;
  const o30 = off[f0 + 30] as number;
  const o31 = off[f0 + 31] as number;
  for (let i = start, end = start + m; i < end; i++) {
    const r = idx[i] as number;
    const g = grad[r] as number;
    const h = hess[r] as number;
    const base = r * rowWords + w0;
    let x = 0;
    let s = 0;
    x = rowBins[base + 0] as number;
    s = o0 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o1 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o2 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o3 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 1] as number;
    s = o4 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o5 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o6 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o7 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 2] as number;
    s = o8 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o9 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o10 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o11 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 3] as number;
    s = o12 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o13 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o14 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o15 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 4] as number;
    s = o16 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o17 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o18 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o19 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 5] as number;
    s = o20 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o21 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o22 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o23 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 6] as number;
    s = o24 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o25 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o26 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o27 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    x = rowBins[base + 7] as number;
    s = o28 + (x & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o29 + ((x >>> 8) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o30 + ((x >>> 16) & 255) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
    s = o31 + (x >>> 24) * 3;
    hist[s] = (hist[s] as number) + g;
    hist[s + 1] = (hist[s + 1] as number) + h;
    hist[s + 2] = (hist[s + 2] as number) + 1;
  }
}

/** Rows from..to in natural order (gradients and hessians only), one feature whose column starts at `base`. */
function natural1(
  bins: Uint8Array,
  base: number,
  from: number,
  to: number,
  og: Float64Array,
  oh: Float64Array,
  hist: Float64Array,
  o: number,
): void {
  for (let i = from; i < to; i++) {
    const s = o + (bins[base + i] as number) * 3;
    hist[s] = (hist[s] as number) + (og[i] as number);
    hist[s + 1] = (hist[s + 1] as number) + (oh[i] as number);
  }
}

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

function indexed1(
  bins: Uint8Array,
  base: number,
  idx: Uint32Array,
  start: number,
  m: number,
  og: Float64Array,
  oh: Float64Array,
  hist: Float64Array,
  o: number,
): void {
  for (let i = 0; i < m; i++) {
    const s = o + (bins[base + (idx[start + i] as number)] as number) * 3;
    hist[s] = (hist[s] as number) + (og[i] as number);
    hist[s + 1] = (hist[s + 1] as number) + (oh[i] as number);
    hist[s + 2] = (hist[s + 2] as number) + 1;
  }
}

function indexed3(
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
): void {
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
}

/** indexed3 that also gathers each row's gradient and hessian into og/oh (the first pass of a node). */
function gatherIndexed3(
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
): void {
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
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const o = (data.offsets[f] as number) * 3;
    const end = o + ((data.info[f]?.missingBin ?? 0) + 1) * 3;
    for (let s = o; s < end; s++) parent[s] = (parent[s] as number) - (sibling[s] as number);
  }
}
