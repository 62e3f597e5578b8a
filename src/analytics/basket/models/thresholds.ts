import { InputError } from '../../../errors.js';

/**
 * Exact thresholds. A threshold typed as a decimal (0.001, 0.8) is read as the rational number the user
 * wrote (its shortest round-trip decimal text), so comparisons are done on integers and never suffer a
 * floating-point boundary error: `0.8 * 10` rule counts and `9.835` support counts are decided exactly.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** The rational value of a finite number ≥ 0 as written in decimal (`0.8` → 8/10, `1e-7` → 1/10^7). */
export function toRational(x: number): Rational {
  if (!Number.isFinite(x) || x < 0) throw new InputError(`Expected a finite number ≥ 0, got ${x}.`);
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!m) throw new InputError(`Cannot read ${x} as a decimal number.`);
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0) - frac.length;
  const digits = BigInt(`${m[1]}${frac}`);
  return exp >= 0 ? { num: digits * 10n ** BigInt(exp), den: 1n } : { num: digits, den: 10n ** BigInt(-exp) };
}

/**
 * The smallest count that meets a relative support threshold: ceil(support × n), computed exactly.
 * arules keeps an itemset when count ≥ support × N, so at 0.001 × 9835 = 9.835 the cut is 10.
 * Never below 1: an itemset that occurs nowhere is not frequent.
 */
export function minCountFor(support: number, n: number): number {
  const r = toRational(support);
  const N = BigInt(n);
  const c = (r.num * N + r.den - 1n) / r.den;
  return Math.max(1, Number(c));
}

/** A ≥ test of `part / whole` against a rational threshold on exact integers: part·den ≥ num·whole. */
export function createRatioTest(threshold: number): (part: number, whole: number) => boolean {
  const r = toRational(threshold);
  const num = Number(r.num);
  const den = Number(r.den);
  // Number products are exact below 2^53; counts are < 2^32, so this holds for thresholds with ≤ 6 digits.
  if (Number.isSafeInteger(num) && Number.isSafeInteger(den) && Math.max(num, den) < 2 ** 21) {
    return (part, whole) => part * den >= num * whole;
  }
  return (part, whole) => BigInt(part) * r.den >= r.num * BigInt(whole);
}
