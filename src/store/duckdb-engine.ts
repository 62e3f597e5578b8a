import { AppError, InputError, QueryError } from '../errors.js';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  DuckDBTypeId,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from './duckdb-api.js';
import type { Columns, Engine, Query, Row } from './engine.js';
import { hintFor } from './query-hints.js';
import { duckdbDialect } from './sql/dialects/duckdb.js';

export interface DuckDbEngineOptions {
  /** Open the file read-only (for ad-hoc `sql`); writes fail with READ_ONLY. */
  readOnly?: boolean;
  /** DuckDB threads; default: DuckDB's choice (all cores). */
  threads?: number;
  /** DuckDB memory limit, e.g. '4GB'. */
  memoryLimit?: string;
}

/** Converts DuckDB values to plain JSON-friendly JS: safe bigints → number, dates → ISO strings. */
export const plainConverter: DuckDBValueConverter<unknown> = (value, type, converter) => {
  const v = JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>);
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    return type.typeId === DuckDBTypeId.DATE ? v.toISOString().slice(0, 10) : v.toISOString();
  }
  return v;
};

/**
 * The default engine: embedded DuckDB, one `.duckdb` file (or `:memory:`).
 * One connection per engine; statements run one at a time in call order.
 */
export class DuckDbEngine implements Engine {
  readonly dialect = duckdbDialect;
  private txDepth = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelled = false;
  /** The first fatal engine error (a full disk), repeated for the statements that fail after it. */
  private fatal: Error | null = null;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    /** The raw connection, for the store and ingest layers (Appender, streaming). */
    readonly connection: DuckDBConnection,
    /** False for a session: closing it leaves the database open. */
    private readonly ownsInstance = true,
    /** The memory limit the database was opened with (`DuckDbEngineOptions.memoryLimit`); null: DuckDB's default. */
    private readonly memoryLimit: string | null = null,
  ) {}

  /** A new connection to the same database, with its own transactions (see `Engine.session`). */
  async session(): Promise<DuckDbEngine> {
    return new DuckDbEngine(this.path, this.instance, await this.instance.connect(), false, this.memoryLimit);
  }

  /**
   * See `Engine.releaseMemory`. Setting DuckDB's memory limit flushes its allocator: the pages that finished
   * queries freed go back to the system (after a 1M-line import about 700 MB of them stay mapped otherwise,
   * while `duckdb_memory()` counts 50 MB). The limit is first set to the value it shows (cached table data
   * stays), then put back exactly: the limit the database was opened with, or DuckDB's default.
   */
  async releaseMemory(): Promise<void> {
    const [row] = await this.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`);
    try {
      if (row?.v) await this.exec(`SET memory_limit = ${quoteSetting(row.v)}`);
    } catch {
      // Rounding the limit down to its shown value could leave it under what is held: nothing to release.
    }
    if (this.memoryLimit) await this.exec(`SET memory_limit = ${quoteSetting(this.memoryLimit)}`);
    else await this.exec('RESET memory_limit');
  }

  cancel(): void {
    this.cancelled = true;
    this.connection.interrupt();
  }

  /** The DuckDB instance, shared by every session of this database (see `Engine.database`). */
  get database(): object {
    return this.instance;
  }

  /** See `Engine.tablesVersion`: one catalog lookup, no table scan. */
  async tablesVersion(tables: readonly string[]): Promise<string> {
    if (!tables.length) return '';
    const list = tables.map((_, i) => `$${i + 1}`).join(', ');
    const reader = await this.serial(
      () =>
        this.connection.runAndReadAll(
          `SELECT table_oid, table_name, estimated_size, sql FROM duckdb_tables()
           WHERE schema_name = 'main' AND table_name IN (${list}) ORDER BY table_name`,
          [...tables] as never,
        ),
      'duckdb_tables()',
      [...tables],
    );
    return JSON.stringify(reader.convertRowObjects(plainConverter));
  }

  /** Opens (creating if needed) a DuckDB database file, or ':memory:'. */
  static async open(path = ':memory:', options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {};
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (cause) {
      throw new QueryError(`Could not open the datamart "${path}": ${(cause as Error).message}`, '', [], {
        cause,
        hint: hintFor((cause as Error).message),
      });
    }
    const connection = await instance.connect();
    return new DuckDbEngine(path, instance, connection, true, options.memoryLimit ?? null);
  }

  get location(): string {
    return this.path;
  }

  async query<T = Row>(q: Query): Promise<T[]> {
    const reader = await this.run(q);
    return reader.convertRowObjects(plainConverter) as T[];
  }

  async queryColumns(q: Query): Promise<Columns> {
    const reader = await this.run(q);
    return reader.convertColumnsObject(plainConverter) as Columns;
  }

  async exec(q: Query): Promise<void> {
    if (typeof q === 'string') {
      await this.serial(() => this.connection.run(q), q, []);
      return;
    }
    await this.run(q);
  }

  async transaction<T>(fn: (tx: Engine) => Promise<T>): Promise<T> {
    if (this.txDepth > 0) return fn(this);
    await this.exec('BEGIN TRANSACTION');
    this.txDepth++;
    try {
      const result = await fn(this);
      this.txDepth--;
      await this.exec('COMMIT');
      return result;
    } catch (error) {
      this.txDepth--;
      // When the disk is full or the database was invalidated, ROLLBACK fails too: the user must still see
      // the real cause, not "cannot rollback".
      await this.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** True while inside `transaction()`. */
  get inTransaction(): boolean {
    return this.txDepth > 0;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }

  private async run(q: Query): Promise<DuckDBResultReader> {
    const { text, params } = typeof q === 'string' ? { text: q, params: [] } : q.render((i) => `$${i + 1}`);
    return this.serial(
      () =>
        this.connection.runAndReadAll(text, params.length ? (params.map(toDuckValue) as never) : undefined),
      text,
      params,
    );
  }

  /** Runs engine calls one after another and wraps failures in QueryError with the SQL and a hint. */
  private serial<R>(call: () => Promise<R>, text: string, params: unknown[]): Promise<R> {
    const next = this.queue.then(async () => {
      if (this.cancelled && !/^\s*ROLLBACK\b/i.test(text)) {
        throw new AppError('CANCELLED', 'Cancelled: the work was stopped and its changes rolled back.');
      }
      try {
        return await call();
      } catch (cause) {
        const message = (cause as Error).message;
        if (/No space left on device|disk is full|not enough space/i.test(message)) {
          this.fatal = diskFull(this.path, message, cause);
          throw this.fatal;
        }
        // After a fatal error every statement fails with "database has been invalidated": the first cause
        // (a full disk) is what the user must see, whatever cleanup step failed last.
        if (this.fatal && /invalidated/i.test(message)) throw this.fatal;
        throw new QueryError(`Query failed: ${message}`, text, params, { cause, hint: hintFor(message) });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A full disk is the user's to fix: a plain error (exit 2, HTTP 400) that names the file and the cause. */
function diskFull(path: string, message: string, cause: unknown): InputError {
  return new InputError(
    `The disk is full: DuckDB could not write (${(/[^\n]*(No space left on device|disk is full|not enough space)[^\n]*/i.exec(message)?.[0] ?? message).trim()}). Nothing of this step was kept. Free space on the disk holding ${path === ':memory:' ? 'the temporary folder' : `"${path}"`} and its temporary folder, or move the datamart with --db, then retry.`,
    { path },
    { code: 'DISK_FULL', cause },
  );
}

/** A memory size as a SQL string literal (DuckDB takes no parameter in SET). */
function quoteSetting(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function toDuckValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}
