import type { Engine } from '../../store/index.js';
import { popularOrder } from './core.js';
import { loadBaskets } from './data.js';
import { daysBefore, fitNbo, type NboParams, recommendFor } from './nbo.js';

/** Hit rate and precision at k of one recommender on the holdout. */
export interface HoldoutScores {
  /** Share of evaluated customers with at least one offered item bought in the holdout. */
  hitRate: number;
  /** Mean share of the k offers that were bought in the holdout. */
  precision: number;
  /** Mean share of the customer's new holdout items that were offered. */
  recall: number;
}

export interface HoldoutResult {
  asOf: string;
  /** Holdout window [asOf, asOf + horizonDays). */
  to: string;
  k: number;
  /** Customers with history before asOf and at least one new item bought in the holdout. */
  customers: number;
  /** Customers active in the holdout but without history (not evaluated; a recommender cannot rank them). */
  coldStart: number;
  model: HoldoutScores;
  popularity: HoldoutScores;
  /** model.hitRate / popularity.hitRate. */
  hitRateLift: number;
  warnings: string[];
}

/**
 * Time-based holdout evaluation: the model is fitted on orders before `asOf`, each customer gets k offers,
 * and an offer is a hit when the customer buys that item in [asOf, asOf + horizonDays). The popularity
 * baseline offers the k best sellers of the training window the customer does not have yet (the same
 * exclusion rule as the model), so the comparison is like for like.
 *
 * @param engine the datamart
 * @param params the NBO params; `asOf` is the cut-off between training and holdout
 * @param horizonDays length of the holdout window in days
 * @returns hit rate@k, precision@k and recall@k of the model and of the popularity baseline
 * @throws InputError EMPTY_INPUT when either window holds no order lines.
 * @example
 * ```ts
 * const r = await evaluateHoldout(engine, parseNboParams({ asOf: '2025-01-01', k: 5 }), 90);
 * console.log(r.model.hitRate, r.popularity.hitRate);
 * ```
 */
export async function evaluateHoldout(
  engine: Engine,
  params: NboParams,
  horizonDays: number,
): Promise<HoldoutResult> {
  const fitted = await fitNbo(engine, params);
  const to = daysBefore(params.asOf, -horizonDays);
  const test = await loadBaskets(engine, {
    level: params.level,
    categoryDepth: params.categoryDepth,
    per: 'customer',
    from: params.asOf,
    to,
  });
  const indexOfKey = new Map(fitted.state.items.map((k, i) => [k, i]));
  const evaluated: { customerId: string; bought: Set<number> }[] = [];
  let coldStart = 0;
  test.basketKeys.forEach((customerId, t) => {
    const owned = fitted.owned.get(customerId);
    if (!owned) {
      coldStart++;
      return;
    }
    const ownedSet = new Set(owned);
    const bought = new Set<number>();
    for (let j = test.tx.offsets[t]!; j < test.tx.offsets[t + 1]!; j++) {
      const i = indexOfKey.get(test.itemKeys[test.tx.items[j]!]!);
      // An item never sold in training cannot be offered by either recommender; it still counts as missed.
      const id = i ?? -1 - j;
      if (params.repeat === 'always' || !ownedSet.has(id)) bought.add(id);
    }
    if (bought.size > 0) evaluated.push({ customerId, bought });
  });
  const offers = recommendFor(
    fitted,
    evaluated.map((e) => e.customerId),
    params,
  );
  const popular = popularOrder(fitted.state);
  const model = accumulate();
  const baseline = accumulate();
  evaluated.forEach((e, n) => {
    const modelItems = offers[n]!.offers.map((o) => indexOfKey.get(o.item)!);
    const owned = new Set(fitted.owned.get(e.customerId));
    const popItems: number[] = [];
    for (const j of popular) {
      if (popItems.length >= params.k) break;
      if (params.repeat === 'always' || !owned.has(j)) popItems.push(j);
    }
    model.add(modelItems, e.bought, params.k);
    baseline.add(popItems, e.bought, params.k);
  });
  const m = model.result(evaluated.length);
  const b = baseline.result(evaluated.length);
  return {
    asOf: params.asOf,
    to,
    k: params.k,
    customers: evaluated.length,
    coldStart,
    model: m,
    popularity: b,
    hitRateLift: b.hitRate > 0 ? m.hitRate / b.hitRate : m.hitRate > 0 ? Number.POSITIVE_INFINITY : 1,
    warnings: fitted.warnings,
  };
}

function accumulate() {
  let hits = 0;
  let precision = 0;
  let recall = 0;
  return {
    add(offered: readonly number[], bought: ReadonlySet<number>, k: number) {
      const h = offered.filter((i) => bought.has(i)).length;
      if (h > 0) hits++;
      precision += h / k;
      recall += h / bought.size;
    },
    result(n: number): HoldoutScores {
      return n === 0
        ? { hitRate: 0, precision: 0, recall: 0 }
        : { hitRate: hits / n, precision: precision / n, recall: recall / n };
    },
  };
}
