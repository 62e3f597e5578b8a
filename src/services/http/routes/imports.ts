import { z } from 'zod';
import { translateReason } from '../../../analytics/shared/server-text.js';
import { sql } from '../../../store/index.js';
import { defineRoute } from '../route.js';
import type { Page, RejectRow } from '../types.js';

export const importRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/rejects',
    personal: true,
    summary: 'Rejected rows with their reasons (they hold raw personal data)',
    tag: 'imports',
    role: 'analyst',
    query: z.object({
      loadId: z.coerce.number().int().min(1).optional(),
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    async handler({ engine, query, lang }): Promise<Page<RejectRow>> {
      const where = query.loadId === undefined ? sql`` : sql`WHERE load_id = ${query.loadId}`;
      const [count] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM rejects ${where}`);
      const rows = await engine.query<RejectRow>(
        sql`SELECT load_id, source, target, line, column_name, raw_value, reason, kind FROM rejects ${where}
            ORDER BY load_id DESC, line LIMIT ${query.limit} OFFSET ${query.offset}`,
      );
      // Reasons in the caller's language (values, columns and formats as they are).
      return {
        rows: rows.map((r) => ({ ...r, reason: translateReason(r.reason, lang) })),
        total: count?.n ?? 0,
        offset: query.offset,
        limit: query.limit,
      };
    },
  }),
];
