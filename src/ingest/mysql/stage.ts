import type { FieldPacket, TypeCast } from 'mysql2';
import { AppError, InputError } from '../../errors.js';
import {
  closeMySql,
  connectMySql,
  type DuckDbEngine,
  describeConnection,
  ident,
  mysqlDialect,
  mysqlError,
  type RemoteConnectionOptions,
  type SqlFragment,
  sql,
} from '../../store/index.js';
import { DECLARED, normaliseTimestamp } from '../database-types.js';
import { createTextStagingTable, type TextStagingTable } from '../staging-table.js';
import type { ParseOptions, StagedColumn, StagedSource } from '../types.js';

export interface MySqlSourceOptions extends RemoteConnectionOptions {
  /** Table or view to copy, optionally database-qualified: `customer_entity`, `shop.customer_entity`. */
  table?: string;
  /** A SELECT to copy instead of a table; runs in a READ ONLY transaction. `?` placeholders take `params`. */
  query?: string;
  /** Values for the query's `?` placeholders. */
  params?: readonly unknown[];
  /**
   * Rows buffered between the server and DuckDB (default 2,048). When the buffer is full the socket is
   * paused (backpressure), so memory holds about one buffer, never the whole result.
   */
  batchRows?: number;
  /** Called every `batchRows` rows and at the end with the number of rows staged so far. */
  onProgress?: (rowsStaged: number) => void;
}

/**
 * A query that Clientele built itself (the Magento preset): identifiers quoted by `ident()`, values bound.
 * @internal
 */
export interface MySqlBuiltQuery {
  fragment: SqlFragment;
  /** Display name for `StagedSource.source`, e.g. `mysql:magento/sales_order`. */
  source: string;
}

// mysql2's column type codes (the protocol's MYSQL_TYPE_*).
const T = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  BIT: 16,
  NEWDECIMAL: 246,
} as const;

/** MySQL's "zero dates", which mean "no value" in practice. */
const ZERO_DATES = ['0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000'];

/** The parse options the loader needs for a column of this MySQL type. */
export function declaredForMySqlField(field: FieldPacket): ParseOptions {
  switch (field.columnType) {
    case T.TINY:
      // TINYINT(1) is MySQL's BOOLEAN.
      return field.columnLength === 1
        ? { type: 'boolean', trueValues: ['1'], falseValues: ['0'] }
        : DECLARED.integer;
    case T.SHORT:
    case T.LONG:
    case T.LONGLONG:
    case T.INT24:
    case T.YEAR:
    case T.BIT:
      return DECLARED.integer;
    case T.DECIMAL:
    case T.NEWDECIMAL:
    case T.FLOAT:
    case T.DOUBLE:
      return DECLARED.number;
    case T.DATE:
    case T.NEWDATE:
      return { ...DECLARED.date, nullValues: ZERO_DATES };
    case T.DATETIME:
    case T.TIMESTAMP:
      return { ...DECLARED.timestamp, nullValues: ZERO_DATES };
    default:
      return DECLARED.string;
  }
}

/** Every value as the server's text; BIT values as their integer. */
const textCast: TypeCast = (field) => {
  if (field.type === 'BIT') {
    const bytes = field.buffer();
    if (bytes === null) return null;
    let n = 0n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    return n.toString();
  }
  return field.string();
};

/**
 * Copies a MySQL/MariaDB table or query result into a temporary DuckDB table, streaming (the socket is
 * paused while DuckDB catches up) through the DuckDB Appender. Column types come from the server, so the
 * staged source carries `declared` parse options and needs no profiling. Reads run in a READ ONLY
 * transaction, with the session in UTC: DATETIME and TIMESTAMP arrive as UTC text.
 *
 * @param engine The datamart engine (DuckDB) that receives the staging table.
 * @param options Connection (URL or parts) and exactly one of `table` / `query`.
 * @returns The staged source; call `cleanup()` to drop its temporary table.
 * @throws InputError (INVALID_ARGUMENT) when neither or both of `table` and `query` are given.
 * @throws ConnectorError (CONNECTION_FAILED) when the server is unreachable, refuses the login, or the
 *   table or query fails; the message names the server, the table and what to check.
 * @example
 * const staged = await stageMySql(engine, { url: 'mysql://shop@db:3306/magento', table: 'sales_order' });
 * try { … load staged … } finally { await staged.cleanup(); }
 */
