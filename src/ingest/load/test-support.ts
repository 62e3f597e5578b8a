import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { DuckDbEngine, type Engine, ident, migrate, sql, TABLE_DDL } from '../../store/index.js';

/** @internal A migrated datamart in a fresh temporary folder, and a way to remove it. */
export async function tempDatamart(): Promise<{
  engine: DuckDbEngine;
  dir: string;
  path: string;
  dispose(): Promise<void>;
}> {
  const dir = mkdtempSync(joinPath(tmpdir(), 'clientele-load-'));
  const path = joinPath(dir, 'test.duckdb');
  const engine = await DuckDbEngine.open(path);
  await migrate(engine);
  const handle = {
    engine,
    dir,
    path,
    /** Closes `handle.engine` (tests may swap in a reopened engine) and removes the folder. */
    async dispose() {
      await handle.engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** @internal Every datamart table's full contents (sorted), to compare a datamart before and after. */
export async function snapshot(engine: Engine): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of Object.keys(TABLE_DDL)) {
    out[table] = await engine.query(sql`SELECT * FROM ${ident(table)} ORDER BY ALL`);
  }
  const raws = await engine.query<{ name: string }>(`SELECT name FROM raw_tables ORDER BY name`);
  for (const { name } of raws)
    out[`raw:${name}`] = await engine.query(sql`SELECT * FROM ${ident(name)} ORDER BY ALL`);
  return out;
}
