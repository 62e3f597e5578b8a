import { z } from 'zod';
import { rfmSummary, rfmTransitions } from '../../../analytics/rfm/index.js';
import { defineRoute } from '../route.js';
import type { RfmMovementResponse, RfmResponse } from '../types.js';
import { featuresAsOf } from './as-of.js';
import { isoDate } from './overview.js';

const kind = z.enum(['rfm', 'rfo', 'rfc']).default('rfm');

export const rfmRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/rfm',
    summary: 'RFM / RFO / RFC: customers per segment and per (R, F) cell',
    tag: 'rfm',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      kind,
      bins: z.coerce.number().int().min(2).max(10).optional(),
    }),
    async handler({ engine, query }): Promise<RfmResponse> {
      const asOf = query.asOf ?? (await featuresAsOf(engine));
      return rfmSummary(engine, { asOf, kind: query.kind, ...(query.bins ? { bins: query.bins } : {}) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/rfm/movement',
    summary: 'Segment movement between two dates (a transition matrix)',
    tag: 'rfm',
    role: 'viewer',
    query: z.object({ from: isoDate, to: isoDate, kind }),
    async handler({ engine, query }): Promise<RfmMovementResponse> {
      return rfmTransitions(engine, { from: query.from, to: query.to, kind: query.kind });
    },
  }),
];
