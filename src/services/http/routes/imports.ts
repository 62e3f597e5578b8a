import { z } from 'zod';
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
    async handler({ engine, query }): Promise<Page<RejectRow>> {
      const where = query.loadId === undefined ? sql`` : sql`WHERE load_id = ${query.loadId}`;
      const [count] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM rejects ${where}`);
      const rows = await engine.query<RejectRow>(
        sql`SELECT load_id, source, target, line, column_name, raw_value, reason, kind FROM rejects ${where}
            ORDER BY load_id DESC, line LIMIT ${query.limit} OFFSET ${query.offset}`,
      );
      return { rows, total: count?.n ?? 0, offset: query.offset, limit: query.limit };
    },
  }),
];
