import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { mysqlServerUrl, postgresServerUrl } from './databases.js';

describe('test servers', () => {
  it('runs a private PostgreSQL 15 with password auth on loopback', async () => {
    const client = new pg.Client({ connectionString: postgresServerUrl() });
    await client.connect();
    const { rows } = await client.query('SHOW server_version_num');
    await client.end();
    expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(150000);
  });
  it('runs a private MariaDB on loopback', async () => {
    const conn = await mysql.createConnection(mysqlServerUrl());
    const [rows] = await conn.query('SELECT VERSION() AS v');
    await conn.end();
    expect(String((rows as { v: string }[])[0]?.v)).toMatch(/MariaDB/);
  });
});
