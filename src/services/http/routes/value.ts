import { z } from 'zod';
import { clusterCustomers, latestClusterRun } from '../../../analytics/clusters/index.js';
import { clvSummary, fitClv, predictClv } from '../../../analytics/clv/index.js';
import { customerProfit } from '../../../analytics/profit/index.js';
import { nameLabel } from '../../../analytics/shared/server-text.js';
import { allows } from '../auth.js';
import { defineRoute } from '../route.js';
import type { ClusterLatestResponse, ClusterRunResult, ClvResponse, ProfitResponse } from '../types.js';
import { lastOrderDay } from './as-of.js';
import { isoDate } from './overview.js';

export const valueRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/profit',
    summary: 'Customer profitability: totals, Pareto curve, loss-makers (customer lists for analysts only)',
    tag: 'value',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      serviceContactCost: z.coerce.number().min(0).max(10000).default(0),
      orderCost: z.coerce.number().min(0).max(10000).default(0),
      shippingCost: z.coerce.number().min(0).max(10000).default(0),
      returnCost: z.coerce.number().min(0).max(10000).default(0),
    }),
    async handler({ engine, query, caller }): Promise<ProfitResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const result = await customerProfit(engine, {
        asOf,
        cost: {
          perServiceContact: query.serviceContactCost,
          perOrder: query.orderCost,
          shippingPerOrder: query.shippingCost,
          perReturn: query.returnCost,
        },
      });
      if (!allows(caller.role, 'analyst')) return { ...result, top: [], bottom: [] };
      return result;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/clv/run',
    summary: 'Fit BG/NBD + Gamma-Gamma and score every customer’s CLV, as a background job',
    tag: 'value',
    role: 'analyst',
    body: z.object({
      calibrationEnd: isoDate.optional(),
      unit: z.enum(['day', 'week', 'month']).default('week'),
      discountRate: z.number().min(0).max(1).default(0.1),
      penalizer: z.number().min(0).max(10).default(0),
    }),
    async handler({ engine, body, jobs }) {
      return jobs.start('clv.run', async (control) => {
        const calibrationEnd = body.calibrationEnd ?? (await lastOrderDay(engine));
        control.progress(0.1, 'bgnbd');
        const purchaseModel = await fitClv(engine, {
          model: 'bgnbd',
          calibrationEnd,
          unit: body.unit,
          penalizer: body.penalizer,
        });
        control.progress(0.5, 'gammagamma');
        const spendModel = await fitClv(engine, { model: 'gammagamma', calibrationEnd, unit: body.unit });
        control.progress(0.8, 'scores');
        const scores = await predictClv(engine, {
          purchaseModel,
          spendModel,
          discountRate: body.discountRate,
        });
        return {
          params: { bgnbd: purchaseModel.state, gammagamma: spendModel.state },
          ...scores,
          top: scores.top.slice(0, 10),
        };
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/clv',
    summary: 'CLV distribution and tiers from the latest scores',
    tag: 'value',
    role: 'viewer',
    async handler({ engine, lang }): Promise<ClvResponse> {
      const summary = await clvSummary(engine);
      // Each tier's name in the caller's language next to the stored name expressions use.
      return {
        ...summary,
        tiers: summary.tiers.map((t) => ({ ...t, label: nameLabel('clv_tier', t.tier, lang) })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/clusters/run',
    summary: 'Cluster the customers (k by silhouette unless given) as a background job',
    tag: 'clusters',
    role: 'analyst',
    body: z.object({ k: z.number().int().min(2).max(20).optional(), seed: z.number().int().default(42) }),
    async handler({ engine, body, jobs }) {
      return jobs.start('clusters.run', async (control): Promise<ClusterRunResult> => {
        const result = await clusterCustomers(
          engine,
          { ...(body.k ? { k: body.k } : {}), seed: body.seed },
          {
            onProgress: (step) => control.progress(0.5, step),
          },
        );
        const { state: _state, ...summary } = result;
        return summary;
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/clusters/latest',
    summary: 'The latest saved cluster run (kept in cluster_runs, so it survives a reload or a restart)',
    tag: 'clusters',
    role: 'analyst',
    async handler({ engine }): Promise<ClusterLatestResponse> {
      const run = await latestClusterRun(engine);
      if (!run) return { run: null };
      const { params: _params, transforms: _transforms, saved: _saved, ...rest } = run;
      return { run: rest };
    },
  }),
];
