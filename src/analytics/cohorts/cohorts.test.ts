import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { cohorts, parseCohortParams } from './index.js';

/**
 * A tiny shop whose triangles are worked out by hand below: a and b start in January (a on the web with
 * category A; b in the shop with A 10 + B 50, so B), c in February, d in April; b's February order is
 * cancelled. asOf 2024-05-01: January lived 4 whole months, February 3, April 1.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const orders = [
    ['a1', 'a', '2024-01-10', 'web', 'completed'],
    ['a2', 'a', '2024-02-05', 'shop', 'completed'],
    ['a3', 'a', '2024-02-20', 'web', 'completed'],
    ['a4', 'a', '2024-04-01', 'web', 'completed'],
    ['b1', 'b', '2024-01-20', 'shop', 'completed'],
    ['bx', 'b', '2024-02-01', 'shop', 'cancelled'],
    ['b2', 'b', '2024-03-03', 'web', 'completed'],
    ['c1', 'c', '2024-02-15', 'web', 'completed'],
    ['c2', 'c', '2024-02-28', 'web', 'completed'],
    ['c3', 'c', '2024-03-10', 'web', 'completed'],
    ['d1', 'd', '2024-04-10', 'web', 'completed'],
    ['late', 'a', '2024-05-02', 'web', 'completed'],
  ];
  const lines = orders.map(([id]) => `('${id}', 1, 'pa', 1, 10, 0, 0, 't', 0)`);
  lines.push(`('b1', 2, 'pb', 1, 50, 0, 0, 't', 0)`, `('b2', 1, 'pb', 1, 50, 0, 0, 't', 0)`);
  await engine.exec(`
    INSERT INTO products (sku, category_path, unit_cost, source, load_id) VALUES ('pa', 'A > x', 4, 't', 0), ('pb', 'B', 20, 't', 0);
    INSERT INTO orders (order_id, customer_id, order_date, channel, status, source, load_id) VALUES
      ${orders.map((o) => `('${o.join("', '")}', 't', 0)`).join(',')};
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
      ${lines.join(',')};
    DELETE FROM order_lines WHERE order_id = 'b2' AND sku = 'pa';`);
});
afterAll(async () => {
  await engine.close();
});

const asOf = '2024-05-01';

describe('cohort triangles on a hand-made shop', () => {
  it('first_order_month × customers: retention by month of age, unlived months null', async () => {
    const r = await cohorts(engine, { asOf, periods: 4 });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.values])).toEqual([
      ['2024-01-01', 2, [2, 1, 1, 1]],
      ['2024-02-01', 1, [1, 1, 0, null]],
      ['2024-04-01', 1, [1, null, null, null]],
    ]);
    expect(r.cohorts[0]!.rates).toEqual([1, 0.5, 0.5, 0.5]);
  });

  it('first_order_month × orders, revenue (cumulative per customer) and margin', async () => {
    expect((await cohorts(engine, { asOf, periods: 4, metric: 'orders' })).cohorts[0]!.values).toEqual([
      2, 2, 1, 1,
    ]);
    const revenue = (await cohorts(engine, { asOf, periods: 4, metric: 'revenue' })).cohorts[0]!;
    expect(revenue.values).toEqual([70, 20, 50, 10]);
    expect(revenue.cumulative).toEqual([35, 45, 70, 75]);
    const margin = (await cohorts(engine, { asOf, periods: 4, metric: 'margin' })).cohorts;
    expect(margin[0]!.values).toEqual([42, 12, 30, 6]);
    expect(margin[1]!.values).toEqual([12, 6, 0, null]);
  });

  it('first_channel: exposure counts only the customers who lived that month', async () => {
    const r = await cohorts(engine, { asOf, periods: 4, by: 'first_channel' });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.values, c.rates])).toEqual([
      ['shop', 1, [1, 0, 1, 0], [1, 0, 1, 0]],
      ['web', 3, [3, 2, 0, 1], [1, 1, 0, 1]],
    ]);
  });

  it('first_category: the category with the most revenue in the first order', async () => {
    const r = await cohorts(engine, { asOf, periods: 2, by: 'first_category', metric: 'revenue' });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.values])).toEqual([
      ['A', 3, [40, 30]], // a1 10 + c1, c2 20 + d1 10; then a2, a3 20 + c3 10
      ['B', 1, [60, 0]],
    ]);
  });

  it('campaign: the campaign that converted the first order', async () => {
    await engine.exec(`INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, order_id, source, load_id) VALUES
      ('SPRING', 'a', 'conversion', TIMESTAMP '2024-01-10 10:00:00', 'a1', 't', 0),
      ('SPRING', 'c', 'click', TIMESTAMP '2024-02-14 10:00:00', NULL, 't', 0),
      ('WINTER', 'b', 'conversion', TIMESTAMP '2024-03-03 10:00:00', 'b2', 't', 0)`);
    const r = await cohorts(engine, { asOf, periods: 2, by: 'campaign' });
    expect(r.cohorts.map((c) => [c.cohort, c.size, c.values])).toEqual([
      ['(no campaign)', 3, [3, 1]], // b (converted later, not on its first order), c (a click only), d
      ['SPRING', 1, [1, 1]],
    ]);
  });

  it('rejects bad parameters, all at once', () => {
    expect(() => parseCohortParams({ by: 'channel', metric: 'clicks', periods: 0 })).toThrow(
      /by[\s\S]*metric[\s\S]*periods/,
    );
  });
});
