import { InputError } from '../../../errors.js';
import { appendAudit, ensureAuditLog, openSqlConsole, SANDBOX_DEFAULTS } from '../../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { cliActor } from './audit.js';

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'run a read-only SQL query on the datamart (sandboxed)',
  usage: `Usage: clientele sql "SELECT ..." [--db PATH] [--json] [--max-rows N] [--timeout SECONDS]

Runs one read-only query and prints the rows. The console is sandboxed (docs/security.md): the datamart is
opened read-only, and the query cannot read or write any other file (no COPY … TO, read_csv, read_text,
glob, ATTACH, EXPORT), install or load extensions, or change settings (SET). On ClickHouse (chdb:DIR or a
clickhouse:// URL) it runs with readonly = 1: no file(), url(), remote() or s3(), no INTO OUTFILE, no SET. At most --max-rows rows come
back (default 100; the limit is pushed into the query), and a query running past --timeout (default 30 s) is
stopped. Every query is written to the audit log (who, the SQL, the row count).
Tables: see docs/schema.md; analytics add views such as customer_features.

JSON fields: columns (names), rows (objects), rowCount, truncated

Examples:
  clientele sql "SELECT country, count(*) AS customers FROM customers GROUP BY ALL ORDER BY 2 DESC"
  clientele sql "SELECT * FROM rejects LIMIT 20" --json`,
  options: { 'max-rows': { type: 'string' }, timeout: { type: 'string' } },
  async run(ctx) {
    const text = ctx.args.join(' ').trim();
    if (!text) {
      throw new InputError(
        'clientele sql: expected a query, got nothing. Example: clientele sql "SELECT count(*) FROM customers"',
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const maxRows = wholeNumber(ctx.values['max-rows'], 100, '--max-rows');
    const timeoutMs = wholeNumber(ctx.values.timeout, SANDBOX_DEFAULTS.timeoutMs / 1000, '--timeout') * 1000;
    const sandbox = await openSqlConsole(ctx.values.db as string | undefined, { timeoutMs });
    let result: { columns: string[]; rows: Record<string, unknown>[]; truncated: boolean };
    try {
      result = await sandbox.query(text, { maxRows, timeoutMs });
    } finally {
      await sandbox.close();
    }
    // The console can read personal data: every query is audited (the sandbox itself cannot write, so the
    // entry is appended through a normal connection once the sandbox is closed).
    await auditQuery(ctx, text, result.rows.length);
    const { columns, rows, truncated } = result;
    ctx.out.table(rows, { maxRows });
    if (truncated && !ctx.json) ctx.out.line(`… more rows; showing the first ${maxRows} (--max-rows).`);
    return { columns, rows, rowCount: rows.length, truncated };
  },
};

async function auditQuery(ctx: CommandContext, text: string, rowCount: number): Promise<void> {
  const engine = await ctx.openDb();
  try {
    await ensureAuditLog(engine);
    await appendAudit(engine, cliActor(), 'sql.query', null, { sql: text.slice(0, 2000), rows: rowCount });
  } finally {
    await engine.close();
  }
}

function wholeNumber(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError(
      `${name}: expected a whole number ≥ 1, got "${value}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return n;
}
