import {
  daysBefore,
  evaluateHoldout,
  fitNbo,
  loadBaskets,
  mineRules,
  parseNboParams,
  recommendFor,
} from '../../analytics/basket/index.js';
import type { DemoStep } from './demo-steps.js';

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Demo step: association rules on the orders (top rules by lift, and the planted same-basket pairs found
 * again), a time-based holdout of the next best offers against popularity, and a few customers' offers
 * with their reasons.
 */
export const basketStep: DemoStep = {
  id: 'basket',
  title: 'Cross-sell: association rules and next best offers',
  async run(engine, ctx) {
    const minSupport = 0.001;
    const orders = await loadBaskets(engine, { per: 'order' }, { minSupport });
    const mined = mineRules(orders.tx, { minSupport, minConfidence: 0.2, minLength: 2, maxLength: 3 });
    const top = mined.rules.slice(0, 5).map((r) => ({
      lhs: r.lhs.join(', '),
      rhs: r.rhs.join(', '),
      confidence: round(r.confidence),
      lift: round(r.lift, 1),
      orders: r.count,
    }));
    ctx.out.table(top);
    // The planted same-basket pairs, by sku: the rule {from} ⇒ {to} as mined.
    const labelOfKey = new Map(orders.itemKeys.map((k, i) => [k, orders.tx.labels[i]!]));
    const planted = ctx.manifest.planted.affinities
      .filter((a) => a.kind === 'same-basket')
      .map((a) => {
        const from = labelOfKey.get(a.from);
        const to = labelOfKey.get(a.to);
        const rule = mined.rules.find((r) => r.lhs.length === 1 && r.lhs[0] === from && r.rhs[0] === to);
        return {
          from: a.from,
          to: a.to,
          planted: a.probability,
          confidence: rule ? round(rule.confidence) : null,
          lift: rule ? round(rule.lift, 1) : null,
        };
      });
    ctx.out.line(
      `${mined.rules.length} rules from ${orders.tx.count.toLocaleString('en')} orders (support ≥ ${minSupport}, confidence ≥ 0.2). Planted same-basket pairs found: ${planted
        .map(
          (p) =>
            `${p.from}→${p.to} ${p.confidence === null ? 'not found' : `conf ${p.confidence} (planted ${p.planted}), lift ${p.lift}`}`,
        )
        .join('; ')}.`,
    );

    const trainAsOf = daysBefore(ctx.asOf, 180);
    const evaluation = await evaluateHoldout(engine, parseNboParams({ asOf: trainAsOf, k: 5 }), 180);
    ctx.out.line(
      `Next best offer, learned before ${trainAsOf} and checked on the next 180 days (${evaluation.customers} customers): hit rate@5 ${(evaluation.model.hitRate * 100).toFixed(1)}% vs ${(evaluation.popularity.hitRate * 100).toFixed(1)}% for best sellers (${evaluation.hitRateLift.toFixed(2)}×).`,
    );

    const params = parseNboParams({ asOf: ctx.asOf, k: 3 });
    const fitted = await fitNbo(engine, params);
    const fromKeys = new Set(ctx.manifest.planted.affinities.map((a) => a.from));
    const picks = [...fitted.owned.entries()]
      .filter(([, items]) => items.some((i) => fromKeys.has(fitted.state.items[i]!)))
      .slice(0, 3)
      .map(([id]) => id);
    const offers = recommendFor(fitted, picks, params);
    for (const r of offers) {
      ctx.out.line(`${r.customerId}: ${r.offers.map((o) => `${o.label} (${o.reason})`).join(' · ')}`);
    }
    return {
      rules: mined.rules.length,
      top,
      planted,
      evaluation: {
        asOf: evaluation.asOf,
        customers: evaluation.customers,
        hitRate: evaluation.model.hitRate,
        popularityHitRate: evaluation.popularity.hitRate,
        precision: evaluation.model.precision,
        popularityPrecision: evaluation.popularity.precision,
      },
      offers: offers.map((r) => ({
        customerId: r.customerId,
        offers: r.offers.map((o) => ({ item: o.item, reason: o.reason })),
      })),
    };
  },
};
