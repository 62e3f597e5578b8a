import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { countedOrderSql, customerOrderSql, orderRevenueSql } from '../revenue/index.js';

/**
 * One row per counted order before `asOf` (exclusive), by the revenue rule (analytics/revenue): `revenue` is
 * its net revenue (after discounts, returns and cancellations), `gross_sales`, `discounts`, `returns` its
 * parts, `cost` the cost of goods kept (NULL when unknown).
 */
export function orderValuesSql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`SELECT order_id, customer_id, order_date, channel, promo_code, net_revenue AS revenue, gross_sales,
      discounts, returns, cost
    FROM (${orderRevenueSql(dialect, { before: asOf })}) r`;
}

/**
 * Customer records (prospects apart), buyers (customers with a counted order before asOf) and active vs
 * lapsed buyers (active + lapsed = buyers) in one pass over the per-customer last order.
 */
export function customerKpiSql(dialect: Dialect, asOf: string, activeDays: number): SqlFragment {
  const daysSince = dialect.dateDiffDays(sql`last_order`, dialect.dateParam(asOf));
  return sql`
    WITH last AS (
      SELECT customer_id, max(order_date) AS last_order
      FROM orders o WHERE o.order_date < ${dialect.dateParam(asOf)} AND ${countedOrderSql('o')}
        AND ${customerOrderSql('o')}
      GROUP BY customer_id
    )
    SELECT
      (SELECT ${dialect.countIf(sql`NOT is_prospect`)} FROM customers) AS customers,
      (SELECT ${dialect.countIf(sql`is_prospect`)} FROM customers) AS prospects,
      count(*) AS buyers,
      ${dialect.countIf(sql`${daysSince} <= ${activeDays}`)} AS active,
      ${dialect.countIf(sql`${daysSince} > ${activeDays}`)} AS lapsed
    FROM last`;
}

/**
 * Orders, revenue and margin in total, by month and by ISO weekday, in one scan (GROUPING SETS).
 * `grp` is 'all', 'month' or 'weekday'; margin counts only orders whose cost is known.
 */
export function salesSql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`
    WITH ov AS (
      SELECT ${dialect.toText(dialect.truncToMonth(sql`order_date`))} AS month, ${dialect.isoDayOfWeek(sql`order_date`)} AS weekday,
             customer_id, revenue, gross_sales, discounts, returns, cost
      FROM (${orderValuesSql(dialect, asOf)}) o
    )
    SELECT CASE WHEN month IS NOT NULL THEN 'month' WHEN weekday IS NOT NULL THEN 'weekday' ELSE 'all' END AS grp,
           month, weekday, count(*) AS orders, ${dialect.countDistinct(sql`customer_id`)} AS customers,
           ${money(sql`revenue`)} AS revenue, ${money(sql`gross_sales`)} AS gross_sales,
           ${money(sql`discounts`)} AS discounts, ${money(sql`returns`)} AS returns,
           ${dialect.toDouble(sql`sum(${dialect.toDecimal(sql`revenue - cost`, 4)})`)} AS margin
    FROM ov GROUP BY GROUPING SETS ((), (month), (weekday))`;

  /** A money total summed exactly (DECIMAL, 4 places): the same to the cent whatever order the engine adds in. */
  function money(x: SqlFragment): SqlFragment {
    return dialect.toDouble(sql`coalesce(sum(${dialect.toDecimal(x, 4)}), 0)`);
  }
}
