import type mysql from 'mysql2';
import { ConnectorError } from '../../errors.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  describeConnection,
  type RemoteConnectionOptions,
  redactPassword,
} from './options.js';
import type { RemoteErrorContext } from './postgres.js';

export interface MySqlSessionOptions {
  /**
   * Read `"name"` as an identifier (sql_mode ANSI_QUOTES). On for SQL that Clientele builds with the `sql`
   * tag, whose `ident()` quotes with double quotes; off for a user's own query, whose double-quoted
   * strings must keep MySQL's meaning.
   */
  ansiQuotes: boolean;
}

/**
 * Opens one MySQL/MariaDB connection (the callback API: it streams) with the session set for faithful
 * text export: UTC time zone, utf8mb4, and dates, DECIMALs and BIGINTs as text.
 *
 * @throws ConnectorError (CONNECTION_FAILED) naming the server and what to check.
 */
export async function connectMySql(
  options: RemoteConnectionOptions,
  session: MySqlSessionOptions,
): Promise<mysql.Connection> {
  const target = describeConnection('mysql', options);
  // The driver loads on first use: every CLI command imports the store, few connect to MySQL (issue 20).
  const { default: driver } = await import('mysql2');
  const conn = driver.createConnection({
    ...(options.url ? { uri: options.url } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.ssl ? { ssl: {} } : {}),
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
  });
  // A server that goes away between queries emits 'error' on the idle connection; the pending call reports it.
  conn.on('error', () => undefined);
  try {
    await conn.promise().connect();
    await conn.promise().query(`SET time_zone = '+00:00'`);
    if (session.ansiQuotes)
      await conn.promise().query(`SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')`);
  } catch (error) {
    conn.destroy();
    throw mysqlError(error, { target, action: 'connecting' });
  }
  return conn;
}

/** Closes a connection politely, falling back to destroying it. */
export async function closeMySql(conn: mysql.Connection): Promise<void> {
  try {
    await conn.promise().end();
  } catch {
    // The server is already gone (the error that got us here says why); free the socket and move on.
    conn.destroy();
  }
}

interface MySqlErrorShape {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
  errors?: unknown[];
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED:
    'connection refused: nothing listens on that host and port. Check that the server is running and ' +
    'accepts TCP connections there (bind-address, port), or fix the host and port in the URL.',
  ENOTFOUND: 'the host name could not be resolved. Check the host in the URL.',
  EAI_AGAIN: 'the host name could not be resolved. Check the host in the URL and the network.',
  ETIMEDOUT: 'the server did not answer in time. Check the host, port, firewall and VPN.',
  EHOSTUNREACH: 'the host is unreachable. Check the host in the URL and the network.',
  ECONNRESET: 'the server closed the connection. Check the server log; TLS may be required (add ssl).',
  PROTOCOL_CONNECTION_LOST:
    'the server closed the connection. Check the server log (max_allowed_packet, wait_timeout).',
};

function explain(code: string, e: MySqlErrorShape, context: RemoteErrorContext): string | null {
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR': {
      const user = /user '([^']*)'/.exec(e.sqlMessage ?? '')?.[1];
      return (
        `authentication failed${user ? ` for user "${user}"` : ''}. Check the user name and password in the ` +
        `connection URL (mysql://USER:PASSWORD@host:port/db) and that this user may connect from this host.`
      );
    }
    case 'ER_DBACCESS_DENIED_ERROR':
      return `${e.sqlMessage}. Ask the database administrator to GRANT SELECT on that database to this user.`;
    case 'ER_BAD_DB_ERROR':
      return `${e.sqlMessage}. Check the database name at the end of the URL; \`SHOW DATABASES\` lists them.`;
    case 'ER_NO_SUCH_TABLE':
      return (
        `${context.table ? `table "${context.table}" was not found` : e.sqlMessage}. Check the spelling ` +
        `(table names are case-sensitive on most servers) and the database in the URL; \`SHOW TABLES\` ` +
        `lists the tables.`
      );
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      return `${e.sqlMessage}. Ask the database administrator to GRANT SELECT on it to this user.`;
    case 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION':
      return (
        `the query tried to change data, but imports run queries in a READ ONLY transaction. ` +
        `Import with a SELECT query, or with --table.`
      );
    default:
      return null;
  }
}

function networkCode(error: unknown): string | null {
  const e = error as MySqlErrorShape;
  if (typeof e?.code === 'string' && e.code in NETWORK) return e.code;
  if (Array.isArray(e?.errors))
    for (const inner of e.errors) if (networkCode(inner)) return networkCode(inner);
  return null;
}

/**
 * Turns a `mysql2` failure into a ConnectorError: where (the server, the action), what went wrong in
 * plain words, and what to do. The original error is kept as `cause`; the password never appears.
 */
export function mysqlError(error: unknown, context: RemoteErrorContext): ConnectorError {
  const e = (error ?? {}) as MySqlErrorShape;
  const where = `MySQL ${context.target}, ${context.action}`;
  const details: Record<string, unknown> = { target: context.target };
  if (context.sql) details.sql = context.sql;
  const net = networkCode(error);
  let what: string;
  if (net) {
    details.errno = net;
    what = NETWORK[net]!;
  } else if (e.sqlState && e.code) {
    details.sqlstate = e.sqlState;
    details.errno = e.code;
    what = explain(e.code, e, context) ?? `the server answered: ${e.sqlMessage ?? e.message} [${e.code}].`;
  } else {
    what = `${e.message ?? String(error)}.`;
  }
  return new ConnectorError(redactPassword(`${where}: ${what}`), details, { cause: error });
}
