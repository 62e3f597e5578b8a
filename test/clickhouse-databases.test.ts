/**
 * Database sources and score write-back on a ClickHouse datamart (chdb): `clientele import --mysql/--postgres`
 * reads the source into the DuckDB mirror of the datamart and swaps the changed tables in, and `predict score
 * --to-postgres` writes from an in-memory DuckDB copy of the scores. Against the private PostgreSQL and
 * MariaDB servers of the test run (test/support/servers.ts), as the DuckDB tests of the same features.
 *
 * chdb is never a dependency (DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`.
 * Without it the suite is skipped with a message.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../src/analytics/features/index.js';
import { importThroughMirror } from '../src/ingest/index.js';
import { type Engine, openDatamart } from '../src/store/index.js';
import { runCliCaptured } from './support/cli.js';
import { createMySqlDatabase, createPostgresDatabase, execMySql, execPostgres } from './support/databases.js';
import { seedShop } from './support/shop.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: database import and write-back on ClickHouse skipped (npm install --no-save chdb@3.4.0)',
  );

const FIXTURES = join(import.meta.dirname, 'fixtures', 'magento');

describe.skipIf(!chdb)('database sources and score write-back on a ClickHouse datamart (chdb)', () => {
  let dir: string;
  let shopUrl: string;
  let crmUrl: string;
  const db = (name: string) => `chdb:${join(dir, name)}`;
  const cli = (name: string, ...argv: string[]) => runCliCaptured([...argv, '--db', db(name), '--json']);
  async function on<T>(name: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await openDatamart({ db: db(name) });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-db-'));
    shopUrl = await createMySqlDatabase('ch_magento');
    await execMySql(shopUrl, [
      `SET time_zone = '+00:00'`,
      readFileSync(join(FIXTURES, 'schema.sql'), 'utf8'),
      readFileSync(join(FIXTURES, 'seed.sql'), 'utf8'),
    ]);
    crmUrl = await createPostgresDatabase('ch_crm');
    await execPostgres(crmUrl, [
      `CREATE SCHEMA crm`,
      `CREATE TABLE crm.customers (customer_id text PRIMARY KEY, first_name text, email text, birth_date date,
         created_at timestamptz, consent_email boolean)`,
      `INSERT INTO crm.customers VALUES
         ('K-1', 'Anna', 'Anna@Example.nl', '1985-04-12', '2022-05-01 10:00:00+02', true),
         ('K-2', 'Piet', 'piet@example.nl', NULL, '2022-06-01 09:00:00+00', false)`,
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a Magento shop with --mysql --preset magento, the same counts as on DuckDB, idempotently', async () => {
    const first = await cli('shop', 'import', '--mysql', shopUrl, '--preset', 'magento');
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const loads = first.json.loads as { target: string; read: number; loaded: number; rejected: number }[];
    expect(loads.map((l) => [l.target, l.read, l.loaded, l.rejected])).toEqual([
      ['customers', 5, 5, 0],
      ['products', 5, 5, 0],
      ['orders', 7, 7, 0],
      ['order_lines', 8, 8, 0],
    ]);
    const sales = await on('shop', (e) =>
      e.query(
        `SELECT count(*) AS lines, sum(quantity * unit_price) AS goods, sum(returned_quantity) AS returned FROM order_lines`,
      ),
    );
    expect(sales).toEqual([{ lines: 8, goods: 360, returned: 3 }]);
    const again = await cli('shop', 'import', '--mysql', shopUrl, '--preset', 'magento');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json.totals).toMatchObject({ read: 25, inserted: 0, updated: 0, unchanged: 25 });
    expect(await on('shop', (e) => e.query('SELECT count(*) AS n FROM orders'))).toEqual([{ n: 7 }]);
  });

  it('imports a PostgreSQL table with --postgres --table, typed from the server', async () => {
    const r = await cli('crm', 'import', '--postgres', crmUrl, '--table', 'crm.customers', '--source', 'crm');
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ target: 'customers', read: 2, loaded: 2, rejected: 0 });
    const rows = await on('crm', (e) =>
      e.query(
        `SELECT first_name, email_norm, toString(birth_date) AS born, toString(created_at) AS created, consent_email
         FROM customers ORDER BY first_name`,
      ),
    );
    expect(rows).toEqual([
      {
        first_name: 'Anna',
        email_norm: 'anna@example.nl',
        born: '1985-04-12',
        created: '2022-05-01 08:00:00.000000',
        consent_email: true,
      },
      {
        first_name: 'Piet',
        email_norm: 'piet@example.nl',
        born: null,
        created: '2022-06-01 09:00:00.000000',
        consent_email: false,
      },
    ]);
  });

  it('writes scores with their reasons from ClickHouse to PostgreSQL (predict score --to-postgres)', async () => {
    const target = await createPostgresDatabase('ch_scores');
    await on('scores', async (engine) => {
      await importThroughMirror(engine as never, (mirror) => seedShop(mirror));
      await buildFeatures(engine, { asOf: '2026-06-30' });
    });
    const d = await cli(
      'scores',
      'predict',
      'dataset',
      '--cutoffs',
      '2025-09-30',
      '--label',
      'churn',
      '--horizon',
      '60',
    );
    expect(d.exitCode, d.stderr).toBe(0);
    const exclude = (d.json.nonFeatures as string[]).filter((c) => c !== 'label' && c !== 'customer_id');
    const t = await cli(
      'scores',
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
      'logistic',
      '--name',
      'churn_logit',
    );
    expect(t.exitCode, t.stderr).toBe(0);
    const s = await cli(
      'scores',
      'predict',
      'score',
      '--model',
      'churn_logit',
      '--table',
      'customer_features',
      '--to-postgres',
      target,
      '--to-table',
      'public.crm_scores',
      '--reasons',
      '2',
    );
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.json.writeBack).toMatchObject({ table: 'public.crm_scores', created: true, reasons: 2 });
    const stored = new Map(
      (
        await on('scores', (e) =>
          e.query<{ customer_id: string; score: number }>(
            `SELECT customer_id, score FROM scores WHERE model_id = 'churn_logit'`,
          ),
        )
      ).map((r) => [r.customer_id, r.score]),
    );
    expect(stored.size).toBeGreaterThan(100);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const rows = (
        await client.query(`SELECT customer_id, score, reason_1 FROM public.crm_scores ORDER BY customer_id`)
      ).rows as { customer_id: string; score: number; reason_1: string | null }[];
      expect(rows).toHaveLength(stored.size);
      for (const r of rows)
        expect(Math.abs(Number(r.score) - stored.get(r.customer_id)!)).toBeLessThan(1e-12);
      expect(rows.filter((r) => r.reason_1 !== null).length).toBeGreaterThan(rows.length * 0.9);
    } finally {
      await client.end();
    }
  });
});
