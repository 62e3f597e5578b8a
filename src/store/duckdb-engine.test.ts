import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryError } from '../errors.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { CANONICAL_TABLES, migrate } from './schema.js';
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
      { value: '1' },
    ]);
  });
});
