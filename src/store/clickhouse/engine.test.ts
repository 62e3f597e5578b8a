/**
 * The ClickHouse engine on a real ClickHouse, in-process through chdb. chdb is never a dependency (see
 * DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`; without it this suite is skipped
 * with a message. chdb binds one data folder per process, so the whole file shares one engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../errors.js';
import { openDatamart } from '../open.js';
import { CANONICAL_TABLES, isInitialised, migrate, SCHEMA_VERSION, TABLES, tableExists } from '../schema.js';
import { sql } from '../sql/sql.js';
import { loadChdb } from './chdb.js';
import type { ClickHouseEngine } from './engine.js';

const chdb = await loadChdb();
if (!chdb)
  console.warn('chdb is not installed: ClickHouse engine tests skipped (npm install --no-save chdb@3.4.0)');

describe.skipIf(!chdb)('ClickHouseEngine on chdb', () => {
  let dir: string;
  let engine: ClickHouseEngine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-'));
    engine = (await openDatamart({ db: `chdb:${dir}` })) as ClickHouseEngine;
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every canonical table as a MergeTree sorted by its key, and says it is initialised', async () => {
    expect(engine.location).toBe(`chdb:${dir}`);
    expect(await isInitialised(engine)).toBe(true);
    const rows = await engine.query<{ name: string; engine: string; sorting_key: string }>(
      sql`SELECT name, engine, sorting_key FROM system.tables WHERE database = currentDatabase()`,
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const table of CANONICAL_TABLES) {
      expect(byName.get(table)?.engine, table).toBe('MergeTree');
      expect(byName.get(table)?.sorting_key, table).toBe(TABLES[table]!.sortKey.join(', '));
    }
    expect(await tableExists(engine, 'orders')).toBe(true);
    expect(await tableExists(engine, 'no_such_table')).toBe(false);
  });

  it('is safe to migrate again, keeping one schema_version row', async () => {
    await migrate(engine);
    const rows = await engine.query(sql`SELECT value FROM meta WHERE key = ${'schema_version'}`);
    expect(rows).toEqual([{ value: String(SCHEMA_VERSION) }]);
  });

  it('keys orders on a nullable customer_id: a guest order (NULL customer) is stored and sorted', async () => {
    const [t] = await engine.query<{ type: string }>(
      sql`SELECT type FROM system.columns WHERE database = currentDatabase() AND table = 'orders' AND name = 'customer_id'`,
    );
    expect(t?.type).toBe('Nullable(String)');
    await engine.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
      VALUES ('g1', NULL, toDate32('2024-01-05'), 7.5, 'shop', 1), ('o1', 'c1', toDate32('2024-01-05'), 2, 'shop', 1)`);
    expect(await engine.query('SELECT order_id, customer_id FROM orders ORDER BY order_id')).toEqual([
      { order_id: 'g1', customer_id: null },
      { order_id: 'o1', customer_id: 'c1' },
    ]);
    await engine.exec('TRUNCATE TABLE orders');
  });

  it('migrates a version-1 orders table (customer_id NOT NULL in the sort key) by a rebuild, rows kept', async () => {
    const orders = TABLES.orders!;
    const v1 = {
      ...orders,
      columns: orders.columns.map((c) => (c.name === 'customer_id' ? { ...c, notNull: true } : c)),
    };
    await engine.exec('DROP TABLE orders');
    await engine.exec(engine.dialect.createTableSql(v1));
    await engine.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
      VALUES ('o1', 'c1', toDate32('2024-01-05'), 12.5, 'shop', 1)`);
    await migrate(engine);
    const [t] = await engine.query<{ type: string; key: string }>(
      sql`SELECT c.type AS type, t.sorting_key AS key FROM system.columns c
          JOIN system.tables t ON t.database = c.database AND t.name = c.table
          WHERE c.database = currentDatabase() AND c.table = 'orders' AND c.name = 'customer_id'`,
    );
    expect(t).toEqual({ type: 'Nullable(String)', key: 'customer_id, order_id' });
    await engine.exec(sql`INSERT INTO orders (order_id, order_date, total, source, load_id)
      VALUES ('g1', toDate32('2024-01-06'), 3, 'shop', 2)`);
    expect(await engine.query('SELECT order_id, customer_id, total FROM orders ORDER BY order_id')).toEqual([
      { order_id: 'g1', customer_id: null, total: 3 },
      { order_id: 'o1', customer_id: 'c1', total: 12.5 },
    ]);
    expect(await tableExists(engine, 'orders__migrate')).toBe(false);
    await engine.exec('TRUNCATE TABLE orders');
  });

  it('keeps NOT NULL and nullable columns as the schema says', async () => {
    const cols = await engine.query<{ name: string; type: string }>(
      sql`SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'orders'`,
    );
    const type = Object.fromEntries(cols.map((c) => [c.name, c.type]));
    expect(type.order_id).toBe('String');
    expect(type.order_date).toBe('Date32');
    expect(type.promo_code).toBe('Nullable(String)');
    expect(type.status).toBe('String');
  });

  it('returns plain JS values like DuckDB: exact integers as numbers, dates and ISO timestamps', async () => {
    const [row] = await engine.query(
      sql`SELECT toInt64(5) AS n, toInt64(9007199254740993) AS big, toDate32('2024-02-29') AS d,
        toDateTime64('2024-01-01 10:00:00.123456', 6, 'UTC') AS ts, toDecimal64(1.5, 2) AS m, ${'x'} AS s,
        CAST(NULL AS Nullable(Int64)) AS z, ${3.25} AS f, ${true} AS b, count() OVER () AS c`,
    );
    expect(row).toEqual({
      n: 5,
      big: '9007199254740993',
      d: '2024-02-29',
      ts: '2024-01-01T10:00:00.123Z',
      m: 1.5,
      s: 'x',
      z: null,
      f: 3.25,
      b: true,
      c: 1,
    });
  });

  it('answers with SQL NULL semantics: outer joins and empty aggregates give NULL', async () => {
    const [row] = await engine.query(
      sql`SELECT (SELECT sum(total) FROM orders WHERE 1 = 0) AS s, y.b AS joined
          FROM (SELECT 1 AS a) x LEFT JOIN (SELECT 2 AS a, 5 AS b) y ON y.a = x.a`,
    );
    expect(row).toEqual({ s: null, joined: null });
  });

  it('binds values, never splicing them into the text', async () => {
    const evil = "x'); DROP TABLE orders; --";
    await engine.exec(sql`INSERT INTO meta (key, value) VALUES (${'probe'}, ${evil})`);
    expect(await engine.query(sql`SELECT value FROM meta WHERE key = ${'probe'}`)).toEqual([{ value: evil }]);
    expect(await tableExists(engine, 'orders')).toBe(true);
  });

  it('returns columns for model inputs', async () => {
    const cols = await engine.queryColumns(
      sql`SELECT number AS i, toFloat64(number) / 2 AS h FROM numbers(3)`,
    );
    expect(cols).toEqual({ i: [0, 1, 2], h: [0, 0.5, 1] });
  });

  it('runs several constant statements given as one text, one at a time', async () => {
    await engine.exec(`CREATE TABLE multi (x Int32) ENGINE = Memory; INSERT INTO multi VALUES (1), (2)`);
    expect(await engine.query(`SELECT sum(x) AS s FROM multi`)).toEqual([{ s: 3 }]);
  });

  it('wraps failures in QueryError with the SQL and the engine message', async () => {
    const error = await engine.query(sql`SELECT * FROM no_such_table`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toMatch(/no_such_table/);
    expect((error as QueryError).sql).toContain('no_such_table');
  });

  it('swaps two tables atomically with the dialect swap', async () => {
    await engine.exec(
      'CREATE TABLE swap_a (x Int32) ENGINE = Memory; CREATE TABLE swap_b (x Int32) ENGINE = Memory',
    );
    await engine.exec('INSERT INTO swap_a VALUES (1); INSERT INTO swap_b VALUES (2)');
    for (const s of engine.dialect.swapTablesSql('swap_a', 'swap_b')) await engine.exec(s);
    expect(await engine.query('SELECT x FROM swap_a')).toEqual([{ x: 2 }]);
    expect(await engine.query('SELECT x FROM swap_b')).toEqual([{ x: 1 }]);
  });
});
