import { customerProfit } from '../../../analytics/profit/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { asOfFlag } from './analytics-args.js';

export const profitCommand: Command = {
  name: 'profit',
  summary: 'customer profitability: margin after goods, discounts, returns and cost to serve; Pareto curve',
  usage: `Usage: clientele profit [--as-of DATE] [--service-cost X] [--campaign-event sent] [--top N] [--json]

Per customer, up to --as-of (default: the last order date): revenue − discounts − returns − cost of goods
(products.unit_cost) − cost to serve (service contacts × --service-cost, default 0; campaign contacts of
type --campaign-event × campaigns.cost_per_contact). Also: the date each customer became profitable
(cumulative margin above 0 from then on), the Pareto curve (profit share of the top 1/5/10/20/50/80 %),
and the loss-makers. Writes the customer_profit table (customer_id, revenue, discounts, returns, cogs,
service_cost, campaign_cost, profit, margin_ratio, orders, lines_without_cost, first_order, profitable_since).

JSON fields: asOf, totals{revenue, discounts, returns, cogs, serviceCost, campaignCost, profit},
  pareto{customers, totalProfit, points[{customerShare, customers, profitShare}], peak{customerShare,
  profitShare}, negative{customers, profit}}, top[…], bottom[…] (customerId, revenue, discounts, returns,
  cogs, serviceCost, campaignCost, profit, marginRatio, orders, firstOrder, profitableSince), warnings

Examples:
  clientele profit --service-cost 4.50
  clientele profit --as-of 2024-12-31 --top 20 --json`,
  options: {
    'as-of': { type: 'string' },
    'service-cost': { type: 'string' },
    'campaign-event': { type: 'string' },
    top: { type: 'string' },
  },
  async run(ctx) {
    const cost = ctx.values['service-cost'];
    const serviceContactCost = cost === undefined ? 0 : Number(cost);
    if (!Number.isFinite(serviceContactCost) || serviceContactCost < 0)
      throw new InputError(
        `--service-cost: expected a number ≥ 0, got ${JSON.stringify(cost)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const top = ctx.values.top === undefined ? 10 : Number(ctx.values.top);
    if (!Number.isInteger(top) || top < 0)
      throw new InputError(
        `--top: expected a whole number ≥ 0, got ${JSON.stringify(ctx.values.top)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      const asOf = await asOfFlag(ctx, engine);
      const progress = ctx.progress('profit');
      const r = await customerProfit(engine, {
        asOf,
        serviceContactCost,
        campaignCostEvent:
          typeof ctx.values['campaign-event'] === 'string' ? ctx.values['campaign-event'] : undefined,
        top,
      });
      progress.done();
      const t = r.totals;
      ctx.out.line(
        `Profit as of ${r.asOf}: ${t.profit.toFixed(2)} from revenue ${t.revenue.toFixed(2)} (discounts ${t.discounts.toFixed(2)}, returns ${t.returns.toFixed(2)}, goods ${t.cogs.toFixed(2)}, service ${t.serviceCost.toFixed(2)}, campaigns ${t.campaignCost.toFixed(2)})`,
      );
      ctx.out.line('Pareto curve: share of profit from the top customers');
      ctx.out.table(
        r.pareto.points.map((p) => ({
          topCustomers: `${(p.customerShare * 100).toFixed(0)}%`,
          customers: p.customers,
          profitShare: `${(p.profitShare * 100).toFixed(1)}%`,
        })),
      );
      ctx.out.line(
        `${r.pareto.negative.customers.toLocaleString('en')} customers lose money (together ${r.pareto.negative.profit.toFixed(2)}); the most profitable ${(r.pareto.peak.customerShare * 100).toFixed(1)}% earn ${(r.pareto.peak.profitShare * 100).toFixed(1)}% of the profit.`,
      );
      const show = (rows: typeof r.top) =>
        rows.map((x) => ({
          customer: x.customerId,
          revenue: x.revenue,
          profit: x.profit,
          margin: x.marginRatio === null ? null : Number(x.marginRatio.toFixed(3)),
          orders: x.orders,
          profitableSince: x.profitableSince,
        }));
      ctx.out.line('Most profitable:');
      ctx.out.table(show(r.top));
      ctx.out.line('Least profitable (loss-makers first):');
      ctx.out.table(show(r.bottom));
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      return r;
    } finally {
      await engine.close();
    }
  },
};
