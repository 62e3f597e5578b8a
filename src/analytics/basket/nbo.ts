import { InputError, type Issue, inputErrorFromIssues } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { sql } from '../../store/index.js';
import { type NboRule, type NboScoreOptions, type NboState, type Offer, scoreCore } from './core.js';
import { loadBaskets } from './data.js';
import { mineRules } from './models/mine.js';
import { itemNeighbours } from './models/similarity.js';
import { minCountFor } from './models/thresholds.js';
import type { Transactions } from './models/transactions.js';

/** Settings of the next-best-offer model. */
export interface NboParams {
  /** Reference date: the model learns from orders before it (ISO date). */
  asOf: string;
  /** Days of history before asOf to learn from (null = all history). */
  lookbackDays: number | null;
  /** Item level: products or categories (depth from the top, null = whole path). */
  level: 'product' | 'category';
  categoryDepth: number | null;
  /** Rule thresholds on per-customer baskets. */
  minSupport: number;
  minConfidence: number;
  /** Longest rule (lhs + rhs items). */
  maxLength: number;
  /** Co-occurrence neighbours kept per item, and the fewest shared customers for a neighbour. */
  neighbours: number;
  minPairCustomers: number;
  /** Offers per customer. */
  k: number;
  weightByMargin: boolean;
  repeat: NboScoreOptions['repeat'];
  /** Item keys that may be offered again (consumables), used with repeat = 'repeatable'. */
  repeatable: string[];
}

export const nboDefaults: Readonly<NboParams> = Object.freeze({
  asOf: '1970-01-01',
  lookbackDays: null,
  level: 'product',
  categoryDepth: null,
  minSupport: 0.005,
  minConfidence: 0.1,
  maxLength: 4,
  neighbours: 20,
  minPairCustomers: 3,
  k: 5,
  weightByMargin: false,
  repeat: 'never',
  repeatable: [],
});

/**
 * Validates NBO params and applies defaults; `asOf` is required (analytics never read the clock).
 * @throws InputError INVALID_INPUT listing every bad field.
 */
