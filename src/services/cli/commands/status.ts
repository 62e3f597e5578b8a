import { datamartStatus } from '../../../store/status.js';
import type { Command } from '../command.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'tables, row counts, date ranges, recent loads and rejects',
  usage: `Usage: clientele status [--db PATH] [--json]

Shows what the datamart holds: each table's rows and date range, the latest loads with their
read/loaded/rejected/duplicates counts, and the rejects waiting to be fixed.

JSON fields: db, tables[{name, rows, from, to}], loads[{loadId, source, target, status, read, loaded,
rejected, duplicates, startedAt}], rejects{total, byLoad[{loadId, source, count}]}, rawTables[{name, rows}]

Example:
  clientele status --json`,
  options: {},
  async run(ctx) {
    const engine = await ctx.openDb();
    try {
      const status = await datamartStatus(engine);
      ctx.out.line('Tables');
      ctx.out.table(status.tables.map((t) => ({ table: t.name, rows: t.rows, from: t.from, to: t.to })));
      if (status.rawTables.length) {
        ctx.out.line('\nRaw tables');
        ctx.out.table(status.rawTables);
      }
      ctx.out.line('\nRecent loads');
      ctx.out.table(
        status.loads.map((l) => ({
          load: l.loadId,
          source: l.source,
          target: l.target,
          status: l.status,
          read: l.read,
          loaded: l.loaded,
          rejected: l.rejected,
          duplicates: l.duplicates,
        })),
      );
      ctx.out.line(
        `\nRejects kept: ${status.rejects.total}${status.rejects.total ? ' (see the rejects table)' : ''}`,
      );
      return { db: engine.location, ...status };
    } finally {
      await engine.close();
    }
  },
};
