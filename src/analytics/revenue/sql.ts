/**
 * The one revenue rule every module uses (overview, profit, CLV spend, features → RFM monetary and segments,
 * the customer view). See README.md for the rule in words and its worked examples.
 *
 * Per order that counts (status not cancelled / canceled / void / failed, compared in lower case; no status =
 * completed):
 * - with lines: gross sales = Σ quantity × unit_price; discounts = Σ line discounts + the order's discount
 *   beyond its lines' (Magento's discount_amount is the order's total discount); returns = the refunded value
 *   of returned quantities, net of their share of the line discount and of the extra order discount;
 * - without lines: gross sales = total − shipping + discount; discounts = the order's discount; returns = the
 *   whole net amount when its status is 'returned', else 0.
 * - net revenue = gross sales − discounts − returns. Shipping fees are not revenue from goods and never count.
 * Each part is rounded to the cent per order, so a fully returned order nets exactly 0 (not 1e-14) and
 * rounding noise is never a loss.
 */
import { type Dialect, empty, join, raw, type SqlFragment, sql } from '../../store/index.js';

/** Order statuses that never count as sales (compared in lower case). */
export const EXCLUDED_ORDER_STATUSES = ['cancelled', 'canceled', 'void', 'failed'] as const;

/** Whether order alias `o` counts as a sale: its status is not one of EXCLUDED_ORDER_STATUSES. */
export function countedOrderSql(alias = 'o'): SqlFragment {
  const status = raw(`${alias}.status`);
  const excluded = join(EXCLUDED_ORDER_STATUSES.map((s) => sql`${s}`));
  return sql`lower(coalesce(${status}, 'completed')) NOT IN (${excluded})`;
}

/**
 * Whether order alias `o` has a customer. A guest order (no customer id: `customer_id` NULL) counts in sales
 * and revenue figures but never in customer analytics: per-customer queries (RFM, CLV, features, segments,
 * predictions, profit per customer, cohorts) add this condition, or pass `customersOnly` below.
 */
export function customerOrderSql(alias = 'o'): SqlFragment {
  return sql`${raw(`${alias}.customer_id`)} IS NOT NULL`;
}

/** Line `l`'s value kept by the customer, net of its discount: (quantity − returned) × price − kept discount share. */
export function lineRevenueSql(): SqlFragment {
  return sql`(l.quantity - l.returned_quantity) * l.unit_price - l.discount * CASE WHEN l.quantity > 0 THEN (l.quantity - l.returned_quantity) / l.quantity ELSE 0 END`;
}

/**
 * Aggregates over order_lines alias `l` (grouped by order) that `orderRevenueColumns` needs, as a select
 * list: gross, line_discount, line_returns (refunded value net of the line discount share), kept_gross.
 */
export function lineAggregatesSql(): SqlFragment {
  return sql`sum(l.quantity * l.unit_price) AS gross,
    sum(l.discount) AS line_discount,
    sum(l.returned_quantity * l.unit_price - l.discount * CASE WHEN l.quantity > 0 THEN l.returned_quantity / l.quantity ELSE 0 END) AS line_returns,
    sum((l.quantity - l.returned_quantity) * l.unit_price) AS kept_gross`;
}

/** The part of an order's discount beyond its lines' discounts (≥ 0); `lineDiscount` is NULL without lines. */
export function extraOrderDiscountSql(dialect: Dialect, lineDiscount: SqlFragment, order = 'o'): SqlFragment {
  return dialect.greatest(sql`${raw(order)}.discount - coalesce(${lineDiscount}, 0)`, sql`0`);
}

export interface OrderRevenueColumns {
  grossSales: SqlFragment;
  discounts: SqlFragment;
  returns: SqlFragment;
  netRevenue: SqlFragment;
}

/**
 * The four money columns of one order, from orders alias `o` and the line aggregates alias `lv`
 * (`lineAggregatesSql`, joined LEFT: `lv.gross` is NULL for an order without lines). Each is rounded to the cent.
 */
