import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { paretoCurve } from './core.js';
import { breakEven, customerProfit } from './index.js';

let engine: DuckDbEngine;

// a: two orders with lines (one line partly returned); b: one order without lines, two service contacts;
// c: no orders, only campaign contacts (a pure cost); o4 is cancelled.
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p1', 4, 't', 0), ('p2', 10, 't', 0);
    INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
      ('o1', 'a', '2024-01-10', 45, 5, 'completed', 't', 0),
      ('o2', 'a', '2024-03-01', 30, 0, 'completed', 't', 0),
      ('o3', 'b', '2024-02-01', 20, 2, 'completed', 't', 0),
      ('o4', 'b', '2024-02-02', 500, 0, 'cancelled', 't', 0);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
      ('o1', 1, 'p1', 5, 10, 0, 1, 't', 0),
      ('o2', 1, 'p2', 2, 15, 1, 0, 't', 0);
    INSERT INTO service_contacts (contact_id, customer_id, contact_time, source, load_id) VALUES
      ('s1', 'b', '2024-02-03 10:00:00', 't', 0), ('s2', 'b', '2024-02-04 10:00:00', 't', 0);
    INSERT INTO campaigns (campaign_id, channel, cost_per_contact, source, load_id) VALUES ('k1', 'email', 0.5, 't', 0);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
      ('k1', 'a', 'sent', '2024-01-01 09:00:00', 't', 0),
      ('k1', 'c', 'sent', '2024-01-01 09:00:00', 't', 0),
      ('k1', 'c', 'open', '2024-01-02 09:00:00', 't', 0);`);
});
afterAll(async () => {
  await engine.close();
});

describe('customerProfit', () => {
  it('computes revenue − discounts − returns − COGS − cost to serve per customer and shows loss-makers', async () => {
    const r = await customerProfit(engine, { asOf: '2024-12-31', serviceContactCost: 12 });
    const rows = await engine.query('SELECT * FROM customer_profit ORDER BY customer_id');
    expect(rows.map((x) => x.customer_id)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = rows;
    // a: gross 50 + 30; discounts 5 (order) + 1 (line); returns 10 less the returned fifth of o1's order
    // discount = 9 (the refund is what was paid); COGS (5 − 1)·4 + 2·10 = 36; campaign 0.5.
    expect(a!.gross_sales).toBe(80);
    expect(a!.net_revenue).toBe(65);
    expect(a!.discounts).toBe(6);
    expect(a!.returns).toBe(9);
    expect(a!.cogs).toBe(36);
    expect(a!.profit).toBeCloseTo(80 - 6 - 9 - 36 - 0.5, 10);
    // b: no lines → gross sales = total + discount = 22, discount 2, two contacts × 12; the cancelled order is ignored.
    expect(b!.gross_sales).toBe(22);
    expect(b!.net_revenue).toBe(20);
    expect(b!.profit).toBeCloseTo(22 - 2 - 24, 10);
    expect(b!.service_cost).toBe(24);
    // c never bought: a loss-maker of −0.5, kept in the table.
    expect(c!.profit).toBeCloseTo(-0.5, 10);
    expect(c!.orders).toBe(0);
    expect(r.pareto.negative.customers).toBe(2);
    expect(r.bottom[0]!.customerId).toBe('b');
    expect(r.warnings).toEqual([]);
  });

  it('dates the moment a customer became profitable (cumulative margin above 0 from then on)', async () => {
    await customerProfit(engine, { asOf: '2024-12-31', serviceContactCost: 12 });
    const rows = await engine.query(
      'SELECT customer_id, profitable_since FROM customer_profit ORDER BY customer_id',
    );
    // a: −0.5 on Jan 1 (campaign), +24.5 on Jan 10 → profitable since Jan 10. b ends negative → NULL.
    expect(rows[0]!.profitable_since).toBe('2024-01-10');
    expect(rows[1]!.profitable_since).toBeNull();
    expect(rows[2]!.profitable_since).toBeNull();
  });

  it('break-even: per acquisition quarter and per RFM segment, the share profitable and the days it took', async () => {
    const cost = { perServiceContact: 12 };
    const q = await breakEven(engine, { asOf: '2024-12-31', by: 'cohort', cost });
    // a (first order 2024-01-10) is profitable from that day; b (2024-02-01) never; c bought nothing.
    expect(q.rows).toEqual([
      {
        group: '2024-Q1',
        customers: 2,
        profitable: 1,
        profitableShare: 0.5,
        daysToProfit: { p25: 0, median: 0, p75: 0 },
        profitableAtFirstOrder: 0.5,
        profitPerCustomer: expect.closeTo((80 - 6 - 9 - 36 - 0.5 + (22 - 2 - 24)) / 2, 6),
      },
    ]);
    const none = await breakEven(engine, { asOf: '2024-12-31', by: 'segment', cost });
    expect(none.warnings[0]).toMatch(/run clientele rfm/);
    await engine.exec(
      `CREATE TABLE customer_rfm AS SELECT * FROM (VALUES ('a', 'Champions'), ('b', 'At risk')) t(customer_id, rfm_segment)`,
    );
    try {
      const s = await breakEven(engine, { asOf: '2024-12-31', by: 'segment', cost });
      expect(s.rows.map((r) => [r.group, r.customers, r.profitable])).toEqual([
        ['At risk', 1, 0],
        ['Champions', 1, 1],
      ]);
    } finally {
      await engine.exec('DROP TABLE customer_rfm');
    }
  });

  it('respects asOf', async () => {
    const r = await customerProfit(engine, { asOf: '2024-01-31' });
    expect(r.totals.grossSales).toBe(50);
  });
});

describe('paretoCurve', () => {
  it('gives the profit share of the top customers, above 100 % when the tail loses money', () => {
    const s = paretoCurve(Float64Array.from([50, 30, 10, 10, -20]), [0.2, 0.6, 1]);
    expect(s.totalProfit).toBe(80);
    expect(s.points[0]).toEqual({ customerShare: 0.2, customers: 1, profitShare: 50 / 80 });
    expect(s.points[1]!.profitShare).toBeCloseTo(90 / 80, 12);
    expect(s.points[2]!.profitShare).toBeCloseTo(1, 12);
    expect(s.peak).toEqual({ customerShare: 0.8, profitShare: 100 / 80 });
    expect(s.negative).toEqual({ customers: 1, profit: -20 });
  });
});

describe('returns of discounted lines', () => {
  it('refunds what the customer paid, so a fully returned discounted line nets to zero before cost to serve', async () => {
    const e = await DuckDbEngine.open(':memory:');
    try {
      await migrate(e);
      await e.exec(`
        INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p1', 60, 't', 0);
        INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
          ('o1', 'r', '2024-01-10', 80, 0, 'returned', 't', 0);
        INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
          ('o1', 1, 'p1', 1, 100, 20, 1, 't', 0);`);
      await customerProfit(e, { asOf: '2024-12-31', serviceContactCost: 0 });
      const [r] = await e.query('SELECT * FROM customer_profit');
      // Paid 80, refunded 80: gross 100 − discount 20 − returns (100 − 20) − COGS 0 = 0 (was −20).
      expect(r!.returns).toBe(80);
      expect(r!.profit).toBeCloseTo(0, 10);
    } finally {
      await e.close();
    }
  });
});

describe('order and line discounts', () => {
  it('counts a discount once when the order repeats its lines’ discounts (the demo and Magento convention)', async () => {
    const e = await DuckDbEngine.open(':memory:');
    try {
      await migrate(e);
      await e.exec(`
        INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p1', 10, 't', 0);
        INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
          ('o1', 'r', '2024-01-10', 85, 15, 'completed', 't', 0), ('o2', 'r', '2024-02-10', 45, 5, 'completed', 't', 0);
        INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id) VALUES
          ('o1', 1, 'p1', 1, 50, 10, 't', 0), ('o1', 2, 'p1', 1, 50, 5, 't', 0), ('o2', 1, 'p1', 1, 50, 2, 't', 0);`);
      await customerProfit(e, { asOf: '2024-12-31', serviceContactCost: 0 });
      const [r] = await e.query('SELECT * FROM customer_profit');
      // o1: lines carry all 15 of the order's discount; o2: 2 on the line plus 3 more at order level.
      expect(r!.discounts).toBe(15 + 5);
      expect(r!.profit).toBeCloseTo(150 - 20 - 30, 10);
    } finally {
      await e.close();
    }
  });
});

describe('fully returned orders, rounding and the cost-to-serve model', () => {
  let e: DuckDbEngine;
  beforeAll(async () => {
    e = await DuckDbEngine.open(':memory:');
    await migrate(e);
    // r returned everything (with an order-level discount beyond the line's); n sells for 0.3 goods that cost
    // 0.1 + 0.2 (= 0.30000000000000004 in doubles: a −5.55e-17 "loss"); k is a buyer with a partial return.
    await e.exec(`
      INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p1', 30, 't', 0), ('p2', 0.1, 't', 0), ('p3', 0.2, 't', 0);
      INSERT INTO orders (order_id, customer_id, order_date, total, discount, status, source, load_id) VALUES
        ('r1', 'r', '2024-01-10', 0, 25, 'returned', 't', 0),
        ('n1', 'n', '2024-01-10', 0.3, 0, 'completed', 't', 0),
        ('k1', 'k', '2024-01-10', 100, 0, 'completed', 't', 0);
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
        ('r1', 1, 'p1', 3, 33.33, 20, 3, 't', 0),
        ('n1', 1, 'p2', 1, 0, 0, 0, 't', 0), ('n1', 2, 'p3', 1, 0.3, 0, 0, 't', 0),
        ('k1', 1, 'p1', 2, 50, 0, 1, 't', 0);`);
  });
  afterAll(async () => {
    await e.close();
  });

  it('gives a customer who returned everything a net revenue of exactly 0 and no margin ratio', async () => {
    await customerProfit(e, { asOf: '2024-12-31' });
    const [r] = await e.query("SELECT * FROM customer_profit WHERE customer_id = 'r'");
    expect(r!.net_revenue).toBe(0);
    expect(r!.profit).toBe(0);
    expect(r!.margin_ratio).toBeNull();
  });

  it('does not count a loss under one cent as a loss', async () => {
    const result = await customerProfit(e, { asOf: '2024-12-31' });
    const [n] = await e.query("SELECT profit FROM customer_profit WHERE customer_id = 'n'");
    expect(Math.abs(n!.profit as number)).toBe(0);
    expect(result.pareto.negative.customers).toBe(0);
  });

  it('charges the cost-to-serve model: per order, shipping per order, per return and per contact', async () => {
    const base = await customerProfit(e, { asOf: '2024-12-31' });
    const costed = await customerProfit(e, {
      asOf: '2024-12-31',
      cost: { perOrder: 1.5, shippingPerOrder: 4, perReturn: 7 },
    });
    expect(base.cost).toEqual({
      perOrder: 0,
      shippingPerOrder: 0,
      perReturn: 0,
      perServiceContact: 0,
      campaignCostEvent: 'sent',
    });
    // Three orders × (1.5 + 4), two of them with a return × 7.
    expect(costed.totals.fulfilmentCost).toBe(3 * 5.5 + 2 * 7);
    expect(costed.totals.profit).toBeCloseTo(base.totals.profit - 30.5, 9);
    expect(costed.totals.netRevenue).toBe(base.totals.netRevenue);
    await expect(customerProfit(e, { asOf: '2024-12-31', cost: { perOrder: -1 } })).rejects.toThrow(
      /cost\.perOrder: expected a number ≥ 0/,
    );
  });
});
