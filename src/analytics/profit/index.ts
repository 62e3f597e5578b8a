/**
 * Customer profitability: revenue − discounts − returns − cost of goods − cost to serve per customer, the
 * date each customer became profitable, the Pareto (whale) curve and the loss-makers. Results go to the
 * `customer_profit` table, so they are usable in SQL and segments.
 */
import { InputError } from '../../errors.js';
import { type Engine, sql } from '../../store/index.js';
import { DEFAULT_PARETO_SHARES, type ParetoSummary, paretoCurve } from './core.js';
import { customerProfitSql, type ProfitSqlOptions } from './sql.js';

export { DEFAULT_PARETO_SHARES, type ParetoPoint, type ParetoSummary, paretoCurve } from './core.js';

export interface ProfitOptions {
  /** Count everything up to this date (inclusive), `YYYY-MM-DD`. */
  asOf: string;
  /** Cost of one service contact (default 0: contacts cost nothing unless you say so). */
  serviceContactCost?: number;
  /** Campaign event type charged at campaigns.cost_per_contact (default 'sent'). */
  campaignCostEvent?: string;
  /** Rows to return from each end (most profitable, least profitable); default 10. */
  top?: number;
}

export interface CustomerProfitRow {
  customerId: string;
  revenue: number;
  discounts: number;
  returns: number;
  cogs: number;
  serviceCost: number;
  campaignCost: number;
  profit: number;
  marginRatio: number | null;
  orders: number;
  firstOrder: string | null;
  profitableSince: string | null;
}

export interface ProfitResult {
  asOf: string;
  totals: {
    revenue: number;
    discounts: number;
    returns: number;
    cogs: number;
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
 * @throws InputError INVALID_INPUT for a bad date or negative cost
 */
export async function customerProfit(engine: Engine, options: ProfitOptions): Promise<ProfitResult> {
  const o: ProfitSqlOptions = {
    asOf: options.asOf,
    serviceContactCost: options.serviceContactCost ?? 0,
    campaignCostEvent: options.campaignCostEvent ?? 'sent',
  };
  const issues: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.asOf)) issues.push(`asOf: expected YYYY-MM-DD, got "${o.asOf}"`);
  if (!(o.serviceContactCost >= 0))
    issues.push(`serviceContactCost: expected a number ≥ 0, got ${o.serviceContactCost}`);
  if (issues.length) throw new InputError(`profit: ${issues.join('; ')}`, { issues });
  await engine.exec(sql`DROP TABLE IF EXISTS customer_profit`);
  await engine.exec(sql`CREATE TABLE customer_profit AS ${customerProfitSql(engine.dialect, o)}`);
  const cols = await engine.queryColumns(sql`SELECT profit FROM customer_profit`);
  const pareto = paretoCurve(Float64Array.from((cols.profit ?? []) as number[]), DEFAULT_PARETO_SHARES);
  const totalsRow = (
    await engine.query(sql`SELECT sum(revenue) AS revenue, sum(discounts) AS discounts, sum(returns) AS returns,
      sum(cogs) AS cogs, sum(service_cost) AS service_cost, sum(campaign_cost) AS campaign_cost,
      sum(profit) AS profit, sum(lines_without_cost) AS lines_without_cost FROM customer_profit`)
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
    totals: {
      revenue: Number(totalsRow.revenue ?? 0),
      discounts: Number(totalsRow.discounts ?? 0),
      returns: Number(totalsRow.returns ?? 0),
      cogs: Number(totalsRow.cogs ?? 0),
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
    revenue: num(r.revenue),
    discounts: num(r.discounts),
    returns: num(r.returns),
    cogs: num(r.cogs),
    serviceCost: num(r.service_cost),
    campaignCost: num(r.campaign_cost),
    profit: num(r.profit),
    marginRatio: r.margin_ratio === null || r.margin_ratio === undefined ? null : num(r.margin_ratio),
    orders: num(r.orders),
    firstOrder: r.first_order ? String(r.first_order) : null,
    profitableSince: r.profitable_since ? String(r.profitable_since) : null,
  };
}
