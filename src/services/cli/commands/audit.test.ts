import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn, initDatamart } from '../../../../test/support/cli.js';
import { DuckDbEngine } from '../../../store/index.js';

let dir: string;
let db: string;
let forged: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-audit-cli-'));
  db = join(dir, 'shop.duckdb');
  await initDatamart(db);
  forged = join(dir, 'forged.csv');
  writeFileSync(forged, 'logged_at,token_name,action\n2020-01-01 00:00:00,admin,nothing happened\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliOn(() => db);

describe('clientele import cannot replace system tables; clientele audit verify', () => {
  it.each(['audit_log', 'audit_salts', 'api_tokens', 'loads', 'rejects', 'settings', 'Audit_Log'])(
    '--as %s exits 2 and changes nothing',
    async (name) => {
      const r = await cli('import', forged, '--as', name, '--json');
      expect(r.exitCode).toBe(2);
      expect(r.stderr + r.stdout).toMatch(/protected|datamart's own/);
    },
  );

  it('--target on a system table exits 2', async () => {
    expect((await cli('import', forged, '--target', 'audit_log', '--json')).exitCode).toBe(2);
  });

  it('verifies the chain, and reports a tampered entry', async () => {
    await cli('token', 'create', 'ops', '--role', 'admin', '--json');
    await cli('settings', 'set', 'min_cell_size', '20', '--json');
    const ok = await cli('audit', 'verify', '--json');
    expect(ok.exitCode).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, entries: 1 });
    const engine = await DuckDbEngine.open(db);
    await engine.exec(`UPDATE audit_log SET details = '{"value":"5"}'`);
    await engine.close();
    const bad = await cli('audit', 'verify');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/breaks at entry #1/);
  });

  it('settings: lists defaults and refuses unknown keys or bad values', async () => {
    const r = await cli('settings', '--json');
    expect(r.json.settings).toMatchObject({ min_cell_size: '20', retention_months: '0' });
    expect((await cli('settings', 'set', 'nope', '1')).exitCode).toBe(2);
    expect((await cli('settings', 'set', 'min_cell_size', '-3')).exitCode).toBe(2);
  });
});
