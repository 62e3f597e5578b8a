import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { DuckDbEngine } from '../../store/index.js';
import { stageCsv } from '../csv/stage.js';
import { profileColumns } from '../profile.js';
import type { StagedSource } from '../types.js';
import { previewImport } from './dry-run.js';
import {
  detectTarget,
  fieldForHeader,
  fieldTypesFromHeaders,
  mapColumns,
  matchHeader,
  planImport,
} from './map-columns.js';
import { parseMappingFile, readMappingFile } from './mapping-file.js';
import { headerKey } from './synonyms.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ingest');

let engine: DuckDbEngine;
let dir: string;
const staged: StagedSource[] = [];
beforeAll(async () => {
  engine = await DuckDbEngine.open();
  dir = mkdtempSync(join(tmpdir(), 'clientele-map-test-'));
});
afterAll(async () => {
  for (const s of staged) await s.cleanup();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function stageText(text: string): Promise<StagedSource> {
  const path = join(dir, `m${n++}.csv`);
  writeFileSync(path, text);
  const s = await stageCsv(engine, path);
  staged.push(s);
  return s;
}

describe('header synonyms', () => {
  it('folds case, accents, punctuation, spaces and underscores', () => {
    expect(headerKey('N° Client')).toBe('nclient');
    expect(headerKey('customer_ID')).toBe(headerKey('Customer Id'));
    expect(headerKey('Straße')).toBe('straße');
    expect(headerKey('Номер клиента')).toBe(headerKey('номер_клиента'));
  });

  it('finds customer_id in five languages', () => {
    for (const h of [
      'Klantnummer',
      'N° client',
      'Kundennummer',
      'номер клиента',
      'customer number',
      'cust_id',
      'CustomerID',
    ])
      expect(fieldForHeader('customers', h), h).toBe('customer_id');
  });

  it('reads a header by the table it is in', () => {
    expect(fieldForHeader('products', 'Produktname')).toBe('name');
    expect(fieldForHeader('campaigns', 'Nom de la campagne')).toBe('name');
    expect(fieldForHeader('orders', 'Besteldatum')).toBe('order_date');
    expect(fieldForHeader('customers', 'E-mailadres')).toBe('email');
    expect(fieldForHeader('customers', 'Geburtsdatum')).toBe('birth_date');
    expect(fieldForHeader('customers', 'Фамилия')).toBe('last_name');
  });

  it('matches headers as bags of words without unit suffixes, and typos by a fuzzy match', () => {
    expect(matchHeader('orders', 'Bestellwert (EUR)')).toMatchObject({ field: 'total', how: 'words' });
    expect(matchHeader('orders', 'Montant TTC')).toMatchObject({ field: 'total', how: 'words' });
    expect(matchHeader('orders', 'Date commande')).toMatchObject({ field: 'order_date', how: 'words' });
    expect(matchHeader('orders', 'Amount incl. VAT')).toMatchObject({ field: 'total', how: 'words' });
    const typo = matchHeader('customers', 'Kundenummer');
    expect(typo).toMatchObject({ field: 'customer_id', how: 'fuzzy' });
    expect(typo!.confidence).toBeGreaterThan(0.8);
    expect(typo!.confidence).toBeLessThan(1);
    expect(matchHeader('customers', 'Lieblingsfarbe')).toBeUndefined();
    // Mobile phone, salutation and opt-in fields in five languages.
    for (const [h, f] of [
      ['Mobile number', 'phone'],
      ['Handynummer', 'phone'],
      ['Мобильный телефон', 'phone'],
      ['Salutation', 'gender'],
      ['Aanhef', 'gender'],
      ['Civilité', 'gender'],
      ['Anrede', 'gender'],
      ['Обращение', 'gender'],
      ['Newsletter Opt-in', 'consent_email'],
      ['SMS opt-in', 'consent_sms'],
      ['Accepte SMS', 'consent_sms'],
      ['Подписка на рассылку', 'consent_email'],
    ] as const)
      expect(fieldForHeader('customers', h), h).toBe(f);
  });
});

describe('detectTarget', () => {
  it('picks the table whose required columns are present', () => {
    expect(detectTarget(['Klantnummer', 'Voornaam', 'E-mail'], 'x.csv').target).toBe('customers');
    expect(detectTarget(['Bestelnummer', 'Klantnummer', 'Besteldatum', 'Totaal'], 'x.csv').target).toBe(
      'orders',
    );
    const lines = detectTarget(
      ['order_id', 'customer_id', 'order_date', 'sku', 'qty', 'unit price'],
      'x.csv',
    );
    expect(lines.target).toBe('order_lines');
    expect(lines.reason).toMatch(/next best: orders/);
  });

  it('says which required columns are missing when no table fits', () => {
    expect(() => detectTarget(['foo', 'bar'], 'x.csv')).toThrow(
      /x\.csv: expected the columns of one of the tables.*--target/,
    );
    try {
      detectTarget(['foo', 'bar'], 'x.csv');
    } catch (e) {
      expect((e as InputError).code).toBe('MISSING_COLUMN');
    }
  });
});

describe('mapColumns', () => {
  it('maps a Dutch export with field types and the profiler formats', async () => {
    const s = await stageText(
      'Klantnummer;Achternaam;Geboortedatum;Nieuwsbrief;Omzet;Hobby\nK1;Jansen;31-12-1980;ja;1.234,50;zeilen\nK2;Smit;01-02-1975;nee;99,90;\n',
    );
    const mapping = mapColumns(s, await profileColumns(engine, s));
    expect(mapping.target).toBe('customers');
    expect(mapping.columns.map((c) => [c.source, c.field, c.parse])).toEqual([
      ['Klantnummer', 'customer_id', { type: 'string' }],
      ['Achternaam', 'last_name', { type: 'string' }],
      ['Geboortedatum', 'birth_date', { type: 'date', dateFormat: '%d-%m-%Y' }],
      ['Nieuwsbrief', 'consent_email', { type: 'boolean' }],
    ]);
    expect(mapping.unmapped).toEqual(['Omzet', 'Hobby']);
    expect(mapping.reasons.Klantnummer).toMatch(/header synonym "Klantnummer" → customer_id/);
    expect(mapping.reasons['(target)']).toMatch(/customers/);
  });

  it('skips scanning text fields when the field types are known from the headers', async () => {
    const s = await stageText('Bestelnummer;Klantnummer;Besteldatum;Totaal\n00012;007;31.01.2024;12,50\n');
    const fieldTypes = fieldTypesFromHeaders(s);
    expect(fieldTypes).toEqual({
      Bestelnummer: 'string',
      Klantnummer: 'string',
      Besteldatum: 'date',
      Totaal: 'number',
    });
    const profiles = await profileColumns(engine, s, { fieldTypes });
    expect(profiles.map((p) => p.reason.startsWith('loaded as a text field'))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const mapping = mapColumns(s, profiles);
    expect(mapping.columns.map((c) => c.parse)).toEqual([
      { type: 'string' },
      { type: 'string' },
      { type: 'date', dateFormat: '%d.%m.%Y' },
      { type: 'number', decimal: ',' },
    ]);
  });

  it('settles number fields of a comma file with one cheap scan, and leaves bad values to the loader', async () => {
    const s = await stageText('order_id,sku,qty,unit price\nA,S1,2,9.95\nB,S2,x,1e2\n');
    const profiles = await profileColumns(engine, s, { fieldTypes: fieldTypesFromHeaders(s) });
    expect(profiles.map((p) => p.parse)).toEqual([
      { type: 'string' },
      { type: 'string' },
      { type: 'number', decimal: '.' },
      { type: 'number', decimal: '.' },
    ]);
    expect(profiles[2]!.reason).toMatch(/decimal point/);
  });

  it('raises AMBIGUOUS_FORMAT when a text column with ambiguous dates feeds a date field', async () => {
    const s = await stageText('order_id,customer_id,order_date\n1,a,01/02/2024\n2,b,03/04/2024\n3,c,later\n');
    // Two of three values are dates that fit both orders: the profile itself stops, saying how to choose.
    await expect(profileColumns(engine, s)).rejects.toThrow(InputError);
    await expect(profileColumns(engine, s)).rejects.toThrow(/--date-format/);
  });

  it('applies a mapping file: target, renames, ignored columns, per-column and default parse options', async () => {
    const s = await stageText('Ref;Wanneer;Bedrag;Notitie\nA1;01/02/2024;12,5;x\n');
    const file = parseMappingFile({
      target: 'orders',
      nullValues: ['-'],
      parse: { dateFormat: '%d/%m/%Y' },
      columns: {
        Ref: 'order_id',
        Wanneer: 'order_date',
        Bedrag: { field: 'total', parse: { decimal: ',' } },
        Notitie: null,
      },
    });
    const profiles = await profileColumns(engine, s, { dateFormat: '%d/%m/%Y' });
    const mapping = mapColumns(s, profiles, { mappingFile: file });
    expect(mapping.target).toBe('orders');
    expect(mapping.columns).toEqual([
      {
        source: 'Ref',
        field: 'order_id',
        parse: { type: 'string', dateFormat: '%d/%m/%Y', nullValues: ['-'] },
      },
      {
        source: 'Wanneer',
        field: 'order_date',
        parse: { type: 'date', dateFormat: '%d/%m/%Y', nullValues: ['-'] },
      },
      {
        source: 'Bedrag',
        field: 'total',
        parse: { type: 'number', decimal: ',', dateFormat: '%d/%m/%Y', nullValues: ['-'] },
      },
    ]);
    expect(mapping.unmapped).toEqual(['Notitie']);
    expect(mapping.reasons.Notitie).toBe('ignored by the mapping file');
  });

  it('reports every mapping problem at once', async () => {
    const s = await stageText('a,b\n1,2\n');
    const file = parseMappingFile({
      target: 'customers',
      columns: { a: 'customer_nr', b: 'customer_id', zz: 'email' },
    });
    const error = (() => {
      try {
        mapColumns(s, [], { mappingFile: file });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.details.issueCount).toBe(2);
    expect(error!.message).toMatch(/"customer_nr" is not a field of customers/);
    expect(error!.message).toMatch(/"zz"\s*: not a column|columns\."zz"/);
  });

  it('maps every column of a raw import with its inferred type', async () => {
    const s = await stageText('Churn Label,Monthly Charges,Customer ID\nYes,29.85,7590-VHVEG\n');
    const mapping = mapColumns(s, await profileColumns(engine, s), { target: 'raw' });
    expect(mapping.columns.map((c) => [c.field, c.parse.type])).toEqual([
      ['churn_label', 'boolean'],
      ['monthly_charges', 'number'],
      ['customer_id', 'string'],
    ]);
  });
});

describe('mapping file validation', () => {
  it('lists every bad field with its path', () => {
    let error: InputError | undefined;
    try {
      parseMappingFile(
        {
          target: 'klanten',
          defaultCountry: 'Netherlands',
          colums: {},
          columns: { a: { feld: 'x' }, b: { parse: { type: 'money' } } },
        },
        'm.yaml',
      );
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    const wheres = (error!.details.issues as { where: string }[]).map((i) => i.where);
    expect(wheres).toEqual(
      expect.arrayContaining(['m.yaml: target', 'm.yaml: defaultCountry', 'm.yaml: (top level)']),
    );
    expect(error!.details.issueCount as number).toBeGreaterThanOrEqual(5);
    expect(error!.message).toMatch(/unknown key "colums"/);
  });

  it('reads the documented example mapping file and maps the Latin-1 fixture with it', async () => {
    const file = readMappingFile(join(ROOT, 'docs', 'examples', 'klanten-mapping.yaml'));
    expect(file).toMatchObject({ source: 'crm-export', target: 'customers', defaultCountry: 'NL' });
    const s = await stageCsv(engine, join(FIXTURES, 'klanten-latin1.csv'));
    staged.push(s);
    const profiles = await profileColumns(engine, s, { dateFormat: file.parse?.dateFormat });
    const mapping = mapColumns(s, profiles, { mappingFile: file });
    expect(mapping.columns.map((c) => c.field)).toEqual(['customer_id', 'last_name', 'city', 'created_at']);
    const preview = await previewImport(engine, s, mapping, 2);
    expect(preview.preview).toEqual([
      {
        _line: 2,
        customer_id: '1001',
        last_name: 'André Straße',
        city: 'Köln',
        created_at: '2024-01-31T00:00:00.000Z',
      },
      {
        _line: 3,
        customer_id: '1002',
        last_name: 'Zoë',
        city: 'Liège',
        created_at: '2024-02-05T00:00:00.000Z',
      },
    ]);
    expect(preview.detected).toMatchObject({ encoding: 'latin1', delimiter: 'semicolon' });
    expect(preview.unmapped).toEqual([{ source: 'Bedrag', reason: 'ignored by the mapping file' }]);
  });
});

describe('previewImport', () => {
  it('shows parsed rows, the reading of each column and how many values would not parse', async () => {
    const s = await stageText(
      'Kundennummer;Geburtsdatum;Umsatz\nK1;31.12.1980;1.234,56\nK2;kein Datum;99,9\n',
    );
    const profiles = await profileColumns(engine, s);
    const mapping = mapColumns(s, profiles, { target: 'customers' });
    const p = await previewImport(engine, s, mapping);
    expect(p.target).toBe('customers');
    expect(p.mapping.find((m) => m.field === 'birth_date')).toMatchObject({
      reads: 'a date (%d.%m.%Y)',
      unparseable: 1,
    });
    expect(p.preview).toEqual([
      { _line: 2, customer_id: 'K1', birth_date: '1980-12-31' },
      { _line: 3, customer_id: 'K2', birth_date: null },
    ]);
    expect(p.unmapped.map((u) => u.source)).toEqual(['Umsatz']);
  });
});

describe('planImport', () => {
  it('stops on ambiguous dates and reads them once --date-format is given', async () => {
    const s = await stageCsv(engine, join(FIXTURES, 'ambiguous-dates.csv'));
    staged.push(s);
    await expect(planImport(engine, s, { target: 'orders' })).rejects.toMatchObject({
      code: 'AMBIGUOUS_FORMAT',
    });
    const { mapping } = await planImport(engine, s, { target: 'orders', dateFormat: '%m/%d/%Y' });
    expect(mapping.target).toBe('orders');
    expect(mapping.columns.find((c) => c.field === 'order_date')!.parse).toMatchObject({
      type: 'date',
      dateFormat: '%m/%d/%Y',
    });
    const preview = await previewImport(engine, s, mapping, 1);
    expect(preview.preview[0]).toMatchObject({ _line: 2, order_date: '2024-01-02' });
  });
});
