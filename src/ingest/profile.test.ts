import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { DuckDbEngine } from '../store/index.js';
import { stageCsv } from './csv/stage.js';
import { type ColumnProfile, type ProfileOptions, profileColumns } from './profile.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'ingest');

let engine: DuckDbEngine;
let dir: string;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
  dir = mkdtempSync(join(tmpdir(), 'clientele-profile-test-'));
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function profileText(
  text: string,
  options: ProfileOptions = {},
): Promise<Record<string, ColumnProfile>> {
  const path = join(dir, `p${n++}.csv`);
  writeFileSync(path, text);
  return profilePath(path, options);
}

async function profilePath(
  path: string,
  options: ProfileOptions = {},
): Promise<Record<string, ColumnProfile>> {
  const staged = await stageCsv(engine, path);
  try {
    const profiles = await profileColumns(engine, staged, options);
    return Object.fromEntries(profiles.map((p) => [p.name, p]));
  } finally {
    await staged.cleanup();
  }
}

describe('profileColumns', () => {
  it('infers integers, numbers, booleans, ISO dates, timestamps and text', async () => {
    const p = await profileText(
      'id,price,active,born,seen,name,zip\n' +
        '1,1.5,yes,1980-01-31,2024-01-05 10:00:00,Ann,01234\n' +
        '2,20,no,1975-12-01,2024-01-06T11:30:00,Bob,99999\n',
    );
    expect(p.id!.parse).toEqual({ type: 'integer' });
    expect(p.price!.parse).toEqual({ type: 'number', decimal: '.' });
    expect(p.active!.parse).toEqual({ type: 'boolean' });
    expect(p.born!.parse).toEqual({ type: 'date' });
    expect(p.seen!.parse).toEqual({ type: 'timestamp' });
    expect(p.name!.parse).toEqual({ type: 'string' });
    expect(p.zip!.parse).toEqual({ type: 'string' });
    expect(p.zip!.reason).toMatch(/leading zeros/);
  });

  it('reads the European file: dd.mm.yyyy, decimal comma with dot thousands, ja/nein', async () => {
    const p = await profilePath(join(FIXTURES, 'european.csv'));
    expect(p.Geburtsdatum!.parse).toEqual({ type: 'date', dateFormat: '%d.%m.%Y' });
    expect(p.Umsatz!.parse).toEqual({ type: 'number', decimal: ',', thousands: '.' });
    expect(p.Newsletter!.parse).toEqual({ type: 'boolean' });
    expect(p.Kundennummer!.parse.type).toBe('string');
  });

  it('tells dd/mm/yyyy from mm/dd/yyyy by a part above 12', async () => {
    const dm = await profileText('d\n31/01/2024\n05/02/2024\n');
    expect(dm.d!.parse).toEqual({ type: 'date', dateFormat: '%d/%m/%Y' });
    const md = await profileText('d\n01/31/2024\n02/05/2024\n');
    expect(md.d!.parse).toEqual({ type: 'date', dateFormat: '%m/%d/%Y' });
    const dash = await profileText('d\n31-01-2024\n');
    expect(dash.d!.parse).toEqual({ type: 'date', dateFormat: '%d-%m-%Y' });
  });

  it('refuses an ambiguous date column, naming file, column, examples and the way to choose', async () => {
    const path = join(FIXTURES, 'ambiguous-dates.csv');
    const error = await profilePath(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.code).toBe('AMBIGUOUS_FORMAT');
    expect(e.message).toContain('ambiguous-dates.csv');
    expect(e.message).toContain('"order_date"');
    expect(e.message).toContain('"01/02/2024"');
    expect(e.message).toContain("--date-format '%d/%m/%Y'");
    expect(e.message).toContain('dateFormat');
  });

  it('accepts a given date format for an ambiguous column', async () => {
    const p = await profilePath(join(FIXTURES, 'ambiguous-dates.csv'), { dateFormat: '%m/%d/%Y' });
    expect(p.order_date!.parse).toEqual({ type: 'date', dateFormat: '%m/%d/%Y' });
  });

  it('reads yyyymmdd dates in the CDNOW sample and keeps zero-padded ids as text', async () => {
    const p = await profilePath(join(FIXTURES, 'cdnow-like.txt'));
    expect(p.column_1!.parse.type).toBe('string');
    expect(p.column_3!.parse).toEqual({ type: 'date', dateFormat: '%Y%m%d' });
    expect(p.column_4!.parse).toEqual({ type: 'integer' });
    expect(p.column_5!.parse).toEqual({ type: 'number', decimal: '.' });
  });

  it('strips currency symbols and reads Windows-1252 euro amounts', async () => {
    const p = await profilePath(join(FIXTURES, 'orders-cp1252.csv'));
    expect(p.total!.parse).toMatchObject({ type: 'number', decimal: ',', thousands: '.' });
    expect(p.total!.parse.stripSymbols).toContain('€');
  });

  it('reads US thousands separators and says when the delimiter decided an ambiguous number', async () => {
    const us = await profileText('amount\n"1,234.50"\n12.5\n');
    expect(us.amount!.parse).toEqual({ type: 'number', decimal: '.', thousands: ',' });
    const semi = await profileText('id;amount\na;1,234\nb;2,500\n');
    expect(semi.amount!.parse).toMatchObject({ type: 'number', decimal: ',' });
    expect(semi.amount!.reason).toMatch(/both readings fit/);
  });

  it('reads a mostly-date column as dates: the minority is left to the loader to reject', async () => {
    const p = await profileText('d\n31/01/2024\n05/02/2024\nunknown\n');
    expect(p.d!.parse).toEqual({ type: 'date', dateFormat: '%d/%m/%Y' });
    expect(p.d!.reason).toMatch(/2 of 3 values are dates.*1 values that are not will be rejected/);
    // Fewer than half: text.
    const q = await profileText('d\n31/01/2024\nsoon\nunknown\n');
    expect(q.d!.parse.type).toBe('string');
  });

  it('decides day/month order from the values that parse, not from one impossible value', async () => {
    const p = await profileText(
      'd\n31/01/2024\n05/02/2024\n15/13/2024\n31/02/2025\n00/06/2024\n20/03/2024\n',
    );
    expect(p.d!.parse).toEqual({ type: 'date', dateFormat: '%d/%m/%Y' });
    const us = await profileText('d\n01/31/2024\n02/05/2024\n13/15/2024\n12/20/2024\n');
    expect(us.d!.parse).toEqual({ type: 'date', dateFormat: '%m/%d/%Y' });
  });

  it('uses declared and given parse options without inferring', async () => {
    const p = await profileText('a,b\nx,1\n', { columns: { a: { type: 'integer' } } });
    expect(p.a!.parse).toEqual({ type: 'integer' });
    expect(p.a!.reason).toBe('given in the mapping file');
  });

  it('treats null markers as blanks while profiling', async () => {
    const p = await profileText('n\n1\nNULL\n3\n', { nullValues: ['NULL'] });
    expect(p.n!.parse).toEqual({ type: 'integer', nullValues: ['NULL'] });
    expect(p.n!.nonBlank).toBe(2);
  });
});
