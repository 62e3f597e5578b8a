import { readFileSync, writeFileSync as writeFile } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSource } from './import-source.js';
import { tempDatamart } from './load/test-support.js';

/**
 * Real national exports (issue 12): a French Windows-1252 `;` file (`1 234,56 €`, dd/mm/yyyy, no-break
 * spaces) and a German UTF-8 file with a BOM (dd.mm.yyyy, `1.234,56`), each with about 0.5% impossible
 * dates and some `n/a` amounts. The formats are decided by the values that parse; exactly the bad rows
 * are rejected, each with its value and the chosen format; the sum of the rest is exact to the cent.
 * The files and their expectations come from scripts/make-ingest-fixtures.ts.
 */

const DIR = joinPath(import.meta.dirname, '..', '..', 'test', 'fixtures', 'ingest');
const expected = JSON.parse(readFileSync(joinPath(DIR, 'national-exports.expected.json'), 'utf8')) as Record<
  string,
  {
    rows: number;
    rejected: { line: number; value: string; kind: 'date' | 'amount' }[];
    loadedSumCents: number;
  }
>;

let db: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  db = await tempDatamart();
});
afterEach(async () => {
  await db.dispose();
});

describe.each([
  ['commandes-fr-cp1252.csv', '%d/%m/%Y', 'Date commande', 'Montant TTC'],
  ['bestellungen-de-bom.csv', '%d.%m.%Y', 'Bestelldatum', 'Bestellwert (EUR)'],
])('%s', (file, format, dateColumn, amountColumn) => {
  it('rejects exactly the impossible dates and n/a amounts, loads every other row, sums to the cent', async () => {
    const want = expected[file]!;
    const r = await importSource(db.engine, { path: joinPath(DIR, file), target: 'orders' });
    if (r.dryRun) throw new Error('dry run');
    expect(r.read).toBe(want.rows);
    expect(r.rejected).toBe(want.rejected.length);
    expect(r.loaded).toBe(want.rows - want.rejected.length);
    // The transaction log names customers the empty datamart does not know: they are created.
    expect(r.customersCreated).toBeGreaterThan(0);
    const rejects = await db.engine.query<{
      line: number;
      column_name: string;
      raw_value: string;
      reason: string;
    }>(`SELECT line, column_name, raw_value, reason FROM rejects WHERE load_id = ${r.loadId} ORDER BY line`);
    expect(rejects.map((x) => [x.line, x.raw_value])).toEqual(want.rejected.map((x) => [x.line, x.value]));
    for (const [k, x] of rejects.entries()) {
      const bad = want.rejected[k]!;
      expect(x.column_name).toBe(bad.kind === 'date' ? dateColumn : amountColumn);
      // The reason quotes the value and the format the column was read with.
      expect(x.reason).toContain(`found "${bad.value}"`);
      if (bad.kind === 'date') expect(x.reason).toContain(`a date (${format})`);
      else expect(x.reason).toMatch(/a number \(decimal ','/);
    }
    const [sum] = await db.engine.query<{ cents: number }>(
      'SELECT CAST(sum(round(total * 100)) AS BIGINT) AS cents FROM orders',
    );
    expect(Number(sum?.cents)).toBe(want.loadedSumCents);
    // Re-importing the file changes nothing and does not add its rejects again.
    const again = await importSource(db.engine, { path: joinPath(DIR, file), target: 'orders' });
    expect(again).toMatchObject({ inserted: 0, unchanged: want.rows - want.rejected.length });
    const [kept] = await db.engine.query<{ n: number }>('SELECT count(*) AS n FROM rejects');
    expect(Number(kept?.n)).toBe(want.rejected.length);
  });
});

describe('number and date formats', () => {
  it('reads two-digit years, bracket and minus-sign negatives, currency signs and thin spaces', async () => {
    const path = joinPath(db.dir, 'misc.csv');
    const lines = [
      'order_id;customer_id;order_date;total',
      'o1;c1;31/12/24;(12,50 €)',
      'o2;c1;01/02/24;\u2212 3,00',
      'o3;c2;15/06/99;1\u202f234,56 €',
      'o4;c2;30/02/24;1,00',
    ];
    writeFile(path, `${lines.join('\n')}\n`);
    const r = await importSource(db.engine, { path, target: 'orders' }, { allowNegative: true });
    if (r.dryRun) throw new Error('dry run');
    const rows = await db.engine.query<{ order_id: string; order_date: string; total: number }>(
      'SELECT order_id, CAST(order_date AS VARCHAR) AS order_date, total FROM orders ORDER BY order_id',
    );
    expect(rows).toEqual([
      { order_id: 'o1', order_date: '2024-12-31', total: -12.5 },
      { order_id: 'o2', order_date: '2024-02-01', total: -3 },
      { order_id: 'o3', order_date: '1999-06-15', total: 1234.56 },
    ]);
    expect(r.rejected).toBe(1);
  });

  it('reads dd/mm/yyyy timestamps into a date field', async () => {
    const path = joinPath(db.dir, 'ts.csv');
    writeFile(
      path,
      'order_id,customer_id,order_date,total\no1,c1,25/01/2024 10:15,5\no2,c1,03/02/2024 23:59,6\n',
    );
    const r = await importSource(db.engine, { path, target: 'orders' });
    if (r.dryRun) throw new Error('dry run');
    const rows = await db.engine.queryColumns(
      'SELECT CAST(order_date AS VARCHAR) AS d FROM orders ORDER BY 1',
    );
    expect(rows.d).toEqual(['2024-01-25', '2024-02-03']);
  });

  it('is ambiguous only when the valid values cannot decide, and says how to choose', async () => {
    const path = joinPath(db.dir, 'amb.csv');
    writeFile(
      path,
      'order_id,customer_id,order_date,total\no1,c1,01/02/2024,5\no2,c1,03/04/2024,6\no3,c1,31/02/2024,1\n',
    );
    await expect(importSource(db.engine, { path, target: 'orders' })).rejects.toThrow(
      /fit both day-first \(%d\/%m\/%Y\) and month-first \(%m\/%d\/%Y\).*--date-format/s,
    );
    // One valid value past 12 decides; the impossible one is rejected, not the column.
    writeFile(
      path,
      'order_id,customer_id,order_date,total\no1,c1,01/02/2024,5\no2,c1,03/04/2024,6\no3,c1,31/02/2024,1\no4,c1,13/01/2024,2\n',
    );
    const r = await importSource(db.engine, { path, target: 'orders' });
    if (r.dryRun) throw new Error('dry run');
    expect({ loaded: r.loaded, rejected: r.rejected }).toEqual({ loaded: 3, rejected: 1 });
  });
});
