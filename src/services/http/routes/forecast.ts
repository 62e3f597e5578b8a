import { z } from 'zod';
import { forecastSales } from '../../../analytics/forecast/index.js';
import { defineRoute } from '../route.js';
import type { ForecastResponse } from '../types.js';
import { isoDate } from './overview.js';

export const forecastRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/forecast',
    summary: 'Net-revenue forecast (total or per category, channel, region) with intervals and a backtest',
    tag: 'forecast',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      by: z.enum(['total', 'category', 'channel', 'region']).default('total'),
      frequency: z.enum(['month', 'week']).default('month'),
      horizon: z.coerce.number().int().min(1).max(104).default(12),
      method: z.enum(['combination', 'ets', 'theta', 'snaive']).default('combination'),
      level: z.coerce.number().gt(0).lt(1).default(0.95),
      origins: z.coerce.number().int().min(0).max(12).default(3),
      maxSeries: z.coerce.number().int().min(1).max(50).default(12),
    }),
    async handler({ engine, query }): Promise<ForecastResponse> {
      return forecastSales(engine, { ...query, asOf: query.asOf ?? null });
    },
  }),
];
