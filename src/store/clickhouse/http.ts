import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { ConfigError } from '../../errors.js';
import { type ClickHouseTransport, type CompactResult, SESSION_SETTINGS } from './transport.js';

/** Options of a ClickHouse server connection (from a `clickhouse://` URL or given directly). */
export interface ClickHouseHttpOptions {
  /** `http(s)://host:8123`. */
  url: string;
  username?: string;
  password?: string;
  database?: string;
  /** Per-request timeout (ms), default 10 minutes: long analytical queries are normal. */
  requestTimeoutMs?: number;
  /** Queries run with `readonly = 2` (settings allowed, no writes) and no statement is allowed. */
  readOnly?: boolean;
  /**
   * The SQL console: queries run with `readonly = 1` (no setting can change, not even in the query's own
   * SETTINGS clause) and these settings (its time and memory limits).
   */
  strict?: Record<string, string | number>;
  /** Settings on top of SESSION_SETTINGS (a cluster's, see ClickHouseClusterDialect.sessionSettings). */
  settings?: Readonly<Record<string, string | number>>;
}

/** Default request timeout: 10 minutes. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;

/**
 * Parses `clickhouse://user:password@host:8123/database` (or `clickhouses://` for TLS) into HTTP options.
 * The port is ClickHouse's HTTP port (8123, or 8443 with TLS), not the native 9000.
 */
export function parseClickHouseUrl(text: string): ClickHouseHttpOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ConfigError(
      `--db: expected clickhouse://user:password@host:8123/database, got "${redact(text)}", which is not a URL.`,
      { db: redact(text) },
      { cause },
    );
  }
  const tls = url.protocol === 'clickhouses:';
  if (!tls && url.protocol !== 'clickhouse:') {
    throw new ConfigError(`--db: expected a clickhouse:// or clickhouses:// URL, got "${redact(text)}".`, {
      db: redact(text),
    });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'default';
  const timeout = url.searchParams.get('timeout_ms');
  return {
    url: `${tls ? 'https' : 'http'}://${url.hostname}:${url.port || (tls ? '8443' : '8123')}`,
    username: decodeURIComponent(url.username) || 'default',
    password: decodeURIComponent(url.password),
    database,
    ...(timeout ? { requestTimeoutMs: Number(timeout) } : {}),
  };
}

function redact(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * A ClickHouse server over HTTP (`@clickhouse/client`). Every request carries the session settings
 * explicitly (64-bit integers as strings, UTC, SQL NULL semantics; see SESSION_SETTINGS); queries run
 * with `readonly = 2`. One HTTP session id per engine keeps temporary tables alive between statements.
 */
export class HttpTransport implements ClickHouseTransport {
  readonly description: string;
  private readonly sessionId = `clientele-${randomUUID()}`;
  /** The client, made on first use: loading @clickhouse/client costs every other command its start-up time. */
  private made: Promise<ClickHouseClient> | null = null;

  constructor(private readonly options: ClickHouseHttpOptions) {
    this.description = `clickhouse://${options.username ?? 'default'}@${options.url.replace(/^https?:\/\//, '')}/${options.database ?? 'default'}`;
  }

  private client(): Promise<ClickHouseClient> {
    this.made ??= import('@clickhouse/client').then(({ createClient }) =>
      createClient({
        url: this.options.url,
        username: this.options.username ?? 'default',
        password: this.options.password ?? '',
        database: this.options.database ?? 'default',
        request_timeout: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        session_id: this.sessionId,
        // One session allows one request at a time; the engine serialises its calls anyway.
        max_open_connections: 1,
        application: 'clientele',
        clickhouse_settings: { ...SESSION_SETTINGS, ...this.options.settings } as ClickHouseSettings,
      }),
    );
    return this.made;
  }

  async query(text: string, params: Record<string, unknown>): Promise<CompactResult> {
    const strict = this.options.strict;
    const result = await (await this.client()).query({
      query: text,
      query_params: params,
      format: 'JSONCompact',
      clickhouse_settings: (strict ? { ...strict, readonly: '1' } : { readonly: '2' }) as ClickHouseSettings,
    });
    return (await result.json()) as unknown as CompactResult;
  }

  async command(text: string, params: Record<string, unknown>): Promise<void> {
    if (this.options.readOnly) {
      throw new ConfigError(
        `${this.description} was opened read-only; this statement writes: ${text.slice(0, 80)}`,
        {},
      );
    }
    await (await this.client()).command({ query: text, query_params: params });
  }

  async insertParquet(table: string, path: string): Promise<void> {
    await (await this.client()).insert({ table, values: createReadStream(path), format: 'Parquet' });
  }

  async exportParquet(select: string, path: string): Promise<void> {
    const result = await (await this.client()).exec({
      query: `${select} FORMAT Parquet`,
      clickhouse_settings: { readonly: '2' },
    });
    await pipeline(result.stream, createWriteStream(path));
  }

  async close(): Promise<void> {
    if (this.made) await (await this.made).close();
  }
}
