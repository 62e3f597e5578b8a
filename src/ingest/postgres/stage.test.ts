import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, execPostgres } from '../../../test/support/databases.js';
import { ConnectorError, InputError } from '../../errors.js';
import { DuckDbEngine } from '../../store/index.js';
import { stagePostgres } from './stage.js';

let engine: DuckDbEngine;
let url: string;

beforeAll(async () => {
  url = await createPostgresDatabase('stage_pg');
  await execPostgres(url, [
    `CREATE SCHEMA crm`,
    `CREATE TABLE crm.customers (
       id integer PRIMARY KEY, big bigint, name text, balance numeric(12,2), score double precision,
       active boolean, born date, created timestamp, seen timestamptz, tags text[])`,
    `INSERT INTO crm.customers VALUES
       (1, 9007199254740993, 'Zoë "Z" O''Brien', 1234.50, 0.125, true, '1980-02-29',
        '2024-03-01 09:30:00', '2024-03-01 09:30:00.25+02', '{vip,"new, shiny"}'),
       (2, NULL, 'Пётр', -0.01, NULL, false, NULL, '2024-03-02 10:00:00.123456', NULL, NULL),
       (3, 3, NULL, NULL, 1e300, NULL, '2024-12-31', NULL, '2024-03-03 00:00:00+00', '{}')`,
    `CREATE TABLE "Odd ""Name"" Table" (x int)`,
    `INSERT INTO "Odd ""Name"" Table" VALUES (7)`,
    `CREATE TABLE keep_me (x int)`,
    `CREATE TABLE many AS SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 5000) g`,
  ]);
  engine = await DuckDbEngine.open();
});

afterAll(async () => {
  await engine?.close();
});

