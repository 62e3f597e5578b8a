import { QueryError } from '../../errors.js';
import type { Columns, Engine, ParquetTransfer, Query, Row } from '../engine.js';
import { hintFor } from '../query-hints.js';
import type { Dialect } from '../sql/dialect.js';
import { clickhouseDialect } from '../sql/dialects/clickhouse.js';
import { quoteIdent, sql } from '../sql/sql.js';
import type { ClickHouseTransport, CompactResult } from './transport.js';
import { toPlainValue } from './values.js';

/**
 * The scale-out engine: ClickHouse, reached through a {@link ClickHouseTransport} (chdb in-process, or a
 * server over HTTP). Values come back as on DuckDB: 64-bit integers as numbers when exact, dates as
 * `YYYY-MM-DD`, timestamps as ISO strings with `Z`.
 *
 * ClickHouse has no multi-statement transactions: `transaction()` runs its body without rollback
 * (`dialect.supportsTransactions` is false). Writers that must be all-or-nothing (the import) build
 * staging tables and swap them in with `EXCHANGE TABLES`.
 */
export class ClickHouseEngine implements Engine, ParquetTransfer {
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param transport the host queries go to (on a cluster: the initiator, which merges the shards' answers)
   * @param otherHosts on a cluster without Keeper, the other hosts, which get DDL and dimension-table copies
   */
  constructor(
    readonly transport: ClickHouseTransport,
    readonly dialect: Dialect = clickhouseDialect,
    readonly otherHosts: readonly ClickHouseTransport[] = [],
  ) {}

  /** Where the data lives, for messages (`chdb:/path` or `clickhouse://user@host:8123/db`). */
  get location(): string {
    return this.transport.description;
  }

  async query<T = Row>(q: Query): Promise<T[]> {
    const result = await this.run(q, 'query');
    const names = result.meta.map((m) => m.name);
    return result.data.map((row) => {
      const out: Row = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = toPlainValue(row[i], result.meta[i]!.type);
      return out as T;
    });
  }

  async queryColumns(q: Query): Promise<Columns> {
    const result = await this.run(q, 'query');
    const out: Columns = {};
    result.meta.forEach((m, i) => {
      out[m.name] = result.data.map((row) => toPlainValue(row[i], m.type));
    });
    return out;
  }

  async exec(q: Query): Promise<void> {
    if (typeof q === 'string') {
      for (const statement of splitStatements(q)) await this.run(statement, 'command');
      return;
    }
    await this.run(q, 'command');
  }

  /** Runs `fn` on this engine; there is nothing to roll back to on ClickHouse (see the class comment). */
  async transaction<T>(fn: (tx: Engine) => Promise<T>): Promise<T> {
    return fn(this);
  }

  /** Runs a statement here and on each other host of the cluster, in turn (DDL without Keeper). */
  async execOnEveryHost(q: Query): Promise<void> {
    await this.exec(q);
    const { text, params } =
      typeof q === 'string' ? { text: q, params: [] } : q.render((i, v) => this.dialect.placeholder(i, v));
    const bound = Object.fromEntries(params.map((p, i) => [`p${i}`, toParam(p)]));
    for (const host of this.otherHosts) {
      const statements = typeof q === 'string' ? splitStatements(text) : [text];
      for (const statement of statements)
        await this.serial(
          () => host.command(statement, bound),
          `${statement} (on ${host.description})`,
          params,
        );
    }
  }

  /**
   * Appends a Parquet file's rows (columns in table order) to a table. On a cluster without Keeper, a
   * table that is not `Distributed` (sharded by its own sharding key) is a full copy on every host: each
   * host gets the rows.
   */
  async importParquet(table: string, path: string): Promise<void> {
    const hosts = [this.transport, ...((await this.isDistributed(table)) ? [] : this.otherHosts)];
    for (const host of hosts)
      await this.serial(
        () => host.insertParquet(quoteIdent(table), path),
        `INSERT INTO ${table} (Parquet ${path}) on ${host.description}`,
        [],
      );
  }

  private async isDistributed(table: string): Promise<boolean> {
    if (this.otherHosts.length === 0) return false;
    const rows = await this.query(
      sql`SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = ${table}`,
    );
    return rows[0]?.engine === 'Distributed';
  }

  /** Writes a table's rows to a local Parquet file. */
  async exportParquet(table: string, path: string): Promise<void> {
    const select = `SELECT * FROM ${quoteIdent(table)}`;
    await this.serial(() => this.transport.exportParquet(select, path), `${select} (to Parquet ${path})`, []);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.transport.close();
    for (const host of this.otherHosts) await host.close();
  }

  private run(q: Query, kind: 'query'): Promise<CompactResult>;
  private run(q: Query, kind: 'command'): Promise<void>;
  private run(q: Query, kind: 'query' | 'command'): Promise<CompactResult | void> {
    const { text, params } =
      typeof q === 'string' ? { text: q, params: [] } : q.render((i, v) => this.dialect.placeholder(i, v));
    const bound = Object.fromEntries(params.map((p, i) => [`p${i}`, toParam(p)]));
    return this.serial<CompactResult | void>(
      () => (kind === 'query' ? this.transport.query(text, bound) : this.transport.command(text, bound)),
      text,
      params,
    );
  }

  /** Runs calls one after another and wraps failures in QueryError with the SQL and a hint. */
  private serial<R>(call: () => Promise<R>, text: string, params: unknown[]): Promise<R> {
    const next = this.queue.then(async () => {
      try {
        return await call();
      } catch (cause) {
        const message = (cause as Error).message;
        throw new QueryError(`Query failed on ${this.location}: ${message}`, text, params, {
          cause,
          hint: hintFor(message),
        });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A bound value as ClickHouse's parameter parser reads it. */
function toParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  return v;
}

/**
 * Splits our own constant multi-statement text on top-level semicolons (ClickHouse runs one statement per
 * request). Quotes are respected; user text never reaches this (it is always bound).
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      current += c;
      if (c === quote && text[i + 1] === quote) current += text[++i];
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
      current += c;
    } else if (c === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
