import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { InputError } from '../../errors.js';
import { DuckDbEngine } from '../../store/index.js';
import { clusterCustomers } from '../clusters/index.js';
import { buildFeatures } from '../features/index.js';
import { storeScores } from '../predict/index.js';
import { countSegment, segmentColumns } from './index.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-30' });
  // A stored churn run: a score per buyer spread over 0–1 by position.
  const buyers = await engine.query<{ customer_id: string }>(
    'SELECT customer_id FROM customer_features WHERE last_order IS NOT NULL ORDER BY customer_id',
  );
  await storeScores(
    engine,
    'churn_risk',
    '2026-06-30',
    buyers.map((b, i) => ({ customerId: b.customer_id, score: (i + 0.5) / buyers.length, margin: 0 })),
  );
});
afterAll(async () => {
  await engine.close();
});

describe('segment expressions on stored model scores', () => {
  it('lists churn_risk as a number column and counts churn_risk > 0.7 and country = NL', async () => {
    const columns = await segmentColumns(engine);
    expect(columns.get('churn_risk')).toEqual({ name: 'churn_risk', kind: 'number', source: 'scores' });
    const r = await countSegment(engine, "churn_risk > 0.7 and country = 'NL'");
    const [expected] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM customer_features f JOIN customer_scores s ON s.customer_id = f.customer_id
       WHERE s.churn_risk > 0.7 AND f.country = 'NL'`,
    );
    expect(expected?.n).toBeGreaterThan(0);
    expect(r.count).toBe(expected?.n);
    const high = await countSegment(engine, 'churn_risk > 0.7');
    expect(high.count).toBeGreaterThan(r.count);
    // Customers without a score (prospects) are simply not matched.
    const [scored] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM customer_scores');
    expect((await countSegment(engine, 'churn_risk >= 0')).count).toBe(scored?.n);
  });

  it('still rejects a misspelt score column, suggesting the right one', async () => {
    const error = await countSegment(engine, 'churn_riks > 0.7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(JSON.stringify((error as InputError).details)).toMatch(/churn_risk/);
  });
});

describe('segment expressions on saved clusters', () => {
  it('counts cluster_name = "…" and cluster = N once `clientele cluster` saved customer_clusters', async () => {
    expect((await segmentColumns(engine)).has('cluster_name')).toBe(false);
    await clusterCustomers(engine, { features: ['orders', 'revenue'], k: 3, seed: 1 }, { save: true });
    const columns = await segmentColumns(engine);
    expect(columns.get('cluster_name')).toEqual({ name: 'cluster_name', kind: 'text', source: 'clusters' });
    const [first] = await engine.query<{ name: string; cluster: number; n: number }>(
      `SELECT cluster_name AS name, min(cluster) AS cluster, count(*) AS n FROM customer_clusters
       GROUP BY cluster_name ORDER BY n DESC LIMIT 1`,
    );
    expect(first!.n).toBeGreaterThan(0);
    const byName = await countSegment(engine, `cluster_name = '${first!.name.replaceAll("'", "''")}'`);
    expect(byName.count).toBe(first!.n);
    const byNumber = await countSegment(engine, `cluster = ${first!.cluster} and country = 'NL'`);
    const [expected] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM customer_features f JOIN customer_clusters c ON c.customer_id = f.customer_id
       WHERE c.cluster = ${first!.cluster} AND f.country = 'NL'`,
    );
    expect(byNumber.count).toBe(expected!.n);
    // A name that is not a cluster is an error that lists the real names.
    const error = await countSegment(engine, "cluster_name = 'no such cluster'").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(JSON.stringify((error as InputError).details)).toContain(first!.name);
  });
});

describe('segment expressions on CLV scores', () => {
  it('counts clv_tier and clv from the latest CLV run, with the unknown-tier warning', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE customer_clv AS
      SELECT customer_id, (row_number() OVER (ORDER BY customer_id)) * 1.5 - 20 AS clv,
        CASE WHEN row_number() OVER (ORDER BY customer_id) <= 20 THEN 'gold' ELSE 'standard' END AS clv_tier,
        0.5 AS p_alive, 1.0 AS clv_expected_purchases
      FROM customer_features WHERE last_order IS NOT NULL`);
    const columns = await segmentColumns(engine);
    expect(columns.get('clv_tier')).toEqual({ name: 'clv_tier', kind: 'text', source: 'clv' });
    expect((await countSegment(engine, "clv_tier = 'gold'")).count).toBe(20);
    expect((await countSegment(engine, 'clv < 0')).count).toBe(13);
    const typo = await countSegment(engine, "clv_tier = 'Gold'");
    expect(typo.count).toBe(0);
    expect(typo.unknownValues[0]).toMatchObject({
      column: 'clv_tier',
      values: ['Gold'],
      known: ['gold', 'standard'],
    });
  });
});
