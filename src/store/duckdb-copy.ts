import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from './duckdb-engine.js';
import { type Engine, hasParquetTransfer } from './engine.js';
import { requireDuckDb } from './open.js';
import { tableExists } from './schema.js';
import { ident, sql, stringLiteral } from './sql/sql.js';

/**
 * Runs `run` on a DuckDB engine holding `tables`, for the features that need DuckDB's own API (writing
 * scores back to PostgreSQL or MySQL through DuckDB's readers): the datamart itself when it is DuckDB; on
 * ClickHouse an in-memory DuckDB copy of just those tables, moved as Parquet (absent tables are skipped).
 * Nothing written to the copy comes back. `what` names the feature in the error for other engines.
 */
export async function withDuckDbCopy<R>(
  engine: Engine,
  tables: readonly string[],
  what: string,
  run: (duck: DuckDbEngine) => Promise<R>,
): Promise<R> {
  if (engine instanceof DuckDbEngine) return run(engine);
  if (!hasParquetTransfer(engine)) return run(requireDuckDb(engine, what));
  const dir = await mkdtemp(join(tmpdir(), 'clientele-copy-'));
  const copy = await DuckDbEngine.open(':memory:');
  try {
    // Parquet timestamps from ClickHouse are UTC instants: read them back as UTC wall-clock times.
    await copy.exec(`SET TimeZone = 'UTC'`);
    for (const table of new Set(tables)) {
      if (!(await tableExists(engine, table))) continue;
      const file = join(dir, `${table}.parquet`);
      await engine.exportParquet(table, file);
      await copy.exec(
        sql`CREATE TABLE ${ident(table)} AS SELECT * FROM read_parquet(${stringLiteral(file)})`,
      );
    }
    return await run(copy);
  } finally {
    await copy.close();
    await rm(dir, { recursive: true, force: true });
  }
}
