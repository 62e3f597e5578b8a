import { type Dialect, type SqlFragment, sql } from '../../store/index.js';

/**
 * Revenue per order line, net of discounts and returns: (quantity − returned) × unit_price − discount
 * (a fully returned line refunds its discount share too).
 */
export function lineRevenueSql(): SqlFragment {
  return sql`(l.quantity - l.returned_quantity) * l.unit_price - l.discount * CASE WHEN l.quantity > 0 THEN (l.quantity - l.returned_quantity) / l.quantity ELSE 0 END`;
}

/**
 * One row per order before `asOf` (exclusive): revenue and cost of goods, from its lines when it has
 * any, else from the order total (cost unknown → NULL). Cancelled orders are left out.
 */
export function orderValuesSql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`
    SELECT o.order_id, o.customer_id, o.order_date, o.channel, o.promo_code,
           coalesce(lv.revenue, o.total - o.discount) AS revenue,
           lv.cost AS cost
    FROM orders o
    LEFT JOIN (
      SELECT l.order_id, sum(${lineRevenueSql()}) AS revenue,
             sum((l.quantity - l.returned_quantity) * p.unit_cost) AS cost
      FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
      GROUP BY l.order_id
    ) lv ON lv.order_id = o.order_id
    WHERE o.order_date < ${dialect.dateParam(asOf)} AND coalesce(o.status, 'completed') <> 'cancelled'`;
}

export function kpiSql(dialect: Dialect, asOf: string, activeDays: number): SqlFragment {
  return sql`
    WITH ov AS (${orderValuesSql(dialect, asOf)}),
    per_customer AS (
      SELECT customer_id, max(order_date) AS last_order FROM ov GROUP BY customer_id
    )
    SELECT
      (SELECT count(*) FROM customers WHERE NOT is_prospect) AS customers,
      (SELECT count(*) FROM customers WHERE is_prospect) AS prospects,
      (SELECT count(*) FROM ov) AS orders,
      (SELECT coalesce(sum(revenue), 0) FROM ov) AS revenue,
      (SELECT coalesce(sum(revenue - cost), 0) FROM ov WHERE cost IS NOT NULL) AS margin,
      (SELECT count(*) FROM per_customer
        WHERE ${dialect.dateDiffDays(sql`last_order`, dialect.dateParam(asOf))} <= ${activeDays}) AS active,
      (SELECT count(*) FROM per_customer
        WHERE ${dialect.dateDiffDays(sql`last_order`, dialect.dateParam(asOf))} > ${activeDays}) AS lapsed`;
}

export function monthlyTrendSql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`
    WITH ov AS (${orderValuesSql(dialect, asOf)})
    SELECT ${dialect.toText(dialect.truncToMonth(sql`order_date`))} AS month, count(*) AS orders,
           ${dialect.countDistinct(sql`customer_id`)} AS customers, sum(revenue) AS revenue,
           sum(revenue - cost) AS margin
    FROM ov GROUP BY 1 ORDER BY 1`;
}

export function weekdaySql(dialect: Dialect, asOf: string): SqlFragment {
  return sql`
    WITH ov AS (${orderValuesSql(dialect, asOf)})
    SELECT ${dialect.isoDayOfWeek(sql`order_date`)} AS weekday, count(*) AS orders, sum(revenue) AS revenue
    FROM ov GROUP BY 1 ORDER BY 1`;
}
