import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  evaluateHoldout,
  fitNbo,
  type NboParams,
  parseNboParams,
  recommendFor,
  requireKnownCustomers,
} from '../../../analytics/basket/index.js';
import { InputError, type Issue, inputErrorFromIssues } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';

export const recommendCommand: Command = {
  name: 'recommend',
  summary: 'next best offers per customer, with reasons; holdout evaluation against popularity',
  usage: `Usage: clientele recommend --as-of DATE (--customer ID… | --segment-sql "SELECT customer_id …" | --all) [options]
       clientele recommend --as-of DATE --evaluate [--horizon-days N] [options]

Learns from each customer's purchases before --as-of: association rules and item-to-item co-occurrence
(cosine) on per-customer baskets. Offers items the customer does not have yet, ranked by the estimated
chance of buying (or expected margin with --margin), each with its reason, e.g.
"bought A and B; 62% of such customers buy C, lift 3.1". Customers without history get popular items.

Options:
  --as-of DATE            learn from orders before DATE (required; nothing reads the clock)
  --lookback-days N       only the last N days before --as-of (default: all history)
  --customer ID           a customer to recommend for (repeatable)
  --segment-sql SQL       the customers returned by a read-only query (first column = customer_id)
  --all                   every customer
  --k N                   offers per customer (default 5)
  --margin                rank by expected margin (probability × (price − unit_cost))
  --repeat MODE           never (default) | repeatable (items listed by --repeatable) | always
  --repeatable SKU        an item that may be offered again (repeatable), e.g. consumables
  --level product|category, --category-depth N   what an item is (default product)
  --min-support S         rule support on customers (default 0.005); --min-confidence C (default 0.1)
  --out FILE.csv          export the offers (customer_id, rank, item, label, probability, score, source, reason)
  --evaluate              time-based holdout: hit rate@k and precision@k on [as-of, as-of + horizon)
                          against a popularity baseline
  --horizon-days N        holdout length for --evaluate (default 90)

JSON (offers): asOf, seconds, customers, warnings, recommendations[] = { customerId, history,
  offers[] = { item, label, probability, score, source, because, lift, reason } }, exported (path or null)
JSON (--evaluate): asOf, to, k, customers, coldStart, model { hitRate, precision, recall },
  popularity { hitRate, precision, recall }, hitRateLift, warnings, seconds

Examples:
  clientele recommend --as-of 2025-01-01 --customer C00042
  clientele recommend --as-of 2025-01-01 --segment-sql "SELECT customer_id FROM customers WHERE region = 'North'" --out offers.csv
  clientele recommend --as-of 2024-10-01 --evaluate --horizon-days 90 --json`,
  options: {
    'as-of': { type: 'string' },
    'lookback-days': { type: 'string' },
    customer: { type: 'string', multiple: true },
    'segment-sql': { type: 'string' },
    all: { type: 'boolean', default: false },
    k: { type: 'string' },
    margin: { type: 'boolean', default: false },
    repeat: { type: 'string' },
    repeatable: { type: 'string', multiple: true },
    level: { type: 'string' },
    'category-depth': { type: 'string' },
    'min-support': { type: 'string' },
    'min-confidence': { type: 'string' },
    out: { type: 'string' },
    evaluate: { type: 'boolean', default: false },
    'horizon-days': { type: 'string' },
  },
  async run(ctx) {
    const params = paramsFromFlags(ctx);
    const started = performance.now();
    const engine = await ctx.openDb({ readOnly: true });
    try {
      if (ctx.values.evaluate === true) {
        const horizon = wholeNumber(ctx, 'horizon-days') ?? 90;
        const progress = ctx.progress('Evaluating offers on the holdout');
        const r = await evaluateHoldout(engine, params, horizon);
        progress.done(`${r.customers} customers`);
        const seconds = (performance.now() - started) / 1000;
        if (!ctx.json) {
          ctx.out.line(
            `Holdout ${r.asOf} to ${r.to}: ${r.customers.toLocaleString('en')} customers with history bought something new (${r.coldStart} without history not evaluated).`,
          );
          ctx.out.table([
            {
              recommender: 'next best offer',
              [`hit rate@${r.k}`]: pct(r.model.hitRate),
              [`precision@${r.k}`]: pct(r.model.precision),
              [`recall@${r.k}`]: pct(r.model.recall),
            },
            {
              recommender: 'popularity',
              [`hit rate@${r.k}`]: pct(r.popularity.hitRate),
              [`precision@${r.k}`]: pct(r.popularity.precision),
              [`recall@${r.k}`]: pct(r.popularity.recall),
            },
          ]);
          ctx.out.line(`Hit rate ${r.hitRateLift.toFixed(2)}× the popularity baseline.`);
          for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
        }
        return { ...r, seconds };
      }
      const customers = await selectCustomers(ctx, engine);
      const progress = ctx.progress('Learning offers');
      const fitted = await fitNbo(engine, params);
      const recs = recommendFor(fitted, customers, params);
      progress.done(`${recs.length} customers`);
      const out = typeof ctx.values.out === 'string' ? ctx.values.out : null;
      if (out) await writeFile(out, toCsv(recs));
      const seconds = (performance.now() - started) / 1000;
      if (!ctx.json) {
        for (const r of recs.slice(0, 20)) {
          ctx.out.line(`${r.customerId} (${r.history} items bought before ${params.asOf}):`);
          for (const [i, o] of r.offers.entries()) ctx.out.line(`  ${i + 1}. ${o.label} — ${o.reason}`);
        }
        if (recs.length > 20)
          ctx.out.line(
            `… ${recs.length - 20} more customers${out ? '' : ' (--out FILE.csv or --json for all)'}`,
          );
        if (out) ctx.out.line(`Exported ${recs.length} customers' offers to ${out}`);
        for (const w of fitted.warnings) ctx.out.line(`Warning: ${w}`);
      }
      return {
        asOf: params.asOf,
        seconds,
        customers: recs.length,
        warnings: fitted.warnings,
        recommendations: recs,
        exported: out,
      };
    } finally {
      await engine.close();
    }
  },
};

