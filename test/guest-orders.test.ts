/**
 * Guest orders (issue 12, point 4), from import to every figure: a flat Online-Retail-style export
 * (test/fixtures/ingest/online-retail-flat.csv) with guest rows (no CustomerID), cancellation invoices
 * (`C…`, negative quantities) and float ids (`17850.0`). Every row loads; guest orders count in sales and
 * revenue (the revenue rule), never in customer analytics (features, RFM, CLV inputs, the buyer count).
 *
 * Sums by hand, to the cent (quantity × unit price per line; a cancellation nets negative):
 *   customers 17850: 6×2.55 + 6×3.39 + 6×1.85 = 46.74; 14527: −27.50; 15311: −4.65 + 3×4.95 − 4.95 = 5.25;
 *   13047: 4×4.25 = 17.00 → 41.49.  guests: 24×8.50 + 2×1.25 + 6×3.39 − 2×8.50 = 209.84.  all: 251.33.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../src/analytics/features/index.js';
import { overview } from '../src/analytics/overview/index.js';
import { orderRevenueSql } from '../src/analytics/revenue/index.js';
import { rfmSummary } from '../src/analytics/rfm/index.js';
import { salesCube } from '../src/analytics/sales/index.js';
import { importSource, type LoadSummary } from '../src/ingest/index.js';
import { tempDatamart } from '../src/ingest/load/test-support.js';
import { sql } from '../src/store/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'ingest', 'online-retail-flat.csv');
const AS_OF = '2010-12-14';

let db: Awaited<ReturnType<typeof tempDatamart>>;
let summary: LoadSummary;
beforeAll(async () => {
  db = await tempDatamart();
  summary = (await importSource(db.engine, { path: FIXTURE, target: 'order_lines' })) as LoadSummary;
});
afterAll(async () => {
  await db.dispose();
});

async function netRevenue(customersOnly: boolean): Promise<number> {
  const [row] = await db.engine.query<{ v: number }>(
    sql`SELECT round(sum(net_revenue), 2) AS v FROM (${orderRevenueSql(db.engine.dialect, { customersOnly })}) r`,
  );
  return Number(row?.v);
}

describe('a flat export with guest rows, cancellations and float ids', () => {
  it('loads every row: guest rows as guest orders, counted in the summary', () => {
    expect(summary).toMatchObject({
      read: 12,
      loaded: 12,
      rejected: 0,
      customersCreated: 4,
      guestOrders: 3,
    });
    expect(summary.related).toMatchObject([{ target: 'orders', inserted: 9 }]);
  });

  it('stores guest orders with no customer, cancellations as refunds, float ids as integers', async () => {
    const orders = await db.engine.query(
      'SELECT order_id, customer_id, status FROM orders ORDER BY order_id',
    );
    expect(orders).toEqual([
      { order_id: '536365', customer_id: '17850', status: 'completed' },
      { order_id: '536366', customer_id: '17850', status: 'completed' },
      { order_id: '536384', customer_id: '15311', status: 'completed' },
      { order_id: '536390', customer_id: null, status: 'completed' },
      { order_id: '536391', customer_id: null, status: 'completed' },
      { order_id: '536393', customer_id: '13047', status: 'completed' },
      { order_id: 'C536379', customer_id: '14527', status: 'refund' },
      { order_id: 'C536383', customer_id: '15311', status: 'refund' },
      { order_id: 'C536392', customer_id: null, status: 'refund' },
    ]);
  });

  it('nets cancellations in revenue, to the cent: guests included in sales, left out per customer', async () => {
    expect(await netRevenue(false)).toBe(251.33);
    expect(await netRevenue(true)).toBe(41.49);
    const o = await overview(db.engine, { asOf: AS_OF });
    expect(o.kpis).toMatchObject({ orders: 9, revenue: 251.33, buyers: 4 });
    const cube = await salesCube(db.engine, { from: '2010-12-01', to: AS_OF });
    expect(cube.totals.current).toMatchObject({ orders: 9, customers: 4 });
    expect(Math.round(cube.totals.current.revenue * 100)).toBe(25133);
  });

  it('creates no NULL customer in customer analytics: features and RFM hold the four customers only', async () => {
    const built = await buildFeatures(db.engine, { asOf: '2010-12-13' });
    expect(built).toMatchObject({ rows: 4, buyers: 4 });
    const features = await db.engine.queryColumns(
      'SELECT customer_id, revenue FROM customer_features ORDER BY customer_id',
    );
    expect(features.customer_id).toEqual(['13047', '14527', '15311', '17850']);
    expect(features.revenue).toEqual([17, -27.5, 5.25, 46.74]);
    const rfm = await rfmSummary(db.engine, { asOf: '2010-12-13' });
    expect({ scored: rfm.scored, notScored: rfm.notScored }).toEqual({ scored: 4, notScored: 0 });
  });
});
