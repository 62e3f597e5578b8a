/**
 * Golden: Olist Brazilian e-commerce order reviews, first 6,123 rows (../shared/data/olist-reviews-sample/
 * README.md; Portuguese, 1–5 stars; CC BY-NC-SA 4.0, test data only). Acceptance of issue 16:
 * - the lexicon sentiment, computed without the stars, separates 4–5 from 1–2 star reviews with AUC ≥ 0.85;
 * - with `trainOn: 'review_score'` the n-gram logistic regression reaches 5-fold cross-validated AUC ≥ 0.93.
 * Only reviews with a title or comment are used (2,445 of them outside 3 stars); 3-star reviews sit between
 * the thresholds and are left out of both AUCs. The sample has no published model result: the thresholds
 * are the issue's. The Portuguese lexicon was written from general vocabulary, not read off these reviews.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auc } from '../../../src/analytics/predict/index.js';
import { analyzeTable } from '../../../src/analytics/texts/index.js';
import { DuckDbEngine } from '../../../src/store/index.js';

const FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'olist-reviews-sample',
  'olist_order_reviews_head6123.csv.gz',
);
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await engine.exec(
    `CREATE TABLE olist AS SELECT * FROM read_csv('${FILE}', header = true, quote = '"', escape = '"')
     WHERE coalesce(review_comment_title, '') <> '' OR coalesce(review_comment_message, '') <> ''`,
  );
});
afterAll(async () => {
  await engine.close();
});

async function starsAndSentiment(table: string): Promise<{ y: number[]; s: number[]; lexicon: number[] }> {
  const rows = await engine.query<{ review_score: number; sentiment: number; lexicon_sentiment: number }>(
    `SELECT o.review_score, t.sentiment, t.lexicon_sentiment FROM olist o JOIN ${table} t USING (review_id)
     WHERE o.review_score <> 3 ORDER BY review_id`,
  );
  return {
    y: rows.map((r) => (Number(r.review_score) >= 4 ? 1 : 0)),
    s: rows.map((r) => r.sentiment),
    lexicon: rows.map((r) => r.lexicon_sentiment),
  };
}

describe('Olist reviews (Portuguese, 1–5 stars)', () => {
  it('reads the reviews as Portuguese and separates 4–5 from 1–2 stars by lexicon sentiment: AUC ≥ 0.85', async () => {
    const r = await analyzeTable(engine, {
      table: 'olist',
      textColumns: ['review_comment_title', 'review_comment_message'],
      idColumn: 'review_id',
      toTable: 'olist_lexicon',
    });
    expect(r.rows).toBeGreaterThan(2500);
    expect(r.languages[0]?.language).toBe('pt');
    expect(r.languages[0]?.texts ?? 0).toBeGreaterThan(0.9 * r.rows);
    const { y, s } = await starsAndSentiment('olist_lexicon');
    expect(y.length).toBeGreaterThan(2400);
    const a = auc(y, s);
    expect(a).toBeGreaterThanOrEqual(0.85);
    // Keyword topics: delivery is what Olist reviewers write about most.
    expect(r.keywordTopics.find((t) => t.topic === 'delivery')?.texts ?? 0).toBeGreaterThan(1000);
  });

  it('learns from review_score: 5-fold cross-validated AUC ≥ 0.93, above the lexicon baseline', async () => {
    const r = await analyzeTable(engine, {
      table: 'olist',
      textColumns: ['review_comment_title', 'review_comment_message'],
      idColumn: 'review_id',
      toTable: 'olist_trained',
      trainOn: 'review_score',
      clusters: 0,
    });
    const v = r.validation;
    expect(v).not.toBeNull();
    expect(v?.rule).toEqual({ column: 'review_score', positiveAtLeast: 4, negativeAtMost: 2 });
    expect(v?.folds).toBe(5);
    expect(v?.rows ?? 0).toBeGreaterThan(2400);
    expect(v?.auc ?? 0).toBeGreaterThanOrEqual(0.93);
    expect(v?.auc ?? 0).toBeGreaterThan(v?.lexiconAuc ?? 1);
    expect(v?.perLanguage[0]?.language).toBe('pt');
    // The stored model round-trips through JSON.
    expect(JSON.parse(JSON.stringify(r.model))).toEqual(r.model);
  });
});
