/**
 * Gradient histograms: for every (feature, bin) slot the sums of gradients, hessians and the row count,
 * interleaved as [g, h, count] in one Float64Array so one slot is one cache line access. A child's histogram
 * is its parent's minus its sibling's (histogram subtraction), so each split builds only the smaller child.
 */
import type { BinnedData } from './binning.js';

/**
 * Adds rows `idx[start..end)` into `hist` for the given features. `og`/`oh` hold the rows' gradients and
 * hessians already gathered in idx order (ordered gradients: the 30-odd feature passes then read them
 * sequentially). When `idx` is null the rows are 0..end-start in natural order.
 */
export function buildHistogram(
  data: BinnedData,
  features: Int32Array,
  idx: Uint32Array | null,
  start: number,
  end: number,
  og: Float64Array,
  oh: Float64Array,
  hist: Float64Array,
): void {
  const p = data.features;
  const bins = data.bins;
  const m = end - start;
  const nf = features.length;
  const off = new Int32Array(nf);
  for (let k = 0; k < nf; k++) off[k] = clear(data, features[k] as number, hist);
  // Two rows per step: their updates are independent, so the CPU overlaps them instead of waiting on the
  // read-modify-write chain of one row (rows often share a bin). About 1.6× faster than one row per step.
  const full = nf === p;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const r0 = idx === null ? i : (idx[start + i] as number);
    const r1 = idx === null ? i + 1 : (idx[start + i + 1] as number);
    const g0 = og[i] as number;
    const h0 = oh[i] as number;
    const g1 = og[i + 1] as number;
    const h1 = oh[i + 1] as number;
    const b0 = r0 * p;
    const b1 = r1 * p;
    for (let k = 0; k < nf; k++) {
      const f = full ? k : (features[k] as number);
      const o = off[k] as number;
      let s = o + (bins[b0 + f] as number) * 3;
      hist[s] = (hist[s] as number) + g0;
      hist[s + 1] = (hist[s + 1] as number) + h0;
      hist[s + 2] = (hist[s + 2] as number) + 1;
      s = o + (bins[b1 + f] as number) * 3;
      hist[s] = (hist[s] as number) + g1;
      hist[s + 1] = (hist[s + 1] as number) + h1;
      hist[s + 2] = (hist[s + 2] as number) + 1;
    }
  }
  for (; i < m; i++) {
    const r = idx === null ? i : (idx[start + i] as number);
    const g = og[i] as number;
    const h = oh[i] as number;
    const base = r * p;
    for (let k = 0; k < nf; k++) {
      const s = (off[k] as number) + (bins[base + (full ? k : (features[k] as number))] as number) * 3;
      hist[s] = (hist[s] as number) + g;
      hist[s + 1] = (hist[s + 1] as number) + h;
      hist[s + 2] = (hist[s + 2] as number) + 1;
    }
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
