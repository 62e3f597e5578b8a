import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { backtestModel } from './index.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
});
afterAll(async () => {
  await engine.close();
});

const options = {
  cutoff: '2026-02-01',
  label: { kind: 'churn' as const, horizonDays: 90 },
  params: { model: 'logistic', seed: 5 },
};

describe('out-of-time backtest', () => {
  it('trains one window before the cutoff and judges the model on the window after it', async () => {
    const b = await backtestModel(engine, options);
    expect(b.trainCutoff).toBe('2025-11-03');
    expect(b.model.data.asOf).toBe('2025-11-03');
    expect(b.train.rows).toBeGreaterThan(50);
    expect(b.test.rows).toBeGreaterThan(50);
    expect(b.test.positives).toBeGreaterThan(0);
    expect(b.metrics.auc).toBeGreaterThanOrEqual(0);
    expect(b.metrics.auc).toBeLessThanOrEqual(1);
    expect(b.baseline.feature).not.toBe('');
    expect(b.aucGain).toBeCloseTo(b.metrics.auc - b.baseline.auc, 12);
    expect(b.lift).toHaveLength(10);
  });

  it('leaks nothing: orders after the cutoff change the test labels, never the trained model', async () => {
    const before = await backtestModel(engine, options);
    // Forty customers who had churned come back after the cutoff: the test window's labels change.
    await engine.exec(`
      INSERT INTO orders (order_id, customer_id, order_date, channel, source, load_id)
      SELECT 'LATE' || customer_id, customer_id, DATE '2026-02-15', 'web', 'seed', 1
      FROM (SELECT DISTINCT customer_id FROM orders WHERE order_date <= DATE '2026-02-01' ORDER BY 1 LIMIT 40) c;
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id)
      SELECT order_id, 1, 'P1', 5, 99, 0, 'seed', 1 FROM orders WHERE order_id LIKE 'LATE%';`);
    const after = await backtestModel(engine, options);
    // Equal to 10 significant digits: the engine may hand the same rows over in another order, which moves
    // the last bits of a sum; a leak would move whole coefficients.
    const rounded = (m: typeof before.model) =>
      JSON.stringify(m.state, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v));
    expect(rounded(after.model)).toBe(rounded(before.model));
    expect(after.train).toEqual(before.train);
    expect(after.test.positives).not.toBe(before.test.positives);
  });
});
