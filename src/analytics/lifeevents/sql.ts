import { type Dialect, join, raw, type SqlFragment, sql } from '../../store/index.js';
import { countedOrderSql } from '../revenue/index.js';
import type { CategoryEventRule } from './params.js';

/** A slice of customers by customer_id: [from, to), either end open when null. */
export interface CustomerSlice {
  from: string | null;
  to: string | null;
}

/** ` AND <alias>.customer_id in the slice` (nothing for the whole shop). */
function sliceSql(alias: string, slice: CustomerSlice | null): SqlFragment {
  if (!slice) return sql``;
  const from = slice.from === null ? sql`` : sql` AND ${raw(alias)}.customer_id >= ${slice.from}`;
  const to = slice.to === null ? sql`` : sql` AND ${raw(alias)}.customer_id < ${slice.to}`;
  return sql`${from}${to}`;
}

/**
 * The first customer_id of every `size` customers with counted orders before asOf (ascending): the slices'
 * boundaries.
 */
export function sliceStartsSql(dialect: Dialect, asOf: string, size: number): SqlFragment {
  return sql`SELECT customer_id FROM (
      SELECT customer_id, row_number() OVER (ORDER BY customer_id) AS r FROM (
        SELECT DISTINCT o.customer_id FROM orders o
        WHERE ${countedOrderSql('o')} AND o.order_date < ${dialect.dateParam(asOf)} AND o.customer_id IS NOT NULL) c) n
    WHERE (r - 1) % ${raw(String(Math.max(1, Math.floor(size))))} = 0 ORDER BY customer_id`;
}

/** Day numbers count days since 1970-01-01, so windows are numeric RANGE frames (portable across engines). */
function dayNumberSql(dialect: Dialect, date: SqlFragment): SqlFragment {
  return dialect.dateDiffDays(dialect.dateParam('1970-01-01'), date);
}

/**
 * Counted orders before asOf with a day number and, per rule, whether (h) and how many (c) of its lines fall in
 * the rule's categories. The patterns are matched once per product, not once per order line.
 */
function ordersSql(
  dialect: Dialect,
  asOf: string,
  rules: readonly CategoryEventRule[],
  slice: CustomerSlice | null = null,
): SqlFragment {
  if (!rules.length)
    return sql`SELECT o.order_id, o.customer_id, o.channel, ${dayNumberSql(dialect, sql`o.order_date`)} AS day
      FROM orders o WHERE ${countedOrderSql('o')} AND o.order_date < ${dialect.dateParam(asOf)}${sliceSql('o', slice)}`;
  const productFlags = rules.map((r, i) => {
    const match = join(
      r.patterns.map((p) => sql`lower(category_path) LIKE ${p.toLowerCase()}`),
      ' OR ',
    );
    return sql`CASE WHEN ${match} THEN 1 ELSE 0 END AS ${raw(`f${i}`)}`;
  });
  const flags = rules.map(
    (_, i) =>
      sql`max(coalesce(pf.${raw(`f${i}`)}, 0)) AS ${raw(`h${i}`)}, sum(coalesce(pf.${raw(`f${i}`)}, 0)) AS ${raw(`c${i}`)}`,
  );
  return sql`SELECT o.order_id, o.customer_id, o.channel, ${dayNumberSql(dialect, sql`o.order_date`)} AS day,
      count(l.sku) AS nl, ${join(flags, ', ')}
    FROM orders o
    LEFT JOIN order_lines l ON l.order_id = o.order_id
    LEFT JOIN (SELECT sku, ${join(productFlags, ', ')} FROM products) pf ON pf.sku = l.sku
    WHERE ${countedOrderSql('o')} AND o.order_date < ${dialect.dateParam(asOf)}${sliceSql('o', slice)}
    GROUP BY o.order_id, o.customer_id, o.channel, o.order_date`;
}

/**
 * Candidate category events: one row per (customer, rule, day) on which the customer bought in the rule's
 * categories, with the customer's history before that day (lines, lines in the categories, orders) and the
 * window from that day (lines, lines in the categories, orders with such a line, within `windowDays`). Numeric RANGE frames over
 * the day number, so same-day orders are all in the window and none in the history.
 */
