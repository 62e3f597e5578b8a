import { AppError } from '../../../errors.js';
import { createItemsetSink, type ItemsetSink, type Itemsets } from './itemsets.js';
import type { Transactions } from './transactions.js';

/**
 * Frequent itemsets by FP-Growth (Han, Pei & Yin 2000, "Mining frequent patterns without candidate
 * generation", SIGMOD) on typed arrays. Each FP-tree is a set of parallel Int32/Uint32 arrays with
 * local item indices (ascending global id = descending frequency); conditional trees are built from the
 * prefix paths of one item, keeping only items frequent in that conditional base. A conditional tree
 * that is one path emits all its sub-combinations directly.
 */
export interface MineOptions {
  /** Absolute minimum count: an itemset is frequent when it occurs in ≥ minCount transactions. */
  minCount: number;
  /** Longest itemset to report (arules' maxlen, default 10). */
  maxLength?: number;
  /** Mine only itemsets that contain this item id (a projection: the rest is never touched). */
  containing?: number;
  /** Fail with MEMORY_LIMIT when the trees and the output would need more bytes than this. */
  memoryLimitBytes?: number;
}

/** Bytes per FP-tree node: item, parent, count, next (4 × 4) plus the build-time child hash table (2 × 4). */
const NODE_BYTES = 24;
export const DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;

interface FpTree {
  /** Nodes including the root (node 0). */
  size: number;
  item: Int32Array;
  parent: Int32Array;
  count: Uint32Array;
  next: Int32Array;
  /** First node of each local item (−1 when none), and the item's total count in the tree. */
  head: Int32Array;
  itemCount: Float64Array;
  /** Global item id of each local index (ascending). */
  globalOf: Uint32Array;
}

export function mineFrequentItemsets(tx: Transactions, options: MineOptions): Itemsets {
  const minCount = Math.max(1, options.minCount);
  const maxLength = options.maxLength ?? 10;
  const limit = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  const sink = createItemsetSink();
  if (maxLength < 1) return sink.finish();
  const nItems = tx.labels.length;
  const target = options.containing;

  // Counts in the (possibly projected) database decide which items enter the tree.
  let counts: Float64Array;
  if (target === undefined) {
    counts = Float64Array.from(tx.itemCounts);
  } else {
    counts = new Float64Array(nItems);
    forEachTransaction(tx, target, (items, from, to) => {
      for (let j = from; j < to; j++) counts[items[j]!]!++;
    });
    if ((tx.itemCounts[target] ?? 0) < minCount) return sink.finish();
    counts[target] = 0;
  }
  const frequent: number[] = [];
  for (let i = 0; i < nItems; i++) if (counts[i]! >= minCount) frequent.push(i);
  const localOf = new Int32Array(nItems).fill(-1);
  frequent.forEach((g, l) => {
    localOf[g] = l;
  });
  let nodes = 0;
  for (const g of frequent) nodes += counts[g]!;
  const guard = createGuard(limit, sink, maxLength);
  guard.reserve((nodes + 1) * NODE_BYTES, 'the FP-tree of the whole database');

  const globalOf = Uint32Array.from(frequent);
  const builder = createTreeBuilder(nodes + 1, globalOf);
  const path = new Int32Array(Math.max(1, frequent.length));
  forEachTransaction(tx, target, (items, from, to) => {
    let m = 0;
    for (let j = from; j < to; j++) {
      const l = localOf[items[j]!]!;
      if (l >= 0) path[m++] = l;
    }
    if (m > 0) builder.insert(path, m, 1);
  });
  const tree = builder.finish();

  const stack = new Uint32Array(maxLength + 1);
  let depth = 0;
  if (target !== undefined) {
    stack[0] = target;
    depth = 1;
    guard.emit(stack, 1, tx.itemCounts[target]!);
  }
  if (depth < maxLength) growth(tree, stack, depth, minCount, maxLength, guard);
  return sink.finish();
}

/** Calls `fn` with each transaction's item range (only those containing `target`, when given). */
function forEachTransaction(
  tx: Transactions,
  target: number | undefined,
  fn: (items: Uint32Array, from: number, to: number) => void,
): void {
  const { offsets, items } = tx;
  for (let t = 0; t < tx.count; t++) {
    const from = offsets[t]!;
    const to = offsets[t + 1]!;
    if (target !== undefined) {
      let has = false;
      for (let j = from; j < to; j++) {
        if (items[j] === target) {
          has = true;
          break;
        }
      }
      if (!has) continue;
    }
    fn(items, from, to);
  }
}

function createTreeBuilder(capacity: number, globalOf: Uint32Array) {
  const k = globalOf.length;
  const item = new Int32Array(capacity);
  const parent = new Int32Array(capacity);
  const count = new Uint32Array(capacity);
  const next = new Int32Array(capacity);
  // Children are found through an open-addressing hash table keyed by (parent, item): a linear scan of
  // sibling lists is quadratic at the root, which has one child per frequent item.
  let slots = 16;
  while (slots < capacity * 2) slots *= 2;
  const mask = slots - 1;
  const table = new Int32Array(slots).fill(-1);
  const head = new Int32Array(k).fill(-1);
  const itemCount = new Float64Array(k);
  item[0] = -1;
  parent[0] = -1;
  let size = 1;
  return {
    /** Inserts `path[0..m)` (local indices ascending) with weight `w`. */
    insert(path: Int32Array, m: number, w: number) {
      let node = 0;
      for (let j = 0; j < m; j++) {
        const l = path[j]!;
        let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(l + 1, 0x85ebca77)) & mask;
        let c = table[h]!;
        while (c !== -1 && (parent[c] !== node || item[c] !== l)) {
          h = (h + 1) & mask;
          c = table[h]!;
        }
        if (c === -1) {
          c = size++;
          item[c] = l;
          parent[c] = node;
          table[h] = c;
          next[c] = head[l]!;
          head[l] = c;
        }
        count[c]! += w;
        itemCount[l]! += w;
        node = c;
      }
    },
    finish(): FpTree {
      return { size, item, parent, count, next, head, itemCount, globalOf };
    },
  };
}

