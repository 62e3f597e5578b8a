/**
 * How to reach a remote database (PostgreSQL or MySQL/MariaDB) that Clientele reads from or writes back to.
 * Either a URL, or the parts; parts override what the URL says.
 */
export interface RemoteConnectionOptions {
  /** `postgres://user:password@host:5432/db` or `mysql://user:password@host:3306/db`. */
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** Use TLS (the server's certificate is verified). Default: off, or what the URL's `sslmode` says. */
  ssl?: boolean;
  /** How long to wait for the server to answer a connection attempt, in ms (default 10,000). */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The connection target for messages: `postgres://user@host:port/db`, never with the password.
 */
export function describeConnection(kind: 'postgres' | 'mysql', options: RemoteConnectionOptions): string {
  const defaults = { postgres: 5432, mysql: 3306 };
  let host = options.host;
  let port = options.port;
  let user = options.user;
  let database = options.database;
  if (options.url) {
    const u = parseUrl(options.url);
    if (u) {
      host ??= u.hostname || undefined;
      port ??= u.port ? Number(u.port) : undefined;
      user ??= u.username ? decodeURIComponent(u.username) : undefined;
      database ??= u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined;
    }
  }
  const who = user ? `${user}@` : '';
  return `${kind}://${who}${host ?? 'localhost'}:${port ?? defaults[kind]}/${database ?? ''}`;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    // Not a URL (e.g. a libpq key=value string): the message then shows host and port only.
    return null;
  }
}

/** Replaces the password in any URL-looking text, for error messages. */
export function redactPassword(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
