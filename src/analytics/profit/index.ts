/**
 * Customer profitability: net revenue (the revenue rule) − cost of goods − cost to serve per customer, the
 * date each customer became profitable, the Pareto (whale) curve and the loss-makers. Results go to the
 * `customer_profit` table, so they are usable in SQL and segments.
 */
import { InputError } from '../../errors.js';
import { type Engine, sql } from '../../store/index.js';
import { DEFAULT_PARETO_SHARES, type ParetoSummary, paretoCurve } from './core.js';
import { type CostToServe, customerProfitSql, DEFAULT_COST_TO_SERVE, type ProfitSqlOptions } from './sql.js';

export {
  BREAK_EVEN_BY,
  type BreakEvenBy,
  type BreakEvenOptions,
  type BreakEvenResult,
  type BreakEvenRow,
  breakEven,
} from './break-even.js';
export { DEFAULT_PARETO_SHARES, type ParetoPoint, type ParetoSummary, paretoCurve } from './core.js';
export { type CostToServe, DEFAULT_COST_TO_SERVE } from './sql.js';

export interface ProfitOptions {
  /** Count everything up to this date (inclusive), `YYYY-MM-DD`. */
  asOf: string;
  /** Cost of one service contact (default 0: contacts cost nothing unless you say so); same as cost.perServiceContact. */
  serviceContactCost?: number;
  /** Campaign event type charged at campaigns.cost_per_contact (default 'sent'). */
  campaignCostEvent?: string;
  /** The cost-to-serve model; every part defaults to DEFAULT_COST_TO_SERVE (0: nothing unless you say so). */
  cost?: Partial<CostToServe>;
  /** Rows to return from each end (most profitable, least profitable); default 10. */
  top?: number;
}

export interface CustomerProfitRow {
  customerId: string;
  /** Before discounts and returns. */
  grossSales: number;
  discounts: number;
  returns: number;
  /** gross sales − discounts − returns: the revenue rule. */
  netRevenue: number;
  cogs: number;
  /** Orders × (perOrder + shippingPerOrder) + orders with a return × perReturn. */
  fulfilmentCost: number;
  serviceCost: number;
  campaignCost: number;
  /** Net revenue − every cost, rounded to the cent. */
  profit: number;
  /** profit / net revenue; null when net revenue ≤ 0 (nothing kept: no ratio). */
  marginRatio: number | null;
  orders: number;
  firstOrder: string | null;
  profitableSince: string | null;
}

export interface ProfitResult {
  asOf: string;
  /** The cost-to-serve model used (defaults filled in). */
  cost: CostToServe;
  /** Base: every customer with an order, a service contact or a campaign contact up to asOf. */
  customers: number;
  /** Customers with a counted order up to asOf. */
  buyers: number;
  totals: {
    grossSales: number;
    discounts: number;
    returns: number;
    netRevenue: number;
    cogs: number;
    fulfilmentCost: number;
    serviceCost: number;
    campaignCost: number;
    profit: number;
  };
  pareto: ParetoSummary;
  top: CustomerProfitRow[];
  bottom: CustomerProfitRow[];
  warnings: string[];
}

/**
 * Computes customer profitability, writes `customer_profit` and returns totals, the Pareto curve and the
 * most and least profitable customers (loss-makers included).
 *
 * @param options asOf (inclusive), service contact cost, the campaign event type that costs, rows to return
 * @returns totals, the Pareto curve (profit share of the top x %) and the top / bottom customers
 * @throws InputError INVALID_INPUT for a bad date or negative cost
 * @example
 * const r = await customerProfit(engine, { asOf: '2024-12-31', serviceContactCost: 4.5 });
 * r.pareto.points.find((p) => p.customerShare === 0.2)?.profitShare; // e.g. 0.81
 */
