import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

/** A life event seen as a burst of purchases in some categories (category paths matched with SQL LIKE, case-insensitive). */
export interface CategoryEventRule {
  type: string;
  /** LIKE patterns on products.category_path, e.g. '%baby%'. */
  patterns: string[];
  /** The burst is counted over this many days from its first order. */
  windowDays: number;
}

export interface LifeEventParams {
  /** Orders strictly before this date; default the day after the last order. */
  asOf: string | null;
  rules: CategoryEventRule[];
  /** Significance after the Bonferroni correction over a customer's candidate dates. */
  alpha: number;
  /** Orders a customer needs before a category event can be judged against their own history. */
  minHistoryOrders: number;
  /** Orders a customer needs before a channel switch can be judged. */
  minSwitchHistory: number;
  /** Orders with the category in the burst window (category events). */
  minEventOrders: number;
  /** Orders after a channel switch needed to call it a switch. */
  minSwitchOrders: number;
  /** Weight (in orders) of the shop-wide channel share in a customer's expected share (empirical-Bayes prior). */
  priorOrders: number;
  /** The same for category events, in order lines. */
  priorLines: number;
  /** Also look for breaks in purchase frequency and spend (frequency_up/down, spend_up/down). */
  breaks: boolean;
  /**
   * Customers per batch: the candidate queries run on slices of this many customers (by customer_id), so
   * memory stays bounded whatever the shop's size; the events are the same for any batch size.
   */
  batchCustomers: number;
}

/** Default rules: the categories of a shop like the demo's. Pass your own for another catalog. */
export const DEFAULT_RULES: readonly CategoryEventRule[] = [
  { type: 'new_baby', patterns: ['%baby%', '%maternity%', '%nursery%'], windowDays: 120 },
  {
    type: 'moving',
    patterns: ['home > living%', 'home > bathroom%', 'home > kitchen > cookware%', '%furniture%'],
    windowDays: 60,
  },
  { type: 'wedding', patterns: ['%wedding%', '%bridal%'], windowDays: 120 },
];

export const defaults: Readonly<LifeEventParams> = {
  asOf: null,
  rules: [...DEFAULT_RULES],
  alpha: 0.001,
  minHistoryOrders: 1,
  minSwitchHistory: 4,
  minEventOrders: 2,
  minSwitchOrders: 3,
  priorOrders: 2,
  priorLines: 10,
  breaks: true,
  batchCustomers: 250_000,
};

/** Checks every field at once and fills in the defaults. @throws InputError INVALID_INPUT with details.issues */
export function parseParams(input: unknown): LifeEventParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const asOf = o.asOf ?? null;
  if (asOf !== null && !isIsoDate(asOf))
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(asOf)}` });
  const rules = (o.rules ?? defaults.rules) as unknown;
  if (!Array.isArray(rules) || rules.length > 20)
    issues.push({ where: 'rules', message: 'expected a list of at most 20 {type, patterns[], windowDays}' });
  else
    rules.forEach((r, i) => {
      const x = r as Partial<CategoryEventRule>;
      if (typeof x?.type !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(x.type))
        issues.push({
          where: `rules[${i}].type`,
          message: `expected a snake_case name, got ${JSON.stringify(x?.type)}`,
        });
      if (x?.type === 'channel_switch')
        issues.push({
          where: `rules[${i}].type`,
          message: 'channel_switch is built in; choose another name',
        });
      if (
        !Array.isArray(x?.patterns) ||
        !x.patterns.length ||
        x.patterns.some((p) => typeof p !== 'string' || !p)
      )
        issues.push({ where: `rules[${i}].patterns`, message: 'expected a non-empty list of LIKE patterns' });
      if (
        typeof x?.windowDays !== 'number' ||
        !Number.isInteger(x.windowDays) ||
        x.windowDays < 1 ||
        x.windowDays > 730
      )
        issues.push({
          where: `rules[${i}].windowDays`,
          message: `expected a whole number 1–730, got ${JSON.stringify(x?.windowDays)}`,
        });
    });
  const num = (key: keyof LifeEventParams, min: number, max: number, whole: boolean) => {
    const v = o[key] ?? defaults[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v)))
      issues.push({
        where: key,
        message: `expected ${whole ? 'a whole number' : 'a number'} ${min}–${max}, got ${JSON.stringify(v)}`,
      });
  };
  num('alpha', 1e-12, 0.5, false);
  num('minHistoryOrders', 1, 1000, true);
  num('minSwitchHistory', 1, 1000, true);
  num('minEventOrders', 1, 100, true);
  num('minSwitchOrders', 1, 100, true);
  num('priorOrders', 0, 1000, false);
  num('priorLines', 0, 10000, false);
  num('batchCustomers', 100, 100_000_000, true);
  if (o.breaks !== undefined && typeof o.breaks !== 'boolean')
    issues.push({ where: 'breaks', message: `expected true or false, got ${JSON.stringify(o.breaks)}` });
  if (issues.length) throw inputErrorFromIssues('Invalid life-event parameters', issues);
  return {
    ...defaults,
    ...(o as Partial<LifeEventParams>),
    asOf: asOf as string | null,
    rules: rules as CategoryEventRule[],
  };
}
