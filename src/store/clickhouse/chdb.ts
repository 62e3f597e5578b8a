import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { type ClickHouseTransport, type CompactResult, SESSION_SETTINGS } from './transport.js';

/** The part of chdb's `Session` we use (chdb is optional: it is never imported by name at build time). */
interface ChdbSession {
  queryBindAsync(query: string, params: object, opts?: { format?: string }): Promise<{ text(): string }>;
  cleanup(): void;
}
interface ChdbModule {
  Session: new (path?: string, options?: { connectionArgs?: string[] }) => ChdbSession;
}

/** How to get chdb, for the error shown when it is missing. */
export const CHDB_INSTALL_HINT =
  'chdb (in-process ClickHouse, a 546 MB native package) is not installed. Install it next to Clientele with ' +
  '`npm install --no-save chdb@3.4.0` (Linux x64 only; it is kept out of package.json because its missing ' +
  'optional packages break `npm ci`), or use a ClickHouse server: --db clickhouse://user:password@host:8123/database.';

/**
 * Loads chdb, or returns null when it is not installed. The specifier is computed so that neither the
 * typechecker nor a bundler needs chdb.
 */
export async function loadChdb(): Promise<ChdbModule | null> {
  const specifier = 'chdb';
  try {
    return (await import(specifier)) as ChdbModule;
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw cause;
  }
}

/**
 * In-process ClickHouse through chdb: one session on a data folder (its tables persist there). chdb allows
 * one session per process at a time, so open one engine per folder and close it when done.
 */
export class ChdbTransport implements ClickHouseTransport {
  private constructor(
    readonly description: string,
    private readonly session: ChdbSession,
  ) {}

  /**
   * Opens (creating) a chdb data folder. Throws ConfigError with install instructions without chdb.
   * `readOnly` runs the session with `readonly = 2` (no writes; settings may change); `strict` with
   * `readonly = 1` (no setting changes either: the SQL console), set after `settings` (its limits).
   */
  static async open(
    dir: string,
    options: {
      readOnly?: boolean;
      strict?: boolean;
      /** Settings on top of SESSION_SETTINGS. */
      settings?: Readonly<Record<string, string | number>>;
      /** `clickhouse local` arguments for the first session of the process (e.g. `--config-file=…`). */
      connectionArgs?: readonly string[];
    } = {},
  ): Promise<ChdbTransport> {
    const chdb = await loadChdb();
    if (!chdb) {
      throw new ConfigError(`--db chdb:${dir}: ${CHDB_INSTALL_HINT}`, { db: `chdb:${dir}` });
    }
    const path = resolve(dir);
    mkdirSync(path, { recursive: true });
    const session = options.connectionArgs
      ? new chdb.Session(path, { connectionArgs: [...options.connectionArgs] })
      : new chdb.Session(path);
    const transport = new ChdbTransport(`chdb:${path}`, session);
    // `readonly` last: once it is 1, no setting can change.
    const settings = {
      ...SESSION_SETTINGS,
      ...options.settings,
      ...(options.strict ? { readonly: 1 } : options.readOnly ? { readonly: 2 } : {}),
    };
    for (const [name, value] of Object.entries(settings)) {
      await transport.command(
        `SET ${name} = ${typeof value === 'number' ? value : `'${String(value).replaceAll("'", "''")}'`}`,
        {},
      );
    }
    return transport;
  }

  async query(text: string, params: Record<string, unknown>): Promise<CompactResult> {
    const result = await this.session.queryBindAsync(text, params, { format: 'JSONCompact' });
    const body = result.text();
    return body ? (JSON.parse(body) as CompactResult) : { meta: [], data: [] };
  }

  async command(text: string, params: Record<string, unknown>): Promise<void> {
    await this.session.queryBindAsync(text, params, { format: 'Null' });
  }

  async insertParquet(table: string, path: string): Promise<void> {
    await this.command(`INSERT INTO ${table} SELECT * FROM file({path:String}, 'Parquet')`, { path });
  }

  async exportParquet(select: string, path: string): Promise<void> {
    await this.command(
      `INSERT INTO FUNCTION file({path:String}, 'Parquet') ${select} SETTINGS engine_file_truncate_on_insert = 1`,
      { path },
    );
  }

  async close(): Promise<void> {
    this.session.cleanup();
  }
}
