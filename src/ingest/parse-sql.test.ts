import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseDialect,
  DuckDbEngine,
  duckdbDialect,
  mysqlDialect,
  postgresDialect,
  raw,
  sql,
} from '../store/index.js';
import { isBlankSql, isUnparseableSql, parseValueSql, sqlTypeOf } from './parse-sql.js';
import type { ParseOptions } from './types.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
});
afterAll(async () => {
  await engine.close();
});

/** Parses each text with `options` in DuckDB and returns the values in order. */
async function parse(texts: (string | null)[], options: ParseOptions): Promise<unknown[]> {
  const values = texts.map((t, i) => sql`(${i}, CAST(${t} AS VARCHAR))`);
  let rows = sql`${values[0]!}`;
  for (const v of values.slice(1)) rows = sql`${rows}, ${v}`;
  const expr = parseValueSql(duckdbDialect, sql`t`, options);
  const out = await engine.query(
    sql`SELECT ${expr} AS v, typeof(${expr}) AS ty FROM (VALUES ${rows}) AS x(i, t) ORDER BY i`,
  );
  for (const r of out)
    expect(String(r.ty)).toMatch(new RegExp(`^(${sqlTypeOf(options).replace('[]', '\\[\\]')}|"NULL")$`));
  return out.map((r) => r.v);
}

describe('parseValueSql on DuckDB', () => {
  it('reads integers and turns blanks, null markers and junk into NULL', async () => {
    expect(
      await parse(['12', ' -3 ', '+5', '3.0', '', null, 'NULL', 'abc', '1.5'], {
        type: 'integer',
        nullValues: ['null'],
      }),
    ).toEqual([12, -3, 5, 3, null, null, null, null, null]);
  });

  it('reads decimal commas with dot thousands separators', async () => {
    expect(
      await parse(['1.234,50', '12,5', '-0,75', '1.234.567', 'x', '1,2,3'], {
        type: 'number',
        decimal: ',',
        thousands: '.',
      }),
    ).toEqual([1234.5, 12.5, -0.75, 1234567, null, null]);
  });

  it('reads space and apostrophe thousands separators and strips currency symbols', async () => {
    expect(
      await parse(['1 234,5', '1\u00a0234,5', '€ 12,50'], {
        type: 'number',
        decimal: ',',
        thousands: ' ',
        stripSymbols: '€$ ',
      }),
    ).toEqual([1234.5, 1234.5, 12.5]);
    expect(await parse(["1'234.5", '1,234.5'], { type: 'number', thousands: "'" })).toEqual([1234.5, null]);
    expect(await parse(['1,234.5', '7'], { type: 'number', thousands: ',' })).toEqual([1234.5, 7]);
  });

  it('never yields NaN or infinity for a number', async () => {
    expect(await parse(['nan', 'inf', '-Infinity', '1e3'], { type: 'number' })).toEqual([
      null,
      null,
      null,
      1000,
    ]);
  });

  it('reads booleans in English, Dutch, French, German and Russian', async () => {
    expect(
      await parse(
        ['yes', 'No', 'JA', 'nee', 'oui', 'non', 'Nein', 'Да', 'нет', '1', '0', 'TRUE', 'f', 'maybe'],
        {
          type: 'boolean',
        },
      ),
    ).toEqual([true, false, true, false, true, false, false, true, false, true, false, true, false, null]);
  });

  it('uses the given true/false texts instead of the defaults', async () => {
    expect(
      await parse(['Y', 'N', 'yes'], { type: 'boolean', trueValues: ['y'], falseValues: ['n'] }),
    ).toEqual([true, false, null]);
  });

  it('reads dates with each supported format and rejects impossible ones', async () => {
    expect(await parse(['2024-01-31', '2024-02-30', 'x'], { type: 'date' })).toEqual([
      '2024-01-31',
      null,
      null,
    ]);
    expect(await parse(['31/01/2024', '01/31/2024'], { type: 'date', dateFormat: '%d/%m/%Y' })).toEqual([
      '2024-01-31',
      null,
    ]);
    expect(await parse(['01/31/2024'], { type: 'date', dateFormat: '%m/%d/%Y' })).toEqual(['2024-01-31']);
    expect(await parse(['31.01.2024'], { type: 'date', dateFormat: '%d.%m.%Y' })).toEqual(['2024-01-31']);
    expect(await parse(['31-01-2024'], { type: 'date', dateFormat: '%d-%m-%Y' })).toEqual(['2024-01-31']);
    expect(await parse(['19970101'], { type: 'date', dateFormat: '%Y%m%d' })).toEqual(['1997-01-01']);
  });

  it('reads timestamps, converting an explicit offset to UTC', async () => {
    expect(
      await parse(['2024-01-05 10:11:12', '2024-01-05T10:00:00+02:00', '2024-01-05T10:00:00Z', 'no'], {
        type: 'timestamp',
      }),
    ).toEqual(['2024-01-05T10:11:12.000Z', '2024-01-05T08:00:00.000Z', '2024-01-05T10:00:00.000Z', null]);
    expect(await parse(['05/01/2024 10:11'], { type: 'timestamp', dateFormat: '%d/%m/%Y %H:%M' })).toEqual([
      '2024-01-05T10:11:00.000Z',
    ]);
  });

  it('splits lists into trimmed, non-empty items', async () => {
    expect(await parse(['a | b||c', '', 'solo'], { type: 'list' })).toEqual([
      ['a', 'b', 'c'],
      null,
      ['solo'],
    ]);
    expect(await parse(['x; y'], { type: 'list', listSeparator: ';' })).toEqual([['x', 'y']]);
  });

  it('tells blank from unparseable', async () => {
    const opts: ParseOptions = { type: 'integer', nullValues: ['n/a'] };
    const rows = await engine.query(
      sql`SELECT t, ${isBlankSql(duckdbDialect, sql`t`, opts)} AS blank, ${isUnparseableSql(duckdbDialect, sql`t`, opts)} AS bad
          FROM (VALUES (1, '  '), (2, 'N/A'), (3, '7'), (4, 'seven')) AS x(i, t) ORDER BY i`,
    );
    expect(rows.map((r) => [r.blank, r.bad])).toEqual([
      [true, false],
      [true, false],
      [false, false],
      [false, true],
    ]);
  });
});

describe('parseValueSql text per dialect', () => {
  const options: ParseOptions[] = [
    { type: 'number', decimal: ',', thousands: '.' },
    { type: 'integer' },
    { type: 'date', dateFormat: '%d/%m/%Y' },
    { type: 'timestamp' },
    { type: 'list', listSeparator: ';' },
    { type: 'boolean', trueValues: ['ja'], falseValues: ['nee'] },
  ];
  for (const dialect of [duckdbDialect, postgresDialect, mysqlDialect, clickhouseDialect]) {
    it(`renders stable SQL for ${dialect.name}`, () => {
      const texts = options.map((o) => {
        const { text, params } = parseValueSql(dialect, sql`${raw('"col"')}`, o).render((i, v) =>
          dialect.placeholder(i, v),
        );
        return { type: o.type, text, params };
      });
      expect(texts).toMatchSnapshot();
    });
  }
});
