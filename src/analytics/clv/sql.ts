/**
 * SQL for the CLV module: the per-customer recency/frequency/monetary summary as of a calibration end date
 * (with an optional holdout period), its grouped form for fitting, and the order amounts it is built from.
 *
 * Conventions (they reproduce Fader, Hardie & Lee's CDNOW numbers):
 * - A purchase is a customer-day: several orders on one day count once and their amounts are summed.
 * - x = purchase days in calibration after the first one; t_x = last purchase day − first purchase day;
 *   T = calibration end − first purchase day; both in the chosen time unit (day = 1, week = 7,
 *   month = 365.25 / 12 days). The calibration period includes its end date.
 * - Order amount = orders.total; where total is NULL, Σ order_lines (quantity × unit_price − discount).
 * - Orders whose status is cancelled/canceled/void/failed are not purchases.
 * - Holdout: purchase days in (calibration end, holdout end] and their amounts.
 */
import type { Dialect } from '../../store/index.js';
import { empty, type SqlFragment, sql } from '../../store/index.js';

export const TIME_UNITS = { day: 1, week: 7, month: 365.25 / 12 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/** Order statuses that are not purchases (compared in lower case). */
export const NON_PURCHASE_STATUSES = ['cancelled', 'canceled', 'void', 'failed'] as const;

export interface SummarySqlOptions {
  /** Last day of the calibration period (inclusive), `YYYY-MM-DD`. */
  calibrationEnd: string;
  /** Last day of the holdout period (inclusive); omit for no holdout columns. */
  holdoutEnd?: string;
  unit: TimeUnit;
}

/** Amount per order: the order total, or the sum of its lines when the total is missing. */
export function orderAmountsSql(): SqlFragment {
  return sql`SELECT o.customer_id, o.order_date,
      coalesce(o.total, l.line_amount, 0) AS amount
    FROM orders o
    LEFT JOIN (
      SELECT order_id, sum(quantity * unit_price - discount) AS line_amount
      FROM order_lines GROUP BY order_id
    ) l ON l.order_id = o.order_id
    WHERE lower(o.status) NOT IN ('cancelled', 'canceled', 'void', 'failed')`;
}

/** One row per customer and purchase day, with the day's amount. */
export function purchaseDaysSql(): SqlFragment {
  return sql`SELECT customer_id, order_date AS day, sum(amount) AS amount
    FROM (${orderAmountsSql()}) a GROUP BY customer_id, order_date`;
}

/**
 * Per-customer summary: customer_id, first_purchase, x, t_x, T, mean_spend (mean amount of the repeat
 * purchase days; NULL when x = 0), first_spend, and with a holdout x_holdout, spend_holdout.
 * Customers whose first purchase falls after the calibration end are left out (see `lateCustomersSql`).
 */
export function summarySql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  const calEnd = dialect.dateParam(options.calibrationEnd);
  const unitDays = TIME_UNITS[options.unit];
  const inCal = sql`d.day <= ${calEnd}`;
  const isRepeat = sql`(d.day <= ${calEnd} AND d.day > f.first_day)`;
  const holdout = options.holdoutEnd
    ? sql`, ${dialect.countIf(sql`d.day > ${calEnd} AND d.day <= ${dialect.dateParam(options.holdoutEnd)}`)} AS x_holdout,
        ${dialect.sumIf(sql`d.amount`, sql`d.day > ${calEnd} AND d.day <= ${dialect.dateParam(options.holdoutEnd)}`)} AS spend_holdout`
    : empty;
  return sql`WITH days AS (${purchaseDaysSql()}),
    firsts AS (SELECT customer_id, min(day) AS first_day FROM days GROUP BY customer_id)
    SELECT d.customer_id,
      f.first_day AS first_purchase,
      ${dialect.toDouble(dialect.countIf(isRepeat))} AS x,
      ${dialect.toDouble(sql`${dialect.dateDiffDays(sql`f.first_day`, sql`max(CASE WHEN ${inCal} THEN d.day END)`)}`)} / ${unitDays} AS t_x,
      ${dialect.toDouble(dialect.dateDiffDays(sql`f.first_day`, calEnd))} / ${unitDays} AS "T",
      avg(CASE WHEN ${isRepeat} THEN d.amount END) AS mean_spend,
      max(CASE WHEN d.day = f.first_day THEN d.amount END) AS first_spend
      ${holdout}
    FROM days d JOIN firsts f ON f.customer_id = d.customer_id
    WHERE f.first_day <= ${calEnd}
    GROUP BY d.customer_id, f.first_day`;
}

/** The summary grouped into distinct (x, t_x, T) rows with the number of customers in each. */
export function groupedSummarySql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  return sql`SELECT x, t_x, "T", ${dialect.toDouble(sql`count(*)`)} AS weight
    FROM (${summarySql(dialect, { ...options, holdoutEnd: undefined })}) s
    GROUP BY x, t_x, "T"`;
}

/** Customers whose first purchase is after the calibration end (not in the calibration summary). */
export function lateCustomersSql(dialect: Dialect, options: SummarySqlOptions): SqlFragment {
  return sql`SELECT ${dialect.toDouble(sql`count(*)`)} AS n FROM (
      SELECT customer_id FROM (${orderAmountsSql()}) a GROUP BY customer_id
      HAVING min(order_date) > ${dialect.dateParam(options.calibrationEnd)}) late`;
}
