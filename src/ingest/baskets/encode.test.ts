import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBaskets, fromEncodedPairs, type Transactions } from '../../analytics/basket/index.js';
import { encodeBasketText } from './encode.js';
import { type BasketParseOptions, parseBasketText } from './parse.js';

/** The reference path: one object per line, then the in-memory encoder. */
function reference(text: string, options: BasketParseOptions = {}) {
  const parsed = parseBasketText(text, options);
  return {
    tx: encodeBaskets(parsed.baskets.map((b) => b.items)),
    keys: parsed.baskets.map((b) => b.order ?? b.customer ?? String(b.line)),
    parsed,
  };
}

function plain(tx: Transactions) {
  return {
    count: tx.count,
    offsets: [...tx.offsets],
    items: [...tx.items],
    labels: [...tx.labels],
    itemCounts: [...tx.itemCounts],
  };
}

function check(text: string, options: BasketParseOptions = {}) {
  const ref = reference(text, options);
  const fast = encodeBasketText(text, options);
  expect(plain(fromEncodedPairs(fast.count, fast.basket, fast.item, fast.labels))).toEqual(plain(ref.tx));
  expect(fast.delimiter).toBe(ref.parsed.delimiter);
  expect(fast.blankLines).toBe(ref.parsed.blankLines);
  expect(fast.emptyItems).toBe(ref.parsed.emptyItems);
  expect(fast.rejects).toEqual(ref.parsed.rejects);
  expect(Array.from({ length: fast.count }, (_, t) => fast.basketKey(t))).toEqual(ref.keys);
}

describe('encodeBasketText (a basket file straight to encoded pairs)', () => {
  it('equals parse + encodeBaskets on Groceries, item for item', () => {
    const text = readFileSync(
      new URL('../../../../shared/data/groceries/groceries.csv', import.meta.url),
      'utf8',
    );
    const fast = encodeBasketText(text);
    expect(fast.count).toBe(9835);
    expect(fast.labels[0]).toBe('whole milk');
    check(text);
  });

  it('keeps blank lines, empty items, CRLF, repeats, trim and lead-field rejects exactly as the line parser', () => {
    const text = 'a,b,a\r\n\n  \nb,,c,\r\nc\n,\nd, e ,d\n';
    check(text);
    check(text, { trim: true });
    const led =
      'o1;c1;2024-01-02;x;y\no2;c2;02/01/2024;x\n;c3;2024-01-03;z\no4;c4;2024-01-04\no5;c5;2024-01-05;y;x;y\n';
    check(led, { lead: ['order', 'customer', 'date'] });
    check(led, { lead: ['order', 'customer', 'date'], delimiter: ';' });
    check('c1|a|b\nc2|b\n', { lead: ['customer'] });
  });

  it('equals the line parser on any text made of items, delimiters, spaces and line breaks (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'milk',
      'cream cheese ',
      ' ',
      ',',
      ';',
      '\t',
      '|',
      '\n',
      '\r\n',
      '2024-05-01',
      'é',
      '\u00a0',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((p) => p.join('')),
        fc.boolean(),
        fc.constantFrom<BasketParseOptions['lead']>(undefined, ['customer'], ['order', 'date']),
        (text, trim, lead) => check(text, { trim, lead }),
      ),
      { numRuns: 400 },
    );
  });
});
