import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { overview } from '../overview/index.js';
import {
  refreshSalesAggregates,
  SALES_DIMENSIONS,
  SALES_GRAINS,
  type SalesCube,
  type SalesDimension,
  salesAggregatesFresh,
  salesCube,
  salesWindows,
} from './index.js';

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
    expect(cube.source).toBe('order lines');
    await expectHand(cube, by);
  });
});

async function expectHand(cube: SalesCube, by: SalesDimension): Promise<void> {
  {
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
  }
}

describe('the sales cube', () => {
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

/** Same figures: counts exactly, sums to 1e-9 relative (the pre-aggregate adds the same values in another order). */
function expectSameCube(a: SalesCube, b: SalesCube): void {
  const near = (x: number | null, y: number | null) => {
    if (x === null || y === null) return expect(x).toBe(y);
    expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
  };
  const same = (x: SalesCube['totals']['current'], y: SalesCube['totals']['current']) => {
    near(x.revenue, y.revenue);
    expect(x.orders).toBe(y.orders);
    expect(x.customers).toBe(y.customers);
    near(x.units, y.units);
    near(x.margin, y.margin);
    near(x.aov, y.aov);
  };
  for (const w of ['current', 'previous', 'lastYear'] as const) same(a.totals[w], b.totals[w]);
  expect(a.rows.map((r) => r.key)).toEqual(b.rows.map((r) => r.key));
  a.rows.forEach((r, i) => {
    for (const w of ['current', 'previous', 'lastYear'] as const) same(r[w], b.rows[i]![w]);
    near(r.share, b.rows[i]!.share);
  });
  expect(a.omitted).toBe(b.omitted);
  expect(a.trend.map((t) => `${t.period} ${t.key}`)).toEqual(b.trend.map((t) => `${t.period} ${t.key}`));
  a.trend.forEach((t, i) => {
    same(t, b.trend[i]!);
  });
}

describe('the daily pre-aggregate (sales_daily + sales_fact)', () => {
  beforeAll(async () => {
    await refreshSalesAggregates(engine);
  });

  it.each(SALES_DIMENSIONS)('%s: equals the hand-written SQL, and the order-line path', async (by) => {
    const cube = await salesCube(engine, { by, from: FROM, to: TO, top: 1000 });
    expect(cube.source).toBe('pre-aggregate');
    expect(cube.warnings).toEqual([]);
    await expectHand(cube, by);
    for (const grain of SALES_GRAINS) {
      const fast = await salesCube(engine, { by, from: '2025-02-10', to: '2026-03-17', grain, top: 1000 });
      const raw = await salesCube(engine, {
        by,
        from: '2025-02-10',
        to: '2026-03-17',
        grain,
        top: 1000,
        source: 'order lines',
      });
      expect(fast.source).toBe('pre-aggregate');
      expect(raw.source).toBe('order lines');
      expectSameCube(fast, raw);
    }
  });

  it('totals without a dimension are the same on both paths', async () => {
    const fast = await salesCube(engine, { from: FROM, to: TO, grain: 'month' });
    const raw = await salesCube(engine, { from: FROM, to: TO, grain: 'month', source: 'order lines' });
    expect(fast.source).toBe('pre-aggregate');
    expectSameCube(fast, raw);
  });

  it('segment: the labels stored at refresh serve only while customer_rfm is unchanged', async () => {
    const [k] = await engine.query<{ n: number }>(
      `SELECT count(DISTINCT k_segment) AS n FROM sales_fact WHERE k_segment IN ('Champions', 'Lost')`,
    );
    expect(Number(k!.n)).toBe(2);
    // A re-scoring without an import: a third of the customers move to a new segment.
    await engine.exec(
      `UPDATE customer_rfm SET rfm_segment = 'Loyal' WHERE CAST(substr(customer_id, 2) AS INTEGER) % 3 = 0`,
    );
    const rescored = await salesCube(engine, { by: 'segment', from: FROM, to: TO, top: 1000 });
    expect(rescored.rows.map((r) => r.key)).toContain('Loyal');
    await expectHand(rescored, 'segment');
    await refreshSalesAggregates(engine);
    await expectHand(await salesCube(engine, { by: 'segment', from: FROM, to: TO, top: 1000 }), 'segment');
    await engine.exec(`UPDATE customer_rfm SET rfm_segment = CASE WHEN CAST(substr(customer_id, 2) AS INTEGER) % 2 = 0
      THEN 'Champions' ELSE 'Lost' END`);
    await refreshSalesAggregates(engine);
  });

  it('a pre-aggregate of an older layout (no cust_no / k_segment) counts as stale until refreshed', async () => {
    expect(await salesAggregatesFresh(engine)).toBe('fresh');
    await engine.exec('UPDATE sales_aggregate_state SET layout = 1');
    expect(await salesAggregatesFresh(engine)).toBe('stale');
    expect((await salesCube(engine, { from: FROM, to: TO })).source).toBe('order lines');
    await refreshSalesAggregates(engine);
    expect(await salesAggregatesFresh(engine)).toBe('fresh');
  });

  it('is not used once the data changed, until it is refreshed', async () => {
    expect(await salesAggregatesFresh(engine)).toBe('fresh');
    const before = await salesCube(engine, { from: FROM, to: TO });
    await engine.exec(`
      INSERT INTO orders (order_id, customer_id, order_date, channel, discount, status, source, load_id)
        VALUES ('NEW1', 'C1', DATE '2026-02-02', 'web', 0, 'completed', 't', 999);
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id)
        VALUES ('NEW1', 1, (SELECT min(sku) FROM products), 1, 1000, 0, 0, 't', 999);`);
    expect(await salesAggregatesFresh(engine)).toBe('stale');
    const stale = await salesCube(engine, { from: FROM, to: TO });
    expect(stale.source).toBe('order lines');
    expect(stale.warnings.join(' ')).toMatch(/pre-aggregate is older than the data.*--refresh/);
    expect(stale.totals.current.revenue).toBeCloseTo(before.totals.current.revenue + 1000, 6);
    await refreshSalesAggregates(engine);
    const fresh = await salesCube(engine, { from: FROM, to: TO });
    expect(fresh.source).toBe('pre-aggregate');
    expectSameCube(fresh, stale);
  });
});
