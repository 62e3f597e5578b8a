import { describe, expect, it } from 'vitest';
import { dropSmallCells, isSmallCell, personalFieldsIn, suppressCount } from './privacy.js';

describe('privacy helpers', () => {
  it('finds personal fields case-insensitively', () => {
    expect(personalFieldsIn(['age', 'Email', 'email', 'revenue', 'birth_date'])).toEqual([
      'email',
      'birth_date',
    ]);
  });

  it('suppresses cells under k and small complements', () => {
    expect(isSmallCell(9, 10)).toBe(true);
    expect(isSmallCell(10, 10)).toBe(false);
    expect(isSmallCell(995, 10, 1000)).toBe(true);
    expect(isSmallCell(1000, 10, 1000)).toBe(false);
    expect(suppressCount({ count: 3, total: 5000 }, 10)).toEqual({
      count: null,
      share: null,
      total: 5000,
      suppressed: true,
      minCellSize: 10,
    });
    expect(suppressCount({ count: 50, total: 200 }, 10)).toMatchObject({
      count: 50,
      share: 0.25,
      suppressed: false,
    });
  });

  it('drops small rows and counts them', () => {
    const r = dropSmallCells([{ n: 3 }, { n: 30 }, { n: 12 }], (x) => x.n, 10);
    expect(r).toEqual({ rows: [{ n: 30 }, { n: 12 }], suppressed: 1 });
  });
});
