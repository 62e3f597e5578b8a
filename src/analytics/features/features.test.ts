import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFutureRows, openShop } from '../../../test/support/tiny-shop.js';
import { InputError } from '../../errors.js';
import type { DuckDbEngine } from '../../store/index.js';
import {
  ageAt,
  buildFeatures,
  describeFeatureTable,
  FEATURE_COLUMNS,
  featureParams,
  featuresSql,
  slug,
} from './index.js';

let engine: DuckDbEngine;
beforeEach(async () => {
  engine = await openShop();
});
afterEach(async () => {
  await engine.close();
});

async function featuresOf(asOf: string) {
  const params = await featureParams(engine, asOf);
  const rows = await engine.query(featuresSql(engine.dialect, params));
  return new Map(rows.map((r) => [r.customer_id as string, r]));
}

describe('customer feature view', () => {
  it('computes order, value, mix, e-mail, service, demographic and area features by hand', async () => {
    const f = await featuresOf('2024-06-30');
    const c1 = f.get('c1')!;
    expect(c1).toMatchObject({
      first_order: '2024-01-10',
      last_order: '2024-06-08',
      tenure_days: 172,
      recency_days: 22,
      orders: 3,
      repeat_order_days: 2,
      mean_gap_days: 75,
      last_gap_days: 90,
      // o1: 2×50 with one dress returned → 50; o2: 50 + 10 − 5 order discount → 55; o3: 30.
      revenue: 135,
      gross_sales: 190,
      discounts: 5,
      returns_value: 50,
      aov: 45,
      promo_orders: 1,
      return_rate: 0.2,
      share_channel_web: 2 / 3,
      email_sent: 2, // the catalog (post) campaign is not an e-mail
      email_opened: 1, // two opens of one campaign count once
      email_open_rate: 0.5,
      campaigns_received: 3,
      age: 34, // born 1990-06-15, as of 2024-06-30
      area_name: 'Centrum',
      area_median_income: 42000,
    });
    // margin: o1 50 − 20 cost; o2 costed part 50 − 5×50/60 − 20; o3 30 − 10.
    expect(c1.gross_margin).toBeCloseTo(30 + (50 - 5 * (50 / 60) - 20) + 20, 9);
    expect(c1.share_cat_women).toBeCloseTo(100 / 135, 12);
    const c2 = f.get('c2')!;
    expect(c2).toMatchObject({ orders: 1, revenue: 40, email_unsubscribes: 1, service_contacts: 2 });
    expect(c2.mean_satisfaction).toBe(3); // the 23:59 contact on asOf counts
    expect(c2.mean_gap_days).toBeNull();
    // c3 has no birth date and no area row; p1 is a prospect with no orders.
    expect(f.get('c3')).toMatchObject({ age: null, area_name: null, recency_days: 0 });
    expect(f.get('p1')).toMatchObject({ is_prospect: true, orders: 0, revenue: 0, recency_days: null });
  });

  it('is point-in-time correct: rows dated after asOf change nothing', async () => {
    const before = await featuresOf('2024-06-30');
    await addFutureRows(engine);
    const after = await featuresOf('2024-06-30');
    expect([...after.entries()]).toEqual([...before.entries()]);
    // …while a later asOf sees them (the test data is not inert).
    const later = await featuresOf('2025-01-31');
    expect(later.get('c9')).toBeDefined();
    expect(later.get('c1')!.email_unsubscribes).toBe(1);
  });

  it('materialises customer_features with as_of and documented columns', async () => {
    const result = await buildFeatures(engine, { asOf: '2024-06-30' });
    expect(result).toMatchObject({ rows: 4, buyers: 3, categories: ['Women', 'Men', 'Home'] });
    const columns = await describeFeatureTable(engine);
    for (const c of FEATURE_COLUMNS) expect(columns.map((x) => x.name)).toContain(c.name);
    expect(columns.find((c) => c.name === 'share_cat_women')?.kind).toBe('number');
    const [row] = await engine.query('SELECT DISTINCT as_of FROM customer_features');
    expect(row).toEqual({ as_of: '2024-06-30' });
  });

  it('rejects an impossible asOf with a clear error', async () => {
    await expect(buildFeatures(engine, { asOf: '2024-02-30' })).rejects.toThrow(InputError);
    await expect(buildFeatures(engine, { asOf: '2024-02-30' })).rejects.toThrow(/expected a date YYYY-MM-DD/);
  });

  it('ageAt and slug behave at the edges', () => {
    expect(ageAt('2000-02-29', '2024-02-28')).toBe(23);
    expect(ageAt('2000-02-29', '2024-02-29')).toBe(24);
    expect(slug("Women's Shoes & Bags")).toBe('women_s_shoes_bags');
    expect(slug('Élégance')).toBe('elegance');
  });
});

describe('order and line discounts in revenue', () => {
  it('does not subtract a discount twice when the order repeats its lines’ discounts (the demo and Magento convention)', async () => {
    const e = await openShop();
    try {
      await buildFeatures(e, { asOf: '2024-06-30' });
      const [before] = await e.query(
        `SELECT revenue, discounts FROM customer_features WHERE customer_id = 'c3'`,
      );
      // c3 buys one order whose 8 of discount sit on its lines and are repeated as the order's total discount,
      // plus 2 of extra order-level discount: revenue 2 × 40 − 8 − 2 = 70, discounts 10.
      await e.exec(`
        INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
          ('dd1', 'c3', DATE '2024-05-01', 70, 10, 'completed', 'test', 1);
        INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
          ('dd1', 1, 's1', 1, 40, 5, 0, 'test', 1), ('dd1', 2, 's1', 1, 40, 3, 0, 'test', 1);`);
      await buildFeatures(e, { asOf: '2024-06-30' });
      const [row] = await e.query(
        `SELECT revenue, discounts FROM customer_features WHERE customer_id = 'c3'`,
      );
      expect(row!.revenue).toBeCloseTo((before!.revenue as number) + 70, 9);
      expect(row!.discounts).toBeCloseTo((before!.discounts as number) + 10, 9);
    } finally {
      await e.close();
    }
  });
});
