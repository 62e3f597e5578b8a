import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ColumnDef,
  type ColumnType,
  DuckDbEngine,
  type Engine,
  hasParquetTransfer,
  ident,
  migrate,
  type ParquetTransfer,
  requireDuckDb,
  runDdl,
  sql,
  stringLiteral,
  TABLES,
  type TableDef,
  tableExists,
} from '../store/index.js';

/** Suffix of the staging tables built on the target before the swap. */
const STAGING_SUFFIX = '__import';

/**
 * Imports into an engine without multi-statement transactions (ClickHouse) with the same guarantee as on
 * DuckDB: every row is read, converted, validated, rejected or upserted exactly as in a DuckDB datamart,
 * and the datamart changes only when all of it succeeded.
 *
 * 1. The datamart's tables are copied (as Parquet) into an in-memory DuckDB mirror: the loader needs their
 *    rows to upsert (inserted / updated / unchanged), resolve identities and check references.
 * 2. `run` imports into the mirror: the ordinary import, in one DuckDB transaction (rejects, reconciliation).
 * 3. Every mirror table whose contents changed is written as Parquet into a staging table on the target
 *    (`orders__import`); a failure here drops the staging tables and leaves the live ones untouched.
 * 4. Only then is each staging table swapped in (`EXCHANGE TABLES`, one atomic metadata operation per table)
 *    and the old contents dropped.
 *
 * Copying the datamart costs time proportional to its size: fine up to tens of millions of rows; beyond
 * that, import in a DuckDB datamart and move the tables (see docs/clickhouse.md).
 */
export async function importThroughMirror<R>(
  target: Engine & ParquetTransfer,
  run: (mirror: DuckDbEngine) => Promise<R>,
): Promise<R> {
  const dir = await mkdtemp(join(tmpdir(), 'clientele-import-'));
  const mirror = await DuckDbEngine.open(':memory:');
  try {
    // Parquet timestamps from ClickHouse are UTC instants: read them back as UTC wall-clock times.
    await mirror.exec(`SET TimeZone = 'UTC'`);
    await migrate(mirror);
    const before = new Map<string, string>();
    for (const name of Object.keys(TABLES)) {
      if (await tableExists(target, name)) {
        const file = join(dir, `${name}.in.parquet`);
        await target.exportParquet(name, file);
        await mirror.exec(sql`DELETE FROM ${ident(name)}`);
        await mirror.exec(sql`INSERT INTO ${ident(name)} SELECT * FROM read_parquet(${stringLiteral(file)})`);
      }
      before.set(name, await fingerprint(mirror, name));
    }
    const result = await run(mirror);
    const changed: string[] = [];
    for (const name of await mirrorTables(mirror)) {
      if (before.get(name) !== (await fingerprint(mirror, name))) changed.push(name);
    }
    await swapIn(target, mirror, changed, dir);
    return result;
  } finally {
    await mirror.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes each changed table into a staging table on the target, then swaps them all in. */
async function swapIn(
  target: Engine & ParquetTransfer,
  mirror: DuckDbEngine,
  tables: readonly string[],
  dir: string,
): Promise<void> {
  const staged: { staging: string; definition: TableDef }[] = [];
  try {
    for (const name of tables) {
      const staging = `${name}${STAGING_SUFFIX}`;
      const definition = TABLES[name] ?? (await definitionOf(mirror, name));
      const file = join(dir, `${name}.out.parquet`);
      await mirror.exec(sql`COPY ${ident(name)} TO ${stringLiteral(file)} (FORMAT parquet)`);
      await runDdl(target, target.dialect.dropTableStatements(definition, staging));
      await runDdl(target, target.dialect.createTableStatements(definition, staging));
      staged.push({ staging, definition });
      await target.importParquet(staging, file);
    }
  } catch (error) {
    for (const { staging, definition } of staged)
      await runDdl(target, target.dialect.dropTableStatements(definition, staging));
    throw error;
  }
  for (const { staging, definition } of staged) {
    const name = definition.name;
    if (await tableExists(target, name)) {
      await runDdl(target, target.dialect.swapTableStatements(definition, name, staging));
      await runDdl(target, target.dialect.dropTableStatements(definition, staging));
    } else if (definition.perCustomer || definition.shardColumn) {
      // A sharded table's Distributed table names its local table: create it under its own name instead.
      await runDdl(target, target.dialect.createTableStatements(definition));
      await runDdl(target, target.dialect.swapTableStatements(definition, name, staging));
      await runDdl(target, target.dialect.dropTableStatements(definition, staging));
    } else await runDdl(target, target.dialect.renameTableStatements(definition, staging, name));
  }
}

/** Row count and an order-independent hash of all rows. */
async function fingerprint(mirror: DuckDbEngine, table: string): Promise<string> {
  const [row] = await mirror.query<{ n: number; h: string | null }>(
    sql`SELECT count(*) AS n, CAST(sum(hash(t)) AS VARCHAR) AS h FROM ${ident(table)} t`,
  );
  return `${row?.n}:${row?.h}`;
}

/** The mirror's own tables (not temporary ones). */
async function mirrorTables(mirror: DuckDbEngine): Promise<string[]> {
  const rows = await mirror.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

const DUCKDB_TYPES: Record<string, ColumnType> = {
  VARCHAR: 'text',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  JSON: 'json',
  'VARCHAR[]': 'text_list',
};

/** A portable definition of a table the import created (a raw table, `--as`), from its DuckDB columns. */
async function definitionOf(mirror: DuckDbEngine, table: string): Promise<TableDef> {
  const rows = await mirror.query<{ name: string; type: string }>(
    sql`SELECT column_name AS name, data_type AS type FROM information_schema.columns
        WHERE table_schema = 'main' AND table_name = ${table} ORDER BY ordinal_position`,
  );
  const columns: ColumnDef[] = rows.map((r) => ({ name: r.name, type: DUCKDB_TYPES[r.type] ?? 'text' }));
  return { name: table, columns, sortKey: [] };
}

/**
 * Runs several imports as one batch: on DuckDB directly (each import is its own transaction, as always);
 * on an engine without transactions through one mirror ({@link importThroughMirror}), so the datamart is
 * copied once and the changed tables are swapped in once, when `run` returns.
 */
export async function withImportBatch<R>(engine: Engine, run: (target: Engine) => Promise<R>): Promise<R> {
  if (engine instanceof DuckDbEngine || !hasParquetTransfer(engine)) return run(engine);
  return importThroughMirror(engine, run);
}

/**
 * Runs an import that needs DuckDB's own API (a PostgreSQL or MySQL source copied in through DuckDB's
 * readers and Appender: `--postgres`, `--mysql`, `--preset magento`) on any datamart: on DuckDB directly, on
 * ClickHouse in the DuckDB mirror of {@link importThroughMirror} (read into the mirror, then swapped in).
 * `what` names the feature in the error for an engine that has neither.
 */
export async function withDuckDbImport<R>(
  engine: Engine,
  what: string,
  run: (duck: DuckDbEngine) => Promise<R>,
): Promise<R> {
  if (engine instanceof DuckDbEngine) return run(engine);
  if (hasParquetTransfer(engine)) return importThroughMirror(engine, run);
  return run(requireDuckDb(engine, what));
}
