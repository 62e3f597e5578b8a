import { z } from 'zod';
import { customerLifeEvents, detectLifeEvents } from '../../../analytics/lifeevents/index.js';
import { defineRoute } from '../route.js';
import type { LifeEventEntry, LifeEventRunResponse } from '../types.js';
import { isoDate } from './overview.js';

export const lifeEventRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/life-events/run',
    summary:
      'Detect life events and behaviour changes per customer (writes life_events, customer_life_events)',
    tag: 'lifeevents',
    role: 'analyst',
    body: z.object({ asOf: isoDate.optional(), alpha: z.number().min(1e-12).max(0.5).optional() }),
    async handler({ engine, body }): Promise<LifeEventRunResponse> {
      return detectLifeEvents(engine, {
        asOf: body.asOf ?? null,
        ...(body.alpha !== undefined ? { alpha: body.alpha } : {}),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/customers/:id/life-events',
    summary: 'Life events and behaviour changes of one customer, with their evidence (Customer 360)',
    tag: 'customers',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, lang }): Promise<{ events: LifeEventEntry[] }> {
      return { events: await customerLifeEvents(engine, params.id, lang) };
    },
  }),
];
