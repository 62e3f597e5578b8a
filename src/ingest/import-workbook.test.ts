import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSource } from './import-source.js';
import { snapshot, tempDatamart } from './load/test-support.js';

/** A workbook without --sheet: every sheet is mapped on its own and loaded, all in one transaction. */

let db: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  db = await tempDatamart();
});
afterEach(async () => {
  await db.dispose();
});

/** Orders first in the workbook: the import must still load the customers sheet before it. */
async function writeWorkbook(path: string, orderRows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const orders = wb.addWorksheet('Bestellingen');
  orders.addRow(['order_id', 'customer_id', 'order_date', 'sku', 'quantity', 'unit_price']).commit();
  for (const r of orderRows) orders.addRow(r).commit();
  await orders.commit();
  const customers = wb.addWorksheet('Klanten');
  customers.addRow(['Klantnummer', 'Voornaam', 'E-mail']).commit();
  customers.addRow(['K1', 'Anna', 'anna@example.com']).commit();
  customers.addRow(['K2', 'Bert', 'bert@example.com']).commit();
  await customers.commit();
  await wb.commit();
}

describe('importing a workbook', () => {
  it('imports each sheet with its own mapping, customers before orders, and sums the sheets', async () => {
    const path = join(db.dir, 'shop.xlsx');
    await writeWorkbook(path, [
      ['B1', 'K1', '2024-03-01', 'SKU1', 2, 9.5],
      ['B1', 'K1', '2024-03-01', 'SKU2', 1, 4],
      ['B2', 'K2', '2024-03-02', 'SKU1', 1, 9.5],
      ['B3', 'K9', '2024-03-03', 'SKU1', 1, 9.5],
    ]);
    const r = await importSource(db.engine, { path });
    if (r.dryRun) throw new Error('unexpected dry run');
    expect(r.sheets?.map((s) => [s.source, s.target, s.read, s.loaded, s.rejected])).toEqual([
      [`xlsx:${path}#Klanten`, 'customers', 2, 2, 0],
      [`xlsx:${path}#Bestellingen`, 'order_lines', 4, 3, 1],
    ]);
    expect(r).toMatchObject({ source: path, read: 6, loaded: 5, rejected: 1, duplicates: 0 });
    expect(r.read).toBe(r.loaded + r.rejected + r.duplicates);
    expect(await db.engine.query('SELECT order_id, customer_id FROM orders ORDER BY 1')).toEqual([
      { order_id: 'B1', customer_id: 'K1' },
      { order_id: 'B2', customer_id: 'K2' },
    ]);
    expect(
      await db.engine.query(`SELECT line, column_name, raw_value FROM rejects WHERE target = 'order_lines'`),
    ).toEqual([{ line: 5, column_name: 'customer_id', raw_value: 'K9' }]);
  });

  it('rolls every sheet back when one sheet fails', async () => {
    const path = join(db.dir, 'bad.xlsx');
    await writeWorkbook(path, [
      ['B1', 'K7', '2024-03-01', 'SKU1', 2, 9.5],
      ['B2', 'K8', '2024-03-02', 'SKU1', 1, 9.5],
    ]);
    const before = await snapshot(db.engine);
    await expect(importSource(db.engine, { path }, { maxRejectRate: 0.1 })).rejects.toMatchObject({
      code: 'REJECT_RATE_EXCEEDED',
    });
    // The customers sheet had loaded fine, but it is part of the same transaction.
    expect(await snapshot(db.engine)).toEqual(before);
  });

  it('describes every sheet in a dry run and still imports one sheet with --sheet', async () => {
    const path = join(db.dir, 'shop.xlsx');
    await writeWorkbook(path, [['B1', 'K1', '2024-03-01', 'SKU1', 2, 9.5]]);
    const dry = await importSource(db.engine, { path }, { dryRun: true });
    expect(dry.dryRun && dry.sheets?.map((s) => s.target)).toEqual(['customers', 'order_lines']);
    const one = await importSource(db.engine, { path, sheet: 'Klanten' });
    expect(one).toMatchObject({ dryRun: false, target: 'customers', loaded: 2 });
    expect(one.dryRun === false && one.sheets).toBeUndefined();
  });
});
