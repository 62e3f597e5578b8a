import { InputError, QueryError } from '../errors.js';
import { type DuckDBConnection, DuckDBInstance, StatementType } from './duckdb-api.js';
import { plainConverter } from './duckdb-engine.js';
import type { Row } from './engine.js';
import { parseDbLocation } from './open.js';
import { hintFor } from './query-hints.js';

/**
 * The SQL console's sandbox: user-written SQL runs on its own DuckDB instance that
 * - opens the datamart file read-only (no INSERT, UPDATE, CREATE, DROP on it),
 * - cannot touch any other file (`enable_external_access=false`: no COPY … TO, read_csv, read_text, glob,
 *   ATTACH, EXPORT, INSTALL),
 * - cannot install or load extensions (autoinstall and autoload off),
 * - cannot change a setting (`lock_configuration=true`: no SET, RESET, PRAGMA threads …),
 * - runs one statement at a time, with a row limit pushed into the query and a statement timeout that
 *   interrupts the engine.
 *
 * `enable_external_access` is instance-wide in DuckDB, so the sandbox is a separate instance, never the
 * engine that imports use (imports must read files). The console is its own process (`clientele sql`), so the
 * read-only instance never shares a file with a writer in the same process.
 */

export interface SandboxOptions {
  /** DuckDB memory limit of the sandbox, e.g. '1GB' (default 1GB). */
  memoryLimit?: string;
  /** DuckDB threads (default: DuckDB's choice). */
  threads?: number;
}

export interface SandboxQueryOptions {
  /** Rows returned at most; the limit is pushed into a SELECT (default 1,000). */
  maxRows?: number;
  /** The statement is interrupted after this long (default 30,000 ms). */
  timeoutMs?: number;
}

export interface SandboxResult {
  columns: string[];
  rows: Row[];
  /** True when the query had more rows than `maxRows`. */
  truncated: boolean;
}

export const SANDBOX_DEFAULTS = { maxRows: 1000, timeoutMs: 30_000 } as const;

/** The SQL console on any datamart: {@link SqlSandbox} on DuckDB, `ClickHouseSandbox` on ClickHouse. */
export interface SqlConsole {
  query(text: string, options?: SandboxQueryOptions): Promise<SandboxResult>;
  close(): void | Promise<void>;
}

/**
 * Opens the sandboxed SQL console on the datamart a `--db` value names (a DuckDB file, `chdb:DIR` or a
 * `clickhouse://` URL). On ClickHouse the time limit is fixed when it opens (`timeoutMs`).
 */
export async function openSqlConsole(
  db: string | undefined,
  options: SandboxOptions & { timeoutMs?: number } = {},
): Promise<SqlConsole> {
  const location = parseDbLocation(db);
  if (location.kind === 'duckdb') return SqlSandbox.open(location.path, options);
  const { ClickHouseSandbox } = await import('./clickhouse/sandbox.js');
  return ClickHouseSandbox.open(location, options);
}

/** The instance settings that make the sandbox (exported for tests and docs/security.md). */
export function sandboxConfig(options: SandboxOptions = {}): Record<string, string> {
  return {
    access_mode: 'READ_ONLY',
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    memory_limit: options.memoryLimit ?? '1GB',
    ...(options.threads ? { threads: String(options.threads) } : {}),
    // Last: once locked, nothing (not even the settings above) can be changed by a statement.
    lock_configuration: 'true',
  };
}

export class SqlSandbox implements SqlConsole {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens the datamart file read-only in a sandboxed instance. */
  static async open(path: string, options: SandboxOptions = {}): Promise<SqlSandbox> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, sandboxConfig(options));
    } catch (cause) {
      const message = (cause as Error).message;
      throw new QueryError(`Could not open the datamart "${path}" read-only: ${message}`, '', [], {
        cause,
        hint: hintFor(message),
      });
    }
    return new SqlSandbox(instance, await instance.connect());
  }

  /**
   * Runs one statement. A SELECT is wrapped as `SELECT * FROM (…) LIMIT maxRows + 1` so the engine stops
   * early; other statements (EXPLAIN, DESCRIBE, SHOW, PRAGMA table_info) are read up to the same limit.
   */
  async query(text: string, options: SandboxQueryOptions = {}): Promise<SandboxResult> {
    const maxRows = options.maxRows ?? SANDBOX_DEFAULTS.maxRows;
    const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
    const statement = text.trim().replace(/;+\s*$/, '');
    const timer = setTimeout(() => this.connection.interrupt(), timeoutMs);
    try {
      const extracted = await this.guard(() => this.connection.extractStatements(statement), statement);
      if (extracted.count !== 1) {
        throw new InputError(
          `SQL console: expected one statement, got ${extracted.count}. Send them one at a time.`,
          { statements: extracted.count },
          { code: 'INVALID_ARGUMENT' },
        );
      }
      const prepared = await this.guard(() => extracted.prepare(0), statement);
      let runText = statement;
      if (prepared.statementType === StatementType.SELECT) {
        const wrapped = `SELECT * FROM (\n${statement}\n) AS console_query LIMIT ${maxRows + 1}`;
        // A crafted text could close the parenthesis itself; then the wrap would be two statements.
        const check = await this.connection.extractStatements(wrapped).catch(() => null);
        if (check?.count === 1) runText = wrapped;
      }
      const reader = await this.guard(() => this.connection.runAndReadUntil(runText, maxRows + 1), statement);
      const all = reader.convertRowObjects(plainConverter) as Row[];
      const columns = reader.columnNames();
      return { columns, rows: all.slice(0, maxRows), truncated: all.length > maxRows };
    } catch (error) {
      if (error instanceof QueryError && /interrupt/i.test(error.message)) {
        throw new InputError(
          `SQL console: the query ran longer than ${timeoutMs} ms and was stopped. Narrow it (a WHERE, fewer joins) or raise --timeout.`,
          { timeoutMs },
          { code: 'QUERY_TIMEOUT' },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async guard<T>(call: () => Promise<T>, text: string): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      const message = (cause as Error).message;
      if (/Permission Error|Cannot change configuration|attached in read-only mode/i.test(message)) {
        throw new InputError(
          `SQL console: ${message.split('\n')[0]}. The console is read-only and sandboxed: it cannot read or write files, attach databases, load extensions or change settings. Use \`clientele import\` to load files.`,
          {},
          { code: 'SANDBOX_DENIED', cause },
        );
      }
      if (/interrupt/i.test(message)) throw new QueryError(`Query failed: ${message}`, text, [], { cause });
      // The user's own SQL is input: a syntax or catalog error is a 400 / exit 2, not an engine failure.
      const hint = hintFor(message);
      throw new InputError(
        `SQL console: ${message}${hint ? ` (${hint})` : ''}`,
        { sql: text },
        { code: 'QUERY_FAILED', cause },
      );
    }
  }
}
