import { z } from 'zod';
import { COHORT_BY, COHORT_METRICS, cohorts } from '../../../analytics/cohorts/index.js';
import { defineRoute } from '../route.js';
import type { CohortsResponse } from '../types.js';
import { isoDate } from './overview.js';

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
    async handler({ engine, query }): Promise<CohortsResponse> {
      return cohorts(engine, { ...query, asOf: query.asOf ?? null });
    },
  }),
];
