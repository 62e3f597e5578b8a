import { spawn } from 'node:child_process';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbEngine, sql } from '../../store/index.js';
import { importSource } from '../import-source.js';
import { snapshot, tempDatamart } from './test-support.js';

/**
 * Killing the import process mid-load (SIGKILL: no cleanup, no rollback code runs) must leave the
 * datamart exactly as it was: the load is one transaction, and DuckDB discards uncommitted work on reopen.
 */

const repoRoot = joinPath(import.meta.dirname, '..', '..', '..');
let db: Awaited<ReturnType<typeof tempDatamart>>;

beforeEach(async () => {
  db = await tempDatamart();
});
afterEach(async () => {
  await db.dispose();
});

async function writeLinesCsv(engine: DuckDbEngine, path: string, rows: number, offset: number) {
  await engine.exec(sql`COPY (
    SELECT 'o' || ((i + ${offset}) // 3) AS order_id, 'c' || (i % 50) AS customer_id,
           DATE '2024-01-01' + CAST(i % 300 AS INTEGER) AS order_date, 'web' AS channel,
           'sku' || (i % 97) AS sku, 1 + i % 4 AS quantity, round(1 + (i % 1000) / 10, 2) AS unit_price
    FROM range(${rows}) t(i)) TO ${path} (HEADER)`);
}

function runChild(
  dbPath: string,
  file: string,
  step: string,
): Promise<{ paused: boolean; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        joinPath(repoRoot, 'test', 'support', 'import-child.ts'),
        dbPath,
        file,
        'order_lines',
        step,
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let paused = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!paused && output.includes('PAUSED')) {
        paused = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ paused, signal, output }));
  });
}

describe('killing the import process', () => {
  // After 'upsert' every row of both tables is written inside the open transaction: the hardest moment.
  for (const step of ['upsert']) {
    it(`SIGKILL after "${step}" leaves the datamart exactly as before`, async () => {
      const { engine } = db;
      await engine.exec(sql`INSERT INTO customers (customer_id, source, load_id)
        SELECT 'c' || i, 'seed', 0 FROM range(50) t(i)`);
      const first = joinPath(db.dir, 'first.csv');
      await writeLinesCsv(engine, first, 3_000, 0);
      const loaded = await importSource(engine, { path: first, target: 'order_lines' });
      expect(loaded).toMatchObject({ loaded: 3_000, rejected: 0 });
      const big = joinPath(db.dir, 'big.csv');
      await writeLinesCsv(engine, big, 60_000, 1_500);
      const before = await snapshot(engine);
      await engine.close();

      const result = await runChild(db.path, big, step);
      expect(result.paused).toBe(true);
      expect(result.signal).toBe('SIGKILL');

      db.engine = await DuckDbEngine.open(db.path);
      expect(await snapshot(db.engine)).toEqual(before);
      // The datamart still works: the same import now completes.
      const again = await importSource(db.engine, { path: big, target: 'order_lines' });
      expect(again).toMatchObject({ read: 60_000, loaded: 60_000 });
    });
  }
});
