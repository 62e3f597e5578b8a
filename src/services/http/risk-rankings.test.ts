import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { loadTable, saveModel, scoreLoaded, trainModel } from '../../analytics/predict/index.js';
import { DuckDbEngine, sql } from '../../store/index.js';
import { trainJson } from '../cli/commands/predict.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';
import { warmRiskRankings } from './routes/risk.js';

/**
 * Issue 18: the Risk page's ranking is computed once (when the server starts, or on the first visit) and kept
 * in the datamart, so a later server finds it; the list equals ranking every buyer by the model's score.
 */
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await engine.exec(`CREATE TABLE churn_train AS
    SELECT customer_id, as_of, recency_days, orders, revenue, CASE WHEN recency_days > 120 THEN 1 ELSE 0 END AS label
    FROM customer_features WHERE last_order IS NOT NULL`);
  const trained = await trainModel(engine, {
    table: 'churn_train',
    target: 'label',
    idColumn: 'customer_id',
    folds: 3,
    name: 'churn_risk',
    params: { seed: 1, gbdt: { trees: 20, maxLeaves: 4, minSamplesLeaf: 5 } },
  });
  await saveModel(engine, trained.model, trainJson(trained));
});
afterAll(async () => {
  await engine.close();
});

describe('precomputed risk rankings', () => {
  it('are computed at start, stored, and serve the same list as scoring every buyer', async () => {
    expect(await warmRiskRankings(engine)).toBe(1);
    const [stored] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM risk_rankings WHERE model_id = 'churn_risk'`,
    );
    expect(Number(stored?.n)).toBe(1);

    const { app } = await createApp(engine, { log: () => undefined });
    const token = (await createToken(engine, 'analyst', 'analyst')).token;
    const res = await app.request('/api/predict/models/churn_risk/top?limit=10', {
      headers: { authorization: `Bearer ${token}` },
    });
    const top = (await res.json()) as { scored: number; rows: { customerId: string; score: number }[] };

    const { getModel } = await import('../../analytics/predict/index.js');
    const { model } = await getModel(engine, 'churn_risk');
    const buyers = await loadTable(engine, 'customer_features', {
      idColumn: 'customer_id',
      include: model.state.model.features.map((f) => f.name),
      where: sql`last_order IS NOT NULL`,
      keepConstant: true,
    });
    const all = scoreLoaded(model, buyers).rows.flatMap((r) =>
      r.score === null ? [] : [{ id: String(r.customerId), score: r.score }],
    );
    all.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(top.scored).toBe(all.length);
    expect(top.rows.map((r) => r.customerId)).toEqual(all.slice(0, 10).map((r) => r.id));
    for (const [i, r] of top.rows.entries()) expect(r.score).toBeCloseTo(all[i]!.score, 10);
  });

  it('a read of the top-risk list (names with their scores) is in the audit log (issue 19)', async () => {
    const { app } = await createApp(engine, { log: () => undefined });
    const token = (await createToken(engine, 'auditor-test', 'analyst')).token;
    const res = await app.request('/api/predict/models/churn_risk/top?limit=5', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const rows = await engine.query<{ name: string; target: string; details: string }>(
      `SELECT token_name AS name, target, CAST(details AS VARCHAR) AS details FROM audit_log WHERE action = 'personal.read'`,
    );
    const entry = rows.find((r) => r.name === 'auditor-test');
    expect(entry?.target).toBe('/api/predict/models/:id/top');
    expect(entry?.details).toContain('churn_risk');
  });

  it('are stored by `features build`, so a new server’s first visit reads them', async () => {
    await engine.exec('DELETE FROM risk_rankings');
    const { runCli } = await import('../cli/main.js');
    let stdout = '';
    const run = await runCli(
      ['features', 'build', '--as-of', '2026-06-25'],
      { stdout: (s) => (stdout += s), stderr: () => undefined },
      { engine },
    );
    expect(run.exitCode).toBe(0);
    expect(stdout).toContain('Risk rankings stored for 1 model.');
    const [stored] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM risk_rankings WHERE model_id = 'churn_risk'`,
    );
    expect(Number(stored?.n)).toBe(1);
  });
});
