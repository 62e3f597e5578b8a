import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../../test/support/cli.js';
import { createMySqlDatabase, createPostgresDatabase } from '../../../../test/support/databases.js';
import { seedShop } from '../../../../test/support/shop.js';
import { buildFeatures } from '../../../analytics/features/index.js';
import { DuckDbEngine } from '../../../store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-predict-wb-'));
const db = join(dir, 'shop.duckdb');
const urls = { postgres: '', mysql: '' };

const cli = (args: string[]) => runCliCaptured([...args, '--db', db, '--json']);

interface Row {
  model_id: string;
  customer_id: string;
  score: number;
  reason_1: string | null;
  reason_2: string | null;
}

async function readPostgres(table: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: urls.postgres });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT model_id, customer_id, score, reason_1, reason_2, as_of::text AS as_of FROM ${table} ORDER BY model_id, customer_id`,
    );
    return r.rows.map((x) => ({ ...x, score: Number(x.score) }));
  } finally {
    await client.end();
  }
}

async function readMySql(table: string): Promise<Row[]> {
  const conn = await mysql.createConnection({ uri: urls.mysql, dateStrings: true });
  try {
    const [rows] = await conn.query(
      `SELECT model_id, customer_id, score, reason_1, reason_2 FROM ${table} ORDER BY model_id, customer_id`,
    );
    return (rows as Row[]).map((x) => ({ ...x, score: Number(x.score) }));
  } finally {
    await conn.end();
  }
}

/** The run as stored in the datamart: customer_id → score. */
async function storedScores(model: string): Promise<Map<string, number>> {
  const engine = await DuckDbEngine.open(db);
  try {
    const rows = await engine.query<{ customer_id: string; score: number }>(
      `SELECT customer_id, score FROM scores WHERE model_id = '${model}'`,
    );
    return new Map(rows.map((r) => [r.customer_id, r.score]));
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  urls.postgres = await createPostgresDatabase('predictwb');
  urls.mysql = await createMySqlDatabase('predictwb');
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-30' });
  await engine.close();
  const d = await cli([
    'predict',
    'dataset',
    '--cutoffs',
    '2025-09-30',
    '--label',
    'churn',
    '--horizon',
    '60',
  ]);
  expect(d.exitCode, d.stderr).toBe(0);
  const exclude = (d.json.nonFeatures as string[]).filter((c) => c !== 'label' && c !== 'customer_id');
  for (const [name, model] of [
    ['churn_risk', 'gbdt'],
    ['churn_logit', 'logistic'],
  ]) {
    const t = await cli([
      'predict',
      'train',
      '--table',
      'training_set',
      '--target',
      'label',
      '--exclude',
      exclude.join(','),
      '--id',
      'customer_id',
      '--cv',
      '0',
      '--model',
      model as string,
      '--trees',
      '20',
      '--name',
      name as string,
    ]);
    expect(t.exitCode, t.stderr).toBe(0);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clientele predict score --to-postgres / --to-mysql', () => {
  it('writes every score with its top reasons to PostgreSQL, and upserts by (model_id, customer_id)', async () => {
    const s = await cli([
      'predict',
      'score',
      '--model',
      'churn_risk',
      '--table',
      'customer_features',
      '--to-postgres',
      urls.postgres,
      '--to-table',
      'public.crm_scores',
      '--reasons',
      '2',
    ]);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.json.writeBack).toMatchObject({
      table: 'public.crm_scores',
      mode: 'upsert',
      created: true,
      reasons: 2,
    });
    const stored = await storedScores('churn_risk');
    let rows = await readPostgres('public.crm_scores');
    expect(rows).toHaveLength(stored.size);
    expect((s.json.writeBack as { rows: number }).rows).toBe(stored.size);
    for (const r of rows) {
      expect(r.model_id).toBe('churn_risk');
      expect(Math.abs(r.score - (stored.get(r.customer_id) as number))).toBeLessThan(1e-12);
    }
    // Reasons as sentences with their strength in words, for (nearly) every customer.
    expect(
      rows.filter((r) => /the score (slightly|moderately|strongly)\)$/.test(r.reason_1 ?? '')).length,
    ).toBeGreaterThan(rows.length * 0.9);
    expect(rows.some((r) => r.reason_2 !== null)).toBe(true);

    // A second model lands in the same table; re-running the first replaces its rows instead of duplicating.
    for (const model of ['churn_logit', 'churn_risk']) {
      const again = await cli([
        'predict',
        'score',
        '--model',
        model,
        '--table',
        'customer_features',
        '--to-postgres',
        urls.postgres,
        '--to-table',
        'public.crm_scores',
        '--reasons',
        '2',
      ]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect((again.json.writeBack as { created: boolean }).created).toBe(false);
    }
    rows = await readPostgres('public.crm_scores');
    expect(rows).toHaveLength(2 * stored.size);
    expect(new Set(rows.map((r) => r.model_id))).toEqual(new Set(['churn_logit', 'churn_risk']));
  });

  it('writes the in-database (--sql) run to MariaDB, without reasons when --reasons 0', async () => {
    const s = await cli([
      'predict',
      'score',
      '--model',
      'churn_risk',
      '--table',
      'customer_features',
      '--sql',
      '--to-mysql',
      urls.mysql,
      '--reasons',
      '0',
      '--write-mode',
      'replace',
    ]);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ engine: 'sql', writeBack: { table: 'customer_scores', mode: 'replace' } });
    const stored = await storedScores('churn_risk');
    const conn = await mysql.createConnection({ uri: urls.mysql });
    try {
      const [cols] = await conn.query('SHOW COLUMNS FROM customer_scores');
      expect((cols as { Field: string }[]).map((c) => c.Field)).toEqual([
        'model_id',
        'as_of',
        'customer_id',
        'score',
        'margin',
      ]);
      const [rows] = await conn.query('SELECT customer_id, score FROM customer_scores');
      const list = rows as { customer_id: string; score: number }[];
      expect(list).toHaveLength(stored.size);
      for (const r of list)
        expect(Math.abs(Number(r.score) - (stored.get(r.customer_id) as number))).toBeLessThan(1e-12);
    } finally {
      await conn.end();
    }
    // With reasons, to MariaDB as well.
    const r = await cli([
      'predict',
      'score',
      '--model',
      'churn_logit',
      '--table',
      'customer_features',
      '--to-mysql',
      urls.mysql,
      '--to-table',
      'crm_reasons',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = await readMySql('crm_reasons');
    expect(rows.length).toBe((await storedScores('churn_logit')).size);
    expect(rows.filter((x) => x.reason_2 !== null).length).toBeGreaterThan(0);
  });

  it('rejects write-back flags without a target, and two targets, with exit code 2 before scoring', async () => {
    const a = await cli(['predict', 'score', '--model', 'churn_risk', '--reasons', '2']);
    expect(a.exitCode).toBe(2);
    expect(a.stderr + JSON.stringify(a.json)).toMatch(/--to-postgres/);
    const b = await cli([
      'predict',
      'score',
      '--model',
      'churn_risk',
      '--to-postgres',
      urls.postgres,
      '--to-mysql',
      urls.mysql,
    ]);
    expect(b.exitCode).toBe(2);
    const c = await cli([
      'predict',
      'score',
      '--model',
      'churn_risk',
      '--to-mysql',
      urls.mysql,
      '--write-mode',
      'merge',
    ]);
    expect(c.exitCode).toBe(2);
  });
});
