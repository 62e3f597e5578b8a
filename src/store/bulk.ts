import { DOUBLE, DuckDBDataChunk, VARCHAR } from './duckdb-api.js';
import { DuckDbEngine } from './duckdb-engine.js';
import type { Engine } from './engine.js';
import { ident, join, raw, type SqlFragment, sql } from './sql/sql.js';

/** Rows per DuckDB data chunk (DuckDB's vector size). */
const CHUNK_ROWS = 2048;
/** Rows per INSERT statement on engines without an appender. */
const INSERT_ROWS = 500;

/** A column to bulk-write: numbers (DOUBLE, NaN → NULL) or texts (VARCHAR). */
export type BulkColumn = Float64Array | readonly (string | null)[];

/**
 * Creates (or replaces) `table` with the given columns and fills it. Model outputs computed in TypeScript
 * (per-customer predictions) go back to the engine this way, so scores stay usable in SQL. DuckDB is filled
 * through its Appender one data chunk at a time; other engines get batched multi-row INSERTs with bound values.
 */
export async function writeColumns(
  engine: Engine,
  table: string,
  columns: Readonly<Record<string, BulkColumn>>,
  options: { temporary?: boolean } = {},
): Promise<number> {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]!]!.length : 0;
  const isNumeric = names.map((n) => columns[n] instanceof Float64Array);
  const defs = names.map((n, i) => sql`${ident(n)} ${raw(isNumeric[i] ? 'DOUBLE PRECISION' : 'VARCHAR')}`);
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  await engine.exec(
    sql`CREATE ${raw(options.temporary ? 'TEMPORARY TABLE' : 'TABLE')} ${ident(table)} (${join(defs)})`,
  );
  if (rows === 0) return 0;
  if (engine instanceof DuckDbEngine) {
    const appender = await engine.connection.createAppender(
      table,
      options.temporary ? 'main' : null,
      options.temporary ? 'temp' : null,
    );
    const chunk = DuckDBDataChunk.create(
      names.map((_, i) => (isNumeric[i] ? DOUBLE : VARCHAR)),
      CHUNK_ROWS,
    );
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      chunk.reset();
      chunk.setColumns(
        names.map((n, i) => {
          const col = columns[n]!;
          if (isNumeric[i]) {
            const out: (number | null)[] = [];
            for (let r = start; r < end; r++) {
              const v = (col as Float64Array)[r]!;
              out.push(Number.isNaN(v) ? null : v);
            }
            return out;
          }
          return (col as readonly (string | null)[]).slice(start, end);
        }),
      );
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    return rows;
  }
  for (let start = 0; start < rows; start += INSERT_ROWS) {
    const end = Math.min(rows, start + INSERT_ROWS);
    const tuples: SqlFragment[] = [];
    for (let r = start; r < end; r++) {
      const values = names.map((n, i) => {
        const v = columns[n]![r];
        return isNumeric[i] && typeof v === 'number' && Number.isNaN(v) ? null : v;
      });
      tuples.push(sql`(${join(values.map((v) => sql`${v}`))})`);
    }
    await engine.exec(sql`INSERT INTO ${ident(table)} VALUES ${join(tuples)}`);
  }
  return rows;
}
