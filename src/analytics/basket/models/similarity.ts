import type { Transactions } from './transactions.js';

/**
 * Item-to-item co-occurrence neighbours: for each item i, the items j it shares the most baskets with,
 * ranked by cosine similarity n_ij / sqrt(n_i · n_j) (Sarwar et al. 2001, item-based collaborative
 * filtering; the binary form used by Amazon's item-to-item recommendations, Linden et al. 2003). Cosine
 * rather than raw co-counts keeps the best sellers from being everyone's neighbour.
 */
export interface NeighbourOptions {
  /** Items in fewer baskets than this are ignored (they can be neither item nor neighbour). */
  minItemCount: number;
  /** Pairs sharing fewer baskets than this are not neighbours (noise). */
  minPairCount: number;
  /** Neighbours kept per item. */
  topK: number;
}

/** Per item id: [neighbour id, cosine, baskets with both], best first (ties by id). */
export function itemNeighbours(tx: Transactions, options: NeighbourOptions): [number, number, number][][] {
  const m = tx.labels.length;
  const usable: number[] = [];
  const index = new Int32Array(m).fill(-1);
  for (let i = 0; i < m; i++) {
    if (tx.itemCounts[i]! >= options.minItemCount) {
      index[i] = usable.length;
      usable.push(i);
    }
  }
  const f = usable.length;
  // Dense upper-triangle counts when they fit in 64 MiB, a map otherwise.
  const dense = f * f <= 16 * 1024 * 1024 ? new Uint32Array(f * f) : null;
  const sparse = dense ? null : new Map<number, number>();
  const local: number[] = [];
  for (let t = 0; t < tx.count; t++) {
    local.length = 0;
    for (let j = tx.offsets[t]!; j < tx.offsets[t + 1]!; j++) {
      const l = index[tx.items[j]!]!;
      if (l >= 0) local.push(l);
    }
    for (let a = 0; a < local.length; a++) {
      for (let b = a + 1; b < local.length; b++) {
        const x = Math.min(local[a]!, local[b]!);
        const y = Math.max(local[a]!, local[b]!);
        if (dense) dense[x * f + y]!++;
        else sparse!.set(x * f + y, (sparse!.get(x * f + y) ?? 0) + 1);
      }
    }
  }
  const lists: [number, number, number][][] = Array.from({ length: m }, () => []);
  const add = (x: number, y: number, both: number) => {
    if (both < options.minPairCount) return;
    const i = usable[x]!;
    const j = usable[y]!;
    const cos = both / Math.sqrt(tx.itemCounts[i]! * tx.itemCounts[j]!);
    lists[i]!.push([j, cos, both]);
    lists[j]!.push([i, cos, both]);
  };
  if (dense) {
    for (let x = 0; x < f; x++)
      for (let y = x + 1; y < f; y++) if (dense[x * f + y]) add(x, y, dense[x * f + y]!);
  } else {
    for (const [key, both] of sparse!) add(Math.floor(key / f), key % f, both);
  }
  return lists.map((l) => l.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.topK));
}
