import { z } from 'zod';
import { overview } from '../../../analytics/overview/index.js';
import { isIsoDate } from '../../../analytics/shared/dates.js';
import { defineRoute } from '../route.js';
import type { OverviewResponse } from '../types.js';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(isIsoDate, 'expected a real calendar date YYYY-MM-DD (e.g. not 2026-02-30)');

export const overviewRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/overview',
    summary: 'Customers, revenue, margin, active vs lapsed, trend by month and weekday',
    tag: 'overview',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      activeDays: z.coerce.number().int().min(1).max(3650).optional(),
    }),
    async handler({ engine, query }): Promise<OverviewResponse> {
      return overview(engine, query);
    },
  }),
];
