import { AppError, InputError, QueryError } from '../../errors.js';
import { type DuckDBType, DuckDBTypeId } from '../duckdb-api.js';
import type { DuckDbEngine } from '../duckdb-engine.js';
import type { Query } from '../engine.js';
import { hintFor } from '../query-hints.js';
import { ident, join, raw, type SqlFragment, sql } from '../sql/sql.js';
import { describeConnection, type RemoteConnectionOptions } from './options.js';
import { createMySqlWriter, createPostgresWriter, type PortableType } from './writers.js';

/** Where the rows go: a PostgreSQL or MySQL/MariaDB database and a table in it. */
export interface WriteBackOptions {
  /** The target database engine. */
  engine: 'postgres' | 'mysql';
  /** How to reach it (URL or parts). */
  connection: RemoteConnectionOptions;
  /** Target table, optionally schema-qualified (`crm.customer_scores`); created when missing. */
  table: string;
  /**
   * `replace` (default): the table holds exactly the query's rows afterwards (old rows deleted, in the same
   * transaction). `upsert`: rows with an existing key are updated, new keys inserted, other rows kept.
   * `append`: rows are inserted, nothing is deleted or updated.
   */
  mode?: 'replace' | 'upsert' | 'append';
  /**
   * Key columns (names in the query result). Required for `upsert`; when the table is created they become
   * its PRIMARY KEY (so a later upsert works too).
   */
  key?: readonly string[];
  /** Rows per INSERT statement (default 1,000; capped so one statement has at most 65,535 values). */
  batchRows?: number;
  /** Called after each batch with the number of rows written so far (for progress bars). */
  onProgress?: (rowsWritten: number) => void;
}

export interface WriteBackResult {
  /** `postgres://user@host:port/db` (never the password). */
  target: string;
  table: string;
  mode: 'replace' | 'upsert' | 'append';
  /** Rows the query produced, all of them written. */
  rows: number;
  /** Whether the table was created by this call. */
  created: boolean;
  /** Columns written, with the SQL type used when creating the table. */
  columns: { name: string; type: string }[];
}

/** DuckDB type → the portable kind that decides the remote column type and the value's wire form. */
function portableType(type: DuckDBType): PortableType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { kind: 'boolean' };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return { kind: 'integer' };
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return { kind: 'bigint' };
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return { kind: 'decimal', precision: 38, scale: 0 };
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { kind: 'double' };
    case DuckDBTypeId.DECIMAL: {
      const m = /DECIMAL\((\d+),\s*(\d+)\)/.exec(type.toString());
      return { kind: 'decimal', precision: Number(m?.[1] ?? 18), scale: Number(m?.[2] ?? 3) };
    }
    case DuckDBTypeId.DATE:
      return { kind: 'date' };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return { kind: 'timestamp', utc: false };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { kind: 'timestamp', utc: true };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.UNION:
      return { kind: 'json' };
    default:
      return { kind: 'text' };
  }
}

/**
 * How each value leaves DuckDB: numbers and booleans as JS values; everything that JS would round or
 * reinterpret (BIGINT, DECIMAL, dates, timestamps, nested values) as exact text the target parses.
 */
function wireExpression(column: string, type: PortableType): SqlFragment {
  const c = sql`q.${ident(column)}`;
  switch (type.kind) {
    case 'boolean':
    case 'integer':
      return c;
    case 'double':
      return sql`CAST(${c} AS DOUBLE)`;
    case 'timestamp':
      return type.utc
        ? sql`strftime(timezone('UTC', ${c}), '%Y-%m-%d %H:%M:%S.%f')`
        : sql`strftime(CAST(${c} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`;
    case 'json':
      return sql`CAST(to_json(${c}) AS VARCHAR)`;
    default:
      return sql`CAST(${c} AS VARCHAR)`;
  }
}

/** PostgreSQL's limit on bound values in one statement. */
const MAX_PARAMS = 65_535;

/**
 * Writes the result of a datamart query (e.g. scores per customer) to a table in PostgreSQL or
 * MySQL/MariaDB: creates the table when it is missing (column types from the query's DuckDB types), then
 * replaces its rows, upserts by key, or appends, in batches of multi-row INSERTs, all in ONE transaction:
 * if anything fails, the target table is exactly as it was. Rows stream out of DuckDB one chunk
 * (2,048 rows) at a time, so memory stays flat whatever the result size.
 *
 * Run it while no other statement uses the engine (it reads through the engine's connection directly).
 *
 * @param engine The datamart (DuckDB).
 * @param query The rows to write: a `sql` fragment or constant SQL text; its column names become the
 *   target's column names.
 * @param options Target engine, connection, table, mode (`replace` default, `upsert`, `append`) and key.
 * @returns What was written: target, table, mode, row count, whether the table was created.
 * @throws InputError (INVALID_ARGUMENT) for `upsert` without `key`, or a key column the query lacks.
 * @throws ConnectorError (CONNECTION_FAILED) when the target is unreachable, refuses the login, or
 *   rejects the rows (e.g. an existing table with other columns); nothing was changed.
 * @throws QueryError (QUERY_FAILED) when the datamart query itself fails.
 * @example
 * await writeBack(engine, sql`SELECT customer_id, churn_probability FROM churn_scores`, {
 *   engine: 'postgres', connection: { url: 'postgres://crm@db/crm' },
 *   table: 'analytics.churn_scores', mode: 'upsert', key: ['customer_id'],
 * });
 */
