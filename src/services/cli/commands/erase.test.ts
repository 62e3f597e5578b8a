import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn, initDatamart } from '../../../../test/support/cli.js';

/** Erasure (issue 19): gone from every table, figures kept under a pseudonym, kept out of later imports. */
let dir: string;
let db: string;
let customers: string;
let orders: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-erase-'));
  db = join(dir, 'shop.duckdb');
  await initDatamart(db);
  customers = join(dir, 'customers.csv');
  orders = join(dir, 'orders.csv');
  writeFileSync(
    customers,
    'customer_id,first_name,last_name,email,phone\nC1,Jan,Jansen,jan@example.nl,+31612345678\nC2,Eva,de Boer,eva@example.nl,+31687654321\nC3,Bad,Row,not-an-email-jan@,\n',
  );
  writeFileSync(
    orders,
    'order_id,customer_id,order_date,total\nO1,C1,2026-01-05,100\nO2,C1,2026-02-05,50\nO3,C2,2026-02-07,70\n',
  );
  const a = await cli('import', customers, '--target', 'customers', '--json');
  expect(a.exitCode).toBe(0);
  const b = await cli('import', orders, '--target', 'orders', '--json');
  expect(b.exitCode).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliOn(() => db);
const rows = async (query: string) =>
  (await cli('sql', query, '--json')).json.rows as Record<string, unknown>[];

describe('clientele erase', () => {
  it('needs --yes', async () => {
    expect((await cli('erase', 'C1')).exitCode).toBe(2);
  });

  it('removes the person everywhere and keeps the revenue under a pseudonym', async () => {
    const r = await cli('erase', 'C1', '--yes', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.subject).toMatch(/^[0-9a-f]{64}$/);
    expect(r.json.tables).toEqual(
      expect.arrayContaining([
        { table: 'customers', rows: 1, action: 'deleted' },
        { table: 'orders', rows: 2, action: 'pseudonymised' },
      ]),
    );
    expect(
      await rows(`SELECT * FROM customers WHERE customer_id = 'C1' OR email_norm = 'jan@example.nl'`),
    ).toEqual([]);
    expect(await rows(`SELECT * FROM orders WHERE customer_id = 'C1'`)).toEqual([]);
    expect(await rows(`SELECT sum(total) AS revenue FROM orders`)).toEqual([{ revenue: 220 }]);
    const everywhere = await rows(
      `SELECT count(*) AS n FROM customer_identities WHERE customer_id = 'C1' OR email_norm = 'jan@example.nl'`,
    );
    expect(everywhere).toEqual([{ n: 0 }]);
  });

  it('audits the erasure by salted hash only', async () => {
    const audit = await rows(
      `SELECT target, CAST(details AS VARCHAR) AS d FROM audit_log WHERE action = 'customer.erase'`,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toMatch(/C1|jan@|Jansen/);
    expect((await cli('audit', 'verify', '--json')).json.ok).toBe(true);
  });

  it('a re-import of the old export does not bring the person back', async () => {
    const again = await cli('import', customers, '--target', 'customers', '--json');
    expect(again.exitCode).toBe(0);
    expect(again.json.warnings.join(' ')).toMatch(/erased people/);
    expect(await rows(`SELECT * FROM customers WHERE customer_id = 'C1'`)).toEqual([]);
    const orders2 = await cli('import', orders, '--target', 'orders', '--create-customers', '--json');
    expect(orders2.exitCode).toBe(0);
    expect(await rows(`SELECT * FROM orders WHERE customer_id = 'C1'`)).toEqual([]);
    expect(await rows(`SELECT * FROM customers WHERE customer_id = 'C1'`)).toEqual([]);
    // Eva was not erased.
    expect(await rows(`SELECT customer_id FROM customers WHERE customer_id = 'C2'`)).toEqual([
      { customer_id: 'C2' },
    ]);
  });

  it('a new id with the erased e-mail is removed too', async () => {
    const moved = join(dir, 'moved.csv');
    writeFileSync(moved, 'customer_id,email\nC9,JAN@example.nl\n');
    await cli('import', moved, '--target', 'customers', '--json');
    expect(await rows(`SELECT * FROM customers WHERE customer_id = 'C9'`)).toEqual([]);
  });

  it('an unknown id is a plain error', async () => {
    const r = await cli('erase', 'NOPE', '--yes', '--json');
    expect(r.exitCode).not.toBe(0);
    expect(r.json.error.code).toBe('NOT_FOUND');
  });
});
