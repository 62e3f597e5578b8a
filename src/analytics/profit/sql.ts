/**
 * Customer profitability in SQL. Per customer, up to `asOf` (inclusive), by the revenue rule
 * (analytics/revenue, the same net revenue as the overview, CLV and features):
 *   gross sales − discounts − returns = net revenue
 *   − cost of goods kept ((quantity − returned) × products.unit_cost)
 *   − cost to serve: fulfilment (orders × (perOrder + shippingPerOrder) + orders with a return × perReturn),
 *     service contacts × perServiceContact, campaign contacts × campaigns.cost_per_contact
 * = profit, rounded to the cent (so rounding noise below a cent is never a loss). Cancelled / void / failed
 * orders are left out. Every customer with an order, a service contact or a campaign contact gets a row, so
 * loss-makers (and contacted non-buyers) are shown, not hidden.
 *
 * margin_ratio = profit / net revenue, and NULL when net revenue ≤ 0 (a customer who returned everything
 * has no margin ratio: dividing by a net revenue of 0 or a few cents would give ±10^11).
 */
import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { orderRevenueSql } from '../revenue/index.js';

/** The cost-to-serve model: what serving a customer costs beyond the goods, in the datamart's currency. */
export interface CostToServe {
  /** Handling cost of each order (picking, packing, payment fees). Default 0. */
  perOrder: number;
  /** Cost of shipping each order, net of the shipping fee the customer paid. Default 0. */
  shippingPerOrder: number;
  /** Cost of handling an order with a return (return shipping, inspection, restocking). Default 0. */
  perReturn: number;
  /** Cost of one service contact (call, e-mail, chat). Default 0. */
  perServiceContact: number;
  /** Campaign event type that costs campaigns.cost_per_contact (default 'sent'). */
  campaignCostEvent: string;
}

/** The default cost to serve: nothing but campaign contacts at their campaign's cost_per_contact. */
export const DEFAULT_COST_TO_SERVE: Readonly<CostToServe> = Object.freeze({
  perOrder: 0,
  shippingPerOrder: 0,
  perReturn: 0,
  perServiceContact: 0,
  campaignCostEvent: 'sent',
});

export interface ProfitSqlOptions {
  asOf: string;
  cost: CostToServe;
}

/** Dated money flows per customer and day: the parts of the margin. */
export function profitFlowsSql(dialect: Dialect, o: ProfitSqlOptions): SqlFragment {
  const asOf = dialect.dateParam(o.asOf);
  const c = o.cost;
  return sql`WITH orders_v AS (
      SELECT customer_id, order_date AS day, gross_sales, discounts, returns, coalesce(cost, 0) AS cogs,
        ${c.perOrder + c.shippingPerOrder} * 1.0 + CASE WHEN returned THEN ${c.perReturn} * 1.0 ELSE 0.0 END AS fulfilment_cost,
        0.0 AS service_cost, 0.0 AS campaign_cost, 1 AS orders, lines_without_cost
      FROM (${orderRevenueSql(dialect, { through: o.asOf, customersOnly: true })}) r),
    service_v AS (
      SELECT customer_id, CAST(contact_time AS DATE) AS day, 0.0, 0.0, 0.0, 0.0, 0.0,
        ${c.perServiceContact} * 1.0, 0.0, 0, 0
      FROM service_contacts WHERE CAST(contact_time AS DATE) <= ${asOf}),
    campaign_v AS (
      SELECT e.customer_id, CAST(e.event_time AS DATE) AS day, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        coalesce(c.cost_per_contact, 0), 0, 0
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE e.event_type = ${c.campaignCostEvent} AND CAST(e.event_time AS DATE) <= ${asOf})
    SELECT customer_id, day, sum(gross_sales) AS gross_sales, sum(discounts) AS discounts, sum(returns) AS returns,
      sum(cogs) AS cogs, sum(fulfilment_cost) AS fulfilment_cost, sum(service_cost) AS service_cost,
      sum(campaign_cost) AS campaign_cost, sum(orders) AS orders, sum(lines_without_cost) AS lines_without_cost
    FROM (SELECT * FROM orders_v UNION ALL SELECT * FROM service_v UNION ALL SELECT * FROM campaign_v) f
    GROUP BY customer_id, day`;
}

/**
 * One row per customer: the parts, net revenue, profit, margin ratio, and profitable_since = the day from
 * which the cumulative profit (to the cent) stays above 0 (NULL while it is ≤ 0).
 */
export function customerProfitSql(dialect: Dialect, o: ProfitSqlOptions): SqlFragment {
  const margin = sql`gross_sales - discounts - returns - cogs - fulfilment_cost - service_cost - campaign_cost`;
  const profit = dialect.roundTo(sql`sum(${margin})`, 2);
  const net = dialect.roundTo(sql`sum(gross_sales - discounts - returns)`, 2);
  return sql`WITH f AS (${profitFlowsSql(dialect, o)}),
    c AS (SELECT *, round(sum(${margin}) OVER (PARTITION BY customer_id ORDER BY day
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 2) AS cumulative FROM f),
    last_down AS (SELECT customer_id, max(CASE WHEN cumulative <= 0 THEN day END) AS last_nonpositive FROM c
      GROUP BY customer_id)
    SELECT c.customer_id,
      round(sum(gross_sales), 2) AS gross_sales, round(sum(discounts), 2) AS discounts,
      round(sum(returns), 2) AS returns, ${net} AS net_revenue, round(sum(cogs), 2) AS cogs,
      round(sum(fulfilment_cost), 2) AS fulfilment_cost, round(sum(service_cost), 2) AS service_cost,
      round(sum(campaign_cost), 2) AS campaign_cost,
      ${profit} AS profit,
      CASE WHEN ${net} > 0 THEN ${profit} / ${net} END AS margin_ratio,
      ${dialect.toDouble(sql`sum(orders)`)} AS orders,
      ${dialect.toDouble(sql`sum(lines_without_cost)`)} AS lines_without_cost,
      min(CASE WHEN orders > 0 THEN day END) AS first_order,
      CASE WHEN ${profit} > 0 THEN
        min(CASE WHEN cumulative > 0 AND (d.last_nonpositive IS NULL OR day > d.last_nonpositive) THEN day END)
      END AS profitable_since
    FROM c JOIN last_down d ON d.customer_id = c.customer_id
    GROUP BY c.customer_id`;
}
