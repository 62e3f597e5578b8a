import { type Dialect, type SqlFragment, sql } from '../../store/index.js';

/**
 * Revenue per order line, net of discounts and returns: (quantity − returned) × unit_price − discount
 * (a fully returned line refunds its discount share too).
 */
export function lineRevenueSql(): SqlFragment {
  return sql`(l.quantity - l.returned_quantity) * l.unit_price - l.discount * CASE WHEN l.quantity > 0 THEN (l.quantity - l.returned_quantity) / l.quantity ELSE 0 END`;
}

/**
 * The part of order `o`'s discount beyond its lines' discounts (`lineDiscount`, NULL for an order without
 * lines). The order's `discount` is its total discount, line discounts included (as Magento's
 * discount_amount), so only this excess is an extra order-level discount; every module counts it this way.
 */
export function extraOrderDiscountSql(dialect: Dialect, lineDiscount: SqlFragment): SqlFragment {
  return dialect.greatest(sql`o.discount - coalesce(${lineDiscount}, 0)`, sql`0`);
}

/**
 * One row per order before `asOf` (exclusive): revenue and cost of goods, from its lines when it has
 * any (less an order-level discount beyond its lines' discounts), else from the order total (cost unknown →
 * NULL). Cancelled orders are left out.
 */
export function orderValuesSql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`
    SELECT o.order_id, o.customer_id, o.order_date, o.channel, o.promo_code,
           -- Lines net of their discounts and returns, less the order's extra discount; an order without lines
           -- counts its exported total.
           CASE WHEN lv.order_id IS NULL THEN o.total
             ELSE lv.revenue - ${extraOrderDiscountSql(dialect, sql`lv.line_discount`)} END AS revenue,
           lv.cost AS cost
    FROM orders o
    LEFT JOIN (
      SELECT l.order_id, sum(${lineRevenueSql()}) AS revenue, sum(l.discount) AS line_discount,
             sum((l.quantity - l.returned_quantity) * p.unit_cost) AS cost
      FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
      GROUP BY l.order_id
    ) lv ON lv.order_id = o.order_id
    WHERE o.order_date < ${dialect.dateParam(asOf)} AND coalesce(o.status, 'completed') <> 'cancelled'`;
}

/**
 * Customers, prospects and active vs lapsed buyers in one pass over the per-customer last order.
 */
export function customerKpiSql(dialect: Dialect, asOf: string, activeDays: number): SqlFragment {
  const daysSince = dialect.dateDiffDays(sql`last_order`, dialect.dateParam(asOf));
  return sql`
    WITH last AS (
      SELECT customer_id, max(order_date) AS last_order FROM orders
      WHERE order_date < ${dialect.dateParam(asOf)} AND coalesce(status, 'completed') <> 'cancelled'
      GROUP BY customer_id
    )
    SELECT
      (SELECT ${dialect.countIf(sql`NOT is_prospect`)} FROM customers) AS customers,
      (SELECT ${dialect.countIf(sql`is_prospect`)} FROM customers) AS prospects,
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
             customer_id, revenue, cost
      FROM (${orderValuesSql(dialect, asOf)}) o
    )
    SELECT CASE WHEN month IS NOT NULL THEN 'month' WHEN weekday IS NOT NULL THEN 'weekday' ELSE 'all' END AS grp,
           month, weekday, count(*) AS orders, ${dialect.countDistinct(sql`customer_id`)} AS customers,
           coalesce(sum(revenue), 0) AS revenue, sum(revenue - cost) AS margin
    FROM ov GROUP BY GROUPING SETS ((), (month), (weekday))`;
}
