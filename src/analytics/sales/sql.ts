import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { lineRevenueSql, orderValuesSql } from '../overview/index.js';
import type { SalesDimension } from './params.js';

/**
 * One row per order line (an order without lines: one row with sku NULL) before `asOf`, carrying the order's
 * net revenue (the overview's `orderValuesSql`) split over its lines in proportion to their net line revenue,
 * so any breakdown adds up to the overview's revenue. Units are net of returns; cost is the line's goods cost
 * (unknown costs count 0 when the order has any known cost, as the overview's margin does).
 */
export function salesFactSql(dialect: Dialect, asOf: string, withSegment: boolean): SqlFragment {
  return sql`
    WITH ov AS (${orderValuesSql(dialect, asOf)}),
    lines AS (
      SELECT l.order_id, l.sku, l.quantity - l.returned_quantity AS units, ${lineRevenueSql()} AS rev,
             (l.quantity - l.returned_quantity) * p.unit_cost AS cost,
             coalesce(${dialect.topLevelCategory(sql`p.category_path`)}, '(none)') AS category
      FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
    ),
    shares AS (
      SELECT *, sum(rev) OVER (PARTITION BY order_id) AS order_rev, count(*) OVER (PARTITION BY order_id) AS n_lines
      FROM lines
    )
    SELECT ov.order_id, ov.customer_id, ov.order_date, o.order_time, ov.channel, ov.promo_code,
           s.sku, s.category, coalesce(s.units, 0) AS units,
           CASE WHEN s.order_id IS NULL THEN ov.revenue
                WHEN s.order_rev <> 0 THEN ov.revenue * s.rev / s.order_rev
                ELSE ov.revenue / s.n_lines END AS revenue,
           CASE WHEN ov.cost IS NULL THEN NULL ELSE coalesce(s.cost, 0) END AS cost,
           c.region, c.country, ${withSegment ? sql`r.rfm_segment` : sql`CAST(NULL AS VARCHAR)`} AS segment
    FROM ov
    JOIN orders o ON o.order_id = ov.order_id
    LEFT JOIN shares s ON s.order_id = ov.order_id
    LEFT JOIN customers c ON c.customer_id = ov.customer_id
    ${withSegment ? sql`LEFT JOIN customer_rfm r ON r.customer_id = ov.customer_id` : sql``}`;
}

/** The breakdown key of a dimension on the fact `f` (texts; missing values become `(none)`). */
export function dimensionSql(dialect: Dialect, by: SalesDimension | null): SqlFragment {
  switch (by) {
    case null:
      return sql`'total'`;
    case 'product':
      return sql`coalesce(f.sku, '(no lines)')`;
    case 'category':
      return sql`coalesce(f.category, '(no lines)')`;
    case 'channel':
      return sql`coalesce(f.channel, '(none)')`;
    case 'promo':
      return sql`coalesce(f.promo_code, '(none)')`;
    case 'weekday':
      return dialect.toText(dialect.isoDayOfWeek(sql`f.order_date`));
    case 'hour':
      return sql`coalesce(${dialect.toText(sql`EXTRACT(HOUR FROM f.order_time)`)}, '(none)')`;
    case 'region':
      return sql`coalesce(f.region, '(none)')`;
    case 'country':
      return sql`coalesce(f.country, '(none)')`;
    case 'segment':
      return sql`coalesce(f.segment, '(not scored)')`;
  }
}

/** The six measures over fact rows `f`. */
export function measuresSql(dialect: Dialect): SqlFragment {
  return sql`coalesce(sum(f.revenue), 0) AS revenue, ${dialect.countDistinct(sql`f.order_id`)} AS orders,
    ${dialect.countDistinct(sql`f.customer_id`)} AS customers, coalesce(sum(f.units), 0) AS units,
    sum(f.revenue - f.cost) AS margin`;
}

/**
 * Measures per window (`current`, `previous`, `last_year`) and key. Windows are half-open date ranges and may
 * overlap; a fact row counts in each window that holds its date.
 */
export function cubeSql(
  dialect: Dialect,
  asOf: string,
  withSegment: boolean,
  by: SalesDimension | null,
  windows: { name: string; from: string; to: string }[],
): SqlFragment {
  const parts = windows.map(
    (w) => sql`SELECT ${w.name} AS win, ${dimensionSql(dialect, by)} AS key, ${measuresSql(dialect)}
      FROM fact f WHERE f.order_date >= ${dialect.dateParam(w.from)} AND f.order_date < ${dialect.dateParam(w.to)}
      GROUP BY ${dimensionSql(dialect, by)}`,
  );
  let union = parts[0]!;
  for (const p of parts.slice(1)) union = sql`${union} UNION ALL ${p}`;
  return sql`WITH fact AS (${salesFactSql(dialect, asOf, withSegment)}) ${union}`;
}

/** Measures per period start and key in [from, to). */
export function trendSql(
  dialect: Dialect,
  asOf: string,
  withSegment: boolean,
  by: SalesDimension | null,
  period: (date: SqlFragment) => SqlFragment,
  from: string,
  to: string,
): SqlFragment {
  const p = period(sql`f.order_date`);
  const key = dimensionSql(dialect, by);
  return sql`WITH fact AS (${salesFactSql(dialect, asOf, withSegment)})
    SELECT ${p} AS period, ${key} AS key, ${measuresSql(dialect)}
    FROM fact f WHERE f.order_date >= ${dialect.dateParam(from)} AND f.order_date < ${dialect.dateParam(to)}
    GROUP BY ${p}, ${key}`;
}
