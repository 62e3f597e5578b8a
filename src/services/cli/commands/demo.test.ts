import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../../test/support/cli.js';
import { openDatamart } from '../../../store/index.js';
import { freshDemoDb } from './demo.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCliCaptured;

describe('clientele demo generate', () => {
  it('writes the files and reports them as JSON with stable fields', async () => {
    const out = join(dir, 'gen');
    const r = await cli(['demo', 'generate', '--customers', '150', '--seed', '3', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual([
      'outDir',
      'manifest',
      'seed',
      'customers',
      'asOf',
      'from',
      'files',
      'counts',
      'plantedProblems',
    ]);
    expect(json).toMatchObject({
      outDir: out,
      seed: 3,
      customers: 150,
      asOf: '2026-06-30',
      from: '2023-06-30',
    });
    expect(json.counts.customers).toBe(150);
    expect(json.files).toHaveLength(12);
    const manifest = JSON.parse(readFileSync(json.manifest, 'utf8'));
    expect(manifest.counts).toEqual(json.counts);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli([
      'demo',
      'generate',
      '--customers',
      '120',
      '--out',
      join(dir, 'human'),
      '--as-of',
      '2025-12-31',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Demo shop written to .*human \(seed 42, history 2022-12-31 … 2025-12-31/);
    expect(r.stdout).toMatch(/klanten_nl_be\.csv\s+customers\s+csv\s+latin-1/);
    expect(r.stdout).toMatch(/120 customers/);
  });

  it('exits 2 and names every bad flag', async () => {
    const r = await cli([
      'demo',
      'generate',
      '--customers',
      'many',
      '--seed=-4',
      '--as-of',
      '30/06/2026',
      '--out',
      join(dir, 'x'),
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--customers: expected a whole number ≥ 1, got "many"');
    expect(r.stderr).toContain('--seed: expected a whole number ≥ 0, got "-4"');
    expect(r.stderr).toContain('--as-of: expected a date YYYY-MM-DD, got "30/06/2026"');
  });

  it('exits 2 on an unknown subcommand', async () => {
    const r = await cli(['demo', 'frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown subcommand "frobnicate"/);
  });

  it('refuses to replace a datamart that the demo did not make', async () => {
    const db = join(dir, 'real.duckdb');
    const engine = await openDatamart({ db });
    await engine.close();
    const r = await cli(['demo', '--customers', '50', '--out', join(dir, 'never'), '--db', db, '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('CONFLICT');
    expect(r.stderr).toContain('found another datamart');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('replaces a datamart that an earlier demo made', async () => {
    const db = join(dir, 'old-demo.duckdb');
    const engine = await openDatamart({ db });
    await engine.exec(`INSERT INTO meta VALUES ('demo', '{}')`);
    await engine.close();
    await freshDemoDb(db);
    expect(existsSync(db)).toBe(false);
    await freshDemoDb(db); // nothing there: nothing to do
  });
});
