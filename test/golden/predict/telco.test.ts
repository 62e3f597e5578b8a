/**
 * Golden: IBM Telco Customer Churn (7,043 customers), ../shared/data/telco-churn/README.md. There is no
 * canonical split; the README's sanity band is AUC ≈ 0.84 ± 0.01 for logistic regression and gradient
 * boosting (practitioner studies). Acceptance (issue 5): the best of our models reaches AUC ≥ 0.84 in 5-fold
 * stratified cross-validation with a fixed seed, through the CLI on a raw imported table. The same folds
 * run through scikit-learn and xgboost in bench/predict-reference.py (figures in bench/RESULTS.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../src/store/index.js';
import { runCliCaptured } from '../../../test/support/cli.js';

const FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'telco-churn',
  'Telco-Customer-Churn.csv',
);
const dir = mkdtempSync(join(tmpdir(), 'clientele-telco-'));
const db = join(dir, 'telco.duckdb');

const cli = (args: string[]) => runCliCaptured([...args, '--db', db, '--json']);

beforeAll(async () => {
  const engine = await DuckDbEngine.open(db);
  // Read as the CSV stands (Yes/No text, TotalCharges as text with 11 blanks), like a raw `import --as`.
  await engine.exec(`CREATE TABLE telco AS SELECT * FROM read_csv('${FILE}', all_varchar = true)`);
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Telco churn, 5-fold CV, seed 42', () => {
  it('logistic regression reaches AUC ≥ 0.84 and beats the one-feature baseline', async () => {
    const r = await cli([
      'predict',
      'train',
      '--table',
      'telco',
      '--target',
      'Churn',
      '--cv',
      '5',
      '--seed',
      '42',
      '--model',
      'logistic',
      '--name',
      'telco_lr',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = r.json as {
      auc: number;
      folds: { auc: number }[];
      positive: string;
      rows: number;
      positives: number;
      baseline: { auc: number };
      features: string[];
      skipped: { column: string }[];
    };
    expect(j.rows).toBe(7043);
    expect(j.positives).toBe(1869);
    expect(j.positive).toBe('Yes');
    expect(j.skipped.map((s) => s.column)).toEqual([]);
    expect(j.features).not.toContain('customerID');
    expect(j.features).toContain('TotalCharges');
    expect(j.folds).toHaveLength(5);
    expect(j.auc).toBeGreaterThanOrEqual(0.84);
    expect(j.auc).toBeLessThan(0.87);
    expect(j.baseline.auc).toBeLessThan(j.auc - 0.05);
  });

  it('gradient-boosted trees reach AUC ≥ 0.84', async () => {
    const params = JSON.stringify({ gbdt: { learningRate: 0.05, maxLeaves: 8, minSamplesLeaf: 40 } });
    const r = await cli([
      'predict',
      'train',
      '--table',
      'telco',
      '--target',
      'Churn',
      '--cv',
      '5',
      '--seed',
      '42',
      '--params',
      params,
      '--name',
      'telco_gbdt',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = r.json as { auc: number; model: string; trees: number; importance: { feature: string }[] };
    expect(j.model).toBe('gbdt');
    expect(j.auc).toBeGreaterThanOrEqual(0.84);
    expect(j.importance[0]?.feature).toBe('Contract');
  });

  it('scores every customer into the scores table and explains one in words', async () => {
    const s = await cli(['predict', 'score', '--model', 'telco_gbdt', '--as-of', '2020-06-25']);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ scored: 7043, unscored: 0, asOf: '2020-06-25' });
    const e = await cli([
      'predict',
      'explain',
      '--model',
      'telco_gbdt',
      '--customer',
      '7590-VHVEG',
      '--top',
      '3',
    ]);
    expect(e.exitCode, e.stderr).toBe(0);
    const c = (
      e.json.customers as {
        customerId: string;
        score: number;
        margin: number;
        baseline: number;
        reasons: { text: string; effect: number }[];
      }[]
    )[0];
    expect(c?.customerId).toBe('7590-VHVEG');
    expect(c?.reasons).toHaveLength(3);
    expect(c?.reasons[0]?.text).toMatch(/the score (slightly|moderately|strongly)\)$/);
    const engine = await DuckDbEngine.open(db);
    try {
      const rows = await engine.query<{ n: number; mean: number }>(
        `SELECT count(*) AS n, avg(telco_gbdt) AS mean FROM customer_scores`,
      );
      expect(rows[0]?.n).toBe(7043);
      expect(rows[0]?.mean).toBeGreaterThan(0.2);
      expect(rows[0]?.mean).toBeLessThan(0.33);
    } finally {
      await engine.close();
    }
  });

  it('scores inside the database with the compiled model, equal to the TypeScript scores', async () => {
    const s = await cli(['predict', 'score', '--model', 'telco_gbdt', '--as-of', '2020-06-26', '--sql']);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ scored: 7043, engine: 'sql' });
    const engine = await DuckDbEngine.open(db);
    try {
      const rows = await engine.query<{ n: number; maxdiff: number }>(
        `SELECT count(*) AS n, max(abs(a.score - b.score)) AS maxdiff FROM scores a JOIN scores b USING (model_id, customer_id)
         WHERE a.as_of = '2020-06-25' AND b.as_of = '2020-06-26'`,
      );
      expect(rows[0]?.n).toBe(7043);
      expect(rows[0]?.maxdiff).toBeLessThan(1e-9);
    } finally {
      await engine.close();
    }
  });
});
