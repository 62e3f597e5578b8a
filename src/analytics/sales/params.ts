import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

export const SALES_DIMENSIONS = [
  'product',
  'category',
  'channel',
  'promo',
  'weekday',
  'hour',
  'region',
  'country',
  'segment',
] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];
export const SALES_GRAINS = ['day', 'week', 'month'] as const;
export type SalesGrain = (typeof SALES_GRAINS)[number];

export interface SalesParams {
  /** Break down by this dimension (null: totals only). */
  by: SalesDimension | null;
  /** Trend granularity over the window. */
  grain: SalesGrain;
  /** Window [from, to); default: the 30 days before `to`. */
  from: string | null;
  /** Exclusive end; default: the day after the last order. */
  to: string | null;
  /** Rows kept in the breakdown (largest current revenue first) and series in the trend. */
  top: number;
}

export const defaults: Readonly<SalesParams> = { by: null, grain: 'day', from: null, to: null, top: 20 };

export function parseParams(input: unknown): SalesParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const by = o.by ?? null;
  if (by !== null && !SALES_DIMENSIONS.includes(by as SalesDimension))
    issues.push({
      where: 'by',
      message: `expected one of ${SALES_DIMENSIONS.join(', ')}, got ${JSON.stringify(by)}`,
    });
  const grain = o.grain ?? defaults.grain;
  if (!SALES_GRAINS.includes(grain as SalesGrain))
    issues.push({
      where: 'grain',
      message: `expected one of ${SALES_GRAINS.join(', ')}, got ${JSON.stringify(grain)}`,
    });
  for (const key of ['from', 'to'] as const) {
    const v = o[key] ?? null;
    if (v !== null && !isIsoDate(v))
      issues.push({ where: key, message: `expected a date YYYY-MM-DD, got ${JSON.stringify(v)}` });
  }
  if (isIsoDate(o.from) && isIsoDate(o.to) && !(o.from < o.to))
    issues.push({ where: 'from', message: `expected a date before to (${o.to}), got ${o.from}` });
  const top = o.top ?? defaults.top;
  if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > 10_000)
    issues.push({ where: 'top', message: `expected a whole number 1–10000, got ${JSON.stringify(top)}` });
  if (issues.length) throw inputErrorFromIssues('Invalid sales parameters', issues);
  return {
    by: by as SalesDimension | null,
    grain: grain as SalesGrain,
    from: (o.from as string | undefined) ?? null,
    to: (o.to as string | undefined) ?? null,
    top: top as number,
  };
}
