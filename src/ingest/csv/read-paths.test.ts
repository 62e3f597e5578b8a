import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStaged } from '../load/load.js';
import { snapshot, tempDatamart } from '../load/test-support.js';
import { planImport } from '../mapping/map-columns.js';
import { stageCsv } from './stage.js';

/**
 * A UTF-8 file is normally read directly (a view over DuckDB's read_csv); Latin-1/Windows-1252 files,
 * files with records over several lines and broken files go through a line-numbered copy. Both paths
 * must load the same rows and keep the same rejects with the same line numbers.
 */

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'ingest');

let direct: Awaited<ReturnType<typeof tempDatamart>>;
let copied: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  direct = await tempDatamart();
  copied = await tempDatamart();
});
afterEach(async () => {
  await direct.dispose();
  await copied.dispose();
});

async function importBoth(file: string, target: 'customers' | 'order_lines') {
  const out = [];
  for (const [db, readPath] of [
    [direct, 'auto'],
    [copied, 'line-numbered'],
  ] as const) {
    const staged = await stageCsv(db.engine, join(FIXTURES, file), { readPath });
    try {
      const { mapping } = await planImport(db.engine, staged, { target });
      const { seconds: _s, ...summary } = await loadStaged(db.engine, staged, mapping, { source: 'crm' });
      out.push({ summary, readPath: staged.detected.readPath });
    } finally {
      await staged.cleanup();
    }
  }
  return out;
}

/** The datamart without the load log's timestamps and detected read path (the one intended difference). */
async function contents(engine: (typeof direct)['engine']) {
  const { loads: _loads, ...rest } = await snapshot(engine);
  const loads = await engine.query(
    'SELECT load_id, target, status, read, loaded, inserted, updated, unchanged, rejected, duplicates FROM loads ORDER BY load_id',
  );
  return { ...rest, loads };
}

describe('direct and line-numbered CSV reads', () => {
  it('load the same customers and order lines and keep the same rejects, lines and raw rows', async () => {
    const customers = await importBoth('customers-dupes.csv', 'customers');
    expect(customers.map((c) => c.readPath)).toEqual(['direct', 'line-numbered copy']);
    expect(customers[0]?.summary).toEqual(customers[1]?.summary);
    expect(customers[0]?.summary).toMatchObject({ read: 7, rejected: 3, duplicates: 1, loaded: 3 });

    const lines = await importBoth('order-lines-flat.csv', 'order_lines');
    expect(lines.map((c) => c.readPath)).toEqual(['direct', 'line-numbered copy']);
    expect(lines[0]?.summary).toEqual(lines[1]?.summary);
    expect(lines[0]?.summary).toMatchObject({ read: 9, duplicates: 0 });
    expect(lines[0]?.summary.rejected).toBeGreaterThan(0);

    const a = await contents(direct.engine);
    const b = await contents(copied.engine);
    expect(a).toEqual(b);
    // Lines of one order spread over the file (O2 on lines 4 and 10) are numbered in file order;
    // O3's unknown customer (line 5), O4's zero quantity (line 6, and so its line 7) and O5 are rejected.
    expect(
      await direct.engine.query(
        `SELECT order_id, line_no, sku FROM order_lines WHERE order_id IN ('O1', 'O2') ORDER BY ALL`,
      ),
    ).toEqual([
      { order_id: 'O1', line_no: 1, sku: 'SKU1' },
      { order_id: 'O1', line_no: 2, sku: 'SKU2' },
      { order_id: 'O2', line_no: 1, sku: 'SKU1' },
      { order_id: 'O2', line_no: 2, sku: 'SKU4' },
    ]);
    expect(
      (
        await direct.engine.query<{ line: number }>(
          `SELECT DISTINCT line FROM rejects WHERE target = 'order_lines' ORDER BY line`,
        )
      ).map((r) => r.line),
    ).toEqual([5, 6, 7, 8]);
  });

  it('give the same result when a quoted field spans lines (the direct path steps aside)', async () => {
    const staged = await stageCsv(direct.engine, join(FIXTURES, 'quoted-multiline.csv'));
    expect(staged.detected.readPath).toBe('line-numbered copy');
    await staged.cleanup();
  });
});
