import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { openShop } from '../../../../test/support/tiny-shop.js';

/**
 * Issue 18: the segment size history gets a point after each import (not only after a feature refresh), and
 * each load records how long it took.
 */
let dir: string;
let db: string;
const cli = cliOn(() => db);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-import-sizes-'));
  db = join(dir, 'shop.duckdb');
  const engine = await openShop(db);
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('segment sizes after an import', () => {
  it('records each stored segment’s size after every import', async () => {
    expect((await cli('features', 'build', '--as-of', '2024-06-30')).exitCode).toBe(0);
    const created = await cli('segment', 'create', 'buyers', 'orders >= 1');
    expect(created.exitCode).toBe(0);
    const before = (await cli('segment', 'show', 'buyers', '--json')).json.history as unknown[];
    expect(before).toHaveLength(1);

    const file = join(dir, 'customers-more.csv');
    writeFileSync(
      file,
      'customer_id,first_name,last_name,email,country\nC9001,Ada,Lovelace,ada@example.org,NL\n',
    );
    const imported = await cli('import', file, '--target', 'customers');
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout).toContain('Segment sizes recorded: buyers.');
    const after = (await cli('segment', 'show', 'buyers', '--json')).json.history as { size: number }[];
    expect(after).toHaveLength(2);
    // Each load says how long it took (the Imports page shows it).
    const status = await cli('status', '--json');
    const load = status.json.loads[0];
    expect(load.source).toContain('customers-more.csv');
    expect(typeof load.seconds).toBe('number');
    expect(load.seconds).toBeGreaterThanOrEqual(0);
    // A dry run loads nothing and records nothing.
    await cli('import', file, '--target', 'customers', '--dry-run');
    expect((await cli('segment', 'show', 'buyers', '--json')).json.history).toHaveLength(2);
  });
});