export async function stageMySql(engine: DuckDbEngine, options: MySqlSourceOptions): Promise<StagedSource> {
  const { table, query } = options;
  if ((table === undefined) === (query === undefined)) {
    throw new InputError(
      'MySQL source: expected exactly one of a table (--table) or a query (--query), ' +
        `got ${table === undefined ? 'neither' : 'both'}. Pass one of them.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  if (table !== undefined) {
    return stageMySqlQuery(engine, options, {
      fragment: sql`SELECT * FROM ${ident(table)}`,
      source: `mysql:${table}`,
    });
  }
  return stageMySqlRun(engine, options, {
    text: query!,
    params: [...(options.params ?? [])],
    ansiQuotes: false,
    source: 'mysql:query',
    action: 'running the query',
    detected: { query: query! },
  });
}

/**
 * Stages a query built with the `sql` tag (identifiers in double quotes, so the session runs with
 * ANSI_QUOTES). Used by `stageMySql` for tables and by the Magento preset.
 * @internal
 */
export async function stageMySqlQuery(
  engine: DuckDbEngine,
  options: MySqlSourceOptions,
  built: MySqlBuiltQuery,
): Promise<StagedSource> {
  const { text, params } = built.fragment.render((i, v) => mysqlDialect.placeholder(i, v));
  return stageMySqlRun(engine, options, {
    text,
    params,
    ansiQuotes: true,
    source: built.source,
    action: options.table !== undefined ? `reading table "${options.table}"` : `reading ${built.source}`,
    table: options.table,
    detected: options.table !== undefined ? { table: options.table } : { query: text },
  });
}

interface RunSpec {
  text: string;
  params: unknown[];
  ansiQuotes: boolean;
  source: string;
  action: string;
  table?: string;
  detected: Record<string, string>;
}

async function stageMySqlRun(
  engine: DuckDbEngine,
  options: MySqlSourceOptions,
  spec: RunSpec,
): Promise<StagedSource> {
  const target = describeConnection('mysql', options);
  const batchRows = options.batchRows ?? 2048;
  const conn = await connectMySql(options, { ansiQuotes: spec.ansiQuotes });
  let staging: TextStagingTable | null = null;
  try {
    await conn.promise().query('START TRANSACTION READ ONLY');
    let fields: FieldPacket[] | null = null;
    const running = conn.query({
      sql: spec.text,
      values: spec.params,
      rowsAsArray: true,
      typeCast: textCast,
    });
    running.on('fields', (f: FieldPacket[]) => {
      fields = f;
    });
    const stream = running.stream({ highWaterMark: batchRows });
    let timestampColumns: number[] = [];
    for await (const row of stream as AsyncIterable<(string | null)[]>) {
      if (!staging) {
        staging = await createTextStagingTable(engine, 'mysql', fields!.length);
        timestampColumns = timestampIndexes(fields!);
      }
      for (const i of timestampColumns) if (row[i] !== null) row[i] = normaliseTimestamp(row[i] as string);
      staging.append(row);
      if (staging.rows % batchRows === 0) options.onProgress?.(staging.rows);
    }
    await conn.promise().query('COMMIT');
    const described: FieldPacket[] = fields ?? [];
    // An empty result still has its columns; the table is created after the stream when no row came.
    staging ??= await createTextStagingTable(engine, 'mysql', described.length);
    const rowsRead = await staging.finish();
    if (rowsRead % batchRows !== 0) options.onProgress?.(rowsRead);
    const stagedTable = staging;
    const columns: StagedColumn[] = described.map((f, i) => ({
      name: f.name,
      staged: stagedTable.columns[i]!,
      declared: declaredForMySqlField(f),
    }));
    return {
      table: stagedTable.table,
      columns,
      source: spec.source,
      format: 'mysql',
      rowsRead,
      structuralRejectsTable: null,
      structuralRejects: 0,
      detected: {
        server: target,
        ...spec.detected,
        columns: columns.length,
        types: described.map((f) => `${f.name}:${declaredForMySqlField(f).type}`).join(', '),
      },
      cleanup: () => stagedTable.drop(),
    };
  } catch (error) {
    await (staging as TextStagingTable | null)?.drop();
    if (error instanceof AppError) throw error;
    throw mysqlError(error, { target, action: spec.action, sql: spec.text, table: spec.table });
  } finally {
    await closeMySql(conn);
  }
}

function timestampIndexes(fields: FieldPacket[]): number[] {
  return fields.flatMap((f, i) => (f.columnType === T.DATETIME || f.columnType === T.TIMESTAMP ? [i] : []));
}