export function categoryCandidatesSql(
  dialect: Dialect,
  asOf: string,
  rules: readonly CategoryEventRule[],
  slice: CustomerSlice | null = null,
): SqlFragment {
  const frames = rules.map((r, i) => {
    const h = raw(`h${i}`);
    const c = raw(`c${i}`);
    const w = raw(String(r.windowDays - 1));
    const before = sql`OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
    const ahead = sql`OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN CURRENT ROW AND ${w} FOLLOWING)`;
    return sql`sum(${c}) ${before} AS ${raw(`hb${i}`)}, sum(nl) ${ahead} AS ${raw(`m${i}`)},
      sum(${c}) ${ahead} AS ${raw(`k${i}`)}, sum(${h}) ${ahead} AS ${raw(`ko${i}`)}`;
  });
  const picks = rules.map(
    (
      r,
      i,
    ) => sql`SELECT DISTINCT customer_id, ${r.type} AS type, day, ${dialect.toDouble(sql`coalesce(n_before, 0)`)} AS n_before,
      ${dialect.toDouble(sql`coalesce(${raw(`hb${i}`)}, 0)`)} AS h_before, ${dialect.toDouble(sql`${raw(`m${i}`)}`)} AS m,
      ${dialect.toDouble(sql`${raw(`k${i}`)}`)} AS k, ${dialect.toDouble(sql`${raw(`ko${i}`)}`)} AS k_orders,
      ${dialect.toDouble(sql`orders_before`)} AS orders_before, ${dialect.toDouble(sql`first_day`)} AS first_day
      FROM w WHERE ${raw(`h${i}`)} = 1`,
  );
  return sql`WITH o AS (${ordersSql(dialect, asOf, rules, slice)}),
    w AS (SELECT customer_id, day, ${join(
      rules.map((_, i) => sql`${raw(`h${i}`)}`),
      ', ',
    )},
      sum(nl) OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS n_before,
      count(*) OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS orders_before,
      min(day) OVER (PARTITION BY customer_id) AS first_day,
      ${join(frames, ',\n      ')}
      FROM o)
    ${join(picks, ' UNION ALL ')}`;
}

/** Shop-wide share of orders in each rule's categories, and of each channel. */
export function sharesSql(dialect: Dialect, asOf: string, rules: readonly CategoryEventRule[]): SqlFragment {
  return sql`WITH o AS (${ordersSql(dialect, asOf, rules)})
    SELECT 'channel' AS kind, coalesce(channel, '(none)') AS name, ${dialect.toDouble(sql`count(*)`)} AS n,
      ${dialect.toDouble(sql`(SELECT count(*) FROM o)`)} AS total FROM o GROUP BY coalesce(channel, '(none)')
    ${join(
      rules.map(
        (r, i) =>
          sql` UNION ALL SELECT 'rule', ${r.type}, ${dialect.toDouble(sql`sum(${raw(`c${i}`)})`)}, ${dialect.toDouble(sql`sum(nl)`)} FROM o`,
      ),
      '',
    )}`;
}

/**
 * Candidate channel switches: one row per (customer, channel, day) with the customer's orders before that day
 * (all, and in that channel) and from that day to asOf (all, and in that channel).
 */
export function channelCandidatesSql(
  dialect: Dialect,
  asOf: string,
  minHistoryOrders: number,
  slice: CustomerSlice | null = null,
): SqlFragment {
  return sql`WITH o AS (${ordersSql(dialect, asOf, [], slice)}),
    w AS (SELECT customer_id, coalesce(channel, '(none)') AS channel, day,
      count(*) OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS n_before,
      count(*) OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS m,
      count(*) OVER (PARTITION BY customer_id, coalesce(channel, '(none)') ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS h_before,
      count(*) OVER (PARTITION BY customer_id, coalesce(channel, '(none)') ORDER BY day RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS k,
      min(day) OVER (PARTITION BY customer_id) AS first_day
      FROM o)
    SELECT DISTINCT customer_id, channel AS type, day, ${dialect.toDouble(sql`n_before`)} AS n_before,
      ${dialect.toDouble(sql`coalesce(h_before, 0)`)} AS h_before, ${dialect.toDouble(sql`m`)} AS m,
      ${dialect.toDouble(sql`k`)} AS k, ${dialect.toDouble(sql`k`)} AS k_orders, ${dialect.toDouble(sql`n_before`)} AS orders_before,
      ${dialect.toDouble(sql`first_day`)} AS first_day
    FROM w WHERE n_before >= ${minHistoryOrders}`;
}

/**
 * Candidate breaks in purchase frequency and spend: one row per (customer, day with an order) with the
 * customer's orders and order days before that day and from it to asOf, and the sum and sum of squares of
 * ln(daily spend) on each side (spend: gross line value, same-day orders together).
 */
export function breakCandidatesSql(
  dialect: Dialect,
  asOf: string,
  minHistoryOrders: number,
  slice: CustomerSlice | null = null,
): SqlFragment {
  const before = sql`OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
  const after = sql`OVER (PARTITION BY customer_id ORDER BY day RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)`;
  return sql`WITH o AS (
      SELECT o.customer_id, ${dayNumberSql(dialect, sql`o.order_date`)} AS day, sum(l.quantity * l.unit_price - l.discount) AS value
      FROM orders o JOIN order_lines l ON l.order_id = o.order_id
      WHERE ${countedOrderSql('o')} AND o.order_date < ${dialect.dateParam(asOf)}${sliceSql('o', slice)}
      GROUP BY o.order_id, o.customer_id, o.order_date),
    v AS (SELECT customer_id, day, count(*) AS n, ln(sum(value)) AS lv FROM o GROUP BY customer_id, day HAVING sum(value) > 0),
    w AS (SELECT customer_id, day, min(day) OVER (PARTITION BY customer_id) AS first_day,
      sum(n) ${before} AS n_before, sum(n) ${after} AS n_after,
      count(*) ${before} AS d_before, count(*) ${after} AS d_after,
      sum(lv) ${before} AS s_before, sum(lv) ${after} AS s_after,
      sum(lv * lv) ${before} AS q_before, sum(lv * lv) ${after} AS q_after
      FROM v)
    SELECT customer_id, ${dialect.toDouble(sql`day`)} AS day, ${dialect.toDouble(sql`first_day`)} AS first_day,
      ${dialect.toDouble(sql`n_before`)} AS n_before, ${dialect.toDouble(sql`n_after`)} AS n_after,
      ${dialect.toDouble(sql`d_before`)} AS d_before, ${dialect.toDouble(sql`d_after`)} AS d_after,
      s_before, s_after, q_before, q_after
    FROM w WHERE n_before >= ${minHistoryOrders}`;
}