async function selectCustomers(
  ctx: CommandContext,
  engine: Awaited<ReturnType<CommandContext['openDb']>>,
): Promise<string[]> {
  const ids = Array.isArray(ctx.values.customer) ? (ctx.values.customer as string[]) : [];
  const segment = typeof ctx.values['segment-sql'] === 'string' ? ctx.values['segment-sql'] : null;
  const all = ctx.values.all === true;
  const given = [ids.length > 0, segment !== null, all].filter(Boolean).length;
  if (given !== 1) {
    throw new InputError(
      `recommend: expected exactly one of --customer ID, --segment-sql SQL or --all, got ${given === 0 ? 'none' : 'several'}. Example: clientele recommend --as-of 2025-01-01 --customer C00042`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const known = await engine.query(
    'SELECT customer_id FROM customers UNION SELECT customer_id FROM orders ORDER BY 1',
  );
  const knownIds = known.map((r) => String(r.customer_id));
  if (all) return knownIds;
  if (segment !== null) {
    // The datamart is open read-only, so the segment query cannot change anything.
    const rows = await engine.query(segment);
    const first = rows[0] ? Object.keys(rows[0])[0] : undefined;
    return first === undefined ? [] : [...new Set(rows.map((r) => String(r[first])))];
  }
  requireKnownCustomers(new Set(knownIds), ids);
  return ids;
}

function paramsFromFlags(ctx: CommandContext): NboParams {
  const v = ctx.values;
  const issues: Issue[] = [];
  const num = (flag: string): number | undefined => {
    const text = v[flag];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(n)) {
      issues.push({ where: `--${flag}`, message: `expected a number, got "${text}"` });
      return undefined;
    }
    return n;
  };
  const raw: Partial<NboParams> = {
    asOf: typeof v['as-of'] === 'string' ? v['as-of'] : undefined,
    lookbackDays: num('lookback-days'),
    k: num('k'),
    minSupport: num('min-support'),
    minConfidence: num('min-confidence'),
    categoryDepth: num('category-depth'),
    weightByMargin: v.margin === true,
    repeat: typeof v.repeat === 'string' ? (v.repeat as NboParams['repeat']) : undefined,
    repeatable: Array.isArray(v.repeatable) ? (v.repeatable as string[]) : undefined,
    level:
      v.level === undefined
        ? v['category-depth'] !== undefined
          ? 'category'
          : undefined
        : (v.level as NboParams['level']),
  };
  if (issues.length) throw inputErrorFromIssues('recommend: invalid options:', issues);
  if (raw.asOf === undefined) {
    throw new InputError(
      'recommend: expected --as-of DATE (the date to learn up to), got nothing. Example: --as-of 2025-01-01',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return parseNboParams(raw);
}

function wholeNumber(ctx: CommandContext, flag: string): number | undefined {
  const text = ctx.values[flag];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError(
      `--${flag}: expected a whole number ≥ 1, got "${text}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return n;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function toCsv(recs: ReturnType<typeof recommendFor>): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ['customer_id,rank,item,label,probability,score,source,reason'];
  for (const r of recs) {
    for (const [i, o] of r.offers.entries()) {
      lines.push(
        [
          q(r.customerId),
          i + 1,
          q(o.item),
          q(o.label),
          o.probability.toFixed(6),
          o.score.toFixed(6),
          o.source,
          q(o.reason),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
