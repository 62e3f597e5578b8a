/**
 * SQL for the CLV module: the per-customer recency/frequency/monetary summary as of a calibration end date
 * (with an optional holdout period), its grouped form for fitting, and the order amounts it is built from.
 *
 * Conventions (they reproduce Fader, Hardie & Lee's CDNOW numbers):
 * - A purchase is a customer-day: several orders on one day count once and their amounts are summed.
 * - x = purchase days in calibration after the first one; t_x = last purchase day − first purchase day;
 *   T = calibration end − first purchase day; both in the chosen time unit (day = 1, week = 7,
 *   month = 365.25 / 12 days). The calibration period includes its end date.
 * - Order amount = the order's net revenue by the revenue rule (analytics/revenue: gross sales − discounts −
 *   returns, shipping fees left out), the same figure as the overview's and profit's.
 * - Orders whose status is cancelled/canceled/void/failed are not purchases. A fully returned order is a
 *   purchase (a transaction took place) worth 0, so the CLV base is the same buyers as every other page's.
 * - Holdout: purchase days in (calibration end, holdout end] and their amounts.
 */
import type { Dialect } from '../../store/index.js';
import { empty, type SqlFragment, sql } from '../../store/index.js';
import {
  countedOrderSql,
  EXCLUDED_ORDER_STATUSES,
  lineRevenueSql,
  orderRevenueSql,
} from '../revenue/index.js';

export const TIME_UNITS = { day: 1, week: 7, month: 365.25 / 12 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/** Order statuses that are not purchases (compared in lower case). */
export const NON_PURCHASE_STATUSES = EXCLUDED_ORDER_STATUSES;

export interface SummarySqlOptions {
  /** Last day of the calibration period (inclusive), `YYYY-MM-DD`. */
  calibrationEnd: string;
  /** Last day of the holdout period (inclusive); omit for no holdout columns. */
  holdoutEnd?: string;
  unit: TimeUnit;
}

/**
 * Amount per purchase: the order's net revenue (the revenue rule); a fully returned order is worth 0.
 */
export function orderAmountsSql(dialect: Dialect): SqlFragment {
  return sql`SELECT customer_id, order_date, net_revenue AS amount FROM (${orderRevenueSql(dialect, { customersOnly: true })}) r`;
}

/**
 * One row per customer and purchase day, with the day's amount. Amounts are summed as DECIMAL(18,4) (exact,
 * to 1/100 of a cent): a sum of doubles depends on the order in which a parallel aggregate meets the rows, so
 * two runs on the same data could differ in the last bits of the mean spend, and fits with them.
 */
export function purchaseDaysSql(dialect: Dialect): SqlFragment {
  return sql`SELECT customer_id, order_date AS day, sum(${dialect.toDecimal(sql`amount`, 4)}) AS amount
    FROM (${orderAmountsSql(dialect)}) a GROUP BY customer_id, order_date`;
}

/**
 * Per-customer aggregates in one pass over the purchase days (no self-join): first day, calibration days,
 * last calibration day, calibration amount, the first day's amount, and holdout counts when asked.
 */
function perCustomerSql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  const calEnd = dialect.dateParam(options.calibrationEnd);
  const inCal = sql`day <= ${calEnd}`;
  const holdout = options.holdoutEnd
    ? sql`, ${dialect.countIf(sql`day > ${calEnd} AND day <= ${dialect.dateParam(options.holdoutEnd)}`)} AS x_holdout,
        ${dialect.sumIf(sql`amount`, sql`day > ${calEnd} AND day <= ${dialect.dateParam(options.holdoutEnd)}`)} AS spend_holdout`
    : empty;
  return sql`SELECT customer_id, min(day) AS first_day,
      ${dialect.countIf(inCal)} AS n_cal,
      max(CASE WHEN ${inCal} THEN day END) AS last_cal,
      ${dialect.sumIf(sql`amount`, inCal)} AS sum_cal,
      ${dialect.argMin(sql`amount`, sql`day`)} AS first_amount
      ${holdout}
    FROM (${purchaseDaysSql(dialect)}) d GROUP BY customer_id`;
}