describe('stagePostgres', () => {
  it('copies a schema-qualified table as text and declares each column type from the server', async () => {
    const staged = await stagePostgres(engine, { url, table: 'crm.customers' });
    try {
      expect(staged.format).toBe('postgres');
      expect(staged.source).toBe('postgres:crm.customers');
      expect(staged.rowsRead).toBe(3);
      expect(staged.columns.map((c) => [c.name, c.declared?.type])).toEqual([
        ['id', 'integer'],
        ['big', 'integer'],
        ['name', 'string'],
        ['balance', 'number'],
        ['score', 'number'],
        ['active', 'boolean'],
        ['born', 'date'],
        ['created', 'timestamp'],
        ['seen', 'timestamp'],
        ['tags', 'string'],
      ]);
      const cols = staged.columns.map((c) => c.staged);
      const rows = await engine.query(`SELECT _line, ${cols.join(', ')} FROM ${staged.table} ORDER BY _line`);
      expect(rows.map((r) => Object.values(r))).toEqual([
        [
          1,
          '1',
          '9007199254740993',
          'Zoë "Z" O\'Brien',
          '1234.50',
          '0.125',
          't',
          '1980-02-29',
          '2024-03-01 09:30:00.000000',
          '2024-03-01 07:30:00.250000',
          '{vip,"new, shiny"}',
        ],
        [2, '2', null, 'Пётр', '-0.01', null, 'f', null, '2024-03-02 10:00:00.123456', null, null],
        [3, '3', '3', null, null, '1e+300', null, '2024-12-31', null, '2024-03-03 00:00:00.000000', '{}'],
      ]);
    } finally {
      await staged.cleanup();
    }
  });

  it('stages text that DuckDB parses back with the declared formats', async () => {
    const staged = await stagePostgres(engine, { url, table: 'crm.customers' });
    try {
      const col = (name: string) => staged.columns.find((c) => c.name === name)!;
      const seen = col('seen');
      const born = col('born');
      const rows = await engine.query(
        `SELECT strptime(${seen.staged}, '${seen.declared!.dateFormat}')::VARCHAR AS seen,
                strptime(${born.staged}, '${born.declared!.dateFormat}')::DATE::VARCHAR AS born
         FROM ${staged.table} ORDER BY _line`,
      );
      expect(rows).toEqual([
        { seen: '2024-03-01 07:30:00.25', born: '1980-02-29' },
        { seen: null, born: null },
        { seen: '2024-03-03 00:00:00', born: '2024-12-31' },
      ]);
    } finally {
      await staged.cleanup();
    }
  });

  it('quotes table names safely: odd characters work, injected SQL is just an unknown name', async () => {
    const staged = await stagePostgres(engine, { url, table: 'Odd "Name" Table' });
    expect(staged.rowsRead).toBe(1);
    await staged.cleanup();
    const attempt = stagePostgres(engine, { url, table: 'keep_me; DROP TABLE keep_me' });
    await expect(attempt).rejects.toThrow(/table "keep_me; DROP TABLE keep_me" was not found/);
    const again = await stagePostgres(engine, { url, table: 'keep_me' });
    expect(again.rowsRead).toBe(0);
    await again.cleanup();
  });

  it('streams a large result in batches with consecutive line numbers', async () => {
    const progress: number[] = [];
    const staged = await stagePostgres(engine, {
      url,
      table: 'many',
      batchRows: 1000,
      onProgress: (n) => progress.push(n),
    });
    try {
      expect(staged.rowsRead).toBe(5000);
      expect(progress).toEqual([1000, 2000, 3000, 4000, 5000]);
      const [check] = await engine.query(
        `SELECT count(*) AS n, min(_line) AS lo, max(_line) AS hi, count(DISTINCT _line) AS d,
                sum(CAST(c1 AS BIGINT)) AS total FROM ${staged.table}`,
      );
      expect(check).toEqual({ n: 5000, lo: 1, hi: 5000, d: 5000, total: 12_502_500 });
    } finally {
      await staged.cleanup();
    }
  });

  it('runs a query with bound parameters', async () => {
    const staged = await stagePostgres(engine, {
      url,
      query: 'SELECT n, label FROM many WHERE n BETWEEN $1 AND $2 ORDER BY n',
      params: [10, 12],
    });
    try {
      expect(staged.source).toBe('postgres:query');
      expect(await engine.query(`SELECT c1, c2 FROM ${staged.table} ORDER BY _line`)).toEqual([
        { c1: '10', c2: 'row 10' },
        { c1: '11', c2: 'row 11' },
        { c1: '12', c2: 'row 12' },
      ]);
    } finally {
      await staged.cleanup();
    }
  });

  it('runs a query read-only: a query that writes fails and changes nothing', async () => {
    const attempt = stagePostgres(engine, { url, query: 'DELETE FROM many RETURNING n' });
    await expect(attempt).rejects.toThrow(ConnectorError);
    await expect(attempt).rejects.toThrow(/READ ONLY transaction/);
    const staged = await stagePostgres(engine, { url, query: 'SELECT count(*) AS n FROM many' });
    expect(await engine.query(`SELECT c1 FROM ${staged.table}`)).toEqual([{ c1: '5000' }]);
    await staged.cleanup();
  });

  it('drops its temporary table on cleanup', async () => {
    const staged = await stagePostgres(engine, { url, table: 'keep_me' });
    await staged.cleanup();
    const rows = await engine.query(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${staged.table}'`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('explains an unreachable server, a refused login and a missing table', async () => {
    const port = await unusedPort();
    const refused = stagePostgres(engine, { url: `postgres://u:secret@127.0.0.1:${port}/x`, table: 't' });
    await expect(refused).rejects.toThrow(ConnectorError);
    await expect(refused).rejects.toThrow(
      new RegExp(`PostgreSQL postgres://u@127.0.0.1:${port}/x, connecting: connection refused`),
    );
    await expect(refused).rejects.not.toThrow(/secret/);

    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    await expect(stagePostgres(engine, { url: wrong.toString(), table: 'many' })).rejects.toThrow(
      /authentication failed for user "postgres"\. Check the user name and password/,
    );

    const missing = stagePostgres(engine, { url, table: 'crm.nope' });
    await expect(missing).rejects.toThrow(/reading table "crm.nope": table "crm.nope" was not found/);
    await expect(missing).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      details: { sqlstate: '42P01' },
    });
  });

  it('refuses to guess when given neither or both of table and query', async () => {
    await expect(stagePostgres(engine, { url })).rejects.toThrow(InputError);
    await expect(stagePostgres(engine, { url, table: 'a', query: 'SELECT 1' })).rejects.toThrow(
      /exactly one of a table \(--table\) or a query \(--query\), got both/,
    );
  });
});

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}