interface Guard {
  reserve(bytes: number, what: string): void;
  release(bytes: number): void;
  emit(stack: Uint32Array, length: number, count: number): void;
}

/**
 * The memory guard: tracks the bytes of live trees and of the output, and fails with MEMORY_LIMIT before
 * an allocation would cross the limit, instead of letting the process die out of memory.
 */
function createGuard(limit: number, sink: ItemsetSink, maxLength: number): Guard {
  let live = 0;
  const sorted = new Uint32Array(maxLength + 1);
  const fail = (what: string, need: number): never => {
    throw new AppError(
      'MEMORY_LIMIT',
      `Frequent-itemset mining: expected to fit in ${mib(limit)} MiB, but ${what} needs about ${mib(need)} MiB (${sink.size.toLocaleString('en')} itemsets so far). Raise the minimum support, lower the maximum itemset length, mine rules for one item (--consequent), or raise the limit (--max-memory-mb).`,
      { limitBytes: limit, neededBytes: need, itemsetsSoFar: sink.size },
    );
  };
  return {
    reserve(bytes, what) {
      const need = live + bytes + sink.bytes();
      if (need > limit) fail(what, need);
      live += bytes;
    },
    release(bytes) {
      live -= bytes;
    },
    emit(stack, length, count) {
      for (let j = 0; j < length; j++) {
        const v = stack[j]!;
        let p = j;
        while (p > 0 && sorted[p - 1]! > v) {
          sorted[p] = sorted[p - 1]!;
          p--;
        }
        sorted[p] = v;
      }
      sink.push(sorted, length, count);
      if ((sink.size & 0xffff) === 0 && live + sink.bytes() > limit) {
        fail('the itemsets found', live + sink.bytes());
      }
    },
  };
}

function mib(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(0);
}

function growth(
  tree: FpTree,
  stack: Uint32Array,
  depth: number,
  minCount: number,
  maxLength: number,
  guard: Guard,
): void {
  const { item, parent, count, next, head, itemCount, globalOf } = tree;
  const k = globalOf.length;
  for (let l = k - 1; l >= 0; l--) {
    const cnt = itemCount[l]!;
    if (cnt < minCount) continue;
    stack[depth] = globalOf[l]!;
    guard.emit(stack, depth + 1, cnt);
    if (depth + 1 >= maxLength || l === 0) continue;

    // Count the ancestors of item l: the supports of {prefix, l, j}.
    const condCount = new Float64Array(l);
    let pathNodes = 0;
    for (let n = head[l]!; n !== -1; n = next[n]!) {
      const c = count[n]!;
      for (let p = parent[n]!; p > 0; p = parent[p]!) {
        condCount[item[p]!]! += c;
        pathNodes++;
      }
    }
    const remap = new Int32Array(l).fill(-1);
    let k2 = 0;
    for (let j = 0; j < l; j++) if (condCount[j]! >= minCount) remap[j] = k2++;
    if (k2 === 0) continue;
    const globals = new Uint32Array(k2);
    for (let j = 0; j < l; j++) if (remap[j]! >= 0) globals[remap[j]!] = globalOf[j]!;

    const bytes = (pathNodes + 1) * NODE_BYTES;
    guard.reserve(bytes, 'a conditional FP-tree');
    const builder = createTreeBuilder(pathNodes + 1, globals);
    const path = new Int32Array(k2);
    for (let n = head[l]!; n !== -1; n = next[n]!) {
      let m = 0;
      for (let p = parent[n]!; p > 0; p = parent[p]!) {
        const r = remap[item[p]!]!;
        if (r >= 0) path[m++] = r;
      }
      if (m === 0) continue;
      path.subarray(0, m).reverse();
      builder.insert(path, m, count[n]!);
    }
    const cond = builder.finish();
    if (isSinglePath(cond)) {
      emitCombinations(cond, stack, depth + 1, 0, Number.POSITIVE_INFINITY, maxLength, guard);
    } else {
      growth(cond, stack, depth + 1, minCount, maxLength, guard);
    }
    guard.release(bytes);
  }
}

/** One node per item, each the child of the previous item's node. */
function isSinglePath(tree: FpTree): boolean {
  const k = tree.globalOf.length;
  if (tree.size - 1 !== k) return false;
  for (let l = 0; l < k; l++) {
    const n = tree.head[l]!;
    if (tree.next[n] !== -1) return false;
    if (tree.parent[n] !== (l === 0 ? 0 : tree.head[l - 1]!)) return false;
  }
  return true;
}

/**
 * Every non-empty combination of a single path's items; its count is the count of its deepest node.
 * All nodes on the path are frequent in the conditional base, so every combination is frequent.
 */
function emitCombinations(
  tree: FpTree,
  stack: Uint32Array,
  depth: number,
  from: number,
  minSoFar: number,
  maxLength: number,
  guard: Guard,
): void {
  const k = tree.globalOf.length;
  for (let l = from; l < k; l++) {
    const c = Math.min(minSoFar, tree.count[tree.head[l]!]!);
    stack[depth] = tree.globalOf[l]!;
    guard.emit(stack, depth + 1, c);
    if (depth + 1 < maxLength) emitCombinations(tree, stack, depth + 1, l + 1, c, maxLength, guard);
  }
}
