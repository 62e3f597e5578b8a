import { z } from 'zod';
import {
  type FittedNbo,
  fitNbo,
  loadBaskets,
  mineRules,
  parseNboParams,
  recommendFor,
} from '../../../analytics/basket/index.js';
import { isSmallCell } from '../../../analytics/shared/privacy.js';
import { InputError, NotFoundError } from '../../../errors.js';
import { type Engine, getNumberSetting, sql } from '../../../store/index.js';
import { isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type { BasketRulesResponse, CustomerOffersResponse } from '../types.js';
import { dayAfterLastOrder } from './as-of.js';

/** Fitted next-best-offer models, per engine and reference date (fitting reads every order line once). */
const nboCache = new WeakMap<Engine, Map<string, Promise<FittedNbo>>>();

function fittedNbo(engine: Engine, asOf: string): Promise<FittedNbo> {
  let perEngine = nboCache.get(engine);
  if (!perEngine) {
    perEngine = new Map();
    nboCache.set(engine, perEngine);
  }
  let fitted = perEngine.get(asOf);
  if (!fitted) {
    fitted = fitNbo(engine, parseNboParams({ asOf }));
    fitted.catch(() => perEngine.delete(asOf));
    perEngine.set(asOf, fitted);
  }
  return fitted;
}

export const basketRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/basket/rules',
    summary: 'Association rules from order lines (what sells with what), filtered and sorted',
    tag: 'baskets',
    role: 'viewer',
    query: z.object({
      minSupport: z.coerce.number().gt(0).max(1).default(0.01),
      minConfidence: z.coerce.number().min(0).max(1).default(0.2),
      minLift: z.coerce.number().min(0).default(1),
      level: z.enum(['product', 'category']).default('product'),
      categoryDepth: z.coerce.number().int().min(1).max(10).optional(),
      item: z.string().max(200).optional(),
      sort: z.enum(['lift', 'confidence', 'support', 'count']).default('lift'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    async handler({ engine, query, caller }): Promise<BasketRulesResponse> {
      const viewer = isViewer(caller);
      if (viewer) {
        // A low minSupport makes mining explode (0.00001 stalled the server for 9 s): viewers have a floor.
        const floor = await getNumberSetting(engine, 'viewer_min_support');
        if (query.minSupport < floor)
          throw new InputError(
            `minSupport: viewers may ask for at least ${floor}, got ${query.minSupport}. Ask an analyst for rarer rules, or an admin to lower viewer_min_support.`,
            { field: 'query.minSupport', floor },
            { code: 'LIMIT_EXCEEDED' },
          );
      }
      const k = viewer ? await minCellSize(engine) : 0;
      const started = performance.now();
      const data = await loadBaskets(engine, {
        level: query.level,
        categoryDepth: query.categoryDepth ?? null,
      });
      const result = mineRules(data.tx, {
        minSupport: query.minSupport,
        minConfidence: query.minConfidence,
        ...(query.item ? { consequent: query.item } : {}),
      });
      const rules = result.rules
        // Viewers see no rule about fewer than k baskets (minimum cell size).
        .filter((r) => r.lift >= query.minLift && (!viewer || !isSmallCell(r.count, k)))
        .sort((a, b) => b[query.sort] - a[query.sort]);
      const shown = rules.slice(0, query.limit);
      // The product network: items as nodes, the strongest pair rules as edges.
      const edges = shown
        .filter((r) => r.lhs.length === 1 && r.rhs.length === 1)
        .map((r) => ({ source: r.lhs[0]!, target: r.rhs[0]!, lift: r.lift, confidence: r.confidence }));
      return {
        transactions: result.transactions,
        minCount: result.minCount,
        itemsets: result.itemsets,
        count: rules.length,
        seconds: (performance.now() - started) / 1000,
        rules: shown.map(({ lhs, rhs, support, confidence, lift, count, leverage, conviction }) => ({
          lhs,
          rhs,
          support,
          confidence,
          lift,
          count,
          leverage,
          conviction: Number.isFinite(conviction) ? conviction : null,
        })),
        network: { nodes: [...new Set(edges.flatMap((e) => [e.source, e.target]))], edges },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/customers/:id/offers',
    summary: 'Next best offers for one customer with the reason for each (audited)',
    tag: 'customers',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, audit, caller }): Promise<CustomerOffersResponse> {
      const [known] = await engine.query(sql`SELECT 1 AS x FROM customers WHERE customer_id = ${params.id}`);
      if (!known) throw new NotFoundError(`No customer with id "${params.id}".`, { id: params.id });
      await audit.record(caller, 'customer.offers', params.id);
      const asOf = await dayAfterLastOrder(engine);
      const fitted = await fittedNbo(engine, asOf);
      const [row] = recommendFor(fitted, [params.id], { k: 5, weightByMargin: false, repeat: 'never' });
      return { asOf, customerId: params.id, history: row?.history ?? 0, offers: row?.offers ?? [] };
    },
  }),
];
