import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { generateDemo } from './index.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    out[f] = createHash('sha256')
      .update(readFileSync(join(dir, f)))
      .digest('hex');
  }
  return out;
}

function dataLines(path: string): number {
  const text = readFileSync(path, 'latin1');
  return text.split(/\r?\n/).filter((l) => l.length > 0).length - 1;
}

describe('generateDemo', () => {
  let dir = '';
  let result: Awaited<ReturnType<typeof generateDemo>>;
  beforeAll(async () => {
    dir = tempDir();
    result = await generateDemo({ customers: 300, seed: 7, outDir: dir, asOf: '2026-06-30' });
  });

  it('is byte-identical for the same seed and differs for another seed', async () => {
    const again = tempDir();
    await generateDemo({ customers: 300, seed: 7, outDir: again, asOf: '2026-06-30' });
    const a = hashes(dir);
    expect(Object.keys(a)).toHaveLength(14);
    expect(hashes(again)).toEqual(a);
    const other = tempDir();
    await generateDemo({ customers: 300, seed: 8, outDir: other, asOf: '2026-06-30' });
    const b = hashes(other);
    expect(b['orders.csv']).not.toBe(a['orders.csv']);
    expect(b['products.xlsx']).toBe(a['products.xlsx']); // the catalog is the shop, the same for every seed
  });

  it('writes every file the manifest lists, with the row counts it states', () => {
    const m = result.manifest;
    expect(m.files.map((f) => f.target)).toEqual([
      'customers',
      'customers',
      'customers',
      'customers',
      'products',
      'campaigns',
      'area_data',
      'orders',
      'order_lines',
      'campaign_events',
      'service_contacts',
      'customer_texts',
    ]);
    for (const f of m.files) {
      if (f.format === 'csv') expect(dataLines(join(dir, f.file)), f.file).toBe(f.rows);
      if (f.format === 'ndjson') {
        const lines = readFileSync(join(dir, f.file), 'utf8').trim().split('\n');
        expect(lines).toHaveLength(f.rows);
        for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      }
    }
    const customerRows = m.files.filter((f) => f.target === 'customers').reduce((s, f) => s + f.rows, 0);
    // + the planted duplicate row + the leads who later became customers (same e-mail, another id)
    expect(m.planted.identities.leadsAlsoCustomers).toBeGreaterThan(0);
    expect(customerRows).toBe(m.counts.customers + 1 + m.planted.identities.leadsAlsoCustomers);
    expect(m.counts.buyers + m.counts.prospects).toBe(300);
    expect(m.files.find((f) => f.file === 'orders.csv')!.rows).toBe(m.counts.orders + 2); // duplicate + orphan
    expect(m.files.find((f) => f.file === 'order_lines.csv')!.rows).toBe(m.counts.orderLines + 1);
  });

  it('gives every customer a unique e-mail address and phone number (only the planted leads share one)', () => {
    const emails = new Map<string, string[]>();
    const phones = new Set<string>();
    for (const f of result.manifest.files.filter((x) => x.target === 'customers')) {
      const text = readFileSync(join(dir, f.file), f.encoding === 'latin-1' ? 'latin1' : 'utf8').replace(
        /^\ufeff/,
        '',
      );
      const rows = [...new Set(text.split(/\r?\n/).slice(1).filter(Boolean))]; // the planted duplicate row once
      for (const row of rows) {
        const cells = row.split(f.delimiter!);
        emails.set(cells[3]!, [...(emails.get(cells[3]!) ?? []), cells[0]!]);
        if (cells[4]) {
          expect(phones.has(cells[4]), cells[4]).toBe(false);
          phones.add(cells[4]);
        }
      }
    }
    const shared = [...emails.values()].filter((ids) => ids.length > 1);
    expect(shared).toHaveLength(result.manifest.planted.identities.leadsAlsoCustomers);
    for (const ids of shared)
      expect(ids.map((id) => id.slice(1)).sort()).toEqual([ids[0]!.slice(1), ids[0]!.slice(1)]);
  });

  it('writes the European formats it promises', () => {
    const nl = readFileSync(join(dir, 'klanten_nl_be.csv'));
    const de = readFileSync(join(dir, 'kunden_de.csv'));
    const fr = readFileSync(join(dir, 'clients_fr.csv'));
    // Latin-1: "Straße" is 0xDF, not the UTF-8 pair C3 9F; lines end in CRLF.
    expect(de.subarray(0, 200).includes(Buffer.from('Stra\u00dfe', 'latin1'))).toBe(true);
    expect(de.includes(Buffer.from('Straße', 'utf8'))).toBe(false);
    expect(nl.toString('latin1').split('\r\n')[0]).toMatch(/^Klantnummer;Voornaam;.*;Geboortedatum;/);
    expect(nl.toString('latin1').split('\r\n')[1]).toMatch(/;\d{2}\/\d{2}\/\d{4};/);
    expect(de.toString('latin1').split('\r\n')[1]).toMatch(/;\d{2}\.\d{2}\.\d{4};/);
    expect([...fr.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(fr.toString('utf8').slice(1, 10)).toBe('N° client');
    const lines = readFileSync(join(dir, 'order_lines.csv'), 'utf8').split('\n');
    expect(lines[1]).toMatch(/^O\d{9};1;[A-Z]{3}-\d{3};-?\d+;\d+,\d{2};\d+,\d{2};\d+$/);
  });

  it('writes the catalog as one readable .xlsx sheet with 3-level categories and margins', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'products.xlsx'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Catalog']);
    const sheet = workbook.getWorksheet('Catalog')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'sku',
      'name',
      'category_path',
      'brand',
      'price',
      'unit_cost',
      'currency',
    ]);
    expect(sheet.rowCount - 1).toBe(result.manifest.counts.products);
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const [, sku, , path, , price, cost] = row.values as unknown[];
      expect(String(sku)).toMatch(/^[A-Z]{3}-\d{3}$/);
      expect(String(path).split(' > ')).toHaveLength(3);
      expect(Number(cost)).toBeGreaterThan(0);
      expect(Number(cost)).toBeLessThan(Number(price));
    });
  });

  it('lists the planted data-quality problems with their lines', () => {
    const problems = result.manifest.planted.problems;
    expect(problems.map((p) => `${p.file}:${p.column ?? '*'}:${p.expected}`).sort()).toEqual([
      'klanten_nl_be.csv:*:duplicate',
      'order_lines.csv:quantity:rejected',
      'order_lines.csv:quantity:rejected',
      'orders.csv:*:duplicate',
      'orders.csv:customer_id:rejected',
      'orders.csv:order_date:rejected',
      'orders.csv:order_date:rejected',
      'orders.csv:order_date:rejected',
      'prospects.csv:birth_date:rejected',
      'prospects.csv:birth_date:rejected',
    ]);
    for (const p of problems) {
      const lines = readFileSync(join(dir, p.file), 'latin1').split(/\r?\n/);
      const line = lines[p.line - 1]!;
      if (p.expected === 'duplicate') expect(line).toBe(lines[p.line - 2]);
      else expect(line).toContain(p.value!);
    }
  });

  it('rejects bad options with every issue at once', async () => {
    const error = await generateDemo({
      customers: 0,
      seed: 1.5,
      outDir: tempDir(),
      asOf: '2026-02-30',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).details.issues as { where: string }[];
    expect(issues.map((i) => i.where)).toEqual(['customers', 'seed', 'asOf']);
  });
});
