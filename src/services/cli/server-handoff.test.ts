/**
 * The CLI while `clientele serve` holds the datamart (issue 12, point 8): a real server process holds the
 * DuckDB file; CLI commands run from this process against the same --db go through its hand-off file and
 * `POST /api/cli`, writes included, with their usual output and exit codes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/support/cli.js';
import { DuckDbEngine } from '../../store/index.js';
import { handoffPath } from './server-handoff.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

let dir: string;
let db: string;
let server: ChildProcess;
let serverLog = '';

function startServer(path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'src', 'services', 'cli', 'main.ts'),
        'serve',
        '--db',
        path,
        '--port',
        '0',
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CLIENTELE_NO_PROGRESS: '1' },
      },
    );
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${serverLog}`)), 90_000);
    child.stderr?.on('data', (d: Buffer) => {
      serverLog += d.toString();
      if (serverLog.includes('API description')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${serverLog}`));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-handoff-'));
  db = join(dir, 'shop.duckdb');
  expect((await runCliCaptured(['init', '--db', db])).exitCode).toBe(0);
  server = await startServer(db);
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI commands while clientele serve holds the datamart', () => {
  it('the server holds the file: opening it directly fails with DuckDB’s lock error', async () => {
    expect(existsSync(handoffPath(db))).toBe(true);
    await expect(DuckDbEngine.open(db)).rejects.toThrow(/lock/i);
  });

  it('imports, queries, scores and counts through the server, with the usual output and exit codes', async () => {
    // A relative file path means the caller's folder: the server runs the command there.
    writeFileSync(
      join(dir, 'log.csv'),
      'customer,date,amount\nk1,2024-01-05,10\nk1,2024-02-05,20\nk2,2024-01-07,5\n,2024-01-08,7\n',
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const imported = await runCliCaptured([
        'import',
        'log.csv',
        '--target',
        'orders',
        '--db',
        db,
        '--json',
      ]);
      expect(imported.stderr).toBe('');
      expect(imported.exitCode).toBe(0);
      expect(imported.json).toMatchObject({ read: 4, loaded: 4, customersCreated: 2, guestOrders: 1 });
    } finally {
      process.chdir(cwd);
    }
    const sql = await runCliCaptured(['sql', 'SELECT count(*) AS n FROM orders', '--db', db, '--json']);
    expect(sql.exitCode).toBe(0);
    expect(sql.json.rows).toEqual([{ n: 4 }]);
    const rfm = await runCliCaptured(['rfm', '--as-of', '2024-03-01', '--db', db, '--json']);
    expect(rfm.exitCode).toBe(0);
    expect(rfm.json).toMatchObject({ scored: 2 });
    const built = await runCliCaptured(['features', 'build', '--as-of', '2024-03-01', '--db', db, '--json']);
    expect(built.exitCode).toBe(0);
    const count = await runCliCaptured(['segment', 'count', 'orders >= 2', '--db', db, '--json']);
    expect(count.stderr).toBe('');
    expect(count.exitCode).toBe(0);
    expect(count.json).toMatchObject({ count: 1 });
    const status = await runCliCaptured(['status', '--db', db]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/orders/);
    // An error keeps its message and exit code.
    const bad = await runCliCaptured(['sql', 'SELECT * FROM no_such_table', '--db', db]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/no_such_table/);
  });

  it('refuses a demo that would replace the served datamart', async () => {
    const demo = await runCliCaptured(['demo', '--db', db, '--no-serve']);
    expect(demo.exitCode).toBe(2);
    expect(demo.stderr).toMatch(/clientele serve \(process \d+\) serving it/);
    expect(existsSync(db)).toBe(true);
  });

  it('removes its hand-off file when it stops; the CLI then opens the file itself', async () => {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    expect(existsSync(handoffPath(db))).toBe(false);
    const direct = await runCliCaptured(['sql', 'SELECT count(*) AS n FROM orders', '--db', db, '--json']);
    expect(direct.json.rows).toEqual([{ n: 4 }]);
  });
});
