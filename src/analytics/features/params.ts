import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

export { isIsoDate } from '../shared/dates.js';

/** Settings of the customer feature view. */
export interface FeaturesParams {
  /**
   * The reference date, `YYYY-MM-DD`. The view describes each customer at the **end of day `asOf`**:
   * everything dated on or before `asOf` counts (orders by `order_date <= asOf`, timestamped events by
   * `time < asOf + 1 day`), nothing dated after it does. Recency and tenure are measured to `asOf`.
   */
  asOf: string;
  /** Top-level product categories that get a revenue-share column (`share_cat_<slug>`), in this order. */
  categories: readonly string[];
  /** Order channels that get an order-share column (`share_channel_<slug>`), in this order. */
  channels: readonly string[];
}

export const defaults: Readonly<Omit<FeaturesParams, 'asOf'>> = { categories: [], channels: [] };

/** Validates feature-view params, reporting every bad field at once. */
export function parseParams(input: unknown): FeaturesParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (!isIsoDate(o.asOf))
    issues.push({
      where: 'asOf',
      message: `expected a date YYYY-MM-DD (e.g. 2024-12-31), got ${JSON.stringify(o.asOf ?? null)}`,
    });
  const lists: Record<string, readonly string[]> = {};
  for (const key of ['categories', 'channels'] as const) {
    const v = o[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0)) {
      issues.push({ where: key, message: `expected a list of non-empty names, got ${JSON.stringify(v)}` });
      lists[key] = [];
    } else lists[key] = v as string[];
  }
  if (issues.length) throw inputErrorFromIssues('Feature view settings are not valid:', issues);
  return { asOf: o.asOf as string, categories: lists.categories ?? [], channels: lists.channels ?? [] };
}
