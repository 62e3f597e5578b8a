/**
 * Customer profitability in SQL. Per customer, up to `asOf` (inclusive):
 *   revenue (gross line value, or order total + order discount for orders without lines)
 *   − discounts (the order's total discount: its lines' discounts, or the order discount when larger) − returns (returned quantity × unit price, less the returned share of
 *   the line's discount: a customer who returns a discounted item is refunded what they paid, so the discount
 *   is not counted as a loss twice)
 *   − cost of goods ((quantity − returned) × products.unit_cost)
 *   − cost to serve (service contacts × a set cost, plus campaign contacts × campaigns.cost_per_contact)
 * = profit. Cancelled / void / failed orders are left out. Every customer with an order, a service contact or
 * a campaign contact gets a row, so loss-makers (and contacted non-buyers) are shown, not hidden.
 */
import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { extraOrderDiscountSql } from '../overview/index.js';

export interface ProfitSqlOptions {
  asOf: string;
  /** Cost of one service contact, in the datamart's currency. */
  serviceContactCost: number;
  /** Campaign event type that costs `cost_per_contact` (default 'sent'). */
  campaignCostEvent: string;
}

/** Dated money flows per customer and day: margin (≥ or < 0) and its parts. */
export function profitFlowsSql(dialect: Dialect, o: ProfitSqlOptions): SqlFragment {
  const asOf = dialect.dateParam(o.asOf);
  return sql`WITH lines AS (
      SELECT ol.order_id,
        sum(ol.quantity * ol.unit_price) AS gross,
        sum(ol.discount) AS line_discount,
        sum(ol.returned_quantity * ol.unit_price
          - ol.discount * CASE WHEN ol.quantity > 0 THEN ol.returned_quantity / ol.quantity ELSE 0 END) AS returned,
        sum((ol.quantity - ol.returned_quantity) * coalesce(p.unit_cost, 0)) AS cogs,
        ${dialect.countIf(sql`p.unit_cost IS NULL`)} AS lines_without_cost
      FROM order_lines ol LEFT JOIN products p ON p.sku = ol.sku
      GROUP BY ol.order_id),
    orders_v AS (
      SELECT o.customer_id, o.order_date AS day,
        coalesce(l.gross, coalesce(o.total, 0) + o.discount) AS revenue,
        coalesce(l.line_discount, 0) + ${extraOrderDiscountSql(dialect, sql`l.line_discount`)} AS discounts,
        coalesce(l.returned, 0) AS returns,
        coalesce(l.cogs, 0) AS cogs,
        0.0 AS service_cost, 0.0 AS campaign_cost,
        1 AS orders, coalesce(l.lines_without_cost, 0) AS lines_without_cost
      FROM orders o LEFT JOIN lines l ON l.order_id = o.order_id
      WHERE o.order_date <= ${asOf} AND lower(o.status) NOT IN ('cancelled', 'canceled', 'void', 'failed')),
    service_v AS (
      SELECT customer_id, CAST(contact_time AS DATE) AS day, 0.0, 0.0, 0.0, 0.0,
        ${o.serviceContactCost} * 1.0, 0.0, 0, 0
      FROM service_contacts WHERE CAST(contact_time AS DATE) <= ${asOf}),
    campaign_v AS (
      SELECT e.customer_id, CAST(e.event_time AS DATE) AS day, 0.0, 0.0, 0.0, 0.0, 0.0,
        coalesce(c.cost_per_contact, 0), 0, 0
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE e.event_type = ${o.campaignCostEvent} AND CAST(e.event_time AS DATE) <= ${asOf})
    SELECT customer_id, day, sum(revenue) AS revenue, sum(discounts) AS discounts, sum(returns) AS returns,
      sum(cogs) AS cogs, sum(service_cost) AS service_cost, sum(campaign_cost) AS campaign_cost,
      sum(orders) AS orders, sum(lines_without_cost) AS lines_without_cost
    FROM (SELECT * FROM orders_v UNION ALL SELECT * FROM service_v UNION ALL SELECT * FROM campaign_v) f
    GROUP BY customer_id, day`;
}

/**
 * One row per customer: the parts, profit, margin ratio, and profitable_since = the day from which the
 * cumulative profit stays above 0 (NULL while it is ≤ 0).
 */
export function customerProfitSql(dialect: Dialect, o: ProfitSqlOptions): SqlFragment {
  const margin = sql`revenue - discounts - returns - cogs - service_cost - campaign_cost`;
  return sql`WITH f AS (${profitFlowsSql(dialect, o)}),
    c AS (SELECT *, sum(${margin}) OVER (PARTITION BY customer_id ORDER BY day
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative FROM f),
    last_down AS (SELECT customer_id, max(CASE WHEN cumulative <= 0 THEN day END) AS last_nonpositive FROM c
      GROUP BY customer_id)
    SELECT c.customer_id,
      sum(revenue) AS revenue, sum(discounts) AS discounts, sum(returns) AS returns, sum(cogs) AS cogs,
      sum(service_cost) AS service_cost, sum(campaign_cost) AS campaign_cost,
      sum(${margin}) AS profit,
      ${dialect.safeDivide(sql`sum(${margin})`, sql`sum(revenue - discounts - returns)`)} AS margin_ratio,
      ${dialect.toDouble(sql`sum(orders)`)} AS orders,
      ${dialect.toDouble(sql`sum(lines_without_cost)`)} AS lines_without_cost,
      min(CASE WHEN orders > 0 THEN day END) AS first_order,
      CASE WHEN sum(${margin}) > 0 THEN
        min(CASE WHEN cumulative > 0 AND (d.last_nonpositive IS NULL OR day > d.last_nonpositive) THEN day END)
      END AS profitable_since
    FROM c JOIN last_down d ON d.customer_id = c.customer_id
    GROUP BY c.customer_id`;
}
