import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { featureParams, featuresSql } from '../features/index.js';
import { trainModel } from './index.js';
import { buildTrainingSet } from './training-set.js';

let engine: DuckDbEngine;
beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
});
afterEach(async () => {
  await engine.close();
});

const CUTOFF = '2025-09-30';

describe('training sets', () => {
  it('reads no data after the cutoff: features equal those of a datamart with the future deleted', async () => {
    const built = await buildTrainingSet(engine, {
      cutoffs: [CUTOFF],
      label: { kind: 'churn', horizonDays: 90 },
    });
    expect(built.rows).toBeGreaterThan(50);
    const fromSet = await engine.query(
      `SELECT * EXCLUDE (label, cutoff) FROM training_set ORDER BY customer_id`,
    );
    // Change the future drastically: a burst of large orders after the cutoff for every customer.
    await engine.exec(`
      INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
      SELECT 'F' || i, 'C' || lpad((1 + i % 200)::VARCHAR, 4, '0'), DATE '2025-10-01' + CAST(i % 30 AS INTEGER), 'web', 999, 'future', 2
      FROM range(1, 401) t(i);
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id)
      SELECT 'F' || i, 1, 'P1', 5, 999, 0, 'future', 2 FROM range(1, 401) t(i);`);
    const again = await buildTrainingSet(engine, {
      cutoffs: [CUTOFF],
      label: { kind: 'churn', horizonDays: 90 },
    });
    const withFuture = await engine.query(
      `SELECT * EXCLUDE (label, cutoff) FROM training_set ORDER BY customer_id`,
    );
    expect(withFuture).toEqual(fromSet);
    // …while the label, which is about the future, did change: nobody churns when everyone buys.
    expect(again.positives).toBe(0);
    expect(built.positives).toBeGreaterThan(0);
    // And the features are exactly the feature view as of the cutoff on a datamart without any later data.
    await engine.exec(`DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM orders WHERE order_date > DATE '${CUTOFF}');
      DELETE FROM orders WHERE order_date > DATE '${CUTOFF}';`);
    const params = await featureParams(engine, CUTOFF);
    const pit = await engine.query(featuresSql(engine.dialect, params));
    const pitBuyers = pit
      .filter((r) => r.last_order !== null)
      .sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));
    expect(withFuture).toEqual(pitBuyers);
  });

  it('labels non-contractual churn from the window after each cutoff and stacks cutoffs', async () => {
    const r = await buildTrainingSet(engine, {
      cutoffs: ['2025-06-30', '2025-12-31'],
      label: { kind: 'churn', horizonDays: 60 },
    });
    expect(r.perCutoff.map((c) => c.cutoff)).toEqual(['2025-06-30', '2025-12-31']);
    // Check one label by hand: churned = no completed order in (cutoff, cutoff + 60 days].
    const check = await engine.query<{ customer_id: string; label: number; later: number }>(`
      SELECT t.customer_id, t.label, (SELECT count(*) FROM orders o WHERE o.customer_id = t.customer_id
        AND o.order_date > DATE '2025-06-30' AND o.order_date <= DATE '2025-06-30' + 60) AS later
      FROM training_set t WHERE t.cutoff = DATE '2025-06-30'`);
    for (const row of check) expect(row.label).toBe(Number(row.later) === 0 ? 1 : 0);
  });

  it('labels category propensity and trains a model on the stacked set', async () => {
    const r = await buildTrainingSet(engine, {
      cutoffs: ['2025-03-31', '2025-06-30', '2025-09-30'],
      label: { kind: 'category', category: 'Home', horizonDays: 90 },
      table: 'home_set',
    });
    expect(r.positives).toBeGreaterThan(0);
    expect(r.positives).toBeLessThan(r.rows);
    const t = await trainModel(engine, {
      table: 'home_set',
      target: 'label',
      exclude: r.nonFeatures.filter((c) => c !== 'label' && c !== 'customer_id'),
      idColumn: 'customer_id',
      folds: 3,
      params: { model: 'logistic' },
    });
    expect(t.data.features).not.toContain('cutoff');
    expect(t.data.features).toContain('recency_days');
    expect(t.evaluation?.perFold).toHaveLength(3);
  });

  it('labels campaign response within --horizon days of the first send, by timestamp', async () => {
    // Sends after the cutoff at 10:00; conversions 3 days later (in), 10 days minus a minute (in), exactly 10
    // days (out: the window is [sent, sent + 10 days)) and 20 days later (out); one send with no conversion.
    await engine.exec(`INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
      ('K1', 'C0001', 'sent', TIMESTAMP '2025-10-05 10:00:00', 't', 9),
      ('K1', 'C0001', 'conversion', TIMESTAMP '2025-10-08 10:00:00', 't', 9),
      ('K1', 'C0002', 'sent', TIMESTAMP '2025-10-05 10:00:00', 't', 9),
      ('K1', 'C0002', 'conversion', TIMESTAMP '2025-10-15 09:59:00', 't', 9),
      ('K1', 'C0003', 'sent', TIMESTAMP '2025-10-05 10:00:00', 't', 9),
      ('K1', 'C0003', 'conversion', TIMESTAMP '2025-10-15 10:00:00', 't', 9),
      ('K1', 'C0004', 'sent', TIMESTAMP '2025-10-05 10:00:00', 't', 9),
      ('K1', 'C0004', 'conversion', TIMESTAMP '2025-10-25 10:00:00', 't', 9),
      ('K1', 'C0005', 'sent', TIMESTAMP '2025-10-06 10:00:00', 't', 9)`);
    const built = await buildTrainingSet(engine, {
      cutoffs: [CUTOFF],
      label: { kind: 'response', windowDays: 10, sendWindowDays: 30 },
    });
    expect(built.rows).toBe(5);
    const rows = await engine.query<{ customer_id: string; label: number }>(
      'SELECT customer_id, label FROM training_set ORDER BY customer_id',
    );
    expect(rows.map((r) => [r.customer_id, Number(r.label)])).toEqual([
      ['C0001', 1],
      ['C0002', 1],
      ['C0003', 0],
      ['C0004', 0],
      ['C0005', 0],
    ]);
  });
});
