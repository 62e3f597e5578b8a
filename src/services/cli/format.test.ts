import { describe, expect, it } from 'vitest';
import { cliFormats, isCurrencyCode } from './format.js';
import { formatTable } from './output.js';

/** Issue 18: the CLI's numbers, money and dates follow --lang, with the datamart's currency. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('CLI formats per language', () => {
  it('groups thousands and uses the decimal comma outside English', () => {
    expect(cliFormats('en').int(4437)).toBe('4,437');
    expect(cliFormats('nl').int(4437)).toBe('4.437');
    expect(cliFormats('de').num(1234.5, 2)).toBe('1.234,50');
    expect(plain(cliFormats('fr').int(1677276))).toBe('1 677 276');
    expect(plain(cliFormats('ru').num(0.25, 2))).toBe('0,25');
    expect(plain(cliFormats('fr').pct(0.083))).toBe('8,3 %');
  });

  it('shows money with the currency of the datamart', () => {
    expect(cliFormats('en').money(1677276.5)).toBe('€1,677,277');
    expect(plain(cliFormats('nl').money(1677276.5, 2))).toBe('€ 1.677.276,50');
    expect(plain(cliFormats('de', 'USD').money(1234))).toBe('1.234 $');
    expect(cliFormats('en', 'GBP').money(12.5, 2)).toBe('£12.50');
    expect(cliFormats('en', 'nonsense').currency).toBe('EUR');
    expect(isCurrencyCode('CHF')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
  });

  it('writes dates in the language’s order; English keeps ISO dates', () => {
    expect(cliFormats('en').date('2026-06-30')).toBe('2026-06-30');
    expect(cliFormats('nl').date('2026-06-30')).toBe('30-06-2026');
    expect(cliFormats('de').date('2026-06-30')).toBe('30.06.2026');
    expect(cliFormats('fr').date('2026-06-30T12:00:00Z')).toBe('30/06/2026');
    expect(cliFormats('ru').date('not a date')).toBe('not a date');
  });

  it('formats table cells per language; English tables are unchanged', () => {
    const rows = [
      { segment: 'A', customers: 4437, share: '8.3%', monetary: 1317.51, ratio: 0.12345, day: '2026-06-30' },
    ];
    const en = formatTable(rows, { money: ['monetary'] }, cliFormats('en'));
    expect(en).toContain('4437');
    expect(en).toContain('1317.51');
    expect(en).toContain('0.1235');
    expect(en).toContain('2026-06-30');
    const nl = formatTable(rows, { money: ['monetary'] }, cliFormats('nl'));
    expect(plain(nl)).toMatch(/A\s+4\.437\s+8,3%\s+€ 1\.318\s+0,1235\s+30-06-2026/);
    const de = formatTable(rows, { money: ['monetary'] }, cliFormats('de', 'CHF'));
    expect(plain(de)).toContain('1.318 CHF');
  });
});
