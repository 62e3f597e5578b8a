import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate, sql } from '../../store/index.js';
import { orderValuesSql, overview } from './index.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO customers (customer_id, source, load_id) VALUES ('a', 't', 0);
    INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p', 10, 't', 0);
    INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
      ('no-lines', 'a', '2024-01-05', 50, 5, 'completed', 't', 0),
      ('repeated', 'a', '2024-01-06', 72, 8, 'completed', 't', 0),
      ('extra', 'a', '2024-01-07', 35, 5, 'completed', 't', 0),
      ('returned', 'a', '2024-01-08', 36, 4, 'returned', 't', 0),
      ('cancelled', 'a', '2024-01-09', 99, 0, 'cancelled', 't', 0);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
      ('repeated', 1, 'p', 1, 40, 5, 0, 't', 0), ('repeated', 2, 'p', 1, 40, 3, 0, 't', 0),
      ('extra', 1, 'p', 1, 40, 2, 0, 't', 0),
      ('returned', 1, 'p', 1, 40, 4, 1, 't', 0);`);
});
afterAll(async () => {
  await engine.close();
});

describe('order values (the revenue every overview figure sums)', () => {
  it('counts each discount once, refunds returned lines with their discount share and skips cancelled orders', async () => {
    const rows = await engine.query<{ order_id: string; revenue: number }>(
      sql`SELECT order_id, revenue FROM (${orderValuesSql(engine.dialect, '2024-12-31')}) v ORDER BY order_id`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.order_id, r.revenue]))).toEqual({
      'no-lines': 50, // the exported total, already after its discount
      repeated: 72, // 2 × 40 − 8 on the lines; the order's 8 is the same discount, not a second one
      extra: 35, // 40 − 2 on the line, less 3 more at order level (5 in all)
      returned: 0, // the one line came back: price and discount refunded
    });
    const o = await overview(engine, { asOf: '2024-12-31' });
    expect(o.kpis.revenue).toBeCloseTo(157, 9);
  });
});
