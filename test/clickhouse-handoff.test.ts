/**
 * The CLI while `clientele serve` holds a chdb folder: chdb locks its folder against other processes as DuckDB
 * locks its file, so commands from another process go through the server's hand-off file (`DIR.serve.json`)
 * and `POST /api/cli`, the SQL console included (it opens a read-only session of its own in the server).
 *
 * chdb is never a dependency (DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`.
 * Without it the suite is skipped with a message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffPath } from '../src/services/cli/server-handoff.js';
import { runCliCaptured } from './support/cli.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: CLI hand-off to a server on chdb skipped (npm install --no-save chdb@3.4.0)',
  );

const repoRoot = join(import.meta.dirname, '..');

describe.skipIf(!chdb)('CLI commands while clientele serve holds a chdb folder', () => {
  let dir: string;
  let folder: string;
  let server: ChildProcess | undefined;
  let log = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-handoff-'));
    folder = join(dir, 'ch');
    server = await new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'src', 'services', 'cli', 'main.ts'),
          'serve',
          '--db',
          `chdb:${folder}`,
          '--port',
          '0',
        ],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, CLIENTELE_NO_PROGRESS: '1' },
        },
      );
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 120_000);
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('API description')) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}:\n${log}`));
      });
    });
  }, 150_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports and queries through the server; the SQL console stays read-only there', async () => {
    expect(log).toContain(`Clientele is serving chdb:${folder}`);
    expect(existsSync(handoffPath(folder))).toBe(true);
    writeFileSync(
      join(dir, 'log.csv'),
      'customer,date,amount\nk1,2024-01-05,10\nk1,2024-02-05,20\nk2,2024-01-07,5\n',
    );
    const imported = await runCliCaptured([
      'import',
      join(dir, 'log.csv'),
      '--target',
      'orders',
      '--db',
      `chdb:${folder}`,
      '--json',
    ]);
    expect(imported.stderr).toBe('');
    expect(imported.json).toMatchObject({ read: 3, loaded: 3, customersCreated: 2 });
    const counted = await runCliCaptured([
      'sql',
      'SELECT count(*) AS n, sum(total) AS total FROM orders',
      '--db',
      `chdb:${folder}`,
      '--json',
    ]);
    expect(counted.exitCode, counted.stderr).toBe(0);
    expect(counted.json.rows).toEqual([{ n: 3, total: 35 }]);
    const write = await runCliCaptured(['sql', 'DROP TABLE orders', '--db', `chdb:${folder}`, '--json']);
    expect(write.exitCode).toBe(2);
    expect(write.stderr).toMatch(/read-only/);
  });
});
