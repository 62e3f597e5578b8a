import { InputError } from '../../../errors.js';

/**
 * Baskets as integer-encoded transactions in compressed-sparse-row form: the items of transaction `t`
 * are `items[offsets[t] .. offsets[t + 1])`, sorted ascending, without repeats. Item ids are dense
 * (0 … labels.length − 1) and ordered by descending frequency (ties by label), so id order is the
 * FP-tree's insertion order and the most frequent items share the top of the tree.
 */
export interface Transactions {
  /** Number of transactions N (baskets with no item count too: they dilute support, as in arules). */
  readonly count: number;
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  /** Item label per id. */
  readonly labels: readonly string[];
  /** Number of transactions that contain each item, by id. */
  readonly itemCounts: Uint32Array;
}

/**
 * Encodes string baskets: dense ids by descending frequency, repeats inside a basket counted once
 * (support counts baskets, not units). Labels are kept byte-for-byte (arules keeps `"cream cheese "`).
 *
 * @param baskets one array of item labels per transaction
 * @returns the baskets as typed arrays with dense item ids
 * @example
 * ```ts
 * const tx = encodeBaskets([['milk', 'bread'], ['milk']]);
 * // tx.labels: ['milk', 'bread'], tx.itemCounts: [2, 1], tx.count: 2
 * ```
 */
export function encodeBaskets(baskets: readonly (readonly string[])[]): Transactions {
  const freq = new Map<string, number>();
  for (const basket of baskets) {
    for (const item of new Set(basket)) freq.set(item, (freq.get(item) ?? 0) + 1);
  }
  const labels = [...freq.keys()].sort((a, b) => freq.get(b)! - freq.get(a)! || compareText(a, b));
  const idOf = new Map(labels.map((l, i) => [l, i]));
  const offsets = new Uint32Array(baskets.length + 1);
  let total = 0;
  const encoded: number[][] = baskets.map((basket) => {
    const ids = [...new Set(basket)].map((l) => idOf.get(l)!).sort((a, b) => a - b);
    total += ids.length;
    return ids;
  });
  const items = new Uint32Array(total);
  let k = 0;
  for (let t = 0; t < encoded.length; t++) {
    for (const id of encoded[t]!) items[k++] = id;
    offsets[t + 1] = k;
  }
  const itemCounts = new Uint32Array(labels.length);
  labels.forEach((l, i) => {
    itemCounts[i] = freq.get(l)!;
  });
  return { count: baskets.length, offsets, items, labels, itemCounts };
}

/**
 * Builds transactions from (basket index, item id) pairs already encoded by the engine (see sql.ts):
 * `basket` ascending 0 … count − 1, item ids dense and ordered by descending frequency. Pairs may come
 * in any order; repeats are dropped.
 *
 * @throws InputError INVALID_INPUT when an id is out of range.
 */
export function fromEncodedPairs(
  count: number,
  basket: ArrayLike<number>,
  item: ArrayLike<number>,
  labels: readonly string[],
): Transactions {
  const n = basket.length;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const b = basket[i]!;
    const it = item[i]!;
    if (!(b >= 0 && b < count) || !(it >= 0 && it < labels.length)) {
      throw new InputError(
        `Encoded baskets, pair ${i}: expected basket in [0, ${count}) and item in [0, ${labels.length}), got (${b}, ${it}). This is a bug in the basket query; report it.`,
      );
    }
    offsets[b + 1]!++;
  }
  for (let t = 0; t < count; t++) offsets[t + 1]! += offsets[t]!;
  const fill = offsets.slice(0, count);
  const raw = new Uint32Array(n);
  for (let i = 0; i < n; i++) raw[fill[basket[i]!]!++] = item[i]!;
  // Sort each basket and drop repeats, compacting in place.
  const items = new Uint32Array(n);
  const outOffsets = new Uint32Array(count + 1);
  let k = 0;
  for (let t = 0; t < count; t++) {
    const seg = raw.subarray(offsets[t]!, offsets[t + 1]!).sort();
    for (let j = 0; j < seg.length; j++) if (j === 0 || seg[j] !== seg[j - 1]) items[k++] = seg[j]!;
    outOffsets[t + 1] = k;
  }
  const itemCounts = new Uint32Array(labels.length);
  for (let j = 0; j < k; j++) itemCounts[items[j]!]!++;
  return { count, offsets: outOffsets, items: items.slice(0, k), labels, itemCounts };
}

/** Code-unit order, the same in every locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