export function parseNboParams(input: Partial<NboParams>): NboParams {
  const p: NboParams = { ...nboDefaults, ...stripUndefined(input) };
  const issues: Issue[] = [];
  if (input.asOf === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(p.asOf) || Number.isNaN(Date.parse(p.asOf))) {
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(input.asOf)}` });
  }
  if (p.lookbackDays !== null && !(Number.isInteger(p.lookbackDays) && p.lookbackDays > 0)) {
    issues.push({ where: 'lookbackDays', message: `expected a whole number > 0, got ${p.lookbackDays}` });
  }
  if (!(p.minSupport > 0 && p.minSupport <= 1))
    issues.push({ where: 'minSupport', message: `expected (0, 1], got ${p.minSupport}` });
  if (!(p.minConfidence >= 0 && p.minConfidence <= 1)) {
    issues.push({ where: 'minConfidence', message: `expected [0, 1], got ${p.minConfidence}` });
  }
  for (const k of ['maxLength', 'neighbours', 'minPairCustomers', 'k'] as const) {
    if (!(Number.isInteger(p[k]) && p[k] >= 1))
      issues.push({ where: k, message: `expected a whole number ≥ 1, got ${p[k]}` });
  }
  if (p.maxLength < 2)
    issues.push({ where: 'maxLength', message: 'expected ≥ 2: a rule needs an item on each side' });
  if (!['never', 'repeatable', 'always'].includes(p.repeat)) {
    issues.push({
      where: 'repeat',
      message: `expected never, repeatable or always, got ${JSON.stringify(p.repeat)}`,
    });
  }
  if (p.level !== 'product' && p.level !== 'category') {
    issues.push({ where: 'level', message: `expected product or category, got ${JSON.stringify(p.level)}` });
  }
  if (issues.length) throw inputErrorFromIssues('Next-best-offer params are invalid:', issues);
  return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** ISO date `days` before `iso`. */
export function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Learns the NBO state from per-customer baskets: single-consequent rules (arules semantics) and cosine
 * neighbours. Pure given the baskets; `margins` and `repeatable` are per item key.
 */
export function buildNboState(
  tx: Transactions,
  itemKeys: readonly string[],
  params: NboParams,
  margins: ReadonlyMap<string, number> = new Map(),
): NboState {
  const mined = mineRules(tx, {
    minSupport: params.minSupport,
    minConfidence: params.minConfidence,
    minLength: 2,
    maxLength: params.maxLength,
  });
  const rules: NboRule[] = mined.encoded.map((r, i) => ({
    lhs: [...r.lhs],
    rhs: r.rhs[0]!,
    count: r.countXY,
    countLhs: r.countX,
    lift: mined.rules[i]!.lift,
  }));
  const minCount = minCountFor(params.minSupport, tx.count);
  const repeatable = new Set(params.repeatable);
  return {
    items: [...itemKeys],
    labels: [...tx.labels],
    itemCustomers: Array.from(tx.itemCounts),
    customers: tx.count,
    rules,
    neighbours: itemNeighbours(tx, {
      minItemCount: minCount,
      minPairCount: params.minPairCustomers,
      topK: params.neighbours,
    }),
    margins: itemKeys.map((k) => margins.get(k) ?? null),
    repeatable: itemKeys.flatMap((k, i) => (repeatable.has(k) ? [i] : [])),
  };
}

/** Training data and state for a model fitted at `asOf`. */
export interface FittedNbo {
  state: NboState;
  /** Customer id → owned item indices in the training window. */
  owned: Map<string, number[]>;
  from: string | null;
  warnings: string[];
}

/**
 * Fits the NBO state on the datamart: per-customer baskets from orders in [asOf − lookback, asOf).
 * @param engine the datamart
 * @param params parsed NBO params (`parseNboParams`)
 * @returns the state (rules, neighbours, popularity, margins) and each customer's owned items
 * @throws InputError EMPTY_INPUT when the window holds no order lines.
 * @example
 * ```ts
 * const params = parseNboParams({ asOf: '2025-01-01', k: 3 });
 * const fitted = await fitNbo(engine, params);
 * const [rec] = recommendFor(fitted, ['C0000042'], params);
 * // rec.offers[0].reason: "bought espresso machine; 58% of such customers buy espresso beans, lift 9.7"
 * ```
 */
export async function fitNbo(engine: Engine, params: NboParams): Promise<FittedNbo> {
  const from = params.lookbackDays === null ? null : daysBefore(params.asOf, params.lookbackDays);
  const data = await loadBaskets(engine, {
    level: params.level,
    categoryDepth: params.categoryDepth,
    per: 'customer',
    from,
    to: params.asOf,
  });
  const warnings: string[] = [];
  const margins = new Map<string, number>();
  if (params.level === 'product') {
    const rows = await engine.query(
      sql`SELECT sku, price - unit_cost AS margin FROM products WHERE price IS NOT NULL AND unit_cost IS NOT NULL`,
    );
    for (const r of rows) margins.set(String(r.sku), Number(r.margin));
  }
  if (params.weightByMargin) {
    const missing = data.itemKeys.filter((k) => !margins.has(k)).length;
    if (missing) {
      warnings.push(
        `${missing} of ${data.itemKeys.length} items have no price and unit cost, so their margin counts as 0 when weighting by margin. Load products with price and unit_cost, or drop --margin.`,
      );
    }
  }
  const state = buildNboState(data.tx, data.itemKeys, params, margins);
  const owned = new Map<string, number[]>();
  const { offsets, items } = data.tx;
  data.basketKeys.forEach((customer, t) => {
    owned.set(customer, Array.from(items.subarray(offsets[t]!, offsets[t + 1]!)));
  });
  if (state.rules.length === 0) {
    warnings.push(
      `No rules at support ${params.minSupport} and confidence ${params.minConfidence}; offers come from co-occurrence and popularity only. Lower --min-support or --min-confidence.`,
    );
  }
  return { state, owned, from, warnings };
}

/**
 * Offers for each customer id (customers without history get popular items, marked as such).
 * @param fitted the output of `fitNbo`
 * @param customers customer ids
 * @param params offers per customer (`k`), margin weighting and the repeat rule
 * @returns per customer: the number of items owned and the ranked offers with reasons
 * @example
 * ```ts
 * const recs = recommendFor(fitted, ['C0000042'], { k: 5, weightByMargin: false, repeat: 'never' });
 * ```
 */
export function recommendFor(
  fitted: FittedNbo,
  customers: readonly string[],
  params: Pick<NboParams, 'k' | 'weightByMargin' | 'repeat'>,
): { customerId: string; offers: Offer[]; history: number }[] {
  return customers.map((customerId) => {
    const owned = fitted.owned.get(customerId) ?? [];
    return { customerId, history: owned.length, offers: scoreCore(fitted.state, owned, params) };
  });
}

export function requireKnownCustomers(known: ReadonlySet<string>, ids: readonly string[]): void {
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) {
    throw new InputError(
      `Customers ${missing
        .slice(0, 5)
        .map((m) => JSON.stringify(m))
        .join(
          ', ',
        )}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}: expected ids present in the customers or orders table, found none. Check the ids (clientele sql "SELECT customer_id FROM customers LIMIT 5").`,
      { missing },
      { code: 'NOT_FOUND' },
    );
  }
}
