import { BIGINT, type DuckDBAppender, DuckDBDataChunk, VARCHAR } from '../store/duckdb-api.js';
import type { DuckDbEngine } from '../store/index.js';
import { ident, join, sql } from '../store/index.js';

/** Rows per DuckDB data chunk: DuckDB's vector size, the most one chunk holds. */
const CHUNK_ROWS = 2048;

let tableCounter = 0;

/**
 * A temporary DuckDB table of text columns plus `_line BIGINT`, filled through the Appender one data chunk
 * (2,048 rows) at a time. This is how database sources are staged: rows arrive from a cursor or stream,
 * are buffered for one chunk only, and never sit in memory all at once.
 */
export interface TextStagingTable {
  /** Temporary table name (unqualified; it lives in DuckDB's `temp` catalog). */
  readonly table: string;
  /** Staged column names, in source order (`c1`, `c2`, …). */
  readonly columns: readonly string[];
  /** Rows appended so far; the next row gets `_line = rows + 1`. */
  readonly rows: number;
  /** Buffers one row of texts (null = SQL NULL); one value per source column. */
  append(values: readonly (string | null)[]): void;
  /** Appends the buffered rows, closes the appender and returns the row count. */
  finish(): Promise<number>;
  /** Drops the table (safe to call twice, and after a failure). */
  drop(): Promise<void>;
}

/**
 * Creates a temporary staging table with `columnCount` VARCHAR columns named `c1…cN` and `_line`.
 * `prefix` names the source kind in the table name (`pg`, `mysql`) for easier debugging.
 */
export async function createTextStagingTable(
  engine: DuckDbEngine,
  prefix: string,
  columnCount: number,
): Promise<TextStagingTable> {
  tableCounter += 1;
  const table = `_stage_${prefix}_${process.pid}_${tableCounter}`;
  const columns = Array.from({ length: columnCount }, (_, i) => `c${i + 1}`);
  const defs = [sql`_line BIGINT`, ...columns.map((c) => sql`${ident(c)} VARCHAR`)];
  await engine.exec(sql`CREATE TEMP TABLE ${ident(table)} (${join(defs)})`);
  let appender: DuckDBAppender | null = await engine.connection.createAppender(table, 'main', 'temp');
  const chunk = DuckDBDataChunk.create([BIGINT, ...columns.map(() => VARCHAR)], CHUNK_ROWS);
  let lines: bigint[] = [];
  let buffers: (string | null)[][] = columns.map(() => []);
  let rows = 0;
  let dropped = false;

  const flushChunk = () => {
    if (lines.length === 0 || !appender) return;
    chunk.reset();
    chunk.setColumns([lines, ...buffers]);
    appender.appendDataChunk(chunk);
    lines = [];
    buffers = columns.map(() => []);
  };

  return {
    table,
    columns,
    get rows() {
      return rows;
    },
    append(values) {
      rows += 1;
      lines.push(BigInt(rows));
      for (let i = 0; i < columnCount; i++) buffers[i]!.push(values[i] ?? null);
      if (lines.length === CHUNK_ROWS) flushChunk();
    },
    async finish() {
      flushChunk();
      if (appender) {
        appender.flushSync();
        appender.closeSync();
        appender = null;
      }
      return rows;
    },
    async drop() {
      if (appender) {
        // Closing flushes buffered rows; after a failure they are about to be dropped anyway.
        appender.closeSync();
        appender = null;
      }
      if (dropped) return;
      dropped = true;
      await engine.exec(sql`DROP TABLE IF EXISTS temp.main.${ident(table)}`);
    },
  };
}
