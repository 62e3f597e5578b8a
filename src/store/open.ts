import { DuckDbEngine } from './duckdb-engine.js';
import { migrate } from './schema.js';

export interface OpenDatamartOptions {
  /** Path of the `.duckdb` file; default from `CLIENTELE_DB`, else `clientele.duckdb` in the working folder. */
  db?: string;
  /** Open read-only (ad-hoc SQL). */
  readOnly?: boolean;
  /** Create missing tables (default true unless read-only). */
  migrate?: boolean;
}

/** The datamart file path from an option, `CLIENTELE_DB`, or the default `clientele.duckdb`. */
export function resolveDbPath(db?: string): string {
  return db ?? process.env.CLIENTELE_DB ?? 'clientele.duckdb';
}

/** Opens the datamart (DuckDB by default) and makes sure its tables exist. */
export async function openDatamart(options: OpenDatamartOptions = {}): Promise<DuckDbEngine> {
  const path = resolveDbPath(options.db);
  const engine = await DuckDbEngine.open(path, { readOnly: options.readOnly });
  try {
    if (!options.readOnly && options.migrate !== false) await migrate(engine);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}
