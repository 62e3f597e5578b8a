import {
  COHORT_BY,
  COHORT_METRICS,
  type CohortBy,
  type CohortMetric,
  type CohortParams,
  cohorts,
} from '../../../analytics/cohorts/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { dateFlag, intFlag } from './analytics-args.js';

export const cohortsCommand: Command = {
  name: 'cohorts',
  summary: 'retention and value triangles by first-order month, channel or category',
  usage: `Usage: clientele cohorts [--by first_order_month|first_channel|first_category|campaign]
         [--metric customers|orders|revenue|margin] [--periods 12] [--as-of DATE] [--rates] [--json]

Customers grouped by the month, channel or top-level category of their first order, or by the campaign that
converted it (a conversion event on that order); per month since that first
order (0 = the first month), the active customers, orders, net revenue (as the overview defines it) or margin.
--rates shows the same per cohort customer (retention for customers); months a cohort has not lived through
yet are empty. Only whole months before --as-of (default: the day after the last order) count.

JSON fields: by, metric, periods, asOf, cohorts[{cohort, size, values[], rates[], cumulative[]}], warnings

Examples:
  clientele cohorts
  clientele cohorts --by first_channel --metric revenue --rates
  clientele cohorts --by first_category --metric margin --periods 24 --json`,
  options: {
    by: { type: 'string' },
    metric: { type: 'string' },
    periods: { type: 'string' },
    'as-of': { type: 'string' },
    rates: { type: 'boolean' },
  },
  async run(ctx) {
    const params: Partial<CohortParams> = {};
    const by = ctx.values.by;
    if (by !== undefined) {
      if (!COHORT_BY.includes(by as CohortBy))
        throw new InputError(
          `cohorts: --by expected one of ${COHORT_BY.join(', ')}, got ${JSON.stringify(by)}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      params.by = by as CohortBy;
    }
    const metric = ctx.values.metric;
    if (metric !== undefined) {
      if (!COHORT_METRICS.includes(metric as CohortMetric))
        throw new InputError(
          `cohorts: --metric expected one of ${COHORT_METRICS.join(', ')}, got ${JSON.stringify(metric)}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      params.metric = metric as CohortMetric;
    }
    const periods = intFlag(ctx, 'periods', 1, 120);
    if (periods !== undefined) params.periods = periods;
    if (ctx.values['as-of'] !== undefined) params.asOf = dateFlag(ctx.values['as-of'], 'as-of');
    const engine = await ctx.openDb({ readOnly: true });
    try {
      const r = await cohorts(engine, params);
      const rates = ctx.values.rates === true;
      ctx.out.line(
        `Cohorts by ${r.by}, ${r.metric}${rates ? ' per cohort customer' : ''}, months since the first order (data before ${r.asOf})`,
      );
      const fmt = (x: number | null) =>
        x === null
          ? ''
          : rates
            ? r.metric === 'customers'
              ? `${(x * 100).toFixed(1)}%`
              : x.toFixed(2)
            : Math.round(x * 100) / 100;
      ctx.out.table(
        r.cohorts.map((c) => ({
          cohort: c.cohort,
          size: c.size,
          ...Object.fromEntries((rates ? c.rates : c.values).map((v, i) => [`m${i}`, fmt(v)])),
        })),
        { maxRows: 200 },
      );
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      return r;
    } finally {
      await engine.close();
    }
  },
};
