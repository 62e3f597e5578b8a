/**
 * The dialect helpers run on the real engines: every expression is evaluated on DuckDB, a real PostgreSQL
 * 15 and a real MariaDB (and on ClickHouse in-process through `chdb`, where it is installed: CI installs
 * it with `npm install --no-save chdb@3.4.0`; it cannot be a dependency, see DEPENDENCIES.md), and must give
 * DuckDB's answer. String equality of generated SQL proves nothing
 * about what an engine makes of it (operator precedence, date semantics, NULL handling).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlDatabase, createPostgresDatabase } from '../../../../test/support/databases.js';
import { DuckDbEngine } from '../../duckdb-engine.js';
import type { Dialect } from '../dialect.js';
import { type SqlFragment, sql } from '../sql.js';
import { clickhouseDialect } from './clickhouse.js';
import { duckdbDialect } from './duckdb.js';
import { mysqlDialect } from './mysql.js';
import { postgresDialect } from './postgres.js';

/** One engine under test: its dialect and a way to run a query and get each row's single value. */
interface Runner {
  dialect: Dialect;
  values(q: SqlFragment): Promise<unknown[]>;
  close(): Promise<void>;
}

/** The test table, as plain SQL each engine understands. */
const TABLE_DDL = 'CREATE TABLE t (v INTEGER, d DATE, ts TIMESTAMP NULL, label VARCHAR(20))';
const TABLE_ROWS = `INSERT INTO t VALUES
  (1, '2024-01-01', '2024-01-01 23:30:00', 'a'),
  (2, '2024-01-02', '2024-01-02 00:15:00', 'b'),
  (3, '2024-01-03', NULL, 'a'),
  (4, '2024-01-04', '2024-02-29 12:00:00', 'b'),
  (5, '2024-01-05', '2024-03-31 23:59:59', 'a'),
  (6, '2024-01-06', '2024-12-31 00:00:00', NULL),
  (7, '2024-01-07', '2023-12-31 08:00:00', 'a'),
  (8, '2024-02-29', '2024-02-01 00:00:00', 'c'),
  (9, '2023-12-31', '2024-01-15 10:00:00', 'c'),
  (10, '2024-03-01', '2024-03-01 00:00:00', 'c')`;

/** Engine values in one comparable form: numbers as numbers, dates as `YYYY-MM-DD`. */
function normalise(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v * 1e9) / 1e9;
  const s = String(v);
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) return Math.round(Number(s) * 1e9) / 1e9;
  const date = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00(?:\.0+)?(?:Z|\+00)?)?$/.exec(s);
  if (date) return date[1];
  return s;
}

async function duckRunner(): Promise<Runner> {
  const engine = await DuckDbEngine.open();
  await engine.exec(TABLE_DDL);
  await engine.exec(TABLE_ROWS);
  return {
    dialect: duckdbDialect,
    async values(q) {
      const rows = await engine.query(q);
      return rows.map((r) => normalise(Object.values(r)[0]));
    },
    close: () => engine.close(),
  };
}

async function postgresRunner(): Promise<Runner> {
  const client = new pg.Client({ connectionString: await createPostgresDatabase('dialects') });
  await client.connect();
  await client.query(TABLE_DDL);
  await client.query(TABLE_ROWS);
  const text: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };
  return {
    dialect: postgresDialect,
    async values(q) {
      const { text: sqlText, params } = q.render((i, v) => postgresDialect.placeholder(i, v));
      const res = await client.query({ text: sqlText, values: params, rowMode: 'array', types: text });
      return res.rows.map((r: unknown[]) => normalise(r[0]));
    },
    close: () => client.end(),
  };
}

