import {
  refreshSalesAggregates,
  SALES_DIMENSIONS,
  SALES_GRAINS,
  type SalesCube,
  type SalesDimension,
  type SalesGrain,
  type SalesParams,
  salesCube,
} from '../../../analytics/sales/index.js';
import { InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag, intFlag } from './analytics-args.js';

/** Amounts of money in the sales tables (shown with the currency outside English). */
const SALES_MONEY = ['revenue', 'margin', 'aov'];

export const salesCommand: Command = {
  name: 'sales',
  summary:
    'the sales cube: revenue, orders, customers, units, margin, AOV by any dimension, vs previous period and last year',
  usage: `Usage: clientele sales [--by product|category|channel|promo|weekday|hour|region|country|segment]
         [--from DATE] [--to DATE] [--grain day|week|month] [--top N] [--refresh] [--json]

Net revenue (the overview's definition: order lines net of discounts and returns, less order-level discounts
beyond them; cancelled orders left out), orders, customers, units (net of returns), margin (revenue − cost of
goods) and average order value in the window [--from, --to) (default: the 30 days before the day after the
last order), in total or per value of --by, each against the previous period of the same length and the same
dates a year earlier, with its share of revenue; the top movers against the previous period; and a trend by
--grain. Per product or category, an order's revenue is split over its lines pro rata, so rows add up to the
total; orders and customers are distinct counts per row. segment = the RFM segment (clientele rfm).

Speed: the cube reads a daily pre-aggregate (tables sales_daily and sales_fact) when it is up to date with
the data; \`clientele import\` rebuilds it, --refresh rebuilds it now. When it is missing or older than the
data, the figures come from the order lines (the same numbers, slower) and a warning says so. Distinct
customers are always exact: they are counted from the window's rows of sales_fact, never summed over days.

JSON fields: by, grain, windows{current, previous, lastYear{from, to}}, totals{current, previous, lastYear},
  rows[{key, current, previous, lastYear, share, change, changePct, changeLastYear, changeLastYearPct}]
  (measures: revenue, orders, customers, units, margin, aov), omitted, movers{up[], down[]},
  trend[{period, key, …measures}], warnings

Examples:
  clientele sales
  clientele sales --by category --from 2026-01-01 --to 2026-07-01 --grain month
  clientele sales --by promo --json
  clientele sales --refresh`,
  options: {
    by: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    grain: { type: 'string' },
    top: { type: 'string' },
    refresh: { type: 'boolean' },
  },
  async run(ctx) {
    const params = salesFlags(ctx);
    const refresh = ctx.values.refresh === true;
    const engine = await ctx.openDb({ readOnly: !refresh });
    try {
      if (refresh) {
        const r = await refreshSalesAggregates(engine);
        ctx.out.line(`Sales pre-aggregate rebuilt: ${r.fact} fact rows, ${r.daily} daily rows.`);
      }
      const c = await salesCube(engine, params);
      print(ctx, c);
      return c;
    } finally {
      await engine.close();
    }
  },
};

function salesFlags(ctx: CommandContext): Partial<SalesParams> {
  const out: Partial<SalesParams> = {};
  const by = ctx.values.by;
  if (by !== undefined) {
    if (!SALES_DIMENSIONS.includes(by as SalesDimension))
      throw new InputError(
        `sales: --by expected one of ${SALES_DIMENSIONS.join(', ')}, got ${JSON.stringify(by)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    out.by = by as SalesDimension;
  }
  const grain = ctx.values.grain;
  if (grain !== undefined) {
    if (!SALES_GRAINS.includes(grain as SalesGrain))
      throw new InputError(
        `sales: --grain expected one of ${SALES_GRAINS.join(', ')}, got ${JSON.stringify(grain)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    out.grain = grain as SalesGrain;
  }
  if (ctx.values.from !== undefined) out.from = dateFlag(ctx.values.from, 'from');
  if (ctx.values.to !== undefined) out.to = dateFlag(ctx.values.to, 'to');
  const top = intFlag(ctx, 'top', 1, 10_000);
  if (top !== undefined) out.top = top;
  return out;
}

const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const pct = (x: number | null) => (x === null ? '' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);

function print(ctx: CommandContext, c: SalesCube): void {
  const w = c.windows;
  const d = ctx.out.fmt.date;
  ctx.out.line(
    `Sales ${d(w.current.from)} … ${d(w.current.to)} (exclusive) vs previous ${d(w.previous.from)} … ${d(w.previous.to)} and last year ${d(w.lastYear.from)} … ${d(w.lastYear.to)}`,
  );
  const row = (label: string, m: SalesCube['totals']['current']) => ({
    window: label,
    revenue: r2(m.revenue),
    orders: m.orders,
    customers: m.customers,
    units: r2(m.units),
    margin: r2(m.margin),
    aov: r2(m.aov),
  });
  ctx.out.table(
    [
      row('current', c.totals.current),
      row('previous', c.totals.previous),
      row('last year', c.totals.lastYear),
    ],
    { money: SALES_MONEY },
  );
  if (c.by) {
    ctx.out.line(`By ${c.by}:`);
    ctx.out.table(
      c.rows.map((r) => ({
        [c.by as string]: r.key,
        revenue: r2(r.current.revenue),
        share: `${(r.share * 100).toFixed(1)}%`,
        vsPrevious: pct(r.changePct),
        vsLastYear: pct(r.changeLastYearPct),
        orders: r.current.orders,
        customers: r.current.customers,
        units: r2(r.current.units),
        margin: r2(r.current.margin),
        aov: r2(r.current.aov),
      })),
      { money: SALES_MONEY },
    );
    if (c.omitted) ctx.out.line(`(${c.omitted} more rows: --top N)`);
    const mv = (rs: typeof c.rows) =>
      rs.map((r) => `${r.key} ${r.change >= 0 ? '+' : ''}${r2(r.change)}`).join(', ');
    if (c.movers.up.length) ctx.out.line(`Top risers vs previous period: ${mv(c.movers.up)}`);
    if (c.movers.down.length) ctx.out.line(`Top fallers vs previous period: ${mv(c.movers.down)}`);
  }
  ctx.out.line(`(figures from the ${c.source})`);
  for (const warning of c.warnings) ctx.out.line(`Warning: ${warning}`);
}
