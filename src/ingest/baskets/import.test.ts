import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { importSource } from '../import-source.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-baskets-'));
let engine: DuckDbEngine;
beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
});
afterEach(async () => {
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('importing a basket file', () => {
  it('makes one order per line, one order line per distinct item, products for new items, a customer per basket', async () => {
    const path = file('shop.basket', 'milk,bread,milk\nbeer\n\nbread,butter\n');
    const r = await importSource(engine, { path, format: 'baskets', baskets: { orderDate: '2024-03-01' } });
    expect(r).toMatchObject({ dryRun: false, read: 5, loaded: 5, rejected: 0, format: 'baskets' });
    const lines = await engine.query(
      'SELECT o.order_id, o.customer_id, CAST(o.order_date AS VARCHAR) AS d, l.line_no, l.sku, l.quantity FROM order_lines l JOIN orders o USING (order_id) ORDER BY o.order_id, l.line_no',
    );
    expect(lines).toEqual([
      { order_id: 'shop-1', customer_id: 'shop-1', d: '2024-03-01', line_no: 1, sku: 'milk', quantity: 2 },
      { order_id: 'shop-1', customer_id: 'shop-1', d: '2024-03-01', line_no: 2, sku: 'bread', quantity: 1 },
      { order_id: 'shop-2', customer_id: 'shop-2', d: '2024-03-01', line_no: 1, sku: 'beer', quantity: 1 },
      { order_id: 'shop-4', customer_id: 'shop-4', d: '2024-03-01', line_no: 1, sku: 'bread', quantity: 1 },
      { order_id: 'shop-4', customer_id: 'shop-4', d: '2024-03-01', line_no: 2, sku: 'butter', quantity: 1 },
    ]);
    const products = await engine.query('SELECT sku, name FROM products ORDER BY sku');
    expect(products.map((p) => p.sku)).toEqual(['beer', 'bread', 'butter', 'milk']);
    // Importing again changes nothing.
    const again = await importSource(engine, {
      path,
      format: 'baskets',
      baskets: { orderDate: '2024-03-01' },
    });
    expect(again).toMatchObject({ read: 5, inserted: 0, unchanged: 5 });
  });

  it('reads customer and date lead fields, keeps existing products as they are, and keeps bad lines as rejects', async () => {
    await engine.exec(
      "INSERT INTO products (sku, name, price, source, load_id) VALUES ('milk', 'Whole milk 1L', 1.29, 'catalog', 1)",
    );
    const path = file(
      'lead.txt',
      'c1;2024-01-02;milk;bread\nc1;2024-02-03;beer\nc2;03/02/2024;milk\n;2024-01-05;jam\n',
    );
    const r = await importSource(engine, {
      path,
      format: 'baskets',
      baskets: { lead: ['customer', 'date'] },
    });
    expect(r).toMatchObject({ read: 5, loaded: 3, rejected: 2 });
    const orders = await engine.query('SELECT customer_id, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1');
    expect(orders).toEqual([{ customer_id: 'c1', n: 2 }]);
    const milk = await engine.query("SELECT name, price FROM products WHERE sku = 'milk'");
    expect(milk).toEqual([{ name: 'Whole milk 1L', price: 1.29 }]);
    const rejects = await engine.query('SELECT line, reason FROM rejects ORDER BY line');
    expect(rejects.map((x) => x.line)).toEqual([3, 4]);
    expect(String(rejects[0]!.reason)).toMatch(/date YYYY-MM-DD/);
  });

  it('fails as a whole when too many lines are rejected, leaving the datamart as it was', async () => {
    const path = file('bad.txt', 'x;a\n;b\n;c\n');
    await expect(
      importSource(
        engine,
        { path, format: 'baskets', baskets: { lead: ['customer'], orderDate: '2024-01-01' } },
        { maxRejectRate: 0.1 },
      ),
    ).rejects.toMatchObject({ code: 'REJECT_RATE_EXCEEDED' });
    const counts = await engine.query(
      'SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM products) AS p, (SELECT count(*) FROM customers) AS c',
    );
    expect(counts).toEqual([{ o: 0, p: 0, c: 0 }]);
  });

  it('describes a dry run without changing anything', async () => {
    const path = file('dry.basket', 'a,b\nc\n');
    const r = await importSource(
      engine,
      { path, format: 'baskets', baskets: { orderDate: '2024-01-01' } },
      { dryRun: true },
    );
    expect(r).toMatchObject({ dryRun: true, format: 'baskets', target: 'order_lines', rows: 3 });
    const [n] = await engine.query('SELECT count(*) AS n FROM orders');
    expect(n).toEqual({ n: 0 });
  });
});
