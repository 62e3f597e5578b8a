import type { Transactions } from './transactions.js';

/**
 * Counts given itemsets by intersecting sorted transaction-id lists (the vertical layout of Eclat,
 * Zaki 2000). Sets are visited in lexicographic order so a shared prefix is intersected once. Used by
 * targeted mining for the few itemsets outside the projection (antecedents of rules for one consequent).
 */
export function countItemsets(tx: Transactions, sets: readonly Uint32Array[]): Uint32Array {
  const order = sets.map((_, i) => i).sort((a, b) => compareLex(sets[a]!, sets[b]!));
  const used = new Uint8Array(tx.labels.length);
  for (const s of sets) for (const it of s) used[it] = 1;
  const tidlists = buildTidlists(tx, used);
  const result = new Uint32Array(sets.length);
  let maxLen = 0;
  for (const s of sets) maxLen = Math.max(maxLen, s.length);
  // stack[d] = transactions containing the first d + 1 items of the current set.
  const stack: Uint32Array[] = new Array(maxLen);
  let prev: Uint32Array = new Uint32Array(0);
  for (const i of order) {
    const s = sets[i]!;
    if (s.length === 0) {
      result[i] = tx.count;
      prev = s;
      continue;
    }
    let common = 0;
    while (common < s.length && common < prev.length && s[common] === prev[common]) common++;
    for (let d = common; d < s.length; d++) {
      const list = tidlists[s[d]!]!;
      stack[d] = d === 0 ? list : intersect(stack[d - 1]!, list);
    }
    result[i] = stack[s.length - 1]!.length;
    prev = s;
  }
  return result;
}

function buildTidlists(tx: Transactions, used: Uint8Array): (Uint32Array | undefined)[] {
  const lists: (Uint32Array | undefined)[] = new Array(tx.labels.length);
  const fill = new Uint32Array(tx.labels.length);
  for (let i = 0; i < lists.length; i++) if (used[i]) lists[i] = new Uint32Array(tx.itemCounts[i]!);
  const { offsets, items } = tx;
  for (let t = 0; t < tx.count; t++) {
    for (let j = offsets[t]!; j < offsets[t + 1]!; j++) {
      const it = items[j]!;
      if (used[it]) lists[it]![fill[it]!++] = t;
    }
  }
  return lists;
}

function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, k);
}

function compareLex(a: Uint32Array, b: Uint32Array): number {
  const m = Math.min(a.length, b.length);
  for (let j = 0; j < m; j++) if (a[j] !== b[j]) return a[j]! - b[j]!;
  return a.length - b.length;
}
