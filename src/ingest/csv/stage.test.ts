import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, InputError } from '../../errors.js';
import { DuckDbEngine, ident, sql } from '../../store/index.js';
import type { StagedSource } from '../types.js';
import { countLines, stageCsv } from './stage.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'ingest');
const fixture = (name: string) => join(FIXTURES, name);

let engine: DuckDbEngine;
let dir: string;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
  dir = mkdtempSync(join(tmpdir(), 'clientele-stage-test-'));
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The staged rows as { _line, <source column name>: text }. */
async function rows(staged: StagedSource): Promise<Record<string, unknown>[]> {
  const out = await engine.query(sql`SELECT * FROM ${ident(staged.table)} ORDER BY _line`);
  return out.map((r) => {
    const named: Record<string, unknown> = { _line: r._line };
    for (const c of staged.columns) named[c.name] = r[c.staged];
    return named;
  });
}

async function rejects(staged: StagedSource): Promise<Record<string, unknown>[]> {
  if (!staged.structuralRejectsTable) return [];
  return engine.query(
    sql`SELECT line, reason, raw FROM ${ident(staged.structuralRejectsTable)} ORDER BY line`,
  );
}

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('stageCsv', () => {
  it('reads a Latin-1 file with ; and keeps é, ß, ö intact', async () => {
    const s = await stageCsv(engine, fixture('klanten-latin1.csv'));
    expect(s.detected).toMatchObject({ encoding: 'latin1', delimiter: 'semicolon', header: true });
    expect(await rows(s)).toEqual([
      {
        _line: 2,
        Klantnummer: '1001',
        Naam: 'André Straße',
        Stad: 'Köln',
        Bedrag: '1.234,50',
        Datum: '31/01/2024',
      },
      { _line: 3, Klantnummer: '1002', Naam: 'Zoë', Stad: 'Liège', Bedrag: '12,00', Datum: '05/02/2024' },
    ]);
    await s.cleanup();
  });

  it('tells Windows-1252 from Latin-1 by its € and curly quotes', async () => {
    const s = await stageCsv(engine, fixture('orders-cp1252.csv'));
    expect(s.detected.encoding).toBe('windows-1252');
    const r = await rows(s);
    expect(r.map((x) => [x.total, x.note])).toEqual([
      ['€ 12,50', 'café “special”'],
      ['€ 1.000,00', 'Grüße'],
    ]);
    await s.cleanup();
  });

  it('drops a UTF-8 BOM and reads CRLF line ends on the direct path', async () => {
    const s = await stageCsv(engine, fixture('bom-crlf.csv'));
    expect(s.detected).toMatchObject({ encoding: 'utf-8-bom', readPath: 'direct', header: true });
    expect(s.columns.map((c) => c.name)).toEqual(['customer_id', 'email', 'city']);
    expect(await rows(s)).toEqual([
      { _line: 2, customer_id: '1', email: 'a@example.com', city: 'Zürich' },
      { _line: 3, customer_id: '2', email: 'b@example.com', city: 'Москва' },
    ]);
    await s.cleanup();
  });

  it('numbers every record by its line when several threads read the file (the copy keeps file order)', async () => {
    // 20,000 records in 8 KiB buffers: DuckDB reads the buffers in parallel, and an unordered copy
    // puts most of them elsewhere. The engine's own setting is unordered here, to show the stager
    // turns insertion order on for its copy and restores the setting afterwards.
    const path = join(dir, 'many.csv');
    const body = Array.from({ length: 20_000 }, (_, i) => `R${i + 2},${'x'.repeat(i % 17)},${i % 7}`);
    writeFileSync(path, `id,pad,n\n${body.join('\n')}\n`);
    await engine.exec('SET preserve_insertion_order = false');
    try {
      const staged = await stageCsv(engine, path, { bufferBytes: 8192 });
      expect(staged.detected.readPath).toBe('direct');
      const id = staged.columns[0]!.staged;
      const [row] = await engine.query(
        sql`SELECT count(*) AS n, count(*) FILTER (WHERE ${ident(id)} <> 'R' || _line) AS misplaced FROM ${ident(staged.table)}`,
      );
      expect(row).toEqual({ n: 20_000, misplaced: 0 });
      const [setting] = await engine.query(`SELECT current_setting('preserve_insertion_order') AS v`);
      expect(setting?.v).toBe(false);
      await staged.cleanup();
    } finally {
      await engine.exec('RESET preserve_insertion_order');
    }
  });

  it('gives the start line of records whose quoted fields hold delimiters, quotes and line breaks', async () => {
    const s = await stageCsv(engine, fixture('quoted-multiline.csv'));
    expect(await rows(s)).toEqual([
      { _line: 2, id: '1', comment: 'Hello, world', amount: '10' },
      { _line: 3, id: '2', comment: 'She said "hi"', amount: '20' },
      { _line: 4, id: '3', comment: 'line one\nline two\r\nline three', amount: '30' },
      { _line: 8, id: '4', comment: 'plain', amount: '40' },
    ]);
    expect(s.rowsRead).toBe(4);
    await s.cleanup();
  });

  it('keeps broken records as structural rejects with their line, reason and raw text', async () => {
    const s = await stageCsv(engine, fixture('broken.csv'));
    expect((await rows(s)).map((r) => r._line)).toEqual([2, 5]);
    const rej = await rejects(s);
    expect(rej.map((r) => r.line)).toEqual([3, 4, 6]);
    expect(rej[0]!.reason).toMatch(/too many fields: expected 3, found 4/);
    expect(rej[0]!.raw).toBe('2,b,2,extra');
    expect(rej[1]!.reason).toMatch(/too few fields: expected 3, found 2/);
    expect(rej[2]!.reason).toMatch(/quoted field is not closed/);
    expect(rej[2]!.raw).toContain('6,f,6');
    expect(s.structuralRejects).toBe(3);
    expect(s.rowsRead).toBe(5);
    await s.cleanup();
  });

  it('splits a whitespace-separated file without a header (CDNOW style)', async () => {
    const s = await stageCsv(engine, fixture('cdnow-like.txt'));
    expect(s.detected).toMatchObject({ delimiter: 'whitespace', header: false });
    expect(await rows(s)).toEqual([
      {
        _line: 1,
        column_1: '00004',
        column_2: '0001',
        column_3: '19970101',
        column_4: '2',
        column_5: '29.33',
      },
      {
        _line: 2,
        column_1: '00004',
        column_2: '0001',
        column_3: '19970118',
        column_4: '2',
        column_5: '29.73',
      },
      {
        _line: 3,
        column_1: '00021',
        column_2: '0002',
        column_3: '19970101',
        column_4: '3',
        column_5: '63.34',
      },
    ]);
    await s.cleanup();
  });

  it('stages the real CDNOW sample: 6,919 transactions, line numbers 1…6919', async () => {
    const s = await stageCsv(
      engine,
      join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow', 'CDNOW_sample.txt'),
    );
    const [agg] = await engine.query(
      sql`SELECT count(*) AS n, min(_line) AS lo, max(_line) AS hi, sum(CAST(c5 AS DOUBLE)) AS dollars FROM ${ident(s.table)}`,
    );
    expect(agg).toMatchObject({ n: 6919, lo: 1, hi: 6919 });
    expect(agg!.dollars as number).toBeCloseTo(244091.94, 2);
    await s.cleanup();
  });

  it('detects tab and pipe delimiters', async () => {
    const tsv = await stageCsv(engine, fixture('products.tsv'));
    expect(tsv.detected.delimiter).toBe('tab');
    expect((await rows(tsv))[1]).toEqual({ _line: 3, sku: 'S2', name: 'Cup, large', price: '5.00' });
    const pipe = await stageCsv(engine, fixture('pipe.csv'));
    expect(pipe.detected.delimiter).toBe('pipe');
    await tsv.cleanup();
    await pipe.cleanup();
  });

  it('counts blank lines between records and ignores trailing ones', async () => {
    const path = write('blank.csv', 'id,name\n1,a\n\n\n2,b\n\n\n');
    const s = await stageCsv(engine, path);
    expect((await rows(s)).map((r) => r._line)).toEqual([2, 5]);
    const tail = write('tail.csv', 'id,name\n1,a\n2,b\n\n\n');
    const t = await stageCsv(engine, tail);
    expect(t.detected.readPath).toBe('direct');
    expect((await rows(t)).map((r) => r._line)).toEqual([2, 3]);
    await s.cleanup();
    await t.cleanup();
  });

  it('reads old Mac CR-only line ends', async () => {
    const s = await stageCsv(engine, write('cr.csv', 'id,name\r1,a\r2,b\r'));
    expect(await rows(s)).toEqual([
      { _line: 2, id: '1', name: 'a' },
      { _line: 3, id: '2', name: 'b' },
    ]);
    await s.cleanup();
  });

  it('falls back to Windows-1252 when invalid UTF-8 appears after the sniffed head', async () => {
    const head = `id,name\n${'1,plain\n'.repeat(40000)}`;
    const tail = Buffer.from([0x32, 0x2c, 0x80, 0x0a]); // "2,€\n" in Windows-1252
    const s = await stageCsv(engine, write('late-cp1252.csv', Buffer.concat([Buffer.from(head), tail])));
    expect(s.detected.encoding).toBe('windows-1252');
    const [last] = await engine.query(
      sql`SELECT _line, c2 FROM ${ident(s.table)} ORDER BY _line DESC LIMIT 1`,
    );
    expect(last).toEqual({ _line: 40002, c2: '€' });
    await s.cleanup();
  });

  it('refuses a missing, empty or binary file with an InputError', async () => {
    await expect(stageCsv(engine, join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(stageCsv(engine, write('empty.csv', ''))).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
    await expect(
      stageCsv(engine, write('bin.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]))),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_FORMAT',
    });
  });

  it('counts physical lines up to the last line with content', async () => {
    expect(await countLines(write('c1.txt', 'a\nb\n'))).toBe(2);
    expect(await countLines(write('c2.txt', 'a\nb'))).toBe(2);
    expect(await countLines(write('c3.txt', 'a\r\nb\r\n\r\n'))).toBe(2);
    expect(await countLines(write('c4.txt', '\n\n'))).toBe(0);
  });

  it('stages any bytes or fails with an InputError, and staged + rejected = read', async () => {
    const alphabet = fc.constantFrom(...'ab1,;"\n\r \t|\'\\é€'.split(''));
    const text = fc.array(alphabet, { maxLength: 60 }).map((cs) => Buffer.from(cs.join(''), 'utf8'));
    const bytes = fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, bytes), async (content) => {
        const path = write(`prop-${n++}.csv`, content);
        let staged: StagedSource;
        try {
          staged = await stageCsv(engine, path);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect(error).toBeInstanceOf(InputError);
          return;
        }
        try {
          const [c] = await engine.query<{ n: number; bad: number }>(
            sql`SELECT (SELECT count(*) FROM ${ident(staged.table)}) AS n,
                       (SELECT count(*) FROM ${ident(staged.table)} WHERE _line IS NULL OR _line < 1) AS bad`,
          );
          expect(c!.n + staged.structuralRejects).toBe(staged.rowsRead);
          expect(c!.bad).toBe(0);
        } finally {
          await staged.cleanup();
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});
