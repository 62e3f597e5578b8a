import { z } from 'zod';
import { rfmSummary, rfmTransitions } from '../../../analytics/rfm/index.js';
import { dropSmallCells, isSmallCell } from '../../../analytics/shared/privacy.js';
import { isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type { RfmMovementResponse, RfmResponse } from '../types.js';
import { featuresAsOf } from './as-of.js';
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
    summary: 'RFM / RFO / RFC: customers per segment and per (R, F) cell',
    tag: 'rfm',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      kind,
      bins: z.coerce.number().int().min(2).max(10).optional(),
    }),
    async handler({ engine, query, caller }): Promise<RfmResponse> {
      const asOf = query.asOf ?? (await featuresAsOf(engine));
      const result = await rfmSummary(engine, {
        asOf,
        kind: query.kind,
        ...(query.bins ? { bins: query.bins } : {}),
      });
      if (!isViewer(caller)) return result;
      const k = await minCellSize(engine);
      const { rows, suppressed } = dropSmallCells(result.segments, (s) => s.customers, k);
      return {
        ...result,
        cells: smallCellsNull(result.cells, k),
        segments: rows,
        suppressedSegments: suppressed,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/rfm/movement',
    summary: 'Segment movement between two dates (a transition matrix)',
    tag: 'rfm',
    role: 'viewer',
    query: z.object({ from: isoDate, to: isoDate, kind }),
    async handler({ engine, query, caller }): Promise<RfmMovementResponse> {
      const result = await rfmTransitions(engine, { from: query.from, to: query.to, kind: query.kind });
      if (!isViewer(caller)) return result;
      return { ...result, matrix: smallCellsNull(result.matrix, await minCellSize(engine)) };
    },
  }),
];
