import { z } from 'zod';
import { rfmSummary, rfmTransitions } from '../../../analytics/rfm/index.js';
import { dropSmallCells, isSmallCell } from '../../../analytics/shared/privacy.js';
import { nameLabel } from '../../../analytics/shared/server-text.js';
import { InputError } from '../../../errors.js';
import { isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type { RfmEngagementResponse, RfmMovementResponse, RfmResponse } from '../types.js';
import { featuresAsOf, lastOrderDay } from './as-of.js';
import { isoDate } from './overview.js';

/** A grid of counts as a viewer sees it: 1 to k−1 becomes null (0 stays: it names nobody). */
function smallCellsNull(grid: number[][], k: number): (number | null)[][] {
  return grid.map((row) => row.map((n) => (n > 0 && isSmallCell(n, k) ? null : n)));
}

const kind = z.enum(['rfm', 'rfo', 'rfc']).default('rfm');

export const rfmRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/rfm',
    summary:
      'RFM on purchases (segments, R × F cells); RFO / RFC on e-mail opens / clicks (the engagement profile, as clientele rfm --kind rfo|rfc)',
    tag: 'rfm',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      kind,
      bins: z.coerce.number().int().min(2).max(10).optional(),
      windowDays: z.coerce
        .number()
        .int()
        .min(14)
        .max(3650)
        .optional()
        .describe('rfo / rfc only: days of e-mail history before asOf (default 365)'),
      recentDays: z.coerce
        .number()
        .int()
        .min(7)
        .max(3649)
        .optional()
        .describe('rfo / rfc only: the recent period for the decline (default 90)'),
    }),
    async handler({ engine, query, caller, lang }): Promise<RfmResponse | RfmEngagementResponse> {
      if (query.kind === 'rfo' || query.kind === 'rfc') {
        // The same default date as the CLI (--as-of: the last order date) and /api/campaigns/engagement.
        const asOf = query.asOf ?? (await lastOrderDay(engine));
        const r = await rfmSummary(engine, {
          asOf,
          kind: query.kind,
          ...(query.bins ? { bins: query.bins } : {}),
          ...(query.windowDays ? { windowDays: query.windowDays } : {}),
          ...(query.recentDays ? { recentDays: query.recentDays } : {}),
        });
        if (!isViewer(caller)) return r;
        const k = await minCellSize(engine);
        // An empty quadrant names nobody and stays; 1 to k−1 contacts are left out.
        const { rows, suppressed } = dropSmallCells(
          r.quadrants,
          (q) => (q.contacts === 0 ? k : q.contacts),
          k,
        );
        return {
          ...r,
          rfo: smallCellsNull(r.rfo, k),
          rfc: smallCellsNull(r.rfc, k),
          quadrants: rows,
          suppressedQuadrants: suppressed,
        };
      }
      const extra = (['windowDays', 'recentDays'] as const).filter((f) => query[f] !== undefined);
      if (extra.length)
        throw new InputError(
          `${extra.join(', ')}: apply to kind rfo / rfc (e-mail engagement) only; drop them for kind rfm.`,
          { extra },
          { code: 'INVALID_ARGUMENT' },
        );
      const asOf = query.asOf ?? (await featuresAsOf(engine));
      const result = await rfmSummary(engine, {
        asOf,
        ...(query.bins ? { bins: query.bins } : {}),
      });
      // Each segment's name in the caller's language next to the stored (English) name expressions use.
      const labelled = {
        ...result,
        segments: result.segments.map((s) => ({ ...s, label: nameLabel('rfm_segment', s.segment, lang) })),
      };
      if (!isViewer(caller)) return labelled;
      const k = await minCellSize(engine);
      const { rows, suppressed } = dropSmallCells(labelled.segments, (s) => s.customers, k);
      return {
        ...labelled,
        cells: smallCellsNull(result.cells, k),
        segments: rows,
        suppressedSegments: suppressed,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/rfm/movement',
    summary: 'Purchase RFM segment movement between two dates (a transition matrix)',
    tag: 'rfm',
    role: 'viewer',
    // Movement is between purchase segments; RFO / RFC have quadrants, not segments (as the CLI's --compare).
    query: z.object({ from: isoDate, to: isoDate, kind: z.enum(['rfm']).default('rfm') }),
    async handler({ engine, query, caller }): Promise<RfmMovementResponse> {
      const result = await rfmTransitions(engine, { from: query.from, to: query.to, kind: query.kind });
      if (!isViewer(caller)) return result;
      return { ...result, matrix: smallCellsNull(result.matrix, await minCellSize(engine)) };
    },
  }),
];
