import type { Engine } from '../../store/index.js';
import { defaultAsOf } from '../overview/index.js';
import { buildTriangle, type CohortRowInput, type CohortTriangleRow } from './core.js';
import { type CohortBy, type CohortMetric, type CohortParams, parseParams } from './params.js';
import { cohortSql } from './sql.js';

export { buildTriangle, type CohortTriangleRow } from './core.js';
export {
  COHORT_BY,
  COHORT_METRICS,
  type CohortBy,
  type CohortMetric,
  type CohortParams,
  defaults as cohortDefaults,
  parseParams as parseCohortParams,
} from './params.js';

export interface CohortResult {
  by: CohortBy;
  metric: CohortMetric;
  periods: number;
  asOf: string;
  cohorts: CohortTriangleRow[];
  warnings: string[];
}

/**
 * Retention and value triangles: customers grouped by the month, channel or category of their first order;
 * per month since that first order, the active customers, orders, net revenue or margin, and the same per
 * cohort customer who had lived that many whole months before `asOf`.
 *
 * @example
 * ```ts
 * const c = await cohorts(engine, { by: 'first_order_month', metric: 'customers', periods: 12 });
 * console.log(c.cohorts[0].rates); // [1, 0.21, 0.18, …]: month-1 retention 21%
 * ```
 */
export async function cohorts(engine: Engine, input: Partial<CohortParams> = {}): Promise<CohortResult> {
  const params = parseParams(input);
  const asOf = params.asOf ?? (await defaultAsOf(engine));
  const rows = await engine.query<CohortRowInput>(cohortSql(engine.dialect, asOf, params.by, params.periods));
  const warnings: string[] = [];
  if (!asOf.endsWith('-01'))
    warnings.push(`the month of ${asOf} is not complete: it is left out of every cohort's figures`);
  return {
    by: params.by,
    metric: params.metric,
    periods: params.periods,
    asOf,
    cohorts: buildTriangle(rows, params.metric, params.periods),
    warnings,
  };
}
