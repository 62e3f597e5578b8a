import { customerProfit } from '../../../analytics/profit/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { asOfFlag } from './analytics-args.js';

export const profitCommand: Command = {
  name: 'profit',
  summary: 'customer profitability: margin after goods, discounts, returns and cost to serve; Pareto curve',
  usage: `Usage: clientele profit [--as-of DATE] [--service-cost X] [--order-cost X] [--shipping-cost X]
                        [--return-cost X] [--campaign-event sent] [--top N] [--json]

Per customer, up to --as-of (default: the last order date): net revenue (gross sales − discounts − returns,
cancelled orders and shipping fees left out: the same figure as the overview's revenue) − cost of goods
(products.unit_cost) − cost to serve. The cost-to-serve model, every part 0 unless you set it:
  --order-cost X      handling cost per order (picking, packing, payment fees)
  --shipping-cost X   shipping cost per order, net of the fee the customer paid
  --return-cost X     cost per order with a return (return shipping, restocking)
  --service-cost X    cost per service contact
  campaign contacts of type --campaign-event (default sent) × campaigns.cost_per_contact.
Profit is rounded to the cent, so a customer is a loss-maker only when they lose at least a cent; the margin
ratio (profit / net revenue) is empty when net revenue ≤ 0 (everything returned). Also: the date each
customer became profitable (cumulative profit above 0 from then on), the Pareto curve (profit share of the
top 1/5/10/20/50/80 %), and the loss-makers. Writes the customer_profit table (customer_id, gross_sales,
discounts, returns, net_revenue, cogs, fulfilment_cost, service_cost, campaign_cost, profit, margin_ratio,
orders, lines_without_cost, first_order, profitable_since).

JSON fields: asOf, cost{perOrder, shippingPerOrder, perReturn, perServiceContact, campaignCostEvent},
  customers, buyers, totals{grossSales, discounts, returns, netRevenue, cogs, fulfilmentCost, serviceCost,
  campaignCost, profit}, pareto{customers, totalProfit, points[{customerShare, customers, profitShare}],
  peak{customerShare, profitShare}, negative{customers, profit}}, top[…], bottom[…] (customerId, grossSales,
  discounts, returns, netRevenue, cogs, fulfilmentCost, serviceCost, campaignCost, profit, marginRatio,
  orders, firstOrder, profitableSince), warnings

Examples:
  clientele profit --service-cost 4.50 --order-cost 1.20 --return-cost 6
  clientele profit --as-of 2024-12-31 --top 20 --json`,
  options: {
    'as-of': { type: 'string' },
    'service-cost': { type: 'string' },
    'order-cost': { type: 'string' },
    'shipping-cost': { type: 'string' },
    'return-cost': { type: 'string' },
    'campaign-event': { type: 'string' },
    top: { type: 'string' },
  },
  async run(ctx) {
    const money = (flag: string): number => {
      const raw = ctx.values[flag];
      const value = raw === undefined ? 0 : Number(raw);
      if (!Number.isFinite(value) || value < 0)
        throw new InputError(
          `--${flag}: expected an amount ≥ 0 in the datamart's currency, got ${JSON.stringify(raw)}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      return value;
    };
    const cost = {
      perServiceContact: money('service-cost'),
      perOrder: money('order-cost'),
      shippingPerOrder: money('shipping-cost'),
      perReturn: money('return-cost'),
    };
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
        cost,
        campaignCostEvent:
          typeof ctx.values['campaign-event'] === 'string' ? ctx.values['campaign-event'] : undefined,
        top,
      });
      progress.done();
      const t = r.totals;
      const f = ctx.out.fmt;
      ctx.out.line(
        `Profit as of ${f.date(r.asOf)} over ${ctx.out.fmt.int(r.customers)} customers (${ctx.out.fmt.int(r.buyers)} buyers): ${f.money(t.profit, 2)} from net revenue ${f.money(t.netRevenue, 2)} (gross sales ${f.money(t.grossSales, 2)} − discounts ${f.money(t.discounts, 2)} − returns ${f.money(t.returns, 2)}); costs: goods ${f.money(t.cogs, 2)}, fulfilment ${f.money(t.fulfilmentCost, 2)}, service ${f.money(t.serviceCost, 2)}, campaigns ${f.money(t.campaignCost, 2)}`,
      );
      ctx.out.line(
        `Cost to serve: ${r.cost.perOrder} per order, ${r.cost.shippingPerOrder} shipping per order, ${r.cost.perReturn} per return, ${r.cost.perServiceContact} per service contact, campaign contacts (${r.cost.campaignCostEvent}) at their campaign's cost per contact.`,
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
        `${ctx.out.fmt.int(r.pareto.negative.customers)} customers lose money (together ${f.money(r.pareto.negative.profit, 2)}); the most profitable ${(r.pareto.peak.customerShare * 100).toFixed(1)}% earn ${(r.pareto.peak.profitShare * 100).toFixed(1)}% of the profit.`,
      );
      const show = (rows: typeof r.top) =>
        rows.map((x) => ({
          customer: x.customerId,
          netRevenue: x.netRevenue,
          profit: x.profit,
          margin: x.marginRatio === null ? null : Number(x.marginRatio.toFixed(3)),
          orders: x.orders,
          profitableSince: x.profitableSince,
        }));
      ctx.out.line('Most profitable:');
      const money = ['netRevenue', 'profit'];
      ctx.out.table(show(r.top), { money });
      ctx.out.line('Least profitable (loss-makers first):');
      ctx.out.table(show(r.bottom), { money });
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      return r;
    } finally {
      await engine.close();
    }
  },
};
