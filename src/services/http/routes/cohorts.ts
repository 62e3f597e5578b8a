import { z } from 'zod';
import { COHORT_BY, COHORT_METRICS, cohorts } from '../../../analytics/cohorts/index.js';
import { isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type { CohortsResponse } from '../types.js';
import { isoDate } from './overview.js';

/**
 * A viewer's triangle (issue 19): a cell whose active customers number 1 to k−1 shows no figure, whatever the
 * metric (the customer counts of the same triangle decide), and a cumulative figure only once some month up to
 * it held at least k.
 */
function forViewer(result: CohortsResponse, counts: CohortsResponse['cohorts'], k: number): CohortsResponse {
  const byCohort = new Map(counts.map((c) => [c.cohort, c.values]));
  return {
    ...result,
    cohorts: result.cohorts.map((c) => {
      const active = byCohort.get(c.cohort) ?? [];
      const small = (i: number) => {
        const n = active[i] ?? 0;
        return n > 0 && n < k;
      };
      let seen = 0;
      const cumulativeSmall = active.map((n) => {
        seen = Math.max(seen, n ?? 0);
        return seen > 0 && seen < k;
      });
      return {
        ...c,
        values: c.values.map((v, i) => (small(i) ? null : v)),
        rates: c.rates.map((v, i) => (small(i) ? null : v)),
        cumulative: c.cumulative.map((v, i) => (cumulativeSmall[i] ? null : v)),
      };
    }),
  };
}

export const cohortRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/cohorts',
    summary: 'Retention and value triangles by first-order month, channel or category',
    tag: 'cohorts',
    role: 'viewer',
    query: z.object({
      by: z.enum(COHORT_BY).default('first_order_month'),
      metric: z.enum(COHORT_METRICS).default('customers'),
      periods: z.coerce.number().int().min(1).max(60).default(12),
      asOf: isoDate.optional(),
    }),
    async handler({ engine, query, caller }): Promise<CohortsResponse> {
      const result = await cohorts(engine, { ...query, asOf: query.asOf ?? null });
      if (!isViewer(caller)) return result;
      const counts =
        query.metric === 'customers'
          ? result
          : await cohorts(engine, { ...query, metric: 'customers', asOf: result.asOf });
      return forViewer(result, counts.cohorts, await minCellSize(engine));
    },
  }),
];
