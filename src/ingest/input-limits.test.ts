import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn, initDatamart } from '../../test/support/cli.js';
import { checkJsonDepth } from './input-limits.js';

/** Hostile and careless inputs (issue 19): each gives a plain error or a reject with its line, never a crash or a loss. */
let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-limits-'));
  db = join(dir, 'shop.duckdb');
  await initDatamart(db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliOn(() => db);
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('hard limits on imported files', () => {
  it('refuses JSON nested 30,000 deep with a plain error instead of crashing', async () => {
    const deep = file('deep.json', `${'['.repeat(30_000)}${']'.repeat(30_000)}`);
    const r = await cli('import', deep, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('LIMIT_EXCEEDED');
    expect(r.json.error.message).toMatch(/nested at most 64 levels/);
  });

  it('counts brackets inside JSON strings as text', async () => {
    const ok = file('ok.json', JSON.stringify([{ note: '['.repeat(500), nested: { a: [1, [2, [3]]] } }]));
    await expect(checkJsonDepth(ok, 'ok.json')).resolves.toBeUndefined();
    const escaped = file('esc.json', `[{"note": "a \\" [[[[", "b": 1}]`);
    await expect(checkJsonDepth(escaped, 'esc.json', 2)).resolves.toBeUndefined();
    await expect(checkJsonDepth(escaped, 'esc.json', 1)).rejects.toThrow(/at most 1 levels/);
  });

  it('rejects a 33 MB field with its line instead of dropping the row', async () => {
    const long = file(
      'long.csv',
      `customer_id,email,note\nc1,a@example.com,short\nc2,b@example.com,${'x'.repeat(33_000_000)}\nc3,c@example.com,ok\n`,
    );
    const r = await cli('import', long, '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ read: 3, loaded: 2, rejected: 1 });
    const rejects = await cli(
      'sql',
      `SELECT line, reason FROM rejects WHERE source LIKE '%long.csv'`,
      '--json',
    );
    expect(rejects.json.rows).toHaveLength(1);
    expect(rejects.json.rows[0].line).toBe(3);
    expect(rejects.json.rows[0].reason).toMatch(/limit/);
  }, 60_000);

  it('refuses a file with more than 2,000 columns before staging it', async () => {
    const names = Array.from({ length: 2500 }, (_, i) => `col${i}`);
    const wide = file('wide.csv', `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`);
    const r = await cli('import', wide, '--as', 'wide', '--json');
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('LIMIT_EXCEEDED');
    expect(r.json.error.message).toMatch(/at most 2000 columns, found 2500/);
  });

  it('rejects a row with extra fields by its line and keeps the table shape', async () => {
    const ragged = file('ragged.csv', 'a,b\n1,2\n3,4,5\n6,7\n');
    const r = await cli('import', ragged, '--as', 'ragged', '--json');
    expect(r.json).toMatchObject({ read: 3, loaded: 2, rejected: 1 });
    const cols = await cli(
      'sql',
      "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'ragged'",
      '--json',
    );
    expect(cols.json.rows).toEqual([{ n: 2 }]);
    const rej = await cli('sql', `SELECT line, reason FROM rejects WHERE target = 'ragged'`, '--json');
    expect(rej.json.rows).toEqual([{ line: 3, reason: expect.stringMatching(/too many fields/) }]);
  });

  it('renames duplicate headers and says so in the warnings', async () => {
    const dup = file('dup.csv', 'id,email,email\n1,a@example.com,b@example.com\n');
    const r = await cli('import', dup, '--as', 'dup', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.warnings.join(' ')).toMatch(/"email" \(column 3\) → "email_2"/);
  });

  it('refuses a folder and a named pipe with a plain error (a FIFO would block forever)', async () => {
    const folder = await cli('import', dir, '--json');
    expect(folder.exitCode).toBe(2);
    expect(folder.json.error.message).toMatch(/found a folder/);
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const r = await cli('import', fifo, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.json.error.message).toMatch(/named pipe/);
  });
});
