/**
 * One meaning per number: the figures the dashboard's pages show, fetched through the API as the pages fetch
 * them, agree with each other on a shop with discounts, returns, a fully returned order, cancellations,
 * orders without lines and shipping fees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
let token = '';

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await engine.exec(`
    -- line discounts, an order-level discount beyond them, partial and full returns, cancellations
    UPDATE order_lines SET discount = 2.5 WHERE (hash(order_id) + line_no) % 4 = 0;
    UPDATE orders SET discount = 4 WHERE order_id IN ('O3', 'O17', 'O40');
    UPDATE order_lines SET returned_quantity = 1 WHERE order_id IN ('O5', 'O9', 'O17') AND line_no = 1;
    UPDATE order_lines SET returned_quantity = quantity WHERE order_id IN ('O11', 'O40');
    UPDATE orders SET status = 'returned' WHERE order_id IN ('O11', 'O40');
    UPDATE orders SET status = 'cancelled' WHERE order_id IN ('O2', 'O8', 'O13');
    UPDATE orders SET status = 'Canceled' WHERE order_id = 'O21';
    UPDATE orders SET shipping = 4.95 WHERE order_id IN ('O1', 'O4');
    -- orders exported without lines (a total, shipping included), one of them returned
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, discount, shipping, status, source, load_id)
    VALUES ('X1', 'C0007', DATE '2026-03-01', 'web', 54.95, 5, 4.95, 'completed', 'seed', 1),
           ('X2', 'C0008', DATE '2026-03-02', 'web', 30, 0, 0, 'returned', 'seed', 1);`);
  ctx = await createApp(engine, { log: () => undefined });
  token = (await createToken(engine, 'analyst', 'analyst')).token;
});
afterAll(async () => {
  await engine.close();
});

const get = async (path: string): Promise<any> => {
  const res = await ctx.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
};
const post = async (path: string, body: unknown): Promise<any> => {
  const res = await ctx.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return res.json();
};
const cents = (x: number) => Math.round(x * 100);

describe('figures agree across pages', () => {
  it('net revenue, gross sales, discounts and returns are the same on Overview, Value, RFM and Customers', async () => {
    // Overview's asOf is exclusive (the day after the last order), Value's and RFM's inclusive (the last day).
    const overview = await get('/api/overview?asOf=2026-06-25');
    const profit = await get('/api/profit?asOf=2026-06-24');
    const rfm = await get('/api/rfm?asOf=2026-06-24');
    const customers = await get('/api/customers?limit=500');
    const k = overview.kpis;
    expect(k.revenue).toBeGreaterThan(0);
    expect(k.grossSales).toBeGreaterThan(k.revenue);
    expect(cents(profit.totals.netRevenue)).toBe(cents(k.revenue));
    expect(cents(profit.totals.grossSales)).toBe(cents(k.grossSales));
    expect(cents(profit.totals.discounts)).toBe(cents(k.discounts));
    expect(cents(profit.totals.returns)).toBe(cents(k.returns));
    expect(cents(k.grossSales - k.discounts - k.returns)).toBe(cents(k.revenue));
    const rfmMonetary = rfm.segments.reduce(
      (s: number, g: { customers: number; meanValue: number }) => s + g.customers * g.meanValue,
      0,
    );
    expect(cents(rfmMonetary)).toBe(cents(k.revenue));
    const listed = customers.rows.reduce((s: number, r: { revenue: number }) => s + r.revenue, 0);
    expect(customers.total).toBeLessThanOrEqual(500);
    expect(cents(listed)).toBe(cents(k.revenue));
  });

  it('buyers are the same count on Overview, Value, RFM and Segments; customers and prospects add up', async () => {
    const overview = await get('/api/overview?asOf=2026-06-25');
    const profit = await get('/api/profit?asOf=2026-06-24');
    const rfm = await get('/api/rfm?asOf=2026-06-24');
    await post('/api/features/build', { asOf: '2026-06-24' }).then((job) => ctx.jobs.wait(job.id));
    const segment = await post('/api/segments/count', { expression: 'orders >= 1' });
    const k = overview.kpis;
    expect(k.buyers).toBeGreaterThan(0);
    expect(k.active + k.lapsed).toBe(k.buyers);
    expect(profit.buyers).toBe(k.buyers);
    expect(rfm.scored).toBe(k.buyers);
    expect(segment.count).toBe(k.buyers);
    const [people] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM customers');
    expect(k.customers + k.prospects).toBe(people!.n);
  });
});
