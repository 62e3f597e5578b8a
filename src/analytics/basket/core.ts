/**
 * Next best offer: the pure scoring core. A fitted state holds single-consequent association rules and
 * item-to-item co-occurrence neighbours (cosine similarity), both learned on per-customer baskets; a
 * customer's candidates are the consequents of rules whose antecedent they already own and the neighbours
 * of what they own. A candidate's score is the estimated chance the customer buys it — the rule's
 * confidence, or P(item | neighbour) for a co-occurrence candidate, whichever is higher — times the item's
 * margin when margin weighting is on. Owned items are excluded unless the item is marked as repeatable.
 *
 * This file is self-contained (no imports besides shared helpers) so that it runs anywhere; the state is
 * plain JSON.
 */

/** One rule of the state: items by index into `items`. */
export interface NboRule {
  lhs: number[];
  rhs: number;
  /** Customers with lhs ∪ {rhs}, and with lhs. */
  count: number;
  countLhs: number;
  lift: number;
}

export interface NboState {
  /** Item keys (sku or category) and display labels, by index. */
  items: string[];
  labels: string[];
  /** Customers who bought each item in the training window. */
  itemCustomers: number[];
  /** Customers with any purchase in the training window. */
  customers: number;
  rules: NboRule[];
  /** Per item: top neighbours [index, cosine, customers with both]. */
  neighbours: [number, number, number][][];
  /** Unit margin per item (price − unit cost), null where unknown; used when weighting by margin. */
  margins: (number | null)[];
  /** Items that may be offered again to a customer who already has them. */
  repeatable: number[];
}

export interface NboScoreOptions {
  /** Offers per customer. */
  k: number;
  /** Rank by expected margin (probability × unit margin) instead of probability. */
  weightByMargin: boolean;
  /** Offer items the customer already has: 'never', 'repeatable' (those listed in the state), 'always'. */
  repeat: 'never' | 'repeatable' | 'always';
}

export interface Offer {
  item: string;
  label: string;
  /** Estimated chance the customer buys it (0–1). */
  probability: number;
  /** probability × unit margin when weighting by margin, else probability. */
  score: number;
  source: 'rule' | 'similar' | 'popular';
  /** Items behind the offer (rule antecedent or the neighbour owned), labels. */
  because: string[];
  lift: number;
  /** Plain-language reason: "bought A and B; 62% of such customers buy C, lift 3.1". */
  reason: string;
}

interface Candidate {
  p: number;
  source: Offer['source'];
  because: number[];
  lift: number;
  support: number;
}

/** Offers for one customer who owns `owned` (item indices). Deterministic: ties break on item key. */
export function scoreCore(state: NboState, owned: readonly number[], options: NboScoreOptions): Offer[] {
  const has = new Set(owned);
  const repeatable = new Set(state.repeatable);
  const allowed = (j: number) =>
    !has.has(j) || options.repeat === 'always' || (options.repeat === 'repeatable' && repeatable.has(j));
  const best = new Map<number, Candidate>();
  const offer = (j: number, c: Candidate) => {
    if (!allowed(j)) return;
    const prev = best.get(j);
    if (!prev || c.p > prev.p || (c.p === prev.p && c.lift > prev.lift)) best.set(j, c);
  };
  const byFirst = rulesByFirstItem(state);
  for (const h of has) {
    for (const r of byFirst.get(h) ?? []) {
      if (!r.lhs.every((i) => has.has(i))) continue;
      offer(r.rhs, {
        p: r.count / r.countLhs,
        source: 'rule',
        because: r.lhs,
        lift: r.lift,
        support: r.count,
      });
    }
  }
  for (const h of owned) {
    for (const [j, , both] of state.neighbours[h] ?? []) {
      const p = both / (state.itemCustomers[h] || 1);
      const lift = (p * state.customers) / (state.itemCustomers[j] || 1);
      offer(j, { p, source: 'similar', because: [h], lift, support: both });
    }
  }
  // Popularity fills the list for customers with little history.
  const popular = popularOrder(state);
  for (const j of popular) {
    if (best.size >= options.k * 3) break;
    if (best.has(j)) continue;
    const p = state.itemCustomers[j]! / (state.customers || 1);
    offer(j, { p, source: 'popular', because: [], lift: 1, support: state.itemCustomers[j]! });
  }
  const scored = [...best.entries()].map(([j, c]) => {
    const margin = state.margins[j];
    const score = options.weightByMargin ? c.p * (margin ?? 0) : c.p;
    return { j, c, score };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.c.p - a.c.p ||
      (state.items[a.j]! < state.items[b.j]! ? -1 : state.items[a.j]! > state.items[b.j]! ? 1 : 0),
  );
  return scored.slice(0, options.k).map(({ j, c, score }) => ({
    item: state.items[j]!,
    label: state.labels[j]!,
    probability: c.p,
    score,
    source: c.source,
    because: c.because.map((i) => state.labels[i]!),
    lift: c.lift,
    reason: reasonText(state, j, c),
  }));
}

const popularIndex = new WeakMap<NboState, number[]>();

/** Item indices by descending customer count (ties by key). */
export function popularOrder(state: NboState): number[] {
  let order = popularIndex.get(state);
  if (!order) {
    order = state.items
      .map((_, j) => j)
      .sort(
        (a, b) =>
          state.itemCustomers[b]! - state.itemCustomers[a]! ||
          (state.items[a]! < state.items[b]! ? -1 : state.items[a]! > state.items[b]! ? 1 : 0),
      );
    popularIndex.set(state, order);
  }
  return order;
}

const ruleIndex = new WeakMap<NboState, Map<number, NboRule[]>>();

/** Rules grouped by their smallest lhs item, so a customer visits only rules that can match. */
function rulesByFirstItem(state: NboState): Map<number, NboRule[]> {
  let index = ruleIndex.get(state);
  if (!index) {
    index = new Map();
    for (const r of state.rules) {
      if (r.lhs.length === 0) continue;
      const first = Math.min(...r.lhs);
      const list = index.get(first);
      if (list) list.push(r);
      else index.set(first, [r]);
    }
    ruleIndex.set(state, index);
  }
  return index;
}

function reasonText(state: NboState, j: number, c: Candidate): string {
  const pct = `${Math.round(c.p * 100)}%`;
  const what = state.labels[j]!;
  const names = c.because.map((i) => state.labels[i]!);
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  if (c.source === 'rule') {
    return `bought ${list}; ${pct} of such customers buy ${what}, lift ${c.lift.toFixed(1)}`;
  }
  if (c.source === 'similar') {
    return `bought ${list}; ${pct} of ${list} buyers also buy ${what} (often bought together, lift ${c.lift.toFixed(1)})`;
  }
  return `popular: ${pct} of customers buy ${what}`;
}

/** The top offer's probability split into its parts, for explain(): data, not prose. */
export function explainCore(
  state: NboState,
  owned: readonly number[],
  options: NboScoreOptions,
): { offer: Offer | null; baseline: number } {
  const [offer] = scoreCore(state, owned, { ...options, k: 1 });
  if (!offer) return { offer: null, baseline: 0 };
  const j = state.items.indexOf(offer.item);
  return { offer, baseline: (state.itemCustomers[j] ?? 0) / (state.customers || 1) };
}
