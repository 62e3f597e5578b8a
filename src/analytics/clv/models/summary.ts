/**
 * The per-customer (or grouped) recency/frequency summary the purchase models are fitted on, as typed
 * arrays. One row may stand for many customers with the same (x, t_x, T): `weight` counts them, so the
 * cost of a likelihood evaluation grows with the number of distinct rows, not with customers.
 */
export interface RfSummary {
  /** Repeat purchases in the calibration period (distinct purchase days after the first). */
  x: Float64Array;
  /** Time of the last purchase, measured from the first purchase (0 when x = 0). */
  tx: Float64Array;
  /** Time from the first purchase to the end of calibration. */
  T: Float64Array;
  /** Customers the row stands for. */
  weight: Float64Array;
}

/** Monetary input of the Gamma-Gamma model: customers with x > 0 only. */
export interface SpendSummary {
  /** Repeat purchases (x ≥ 1). */
  x: Float64Array;
  /** Mean value of the repeat purchases (> 0). */
  meanSpend: Float64Array;
  weight: Float64Array;
}

/** Builds an RfSummary from plain arrays (weights default to 1). */
export function createRfSummary(
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  weight?: ArrayLike<number>,
): RfSummary {
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: weight ? Float64Array.from(weight) : new Float64Array(x.length).fill(1),
  };
}

/** Total weight (customers). */
export function totalWeight(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  return s;
}

/**
 * Groups rows by their distinct x values: `slot[i]` indexes `values`. Terms of a likelihood that depend
 * on x only (log-gamma and digamma of r + x, b + x …) are then computed once per distinct x.
 */
export interface XIndex {
  values: Float64Array;
  slot: Int32Array;
  /** Σ weight per distinct x. */
  weight: Float64Array;
}

export function indexByX(x: Float64Array, weight: Float64Array): XIndex {
  const map = new Map<number, number>();
  const slot = new Int32Array(x.length);
  const values: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    let k = map.get(v);
    if (k === undefined) {
      k = values.length;
      map.set(v, k);
      values.push(v);
      w.push(0);
    }
    slot[i] = k;
    w[k]! += weight[i]!;
  }
  return { values: Float64Array.from(values), slot, weight: Float64Array.from(w) };
}

const X_INDEX_CACHE = new WeakMap<Float64Array, WeakMap<Float64Array, XIndex>>();

/** indexByX, computed once per x array (likelihoods are evaluated hundreds of times on the same data). */
export function cachedIndexByX(x: Float64Array, weight: Float64Array): XIndex {
  let byWeight = X_INDEX_CACHE.get(x);
  if (!byWeight) {
    byWeight = new WeakMap();
    X_INDEX_CACHE.set(x, byWeight);
  }
  let index = byWeight.get(weight);
  if (!index) {
    index = indexByX(x, weight);
    byWeight.set(weight, index);
  }
  return index;
}
