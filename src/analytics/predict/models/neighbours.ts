/**
 * Nearest-neighbour similarity in standardised feature space: numeric features as z-scores (missing at the
 * mean), categorical features one-hot scaled by 1/√2 so a differing level costs 1 like one standard deviation.
 * A candidate's distance to the seed is the mean Euclidean distance to its k nearest seed members; similarity
 * is 1 / (1 + distance). Pure.
 */
import type { FeatureFrame } from './frame.js';

/** Standardised dense rows (row-major n × d) of a frame, with the dimension per row. */
export function standardise(frame: FeatureFrame, reference: FeatureFrame): { x: Float64Array; d: number } {
  const dims: ((row: number, out: Float64Array, o: number) => number)[] = [];
  let d = 0;
  reference.columns.forEach((ref, f) => {
    const col = frame.columns[f];
    if (!col) return;
    if (ref.kind === 'numeric' && col.kind === 'numeric') {
      let s = 0;
      let c = 0;
      for (const v of ref.values)
        if (!Number.isNaN(v)) {
          s += v;
          c++;
        }
      const mean = c ? s / c : 0;
      let ss = 0;
      for (const v of ref.values) if (!Number.isNaN(v)) ss += (v - mean) ** 2;
      const sd = c > 1 && ss > 0 ? Math.sqrt(ss / c) : 1;
      dims.push((row, out, o) => {
        const v = col.values[row] as number;
        out[o] = Number.isNaN(v) ? 0 : (v - mean) / sd;
        return 1;
      });
      d += 1;
    } else if (ref.kind === 'categorical' && col.kind === 'categorical') {
      const k = ref.levels.length;
      dims.push((row, out, o) => {
        for (let j = 0; j < k; j++) out[o + j] = 0;
        const c = col.codes[row] as number;
        if (c >= 0 && c < k) out[o + c] = Math.SQRT1_2;
        return k;
      });
      d += k;
    }
  });
  const x = new Float64Array(frame.rows * d);
  for (let r = 0; r < frame.rows; r++) {
    let o = r * d;
    for (const dim of dims) o += dim(r, x, o);
  }
  return { x, d };
}

/** Mean distance from each candidate to its k nearest seed rows (brute force), and 1 / (1 + distance). */
export function knnSimilarity(
  candidates: Float64Array,
  seed: Float64Array,
  d: number,
  k: number,
): Float64Array {
  const n = candidates.length / d;
  const m = seed.length / d;
  const kk = Math.max(1, Math.min(k, m));
  const out = new Float64Array(n);
  const best = new Float64Array(kk);
  for (let i = 0; i < n; i++) {
    best.fill(Number.POSITIVE_INFINITY);
    const ci = i * d;
    for (let j = 0; j < m; j++) {
      const sj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (candidates[ci + t] as number) - (seed[sj + t] as number);
        s += diff * diff;
      }
      if (s < (best[kk - 1] as number)) {
        let p = kk - 1;
        while (p > 0 && (best[p - 1] as number) > s) {
          best[p] = best[p - 1] as number;
          p--;
        }
        best[p] = s;
      }
    }
    let total = 0;
    for (let t = 0; t < kk; t++) total += Math.sqrt(best[t] as number);
    out[i] = 1 / (1 + total / kk);
  }
  return out;
}
