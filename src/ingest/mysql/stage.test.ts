import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlDatabase, execMySql } from '../../../test/support/databases.js';
import { stagingContractTests } from '../../../test/support/staging-contract.js';
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

  stagingContractTests({
    product: 'MySQL',
    scheme: 'mysql',
    user: 'clientele',
    stage: stageMySql,
    engine: () => engine,
    url: () => url,
    oddTable: 'odd "name',
    missingTable: 'nope',
    missingDetails: { errno: 'ER_NO_SUCH_TABLE' },
    paramQuery: {
      // MySQL quoting rules stay the user's: a double-quoted string literal.
      query: `SELECT n, label, "a string" AS s FROM many WHERE n BETWEEN ? AND ? ORDER BY n`,
      params: [10, 11],
      rows: [
        { c1: '10', c2: 'row 10', c3: 'a string' },
        { c1: '11', c2: 'row 11', c3: 'a string' },
      ],
    },
    writeQuery: 'DELETE FROM many',
  });
});