/**
 * Per-customer summary: customer_id, first_purchase, x, t_x, T, mean_spend (mean amount of the repeat
 * purchase days; NULL when x = 0), first_spend, and with a holdout x_holdout, spend_holdout.
 * Customers whose first purchase falls after the calibration end are left out, unless `includeLate`: then
 * they come with x = −1 (so one query also counts them).
 */
export function summarySql(dialect: Dialect, options: SummarySqlOptions, includeLate = false): SqlFragment {
  const calEnd = dialect.dateParam(options.calibrationEnd);
  const unitDays = TIME_UNITS[options.unit];
  const holdout = options.holdoutEnd
    ? sql`, x_holdout, ${dialect.toDouble(sql`spend_holdout`)} AS spend_holdout`
    : empty;
  return sql`SELECT customer_id, first_day AS first_purchase,
      ${dialect.toDouble(sql`n_cal - 1`)} AS x,
      ${dialect.toDouble(dialect.dateDiffDays(sql`first_day`, sql`last_cal`))} / ${unitDays} AS t_x,
      ${dialect.toDouble(dialect.dateDiffDays(sql`first_day`, calEnd))} / ${unitDays} AS "T",
      CASE WHEN n_cal > 1 THEN ${dialect.toDouble(sql`sum_cal - first_amount`)} / (n_cal - 1) END AS mean_spend,
      ${dialect.toDouble(sql`first_amount`)} AS first_spend
      ${holdout}
    FROM (${perCustomerSql(dialect, options)}) p
    ${includeLate ? empty : sql`WHERE first_day <= ${calEnd}`}`;
}

/**
 * The summary grouped into distinct (x, t_x, T) rows with the number of customers in each. Customers first
 * seen after the calibration end form rows with x = −1 (counted, not fitted).
 */
export function groupedSummarySql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  const calEnd = dialect.dateParam(options.calibrationEnd);
  const unitDays = TIME_UNITS[options.unit];
  // Group on whole-day integers (cheaper to hash than doubles), convert to the time unit afterwards.
  return sql`SELECT ${dialect.toDouble(sql`n_cal - 1`)} AS x,
      ${dialect.toDouble(sql`tx_days`)} / ${unitDays} AS t_x,
      ${dialect.toDouble(sql`t_days`)} / ${unitDays} AS "T",
      ${dialect.toDouble(sql`weight`)} AS weight
    FROM (SELECT n_cal, ${dialect.dateDiffDays(sql`first_day`, sql`last_cal`)} AS tx_days,
        ${dialect.dateDiffDays(sql`first_day`, calEnd)} AS t_days, count(*) AS weight
      FROM (${perCustomerSql(dialect, { ...options, holdoutEnd: undefined })}) p
      GROUP BY 1, 2, 3) g`;
}

/** Customers whose first purchase is after the calibration end (not in the calibration summary). */
export function lateCustomersSql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  return sql`SELECT ${dialect.toDouble(sql`count(*)`)} AS n FROM (
      SELECT customer_id FROM (${orderAmountsSql(dialect)}) a GROUP BY customer_id
      HAVING min(order_date) > ${dialect.dateParam(options.calibrationEnd)}) late`;
}

/** Calibration customers' first purchase day, the cohort start (earliest first day) and offsets in days. */
function firstsSql(dialect: Dialect, calibrationEnd: string): SqlFragment {
  return sql`SELECT customer_id, min(day) AS first_day FROM (${purchaseDaysSql(dialect)}) d
    GROUP BY customer_id HAVING min(day) <= ${dialect.dateParam(calibrationEnd)}`;
}

/** Customers per first-purchase day, as days from the cohort start: offset_days, customers. */
export function firstOffsetsSql(dialect: Dialect, calibrationEnd: string): SqlFragment {
  return sql`WITH f AS (${firstsSql(dialect, calibrationEnd)}),
      s AS (SELECT min(first_day) AS start_day FROM f)
    SELECT ${dialect.toDouble(dialect.dateDiffDays(sql`s.start_day`, sql`f.first_day`))} AS offset_days,
      ${dialect.toDouble(sql`count(*)`)} AS customers
    FROM f CROSS JOIN s GROUP BY 1 ORDER BY 1`;
}

