import { type Dialect, ident, type SqlFragment, sql } from '../../store/index.js';
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
  fact: SqlFragment = salesFactSql(dialect, asOf, withSegment),
): SqlFragment {
  const parts = windows.map(
    (w) => sql`SELECT ${w.name} AS win, ${dimensionSql(dialect, by)} AS key, ${measuresSql(dialect)}
      FROM fact f WHERE f.order_date >= ${dialect.dateParam(w.from)} AND f.order_date < ${dialect.dateParam(w.to)}
      GROUP BY ${dimensionSql(dialect, by)}`,
  );
  let union = parts[0]!;
  for (const p of parts.slice(1)) union = sql`${union} UNION ALL ${p}`;
  return sql`WITH fact AS (${fact}) ${union}`;
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
  fact: SqlFragment = salesFactSql(dialect, asOf, withSegment),
): SqlFragment {
  const p = period(sql`f.order_date`);
  const key = dimensionSql(dialect, by);
  return sql`WITH fact AS (${fact})
    SELECT ${p} AS period, ${key} AS key, ${measuresSql(dialect)}
    FROM fact f WHERE f.order_date >= ${dialect.dateParam(from)} AND f.order_date < ${dialect.dateParam(to)}
    GROUP BY ${p}, ${key}`;
}

/*
 * The pre-aggregate (rebuilt by `refreshSalesAggregates` after an import and by `clientele sales --refresh`):
 *
 * - `sales_fact`: the line-level fact above over the whole history, with every dimension's key computed once
 *   (`k_product` … `k_country`), stored in date order so that a window's date filter reads only its own blocks;
 * - `sales_daily`: per day, dimension and key, the additive measures: revenue, orders, units, margin. Orders
 *   are distinct per day and key, and an order has one date, so summing days gives the distinct count of any
 *   window (exactly);
 * - `sales_aggregate_state`: the fingerprint of the tables it was built from.
 *
 * Distinct customers are not additive over days: they are counted exactly from `sales_fact` in the window
 * (two columns of the window's rows). The RFM segment can change without an import (`clientele rfm`), so the
 * segment dimension aggregates `sales_fact` per customer and joins `customer_rfm` at query time.
 */

/**
 * Dimensions held in `sales_daily`. The segment is the RFM label at refresh time (`k_segment`); it is used only
 * while `customer_rfm` still gives the same segment counts (`rfmFingerprintSql`), else the segment is joined
 * at query time.
 */
export const DAILY_DIMENSIONS = [
  'product',
  'category',
  'channel',
  'promo',
  'weekday',
  'hour',
  'region',
  'country',
  'segment',
] as const satisfies readonly SalesDimension[];

const factKey = (by: SalesDimension | null) => (by === null ? sql`'total'` : ident(`k_${by}`));

/** The rows of `sales_fact` (`withSegment`: `customer_rfm` exists, its labels go into `k_segment`). */
export function salesFactTableSql(dialect: Dialect, withSegment: boolean): SqlFragment {
  const keys = DAILY_DIMENSIONS.map((by) => sql`${dimensionSql(dialect, by)} AS ${ident(`k_${by}`)}`);
  let list = keys[0]!;
  for (const k of keys.slice(1)) list = sql`${list}, ${k}`;
  // cust_no: a dense integer per customer, so the exact distinct counts per window hash integers, not texts.
  return sql`SELECT f.order_date, f.order_id, f.customer_id,
      CASE WHEN f.customer_id IS NULL THEN NULL ELSE dense_rank() OVER (ORDER BY f.customer_id) END AS cust_no,
      f.revenue, f.cost, f.units, ${list}
    FROM (${salesFactSql(dialect, FAR_FUTURE, withSegment)}) f
    ORDER BY f.order_date`;
}

/** Later than any order: the pre-aggregate holds the whole history; the cube filters by its windows. */
const FAR_FUTURE = '9999-12-31';

/** Dimensions with one key per order (the rest, product and category, vary over an order's lines). */
const ORDER_DIMENSIONS = ['channel', 'promo', 'weekday', 'hour', 'region', 'country', 'segment'] as const;

/**
 * The rows of `sales_daily`, from `sales_fact`. Order-level dimensions (and the total) group one row per order
 * (its lines summed), so orders are a plain count, all of them in one pass (GROUPING SETS); product and
 * category count distinct orders over the lines.
 */
