/**
 * The plain TypeScript reference of RFM scoring. `sql.ts` computes the same scores in the engine; a property
 * test proves both identical on random tables.
 *
 * Quantile scores are rank based and keep ties together: with n scored customers and `below` the number of
 * customers strictly worse on a measure (a larger recency; a smaller frequency or value),
 * `score = 1 + floor(bins × below / n)`. So scores lie in 1…bins, equal values get equal scores, row order
 * does not matter, and improving one's own measure never lowers one's score.
 * With fixed cut points `c₁ < … < c_{bins−1}`: R = bins − #{cᵢ < recency}, F/M = 1 + #{cᵢ ≤ value}.
 */
/** An inclusive score range `[low, high]`. */
export type ScoreRange = readonly [number, number];

/** One cell group of the segment map: a customer whose scores fall in every given range gets `name`. */
export interface SegmentRule {
  name: string;
  r: ScoreRange;
  f: ScoreRange;
  /** Optional range on the third score (M, O or C). */
  m?: ScoreRange;
}

/** Fixed cut points (ascending, `bins − 1` of them) instead of quantiles, per measure. */
export interface RfmCuts {
  /** Days: recency ≤ cuts[0] gets the top score, above the last cut gets 1. */
  recency?: readonly number[];
  /** Orders: frequency ≥ cuts[i] adds one to the score. */
  frequency?: readonly number[];
  /** Revenue / opens / clicks: value ≥ cuts[i] adds one to the score. */
  monetary?: readonly number[];
}

/**
 * The classic RFM segment map on R and F scores (1–5). It covers all 25 (R, F) cells exactly once:
 * ```
 *        F=1            F=2          F=3             F=4          F=5
 * R=5    New            Potential loyalists ──────   Champions ─────────
 * R=4    Promising      Potential loyalists ──────   Loyal ─────────────
 * R=3    About to sleep ──────────── Need attention  Loyal ─────────────
 * R=2    Hibernating ───────────     At risk ───────────────     Can't lose them
 * R=1    Lost ──────────────────     At risk ───────────────     Can't lose them
 * ```
 */
export const CLASSIC_MAP: readonly SegmentRule[] = [
  { name: 'Champions', r: [5, 5], f: [4, 5] },
  { name: 'Loyal', r: [3, 4], f: [4, 5] },
  { name: 'Potential loyalists', r: [4, 5], f: [2, 3] },
  { name: 'New', r: [5, 5], f: [1, 1] },
  { name: 'Promising', r: [4, 4], f: [1, 1] },
  { name: 'Need attention', r: [3, 3], f: [3, 3] },
  { name: 'About to sleep', r: [3, 3], f: [1, 2] },
  { name: "Can't lose them", r: [1, 2], f: [5, 5] },
  { name: 'At risk', r: [1, 2], f: [3, 4] },
  { name: 'Hibernating', r: [2, 2], f: [1, 2] },
  { name: 'Lost', r: [1, 1], f: [1, 2] },
];

/** The segment given to customers no rule matches. */
export const UNCLASSIFIED = 'Unclassified';
/** The state of customers without any order up to asOf (not scored). */
export const NO_PURCHASE = 'No purchase';

/** Scoring settings (a subset of RfmParams). */
export interface RfmScoring {
  bins: number;
  cuts: RfmCuts;
  map: readonly SegmentRule[];
}

export interface RfmInput {
  customerId: string;
  /** Days since the last order. */
  recency: number;
  /** Orders. */
  frequency: number;
  /** Revenue (RFM), e-mail opens (RFO) or clicks (RFC). */
  value: number;
}

export interface RfmScore extends RfmInput {
  r: number;
  f: number;
  m: number;
  segment: string;
}

/** Scores every input row; the output keeps the input order. */
export function scoreCore(rows: readonly RfmInput[], params: RfmScoring): RfmScore[] {
  const { bins, cuts } = params;
  const r = scoreMeasure(
    rows.map((x) => x.recency),
    bins,
    cuts.recency,
    'lowerIsBetter',
  );
  const f = scoreMeasure(
    rows.map((x) => x.frequency),
    bins,
    cuts.frequency,
    'higherIsBetter',
  );
  const m = scoreMeasure(
    rows.map((x) => x.value),
    bins,
    cuts.monetary,
    'higherIsBetter',
  );
  return rows.map((row, i) => {
    const scores = { r: r[i]!, f: f[i]!, m: m[i]! };
    return { ...row, ...scores, segment: segmentOf(scores, params.map) };
  });
}

/** Scores one measure: by fixed cuts when given, else by ranks. */
export function scoreMeasure(
  values: readonly number[],
  bins: number,
  cuts: readonly number[] | undefined,
  direction: 'lowerIsBetter' | 'higherIsBetter',
): number[] {
  if (cuts) {
    return values.map((v) =>
      direction === 'lowerIsBetter'
        ? bins - cuts.filter((c) => c < v).length
        : 1 + cuts.filter((c) => c <= v).length,
    );
  }
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  return values.map((v) => {
    const below = direction === 'lowerIsBetter' ? n - upperBound(sorted, v) : lowerBound(sorted, v);
    return 1 + Math.floor((bins * below) / n);
  });
}

/** The first segment rule whose ranges hold all scores, else `Unclassified`. */
export function segmentOf(scores: { r: number; f: number; m: number }, map: readonly SegmentRule[]): string {
  const within = (x: number, range: readonly [number, number]) => x >= range[0] && x <= range[1];
  for (const rule of map) {
    if (within(scores.r, rule.r) && within(scores.f, rule.f) && (!rule.m || within(scores.m, rule.m)))
      return rule.name;
  }
  return UNCLASSIFIED;
}

/** Number of sorted values < v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of sorted values ≤ v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts of customers moving from one segment to another: `matrix[i][j]` from `states[i]` to `states[j]`. */
export interface TransitionMatrix {
  states: string[];
  matrix: number[][];
}

/** Builds a square transition matrix from (from, to, count) rows, states ordered by `order` then by name. */
export function transitionMatrix(
  rows: readonly { from: string; to: string; customers: number }[],
  order: readonly string[],
): TransitionMatrix {
  const seen = new Set<string>();
  for (const r of rows) {
    seen.add(r.from);
    seen.add(r.to);
  }
  const states = [...order.filter((s) => seen.has(s)), ...[...seen].filter((s) => !order.includes(s)).sort()];
  const index = new Map(states.map((s, i) => [s, i]));
  const matrix = states.map(() => states.map(() => 0));
  for (const r of rows) matrix[index.get(r.from)!]![index.get(r.to)!]! += r.customers;
  return { states, matrix };
}
