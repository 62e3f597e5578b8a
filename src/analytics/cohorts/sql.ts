import { type Dialect, raw, type SqlFragment, sql } from '../../store/index.js';
import { lineRevenueSql, orderValuesSql } from '../overview/index.js';
import type { CohortBy } from './params.js';

const monthIndex = (d: SqlFragment) => sql`(EXTRACT(YEAR FROM ${d}) * 12 + EXTRACT(MONTH FROM ${d}) - 1)`;

/**
 * Per cohort and month of age (0 = the month of the customer's first order): active customers, orders, net
 * revenue (the overview's `orderValuesSql`) and margin; and per cohort the customers whose month of that age
 * is complete before `asOf` (`exposed`). A customer's first order is the earliest (then the smallest order id);
 * its channel is the first channel; its category the top-level category with the largest net line revenue
 * in that order (ties: alphabetical); its campaign the campaign with a `conversion` event on that order (the
 * smallest id if several), else `(no campaign)`.
 */
export function cohortSql(dialect: Dialect, asOf: string, by: CohortBy, periods: number): SqlFragment {
  const cohortKey =
    by === 'first_order_month'
      ? dialect.toText(dialect.truncToMonth(sql`f.order_date`))
      : by === 'first_channel'
        ? sql`coalesce(f.channel, '(none)')`
        : by === 'campaign'
          ? sql`coalesce(fcamp.campaign_id, '(no campaign)')`
          : sql`coalesce(fc.category, '(no lines)')`;
  return sql`
    WITH ov AS (SELECT * FROM (${orderValuesSql(dialect, asOf)}) g WHERE customer_id IS NOT NULL),
    ranked AS (
      SELECT ov.*, row_number() OVER (PARTITION BY customer_id ORDER BY order_date, order_id) AS rn FROM ov
    ),
    f AS (SELECT * FROM ranked WHERE rn = 1),
    first_cat AS (
      SELECT order_id, category FROM (
        SELECT l.order_id, coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)') AS category,
               row_number() OVER (PARTITION BY l.order_id ORDER BY sum(${lineRevenueSql()}) DESC,
                 coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)')) AS rk
        FROM order_lines l JOIN f ON f.order_id = l.order_id LEFT JOIN products p ON p.sku = l.sku
        GROUP BY l.order_id, coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)')
      ) x WHERE rk = 1
    ),
    members AS (
      SELECT f.customer_id, ${cohortKey} AS cohort, ${monthIndex(sql`f.order_date`)} AS first_month,
             ${monthIndex(dialect.dateParam(asOf))} - ${monthIndex(sql`f.order_date`)} AS complete_months
      FROM f LEFT JOIN first_cat fc ON fc.order_id = f.order_id
      ${
        by === 'campaign'
          ? sql`LEFT JOIN (SELECT order_id, min(campaign_id) AS campaign_id FROM campaign_events
                 WHERE order_id IS NOT NULL AND event_type = 'conversion' GROUP BY order_id) fcamp ON fcamp.order_id = f.order_id`
          : sql``
      }
    ),
    activity AS (
      SELECT m.cohort, ${monthIndex(sql`ov.order_date`)} - m.first_month AS age,
             ${dialect.countDistinct(sql`ov.customer_id`)} AS customers, count(*) AS orders,
             sum(ov.revenue) AS revenue, sum(ov.revenue - ov.cost) AS margin
      FROM ov JOIN members m ON m.customer_id = ov.customer_id
      WHERE ${monthIndex(sql`ov.order_date`)} - m.first_month < ${periods}
        AND ${monthIndex(sql`ov.order_date`)} < ${monthIndex(dialect.dateParam(asOf))}
      GROUP BY m.cohort, ${monthIndex(sql`ov.order_date`)} - m.first_month
    ),
    ages AS (${agesSql(periods)}),
    exposure AS (
      SELECT m.cohort, ages.age, count(*) AS exposed
      FROM members m JOIN ages ON ages.age < m.complete_months
      GROUP BY m.cohort, ages.age
    ),
    sizes AS (SELECT cohort, count(*) AS size FROM members GROUP BY cohort)
    SELECT s.cohort, s.size, e.age, e.exposed, coalesce(a.customers, 0) AS customers, coalesce(a.orders, 0) AS orders,
           coalesce(a.revenue, 0) AS revenue, CASE WHEN a.cohort IS NULL THEN 0 ELSE a.margin END AS margin
    FROM sizes s JOIN exposure e ON e.cohort = s.cohort
    LEFT JOIN activity a ON a.cohort = e.cohort AND a.age = e.age
    ORDER BY s.cohort, e.age`;
}

/** The ages 0 … periods − 1 as rows (portable: no engine-specific series function). */
function agesSql(periods: number): SqlFragment {
  let out = sql`SELECT 0 AS age`;
  for (let a = 1; a < periods; a++) out = sql`${out} UNION ALL SELECT ${raw(String(a))}`;
  return out;
}