export async function writeBack(
  engine: DuckDbEngine,
  query: Query,
  options: WriteBackOptions,
): Promise<WriteBackResult> {
  const mode = options.mode ?? 'replace';
  const key = [...(options.key ?? [])];
  if (mode === 'upsert' && key.length === 0) {
    throw new InputError(
      `Write-back to ${options.table}: mode "upsert" needs the key column(s) that identify a row ` +
        `(e.g. key: ['customer_id']), got none. Pass a key, or use mode "replace".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const source = typeof query === 'string' ? raw(query) : query;
  const described = await describeQuery(engine, sql`SELECT * FROM (${source}) AS q LIMIT 0`);
  const missingKeys = key.filter((k) => !described.some((c) => c.name === k));
  if (missingKeys.length > 0) {
    throw new InputError(
      `Write-back to ${options.table}: expected the key column(s) ${missingKeys.map((k) => `"${k}"`).join(', ')} ` +
        `in the query result, found only ${described.map((c) => `"${c.name}"`).join(', ')}. ` +
        `Select the key column or fix its name.`,
      { missingKeys },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const writer =
    options.engine === 'postgres'
      ? await createPostgresWriter(options.connection)
      : await createMySqlWriter(options.connection);
  const target = describeConnection(options.engine, options.connection);
  const columns = described.map((c) => ({
    name: c.name,
    portable: c.portable,
    type: writer.columnType(c.portable, key.includes(c.name)),
  }));
  const batchRows = Math.max(1, Math.min(options.batchRows ?? 1000, Math.floor(MAX_PARAMS / columns.length)));
  let rows = 0;
  let created = false;
  try {
    created = !(await writer.tableExists(options.table));
    const ddl = createTableSql(options.table, columns, key);
    // Where DDL would commit the open transaction (MySQL), the table is created first, while still empty.
    if (created && !writer.transactionalDdl) await writer.exec(ddl);
    await writer.begin();
    if (created && writer.transactionalDdl) await writer.exec(ddl);
    if (!created && mode === 'replace') await writer.exec(sql`DELETE FROM ${ident(options.table)}`);
    const names = columns.map((c) => c.name);
    const insertHead = sql`INSERT INTO ${ident(options.table)} (${join(names.map((n) => sql`${ident(n)}`))}) VALUES `;
    const tail = mode === 'upsert' ? writer.upsertClause(key, names) : sql``;
    const wire = sql`SELECT ${join(columns.map((c) => wireExpression(c.name, c.portable)))} FROM (${source}) AS q`;
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const values = join(batch.map((r) => sql`(${join(r.map((v) => sql`${v}`))})`));
      await writer.exec(sql`${insertHead}${values}${tail}`);
      rows += batch.length;
      batch = [];
      options.onProgress?.(rows);
    };
    for await (const chunk of streamRows(engine, wire)) {
      for (const row of chunk) {
        batch.push(row);
        if (batch.length >= batchRows) await flush();
      }
    }
    await flush();
    await writer.commit();
  } catch (error) {
    await writer.rollback();
    if (error instanceof AppError) throw error;
    throw writer.error(error, {
      target,
      action: `writing to table "${options.table}"`,
      table: options.table,
    });
  } finally {
    await writer.close();
  }
  return {
    target,
    table: options.table,
    mode,
    rows,
    created,
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
  };
}

function createTableSql(
  table: string,
  columns: readonly { name: string; type: string }[],
  key: readonly string[],
): SqlFragment {
  const defs = columns.map(
    (c) => sql`${ident(c.name)} ${raw(c.type)}${raw(key.includes(c.name) ? ' NOT NULL' : '')}`,
  );
  if (key.length > 0) defs.push(sql`PRIMARY KEY (${join(key.map((k) => sql`${ident(k)}`))})`);
  return sql`CREATE TABLE ${ident(table)} (${join(defs)})`;
}

interface DescribedColumn {
  name: string;
  portable: PortableType;
}

async function describeQuery(engine: DuckDbEngine, q: SqlFragment): Promise<DescribedColumn[]> {
  const { text, params } = q.render((i) => `$${i + 1}`);
  const result = await runOnEngine(text, params, () =>
    engine.connection.run(text, params.length ? (params as never) : undefined),
  );
  const types = result.columnTypes();
  return result.columnNames().map((name, i) => ({ name, portable: portableType(types[i]!) }));
}

/** Streams a DuckDB query's rows one data chunk at a time. */
async function* streamRows(engine: DuckDbEngine, q: SqlFragment): AsyncGenerator<unknown[][]> {
  const { text, params } = q.render((i) => `$${i + 1}`);
  const result = await runOnEngine(text, params, () =>
    engine.connection.stream(text, params.length ? (params as never) : undefined),
  );
  for (;;) {
    const chunk = await runOnEngine(text, params, () => result.fetchChunk());
    if (!chunk || chunk.rowCount === 0) return;
    yield chunk.getRows() as unknown[][];
  }
}

/** Runs a direct connection call and reports a failure as a QueryError with the SQL and a hint. */
async function runOnEngine<R>(text: string, params: unknown[], call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (cause) {
    const message = (cause as Error).message;
    throw new QueryError(`Query failed: ${message}`, text, params, { cause, hint: hintFor(message) });
  }
}
