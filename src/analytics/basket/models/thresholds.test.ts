import { describe, expect, it } from 'vitest';
import { createRatioTest, minCountFor, toRational } from './thresholds.js';

describe('exact thresholds', () => {
  it('reads a threshold as the decimal the user wrote', () => {
    expect(toRational(0.8)).toEqual({ num: 8n, den: 10n });
    expect(toRational(1e-7)).toEqual({ num: 1n, den: 10000000n });
    expect(toRational(2)).toEqual({ num: 2n, den: 1n });
  });

  it('cuts support at ceil(support × N) without floating error (arules: 0.001 × 9835 → 10)', () => {
    expect(minCountFor(0.001, 9835)).toBe(10);
    // 0.07 × 100 is 7.000000000000001 in floating point: a float ceil would cut at 8; the exact cut is 7.
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(minCountFor(0.07, 100)).toBe(7);
    expect(minCountFor(0.14, 100)).toBe(14);
    expect(minCountFor(0.000001, 10)).toBe(1);
  });

  it('compares confidence on integers: 7 of 100 meets 0.07 exactly', () => {
    // 7 >= 0.07 × 100 fails in floating point (7.000000000000001); on integers 7·100 ≥ 7·100 holds.
    expect(7 >= 0.07 * 100).toBe(false);
    expect(createRatioTest(0.07)(7, 100)).toBe(true);
    expect(createRatioTest(0.07)(6, 100)).toBe(false);
    expect(createRatioTest(0.29)(29, 100)).toBe(true);
    expect(createRatioTest(0.29)(28, 100)).toBe(false);
    expect(createRatioTest(0.1234567891)(1234567891, 10000000000)).toBe(true);
    expect(createRatioTest(0.1234567891)(1234567890, 10000000000)).toBe(false);
  });
});
