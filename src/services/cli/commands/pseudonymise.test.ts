import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { openShop } from '../../../../test/support/tiny-shop.js';

/** Pseudonymised exports, audited CLI exports, and the retention setting (issue 19). */
let db: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-pseudo-'));
  db = join(dir, 'shop.duckdb');
  const engine = await openShop(db);
  await engine.close();
  await cli('features', 'build', '--as-of', '2024-06-30', '--json');
  await cli('segment', 'create', 'Everyone', 'orders >= 0', '--json');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliOn(() => db);
const exportTo = (file: string, ...extra: string[]) =>
  cli('segment', 'export', 'Everyone', '--channel', 'email', '--out', join(dir, file), '--json', ...extra);

describe('pseudonymised exports', () => {
  it('--pseudonymise writes pseudonyms and no names, e-mail, phone or street', async () => {
    const plain = await exportTo('plain.csv');
    expect(plain.exitCode).toBe(0);
    const plainText = readFileSync(join(dir, 'plain.csv'), 'utf8');
    const r = await exportTo('pseudo.csv', '--pseudonymise');
    expect(r.exitCode).toBe(0);
    expect(r.json.exported).toBe(plain.json.exported);
    const text = readFileSync(join(dir, 'pseudo.csv'), 'utf8');
    const [header, ...rows] = text.trim().split('\r\n');
    expect(header).toBe('pseudonym,postcode,city,country');
    expect(rows.length).toBe(plain.json.exported);
    for (const row of rows) expect(row).toMatch(/^p-[0-9a-f]{20},/);
    expect(text).not.toMatch(/@/);
    const ids = plainText
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    for (const id of ids) expect(text).not.toContain(`${id},`);
  });

  it('two pseudonymised exports cannot be linked (a new key per file)', async () => {
    await exportTo('p1.csv', '--pseudonymise');
    await exportTo('p2.csv', '--pseudonymise');
    const first = (f: string) => readFileSync(join(dir, f), 'utf8').split('\r\n')[1]!.split(',')[0];
    expect(first('p1.csv')).not.toBe(first('p2.csv'));
  });

  it('every CLI export is in the audit log', async () => {
    const audit = await cli(
      'sql',
      `SELECT count(*) AS n FROM audit_log WHERE action = 'segment.export' AND target = 'Everyone'`,
      '--json',
    );
    expect(audit.json.rows[0].n).toBeGreaterThanOrEqual(4);
  });
});

describe('retention', () => {
  it('drops orders (with their lines) and events older than retention_months', async () => {
    const before = await cli('sql', 'SELECT count(*) AS n, min(order_date) AS first FROM orders', '--json');
    expect(before.json.rows[0].n).toBeGreaterThan(0);
    const keep = await cli('settings', 'apply-retention', '--as-of', '2024-06-30', '--json');
    expect(keep.json).toMatchObject({ months: 0, cutoff: null });
    await cli('settings', 'set', 'retention_months', '3');
    const r = await cli('settings', 'apply-retention', '--as-of', '2024-06-30', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.cutoff).toBe('2024-03-30');
    const after = await cli(
      'sql',
      `SELECT count(*) FILTER (WHERE order_date < DATE '2024-03-30') AS old,
              (SELECT count(*) FROM order_lines WHERE order_id NOT IN (SELECT order_id FROM orders)) AS orphans
       FROM orders`,
      '--json',
    );
    expect(after.json.rows).toEqual([{ old: 0, orphans: 0 }]);
    const dropped = r.json.tables.find((t: { table: string }) => t.table === 'orders').rows;
    expect(dropped).toBeGreaterThan(0);
    const now = await cli('sql', 'SELECT count(*) AS n FROM orders', '--json');
    expect(now.json.rows[0].n + dropped).toBe(before.json.rows[0].n);
  });
});
