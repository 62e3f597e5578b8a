import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryError } from '../errors.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { CANONICAL_TABLES, migrate, SCHEMA_VERSION, TABLES } from './schema.js';
import { sql } from './sql/sql.js';

let engine: DuckDbEngine;
beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterEach(async () => {
  await engine.close();
});

describe('DuckDbEngine', () => {
  it('returns plain JS values: integers as numbers, dates as ISO strings', async () => {
    const [row] = await engine.query(
      sql`SELECT 5::BIGINT AS n, DATE '2024-02-29' AS d, TIMESTAMP '2024-01-01 10:00:00' AS ts, 1.5::DECIMAL(5,2) AS m, ${'x'} AS s`,
    );
    expect(row).toEqual({ n: 5, d: '2024-02-29', ts: '2024-01-01T10:00:00.000Z', m: 1.5, s: 'x' });
  });

  it('rolls back everything when the transaction body throws', async () => {
    await engine.exec('CREATE TABLE t (x INTEGER)');
    await expect(
      engine.transaction(async (tx) => {
        await tx.exec('INSERT INTO t VALUES (1)');
        throw new Error('forced failure');
      }),
    ).rejects.toThrow('forced failure');
    expect(await engine.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('wraps engine failures in QueryError keeping SQL, params and a hint', async () => {
    const error = await engine
      .query(sql`SELECT * FROM missing_table WHERE a = ${1}`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).sql).toContain('missing_table');
    expect((error as QueryError).params).toEqual([1]);
    expect((error as QueryError).details.hint).toMatch(/clientele init/);
  });

  it('adds the columns a datamart of an older version lacks (customers.signup_source), keeping its rows', async () => {
    const old = await DuckDbEngine.open(':memory:');
    try {
      await migrate(old);
      await old.exec('ALTER TABLE customers DROP COLUMN signup_source');
      await old.exec("INSERT INTO customers (customer_id, source, load_id) VALUES ('C1', 'old', 1)");
      await migrate(old);
      await old.exec("UPDATE customers SET signup_source = 'referral'");
      expect(await old.query('SELECT customer_id, signup_source FROM customers')).toEqual([
        { customer_id: 'C1', signup_source: 'referral' },
      ]);
    } finally {
      await old.close();
    }
  });

  it('creates every canonical table and migrates idempotently', async () => {
    await migrate(engine);
    await migrate(engine);
    const rows = await engine.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`,
    );
    const names = rows.map((r) => r.table_name);
    for (const t of CANONICAL_TABLES) expect(names).toContain(t);
    expect(await engine.query(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([
      { value: String(SCHEMA_VERSION) },
    ]);
  });

  it('migrates a version-1 datamart: orders.customer_id becomes nullable, its rows kept', async () => {
    // Version 1's orders table: customer_id NOT NULL (guest orders could not load).
    const orders = TABLES.orders!;
    const v1 = {
      ...orders,
      columns: orders.columns.map((c) => (c.name === 'customer_id' ? { ...c, notNull: true } : c)),
    };
    await engine.exec(engine.dialect.createTableSql(v1));
    await engine.exec(`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
      VALUES ('o1', 'c1', DATE '2024-01-05', 12.5, 'shop', 1)`);
    await expect(
      engine.exec(
        `INSERT INTO orders (order_id, order_date, source, load_id) VALUES ('g', DATE '2024-01-05', 's', 1)`,
      ),
    ).rejects.toThrow(/NOT NULL/);
    await migrate(engine);
    await engine.exec(`INSERT INTO orders (order_id, order_date, total, source, load_id)
      VALUES ('guest-1', DATE '2024-01-06', 3, 'shop', 2)`);
    expect(await engine.query('SELECT order_id, customer_id, total FROM orders ORDER BY order_id')).toEqual([
      { order_id: 'guest-1', customer_id: null, total: 3 },
      { order_id: 'o1', customer_id: 'c1', total: 12.5 },
    ]);
    await migrate(engine);
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 2 }]);
  });
});
