import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShop } from '../../../test/support/tiny-shop.js';
import { type DuckDbEngine, sql } from '../../store/index.js';
import { featuresSql } from '../features/index.js';
import { analyzeTable, checkModel, customerVoice, parseParams, voiceOfCustomer } from './index.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await openShop();
  // c1 writes a negative English review on 2024-07-01, c2 a positive Dutch one on 2024-06-01.
  await engine.exec('DELETE FROM customer_texts');
  await engine.exec(`INSERT INTO customer_texts (text_id, customer_id, kind, text_time, rating, body, source, load_id) VALUES
    ('t9', 'c1', 'review', TIMESTAMP '2024-07-01 00:00:00', 1, 'Very bad, it broke.', 'test', 1),
    ('t10', 'c2', 'review', TIMESTAMP '2024-06-01 00:00:00', 5, 'Heel tevreden, snel geleverd!', 'test', 1)`);
});
afterAll(async () => {
  await engine.close();
});

describe('texts analyze on the datamart', () => {
  it('feeds sentiment into the feature view: sentiment_mean_365d, negative_texts_365d, days_since_negative_text', async () => {
    const r = await analyzeTable(engine, { clusters: 0 });
    expect(r.rows).toBe(2);
    const rows = await engine.query<{
      customer_id: string;
      sentiment_mean_365d: number | null;
      negative_texts_365d: number;
      days_since_negative_text: number | null;
    }>(
      sql`SELECT customer_id, sentiment_mean_365d, negative_texts_365d, days_since_negative_text
        FROM (${featuresSql(engine.dialect, { asOf: '2024-07-31', categories: [], channels: [] })}) f
        WHERE customer_id IN ('c1', 'c2') ORDER BY customer_id`,
    );
    expect(rows[0]?.customer_id).toBe('c1');
    expect(rows[0]?.sentiment_mean_365d ?? 0).toBeLessThan(0);
    expect(rows[0]?.negative_texts_365d).toBe(1);
    expect(rows[0]?.days_since_negative_text).toBe(30);
    expect(rows[1]?.sentiment_mean_365d ?? 0).toBeGreaterThan(0);
    expect(rows[1]?.negative_texts_365d).toBe(0);
    expect(rows[1]?.days_since_negative_text).toBeNull();
  });

  it('reuses a saved model: same scores, and refuses another module’s model', async () => {
    const first = await analyzeTable(engine, { clusters: 0 });
    const again = await analyzeTable(engine, { model: JSON.parse(JSON.stringify(first.model)) });
    expect(again.languages).toEqual(first.languages);
    expect(() => checkModel({ module: 'rfm' })).toThrow(/Expected a texts model/);
  });

  it('summarises the voice of the customer and alerts on a valuable customer who just wrote something negative', async () => {
    await analyzeTable(engine, { clusters: 0 });
    const v = await voiceOfCustomer(engine, { asOf: '2024-07-31', alertDays: 31, valuablePercentile: 0.5 });
    expect(v).toMatchObject({ texts: 2, analysed: 2, segmentSource: 'all' });
    expect(v.monthly.map((m) => [m.month, m.language, m.texts])).toEqual([
      ['2024-06', 'nl', 1],
      ['2024-07', 'en', 1],
    ]);
    expect(v.keywordTopics.find((t) => t.topic === 'quality')?.examples[0]?.textId).toBe('t9');
    expect(v.keywordTopics.find((t) => t.topic === 'delivery')?.shareNegative).toBe(0);
    expect(v.segments).toEqual([expect.objectContaining({ segment: 'all', customers: 2, texts: 2 })]);
    expect(v.alerts.map((a) => [a.customerId, a.textId])).toEqual([['c1', 't9']]);
    expect(v.segments[0]?.topTopics).toEqual(['delivery', 'quality']);
    const c1 = await customerVoice(engine, 'c1', '2024-07-31');
    expect(c1).toMatchObject({ texts: 1, shareNegative: 1, topTopics: [{ topic: 'quality', texts: 1 }] });
    expect(c1.meanSentiment ?? 0).toBeLessThan(0);
    expect((await customerVoice(engine, 'nobody')).texts).toBe(0);
    // Outside the alert window, or not valuable enough: no alert.
    expect((await voiceOfCustomer(engine, { asOf: '2024-07-31', alertDays: 10 })).alerts).toEqual([]);
    expect((await voiceOfCustomer(engine, { asOf: '2024-06-30' })).texts).toBe(1);
  });

  it('reports every bad setting at once', () => {
    expect(() => parseParams({ table: 'x; drop', folds: 1, language: 'xx' })).toThrow(
      /table[\s\S]*language[\s\S]*folds/,
    );
    expect(() =>
      parseParams({ table: 'reviews', textColumns: ['body'], idColumn: 'id', toTable: 'text_sentiment' }),
    ).toThrow(/text_sentiment holds the results for customer_texts/);
  });
});
