import { z } from 'zod';
import {
  elasticities,
  localizeElasticities,
  localizeWhatIf,
  whatIf,
} from '../../../analytics/pricing/index.js';
import { BREAK_EVEN_BY, breakEven } from '../../../analytics/profit/index.js';
import { defineRoute } from '../route.js';
import type { BreakEvenResponse, ElasticitiesResponse, WhatIfResponse } from '../types.js';
import { lastOrderDay } from './as-of.js';
import { isoDate } from './overview.js';

const level = z.coerce.number().min(0.5).max(0.999).default(0.95);

export const pricingRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/pricing/elasticities',
    summary:
      'Price elasticity of units per category and per product (pooled toward the category), with intervals',
    tag: 'pricing',
    role: 'viewer',
    query: z.object({ asOf: isoDate.optional(), level }),
    async handler({ engine, query, lang }): Promise<ElasticitiesResponse> {
      return localizeElasticities(
        await elasticities(engine, { asOf: query.asOf ?? null, level: query.level }),
        lang,
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/pricing/whatif',
    summary:
      'What a price change does to units, net revenue and margin of a category or product, with intervals',
    tag: 'pricing',
    role: 'viewer',
    query: z
      .object({
        category: z.string().min(1).max(200).optional(),
        product: z.string().min(1).max(200).optional(),
        priceChange: z.coerce.number().gt(-0.9).max(2),
        baseWeeks: z.coerce.number().int().min(1).max(156).default(52),
        asOf: isoDate.optional(),
        level,
      })
      .refine((q) => (q.category === undefined) !== (q.product === undefined), {
        message: 'give exactly one of category or product',
        path: ['category'],
      }),
    async handler({ engine, query, lang }): Promise<WhatIfResponse> {
      const r = await whatIf(engine, {
        ...(query.category !== undefined ? { category: query.category } : {}),
        ...(query.product !== undefined ? { product: query.product } : {}),
        priceChange: query.priceChange,
        baseWeeks: query.baseWeeks,
        asOf: query.asOf ?? null,
        level: query.level,
      });
      return localizeWhatIf(r, lang);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/profit/break-even',
    summary: 'When customers became profitable, per RFM segment or per acquisition quarter',
    tag: 'value',
    role: 'viewer',
    query: z.object({ by: z.enum(BREAK_EVEN_BY).default('cohort'), asOf: isoDate.optional() }),
    async handler({ engine, query }): Promise<BreakEvenResponse> {
      return breakEven(engine, { asOf: query.asOf ?? (await lastOrderDay(engine)), by: query.by });
    },
  }),
];
