import { z } from 'zod';
import { SALES_DIMENSIONS, SALES_GRAINS, salesCube } from '../../../analytics/sales/index.js';
import { defineRoute } from '../route.js';
import type { SalesResponse } from '../types.js';
import { isoDate } from './overview.js';

export const salesRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/sales',
    summary:
      'The sales cube: revenue, orders, customers, units, margin, AOV by a dimension, vs previous period and last year',
    tag: 'sales',
    role: 'viewer',
    query: z.object({
      by: z.enum(SALES_DIMENSIONS).optional(),
      grain: z.enum(SALES_GRAINS).default('day'),
      from: isoDate.optional(),
      to: isoDate.optional(),
      top: z.coerce.number().int().min(1).max(1000).default(20),
    }),
    async handler({ engine, query }): Promise<SalesResponse> {
      return salesCube(engine, {
        ...query,
        by: query.by ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
      });
    },
  }),
];
