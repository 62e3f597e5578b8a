import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, execPostgres } from '../../../test/support/databases.js';
import { stagingContractTests } from '../../../test/support/staging-contract.js';
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

  stagingContractTests({
    product: 'PostgreSQL',
    scheme: 'postgres',
    user: 'postgres',
    stage: stagePostgres,
    engine: () => engine,
    url: () => url,
    oddTable: 'Odd "Name" Table',
    missingTable: 'crm.nope',
    missingDetails: { sqlstate: '42P01' },
    paramQuery: {
      query: 'SELECT n, label FROM many WHERE n BETWEEN $1 AND $2 ORDER BY n',
      params: [10, 12],
      rows: [
        { c1: '10', c2: 'row 10' },
        { c1: '11', c2: 'row 11' },
        { c1: '12', c2: 'row 12' },
      ],
    },
    writeQuery: 'DELETE FROM many RETURNING n',
  });
});
