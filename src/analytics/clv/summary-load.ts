/** Loads the CLV module's model inputs from the datamart (SQL in sql.ts) into typed arrays. */
import { InputError, ModelError } from '../../errors.js';
import { type Engine, type SqlFragment, sql } from '../../store/index.js';
import type { RfSummary, SpendSummary } from './models/summary.js';
import type { ClvParams } from './params.js';
import {
  cohortLastPeriodSql,
  firstOrderDateSql,
  groupedSummarySql,
  type SummarySqlOptions,
  summarySql,
  TIME_UNITS,
} from './sql.js';

/** Per-customer calibration summary (and holdout when asked), as columns. */
export interface CustomerSummary {
  customerId: string[];
  firstPurchase: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean repeat spend; NaN where x = 0. */
  meanSpend: Float64Array;
  /** Holdout purchase days and spend; empty arrays without a holdout. */
  xHoldout: Float64Array;
  spendHoldout: Float64Array;
}

/** Loads the per-customer summary as of the calibration end. */
export async function loadCustomerSummary(
  engine: Engine,
  options: SummarySqlOptions,
): Promise<CustomerSummary> {
  const cols = await engine.queryColumns(summarySqlOrdered(engine, options));
  const num = (name: string) =>
    Float64Array.from((cols[name] ?? []) as (number | null)[], (v) => v ?? Number.NaN);
  return {
    customerId: ((cols.customer_id ?? []) as unknown[]).map(String),
    firstPurchase: ((cols.first_purchase ?? []) as unknown[]).map(String),
    x: num('x'),
    tx: num('t_x'),
    T: num('T'),
    meanSpend: num('mean_spend'),
    xHoldout: options.holdoutEnd ? num('x_holdout') : new Float64Array(0),
    spendHoldout: options.holdoutEnd ? num('spend_holdout') : new Float64Array(0),
  };
}

function summarySqlOrdered(engine: Engine, options: SummarySqlOptions): SqlFragment {
  return sql`SELECT * FROM (${summarySql(engine.dialect, options)}) s ORDER BY customer_id`;
}

/**
 * Loads the grouped (x, t_x, T, weight) summary the purchase models are fitted on, and the number of
 * customers whose first purchase is after the calibration end (not fitted).
 */
export async function loadGroupedSummary(
  engine: Engine,
  options: SummarySqlOptions,
  /** A table or subquery that already holds the per-customer summary with late customers (x = −1). */
  from?: SqlFragment,
): Promise<RfSummary & { late: number }> {
  // Sorted, so that the row order (and with it the summation order in the likelihood, and the optimiser's
  // path to its last digit) does not depend on the engine's hash-aggregation order or on the query path.
  const cols = await engine.queryColumns(
    from
      ? sql`SELECT x, t_x, "T", ${engine.dialect.toDouble(sql`count(*)`)} AS weight FROM ${from} s GROUP BY x, t_x, "T" ORDER BY 1, 2, 3`
      : sql`SELECT * FROM (${groupedSummarySql(engine.dialect, options)}) g ORDER BY 1, 2, 3`,
  );
  const x = (cols.x ?? []) as number[];
  const keep: number[] = [];
  let late = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < 0) late += (cols.weight as number[])[i]!;
    else keep.push(i);
  }
  const pick = (name: string) => Float64Array.from(keep, (i) => (cols[name] as number[])[i]!);
  return { x: pick('x'), tx: pick('t_x'), T: pick('T'), weight: pick('weight'), late };
}

/**
 * Loads the Gamma-Gamma input: customers with x > 0 and a positive mean repeat spend. Repeat customers
 * with a mean ≤ 0 are counted in `dropped`; customers first seen after the calibration end in `late`.
 */
export async function loadSpendSummary(
  engine: Engine,
  options: SummarySqlOptions,
  from?: SqlFragment,
): Promise<{ spend: SpendSummary; dropped: number; late: number }> {
  const inner = from ?? sql`(${summarySql(engine.dialect, { ...options, holdoutEnd: undefined }, true)})`;
  // Sorted for a row order that does not depend on the query path (see loadGroupedSummary).
  const cols = await engine.queryColumns(
    sql`SELECT x, mean_spend FROM ${inner} s WHERE x <> 0 ORDER BY 1, 2`,
  );
  const xs = (cols.x ?? []) as number[];
  const ms = (cols.mean_spend ?? []) as (number | null)[];
  const x: number[] = [];
  const m: number[] = [];
  let dropped = 0;
  let late = 0;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i]! < 0) late++;
    else if (ms[i] !== null && ms[i]! > 0) {
      x.push(xs[i]!);
      m.push(ms[i]!);
    } else dropped++;
  }
  return {
    spend: {
      x: Float64Array.from(x),
      meanSpend: Float64Array.from(m),
      weight: new Float64Array(x.length).fill(1),
    },
    dropped,
    late,
  };
}

/**
 * Survivor counts of one cohort from the orders: the cohort is the customers whose first purchase falls in
 * the first `unit` after `cohortStart` (default: the earliest order date); a customer is retained through
 * the period of their last purchase before the calibration end. Only complete periods are counted.
 */
export async function loadCohortSurvivors(engine: Engine, params: ClvParams): Promise<number[]> {
  const start =
    params.cohortStart ??
    String(
      (await engine.query<{ first_day: string }>(firstOrderDateSql(engine.dialect)))[0]?.first_day ?? '',
    );
  if (!start || start === 'null')
    throw new ModelError('EMPTY_INPUT', 'clv sbg: the datamart has no orders to build a cohort from.');
  const unitDays = TIME_UNITS[params.unit];
  const days =
    (Date.parse(`${params.calibrationEnd}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
  const periods = Math.floor(days / unitDays) - 1;
  if (periods < 1)
    throw new InputError(
      `clv sbg: the calibration period from ${start} to ${params.calibrationEnd} holds fewer than two whole ${params.unit}s; pick a later --calibration-end or a smaller --unit.`,
    );
  const cols = await engine.queryColumns(
    cohortLastPeriodSql(engine.dialect, {
      calibrationEnd: params.calibrationEnd,
      unit: params.unit,
      cohortStart: start,
    }),
  );
  const last = (cols.last_period ?? []) as number[];
  const survivors = new Array<number>(periods + 1).fill(0);
  for (const p of last) for (let k = 0; k <= Math.min(p, periods); k++) survivors[k]! += 1;
  return survivors;
}
