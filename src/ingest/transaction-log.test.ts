import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSource } from './import-source.js';
import { tempDatamart } from './load/test-support.js';

/**
 * Transaction logs (issue 12): `customer,date,amount` with no order id and no customers imports with
 * one call: order ids are derived (`<customer>/<yyyy-mm-dd>/<n>`), re-import is idempotent, customers
 * are created when the datamart has none (or with `createCustomers`), else unknown ones are rejected.
 */

let db: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  db = await tempDatamart();
});
afterEach(async () => {
  await db.dispose();
});

function write(name: string, text: string): string {
  const path = joinPath(db.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('transaction logs', () => {
  it('derives order ids per customer, day and occurrence; re-import changes nothing', async () => {
    const log = write(
      'log.csv',
      'customer,date,amount\n17,2024-01-05,10\n17,2024-01-05,12.5\n18,2024-01-05,3\n17,2024-02-01,4\n',
    );
    const r = await importSource(db.engine, { path: log, target: 'orders' });
    if (r.dryRun) throw new Error('dry run');
    expect(r).toMatchObject({ read: 4, loaded: 4, inserted: 4, rejected: 0, customersCreated: 2 });
    const ids = await db.engine.queryColumns('SELECT order_id, total FROM orders ORDER BY order_id');
    expect(ids.order_id).toEqual([
      '17/2024-01-05/1',
      '17/2024-01-05/2',
      '17/2024-02-01/1',
      '18/2024-01-05/1',
    ]);
    expect(ids.total).toEqual([10, 12.5, 4, 3]);
    const again = await importSource(db.engine, { path: log, target: 'orders' });
    expect(again).toMatchObject({ inserted: 0, unchanged: 4, customersCreated: 0 });
    const [n] = await db.engine.query<{ o: number; c: number }>(
      'SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM customers) AS c',
    );
    expect(n).toEqual({ o: 4, c: 2 });
  });

  it('rejects unknown customers once the datamart has customers, unless createCustomers', async () => {
    // A customers file with only an id (`id` is the customer id in a customers file).
    const only = await importSource(db.engine, { path: write('c.csv', 'id\nk1\n') });
    expect(only).toMatchObject({ target: 'customers', loaded: 1, inserted: 1 });
    const log = write('log.csv', 'customer,date,amount\nk1,2024-01-05,10\nk2,2024-01-06,12\n');
    const r = await importSource(db.engine, { path: log, target: 'orders' }, { maxRejectRate: 1 });
    expect(r).toMatchObject({ loaded: 1, rejected: 1, customersCreated: 0 });
    const forced = await importSource(db.engine, { path: log, target: 'orders' }, { createCustomers: true });
    expect(forced).toMatchObject({ loaded: 2, inserted: 1, unchanged: 1, rejected: 0, customersCreated: 1 });
  });

  it('a flat order-lines file without order ids makes one order per customer and day', async () => {
    const lines = write(
      'lines.csv',
      'customer,date,sku,qty,price\nc1,2024-01-05,A,1,2.5\nc1,2024-01-05,B,2,1\nc2,2024-01-05,A,1,2.5\nc1,2024-01-09,C,1,9\n',
    );
    const r = await importSource(db.engine, { path: lines, target: 'order_lines' });
    if (r.dryRun) throw new Error('dry run');
    expect(r).toMatchObject({ read: 4, loaded: 4, customersCreated: 2 });
    expect(r.related).toMatchObject([{ target: 'orders', inserted: 3 }]);
    const rows = await db.engine.queryColumns(
      'SELECT order_id, line_no, sku FROM order_lines ORDER BY order_id, line_no',
    );
    expect(rows.order_id).toEqual(['c1/2024-01-05', 'c1/2024-01-05', 'c1/2024-01-09', 'c2/2024-01-05']);
    expect(rows.line_no).toEqual([1, 2, 1, 1]);
    const again = await importSource(db.engine, { path: lines, target: 'order_lines' });
    expect(again).toMatchObject({ inserted: 0, unchanged: 4 });
  });

  it('names the columns of a headerless log with columns (- skips one)', async () => {
    const log = write(
      'cdnow-like.txt',
      ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n',
    );
    const r = await importSource(db.engine, {
      path: log,
      target: 'orders',
      columns: ['-', 'customer_id', 'order_date', '-', 'total'],
    });
    expect(r).toMatchObject({ loaded: 3, customersCreated: 2 });
    const rows = await db.engine.queryColumns('SELECT order_id FROM orders ORDER BY 1');
    expect(rows.order_id).toEqual(['0001/1997-01-01/1', '0001/1997-01-18/1', '0002/1997-01-01/1']);
    await expect(
      importSource(db.engine, { path: log, target: 'orders', columns: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    ).rejects.toThrow(/--columns names 6 columns, but the file has 5/);
    // Without --columns the error says the file has no header line and how to name its columns.
    await expect(importSource(db.engine, { path: log, target: 'orders' })).rejects.toThrow(
      /no header line, so its 5 columns have no names\. Name them in order with --columns/,
    );
  });

  it('a flat export with cancellation invoices, negative quantities, float ids and guest rows loads every row', async () => {
    const path = joinPath(
      import.meta.dirname,
      '..',
      '..',
      'test',
      'fixtures',
      'ingest',
      'online-retail-flat.csv',
    );
    const r = await importSource(db.engine, { path, target: 'order_lines' });
    if (r.dryRun) throw new Error('dry run');
    // Rows without a customer id are guest orders (test/guest-orders.test.ts follows them into the figures).
    expect(r).toMatchObject({ read: 12, loaded: 12, rejected: 0, customersCreated: 4, guestOrders: 3 });
    const orders = await db.engine.query<{ order_id: string; customer_id: string; status: string }>(
      "SELECT order_id, customer_id, status FROM orders WHERE order_id LIKE 'C%' OR order_id <= '536366' ORDER BY order_id",
    );
    expect(orders).toEqual([
      { order_id: '536365', customer_id: '17850', status: 'completed' },
      { order_id: '536366', customer_id: '17850', status: 'completed' },
      { order_id: 'C536379', customer_id: '14527', status: 'refund' },
      { order_id: 'C536383', customer_id: '15311', status: 'refund' },
      { order_id: 'C536392', customer_id: null, status: 'refund' },
    ]);
    const lines = await db.engine.queryColumns(
      "SELECT quantity FROM order_lines WHERE order_id IN ('C536383', '536384') ORDER BY order_id, line_no",
    );
    expect(lines.quantity).toEqual([3, -1, -1]);
    const [net] = await db.engine.query<{ v: number }>(
      'SELECT round(sum(quantity * unit_price), 2) AS v FROM order_lines',
    );
    expect(net?.v).toBe(251.33);
  });

  it('a customers file with only an id, then the flat export: its customers are known, guests stay guests', async () => {
    const fixture = (name: string) =>
      joinPath(import.meta.dirname, '..', '..', 'test', 'fixtures', 'ingest', name);
    const ids = await importSource(db.engine, { path: fixture('customers-id-only.csv') });
    expect(ids).toMatchObject({ target: 'customers', read: 4, loaded: 4, rejected: 0 });
    const flat = await importSource(db.engine, {
      path: fixture('online-retail-flat.csv'),
      target: 'order_lines',
    });
    expect(flat).toMatchObject({ loaded: 12, rejected: 0, customersCreated: 0, guestOrders: 3 });
    const rows = await db.engine.queryColumns('SELECT customer_id FROM customers ORDER BY 1');
    expect(rows.customer_id).toEqual(['13047', '14527', '15311', '17850']);
  });

  it('groups the lines kept out with their order into one reject reason', async () => {
    const lines = write(
      'lines.csv',
      'invoice,customer,date,sku,qty,price\n1,c1,2024-01-05,A,1,2\n1,c1,2024-01-05,B,1,x\n1,c1,2024-01-05,C,1,2\n2,c2,2024-01-06,A,1,y\n2,c2,2024-01-06,B,1,2\n3,c2,2024-01-07,A,1,2\n',
    );
    const r = await importSource(db.engine, { path: lines, target: 'order_lines' }, { maxRejectRate: 1 });
    if (r.dryRun) throw new Error('dry run');
    expect(r).toMatchObject({ loaded: 1, rejected: 5 });
    expect(r.topReasons.map((t) => [t.reason.replace(/^column "price" → /, ''), t.rows])).toEqual([
      ['another line of its order was rejected: the whole order is kept out', 3],
      ["unit_price: expected a number (decimal '.')", 2],
    ]);
    expect(r.topReasons[0]?.fix).toMatch(/rejected line/);
  });

  it('a transaction log row without a customer is a guest order with a derived id', async () => {
    const log = write('log.csv', 'customer,date,amount\n17,2024-01-05,10\n,2024-01-05,4\n,2024-01-05,6\n');
    const r = await importSource(db.engine, { path: log, target: 'orders' });
    expect(r).toMatchObject({ loaded: 3, rejected: 0, guestOrders: 2, customersCreated: 1 });
    const rows = await db.engine.query('SELECT order_id, customer_id, total FROM orders ORDER BY order_id');
    expect(rows).toEqual([
      { order_id: '(guest)/2024-01-05/1', customer_id: null, total: 4 },
      { order_id: '(guest)/2024-01-05/2', customer_id: null, total: 6 },
      { order_id: '17/2024-01-05/1', customer_id: '17', total: 10 },
    ]);
    const again = await importSource(db.engine, { path: log, target: 'orders' });
    expect(again).toMatchObject({ inserted: 0, unchanged: 3 });
  });

  it('an orders file: a negative total or a C invoice number is a refund', async () => {
    const log = write(
      'o.csv',
      'order_id,customer_id,order_date,total\n100,k1,2024-01-05,10\nC101,k1,2024-01-06,-10\n102,k2,2024-01-06,-3\n',
    );
    const r = await importSource(db.engine, { path: log, target: 'orders' });
    expect(r).toMatchObject({ loaded: 3, rejected: 0 });
    const rows = await db.engine.queryColumns('SELECT status FROM orders ORDER BY order_id');
    expect(rows.status).toEqual(['completed', 'refund', 'refund']);
  });

  it('a mapping file sets a constant for a field the file lacks (language: { value: pt })', async () => {
    const texts = write(
      'reviews.csv',
      'review_id,kind,body\nr1,review,Ótimo produto\nr2,review,Chegou tarde\n',
    );
    const mapping = write(
      'm.yaml',
      'target: customer_texts\ncolumns:\n  review_id: text_id\n  language: { value: pt }\n',
    );
    const dry = await importSource(db.engine, { path: texts, mappingFile: mapping }, { dryRun: true });
    if (!dry.dryRun) throw new Error('expected a dry run');
    expect(dry.mapping.find((m) => m.field === 'language')).toMatchObject({ source: 'language (constant)' });
    expect(dry.preview[0]).toMatchObject({ text_id: 'r1', language: 'pt' });
    const r = await importSource(db.engine, { path: texts, mappingFile: mapping });
    expect(r).toMatchObject({ loaded: 2, rejected: 0 });
    const rows = await db.engine.queryColumns('SELECT language FROM customer_texts ORDER BY text_id');
    expect(rows.language).toEqual(['pt', 'pt']);
  });

  it('reads Excel serial day numbers in a workbook date field', async () => {
    const path = joinPath(db.dir, 'orders.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('orders');
    ws.addRow(['order_id', 'customer_id', 'order_date', 'total']);
    ws.addRow(['o1', 'c1', 45292, 10]);
    ws.addRow(['o2', 'c1', 45351.75, 12]);
    ws.addRow(['o3', 'c2', -4, 1]);
    await wb.xlsx.writeFile(path);
    const r = await importSource(db.engine, { path, target: 'orders' });
    expect(r).toMatchObject({ loaded: 2, rejected: 1 });
    const rows = await db.engine.queryColumns(
      'SELECT CAST(order_date AS VARCHAR) AS d FROM orders ORDER BY order_id',
    );
    expect(rows.d).toEqual(['2024-01-01', '2024-02-29']);
    const [bad] = await db.engine.query<{ reason: string }>('SELECT reason FROM rejects');
    expect(bad?.reason).toMatch(/Excel serial day number.*found "-4"/);
  });
});
