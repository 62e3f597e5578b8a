/**
 * Test-side access to the private servers started by `servers-setup.ts`: each test file gets its own fresh
 * database, so files can run in parallel against the same server.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { inject } from 'vitest';

let counter = 0;

function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function serverUrl(kind: 'postgres' | 'mysql'): string {
  const info = inject('servers')[kind];
  if (!info.url) throw new Error(info.error ?? `The ${kind} test server was not started.`);
  return info.url;
}

/** URL of the test PostgreSQL server's maintenance database (`postgres`). */
export function postgresServerUrl(): string {
  return serverUrl('postgres');
}

/** URL of the test MariaDB server without a default database. */
export function mysqlServerUrl(): string {
  return serverUrl('mysql');
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a fresh PostgreSQL database and returns its URL. */
export async function createPostgresDatabase(prefix: string): Promise<string> {
  const url = serverUrl('postgres');
  const name = uniqueName(prefix);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(url, name);
}

/** Creates a fresh MariaDB database (utf8mb4) and returns its URL. */
export async function createMySqlDatabase(prefix: string): Promise<string> {
  const url = serverUrl('mysql');
  const name = uniqueName(prefix);
  const conn = await mysql.createConnection(url);
  try {
    await conn.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
  return withDatabase(url, name);
}

/** Runs SQL statements (one string each) on a PostgreSQL database. */
export async function execPostgres(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/** Runs SQL statements (one string each, or a multi-statement script) on a MariaDB database. */
export async function execMySql(url: string, statements: string[]): Promise<void> {
  const conn = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    for (const s of statements) await conn.query(s);
  } finally {
    await conn.end();
  }
}