export function salesDailyTableSql(dialect: Dialect): SqlFragment {
  const list = (f: (by: (typeof ORDER_DIMENSIONS)[number]) => SqlFragment) => {
    let out = f(ORDER_DIMENSIONS[0]);
    for (const by of ORDER_DIMENSIONS.slice(1)) out = sql`${out}, ${f(by)}`;
    return out;
  };
  let dim = sql`CASE`;
  for (const by of ORDER_DIMENSIONS) dim = sql`${dim} WHEN grouping(${factKey(by)}) = 0 THEN ${by}`;
  dim = sql`${dim} ELSE 'total' END`;
  const line = (by: 'product' | 'category') =>
    sql`SELECT order_date AS day, ${by} AS dim, ${factKey(by)} AS key, sum(revenue) AS revenue,
      ${dialect.countDistinct(sql`order_id`)} AS orders, sum(units) AS units, sum(revenue - cost) AS margin
      FROM sales_fact GROUP BY order_date, ${factKey(by)}`;
  return sql`SELECT * FROM (
      SELECT order_date AS day, ${dim} AS dim, coalesce(${list((by) => sql`${factKey(by)}`)}, 'total') AS key, sum(revenue) AS revenue,
             count(*) AS orders, sum(units) AS units, sum(margin) AS margin
      FROM (
        SELECT order_id, order_date, ${list((by) => sql`min(${factKey(by)}) AS ${factKey(by)}`)},
               sum(revenue) AS revenue, sum(units) AS units, sum(revenue - cost) AS margin
        FROM sales_fact GROUP BY order_id, order_date) o
      GROUP BY GROUPING SETS ((order_date), ${list((by) => sql`(order_date, ${factKey(by)})`)})
      UNION ALL ${line('product')}
      UNION ALL ${line('category')}) d
    ORDER BY day, dim, key`;
}

/**
 * What the pre-aggregate depends on: the row counts of orders, lines, products and customers and the latest load
 * (every import records one; an erasure removes rows). Cheap: counts and one small table, no scan of the lines.
 * One row, one text column `fingerprint`. (An edit made with plain SQL that keeps the counts is not seen: run
 * `clientele sales --refresh` after one.)
 */
export function salesFingerprintSql(dialect: Dialect): SqlFragment {
  const count = (table: string) => sql`(SELECT ${dialect.toText(sql`count(*)`)} FROM ${ident(table)})`;
  return sql`SELECT ${count('orders')} || '/' || ${count('order_lines')} || '/' || ${count('products')} || '/' ||
    ${count('customers')} || '/' || (SELECT ${dialect.toText(sql`coalesce(max(load_id), -1)`)} FROM loads) AS fingerprint`;
}

/**
 * What the segment keys of the pre-aggregate depend on: the number of customers per RFM segment in
 * `customer_rfm` (one small GROUP BY). A re-scoring moves customers between segments and so changes it; one that
 * keeps every segment's count is not seen (`clientele sales --refresh` after it). One text column `fingerprint`.
 */
export function rfmFingerprintSql(dialect: Dialect): SqlFragment {
  return sql`SELECT coalesce(${dialect.stringAggOrdered(sql`g.seg || '=' || ${dialect.toText(sql`g.n`)}`, ',', sql`g.seg`)}, '') AS fingerprint
    FROM (SELECT coalesce(rfm_segment, '(not scored)') AS seg, count(*) AS n FROM customer_rfm
      GROUP BY coalesce(rfm_segment, '(not scored)')) g`;
}

/**
 * The cube's windows from the pre-aggregate: sums from `sales_daily`, distinct customers from `sales_fact`;
 * the same columns as `cubeSql` (win, key, revenue, orders, customers, units, margin).
 */
export function dailyCubeSql(
  dialect: Dialect,
  by: (typeof DAILY_DIMENSIONS)[number] | null,
  windows: { name: string; from: string; to: string }[],
): SqlFragment {
  const sums = windows.map(
    (
      w,
    ) => sql`SELECT ${w.name} AS win, key, sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units,
        sum(margin) AS margin
      FROM sales_daily WHERE dim = ${by ?? 'total'} AND day >= ${dialect.dateParam(w.from)} AND day < ${dialect.dateParam(w.to)}
      GROUP BY key`,
  );
  const customers = windows.map(
    (
      w,
    ) => sql`SELECT ${w.name} AS win, ${factKey(by)} AS key, ${dialect.countDistinct(sql`cust_no`)} AS customers
      FROM sales_fact WHERE order_date >= ${dialect.dateParam(w.from)} AND order_date < ${dialect.dateParam(w.to)}
      GROUP BY ${factKey(by)}`,
  );
  return sql`WITH s AS (${unionAll(sums)}), c AS (${unionAll(customers)})
    SELECT s.win, s.key, coalesce(s.revenue, 0) AS revenue, s.orders, coalesce(c.customers, 0) AS customers,
           coalesce(s.units, 0) AS units, s.margin
    FROM s LEFT JOIN c ON c.win = s.win AND c.key = s.key`;
}