export async function customerProfit(engine: Engine, options: ProfitOptions): Promise<ProfitResult> {
  const cost: CostToServe = {
    ...DEFAULT_COST_TO_SERVE,
    ...(options.serviceContactCost === undefined ? {} : { perServiceContact: options.serviceContactCost }),
    ...(options.campaignCostEvent === undefined ? {} : { campaignCostEvent: options.campaignCostEvent }),
    ...options.cost,
  };
  const o: ProfitSqlOptions = { asOf: options.asOf, cost };
  const issues: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.asOf)) issues.push(`asOf: expected YYYY-MM-DD, got "${o.asOf}"`);
  for (const key of ['perOrder', 'shippingPerOrder', 'perReturn', 'perServiceContact'] as const)
    if (!(Number.isFinite(cost[key]) && cost[key] >= 0))
      issues.push(`cost.${key}: expected a number ≥ 0, got ${cost[key]}`);
  if (issues.length) throw new InputError(`profit: ${issues.join('; ')}`, { issues });
  await engine.exec(sql`DROP TABLE IF EXISTS customer_profit`);
  await engine.exec(sql`CREATE TABLE customer_profit AS ${customerProfitSql(engine.dialect, o)}`);
  const cols = await engine.queryColumns(sql`SELECT profit FROM customer_profit`);
  const pareto = paretoCurve(Float64Array.from((cols.profit ?? []) as number[]), DEFAULT_PARETO_SHARES);
  const totalsRow = (
    await engine.query(sql`SELECT round(sum(gross_sales), 2) AS gross_sales, round(sum(discounts), 2) AS discounts,
      round(sum(returns), 2) AS returns, round(sum(net_revenue), 2) AS net_revenue, round(sum(cogs), 2) AS cogs,
      round(sum(fulfilment_cost), 2) AS fulfilment_cost, round(sum(service_cost), 2) AS service_cost,
      round(sum(campaign_cost), 2) AS campaign_cost, round(sum(profit), 2) AS profit,
      sum(lines_without_cost) AS lines_without_cost, count(*) AS customers,
      ${engine.dialect.countIf(sql`orders > 0`)} AS buyers FROM customer_profit`)
  )[0]!;
  const n = options.top ?? 10;
  const top = await engine.query(
    sql`SELECT * FROM customer_profit ORDER BY profit DESC, customer_id LIMIT ${n}`,
  );
  const bottom = await engine.query(
    sql`SELECT * FROM customer_profit ORDER BY profit, customer_id LIMIT ${n}`,
  );
  const warnings: string[] = [];
  const missing = Number(totalsRow.lines_without_cost ?? 0);
  if (missing > 0)
    warnings.push(
      `${missing} order lines have a product without unit_cost: their cost of goods counts as 0, so profit is overstated. Load products.unit_cost to fix.`,
    );
  return {
    asOf: o.asOf,
    cost,
    customers: Number(totalsRow.customers ?? 0),
    buyers: Number(totalsRow.buyers ?? 0),
    totals: {
      grossSales: Number(totalsRow.gross_sales ?? 0),
      discounts: Number(totalsRow.discounts ?? 0),
      returns: Number(totalsRow.returns ?? 0),
      netRevenue: Number(totalsRow.net_revenue ?? 0),
      cogs: Number(totalsRow.cogs ?? 0),
      fulfilmentCost: Number(totalsRow.fulfilment_cost ?? 0),
      serviceCost: Number(totalsRow.service_cost ?? 0),
      campaignCost: Number(totalsRow.campaign_cost ?? 0),
      profit: Number(totalsRow.profit ?? 0),
    },
    pareto,
    top: top.map(toRow),
    bottom: bottom.map(toRow),
    warnings,
  };
}

function toRow(r: Record<string, unknown>): CustomerProfitRow {
  const num = (v: unknown) => Number(v ?? 0);
  return {
    customerId: String(r.customer_id),
    grossSales: num(r.gross_sales),
    discounts: num(r.discounts),
    returns: num(r.returns),
    netRevenue: num(r.net_revenue),
    cogs: num(r.cogs),
    fulfilmentCost: num(r.fulfilment_cost),
    serviceCost: num(r.service_cost),
    campaignCost: num(r.campaign_cost),
    profit: num(r.profit),
    marginRatio: r.margin_ratio === null || r.margin_ratio === undefined ? null : num(r.margin_ratio),
    orders: num(r.orders),
    firstOrder: r.first_order ? String(r.first_order) : null,
    profitableSince: r.profitable_since ? String(r.profitable_since) : null,
  };
}
