import { resolveDbPath, SCHEMA_VERSION, TABLE_DDL } from '../../../store/index.js';
import type { Command } from '../command.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'create (or upgrade) the datamart file',
  usage: `Usage: clientele init [--db PATH] [--json]

Creates the datamart file with every canonical table (see docs/schema.md). Safe to run again.

Example:
  clientele init --db shop.duckdb`,
  options: {},
  async run(ctx) {
    const engine = await ctx.openDb();
    await engine.close();
    const result = {
      db: resolveDbPath(ctx.values.db as string | undefined),
      schemaVersion: SCHEMA_VERSION,
      tables: Object.keys(TABLE_DDL),
    };
    ctx.out.line(
      `Datamart ready: ${result.db} (schema v${result.schemaVersion}, ${result.tables.length} tables)`,
    );
    return result;
  },
};
