import type mysql from 'mysql2';
import type pg from 'pg';
import type { ConnectorError } from '../../errors.js';
import { mysqlDialect } from '../sql/dialects/mysql.js';
import { postgresDialect } from '../sql/dialects/postgres.js';
import { ident, join, type SqlFragment, sql } from '../sql/sql.js';
import { closeMySql, connectMySql, mysqlError } from './mysql.js';
import type { RemoteConnectionOptions } from './options.js';
import { connectPostgres, postgresError, type RemoteErrorContext } from './postgres.js';

/** A column's type, independent of the engine: decides the remote column type and the value's wire form. */
export type PortableType =
  | { kind: 'boolean' | 'integer' | 'bigint' | 'double' | 'date' | 'text' | 'json' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'timestamp'; utc: boolean };

/**
 * What differs between the write-back targets. Each engine's file knows its own SQL; nothing above this
 * interface checks which engine it talks to.
 */
export interface RemoteWriter {
  /** CREATE TABLE can run inside the transaction (PostgreSQL); MySQL commits implicitly on DDL. */
  readonly transactionalDdl: boolean;
  /** The column type to create for a portable type (`isKey`: part of the primary key). */
  columnType(type: PortableType, isKey: boolean): string;
  /** `ON CONFLICT … DO UPDATE` / `ON DUPLICATE KEY UPDATE` for an upsert by `key`. */
  upsertClause(key: readonly string[], columns: readonly string[]): SqlFragment;
  tableExists(table: string): Promise<boolean>;
  exec(q: SqlFragment): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Rolls back if a transaction is open; never throws (the original failure is what matters). */
  rollback(): Promise<void>;
  close(): Promise<void>;
  error(error: unknown, context: RemoteErrorContext): ConnectorError;
}

/** Splits `schema.table` into its parts (no schema → null). */
function splitTable(table: string): { schema: string | null; name: string } {
  const dot = table.lastIndexOf('.');
  return dot < 0
    ? { schema: null, name: table }
    : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

export async function createPostgresWriter(options: RemoteConnectionOptions): Promise<RemoteWriter> {
  const client: pg.Client = await connectPostgres(options);
  let open = false;
  const run = async (q: SqlFragment) => {
    const { text, params } = q.render((i, v) => postgresDialect.placeholder(i, v));
    await client.query(text, params);
  };
  return {
    transactionalDdl: true,
    columnType(type) {
      switch (type.kind) {
        case 'boolean':
          return 'boolean';
        case 'integer':
          return 'integer';
        case 'bigint':
          return 'bigint';
        case 'double':
          return 'double precision';
        case 'decimal':
          return `numeric(${type.precision},${type.scale})`;
        case 'date':
          return 'date';
        case 'timestamp':
          return type.utc ? 'timestamptz' : 'timestamp';
        case 'json':
          return 'jsonb';
        case 'text':
          return 'text';
      }
    },
    upsertClause(key, columns) {
      const others = columns.filter((c) => !key.includes(c));
      const action =
        others.length === 0
          ? sql`DO NOTHING`
          : sql`DO UPDATE SET ${join(others.map((c) => sql`${ident(c)} = EXCLUDED.${ident(c)}`))}`;
      return sql` ON CONFLICT (${join(key.map((k) => sql`${ident(k)}`))}) ${action}`;
    },
    async tableExists(table) {
      // to_regclass resolves the name like the INSERT will (search_path, quoting rules).
      const { schema, name } = splitTable(table);
      const qualified = schema === null ? sql`${ident(name)}` : sql`${ident(schema)}.${ident(name)}`;
      const { text } = qualified.render(() => '');
      const res = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [text]);
      return res.rows[0]?.found === true;
    },
    exec: run,
    async begin() {
      await client.query('BEGIN');
      open = true;
    },
    async commit() {
      await client.query('COMMIT');
      open = false;
    },
    async rollback() {
      if (!open) return;
      open = false;
      // A lost connection rolls back by itself; the error that brought us here is the one to report.
      await client.query('ROLLBACK').catch(() => undefined);
    },
    async close() {
      // Closing after COMMIT or ROLLBACK cannot lose anything; a failure to say goodbye is not reported.
      await client.end().catch(() => undefined);
    },
    error: postgresError,
  };
}

export async function createMySqlWriter(options: RemoteConnectionOptions): Promise<RemoteWriter> {
  // ANSI_QUOTES: the `sql` tag quotes identifiers with double quotes.
  const conn: mysql.Connection = await connectMySql(options, { ansiQuotes: true });
  let open = false;
  const run = async (q: SqlFragment) => {
    const { text, params } = q.render((i, v) => mysqlDialect.placeholder(i, v));
    await conn.promise().query(text, params);
  };
  return {
    transactionalDdl: false,
    columnType(type, isKey) {
      switch (type.kind) {
        case 'boolean':
          return 'BOOLEAN';
        case 'integer':
          return 'INT';
        case 'bigint':
          return 'BIGINT';
        case 'double':
          return 'DOUBLE';
        case 'decimal':
          return `DECIMAL(${type.precision},${type.scale})`;
        case 'date':
          return 'DATE';
        case 'timestamp':
          // DATETIME, not TIMESTAMP: no 2038 limit and no session time-zone conversion; values are UTC.
          return 'DATETIME(6)';
        case 'json':
          return 'JSON';
        case 'text':
          // A primary key cannot be a TEXT column in MySQL.
          return isKey ? 'VARCHAR(255)' : 'TEXT';
      }
    },
    upsertClause(key, columns) {
      const others = columns.filter((c) => !key.includes(c));
      // Updating a key column to itself makes a duplicate a no-op when there is nothing else to update.
      const updated = others.length === 0 ? key.slice(0, 1) : others;
      return sql` ON DUPLICATE KEY UPDATE ${join(updated.map((c) => sql`${ident(c)} = VALUES(${ident(c)})`))}`;
    },
    async tableExists(table) {
      const { schema, name } = splitTable(table);
      const [rows] = await conn
        .promise()
        .query(
          'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
          [schema, name],
        );
      return Number((rows as { n: number }[])[0]?.n ?? 0) > 0;
    },
    exec: run,
    async begin() {
      await conn.promise().query('START TRANSACTION');
      open = true;
    },
    async commit() {
      await conn.promise().query('COMMIT');
      open = false;
    },
    async rollback() {
      if (!open) return;
      open = false;
      // A lost connection rolls back by itself; the error that brought us here is the one to report.
      await conn
        .promise()
        .query('ROLLBACK')
        .catch(() => undefined);
    },
    close: () => closeMySql(conn),
    error: mysqlError,
  };
}
