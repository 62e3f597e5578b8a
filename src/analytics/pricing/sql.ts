import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { countedOrderSql, lineRevenueSql } from '../revenue/index.js';

/** Week numbers count whole weeks since Monday 1970-01-05 (day 4): Monday-based, as ISO weeks. */
export const WEEK_EPOCH = '1970-01-05';

function weekNumberSql(dialect: Dialect, date: SqlFragment): SqlFragment {
  return dialect.toDouble(sql`floor(${dialect.dateDiffDays(dialect.dateParam(WEEK_EPOCH), date)} / 7.0)`);
}

/**
 * One row per (product, week) over counted orders in [from, to): units sold, lines, the mean ln shelf price of
 * the lines, the lines on an order with a promotion code, the net line revenue kept and its cost (NULL when
 * the product has no unit cost), and the product's top-level category. Lines with no price or quantity are
 * left out (they carry no price information).
 */
export function cellsSql(dialect: Dialect, from: string, to: string): SqlFragment {
  return sql`SELECT sku, category, week, ${dialect.toDouble(sql`sum(quantity)`)} AS units,
      ${dialect.toDouble(sql`count(*)`)} AS lines, avg(ln(unit_price)) AS log_price,
      ${dialect.toDouble(dialect.countIf(sql`promo`))} AS promo_lines, sum(revenue) AS revenue, sum(cost) AS cost
    FROM (
      SELECT l.sku AS sku, coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)') AS category,
        ${weekNumberSql(dialect, sql`o.order_date`)} AS week, l.quantity AS quantity, l.unit_price AS unit_price,
        coalesce(o.promo_code, '') <> '' AS promo, ${lineRevenueSql()} AS revenue,
        (l.quantity - l.returned_quantity) * p.unit_cost AS cost
      FROM order_lines l
      JOIN orders o ON o.order_id = l.order_id
      LEFT JOIN products p ON p.sku = l.sku
      WHERE ${countedOrderSql('o')} AND o.order_date >= ${dialect.dateParam(from)} AND o.order_date < ${dialect.dateParam(to)}
        AND l.unit_price > 0 AND l.quantity > 0
    ) x
    GROUP BY sku, category, week`;
}

/** Counted orders per week in [from, to): the shop's traffic, the control for growth and busy weeks. */
export function trafficSql(dialect: Dialect, from: string, to: string): SqlFragment {
  return sql`SELECT week, ${dialect.toDouble(sql`count(*)`)} AS orders
    FROM (SELECT ${weekNumberSql(dialect, sql`o.order_date`)} AS week FROM orders o
      WHERE ${countedOrderSql('o')} AND o.order_date >= ${dialect.dateParam(from)} AND o.order_date < ${dialect.dateParam(to)}) x
    GROUP BY week`;
}
