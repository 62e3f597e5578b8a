import { ModelError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { sql } from '../../store/index.js';
import type { AnalyticsModule, CustomerFeatures, ModelEnvelope } from '../module.js';
import { type NboState, type Offer, scoreCore } from './core.js';
import { loadBaskets } from './data.js';
import { explainOffer } from './explain.js';
import { daysBefore, fitNbo, type NboParams, nboDefaults, parseNboParams } from './nbo.js';

export const NBO_FORMAT_VERSION = 1;

/** One scored customer: the best offer's score and the ranked offers with reasons. */
export interface NboScoreRow {
  customerId: string;
  /** Score of the top offer (probability, or expected margin when weighting by margin); null if none. */
  score: number | null;
  reason: string | null;
  /** Items the customer bought in the training window. */
  history: number;
  offers: Offer[];
}

/**
 * The basket module under the common analytics contract: `fit` learns next-best-offer rules and
 * co-occurrence neighbours from per-customer baskets before `asOf`, `score` ranks offers for every
 * customer, `explain` breaks one customer's top offer down. Features for `explain` are the customer's
 * owned item keys, each set to true.
 */
export const basketModule: AnalyticsModule<NboParams, NboState, NboScoreRow> = {
  name: 'basket',
  defaults: nboDefaults,
  async fit(engine: Engine, params?: Partial<NboParams>): Promise<ModelEnvelope<NboParams, NboState>> {
    const p = parseNboParams(params ?? {});
    const fitted = await fitNbo(engine, p);
    return {
      module: 'basket',
      formatVersion: NBO_FORMAT_VERSION,
      params: p,
      state: fitted.state,
      data: { asOf: p.asOf, rows: fitted.state.customers, fingerprint: fingerprint(fitted.state) },
      diagnostics: { converged: true, iterations: 1, warnings: fitted.warnings },
    };
  },
  async score(engine, model) {
    checkModel(model);
    const p = model.params;
    const from = p.lookbackDays === null ? null : daysBefore(p.asOf, p.lookbackDays);
    const data = await loadBaskets(engine, {
      level: p.level,
      categoryDepth: p.categoryDepth,
      per: 'customer',
      from,
      to: p.asOf,
    });
    const indexOf = new Map(model.state.items.map((k, i) => [k, i]));
    const owned = new Map<string, number[]>();
    data.basketKeys.forEach((c, t) => {
      const ids: number[] = [];
      for (let j = data.tx.offsets[t]!; j < data.tx.offsets[t + 1]!; j++) {
        const i = indexOf.get(data.itemKeys[data.tx.items[j]!]!);
        if (i !== undefined) ids.push(i);
      }
      owned.set(c, ids);
    });
    const all = await engine.query(
      sql`SELECT customer_id FROM customers UNION SELECT customer_id FROM orders WHERE customer_id IS NOT NULL ORDER BY customer_id`,
    );
    let cold = 0;
    const rows = all.map((r) => {
      const customerId = String(r.customer_id);
      const items = owned.get(customerId) ?? [];
      if (items.length === 0) cold++;
      const offers = scoreCore(model.state, items, p);
      return {
        customerId,
        score: offers[0]?.score ?? null,
        reason: offers[0]?.reason ?? 'no item can be offered',
        history: items.length,
        offers,
      };
    });
    const warnings = cold
      ? [
          `${cold} customers have no purchases before ${p.asOf}${from ? ` since ${from}` : ''}: they get the most popular items.`,
        ]
      : [];
    return { rows, warnings };
  },
  explain(model, customer: CustomerFeatures) {
    checkModel(model);
    const owned = model.state.items.flatMap((k, i) => (customer[k] === true || customer[k] === 1 ? [i] : []));
    return explainOffer(model.state, owned, model.params);
  },
};

function checkModel(model: ModelEnvelope<NboParams, NboState>): void {
  if (model.module !== 'basket') {
    throw new ModelError(
      'MODULE_MISMATCH',
      `Model of module "${model.module}" given to the basket module. Fit a basket model (clientele recommend).`,
    );
  }
  if (model.formatVersion !== NBO_FORMAT_VERSION) {
    throw new ModelError(
      'FORMAT_VERSION',
      `Basket model format ${model.formatVersion}, expected ${NBO_FORMAT_VERSION}. Fit the model again with this version.`,
    );
  }
}

function fingerprint(state: NboState): string {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  state.items.forEach((k, i) => {
    mix(`${k}:${state.itemCustomers[i]};`);
  });
  mix(`${state.customers}/${state.rules.length}`);
  return (h >>> 0).toString(16).padStart(8, '0');
}
