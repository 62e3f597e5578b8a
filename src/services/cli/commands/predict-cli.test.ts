import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../../test/support/cli.js';
import { seedShop } from '../../../../test/support/shop.js';
import { buildFeatures } from '../../../analytics/features/index.js';
import { DuckDbEngine, verifyAudit } from '../../../store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-predict-cli-'));
const db = join(dir, 'shop.duckdb');

const cli = (args: string[]) => runCliCaptured([...args, '--db', db, '--json']);

beforeAll(async () => {
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-30' });
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clientele predict dataset / train / lookalike --json', () => {
  it('builds a churn training set, trains on it and reports fold metrics against the baseline', async () => {
    const d = await cli([
      'predict',
      'dataset',
      '--cutoffs',
      '2025-06-30,2025-09-30',
      '--label',
      'churn',
      '--horizon',
      '60',
    ]);
    expect(d.exitCode, d.stderr).toBe(0);
    expect(d.json).toMatchObject({ table: 'training_set' });
    expect((d.json.perCutoff as unknown[]).length).toBe(2);
    const exclude = (d.json.nonFeatures as string[])
      .filter((c) => c !== 'label' && c !== 'customer_id')
      .join(',');
    const t = await cli([
      'predict',
      'train',
      '--table',
      'training_set',
      '--target',
      'label',
      '--exclude',
      exclude,
      '--id',
      'customer_id',
      '--cv',
      '3',
      '--model',
      'logistic',
      '--name',
      'churn_risk',
    ]);
    expect(t.exitCode, t.stderr).toBe(0);
    expect(t.json.modelId).toBe('churn_risk');
    expect(
      (t.json.folds as { auc: number; baselineAuc: number }[]).every((f) => f.auc >= 0 && f.baselineAuc >= 0),
    ).toBe(true);
    expect(t.json).toHaveProperty('baseline.feature');
    const list = await cli(['predict', 'list']);
    expect((list.json.models as { id: string }[]).map((m) => m.id)).toContain('churn_risk');

    // Explaining customers' scores names them: the read is in the audit log (issue 19), and the chain holds.
    const e = await cli([
      'predict',
      'explain',
      '--model',
      'churn_risk',
      '--table',
      'training_set',
      '--top',
      '2',
    ]);
    expect(e.exitCode, e.stderr).toBe(0);
    expect((e.json.customers as unknown[]).length).toBeGreaterThan(0);
    const engine = await DuckDbEngine.open(db);
    try {
      const rows = await engine.query<{ target: string; details: string; name: string }>(
        `SELECT target, CAST(details AS VARCHAR) AS details, token_name AS name FROM audit_log WHERE action = 'personal.read'`,
      );
      expect(rows.map((r) => r.target)).toContain('predict explain');
      expect(rows.find((r) => r.target === 'predict explain')?.details).toContain('churn_risk');
      expect(rows.find((r) => r.target === 'predict explain')?.name).toMatch(/^cli/);
      expect((await verifyAudit(engine)).ok).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('rejects an unknown subcommand and a missing table with exit code 2', async () => {
    expect((await cli(['predict', 'fly'])).exitCode).toBe(2);
    const r = await cli(['predict', 'train', '--table', 'nope', '--target', 'x']);
    expect(r.exitCode).toBe(2);
    expect(JSON.stringify(r.json)).toMatch(/nope/);
  });

  it('finds lookalikes of a seed segment with bands and drivers', async () => {
    const r = await cli(['lookalike', '--seed', 'orders >= 7', '--target', 'orders >= 1', '--top', '5']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ method: 'classifier', seedSize: 120, populationSize: 60 });
    expect((r.json.rows as unknown[]).length).toBe(5);
    expect((r.json.bands as { customers: number }[]).reduce((a, b) => a + b.customers, 0)).toBe(60);
  });

  it('writes the drivers in plain words in --lang, without a column key', async () => {
    const r = await runCliCaptured([
      'lookalike',
      '--seed',
      'orders >= 7',
      '--target',
      'orders >= 1',
      '--db',
      db,
      '--lang',
      'fr',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const drivers = r.stdout.split('What the seed has in common:')[1]?.split('Most similar:')[0] ?? '';
    expect(drivers).toMatch(/base de départ/);
    expect(drivers).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    expect(drivers.trim().split('\n').length).toBeGreaterThan(0);
    expect(drivers.trim()).not.toBe('');
  });
});
