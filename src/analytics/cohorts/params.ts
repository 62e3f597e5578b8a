import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

export const COHORT_BY = ['first_order_month', 'first_channel', 'first_category', 'campaign'] as const;
export type CohortBy = (typeof COHORT_BY)[number];
export const COHORT_METRICS = ['customers', 'orders', 'revenue', 'margin'] as const;
export type CohortMetric = (typeof COHORT_METRICS)[number];

export interface CohortParams {
  by: CohortBy;
  metric: CohortMetric;
  /** Months since the first order shown (columns 0 … periods − 1). */
  periods: number;
  /** Orders strictly before this date; default the day after the last order. Only whole months count. */
  asOf: string | null;
}

export const defaults: Readonly<CohortParams> = {
  by: 'first_order_month',
  metric: 'customers',
  periods: 12,
  asOf: null,
};

export function parseParams(input: unknown): CohortParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const by = o.by ?? defaults.by;
  if (!COHORT_BY.includes(by as CohortBy))
    issues.push({
      where: 'by',
      message: `expected one of ${COHORT_BY.join(', ')}, got ${JSON.stringify(by)}`,
    });
  const metric = o.metric ?? defaults.metric;
  if (!COHORT_METRICS.includes(metric as CohortMetric))
    issues.push({
      where: 'metric',
      message: `expected one of ${COHORT_METRICS.join(', ')}, got ${JSON.stringify(metric)}`,
    });
  const periods = o.periods ?? defaults.periods;
  if (typeof periods !== 'number' || !Number.isInteger(periods) || periods < 1 || periods > 120)
    issues.push({
      where: 'periods',
      message: `expected a whole number 1–120, got ${JSON.stringify(periods)}`,
    });
  const asOf = o.asOf ?? null;
  if (asOf !== null && !isIsoDate(asOf))
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(asOf)}` });
  if (issues.length) throw inputErrorFromIssues('Invalid cohort parameters', issues);
  return {
    by: by as CohortBy,
    metric: metric as CohortMetric,
    periods: periods as number,
    asOf: asOf as string | null,
  };
}
