import type pg from 'pg';
import Cursor from 'pg-cursor';
import { AppError, InputError } from '../../errors.js';
import {
  connectPostgres,
  type DuckDbEngine,
  describeConnection,
  ident,
  postgresDialect,
  postgresError,
  type RemoteConnectionOptions,
  sql,
} from '../../store/index.js';
import { DECLARED, normaliseTimestamp } from '../database-types.js';
import { createTextStagingTable, type TextStagingTable } from '../staging-table.js';
import type { ParseOptions, StagedColumn, StagedSource } from '../types.js';

export interface PostgresSourceOptions extends RemoteConnectionOptions {
  /** Table or view to copy, optionally schema-qualified: `customers`, `crm.customers`. */
  table?: string;
  /** A SELECT to copy instead of a table; runs in a READ ONLY transaction. `$1`, `$2` … take `params`. */
  query?: string;
  /** Values for the query's `$n` placeholders. */
  params?: readonly unknown[];
  /** Rows fetched per round trip (default 2,048): memory holds one batch, never the whole result. */
  batchRows?: number;
  /** Called after each batch with the number of rows staged so far (for progress bars). */
  onProgress?: (rowsStaged: number) => void;
}

// PostgreSQL type OIDs (pg_type.oid); stable across versions.
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

/** The parse options the loader needs for a column of this PostgreSQL type. */
export function declaredForPostgresType(oid: number): ParseOptions {
  switch (oid) {
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return DECLARED.integer;
    case OID.float4:
    case OID.float8:
    case OID.numeric:
      return DECLARED.number;
    case OID.bool:
      return { type: 'boolean', trueValues: ['t'], falseValues: ['f'] };
    case OID.date:
      return DECLARED.date;
    case OID.timestamp:
    case OID.timestamptz:
      return DECLARED.timestamp;
    default:
      // text, varchar, uuid, json, arrays, intervals …: kept as the server's text.
      return DECLARED.string;
  }
}

/** Every value arrives as the server's text; nothing is parsed into JS objects on the way. */
const RAW_TEXT: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/**
 * Copies a PostgreSQL table or query result into a temporary DuckDB table, streaming through a server-side
 * cursor (one batch in memory at a time) and the DuckDB Appender. Column types come from the server, so
 * the staged source carries `declared` parse options and needs no profiling. Both a table and a query are
 * read inside a READ ONLY transaction: an import can never change the source database.
 *
 * @param engine The datamart engine (DuckDB) that receives the staging table.
 * @param options Connection (URL or parts) and exactly one of `table` / `query`.
 * @returns The staged source; call `cleanup()` to drop its temporary table.
 * @throws InputError (INVALID_ARGUMENT) when neither or both of `table` and `query` are given.
 * @throws ConnectorError (CONNECTION_FAILED) when the server is unreachable, refuses the login, or the
 *   table or query fails; the message names the server, the table and what to check.
 * @example
 * const staged = await stagePostgres(engine, { url: 'postgres://crm@db:5432/crm', table: 'crm.customers' });
 * try { … load staged … } finally { await staged.cleanup(); }
 */
export async function stagePostgres(
  engine: DuckDbEngine,
  options: PostgresSourceOptions,
): Promise<StagedSource> {
  const { table, query } = options;
  if ((table === undefined) === (query === undefined)) {
    throw new InputError(
      'PostgreSQL source: expected exactly one of a table (--table) or a query (--query), ' +
        `got ${table === undefined ? 'neither' : 'both'}. Pass one of them.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const target = describeConnection('postgres', options);
  const { text, params } =
    table !== undefined
      ? sql`SELECT * FROM ${ident(table)}`.render((i, v) => postgresDialect.placeholder(i, v))
      : { text: query!, params: [...(options.params ?? [])] };
  const action = table !== undefined ? `reading table "${table}"` : 'running the query';
  const batchRows = options.batchRows ?? 2048;

  const client = await connectPostgres(options);
  let staging: TextStagingTable | null = null;
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    const cursor = client.query(new Cursor(text, params, { rowMode: 'array', types: RAW_TEXT }));
    let batch = await readBatch(cursor, batchRows);
    const fields = batch.fields;
    staging = await createTextStagingTable(engine, 'pg', fields.length);
    const timestampColumns = fields.flatMap((f, i) =>
      f.dataTypeID === OID.timestamp || f.dataTypeID === OID.timestamptz ? [i] : [],
    );
    while (batch.rows.length > 0) {
      for (const row of batch.rows) {
        for (const i of timestampColumns) if (row[i] !== null) row[i] = normaliseTimestamp(row[i] as string);
        staging.append(row);
      }
      options.onProgress?.(staging.rows);
      if (batch.rows.length < batchRows) break;
      batch = await readBatch(cursor, batchRows);
    }
    await cursor.close();
    await client.query('COMMIT');
    const rowsRead = await staging.finish();
    const columns: StagedColumn[] = fields.map((f, i) => ({
      name: f.name,
      staged: staging!.columns[i]!,
      declared: declaredForPostgresType(f.dataTypeID),
    }));
    const stagedTable = staging;
    return {
      table: stagedTable.table,
      columns,
      source: table !== undefined ? `postgres:${table}` : 'postgres:query',
      format: 'postgres',
      rowsRead,
      structuralRejectsTable: null,
      structuralRejects: 0,
      detected: {
        server: target,
        ...(table !== undefined ? { table } : { query: text }),
        columns: columns.length,
        types: fields.map((f) => `${f.name}:${declaredForPostgresType(f.dataTypeID).type}`).join(', '),
      },
      cleanup: () => stagedTable.drop(),
    };
  } catch (error) {
    await staging?.drop();
    // DuckDB-side failures are already QueryErrors; only the server's failures are explained here.
    if (error instanceof AppError) throw error;
    throw postgresError(error, { target, action, sql: text, table });
  } finally {
    // Ending the session also ends a still-open READ ONLY transaction: nothing can be lost. A failure to
    // say goodbye to the server must not hide the result or the real error, so it is not rethrown.
    await client.end().catch(() => undefined);
  }
}

interface Batch {
  rows: (string | null)[][];
  fields: pg.FieldDef[];
}

/** One cursor read; the callback form also hands over the column descriptions. */
function readBatch(cursor: Cursor, rows: number): Promise<Batch> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, result, info) => {
      if (error) reject(error);
      else resolve({ rows: result as (string | null)[][], fields: info.fields });
    });
  });
}