/**
 * Repeat purchase days of calibration customers per tracking period up to `until` (inclusive):
 * period = floor(days since cohort start / unit days) + 1.
 */
export function trackingSql(dialect: Dialect, options: SummarySqlOptions & { until: string }): SqlFragment {
  const unitDays = TIME_UNITS[options.unit];
  return sql`WITH f AS (${firstsSql(dialect, options.calibrationEnd)}),
      s AS (SELECT min(first_day) AS start_day FROM f),
      d AS (${purchaseDaysSql(dialect)})
    SELECT ${dialect.toDouble(sql`floor(${dialect.dateDiffDays(sql`s.start_day`, sql`d.day`)} / ${unitDays}) + 1`)} AS period,
      ${dialect.toDouble(sql`count(*)`)} AS repeats
    FROM d JOIN f ON f.customer_id = d.customer_id CROSS JOIN s
    WHERE d.day > f.first_day AND d.day <= ${dialect.dateParam(options.until)}
    GROUP BY 1 ORDER BY 1`;
}

/** Days from the cohort start to a date (for the number of tracking periods). */
export function cohortStartSql(dialect: Dialect, calibrationEnd: string): SqlFragment {
  return sql`SELECT ${dialect.toText(sql`min(first_day)`)} AS start_day FROM (${firstsSql(dialect, calibrationEnd)}) f`;
}

/**
 * sBG input from orders: customers whose first purchase is in [cohortStart, cohortStart + 1 unit), with
 * the period of their last purchase up to the calibration end (0 = the first period). A customer counts as
 * retained through the period of their last purchase: the contractual reading of transaction data.
 */
export function cohortLastPeriodSql(
  dialect: Dialect,
  options: SummarySqlOptions & { cohortStart: string },
): SqlFragment {
  const unitDays = TIME_UNITS[options.unit];
  const start = dialect.dateParam(options.cohortStart);
  return sql`SELECT ${dialect.toDouble(sql`floor(${dialect.dateDiffDays(start, sql`max(day)`)} / ${unitDays})`)} AS last_period
    FROM (${purchaseDaysSql(dialect)}) d
    WHERE day <= ${dialect.dateParam(options.calibrationEnd)}
    GROUP BY customer_id
    HAVING min(day) >= ${start} AND ${dialect.dateDiffDays(start, sql`min(day)`)} < ${unitDays}`;
}

/** The earliest order date (default sBG cohort start). */
export function firstOrderDateSql(dialect: Dialect): SqlFragment {
  return sql`SELECT ${dialect.toText(sql`min(order_date)`)} AS first_day FROM (${orderAmountsSql(dialect)}) a`;
}

/**
 * Margin ratio (1 − cost of goods / net line revenue) per customer, over order lines whose product has a
 * unit cost: customer_id, margin_ratio, plus the overall ratio in every row (overall_margin_ratio).
 */
export function marginRatioSql(dialect: Dialect, asOf: string): SqlFragment {
  // Revenue net of returns, with a returned line's discount share refunded too (the overview's definition):
  // charging the whole discount to a fully returned line once drove a demo customer's revenue to 0.02 and
  // the ratio to −1,468. A customer without positive net revenue has no ratio of their own (NULL: the
  // overall ratio applies).
  return sql`WITH l AS (
      SELECT o.customer_id,
        ${lineRevenueSql()} AS revenue,
        (l.quantity - l.returned_quantity) * p.unit_cost AS cost
      FROM order_lines l
      JOIN orders o ON o.order_id = l.order_id
      JOIN products p ON p.sku = l.sku
      WHERE p.unit_cost IS NOT NULL AND o.order_date <= ${dialect.dateParam(asOf)}
        AND ${countedOrderSql('o')})
    SELECT customer_id,
      CASE WHEN sum(revenue) > 0
        THEN ${dialect.safeDivide(sql`(sum(revenue) - sum(cost))`, sql`sum(revenue)`)} END AS margin_ratio,
      (SELECT ${dialect.safeDivide(sql`(sum(revenue) - sum(cost))`, sql`sum(revenue)`)} FROM l) AS overall_margin_ratio
    FROM l WHERE customer_id IS NOT NULL GROUP BY customer_id`;
}
