import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlDatabase, execMySql } from '../../../test/support/databases.js';
import { ConnectorError, InputError } from '../../errors.js';
import { DuckDbEngine } from '../../store/index.js';
import { stageMySql } from './stage.js';

let engine: DuckDbEngine;
let url: string;

beforeAll(async () => {
  url = await createMySqlDatabase('stage_my');
  await execMySql(url, [
    `CREATE TABLE customers (
       id INT UNSIGNED PRIMARY KEY, big BIGINT, name VARCHAR(255), balance DECIMAL(12,4), score DOUBLE,
       active TINYINT(1), level SMALLINT, born DATE, created DATETIME, seen TIMESTAMP(3) NULL,
       flags BIT(3), kind ENUM('a','b'), notes TEXT, doc JSON) CHARACTER SET utf8mb4`,
    `SET time_zone = '+02:00'`,
    `INSERT INTO customers VALUES
       (1, 9007199254740993, 'Zoë "Z" O''Brien', 1234.5, 0.125, 1, -3, '1980-02-29', '2024-03-01 09:30:00',
        '2024-03-01 09:30:00.250', b'101', 'a', 'line1\\nline2', '{"a": [1, 2]}'),
       (2, NULL, 'Пётр', -0.01, NULL, 0, NULL, '0000-00-00', NULL, NULL, NULL, NULL, '', NULL),
       (3, 3, NULL, NULL, 1e300, NULL, 7, '2024-12-31', '2024-03-02 10:00:00', '2024-03-03 00:00:00', b'0', 'b',
        NULL, NULL)`,
    `CREATE TABLE \`odd "name\` (x INT)`,
    `INSERT INTO \`odd "name\` VALUES (7)`,
    `CREATE TABLE keep_me (x INT)`,
    `CREATE TABLE many (n INT PRIMARY KEY, label VARCHAR(20))`,
    `INSERT INTO many SELECT seq, CONCAT('row ', seq) FROM seq_1_to_5000`,
  ]);
  engine = await DuckDbEngine.open();
});

afterAll(async () => {
  await engine?.close();
});

describe('stageMySql', () => {
  it('copies a table as text in UTC and declares each column type from the server', async () => {
    const staged = await stageMySql(engine, { url, table: 'customers' });
    try {
      expect(staged.format).toBe('mysql');
      expect(staged.source).toBe('mysql:customers');
      expect(staged.rowsRead).toBe(3);
      expect(staged.columns.map((c) => [c.name, c.declared?.type])).toEqual([
        ['id', 'integer'],
        ['big', 'integer'],
        ['name', 'string'],
        ['balance', 'number'],
        ['score', 'number'],
        ['active', 'boolean'],
        ['level', 'integer'],
        ['born', 'date'],
        ['created', 'timestamp'],
        ['seen', 'timestamp'],
        ['flags', 'integer'],
        ['kind', 'string'],
        ['notes', 'string'],
        ['doc', 'string'],
      ]);
      expect(staged.columns[5]!.declared).toEqual({ type: 'boolean', trueValues: ['1'], falseValues: ['0'] });
      expect(staged.columns[7]!.declared?.nullValues).toContain('0000-00-00');
      const cols = staged.columns.map((c) => c.staged);
      const rows = await engine.query(`SELECT _line, ${cols.join(', ')} FROM ${staged.table} ORDER BY _line`);
      expect(rows.map((r) => Object.values(r))).toEqual([
        [
          1,
          '1',
          '9007199254740993',
          'Zoë "Z" O\'Brien',
          '1234.5000',
          '0.125',
          '1',
          '-3',
          '1980-02-29',
          '2024-03-01 09:30:00.000000',
          // Inserted as 09:30 at +02:00; TIMESTAMP values are read back in UTC.
          '2024-03-01 07:30:00.250000',
          '5',
          'a',
          'line1\nline2',
          '{"a": [1, 2]}',
        ],
        [2, '2', null, 'Пётр', '-0.0100', null, '0', null, '0000-00-00', null, null, null, null, '', null],
        [
          3,
          '3',
          '3',
          null,
          null,
          '1e300',
          null,
          '7',
          '2024-12-31',
          '2024-03-02 10:00:00.000000',
          '2024-03-02 22:00:00.000000',
          '0',
          'b',
          null,
          null,
        ],
      ]);
    } finally {
      await staged.cleanup();
    }
  });

  it('quotes table names safely: odd characters work, injected SQL is just an unknown name', async () => {
    const staged = await stageMySql(engine, { url, table: 'odd "name' });
    expect(staged.rowsRead).toBe(1);
    await staged.cleanup();
    const attempt = stageMySql(engine, { url, table: 'keep_me; DROP TABLE keep_me' });
    await expect(attempt).rejects.toThrow(/table "keep_me; DROP TABLE keep_me" was not found/);
    const again = await stageMySql(engine, { url, table: 'keep_me' });
    expect(again.rowsRead).toBe(0);
    expect(again.columns.map((c) => c.name)).toEqual(['x']);
    await again.cleanup();
  });

  it('streams a large result with backpressure and consecutive line numbers', async () => {
    const progress: number[] = [];
    const staged = await stageMySql(engine, {
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

  it('runs a query with bound parameters, keeping MySQL quoting rules for the user', async () => {
    const staged = await stageMySql(engine, {
      url,
      query: `SELECT n, label, "a string" AS s FROM many WHERE n BETWEEN ? AND ? ORDER BY n`,
      params: [10, 11],
    });
    try {
      expect(staged.source).toBe('mysql:query');
      expect(await engine.query(`SELECT c1, c2, c3 FROM ${staged.table} ORDER BY _line`)).toEqual([
        { c1: '10', c2: 'row 10', c3: 'a string' },
        { c1: '11', c2: 'row 11', c3: 'a string' },
      ]);
    } finally {
      await staged.cleanup();
    }
  });

  it('runs a query read-only: a statement that writes fails and changes nothing', async () => {
    const attempt = stageMySql(engine, { url, query: 'DELETE FROM many' });
    await expect(attempt).rejects.toThrow(ConnectorError);
    await expect(attempt).rejects.toThrow(/READ ONLY transaction/);
    const staged = await stageMySql(engine, { url, query: 'SELECT count(*) AS n FROM many' });
    expect(await engine.query(`SELECT c1 FROM ${staged.table}`)).toEqual([{ c1: '5000' }]);
    await staged.cleanup();
  });

  it('explains an unreachable server, a refused login and a missing table', async () => {
    const port = await unusedPort();
    const refused = stageMySql(engine, { url: `mysql://u:secret@127.0.0.1:${port}/x`, table: 't' });
    await expect(refused).rejects.toThrow(ConnectorError);
    await expect(refused).rejects.toThrow(
      new RegExp(`MySQL mysql://u@127.0.0.1:${port}/x, connecting: connection refused`),
    );
    await expect(refused).rejects.not.toThrow(/secret/);

    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    await expect(stageMySql(engine, { url: wrong.toString(), table: 'many' })).rejects.toThrow(
      /authentication failed for user "clientele"\. Check the user name and password/,
    );

    const missing = stageMySql(engine, { url, table: 'nope' });
    await expect(missing).rejects.toThrow(/reading table "nope": table "nope" was not found/);
    await expect(missing).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      details: { errno: 'ER_NO_SUCH_TABLE' },
    });
  });

  it('refuses to guess when given neither or both of table and query', async () => {
    await expect(stageMySql(engine, { url })).rejects.toThrow(InputError);
    await expect(stageMySql(engine, { url, table: 'a', query: 'SELECT 1' })).rejects.toThrow(/got both/);
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
