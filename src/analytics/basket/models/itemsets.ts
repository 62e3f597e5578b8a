/**
 * Frequent itemsets in flat typed arrays: itemset `k` holds `items[offsets[k] .. offsets[k + 1])`
 * (item ids ascending) and occurs in `counts[k]` transactions. A hash index finds an itemset's position
 * by its items, which rule generation needs for every antecedent and consequent.
 */
export interface Itemsets {
  readonly size: number;
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly counts: Uint32Array;
}

/** Growable output buffer for a miner. `bytes()` feeds the memory guard. */
export interface ItemsetSink {
  push(items: ArrayLike<number>, length: number, count: number): void;
  readonly size: number;
  bytes(): number;
  finish(): Itemsets;
}

export function createItemsetSink(): ItemsetSink {
  let offsets = new Uint32Array(1024);
  let items = new Uint32Array(4096);
  let counts = new Uint32Array(1024);
  let n = 0;
  let used = 0;
  return {
    push(src, length, count) {
      if (n + 2 > offsets.length) {
        offsets = grow(offsets, offsets.length * 2);
        counts = grow(counts, counts.length * 2);
      }
      if (used + length > items.length) items = grow(items, Math.max(items.length * 2, used + length));
      for (let j = 0; j < length; j++) items[used + j] = src[j]!;
      used += length;
      counts[n] = count;
      n++;
      offsets[n] = used;
    },
    get size() {
      return n;
    },
    bytes() {
      return (offsets.length + counts.length + items.length) * 4;
    },
    finish() {
      return {
        size: n,
        offsets: offsets.slice(0, n + 1),
        items: items.slice(0, used),
        counts: counts.slice(0, n),
      };
    },
  };
}

function grow(a: Uint32Array<ArrayBuffer>, size: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

/** The items of itemset `k` (a view, not a copy). */
export function itemsOf(sets: Itemsets, k: number): Uint32Array {
  return sets.items.subarray(sets.offsets[k]!, sets.offsets[k + 1]!);
}

/** Open-addressing hash index over itemsets; `find` returns the itemset's position or −1. */
export interface ItemsetIndex {
  find(items: ArrayLike<number>, length?: number): number;
}

export function createItemsetIndex(sets: Itemsets): ItemsetIndex {
  let cap = 16;
  while (cap < sets.size * 2) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(cap).fill(-1);
  for (let k = 0; k < sets.size; k++) {
    const start = sets.offsets[k]!;
    const len = sets.offsets[k + 1]! - start;
    let h = hashOf(sets.items, start, len) & mask;
    while (slots[h] !== -1) h = (h + 1) & mask;
    slots[h] = k;
  }
  return {
    find(items, length = items.length) {
      let h = hashOf(items, 0, length) & mask;
      for (;;) {
        const k = slots[h]!;
        if (k === -1) return -1;
        const start = sets.offsets[k]!;
        if (sets.offsets[k + 1]! - start === length) {
          let same = true;
          for (let j = 0; j < length; j++) {
            if (sets.items[start + j] !== items[j]) {
              same = false;
              break;
            }
          }
          if (same) return k;
        }
        h = (h + 1) & mask;
      }
    },
  };
}

function hashOf(items: ArrayLike<number>, start: number, length: number): number {
  let h = 0x811c9dc5 ^ length;
  for (let j = 0; j < length; j++) {
    h = Math.imul(h ^ items[start + j]!, 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/**
 * Closed (no proper superset has the same count) and maximal (no proper superset is frequent) flags.
 * Checking immediate supersets suffices: counts are anti-monotone, so a superset with an equal count or
 * any frequent superset implies one that is one item larger. With a length limit the flags are relative
 * to the itemsets mined (an itemset of the maximum length is maximal there).
 */
export function closedAndMaximal(sets: Itemsets): { closed: Uint8Array; maximal: Uint8Array } {
  const index = createItemsetIndex(sets);
  const closed = new Uint8Array(sets.size).fill(1);
  const maximal = new Uint8Array(sets.size).fill(1);
  const sub = new Uint32Array(64);
  for (let k = 0; k < sets.size; k++) {
    const it = itemsOf(sets, k);
    if (it.length < 2) continue;
    for (let drop = 0; drop < it.length; drop++) {
      let m = 0;
      for (let j = 0; j < it.length; j++) if (j !== drop) sub[m++] = it[j]!;
      const s = index.find(sub, m);
      if (s < 0) continue;
      maximal[s] = 0;
      if (sets.counts[s] === sets.counts[k]) closed[s] = 0;
    }
  }
  return { closed, maximal };
}
