import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { parseClvModel } from './model-file.js';
import { predictClv } from './predict.js';
import { loadCustomerSummary } from './summary-load.js';

let engine: DuckDbEngine;

// Three customers (a, b, c) over 2024; d buys only after the calibration end. Order o5 has no total, so its
// amount comes from its lines (2 × 10 − 1 = 19); o6 is cancelled and ignored.
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO products (sku, unit_cost, source, load_id) VALUES ('p1', 6, 't', 0), ('p2', 2, 't', 0);
    INSERT INTO orders (order_id, customer_id, order_date, total, status, source, load_id) VALUES
      ('o1', 'a', '2024-01-01', 10, 'completed', 't', 0),
      ('o2', 'a', '2024-01-01', 5, 'completed', 't', 0),
      ('o3', 'a', '2024-02-05', 30, 'completed', 't', 0),
      ('o4', 'a', '2024-03-04', 20, 'completed', 't', 0),
      ('o5', 'b', '2024-01-15', NULL, 'completed', 't', 0),
      ('o6', 'b', '2024-02-01', 99, 'cancelled', 't', 0),
      ('o7', 'c', '2024-02-01', 12, 'completed', 't', 0),
      ('o8', 'c', '2024-02-29', 14, 'completed', 't', 0),
      ('o9', 'd', '2024-05-01', 50, 'completed', 't', 0);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id) VALUES
      ('o5', 1, 'p1', 2, 10, 1, 't', 0), ('o3', 1, 'p2', 3, 10, 0, 't', 0);`);
});
afterAll(async () => {
  await engine.close();
});

describe('CLV summary SQL', () => {
  it('counts repeat purchase days, uses line amounts when the total is missing, skips cancelled orders', async () => {
    const s = await loadCustomerSummary(engine, {
      calibrationEnd: '2024-03-31',
      unit: 'day',
      holdoutEnd: '2024-06-30',
    });
    expect(s.customerId).toEqual(['a', 'b', 'c']);
    expect(Array.from(s.x)).toEqual([2, 0, 1]);
    expect(Array.from(s.tx)).toEqual([63, 0, 28]);
    expect(Array.from(s.T)).toEqual([90, 76, 59]);
    expect(s.meanSpend[0]).toBe(25);
    expect(s.meanSpend[1]).toBeNaN();
    expect(Array.from(s.xHoldout)).toEqual([0, 0, 0]);
  });

  it('expresses t_x and T in weeks when asked', async () => {
    const s = await loadCustomerSummary(engine, { calibrationEnd: '2024-03-31', unit: 'week' });
    expect(s.tx[0]).toBeCloseTo(9, 12);
    expect(s.T[1]).toBeCloseTo(76 / 7, 12);
  });
});

describe('predictClv', () => {
  it('writes clv_scores for every calibration customer with tiers, spend and margins', async () => {
    const purchaseModel = handMade('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    const r = await predictClv(engine, {
      purchaseModel,
      horizon: 52,
      tiers: { gold: 0.34, silver: 0.33, bronze: 0.33 },
    });
    expect(r.customers).toBe(3);
    const rows = await engine.query(`SELECT * FROM clv_scores ORDER BY clv DESC`);
    expect(rows.map((x) => x.customer_id)).toEqual(['a', 'c', 'b']);
    expect(rows.map((x) => x.tier)).toEqual(['gold', 'silver', 'bronze']);
    // Customer a: lines of o3 give margin 1 − 6/30 = 0.8; c has no lines: overall (49 − 18)/49.
    const a = rows.find((x) => x.customer_id === 'a')!;
    const c = rows.find((x) => x.customer_id === 'c')!;
    expect(a.margin_ratio).toBeCloseTo(0.8, 12);
    expect(c.margin_ratio).toBeCloseTo(31 / 49, 12);
    // Without a spend model the spend is the customer's mean repeat spend.
    expect(a.expected_spend).toBe(25);
    for (const row of rows) {
      expect(row.p_alive as number).toBeGreaterThanOrEqual(0);
      expect(row.p_alive as number).toBeLessThanOrEqual(1);
      expect(row.clv as number).toBeGreaterThanOrEqual(0);
    }
    // Scoring again replaces the rows of the same model id and date instead of adding to them.
    await predictClv(engine, { purchaseModel, horizon: 52 });
    const n = await engine.query(`SELECT count(*) AS n FROM clv_scores`);
    expect(n[0]!.n).toBe(3);
  });

  it('uses the Gamma-Gamma conditional spend when a spend model is given', async () => {
    const purchaseModel = handMade('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    const spendModel = handMade('gammagamma', { p: 6.25, q: 3.74, gamma: 15.44 });
    const r = await predictClv(engine, { purchaseModel, spendModel, horizon: 52, margin: 0.5 });
    expect(r.modelId).toBe('bgnbd+gammagamma');
    const rows = await engine.query(
      `SELECT * FROM clv_scores WHERE model_id = 'bgnbd+gammagamma' ORDER BY customer_id`,
    );
    // a: x = 2, mean 25 → 6.25 (15.44 + 50) / (12.5 + 2.74); b: x = 0 → 6.25 · 15.44 / 2.74.
    expect(rows[0]!.expected_spend).toBeCloseTo((6.25 * (15.44 + 50)) / (12.5 + 2.74), 10);
    expect(rows[1]!.expected_spend).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
    expect(rows[0]!.margin_ratio).toBe(0.5);
  });

  it('rejects a spend model in the purchase slot and a purchase model in the spend slot', async () => {
    const bg = handMade('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    const gg = handMade('gammagamma', { p: 6.25, q: 3.74, gamma: 15.44 });
    await expect(predictClv(engine, { purchaseModel: gg })).rejects.toThrow(/bgnbd or pareto/);
    await expect(predictClv(engine, { purchaseModel: bg, spendModel: bg })).rejects.toThrow(/gammagamma/);
  });

  it('refuses a model file of another module or format version', () => {
    expect(() => parseClvModel({ module: 'rfm' })).toThrow(/module "clv"/);
    const m = handMade('bgnbd', { r: 1, alpha: 1, a: 1, b: 1 });
    expect(() => parseClvModel({ ...m, formatVersion: 99 })).toThrow(/format version 99/);
  });
});

function handMade(model: 'bgnbd' | 'gammagamma', params: Record<string, number>) {
  return parseClvModel(
    JSON.parse(
      JSON.stringify({
        module: 'clv',
        formatVersion: 1,
        params: {
          model,
          calibrationEnd: '2024-03-31',
          holdoutEnd: null,
          unit: 'week',
          penalizer: 0,
          maxIterations: 1000,
          survivors: null,
          cohortStart: null,
        },
        state: {
          model,
          params,
          standardErrors: {},
          logLikelihood: 0,
          customers: 3,
          distinctRows: 3,
          evaluations: 0,
        },
        data: { asOf: '2024-03-31', rows: 3, fingerprint: 'x' },
        diagnostics: { converged: true, iterations: 0, warnings: [] },
      }),
    ),
  );
}

describe('margin ratio per customer', () => {
  it('refunds a returned line’s discount share, so returns cannot push net revenue to ~0 and the ratio to −1,000s', async () => {
    // The demo's C0004264: three fully returned discounted lines and one kept line (86.95 − 13.04, cost 29.39).
    const e = await DuckDbEngine.open(':memory:');
    try {
      await migrate(e);
      await e.exec(`
        INSERT INTO products (sku, unit_cost, source, load_id) VALUES
          ('mac', 65.25, 't', 0), ('mtr', 31.13, 't', 0), ('mja', 110.36, 't', 0), ('wdr', 29.39, 't', 0);
        INSERT INTO orders (order_id, customer_id, order_date, total, status, source, load_id) VALUES
          ('o1', 'r', '2024-01-10', 207.38, 'returned', 't', 0), ('o2', 'r', '2024-02-10', 198.82, 'completed', 't', 0),
          ('o3', 'z', '2024-01-20', 10, 'returned', 't', 0);
        INSERT INTO order_lines (order_id, line_no, sku, quantity, returned_quantity, unit_price, discount, source, load_id) VALUES
          ('o2', 1, 'mac', 1, 1, 146.95, 22.04, 't', 0), ('o1', 1, 'mtr', 1, 1, 68.49, 13.7, 't', 0),
          ('o1', 2, 'mja', 1, 1, 190.74, 38.15, 't', 0), ('o2', 2, 'wdr', 1, 0, 86.95, 13.04, 't', 0),
          ('o3', 1, 'wdr', 1, 1, 10, 1, 't', 0);`);
      const purchaseModel = handMade('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
      await predictClv(e, { purchaseModel, horizon: 52 });
      const rows = await e.query<{ customer_id: string; margin_ratio: number }>(
        'SELECT customer_id, margin_ratio FROM clv_scores ORDER BY customer_id',
      );
      // r keeps one line: (73.91 − 29.39) / 73.91. z returned everything: no own ratio, the overall one applies.
      expect(rows[0]!.margin_ratio).toBeCloseTo((73.91 - 29.39) / 73.91, 9);
      expect(rows[1]!.margin_ratio).toBeCloseTo(rows[0]!.margin_ratio, 9);
    } finally {
      await e.close();
    }
  });
});
