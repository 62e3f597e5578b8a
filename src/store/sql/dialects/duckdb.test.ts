import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../duckdb-engine.js';
import { join, sql } from '../sql.js';
import { duckdbDialect } from './duckdb.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
});
afterAll(async () => {
  await engine.close();
});

/** Characters around which trimming is decided: ASCII spaces and controls, Unicode spaces, letters. */
const edge = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\u200b',
  'a',
  'é',
  '€',
  '1',
  '',
);

describe('DuckDB trimToNull', () => {
  it("equals NULLIF(trim(x), '') on any text (it only skips trim where trim changes nothing)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(edge, fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })), edge), {
          minLength: 1,
          maxLength: 50,
        }),
        async (parts) => {
          const texts = parts.map(([a, b, c]) => a + b + c);
          const values = join(texts.map((t) => sql`(${t})`));
          const rows = await engine.query<{ fast: string | null; slow: string | null }>(
            sql`SELECT ${duckdbDialect.trimToNull(sql`x`)} AS fast, NULLIF(trim(x), '') AS slow
                FROM (VALUES ${values}) v(x)`,
          );
          expect(rows.map((r) => r.fast)).toEqual(rows.map((r) => r.slow));
        },
      ),
      { numRuns: 100 },
    );
    const [row] = await engine.query<{ a: string | null; b: string | null; c: string | null }>(
      sql`SELECT ${duckdbDialect.trimToNull(sql`'  x '`)} AS a, ${duckdbDialect.trimToNull(sql`'\u00a0y\u3000'`)} AS b,
        ${duckdbDialect.trimToNull(sql`'   '`)} AS c`,
    );
    expect(row).toEqual({ a: 'x', b: 'y', c: null });
  });
});
