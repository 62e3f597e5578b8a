import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, ident, sql } from '../store/index.js';
import { profileColumns } from './profile.js';
import { detectFileFormat, stageFile } from './stage-file.js';
import type { StagedSource } from './types.js';

let engine: DuckDbEngine;
let dir: string;
let workbook: string;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
  dir = mkdtempSync(join(tmpdir(), 'clientele-stagefile-test-'));
  workbook = join(dir, 'shop.xlsx');
  // Written with the streaming writer, as a real export of two sheets would be.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: workbook,
    useSharedStrings: true,
    useStyles: true,
  });
  const customers = wb.addWorksheet('Klanten');
  customers.getColumn(3).numFmt = 'dd/mm/yyyy';
  customers.addRow(['Klantnummer', 'Naam', 'Geboortedatum', 'Omzet']).commit();
  customers.addRow(['K1', 'Jansen', new Date(Date.UTC(1980, 11, 31)), 1234.5]).commit();
  customers
    .addRow([
      'K2',
      { richText: [{ text: 'Sm' }, { text: 'it' }] },
      new Date(Date.UTC(1975, 1, 1)),
      { formula: 'D2*2', result: 2469 },
    ])
    .commit();
  customers.addRow([]).commit();
  customers.addRow(['K3', 'Bakker', null, 7]).commit();
  await customers.commit();
  const orders = wb.addWorksheet('Orders');
  orders.addRow(['order_id', 'customer_id', 'order_date', 'total']).commit();
  const row = orders.addRow(['A1', 'K1', new Date(Date.UTC(2024, 0, 5, 10, 30)), 12.5]);
  row.getCell(3).numFmt = 'yyyy-mm-dd hh:mm';
  row.commit();
  await orders.commit();
  await wb.commit();
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(s: StagedSource): Promise<Record<string, unknown>[]> {
  const out = await engine.query(sql`SELECT * FROM ${ident(s.table)} ORDER BY _line`);
  return out.map((r) =>
    Object.fromEntries([['_line', r._line], ...s.columns.map((c) => [c.name, r[c.staged]])]),
  );
}

describe('stageFile: Excel', () => {
  it('stages each sheet with sheet row numbers, dates as ISO text, rich text and formula results', async () => {
    const staged = await stageFile(engine, workbook);
    expect(staged.map((s) => s.source)).toEqual([`xlsx:${workbook}#Klanten`, `xlsx:${workbook}#Orders`]);
    expect(await rows(staged[0]!)).toEqual([
      { _line: 2, Klantnummer: 'K1', Naam: 'Jansen', Geboortedatum: '1980-12-31', Omzet: '1234.5' },
      { _line: 3, Klantnummer: 'K2', Naam: 'Smit', Geboortedatum: '1975-02-01', Omzet: '2469' },
      { _line: 5, Klantnummer: 'K3', Naam: 'Bakker', Geboortedatum: null, Omzet: '7' },
    ]);
    expect(await rows(staged[1]!)).toEqual([
      { _line: 2, order_id: 'A1', customer_id: 'K1', order_date: '2024-01-05 10:30:00', total: '12.5' },
    ]);
    const profiles = await profileColumns(engine, staged[0]!);
    expect(profiles.map((p) => p.parse.type)).toEqual(['string', 'string', 'date', 'number']);
    for (const s of staged) await s.cleanup();
  });

  it('stages only the named sheet and lists the sheets when the name is wrong', async () => {
    const staged = await stageFile(engine, workbook, { sheet: 'Orders' });
    expect(staged.map((s) => s.detected.sheet)).toEqual(['Orders']);
    await staged[0]!.cleanup();
    await expect(stageFile(engine, workbook, { sheet: 'Bestellingen' })).rejects.toThrow(
      /"Klanten", "Orders"/,
    );
  });
});

describe('stageFile: Parquet, JSON, NDJSON', () => {
  it('declares the Parquet schema types and stages values as text', async () => {
    const path = join(dir, 't.parquet');
    await engine.exec(
      `COPY (SELECT * FROM (VALUES (1, 'a', DATE '2024-01-05', 1.5::DOUBLE, ['p', 'q'], TIMESTAMPTZ '2024-01-05 10:00:00+02'), (2, 'b', NULL, 2.0, [], NULL)) t(id, name, d, x, tags, tz)) TO '${path}' (FORMAT parquet)`,
    );
    const [s] = await stageFile(engine, path);
    expect(s!.format).toBe('parquet');
    expect(s!.columns.map((c) => [c.name, c.declared?.type])).toEqual([
      ['id', 'integer'],
      ['name', undefined],
      ['d', 'date'],
      ['x', 'number'],
      ['tags', 'list'],
      ['tz', 'timestamp'],
    ]);
    expect((await rows(s!))[0]).toEqual({
      _line: 1,
      id: '1',
      name: 'a',
      d: '2024-01-05',
      x: '1.5',
      tags: 'p|q',
      tz: '2024-01-05 08:00:00',
    });
    await s!.cleanup();
  });

  it('reads NDJSON with source line numbers and a JSON array with record numbers', async () => {
    const nd = join(dir, 'events.json');
    writeFileSync(nd, '{"id": 1, "when": "2024-01-05"}\n{"id": 2, "when": "2024-01-06"}\n');
    expect(await detectFileFormat(nd)).toBe('ndjson');
    const [a] = await stageFile(engine, nd);
    expect(a!.detected.lineNumbers).toBe('source lines');
    expect((await rows(a!)).map((r) => [r._line, r.id])).toEqual([
      [1, '1'],
      [2, '2'],
    ]);
    const arr = join(dir, 'list.json');
    writeFileSync(arr, '[{"id": "x", "ok": true}, {"id": "y", "ok": false}]');
    const [b] = await stageFile(engine, arr);
    expect(b!.format).toBe('json');
    expect(b!.columns.find((c) => c.name === 'ok')!.declared).toEqual({ type: 'boolean' });
    expect((await rows(b!)).map((r) => r.ok)).toEqual(['true', 'false']);
    await a!.cleanup();
    await b!.cleanup();
  });

  it('says clearly when a file is not the format its name claims', async () => {
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, 'not parquet at all');
    await expect(stageFile(engine, bad)).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    await expect(stageFile(engine, join(dir, 'old.xls'))).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('detects the format from the bytes when the extension says nothing', async () => {
    expect(await detectFileFormat(workbook)).toBe('xlsx');
    const noExt = join(dir, 'export');
    writeFileSync(noExt, 'a;b\n1;2\n');
    expect(await detectFileFormat(noExt)).toBe('csv');
  });
});
