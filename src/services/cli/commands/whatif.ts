import {
  elasticities,
  localizeElasticities,
  localizeWhatIf,
  type PricingParams,
  whatIf,
} from '../../../analytics/pricing/index.js';
import { BREAK_EVEN_BY, type BreakEvenBy, breakEven } from '../../../analytics/profit/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { asOfFlag, dateFlag, intFlag } from './analytics-args.js';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const money = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 0 });

export const whatifCommand: Command = {
  name: 'whatif',
  summary: 'price elasticity per category/product and what a price change does to units, revenue and margin',
  usage: `Usage: clientele whatif (--category NAME | --product SKU) --price-change -10%
                        [--as-of DATE] [--level 0.95] [--history-weeks 156] [--base-weeks 52] [--json]
       clientele whatif --elasticities [--as-of DATE] [--level 0.95] [--json]
       clientele whatif --break-even segment|cohort [--as-of DATE] [--json]

Price elasticity of units per top-level category, learned from (product, week) sums of the order lines: a
log-log (Poisson) model of units on the shelf price with one level per product, month effects (season and
drift), the share of lines on promotion-code orders and the shop's weekly orders as controls; products with
enough selling weeks get their own estimate, pulled toward their category (empirical Bayes).
--price-change simulates the change over the last --base-weeks whole weeks: units, net revenue and margin
with the interval of the elasticity carried through. When the data cannot support an answer (too few weeks,
prices that never moved, an estimate too uncertain) it says so and why instead of giving a number.
--break-even shows when customers became profitable (profit's profitable_since), per RFM segment or per
acquisition quarter.

JSON fields: whatif: asOf, level, name, category, priceChange, supported, reason, elasticitySource,
  elasticity{elasticity, se, lower, upper}, intervalLevel, baseline{from, to, weeks, units, revenue, cost},
  simulated{units, revenue, margin: {value, lower, upper}}, summary, warnings
  --elasticities: asOf, from, to, level, categories[…], products[…], warnings
  --break-even: asOf, by, rows[{group, customers, profitable, profitableShare, daysToProfit{p25, median, p75},
  profitableAtFirstOrder, profitPerCustomer}], warnings

Examples:
  clientele whatif --category Electronics --price-change -10%
  clientele whatif --product EPH-001 --price-change +5% --json
  clientele whatif --elasticities --level 0.9
  clientele whatif --break-even cohort`,
  options: {
    category: { type: 'string' },
    product: { type: 'string' },
    'price-change': { type: 'string' },
    elasticities: { type: 'boolean' },
    'break-even': { type: 'string' },
    'as-of': { type: 'string' },
    level: { type: 'string' },
    'history-weeks': { type: 'string' },
    'base-weeks': { type: 'string' },
  },
  async run(ctx) {
    const params: Partial<PricingParams> = {};
    if (ctx.values['as-of'] !== undefined) params.asOf = dateFlag(ctx.values['as-of'], 'as-of');
    if (ctx.values.level !== undefined) {
      const level = Number(ctx.values.level);
      if (!(level >= 0.5 && level <= 0.999))
        throw new InputError(
          `whatif: --level expected a number 0.5–0.999 such as 0.95, got ${JSON.stringify(ctx.values.level)}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      params.level = level;
    }
    const history = intFlag(ctx, 'history-weeks', 8, 1040);
    if (history !== undefined) params.historyWeeks = history;
    const baseWeeks = intFlag(ctx, 'base-weeks', 1, 520);
    if (baseWeeks !== undefined) params.baseWeeks = baseWeeks;
    const breakEvenBy = ctx.values['break-even'];
    const listMode = ctx.values.elasticities === true;
    if (breakEvenBy === undefined && !listMode && ctx.values['price-change'] === undefined)
      throw new InputError(
        'whatif: expected --price-change (with --category or --product), --elasticities or --break-even. See clientele whatif --help.',
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb({ readOnly: true });
    try {
      if (breakEvenBy !== undefined) {
        if (!BREAK_EVEN_BY.includes(breakEvenBy as BreakEvenBy))
          throw new InputError(
            `whatif: --break-even expected one of ${BREAK_EVEN_BY.join(', ')}, got ${JSON.stringify(breakEvenBy)}.`,
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        const r = await breakEven(engine, {
          asOf: await asOfFlag(ctx, engine),
          by: breakEvenBy as BreakEvenBy,
        });
        ctx.out.line(
          `Break-even per ${r.by === 'cohort' ? 'acquisition quarter' : 'RFM segment'} (data up to ${r.asOf})`,
        );
        ctx.out.table(
          r.rows.map((x) => ({
            [r.by]: x.group,
            customers: x.customers,
            profitable: `${(x.profitableShare * 100).toFixed(1)}%`,
            atFirstOrder: `${(x.profitableAtFirstOrder * 100).toFixed(1)}%`,
            medianDays: x.daysToProfit.median,
            p75Days: x.daysToProfit.p75,
            profitPerCustomer: Number(x.profitPerCustomer.toFixed(2)),
          })),
          { maxRows: 200 },
        );
        for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
        return r;
      }
      if (listMode) {
        const progress = ctx.progress('elasticities');
        const r = localizeElasticities(await elasticities(engine, params), ctx.lang);
        progress.done();
        ctx.out.line(
          `Price elasticity of units, weeks ${r.from} … ${r.to} (${Math.round(r.level * 100)}% intervals)`,
        );
        ctx.out.table(
          r.categories.map((c) => ({
            category: c.category,
            elasticity: c.supported ? Number(c.elasticity.toFixed(2)) : '',
            lower: c.supported ? Number(c.lower.toFixed(2)) : '',
            upper: c.supported ? Number(c.upper.toFixed(2)) : '',
            weeks: c.weeks,
            products: c.products,
            priceMoves: `${(c.priceVariation * 100).toFixed(1)}%`,
            note: c.reason ?? '',
          })),
        );
        ctx.out.line(
          `Products with their own (pooled) estimate: ${r.products.length}; the first 15 by units:`,
        );
        ctx.out.table(
          r.products.slice(0, 15).map((p) => ({
            sku: p.sku,
            category: p.category,
            elasticity: Number(p.elasticity.toFixed(2)),
            lower: Number(p.lower.toFixed(2)),
            upper: Number(p.upper.toFixed(2)),
            ownEstimate: Number(p.raw.toFixed(2)),
            pooledToCategory: `${(p.shrinkage * 100).toFixed(0)}%`,
          })),
        );
        for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
        return r;
      }
      const category = ctx.values.category as string | undefined;
      const product = ctx.values.product as string | undefined;
      const progress = ctx.progress('whatif');
      const r = localizeWhatIf(
        await whatIf(engine, {
          ...params,
          ...(category !== undefined ? { category } : {}),
          ...(product !== undefined ? { product } : {}),
          priceChange: String(ctx.values['price-change']),
        }),
        ctx.lang,
      );
      progress.done();
      ctx.out.line(r.summary);
      const b = r.baseline;
      if (r.supported && r.simulated && r.elasticity) {
        const e = r.elasticity;
        ctx.out.line(
          `Elasticity ${e.elasticity.toFixed(2)} (${Math.round(r.intervalLevel * 100)}% interval ${e.lower.toFixed(2)} … ${e.upper.toFixed(2)}), from the ${r.elasticitySource}'s estimate. Baseline: ${b.from} … ${b.to} (${b.weeks} weeks).`,
        );
        const s = r.simulated;
        const row = (what: string, base: number, x: { value: number; lower: number; upper: number }) => ({
          figure: what,
          baseline: money(base),
          simulated: money(x.value),
          change: pct(x.value / base - 1),
          lower: money(x.lower),
          upper: money(x.upper),
        });
        const rows = [row('units', b.units, s.units), row('net revenue', b.revenue, s.revenue)];
        if (s.margin && b.cost !== null) rows.push(row('margin', b.revenue - b.cost, s.margin));
        ctx.out.table(rows);
      }
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      return r;
    } finally {
      await engine.close();
    }
  },
};
