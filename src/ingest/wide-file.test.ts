import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../store/index.js';
import { importSource } from './index.js';

/**
 * A wide file (issue 19: "1,000 columns take over 6 GB"; 200 rows of 1,000 columns took over three minutes in
 * one statement of thousands of expressions) is profiled and checked in chunks of 64 columns: each bad value
 * still rejects its row with its line and its own column, on either side of a chunk boundary. 300 columns keep
 * the test short; `bench/RESULTS.md` has the 1,000-column timing.
 */
let dir: string;
let engine: DuckDbEngine;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-wide-'));
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a file of 300 columns', () => {
  it('loads every good row and rejects each bad value by its line and column', async () => {
    const width = 300;
    const names = Array.from({ length: width }, (_, i) => `col${i}`);
    const rows = Array.from({ length: 60 }, (_, r) => names.map((_, i) => String(r * 3 + i)));
    // Line 5: a text in integer column 63 (last of the first chunk); line 9: in column 64 (first of the next);
    // line 12: in the last column.
    rows[3]![63] = 'sixty-three';
    rows[7]![64] = 'sixty-four';
    rows[10]![299] = 'last';
    const file = join(dir, 'wide.csv');
    writeFileSync(file, `${names.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const r = await importSource(engine, { path: file, as: 'wide' });
    expect(r).toMatchObject({ dryRun: false, read: 60, loaded: 57, rejected: 3 });
    const rejects = await engine.query(
      `SELECT line, column_name, raw_value FROM rejects WHERE target = 'wide' ORDER BY line`,
    );
    expect(rejects).toEqual([
      { line: 5, column_name: 'col63', raw_value: 'sixty-three' },
      { line: 9, column_name: 'col64', raw_value: 'sixty-four' },
      { line: 12, column_name: 'col299', raw_value: 'last' },
    ]);
    const [cols] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'wide'`,
    );
    expect(cols?.n).toBe(width);
    expect(await engine.query('SELECT col0, col299 FROM wide ORDER BY col0 LIMIT 2')).toEqual([
      { col0: 0, col299: 299 },
      { col0: 3, col299: 302 },
    ]);
  }, 90_000);
});
