import { describe, expect, it } from 'vitest';
import { parseBasketText } from './parse.js';

describe('basket text', () => {
  it('reads one basket per line, keeps item text as is, and counts what it skips', () => {
    const r = parseBasketText('citrus fruit,cream cheese ,margarine\r\n\nwhole milk,,whole milk\n');
    expect(r.delimiter).toBe(',');
    expect(r.baskets.map((b) => b.items)).toEqual([
      ['citrus fruit', 'cream cheese ', 'margarine'],
      ['whole milk', 'whole milk'],
    ]);
    expect(r.baskets.map((b) => b.line)).toEqual([1, 3]);
    expect(r.blankLines).toBe(1);
    expect(r.emptyItems).toBe(1);
  });

  it('detects the delimiter and reads lead fields, rejecting lines with a bad one', () => {
    const r = parseBasketText('c1;2024-01-05;a;b\nc2;05/01/2024;a\n;2024-01-06;b\n', {
      lead: ['customer', 'date'],
    });
    expect(r.delimiter).toBe(';');
    expect(r.baskets).toEqual([
      { line: 1, order: null, customer: 'c1', date: '2024-01-05', items: ['a', 'b'] },
    ]);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [2, 'expected a date YYYY-MM-DD in field 2, got "05/01/2024"'],
      [3, 'expected a customer in field 1, found nothing'],
    ]);
  });

  it('trims items on request and rejects bad options all at once', () => {
    expect(parseBasketText(' a , b ', { trim: true }).baskets[0]!.items).toEqual(['a', 'b']);
    expect(() => parseBasketText('a', { delimiter: '', lead: ['x' as never] })).toThrowError(
      /delimiter[\s\S]*lead/,
    );
  });
});
