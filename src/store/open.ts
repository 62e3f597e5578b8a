import { ConfigError, InputError } from '../errors.js';
import { ChdbTransport } from './clickhouse/chdb.js';
import { ClickHouseEngine } from './clickhouse/engine.js';
import { type ClickHouseHttpOptions, HttpTransport, parseClickHouseUrl } from './clickhouse/http.js';
import { DuckDbEngine } from './duckdb-engine.js';
import type { Engine } from './engine.js';
import { migrate } from './schema.js';
import {
  ClickHouseClusterDialect,
  type ClickHouseTopology,
  parseTopology,
} from './sql/dialects/clickhouse-cluster.js';

export interface OpenDatamartOptions {
  /**
   * Where the datamart lives; default from `CLIENTELE_DB`, else `clientele.duckdb` in the working folder:
   * - a file path: DuckDB (the default engine);
   * - `chdb:DIR`: ClickHouse in-process through the optional `chdb` package, tables kept in DIR;
   * - `clickhouse://user:password@host:8123/database` (`clickhouses://` for TLS): a ClickHouse server.
   */
  db?: string;
  /** Open read-only (ad-hoc SQL). */
  readOnly?: boolean;
  /** Create missing tables (default true unless read-only). */
  migrate?: boolean;
}

/** Where a `--db` value points. */
export type DbLocation =
  | { kind: 'duckdb'; path: string }
  | { kind: 'chdb'; dir: string }
  | { kind: 'clickhouse'; options: ClickHouseHttpOptions; topology: ClickHouseTopology };

/** The datamart file path from an option, `CLIENTELE_DB`, or the default `clientele.duckdb`. */
export function resolveDbPath(db?: string): string {
  return db ?? process.env.CLIENTELE_DB ?? 'clientele.duckdb';
}

/** Reads a `--db` value: a DuckDB file, `chdb:DIR` or a `clickhouse://` URL. */
export function parseDbLocation(db?: string): DbLocation {
  const text = resolveDbPath(db);
  if (text.startsWith('chdb:')) {
    if (/\?(.*&)?cluster=/.test(text))
      throw new ConfigError(
        `--db ${text}: chdb is ClickHouse inside this process and serves no cluster; use a server URL, clickhouse://user:password@host:8123/database?cluster=NAME.`,
        { db: text },
      );
    return { kind: 'chdb', dir: text.slice('chdb:'.length) || '.' };
  }
  if (/^clickhouses?:\/\//i.test(text)) {
    const options = parseClickHouseUrl(text);
    let topology: ClickHouseTopology;
    try {
      topology = parseTopology(new URL(text).searchParams);
    } catch (cause) {
      throw new ConfigError(`--db: ${(cause as Error).message}`, {}, { cause });
    }
    return { kind: 'clickhouse', options, topology };
  }
  return { kind: 'duckdb', path: text };
}

/** Opens the engine a `--db` value names, without creating tables. */
export async function openEngine(db?: string, options: { readOnly?: boolean } = {}): Promise<Engine> {
  const location = parseDbLocation(db);
  if (location.kind === 'chdb') return new ClickHouseEngine(await ChdbTransport.open(location.dir, options));
  if (location.kind === 'clickhouse') {
    const { topology } = location;
    if (topology.kind === 'single')
      return new ClickHouseEngine(new HttpTransport({ ...location.options, readOnly: options.readOnly }));
    const dialect = new ClickHouseClusterDialect(topology);
    const http = { ...location.options, readOnly: options.readOnly, settings: dialect.sessionSettings() };
    const initiator = new HttpTransport(http);
    const others = topology.onCluster
      ? []
      : await otherHosts(initiator, topology.name, topology.hosts, http.url);
    return new ClickHouseEngine(
      initiator,
      dialect,
      others.map((url) => new HttpTransport({ ...http, url })),
    );
  }
  return DuckDbEngine.open(location.path, { readOnly: options.readOnly });
}

/**
 * The HTTP addresses of a cluster's hosts other than the initiator: the `hosts` of the URL (minus the
 * initiator), else the hosts `system.clusters` lists for the cluster, at the initiator's HTTP port.
 */
async function otherHosts(
  initiator: HttpTransport,
  cluster: string,
  hosts: readonly string[],
  url: string,
): Promise<string[]> {
  if (hosts.length > 0) return hosts.filter((h) => h !== url);
  const result = await initiator.query(
    'SELECT DISTINCT host_name, is_local FROM system.clusters WHERE cluster = {c:String} ORDER BY host_name',
    { c: cluster },
  );
  if (result.data.length === 0)
    throw new ConfigError(
      `--db: the server at ${url} knows no cluster "${cluster}" (system.clusters). Name a cluster of its remote_servers configuration (docs/clickhouse.md, "Cluster").`,
      { cluster },
    );
  const port = new URL(url).port;
  const scheme = new URL(url).protocol;
  return result.data
    .filter((r) => !(r[1] === 1 || r[1] === '1' || r[1] === true))
    .map((r) => `${scheme}//${String(r[0])}${port ? `:${port}` : ''}`);
}

/**
 * The engine as a DuckDB datamart, for the features that need DuckDB's own API (copying a PostgreSQL/MySQL
 * source in through its Appender, writing scores back to a database): a plain-language error otherwise.
 */
export function requireDuckDb(engine: Engine, what: string): DuckDbEngine {
  if (engine instanceof DuckDbEngine) return engine;
  throw new InputError(
    `${what} runs on a DuckDB datamart; the datamart ${engine.location} is ClickHouse. Run it against a DuckDB file (--db FILE.duckdb) and import the result, or use the file import, which works on ClickHouse.`,
    { db: engine.location },
    { code: 'INVALID_ARGUMENT' },
  );
}

/** Opens the datamart (DuckDB by default, or ClickHouse) and makes sure its tables exist. */
export async function openDatamart(options: OpenDatamartOptions = {}): Promise<Engine> {
  const engine = await openEngine(options.db, { readOnly: options.readOnly });
  try {
    if (!options.readOnly && options.migrate !== false) await migrate(engine);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}
