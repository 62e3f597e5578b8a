import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliOn, initDatamart, runCliCaptured } from '../../../../test/support/cli.js';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-import-cli-'));
  db = join(dir, 'shop.duckdb');
  await initDatamart(db);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = cliOn(() => db);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('clientele import', () => {
  it('loads customers and a flat order-lines file; --json has the documented fields', async () => {
    const customers = file(
      'customers.csv',
      'customer_id,email,gender\nc1,a@example.com,f\nc2,b@example.com,m\nc3,broken,f\n',
    );
    const lines = file(
      'lines.csv',
      'order_id,customer_id,order_date,sku,quantity,unit_price\no1,c1,2024-01-01,A,1,2.5\no1,c1,2024-01-01,B,2,1\no2,c2,2024-01-02,A,1,2.5\n',
    );
    const r = await cli('import', customers, lines, '--json', '--source', 'crm');
    expect(r.exitCode).toBe(0);
    const out = r.json;
    expect(out.loads).toHaveLength(2);
    expect(out.loads[0]).toMatchObject({
      target: 'customers',
      read: 3,
      loaded: 2,
      rejected: 1,
      duplicates: 0,
      inserted: 2,
    });
    for (const key of [
      'read',
      'loaded',
      'rejected',
      'duplicates',
      'inserted',
      'updated',
      'unchanged',
      'loadId',
      'target',
      'seconds',
      'warnings',
      'merges',
      'conflicts',
    ]) {
      expect(out.loads[1]).toHaveProperty(key);
    }
    expect(out.loads[1]).toMatchObject({
      target: 'order_lines',
      read: 3,
      loaded: 3,
      related: [{ target: 'orders', inserted: 2 }],
    });
    expect(out.totals).toMatchObject({ read: 6, loaded: 5, rejected: 1 });
    const again = await cli('import', lines, '--json', '--source', 'crm');
    expect(again.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it("rebuilds the sales cube's daily pre-aggregate after an import, so the cube uses it", async () => {
    const lines = file(
      'cube-lines.csv',
      'order_id,customer_id,order_date,sku,quantity,unit_price\no1,c1,2024-01-01,A,1,2.5\no2,c2,2024-01-02,A,2,2.5\n',
    );
    expect((await cli('import', lines, '--source', 'shop')).exitCode).toBe(0);
    const first = await cli('sales', '--from', '2024-01-01', '--to', '2024-02-01', '--json');
    expect(first.json).toMatchObject({ source: 'pre-aggregate', totals: { current: { revenue: 7.5 } } });
    const more = file(
      'cube-more.csv',
      'order_id,customer_id,order_date,sku,quantity,unit_price\no3,c1,2024-01-05,A,4,2.5\n',
    );
    expect((await cli('import', more, '--source', 'shop')).exitCode).toBe(0);
    const second = await cli('sales', '--from', '2024-01-01', '--to', '2024-02-01', '--json');
    expect(second.json.source).toBe('pre-aggregate');
    expect(second.json.warnings.join(' ')).not.toMatch(/pre-aggregate/);
    expect(second.json.totals.current).toMatchObject({ revenue: 17.5, orders: 3, customers: 2 });
    const daily = await cli('sql', "SELECT sum(revenue) AS r FROM sales_daily WHERE dim = 'total'", '--json');
    expect(JSON.stringify(daily.json)).toMatch(/17\.5/);
  });

  it('exits 2 with where/expected/found for bad flags and missing files', async () => {
    const bad = await cli('import', 'x.csv', '--target', 'nope', '--max-reject-rate', '5');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--target: expected one of customers/);
    expect(bad.stderr).toMatch(/--max-reject-rate: expected a fraction between 0 and 1/);
    const missing = await cli('import', join(dir, 'missing.csv'), '--json');
    expect(missing.exitCode).toBe(2);
    expect(missing.json.error.code).toBe('FILE_NOT_FOUND');
    const unknown = await cli('import', file('what.csv', 'foo,bar\n1,2\n'));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/Pass --target TABLE/);
  });

  it("--memory-limit sets DuckDB's cap for the import (checked: too small a cap fails it, nothing loaded)", async () => {
    const customers = file('mem-customers.csv', 'customer_id,email\nm1,m1@example.com\n');
    const bad = await cli('import', customers, '--memory-limit', '12');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--memory-limit: expected a size such as 800MB/);
    const tiny = await cli('import', customers, '--target', 'customers', '--memory-limit', '1KB');
    expect(tiny.exitCode).toBe(2);
    expect(tiny.stderr).toMatch(/memory limit 1KB is too small/);
    const ok = await cli('import', customers, '--target', 'customers', '--memory-limit', '300MB', '--json');
    expect(ok.exitCode).toBe(0);
    expect(ok.json).toMatchObject({ read: 1, loaded: 1, inserted: 1 });
  });

  it('--max-reject-rate fails with exit 2, changes nothing and writes --rejects-out', async () => {
    const customers = file('c.csv', 'customer_id,email\nc1,a@example.com\nc2,nope\n');
    const out = join(dir, 'rejects.csv');
    const r = await cli('import', customers, '--max-reject-rate', '0.1', '--rejects-out', out, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('REJECT_RATE_EXCEEDED');
    expect(r.stderr).toMatch(/line|lines 3/);
    const status = await cli('sql', 'SELECT count(*) AS n FROM customers', '--json');
    expect(status.json.rows).toEqual([{ n: 0 }]);
  });

  it('--as imports the Telco churn CSV as a raw table with inferred types (blank TotalCharges → NULL)', async () => {
    const telco = join(repoRoot, '..', 'shared', 'data', 'telco-churn', 'Telco-Customer-Churn.csv');
    const r = await cli('import', telco, '--as', 'telco_churn', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ target: 'telco_churn', read: 7043, loaded: 7043, rejected: 0 });
    const q = await cli(
      'sql',
      `SELECT count(*) FILTER (WHERE "TotalCharges" IS NULL) AS blank, typeof(any_value("TotalCharges")) AS t,
              count(*) FILTER (WHERE "Churn") AS churned FROM telco_churn`,
      '--json',
    );
    expect(q.json.rows).toEqual([{ blank: 11, t: 'DOUBLE', churned: 1869 }]);
    const again = await cli('import', telco, '--as', 'telco_churn', '--json');
    expect(again.json).toMatchObject({ loaded: 7043 });
    const reg = await cli('sql', 'SELECT name, rows FROM raw_tables', '--json');
    expect(reg.json.rows).toEqual([{ name: 'telco_churn', rows: 7043 }]);
  });

  it('fails a load that rejects most rows by default (0.5): exit 2, nothing changes, top reasons with value and fix', async () => {
    const orders = file(
      'orders.csv',
      'order_id,customer_id,order_date,total\no1,c1,2024-01-05,5\no2,c1,2024-02-30,6\no3,c2,2024-13-01,7\no4,c2,2024-01-07,n/a\no5,c3,2024-01-09,1\n',
    );
    const r = await cli('import', orders, '--target', 'orders', '--json');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/3 of 5 rows rejected \(60\.0%\), more than --max-reject-rate 0\.5/);
    expect(r.stderr).toMatch(/expected a date \(%Y-%m-%d\): 2 rows \(lines 3, 4\), e\.g\. "2024-02-30"/);
    expect(r.stderr).toMatch(/fix: .*--date-format/);
    const n = await cli('sql', 'SELECT count(*) AS n FROM orders', '--json');
    expect(n.json.rows).toEqual([{ n: 0 }]);
    // 1 turns the check off; the summary carries the top reasons.
    const ok = await cli('import', orders, '--target', 'orders', '--json', '--max-reject-rate', '1');
    expect(ok.exitCode).toBe(0);
    expect(ok.json).toMatchObject({ loaded: 2, rejected: 3, customersCreated: 2 });
    expect(ok.json.topReasons[0]).toMatchObject({ rows: 2, lines: [3, 4], example: '2024-02-30' });
    expect(ok.json.topReasons[0].fix).toMatch(/--date-format/);
  });

  it('a mistyped --db is an error (exit 2, no file created) unless the command is init or demo, or --create', async () => {
    const typo = join(dir, 'shpo.duckdb');
    const r = await runCliCaptured(['status', '--db', typo]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/expected an existing datamart file, found none.*clientele init --db/s);
    expect(existsSync(typo)).toBe(false);
    // import no longer creates a datamart at a mistyped path: where, expected, found (the real one beside it), fix.
    const orders = file('orders.csv', 'order_id,customer_id,order_date,total\no1,c1,2024-01-05,5\n');
    const imp = await runCliCaptured(['import', orders, '--target', 'orders', '--db', typo, '--json']);
    expect(imp.exitCode).toBe(2);
    expect(imp.json.error.code).toBe('NOT_FOUND');
    expect(imp.json.error.message).toContain(
      `clientele import --db ${typo}: expected an existing datamart file, found none`,
    );
    expect(imp.json.error.message).toContain(`datamarts in that folder: ${db}`);
    expect(imp.json.error.message).toContain(`run \`clientele init --db ${typo}\` or add --create`);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(`${typo}.wal`)).toBe(false);
    // A dry run changes nothing, so it runs against an empty scratch datamart and creates no file.
    const dry = await runCliCaptured(['import', orders, '--dry-run', '--db', typo, '--json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.json).toMatchObject({ dryRun: true, target: 'orders', rows: 1 });
    expect(existsSync(typo)).toBe(false);
    // An import with --create that fails leaves no datamart behind (there was none before it).
    const headerless = file('log.txt', ' 0001 19970101 2 29.33\n 0002 19970102 1 9.50\n');
    const failed = await runCliCaptured([
      'import',
      headerless,
      '--target',
      'orders',
      '--db',
      typo,
      '--create',
    ]);
    expect(failed.exitCode).toBe(2);
    expect(failed.stderr).toMatch(/no header line/);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(`${typo}.wal`)).toBe(false);
    // --create makes it (import and any other command); init makes it too.
    const created = await runCliCaptured([
      'import',
      orders,
      '--target',
      'orders',
      '--db',
      typo,
      '--create',
      '--json',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ loaded: 1, customersCreated: 1 });
    expect(existsSync(typo)).toBe(true);
    const other = join(dir, 'other.duckdb');
    expect((await runCliCaptured(['status', '--db', other, '--create', '--json'])).exitCode).toBe(0);
    expect(existsSync(other)).toBe(true);
    const third = join(dir, 'third.duckdb');
    expect((await runCliCaptured(['init', '--db', third, '--json'])).exitCode).toBe(0);
    expect(existsSync(third)).toBe(true);
  });

  it('--dry-run describes the mapping and changes nothing', async () => {
    const customers = file('c.csv', 'customer_id,email,birth_date\nc1,a@example.com,31/12/1980\n');
    const r = await cli('import', customers, '--dry-run', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ dryRun: true, target: 'customers', rows: 1 });
    expect(r.json.mapping.find((m: { field: string }) => m.field === 'birth_date').parse).toEqual({
      type: 'date',
      dateFormat: '%d/%m/%Y',
    });
    const status = await cli('sql', 'SELECT count(*) AS n FROM loads', '--json');
    expect(status.json.rows).toEqual([{ n: 0 }]);
  });
});
