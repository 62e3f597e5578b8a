import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDatamart, runCliCaptured } from '../../../../test/support/cli.js';
import {
  createMySqlDatabase,
  createPostgresDatabase,
  execMySql,
  execPostgres,
} from '../../../../test/support/databases.js';
import { DuckDbEngine } from '../../../store/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures', 'magento');

let dir: string;
let shopUrl: string;
let crmUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-import-db-'));
  for (const db of ['shop.duckdb', 'crm.duckdb', 'raw.duckdb', 'x.duckdb']) await initDatamart(join(dir, db));
  shopUrl = await createMySqlDatabase('cli_magento');
  await execMySql(shopUrl, [
    `SET time_zone = '+00:00'`,
    readFileSync(join(FIXTURES, 'schema.sql'), 'utf8'),
    readFileSync(join(FIXTURES, 'seed.sql'), 'utf8'),
  ]);
  crmUrl = await createPostgresDatabase('cli_crm');
  await execPostgres(crmUrl, [
    `CREATE SCHEMA crm`,
    `CREATE TABLE crm.customers (customer_id text PRIMARY KEY, first_name text, last_name text, email text,
       birth_date date, created_at timestamptz, consent_email boolean)`,
    `INSERT INTO crm.customers VALUES
       ('K-1', 'Anna', 'de Vries', 'Anna@Example.nl', '1985-04-12', '2022-05-01 10:00:00+02', true),
       ('K-2', 'Piet', 'Jansen', 'piet@example.nl', NULL, '2022-06-01 09:00:00+00', false)`,
  ]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = (db: string, ...argv: string[]) => runCliCaptured([...argv, '--db', join(dir, db)]);

async function query(db: string, text: string) {
  const engine = await DuckDbEngine.open(join(dir, db));
  try {
    return await engine.query(text);
  } finally {
    await engine.close();
  }
}

describe('clientele import from databases', () => {
  it('imports a Magento shop with --preset magento, in dependency order, idempotently', async () => {
    const first = await cli('shop.duckdb', 'import', '--mysql', shopUrl, '--preset', 'magento', '--json');
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const loads = first.json.loads as { target: string; read: number; loaded: number; rejected: number }[];
    expect(loads.map((l) => [l.target, l.read, l.loaded, l.rejected])).toEqual([
      ['customers', 5, 5, 0],
      ['products', 5, 5, 0],
      ['orders', 7, 7, 0],
      ['order_lines', 8, 8, 0],
    ]);
    const [sales] = await query(
      'shop.duckdb',
      `SELECT count(*) AS lines, sum(quantity * unit_price) AS goods, sum(returned_quantity) AS returned FROM order_lines`,
    );
    expect(sales).toEqual({ lines: 8, goods: 360, returned: 3 });
    const [orders] = await query(
      'shop.duckdb',
      `SELECT count(*) AS n, sum(total) AS total, sum(discount) AS discount,
              count(DISTINCT customer_id) AS customers, count(*) FILTER (WHERE status = 'cancelled') AS cancelled
       FROM orders`,
    );
    expect(orders).toEqual({ n: 7, total: 383.2, discount: 6.8, customers: 4, cancelled: 1 });
    const ids = await query(
      'shop.duckdb',
      `SELECT source_id FROM customer_identities WHERE id_source = 'magento' ORDER BY source_id`,
    );
    expect(ids.map((r) => r.source_id)).toEqual(['1', '2', '3', '4', 'guest:guest.buyer@example.com']);

    const again = await cli('shop.duckdb', 'import', '--mysql', shopUrl, '--preset', 'magento', '--json');
    expect(again.exitCode).toBe(0);
    const second = again.json;
    expect(second.totals).toMatchObject({ read: 25, inserted: 0, updated: 0, unchanged: 25 });
  });

  it('imports a PostgreSQL table with --postgres and --table, typed from the server', async () => {
    const r = await cli(
      'crm.duckdb',
      'import',
      '--postgres',
      crmUrl,
      '--table',
      'crm.customers',
      '--source',
      'crm',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ target: 'customers', read: 2, loaded: 2, rejected: 0 });
    const rows = await query(
      'crm.duckdb',
      `SELECT first_name, email_norm, CAST(birth_date AS VARCHAR) AS born, CAST(created_at AS VARCHAR) AS created,
              consent_email FROM customers ORDER BY first_name`,
    );
    expect(rows).toEqual([
      {
        first_name: 'Anna',
        email_norm: 'anna@example.nl',
        born: '1985-04-12',
        created: '2022-05-01 08:00:00',
        consent_email: true,
      },
      {
        first_name: 'Piet',
        email_norm: 'piet@example.nl',
        born: null,
        created: '2022-06-01 09:00:00',
        consent_email: false,
      },
    ]);
  });

  it('imports a MySQL query as a raw table and shows a dry run without changing anything', async () => {
    const dry = await cli(
      'raw.duckdb',
      'import',
      '--mysql',
      shopUrl,
      '--query',
      'SELECT sku, qty_ordered FROM sales_order_item WHERE parent_item_id IS NULL',
      '--as',
      'shop_items',
      '--dry-run',
      '--json',
    );
    expect(dry.stderr).toBe('');
    expect(dry.json).toMatchObject({ dryRun: true, rows: 8, format: 'mysql' });
    const loaded = await cli(
      'raw.duckdb',
      'import',
      '--mysql',
      shopUrl,
      '--query',
      'SELECT sku, qty_ordered FROM sales_order_item WHERE parent_item_id IS NULL',
      '--as',
      'shop_items',
      '--json',
    );
    expect(loaded.json).toMatchObject({ read: 8, loaded: 8 });
    expect(await query('raw.duckdb', 'SELECT sum(qty_ordered) AS q FROM shop_items')).toEqual([{ q: 12 }]);
  });

  it('rejects contradictory flags with exit code 2 and says what to do', async () => {
    const noDb = await cli('x.duckdb', 'import', '--table', 'customers');
    expect(noDb.exitCode).toBe(2);
    expect(noDb.stderr).toMatch(/--table: expected --postgres URL or --mysql URL with it/);
    const pgPreset = await cli('x.duckdb', 'import', '--postgres', crmUrl, '--preset', 'magento');
    expect(pgPreset.exitCode).toBe(2);
    expect(pgPreset.stderr).toMatch(/expected --mysql URL with --preset magento/);
    const neither = await cli('x.duckdb', 'import', '--postgres', crmUrl);
    expect(neither.stderr).toMatch(
      /expected exactly one of --table T or --query SQL with a database, got neither/,
    );
  });

  it('explains an unknown table with exit code 2, without the password', async () => {
    const r = await cli('x.duckdb', 'import', '--postgres', crmUrl, '--table', 'crm.nope');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/table "crm.nope" was not found/);
    expect(r.stderr).not.toContain(new URL(crmUrl).password);
  });
});
