import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { overview } from '../overview/index.js';
import { SALES_DIMENSIONS, type SalesDimension, salesCube, salesWindows } from './index.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  // Give the shop hours, promotion codes, regions, returns, an order-level discount and RFM segments.
  await engine.exec(`
    UPDATE orders SET order_time = CAST(order_date AS TIMESTAMP) + INTERVAL (CAST(substr(order_id, 2) AS INTEGER) % 24) HOUR,
      promo_code = CASE WHEN CAST(substr(order_id, 2) AS INTEGER) % 5 = 0 THEN 'SPRING' WHEN CAST(substr(order_id, 2) AS INTEGER) % 7 = 0 THEN 'VIP' END;
    UPDATE customers SET region = ['North', 'South', NULL][1 + CAST(substr(customer_id, 2) AS INTEGER) % 3];
    UPDATE order_lines SET returned_quantity = 1 WHERE order_id IN ('O10', 'O20', 'O30') AND line_no = 1;
    CREATE TABLE customer_rfm AS SELECT customer_id, CASE WHEN CAST(substr(customer_id, 2) AS INTEGER) % 2 = 0 THEN 'Champions' ELSE 'Lost' END AS rfm_segment FROM customers;`);
});
afterAll(async () => {
  await engine.close();
});

const FROM = '2026-01-01';
const TO = '2026-04-01';

/** Hand-written SQL per dimension, written from the definitions (not from the module's SQL). */
function handSql(by: SalesDimension, from: string, to: string): string {
  const orderKey: Partial<Record<SalesDimension, string>> = {
    channel: `coalesce(o.channel, '(none)')`,
    promo: `coalesce(o.promo_code, '(none)')`,
    weekday: `CAST(isodow(o.order_date) AS VARCHAR)`,
    hour: `CAST(hour(o.order_time) AS VARCHAR)`,
    region: `coalesce(c.region, '(none)')`,
    country: `coalesce(c.country, '(none)')`,
    segment: `coalesce(r.rfm_segment, '(not scored)')`,
  };
  const lineRev = `(l.quantity - l.returned_quantity) * l.unit_price - l.discount * (l.quantity - l.returned_quantity) / l.quantity`;
  const where = `o.order_date >= DATE '${from}' AND o.order_date < DATE '${to}' AND o.status <> 'cancelled'`;
  if (by === 'product' || by === 'category') {
    const key = by === 'product' ? 'l.sku' : `trim(split_part(p.category_path, '>', 1))`;
    return `SELECT ${key} AS key, sum(${lineRev}) AS revenue, count(DISTINCT o.order_id) AS orders,
        count(DISTINCT o.customer_id) AS customers, sum(l.quantity - l.returned_quantity) AS units,
        sum(${lineRev} - (l.quantity - l.returned_quantity) * p.unit_cost) AS margin
      FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN products p ON p.sku = l.sku
      WHERE ${where} GROUP BY 1`;
  }
  return `WITH per_order AS (
      SELECT o.order_id, any_value(o.customer_id) AS customer_id, any_value(${orderKey[by]}) AS key,
             sum(${lineRev}) AS revenue, sum(l.quantity - l.returned_quantity) AS units,
             sum((l.quantity - l.returned_quantity) * p.unit_cost) AS cost
      FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN products p ON p.sku = l.sku
      LEFT JOIN customers c ON c.customer_id = o.customer_id LEFT JOIN customer_rfm r ON r.customer_id = o.customer_id
      WHERE ${where} GROUP BY o.order_id)
    SELECT key, sum(revenue) AS revenue, count(*) AS orders, count(DISTINCT customer_id) AS customers,
           sum(units) AS units, sum(revenue - cost) AS margin
    FROM per_order GROUP BY key`;
}

describe('the sales cube equals hand-written SQL for every dimension', () => {
  it.each(SALES_DIMENSIONS)('%s: current window, previous period and last year', async (by) => {
    const cube = await salesCube(engine, { by, from: FROM, to: TO, top: 1000 });
    expect(cube.omitted).toBe(0);
    const w = salesWindows(FROM, TO);
    for (const [name, win] of [
      ['current', w.current],
      ['previous', w.previous],
      ['lastYear', w.lastYear],
    ] as const) {
      const hand = await engine.query<{
        key: string;
        revenue: number;
        orders: number;
        customers: number;
        units: number;
        margin: number;
      }>(handSql(by, win.from, win.to));
      const got = cube.rows.filter((r) => r[name].orders > 0);
      expect(got.map((r) => r.key).sort(), `${by} ${name} keys`).toEqual(
        hand.map((h) => String(h.key)).sort(),
      );
      for (const h of hand) {
        const r = cube.rows.find((x) => x.key === String(h.key))![name];
        expect(r.revenue).toBeCloseTo(h.revenue, 6);
        expect(r.orders).toBe(Number(h.orders));
        expect(r.customers).toBe(Number(h.customers));
        expect(r.units).toBeCloseTo(h.units, 9);
        expect(r.margin!).toBeCloseTo(h.margin, 6);
        expect(r.aov!).toBeCloseTo(h.revenue / Number(h.orders), 6);
      }
    }
    const shares = cube.rows.reduce((s, r) => s + r.share, 0);
    expect(shares).toBeCloseTo(1, 9);
  });

  it('totals equal the overview revenue, and movers are the largest changes', async () => {
    const cube = await salesCube(engine, { by: 'channel', from: '2025-01-01', to: '2026-07-01', top: 1000 });
    const o = await overview(engine, { asOf: '2026-07-01' });
    expect(cube.totals.current.revenue).toBeCloseTo(o.kpis.revenue, 6);
    expect(cube.totals.current.orders).toBe(o.kpis.orders);
    const q = await salesCube(engine, { by: 'category', from: FROM, to: TO });
    const changes = q.rows.map((r) => r.change).sort((a, b) => b - a);
    if (q.movers.up[0]) expect(q.movers.up[0].change).toBe(changes[0]);
    expect(q.windows.previous).toEqual({ from: '2025-10-03', to: '2026-01-01' });
    expect(q.windows.lastYear).toEqual({ from: '2025-01-01', to: '2025-04-01' });
  });

  it('trend by week sums to the window total', async () => {
    const cube = await salesCube(engine, { from: FROM, to: TO, grain: 'week' });
    const sum = cube.trend.reduce((s, t) => s + t.revenue, 0);
    expect(sum).toBeCloseTo(cube.totals.current.revenue, 6);
    expect(cube.trend[0]!.period).toBe('2025-12-29');
  });
});
