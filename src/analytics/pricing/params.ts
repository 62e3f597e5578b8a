import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

export interface PricingParams {
  /** Orders strictly before this date; default the day after the last order. Only whole weeks count. */
  asOf: string | null;
  /** Weeks of history the elasticities are learned from (the last whole weeks before asOf). */
  historyWeeks: number;
  /** Weeks of the what-if baseline (units, revenue and margin the change is applied to). */
  baseWeeks: number;
  /** Fewest weeks with sales a category needs for an estimate. */
  minWeeks: number;
  /** Fewest selling weeks for a product's own (pooled) estimate. */
  minProductWeeks: number;
  /** Smallest within-product standard deviation of ln price (0.02 ≈ prices moving by ±2 %). */
  minPriceVariation: number;
  /** Widest standard error of an elasticity still worth answering with. */
  maxSe: number;
  /** Interval level, 0.5–0.999. */
  level: number;
}

export const defaults: Readonly<PricingParams> = {
  asOf: null,
  historyWeeks: 156,
  baseWeeks: 52,
  minWeeks: 26,
  minProductWeeks: 20,
  minPriceVariation: 0.02,
  maxSe: 0.75,
  level: 0.95,
};

function wholeIn(
  issues: Issue[],
  o: Record<string, unknown>,
  key: keyof PricingParams,
  min: number,
  max: number,
) {
  const v = o[key] ?? defaults[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    issues.push({ where: key, message: `expected a whole number ${min}–${max}, got ${JSON.stringify(v)}` });
}

function numberIn(
  issues: Issue[],
  o: Record<string, unknown>,
  key: keyof PricingParams,
  min: number,
  max: number,
) {
  const v = o[key] ?? defaults[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    issues.push({ where: key, message: `expected a number ${min}–${max}, got ${JSON.stringify(v)}` });
}

/** Checks every field at once and fills in the defaults. @throws InputError INVALID_INPUT with details.issues */
export function parseParams(input: unknown): PricingParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const asOf = o.asOf ?? null;
  if (asOf !== null && !isIsoDate(asOf))
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(asOf)}` });
  wholeIn(issues, o, 'historyWeeks', 8, 1040);
  wholeIn(issues, o, 'baseWeeks', 1, 520);
  wholeIn(issues, o, 'minWeeks', 4, 520);
  wholeIn(issues, o, 'minProductWeeks', 4, 520);
  numberIn(issues, o, 'minPriceVariation', 0, 1);
  numberIn(issues, o, 'maxSe', 0.01, 100);
  numberIn(issues, o, 'level', 0.5, 0.999);
  if (issues.length) throw inputErrorFromIssues('Invalid pricing parameters', issues);
  return { ...defaults, ...(o as Partial<PricingParams>), asOf: asOf as string | null } as PricingParams;
}

/**
 * Reads a price change: "-10%", "+5%", "-0.1" or a number. @throws InputError INVALID_ARGUMENT when it is not
 * a change between −90 % and +200 %.
 */
export function parsePriceChange(value: unknown): number {
  let x: number;
  if (typeof value === 'number') x = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*%\s*$/.test(value))
    x = Number.parseFloat(value) / 100;
  else if (typeof value === 'string' && /^\s*[+-]?\d*(\.\d+)?\s*$/.test(value) && value.trim() !== '')
    x = Number.parseFloat(value);
  else x = Number.NaN;
  if (!Number.isFinite(x) || x <= -0.9 || x > 2)
    throw inputErrorFromIssues('Invalid price change', [
      {
        where: 'priceChange',
        message: `expected a change between -90% and +200% such as "-10%" or -0.1, got ${JSON.stringify(value)}`,
      },
    ]);
  return x;
}
