import { createRequire } from 'node:module';
import type pg from 'pg';
import { ConnectorError } from '../../errors.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  describeConnection,
  type RemoteConnectionOptions,
  redactPassword,
} from './options.js';

const require = createRequire(import.meta.url);
/** The `pg` driver, loaded on first use (a CommonJS package: the same instance an ESM import gets). Every CLI
 * command imports the store, few talk to PostgreSQL; loading it eagerly cost every start-up (issue 20). */
function driver(): typeof pg {
  return require('pg') as typeof pg;
}

/** What was being done when a PostgreSQL call failed, for the error message. */
export interface RemoteErrorContext {
  /** `postgres://user@host:port/db` (no password). */
  target: string;
  /** What Clientele was doing: 'reading table "crm.customers"', 'running the query'. */
  action: string;
  /** The SQL text, kept in `details.sql`. */
  sql?: string;
  /** The table the call was about, for "table not found" hints. */
  table?: string;
}

/**
 * Opens one PostgreSQL connection with the session set for faithful text export: UTC time zone and ISO
 * dates, so timestamps and dates arrive as `YYYY-MM-DD HH:MM:SS[.ffffff][+00]` text.
 *
 * @throws ConnectorError (CONNECTION_FAILED) naming the server and what to check: refused, unknown
 *   host, timeout, authentication, unknown database.
 */
export async function connectPostgres(options: RemoteConnectionOptions): Promise<pg.Client> {
  const target = describeConnection('postgres', options);
  const client = new (driver().Client)({
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    application_name: 'clientele',
  });
  // A server that goes away between queries emits 'error' on the idle client; the pending call reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw postgresError(error, { target, action: 'connecting' });
  }
  return client;
}

/** SQLSTATE → what it means and what to do, for the errors users hit most. */
function explainSqlState(code: string, context: RemoteErrorContext, error: pg.DatabaseError): string | null {
  const user = /user "([^"]+)"/.exec(error.message)?.[1];
  switch (code) {
    case '28P01':
    case '28000':
      return (
        `authentication failed${user ? ` for user "${user}"` : ''}. Check the user name and password in the ` +
        `connection URL (postgres://USER:PASSWORD@host:port/db), and that the server's pg_hba.conf lets this ` +
        `user connect from this machine.`
      );
    case '3D000':
      return `${error.message}. Check the database name at the end of the URL; \`psql -l\` lists the databases.`;
    case '42P01':
      return (
        `${context.table ? `table "${context.table}" was not found` : error.message}. Check the spelling and ` +
        `the schema (write schema.table; without a schema the search_path is used, usually "public"); ` +
        `\`psql -c '\\dt *.*'\` lists the tables.`
      );
    case '42501':
      return `${error.message}. Ask the database owner to GRANT SELECT on it to this user.`;
    case '25006':
      return (
        `the query tried to change data, but imports run queries in a READ ONLY transaction. ` +
        `Import with a SELECT query, or with --table.`
      );
    case '57P03':
      return `the server is starting up or shutting down. Try again in a moment.`;
    default:
      return null;
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED:
    'connection refused: nothing listens on that host and port. Check that the server is running and ' +
    'accepts TCP connections there (listen_addresses, port), or fix the host and port in the URL.',
  ENOTFOUND: 'the host name could not be resolved. Check the host in the URL.',
  EAI_AGAIN: 'the host name could not be resolved. Check the host in the URL and the network.',
  ETIMEDOUT: 'the server did not answer in time. Check the host, port, firewall and VPN.',
  EHOSTUNREACH: 'the host is unreachable. Check the host in the URL and the network.',
  ECONNRESET: 'the server closed the connection. Check the server log; TLS may be required (add ssl).',
};

function networkCode(error: unknown): string | null {
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string' && e.code in NETWORK_CODES) return e.code;
  // Node reports "localhost" tried on ::1 and 127.0.0.1 as an AggregateError of both failures.
  if (Array.isArray(e?.errors))
    for (const inner of e.errors) if (networkCode(inner)) return networkCode(inner);
  return null;
}

/**
 * Turns a `pg` failure into a ConnectorError: where (the server, the action), what went wrong in plain
 * words, and what to do. The original error is kept as `cause`; the password never appears.
 */
export function postgresError(error: unknown, context: RemoteErrorContext): ConnectorError {
  const where = `PostgreSQL ${context.target}, ${context.action}`;
  const details: Record<string, unknown> = { target: context.target };
  if (context.sql) details.sql = context.sql;
  const net = networkCode(error);
  let what: string;
  if (net) {
    details.errno = net;
    what = NETWORK_CODES[net]!;
  } else if (error instanceof driver().DatabaseError && error.code) {
    details.sqlstate = error.code;
    what =
      explainSqlState(error.code, context, error) ??
      `the server answered: ${error.message}${error.hint ? ` (hint: ${error.hint})` : ''} [SQLSTATE ${error.code}].`;
  } else if (/timeout/i.test((error as Error)?.message ?? '')) {
    details.errno = 'ETIMEDOUT';
    what = NETWORK_CODES.ETIMEDOUT!;
  } else {
    what = `${(error as Error)?.message ?? String(error)}.`;
  }
  return new ConnectorError(redactPassword(`${where}: ${what}`), details, { cause: error });
}
