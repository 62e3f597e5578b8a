import type { DdlStatement, Dialect } from './sql/dialect.js';
import type { SqlFragment } from './sql/sql.js';

/** One result row: column name → JS value (numbers, strings, booleans, null; dates as ISO strings). */
export type Row = Record<string, unknown>;

/** Result columns: column name → values, in row order. */
export type Columns = Record<string, unknown[]>;

/** A query: a `sql` fragment, or plain text with no parameters (our own constant SQL only). */
export type Query = SqlFragment | string;

/**
 * An engine that moves whole tables as Parquet files: the import stages and validates in DuckDB and sends
 * the typed rows this way (ClickHouse). Columns are in table order.
 */
export interface ParquetTransfer {
  /** Appends the rows of a local Parquet file to `table`. */
  importParquet(table: string, path: string): Promise<void>;
  /** Writes all rows of `table` to a local Parquet file. */
  exportParquet(table: string, path: string): Promise<void>;
}

/** Whether the engine moves tables as Parquet files ({@link ParquetTransfer}). */
export function hasParquetTransfer(engine: Engine): engine is Engine & ParquetTransfer {
  const e = engine as Partial<ParquetTransfer>;
  return typeof e.importParquet === 'function' && typeof e.exportParquet === 'function';
}

/**
 * The analytical engine that holds the datamart. DuckDB is the default; PostgreSQL, MySQL and ClickHouse
 * implement the same contract. Values come back as plain JS: BIGINT as number (exact up to 2^53),
 * DATE as `YYYY-MM-DD`, TIMESTAMP as an ISO string, DECIMAL as number.
 */
export interface Engine {
  readonly dialect: Dialect;
  /** Where the datamart lives, for messages: a DuckDB file path, `chdb:/dir` or `clickhouse://user@host/db`. */
  readonly location: string;
  /** Runs a query and returns all rows as objects. */
  query<T = Row>(q: Query): Promise<T[]>;
  /** Runs a query and returns column arrays (faster for model inputs). */
  queryColumns(q: Query): Promise<Columns>;
  /** Runs a statement (or several, for plain text) and returns nothing. */
  exec(q: Query): Promise<void>;
  /**
   * Runs `fn` inside one transaction: it commits if `fn` resolves and rolls back if it throws.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: (tx: Engine) => Promise<T>): Promise<T>;
  /**
   * Runs a statement on every host of a cluster (DDL without Keeper, copies of dimension tables); absent on
   * engines with one host, where {@link runDdl} runs it with `exec`.
   */
  execOnEveryHost?(q: Query): Promise<void>;
  /** Releases the connection and the database file. */
  close(): Promise<void>;
  /**
   * A new session on the same database: its own connection and transactions, so a failure or a rollback in
   * one never touches another (each HTTP request and job gets one). Closing it closes only its connection.
   */
  session?(): Promise<Engine>;
  /**
   * Stops the running statement and refuses every later one except ROLLBACK (cancelled jobs): the work
   * ends at once and its transaction rolls back.
   */
  cancel?(): void;
  /**
   * Hands the memory that finished work freed back to the operating system (the engine's allocator keeps it
   * otherwise), without dropping cached data or changing any setting. A server calls it when it falls idle
   * after a burst, so its memory returns to its baseline (issue 19). Absent where the engine has no such step.
   */
  releaseMemory?(): Promise<void>;
  /**
   * The database this connection belongs to, shared by all its sessions: a key for caches of what the
   * database holds. Absent where the engine cannot tell.
   */
  readonly database?: object;
  /**
   * A text that changes when one of `tables` is created, replaced, altered or changes its row count (DuckDB:
   * the table's oid, definition and estimated size), so a cache keyed by it is dropped then. Absent where the
   * engine cannot tell.
   */
  tablesVersion?(tables: readonly string[]): Promise<string>;
}

/**
 * Runs DDL made by the dialect (`createTableStatements`, `swapTableStatements`, …): a statement marked
 * `everyHost` goes to each host of a cluster, any other to the engine's own host.
 */
export async function runDdl(engine: Engine, statements: readonly DdlStatement[]): Promise<void> {
  for (const s of statements) {
    if (s.everyHost && engine.execOnEveryHost) await engine.execOnEveryHost(s.sql);
    else await engine.exec(s.sql);
  }
}
