import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { openDatamart } from '../../../store/index.js';

/** Attacks on `clientele sql` (issue 19): each one must fail without touching the machine or the datamart. */
let dir: string;
let db: string;
let secret: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-sql-'));
  db = join(dir, 'shop.duckdb');
  secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'top secret\n');
  const engine = await openDatamart({ db });
  await engine.exec(
    "INSERT INTO customers (customer_id, email, source, load_id) SELECT 'c' || i, 'c' || i || '@example.com', 'test', 1 FROM range(300) t(i)",
  );
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliOn(() => db);

describe('clientele sql: a sandboxed console', () => {
  it('answers a plain query and pushes the row limit', async () => {
    const r = await cli(
      'sql',
      'SELECT customer_id FROM customers ORDER BY customer_id',
      '--json',
      '--max-rows',
      '5',
    );
    expect(r.exitCode).toBe(0);
    expect(r.json.rowCount).toBe(5);
    expect(r.json.truncated).toBe(true);
    const count = await cli('sql', 'SELECT count(*) AS n FROM customers;', '--json');
    expect(count.json.rows).toEqual([{ n: 300 }]);
  });

  it('cannot overwrite the datamart with COPY … TO', async () => {
    const before = statSync(db).size;
    const r = await cli('sql', `COPY (SELECT 'x') TO '${db}' (FORMAT csv)`, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/SANDBOX_DENIED|sandboxed/);
    expect(statSync(db).size).toBe(before);
    const still = await cli('sql', 'SELECT count(*) AS n FROM customers', '--json');
    expect(still.json.rows).toEqual([{ n: 300 }]);
  });

  it.each([
    ['read_text', `SELECT * FROM read_text('${'/etc/passwd'}')`],
    ['read_csv', `SELECT * FROM read_csv('SECRET')`],
    ['a file as a table', `SELECT * FROM 'SECRET'`],
    ['glob', `SELECT * FROM glob('/root/*')`],
    ['ATTACH', `ATTACH 'OTHER' AS other`],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['SET', 'SET enable_external_access = true'],
    ['SET threads', 'SET threads = 1'],
    ['EXPORT', `EXPORT DATABASE 'OUTDIR'`],
    ['writes', `INSERT INTO customers (customer_id) VALUES ('x')`],
  ])('refuses %s', async (_name, attack) => {
    const text = attack
      .replace('SECRET', secret)
      .replace('OTHER', join(dir, 'other.duckdb'))
      .replace('OUTDIR', join(dir, 'out'));
    const r = await cli('sql', text, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('top secret');
    expect(r.stdout + r.stderr).not.toContain('root:');
    // Refused by the sandbox itself, not by luck (INSTALL used to fail only for want of a network).
    expect(r.json.error.code).toMatch(/SANDBOX_DENIED|READ_ONLY|INVALID_ARGUMENT|QUERY_FAILED/);
    if (r.json.error.code === 'QUERY_FAILED') expect(r.json.error.message).toMatch(/does not exist/);
    expect(r.stdout + r.stderr).not.toMatch(/Could not establish|HTTP|resolve host/i);
  });

  it('runs one statement only', async () => {
    const r = await cli('sql', "SELECT 1; COPY (SELECT 'x') TO '/tmp/x.csv'", '--json');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/one statement/);
  });

  it('stops a query that runs past --timeout', async () => {
    const r = await cli(
      'sql',
      'SELECT count(*) FROM range(100000000000) a, range(1000) b WHERE a.range * b.range = -1',
      '--json',
      '--timeout',
      '1',
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/QUERY_TIMEOUT|longer than/);
  });

  it('writes every console query to the audit log', async () => {
    await cli('sql', `SELECT email FROM customers WHERE customer_id = 'c7'`, '--json');
    const audit = await cli(
      'sql',
      `SELECT action, CAST(details AS VARCHAR) AS d FROM audit_log WHERE action = 'sql.query' ORDER BY seq DESC LIMIT 2`,
      '--json',
    );
    expect(audit.json.rows[0].d).toContain("customer_id = 'c7'");
    expect((await cli('audit', 'verify', '--json')).json.ok).toBe(true);
  });

  it('leaves the secret file and the datamart as they were', () => {
    expect(readFileSync(secret, 'utf8')).toBe('top secret\n');
  });
});