async function mysqlRunner(): Promise<Runner> {
  const conn = await mysql.createConnection({
    uri: await createMySqlDatabase('dialects'),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // The `sql` tag quotes identifiers with double quotes (see store/remote/mysql.ts).
  await conn.query(`SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')`);
  await conn.query(TABLE_DDL);
  await conn.query(TABLE_ROWS);
  return {
    dialect: mysqlDialect,
    async values(q) {
      const { text: sqlText, params } = q.render((i, v) => mysqlDialect.placeholder(i, v));
      const [rows] = await conn.query({ sql: sqlText, values: params, rowsAsArray: true });
      return (rows as unknown[][]).map((r) => normalise(r[0]));
    },
    close: () => conn.end(),
  };
}

/** The test table for ClickHouse, as a CTE (chdb's stateless queries keep no tables between calls). */
const CLICKHOUSE_TABLE = `WITH t AS (SELECT * FROM values('v Int32, d Date, ts Nullable(DateTime), label Nullable(String)',
  (1, '2024-01-01', '2024-01-01 23:30:00', 'a'), (2, '2024-01-02', '2024-01-02 00:15:00', 'b'),
  (3, '2024-01-03', NULL, 'a'), (4, '2024-01-04', '2024-02-29 12:00:00', 'b'),
  (5, '2024-01-05', '2024-03-31 23:59:59', 'a'), (6, '2024-01-06', '2024-12-31 00:00:00', NULL),
  (7, '2024-01-07', '2023-12-31 08:00:00', 'a'), (8, '2024-02-29', '2024-02-01 00:00:00', 'c'),
  (9, '2023-12-31', '2024-01-15 10:00:00', 'c'), (10, '2024-03-01', '2024-03-01 00:00:00', 'c'))) `;

/** ClickHouse through chdb, or null when chdb is not installed (it is never a dependency). */
async function clickhouseRunner(): Promise<Runner | null> {
  // A computed specifier: typechecking must not need chdb either.
  const specifier = 'chdb';
  const chdb = (await import(specifier).catch(() => null)) as {
    queryBind(query: string, args: object, format: string): string;
  } | null;
  if (!chdb) return null;
  return {
    dialect: clickhouseDialect,
    async values(q) {
      const { text, params } = q.render((i, v) => clickhouseDialect.placeholder(i, v));
      const args = Object.fromEntries(params.map((p, i) => [`p${i}`, p]));
      const out = chdb.queryBind(
        `${CLICKHOUSE_TABLE}${text} SETTINGS session_timezone = 'UTC'`,
        args,
        'JSONCompact',
      );
      return (JSON.parse(out) as { data: unknown[][] }).data.map((r) => normalise(r[0]));
    },
    close: async () => undefined,
  };
}

const clickhouse = await clickhouseRunner();

const d = sql`d`;
const ts = sql`ts`;
const v = sql`v`;

/** Expressions per row (ordered by v), built from a dialect. */
const ROW_CASES: Record<string, (x: Dialect) => SqlFragment> = {
  'dateDiffDays between dates': (x) => x.dateDiffDays(d, x.dateParam('2024-03-01')),
  'dateDiffDays from a timestamp to a date (whole days, time ignored)': (x) =>
    x.dateDiffDays(ts, x.dateParam('2024-03-01')),
  'dateDiffDays inside arithmetic': (x) => sql`${x.dateDiffDays(d, x.dateParam('2024-01-10'))} * 2`,
  addDays: (x) => x.addDays(d, sql`${v}`),
  'addDaysToTimestamp, as whole days from a date': (x) =>
    x.dateDiffDays(x.dateParam('2024-01-01'), x.addDaysToTimestamp(ts, sql`${v}`)),
  'addDaysToTimestamp compared with a timestamp': (x) =>
    sql`CASE WHEN ${x.addDaysToTimestamp(ts, sql`${v}`)} > ts THEN 1 ELSE 0 END`,
  'truncToMonth of a date': (x) => x.truncToMonth(d),
  'truncToMonth of a timestamp': (x) => x.truncToMonth(ts),
  'isoDayOfWeek (1 = Monday … 7 = Sunday)': (x) => x.isoDayOfWeek(d),
  'isoDayOfWeek inside arithmetic': (x) => sql`${x.isoDayOfWeek(d)} * 10`,
  'toDouble division': (x) => sql`${x.toDouble(v)} / 4`,
  'toBigInt of a fraction rounds': (x) => x.toBigInt(sql`${x.toDouble(v)} * 1.3`),
  'toBigInt of a large value': (x) => x.toBigInt(sql`${x.toDouble(v)} * 1000000000.0`),
  toText: (x) => x.toText(v),
  'safeDivide is a true division, NULL for a zero divisor': (x) => x.safeDivide(v, sql`(${v} - 3)`),
  log1p: (x) => x.log1p(x.toDouble(v)),
  'roundTo rounds halves away from zero (0.125 → 0.13)': (x) => x.roundTo(sql`${x.toDouble(v)} * 0.125`, 2),
  'toDecimal rounds to the nearest (24.24 stays 24.24)': (x) =>
    x.toDouble(x.toDecimal(sql`${x.toDouble(v)} * 2.424`, 4)),
  'roundTo of negative halves': (x) => x.roundTo(sql`${x.toDouble(v)} * -0.5`, 0),
  greatest: (x) => x.greatest(v, sql`5`),
  least: (x) => x.least(v, sql`5`),
  'sha256Hex as 64 hex digits, NULL stays NULL': (x) => x.sha256Hex(sql`label`),
  containsText: (x) => sql`CASE WHEN ${x.containsText(sql`label`, sql`'b'`)} THEN 1 ELSE 0 END`,
  'formatTimestampMillis of a timestamp column': (x) => x.formatTimestampMillis(ts),
  'timestampParam keeps the milliseconds': (x) =>
    x.formatTimestampMillis(x.timestampParam('2024-05-06T07:08:09.123')),
};

/** Aggregates over the whole table. */
const AGGREGATE_CASES: Record<string, (x: Dialect) => SqlFragment> = {
  countIf: (x) => x.countIf(sql`${v} > 5`),
  'countIf with no match is 0': (x) => x.countIf(sql`${v} > 100`),
  'argMax: the value at the largest key': (x) => x.argMax(v, sql`d`),
  sumIf: (x) => x.sumIf(v, sql`label = 'a'`),
  'sumIf with no match is 0': (x) => x.sumIf(v, sql`${v} > 100`),
  'countIf inside arithmetic': (x) => sql`${x.countIf(sql`label = 'c'`)} * 10`,
  'countDistinct ignores NULL': (x) => x.countDistinct(sql`label`),
  'stringAggOrdered joins in key order': (x) => x.stringAggOrdered(x.toText(v), ',', sql`${v} * -1`),
};

/** Quantiles, only where the dialect says it has them. */
const QUANTILE_CASES: Record<string, (x: Dialect) => SqlFragment> = {
  median: (x) => x.quantile(x.toDouble(v), 0.5),
  'first quartile': (x) => x.quantile(x.toDouble(v), 0.25),
  '90th percentile': (x) => x.quantile(x.toDouble(v), 0.9),
};

let duck: Runner;
const others: Runner[] = [];

beforeAll(async () => {
  duck = await duckRunner();
  others.push(await postgresRunner(), await mysqlRunner());
  if (clickhouse) others.push(clickhouse);
});

afterAll(async () => {
  await Promise.all([duck?.close(), ...others.map((r) => r.close())]);
});

async function expected(build: (x: Dialect) => SqlFragment, aggregate: boolean): Promise<unknown[]> {
  return duck.values(
    aggregate
      ? sql`SELECT ${build(duck.dialect)} FROM t`
      : sql`SELECT ${build(duck.dialect)} FROM t ORDER BY t.v`,
  );
}

describe.each(clickhouse ? ['postgres', 'mysql', 'clickhouse'] : ['postgres', 'mysql'])(
  'dialect helpers on a real %s engine equal DuckDB',
  (name) => {
    const runner = () => others.find((r) => r.dialect.name === name)!;

    it.each(Object.entries(ROW_CASES))('%s', async (_, build) => {
      const want = await expected(build, false);
      const got = await runner().values(sql`SELECT ${build(runner().dialect)} FROM t ORDER BY t.v`);
      expect(got).toEqual(want);
    });

    it.each(Object.entries(AGGREGATE_CASES))('%s', async (_, build) => {
      const want = await expected(build, true);
      const got = await runner().values(sql`SELECT ${build(runner().dialect)} FROM t`);
      expect(got).toEqual(want);
    });

    it('least of a count and a bound integer is one type that GROUP BY takes (no ClickHouse Variant)', async () => {
      const r = runner();
      const capped = (x: Dialect) =>
        sql`SELECT ${x.least(sql`n`, sql`${2}`)} AS k, count(*) AS c FROM (SELECT label, count(*) AS n FROM t GROUP BY label) s GROUP BY 1 ORDER BY 1`;
      const want = await duck.values(capped(duck.dialect));
      expect(want).toEqual([1, 2]);
      expect(await r.values(capped(r.dialect))).toEqual(want);
    });

    it('quantile: same values where supported, and the flag says so otherwise', async () => {
      const r = runner();
      expect(r.dialect.supportsQuantile).toBe(name !== 'mysql');
      if (!r.dialect.supportsQuantile) return;
      for (const build of Object.values(QUANTILE_CASES)) {
        const want = await expected(build, true);
        expect(await r.values(sql`SELECT ${build(r.dialect)} FROM t`)).toEqual(want);
      }
    });
  },
);

it('the reference values on DuckDB are the known answers', async () => {
  expect(await expected(ROW_CASES['isoDayOfWeek (1 = Monday … 7 = Sunday)']!, false)).toEqual([
    1, 2, 3, 4, 5, 6, 7, 4, 7, 5,
  ]);
  expect(await expected(AGGREGATE_CASES.sumIf!, true)).toEqual([16]);
  expect(await expected(QUANTILE_CASES.median!, true)).toEqual([5.5]);
});
