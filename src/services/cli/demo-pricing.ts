import { elasticities, whatIf } from '../../analytics/pricing/index.js';
import type { Engine } from '../../store/index.js';
import type { DemoStep } from './demo-steps.js';

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Price elasticity per category next to the planted values, and one what-if. */
export const pricingStep: DemoStep = {
  id: 'pricing',
  title: 'What-if on price: elasticities found vs planted, and a 10% cut in electronics',
  async run(engine: Engine, ctx) {
    const r = await elasticities(engine, { asOf: ctx.asOf });
    const planted = ctx.manifest.planted.elasticities ?? {};
    const rows = r.categories.map((c) => ({
      category: c.category,
      planted: planted[c.category] ?? null,
      found: c.supported ? r2(c.elasticity) : null,
      lower: c.supported ? r2(c.lower) : null,
      upper: c.supported ? r2(c.upper) : null,
      covered:
        c.supported && planted[c.category] !== undefined
          ? c.lower <= planted[c.category]! && planted[c.category]! <= c.upper
          : null,
    }));
    ctx.out.table(rows);
    const covered = rows.filter((x) => x.covered).length;
    ctx.out.line(`${covered} of ${rows.length} planted elasticities lie in their 95% interval.`);
    const w = await whatIf(engine, { asOf: ctx.asOf, category: 'Electronics', priceChange: -0.1 });
    ctx.out.line(w.summary);
    ctx.out.line('Try: clientele whatif --category Books --price-change +5% --db …');
    return { categories: rows, covered, whatif: { supported: w.supported, summary: w.summary } };
  },
};
