/**
 * Import onto ClickHouse (through chdb; skipped with a message without it, see DEPENDENCIES.md): the same
 * rows, rejects and reconciliation as on DuckDB, and all-or-nothing through staging tables and a swap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbTransport, loadChdb } from '../store/clickhouse/chdb.js';
import type { ClickHouseTransport } from '../store/clickhouse/transport.js';
import { ClickHouseEngine, DuckDbEngine, type Engine, migrate, openDatamart, sql } from '../store/index.js';
import { importSource } from './import-source.js';

const chdb = await loadChdb();
if (!chdb)
  console.warn('chdb is not installed: ClickHouse import tests skipped (npm install --no-save chdb@3.4.0)');

const CUSTOMERS = `customer_id,first_name,email,birth_date
C1,Anna,anna@example.com,1950-03-01
C2,Bert,bert@example.com,1988-12-31
C3,Cleo,not-an-email,1990-01-01
`;
const ORDERS = `order_id,customer_id,order_date,order_time,total
O1,C1,2024-03-01,2024-03-01T10:15:00Z,19.5
O2,C1,2024-03-05,2024-03-05T23:59:59Z,5
O3,C2,2024-04-01,,42.25
O4,C2,not a date,,1
`;

/** A transport that fails every Parquet insert into one table, to break the import after validation. */
class FailingInsert implements ClickHouseTransport {
  constructor(
    private readonly inner: ClickHouseTransport,
    private readonly table: string,
  ) {}
  get description() {
    return this.inner.description;
  }
  query(text: string, params: Record<string, unknown>) {
    return this.inner.query(text, params);
  }
  command(text: string, params: Record<string, unknown>) {
    return this.inner.command(text, params);
  }
  exportParquet(select: string, path: string) {
    return this.inner.exportParquet(select, path);
  }
  async insertParquet(table: string, path: string) {
    if (table.includes(this.table)) throw new Error('network down while sending rows');
    return this.inner.insertParquet(table, path);
  }
  close() {
    return this.inner.close();
  }
}

async function tableRows(engine: Engine, q: string) {
  return engine.query(q);
}

describe.skipIf(!chdb)('import onto ClickHouse', () => {
  let dir: string;
  let ch: ClickHouseEngine;
  let duck: DuckDbEngine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-chimport-'));
    writeFileSync(join(dir, 'customers.csv'), CUSTOMERS);
    writeFileSync(join(dir, 'orders.csv'), ORDERS);
    ch = (await openDatamart({ db: `chdb:${join(dir, 'ch')}` })) as ClickHouseEngine;
    duck = await DuckDbEngine.open(':memory:');
    await migrate(duck);
  });
  afterAll(async () => {
    await ch?.close();
    await duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads, rejects and reconciles exactly as DuckDB, and the rows on ClickHouse equal DuckDB', async () => {
    for (const [file, target] of [
      ['customers.csv', 'customers'],
      ['orders.csv', 'orders'],
    ] as const) {
      const onDuck = await importSource(duck, { path: join(dir, file), target }, { source: 'shop' });
      const onCh = await importSource(ch, { path: join(dir, file), target }, { source: 'shop' });
      const { seconds: _a, ...d } = onDuck as unknown as Record<string, unknown>;
      const { seconds: _b, ...c } = onCh as unknown as Record<string, unknown>;
      expect(c).toEqual(d);
      expect(c.read).toBe(Number(c.loaded) + Number(c.rejected) + Number(c.duplicates));
    }
    const q = `SELECT customer_id, first_name, email_norm, birth_date FROM customers ORDER BY customer_id`;
    expect(await tableRows(ch, q)).toEqual(await tableRows(duck, q));
    const o = `SELECT order_id, customer_id, order_date, order_time, total, status FROM orders ORDER BY order_id`;
    const rows = await tableRows(ch, o);
    expect(rows).toEqual(await tableRows(duck, o));
    expect(rows[0]).toMatchObject({ order_time: '2024-03-01T10:15:00.000Z' });
    const r = `SELECT load_id, target, line, column_name, kind FROM rejects ORDER BY load_id, line, column_name`;
    expect(await tableRows(ch, r)).toEqual(await tableRows(duck, r));
    expect(await tableRows(ch, 'SELECT count() AS n FROM rejects')).toEqual([{ n: 2 }]);
  });

  it('upserts on a second import (unchanged rows stay, one load more)', async () => {
    const again = await importSource(
      ch,
      { path: join(dir, 'customers.csv'), target: 'customers' },
      { source: 'shop' },
    );
    expect(again).toMatchObject({ inserted: 0, unchanged: 2 });
    expect(await tableRows(ch, 'SELECT count() AS n FROM customers')).toEqual([{ n: 2 }]);
    expect(await tableRows(ch, 'SELECT count() AS n FROM loads')).toEqual([{ n: 3 }]);
  });

  it('changes nothing when the load fails its reject limit', async () => {
    const before = await tableRows(ch, 'SELECT count() AS n FROM loads');
    await expect(
      importSource(
        ch,
        { path: join(dir, 'orders.csv'), target: 'orders' },
        { source: 'shop2', maxRejectRate: 0 },
      ),
    ).rejects.toThrow(/max-reject-rate/);
    expect(await tableRows(ch, 'SELECT count() AS n FROM loads')).toEqual(before);
    expect(await tableRows(ch, 'SELECT count() AS n FROM orders')).toEqual([{ n: 3 }]);
  });

  it('leaves every live table as it was when sending the validated rows fails', async () => {
    await ch.close();
    const broken = new ClickHouseEngine(
      new FailingInsert(await ChdbTransport.open(join(dir, 'ch')), 'orders'),
    );
    try {
      const snapshot = async () => ({
        customers: await tableRows(broken, 'SELECT count() AS n FROM customers'),
        loads: await tableRows(broken, 'SELECT count() AS n FROM loads'),
        orders: await tableRows(broken, 'SELECT count() AS n FROM orders'),
      });
      const before = await snapshot();
      writeFileSync(join(dir, 'more.csv'), 'order_id,customer_id,order_date,total\nO9,C1,2024-05-01,7\n');
      await expect(
        importSource(broken, { path: join(dir, 'more.csv'), target: 'orders' }, { source: 'shop' }),
      ).rejects.toThrow(/network down/);
      expect(await snapshot()).toEqual(before);
      const leftovers = await broken.query(
        sql`SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE ${'%__import'}`,
      );
      expect(leftovers).toEqual([]);
    } finally {
      await broken.close();
      ch = (await openDatamart({ db: `chdb:${join(dir, 'ch')}` })) as ClickHouseEngine;
    }
  });
});
