import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'run a read-only SQL query on the datamart',
  usage: `Usage: clientele sql "SELECT ..." [--db PATH] [--json] [--max-rows N]

Runs one read-only query (the datamart is opened read-only, so nothing can change) and prints the rows.
Tables: see docs/schema.md; analytics add views such as customer_features.

JSON fields: columns (names), rows (objects), rowCount

Examples:
  clientele sql "SELECT country, count(*) AS customers FROM customers GROUP BY ALL ORDER BY 2 DESC"
  clientele sql "SELECT * FROM rejects LIMIT 20" --json`,
  options: { 'max-rows': { type: 'string' } },
  async run(ctx) {
    const text = ctx.args.join(' ').trim();
    if (!text) {
      throw new InputError(
        'clientele sql: expected a query, got nothing. Example: clientele sql "SELECT count(*) FROM customers"',
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const maxRows = ctx.values['max-rows'] === undefined ? 100 : Number(ctx.values['max-rows']);
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new InputError(
        `--max-rows: expected a whole number ≥ 1, got "${ctx.values['max-rows']}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const engine = await ctx.openDb({ readOnly: true });
    try {
      const rows = await engine.query(text);
      const columns = rows.length ? Object.keys(rows[0] ?? {}) : [];
      ctx.out.table(rows, { maxRows });
      return { columns, rows, rowCount: rows.length };
    } finally {
      await engine.close();
    }
  },
};
