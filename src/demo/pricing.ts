import { civilFromDays } from './calendar.js';
import { createDemoRng } from './rng.js';

/**
 * Planted price elasticities (README "Price elasticity"): every leaf category has a weekly shelf-price
 * multiplier m ≤ 1 (list-price levels that change twice over the three years, promotion weeks, January and
 * July markdown weeks), and the units of every line respond to it: the quantity q drawn as before becomes
 * q · m^ε in expectation (stochastic rounding), with ε the planted elasticity of the line's top-level
 * category. The number of lines (the purchase occasions) does not depend on the price, so the units of a
 * (product, week) scale exactly as m^ε. Since m ≤ 1 and ε < 0, m^ε ≥ 1: no line ever loses its last unit.
 *
 * The schedule is the shop's, the same for every seed (like the catalog), and costs no draw from a
 * customer's stream: the rounding uses a hash of (customer, order day, SKU, line), so every other planted
 * pattern keeps its random numbers.
 */

/** Planted price elasticity of units per top-level category (log-log slope). */
export const PLANTED_ELASTICITY: Readonly<Record<string, number>> = {
  Women: -1.8,
  Men: -1.5,
  Kids: -1.2,
  Home: -1.0,
  Electronics: -2.2,
  Sports: -1.4,
  Beauty: -0.8,
  Books: -0.6,
};

/** The price schedule's constants. */
export const PRICE_PLAN = {
  /** Earlier list-price levels (the current level is 1: the catalog price). */
  levels: [0.9, 0.95],
  /** Share of weeks a leaf is on promotion, and the promotion multipliers. */
  promotionShare: 0.12,
  promotionMultipliers: [0.8, 0.85],
  /** In January and July, this share of a leaf's weeks is marked down to `markdown`. */
  markdownShare: 0.3,
  markdown: 0.7,
} as const;

/** ISO (Monday-based) week number of a day number: 1970-01-01 was a Thursday. */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

export interface PriceSchedule {
  /** The shelf-price multiplier of a leaf category on a day (1 outside the simulated span). */
  multiplier(leaf: string, day: number): number;
}

/** The weekly price multipliers of every leaf category over [startDay, asOfDay); deterministic, seed-free. */
export function createPriceSchedule(
  leaves: readonly string[],
  startDay: number,
  asOfDay: number,
): PriceSchedule {
  const rng = createDemoRng(0x9a1c_e5ed);
  const firstWeek = weekOfDay(startDay);
  const weeks = weekOfDay(asOfDay - 1) - firstWeek + 1;
  const table = new Map<string, Float64Array>();
  for (const leaf of leaves) {
    const m = new Float64Array(weeks);
    // Two list-price changes at random weeks in the first two thirds: level a, then b, then 1.
    const c1 = Math.floor(weeks * (0.1 + 0.3 * rng.next()));
    const c2 = Math.floor(weeks * (0.45 + 0.25 * rng.next()));
    const levelA = rng.pick(PRICE_PLAN.levels);
    const levelB = rng.pick(PRICE_PLAN.levels);
    for (let w = 0; w < weeks; w++) {
      const level = w < c1 ? levelA : w < c2 ? levelB : 1;
      const month = civilFromDays((firstWeek + w) * 7).month; // the week's Thursday
      let cut = 1;
      if ((month === 1 || month === 7) && rng.chance(PRICE_PLAN.markdownShare)) cut = PRICE_PLAN.markdown;
      else if (rng.chance(PRICE_PLAN.promotionShare)) cut = rng.pick(PRICE_PLAN.promotionMultipliers);
      m[w] = level * cut;
    }
    table.set(leaf, m);
  }
  return {
    multiplier(leaf, day) {
      const m = table.get(leaf);
      const w = weekOfDay(day) - firstWeek;
      return m && w >= 0 && w < m.length ? m[w]! : 1;
    },
  };
}

/** A uniform number in [0, 1) from integers (murmur3's finaliser): the rounding draw of a line. */
export function hashUniform(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x85eb_ca6b, 0x9e37_79b1) ^ Math.imul(b + 0x1656_67b1, 0xc2b2_ae35) ^ c;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** A 32-bit hash of a string (FNV-1a). */
export function hashString(s: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x0100_0193);
  return h >>> 0;
}

/** The planted response: q · m^ε, rounded up or down at random so that its expectation is exact. */
export function respondQuantity(quantity: number, multiplier: number, elasticity: number, u: number): number {
  const expected = quantity * multiplier ** elasticity;
  const whole = Math.floor(expected);
  return whole + (u < expected - whole ? 1 : 0);
}
