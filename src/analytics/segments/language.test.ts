import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import {
  type Expr,
  parseSegment,
  printSegment,
  resolveToday,
  type Value,
  withoutPositions,
} from './index.js';

const column = fc.constantFrom(
  'age',
  'revenue',
  'gender',
  'last_order',
  'consent_email',
  'postcode',
  'rfm_segment',
);
const text = fc.string({ maxLength: 8 });
const value: fc.Arbitrary<Value> = fc.oneof(
  fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
    .map((v) => ({ type: 'number' as const, value: Object.is(v, -0) ? 0 : v })),
  text.map((v) => ({ type: 'string' as const, value: v })),
  fc.boolean().map((v) => ({ type: 'boolean' as const, value: v })),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => ({ type: 'date' as const, value: d.toISOString().slice(0, 10) })),
  fc
    .option(
      fc.record({
        amount: fc.integer({ min: -999, max: 999 }),
        unit: fc.constantFrom('d' as const, 'w' as const, 'm' as const, 'y' as const),
      }),
      { nil: null },
    )
    .map((offset) => ({ type: 'today' as const, offset })),
);
const ref = column.map((name) => ({ name, pos: 0 }));
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.record({
    type: fc.constant('compare' as const),
    column: ref,
    op: fc.constantFrom(
      '=' as const,
      '<>' as const,
      '<' as const,
      '<=' as const,
      '>' as const,
      '>=' as const,
    ),
    value,
    valuePos: fc.constant(0),
  }),
  fc.record({
    type: fc.constant('between' as const),
    column: ref,
    low: value,
    high: value,
    negated: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('in' as const),
    column: ref,
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
    negated: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('startsWith' as const),
    column: ref,
    prefixes: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('isNull' as const), column: ref, negated: fc.boolean() }),
  fc.record({ type: fc.constant('flag' as const), column: ref }),
);
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ type: fc.constantFrom('and' as const, 'or' as const), left: tie('e'), right: tie('e') }),
    fc.record({ type: fc.constant('not' as const), expr: tie('e') }),
  ),
})).e;

describe('segment language: parser and printer', () => {
  it('round-trips: parse(print(ast)) equals ast, and print is stable', () => {
    fc.assert(
      fc.property(exprArb, (ast) => {
        const text = printSegment(ast);
        const again = parseSegment(text);
        expect(withoutPositions(again)).toEqual(withoutPositions(ast));
        expect(printSegment(again)).toBe(text);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('parses the documented forms with and binding tighter than or', () => {
    const ast = parseSegment(
      "gender = 'f' AND age BETWEEN 25 and 40 or not (postcode starts with ('10', '11')) and last_order >= today - 90d",
    );
    expect(printSegment(ast)).toBe(
      "gender = 'f' and age between 25 and 40 or not postcode starts with ('10', '11') and last_order >= today - 90d",
    );
    expect(ast.type).toBe('or');
    expect(
      printSegment(parseSegment("consent_email and income_band in ('high', 'very high') and revenue != 0")),
    ).toBe("consent_email and income_band in ('high', 'very high') and revenue <> 0");
    expect(printSegment(parseSegment("rfm_segment = 'Can''t lose them'"))).toBe(
      "rfm_segment = 'Can''t lose them'",
    );
  });

  it('reports position, expected and found', () => {
    const cases: [string, number, RegExp, string][] = [
      ['age > ', 7, /expected a value/, 'the end of the expression'],
      ['age >> 3', 6, /expected a value/, '">"'],
      ['(age > 3', 9, /expected "\)"/, 'the end of the expression'],
      ['age between 1 or 2', 15, /expected "and" between the two bounds/, '"or"'],
      ['gender = "f"', 10, /single quotes/, '"'],
      ['age > 3 age < 5', 9, /expected "and", "or"/, '"age"'],
      ["name = 'open", 8, /closing '/, 'the end of the expression'],
      ['last_order > today - 90x', 22, /duration/, '"90x"'],
    ];
    for (const [text, position, expected, found] of cases) {
      try {
        parseSegment(text);
        expect.unreachable(text);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const err = e as InputError;
        expect(err.code).toBe('PARSE_ERROR');
        expect(err.details).toMatchObject({ position, found });
        expect(err.message).toMatch(expected);
      }
    }
  });

  it('resolves today with calendar months and years', () => {
    expect(resolveToday('2024-03-31', { amount: -1, unit: 'm' })).toBe('2024-02-29');
    expect(resolveToday('2024-02-29', { amount: 1, unit: 'y' })).toBe('2025-02-28');
    expect(resolveToday('2024-01-10', { amount: -90, unit: 'd' })).toBe('2023-10-12');
    expect(resolveToday('2024-01-10', { amount: 2, unit: 'w' })).toBe('2024-01-24');
    expect(resolveToday('2024-01-10', null)).toBe('2024-01-10');
  });
});