/** The trend from the pre-aggregate: the same columns as `trendSql` (period, key and the measures). */
export function dailyTrendSql(
  dialect: Dialect,
  by: (typeof DAILY_DIMENSIONS)[number] | null,
  period: (date: SqlFragment) => SqlFragment,
  from: string,
  to: string,
): SqlFragment {
  const pd = period(sql`day`);
  const pf = period(sql`order_date`);
  return sql`WITH s AS (
      SELECT ${pd} AS period, key, sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units,
             sum(margin) AS margin
      FROM sales_daily WHERE dim = ${by ?? 'total'} AND day >= ${dialect.dateParam(from)} AND day < ${dialect.dateParam(to)}
      GROUP BY ${pd}, key),
    c AS (
      SELECT ${pf} AS period, ${factKey(by)} AS key, ${dialect.countDistinct(sql`cust_no`)} AS customers
      FROM sales_fact WHERE order_date >= ${dialect.dateParam(from)} AND order_date < ${dialect.dateParam(to)}
      GROUP BY ${pf}, ${factKey(by)})
    SELECT s.period, s.key, coalesce(s.revenue, 0) AS revenue, s.orders, coalesce(c.customers, 0) AS customers,
           coalesce(s.units, 0) AS units, s.margin
    FROM s LEFT JOIN c ON c.period = s.period AND c.key = s.key`;
}

function unionAll(parts: SqlFragment[]): SqlFragment {
  let u = parts[0]!;
  for (const p of parts.slice(1)) u = sql`${u} UNION ALL ${p}`;
  return u;
}

/**
 * The segment dimension from `sales_fact`: measures per customer first (orders are distinct per customer, as an
 * order has one customer), then today's RFM segment joined to those few rows; the same columns as `cubeSql`.
 */
export function segmentCubeSql(
  dialect: Dialect,
  withSegment: boolean,
  windows: { name: string; from: string; to: string }[],
): SqlFragment {
  const parts = windows.map(
    (w) => sql`SELECT ${w.name} AS win, customer_id, sum(revenue) AS revenue,
        ${dialect.countDistinct(sql`order_id`)} AS orders, sum(units) AS units, sum(revenue - cost) AS margin
      FROM sales_fact WHERE order_date >= ${dialect.dateParam(w.from)} AND order_date < ${dialect.dateParam(w.to)}
      GROUP BY customer_id`,
  );
  return segmentOf(dialect, withSegment, sql`win`, unionAll(parts));
}

/** The trend by segment from `sales_fact`, as `segmentCubeSql` does it (columns of `trendSql`). */
export function segmentTrendSql(
  dialect: Dialect,
  withSegment: boolean,
  period: (date: SqlFragment) => SqlFragment,
  from: string,
  to: string,
): SqlFragment {
  const p = period(sql`order_date`);
  return segmentOf(
    dialect,
    withSegment,
    sql`period`,
    sql`SELECT ${p} AS period, customer_id, sum(revenue) AS revenue,
        ${dialect.countDistinct(sql`order_id`)} AS orders, sum(units) AS units, sum(revenue - cost) AS margin
      FROM sales_fact WHERE order_date >= ${dialect.dateParam(from)} AND order_date < ${dialect.dateParam(to)}
      GROUP BY ${p}, customer_id`,
  );
}

function segmentOf(dialect: Dialect, withSegment: boolean, group: SqlFragment, perCustomer: SqlFragment) {
  const key = withSegment ? sql`coalesce(r.rfm_segment, '(not scored)')` : sql`'(not scored)'`;
  return sql`SELECT pc.${group}, ${key} AS key, coalesce(sum(pc.revenue), 0) AS revenue, sum(pc.orders) AS orders,
      ${dialect.countDistinct(sql`pc.customer_id`)} AS customers, coalesce(sum(pc.units), 0) AS units,
      sum(pc.margin) AS margin
    FROM (${perCustomer}) pc
    ${withSegment ? sql`LEFT JOIN customer_rfm r ON r.customer_id = pc.customer_id` : sql``}
    GROUP BY pc.${group}, ${key}`;
}
