import { type Dialect, empty, ident, type SqlFragment, sql } from '../../store/index.js';
import { lineRevenueSql, orderValuesSql } from '../overview/index.js';
import type { ForecastBy, ForecastFrequency } from './params.js';

/** The first day of the period holding `date`: the month, the ISO week (Monday), or the day itself. */
export function periodStartSql(
  dialect: Dialect,
  date: SqlFragment,
  frequency: ForecastFrequency,
): SqlFragment {
  if (frequency === 'month') return dialect.truncToMonth(date);
  if (frequency === 'week') return dialect.addDays(date, sql`1 - ${dialect.isoDayOfWeek(date)}`);
  return sql`CAST(${date} AS DATE)`;
}

/**
 * Net revenue per series and period, before `asOf`, as the overview module defines it (`orderValuesSql`: lines
 * net of line discounts and returns, less any order-level discount beyond them; an order without lines counts
 * its exported total; cancelled orders left out). Per category, each order's net revenue is split over its
 * lines' top-level categories in proportion to their net line revenue, so the categories add up to the total.
 * Columns: `series`, `period` (DATE), `value`.
 */
export function datamartSeriesSql(
  dialect: Dialect,
  asOf: string,
  by: ForecastBy,
  frequency: ForecastFrequency,
): SqlFragment {
  const period = periodStartSql(dialect, sql`ov.order_date`, frequency);
  if (by === 'category') {
    return sql`
      WITH ov AS (${orderValuesSql(dialect, asOf)}),
      lines AS (
        SELECT l.order_id, coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)') AS series,
               sum(${lineRevenueSql()}) AS rev
        FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
        GROUP BY l.order_id, coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)')
      ),
      shares AS (
        SELECT order_id, series, rev, count(*) OVER (PARTITION BY order_id) AS n_series,
               sum(rev) OVER (PARTITION BY order_id) AS order_rev
        FROM lines
      )
      SELECT coalesce(s.series, '(no lines)') AS series, ${period} AS period,
             sum(CASE WHEN s.order_id IS NULL THEN ov.revenue
                      WHEN s.order_rev <> 0 THEN ov.revenue * s.rev / s.order_rev
                      ELSE ov.revenue / s.n_series END) AS value
      FROM ov LEFT JOIN shares s ON s.order_id = ov.order_id
      GROUP BY coalesce(s.series, '(no lines)'), ${period}`;
  }
  const key =
    by === 'total'
      ? sql`'total'`
      : by === 'channel'
        ? sql`coalesce(ov.channel, '(none)')`
        : sql`coalesce(c.region, '(none)')`;
  return sql`
    SELECT ${key} AS series, ${period} AS period, sum(ov.revenue) AS value
    FROM (${orderValuesSql(dialect, asOf)}) ov
    ${by === 'region' ? sql`LEFT JOIN customers c ON c.customer_id = ov.customer_id` : empty}
    GROUP BY ${key}, ${period}`;
}

/** Sum of `value` per series and period from any table; rows with a NULL date or value are counted, not used. */
export function tableSeriesSql(
  dialect: Dialect,
  table: string,
  date: string,
  value: string,
  series: string | null,
  frequency: ForecastFrequency,
  asOf: string | null,
): SqlFragment {
  const d = sql`CAST(${ident(date)} AS DATE)`;
  const period = periodStartSql(dialect, d, frequency);
  const key = series ? sql`coalesce(${dialect.toText(sql`${ident(series)}`)}, '(none)')` : sql`'total'`;
  return sql`
    SELECT ${key} AS series, ${period} AS period, sum(${dialect.toDouble(sql`${ident(value)}`)}) AS value,
           count(*) AS n_rows
    FROM ${ident(table)}
    WHERE ${ident(date)} IS NOT NULL AND ${ident(value)} IS NOT NULL
      ${asOf ? sql`AND ${d} < ${dialect.dateParam(asOf)}` : empty}
    GROUP BY ${key}, ${period}`;
}

/** Rows left out of a table forecast: NULL date or value. */
export function tableSkippedSql(table: string, date: string, value: string): SqlFragment {
  return sql`SELECT count(*) AS skipped FROM ${ident(table)} WHERE ${ident(date)} IS NULL OR ${ident(value)} IS NULL`;
}
