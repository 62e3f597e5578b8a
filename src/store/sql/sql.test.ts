import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../duckdb-engine.js';
import { clickhouseDialect } from './dialects/clickhouse.js';
import { mysqlDialect } from './dialects/mysql.js';
import { ident, join, quoteIdent, raw, sql, stringLiteral } from './sql.js';

describe('sql tag', () => {
  it('turns values into bound parameters, never text', () => {
    const evil = "x'; DROP TABLE customers; --";
    const q = sql`SELECT * FROM customers WHERE name = ${evil} AND n > ${3}`;
    const { text, params } = q.render((i) => `$${i + 1}`);
    expect(text).toBe('SELECT * FROM customers WHERE name = $1 AND n > $2');
    expect(params).toEqual([evil, 3]);
  });

  it('inlines any string as a literal that DuckDB reads back unchanged, and refuses NUL', async () => {
    const engine = await DuckDbEngine.open();
    const texts = ["x'; DROP TABLE customers; --", "it''s", 'back\\slash \\n', 'é€ Москва', ''];
    for (const t of texts) {
      const [row] = await engine.query(sql`SELECT ${stringLiteral(t)} AS v`);
      expect(row?.v).toBe(t);
    }
    await engine.close();
    expect(() => stringLiteral('a\u0000b')).toThrow(TypeError);
  });

  it('quotes identifiers and doubles embedded quotes', () => {
    expect(quoteIdent('main.orders')).toBe('"main"."orders"');
    expect(sql`SELECT ${ident('we"ird')}`.render(() => '?').text).toBe('SELECT "we""ird"');
  });

  it('nests fragments and renumbers their parameters', () => {
    const inner = sql`a = ${1}`;
    const q = sql`SELECT ${raw('*')} FROM t WHERE ${inner} AND b = ${2} AND ${join([sql`c = ${3}`, sql`d = ${4}`], ' OR ')}`;
    const { text, params } = q.render((i) => `$${i + 1}`);
    expect(text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 OR d = $4');
    expect(params).toEqual([1, 2, 3, 4]);
  });

  it('renders each dialect placeholder style', () => {
    const q = sql`SELECT ${1}, ${'a'}, ${2.5}`;
    expect(q.render((i, v) => mysqlDialect.placeholder(i, v)).text).toBe('SELECT ?, ?, ?');
    expect(q.render((i, v) => clickhouseDialect.placeholder(i, v)).text).toBe(
      'SELECT {p0:Int64}, {p1:String}, {p2:Float64}',
    );
  });

  it('keeps operator precedence in safeDivide on every dialect', () => {
    const a = sql`a - b`;
    const c = sql`c + d`;
    for (const d of [clickhouseDialect, mysqlDialect]) {
      const text = d.safeDivide(a, c).render((i, v) => d.placeholder(i, v)).text;
      expect(text).not.toMatch(/a - b \//);
      expect(text).toMatch(/(\(a - b\)|CAST\(a - b AS DOUBLE\)) \/ /);
    }
  });
});