export function orderRevenueColumns(dialect: Dialect, lv = 'lv'): OrderRevenueColumns {
  const a = (c: string) => raw(`${lv}.${c}`);
  const extra = extraOrderDiscountSql(dialect, sql`${a('line_discount')}`);
  const keptShare = sql`coalesce(${dialect.safeDivide(sql`${a('kept_gross')}`, sql`${a('gross')}`)}, 0)`;
  const noLinesNet = sql`(coalesce(o.total, 0) - coalesce(o.shipping, 0))`;
  const noLinesReturned = sql`lower(coalesce(o.status, '')) = 'returned'`;
  const gross = dialect.roundTo(
    sql`CASE WHEN ${a('gross')} IS NULL THEN ${noLinesNet} + o.discount ELSE ${a('gross')} END`,
    2,
  );
  const discounts = dialect.roundTo(
    sql`CASE WHEN ${a('gross')} IS NULL THEN o.discount ELSE ${a('line_discount')} + ${extra} END`,
    2,
  );
  const returns = dialect.roundTo(
    sql`CASE WHEN ${a('gross')} IS NULL THEN (CASE WHEN ${noLinesReturned} THEN ${noLinesNet} ELSE 0 END)
    ELSE ${a('line_returns')} - ${extra} * (1 - ${keptShare}) END`,
    2,
  );
  return {
    grossSales: gross,
    discounts,
    returns,
    netRevenue: dialect.roundTo(sql`${gross} - ${discounts} - ${returns}`, 2),
  };
}

export interface OrderRevenueOptions {
  /** Orders dated before this day count (`YYYY-MM-DD`); omit for every order. */
  before?: string;
  /** Orders dated on or before this day count (`YYYY-MM-DD`); an alternative to `before`. */
  through?: string;
  /** Only orders of a customer: guest orders (no customer id) left out, for per-customer figures. */
  customersOnly?: boolean;
}

/**
 * One row per counted order (guest orders included unless `customersOnly`): order_id, customer_id, order_date, order_time, channel, promo_code, status, gross_sales,
 * discounts, returns, net_revenue, cost (cost of goods kept: Σ (quantity − returned) × unit_cost over lines
 * with a known cost; NULL for an order without lines or costs), lines_without_cost, returned (whether
 * anything came back).
 */
export function orderRevenueSql(dialect: Dialect, options: OrderRevenueOptions = {}): SqlFragment {
  const c = orderRevenueColumns(dialect, 'lv');
  const date = [
    options.before ? sql` AND o.order_date < ${dialect.dateParam(options.before)}` : empty,
    options.through ? sql` AND o.order_date <= ${dialect.dateParam(options.through)}` : empty,
    options.customersOnly ? sql` AND ${customerOrderSql('o')}` : empty,
  ];
  return sql`SELECT o.order_id, o.customer_id, o.order_date, o.order_time, o.channel, o.promo_code, o.status,
      ${c.grossSales} AS gross_sales, ${c.discounts} AS discounts, ${c.returns} AS returns,
      ${c.netRevenue} AS net_revenue, lv.cost AS cost, coalesce(lv.lines_without_cost, 0) AS lines_without_cost,
      (coalesce(lv.returned_items, 0) > 0 OR (lv.gross IS NULL AND lower(coalesce(o.status, '')) = 'returned')) AS returned
    FROM orders o
    LEFT JOIN (
      SELECT l.order_id, ${lineAggregatesSql()},
        sum((l.quantity - l.returned_quantity) * p.unit_cost) AS cost,
        ${dialect.countIf(sql`p.unit_cost IS NULL`)} AS lines_without_cost,
        sum(l.returned_quantity) AS returned_items
      FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
      GROUP BY l.order_id
    ) lv ON lv.order_id = o.order_id
    WHERE ${countedOrderSql('o')}${date[0]}${date[1]}${date[2]}`;
}
