import { performance } from 'node:perf_hooks';
import { type BasketParams, METRICS, mineItemsets, mineRules } from '../../../analytics/basket/index.js';
import { InputError, type Issue, inputErrorFromIssues } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { loadSourceBaskets, SOURCE_OPTIONS, SOURCE_USAGE } from './basket-source.js';

export const basketCommand: Command = {
  name: 'basket',
  summary: 'association rules and frequent itemsets (market-basket analysis)',
  usage: `Usage: clientele basket rules    [source] [--min-support S] [--min-confidence C] [options] [--json]
       clientele basket itemsets [source] [--min-support S] [--only closed|maximal] [--json]

Mines frequent itemsets with FP-Growth and association rules with R arules' semantics: an itemset is
frequent when its count ≥ support × N (exact), a rule is kept when count(lhs ∪ rhs) / count(lhs) ≥ confidence
(compared on integer counts). Rules have one item on the right unless --multi-rhs.

Rule options:
  --min-support S        minimum support, 0–1 (default 0.01)
  --min-confidence C     minimum confidence, 0–1 (default 0.5)
  --min-length N         minimum items in lhs + rhs (default 1, as arules: {} => {x} rules included)
  --max-length N         maximum items in lhs + rhs (default 10)
  --multi-rhs            allow several items on the right-hand side (mlxtend's rule set)
  --consequent ITEM      only rules with ITEM on the right, mined directly (fast): "what leads to ITEM"
  --antecedent ITEM      only rules with ITEM on the left, mined directly: "what sells with ITEM"
  --remove-redundant     drop rules whose more general rule (same rhs) has the same or higher confidence
  --where EXPR           filter on any metric, repeatable: "lift>=2", "conviction>1.5"
                         metrics: ${METRICS.join(', ')}
  --sort METRIC          order of the rules, descending (default lift)
  --limit N              show at most N rules (default 20 on screen, all with --json)
  --max-memory-mb N      memory guard for mining (default 2048): fails with MEMORY_LIMIT instead of exhausting memory
Itemset options: --min-support, --min-length, --max-length, --containing ITEM, --only all|closed|maximal, --limit

${SOURCE_USAGE}

JSON (rules): count (rules found), returned (after --limit), seconds, loadSeconds, mineSeconds, transactions, minCount, itemsets, generated, redundant,
  source, params, warnings, rules[] = { lhs, rhs, support, confidence, lift, count, coverage, leverage,
  conviction (null when infinite), zhang, kulczynski, jaccard }
JSON (itemsets): count, seconds, transactions, minCount, bySize, itemsets[] = { items, count, support, closed, maximal }

Examples:
  clientele basket rules --file groceries.csv --min-support 0.001 --min-confidence 0.8
  clientele basket rules --consequent "bottled beer" --min-support 0.001 --min-confidence 0.5 --json
  clientele basket rules --level category --category-depth 2 --per customer --from 2025-01-01 --where "lift>=2"
  clientele basket itemsets --file groceries.csv --min-support 0.01 --only maximal`,
  options: {
    ...SOURCE_OPTIONS,
    'min-support': { type: 'string' },
    'min-confidence': { type: 'string' },
    'min-length': { type: 'string' },
    'max-length': { type: 'string' },
    'multi-rhs': { type: 'boolean', default: false },
    consequent: { type: 'string' },
    antecedent: { type: 'string' },
    containing: { type: 'string' },
    'remove-redundant': { type: 'boolean', default: false },
    where: { type: 'string', multiple: true },
    sort: { type: 'string' },
    limit: { type: 'string' },
    only: { type: 'string' },
    'max-memory-mb': { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub === 'rules') return runRules(ctx);
    if (sub === 'itemsets') return runItemsets(ctx);
    throw new InputError(
      `clientele basket: expected a subcommand, rules or itemsets, got ${sub ? `"${sub}"` : 'nothing'}. Run \`clientele basket --help\`.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  },
};

/** Reads the numeric flags into basket params; the params parser reports range problems. */
function paramsFromFlags(ctx: CommandContext): Partial<BasketParams> {
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
  const p: Partial<BasketParams> = {
    minSupport: num('min-support'),
    minConfidence: num('min-confidence'),
    minLength: num('min-length'),
    maxLength: num('max-length'),
    memoryLimitMb: num('max-memory-mb'),
    limit: num('limit'),
  };
  if (issues.length) throw inputErrorFromIssues('basket: invalid options:', issues);
  if (v['multi-rhs'] === true) p.multiRhs = true;
  if (v['remove-redundant'] === true) p.removeRedundant = true;
  if (typeof v.consequent === 'string') p.consequent = v.consequent;
  if (typeof v.antecedent === 'string') p.antecedent = v.antecedent;
  if (Array.isArray(v.where)) p.filters = v.where as never;
  if (typeof v.sort === 'string') p.sortBy = v.sort as never;
  for (const k of Object.keys(p) as (keyof BasketParams)[]) if (p[k] === undefined) delete p[k];
  return p;
}

async function runRules(ctx: CommandContext): Promise<unknown> {
  const params = paramsFromFlags(ctx);
  const started = performance.now();
  const loaded = await loadSourceBaskets(ctx, params.minSupport ?? 0.01);
  const mining = ctx.progress('Mining rules');
  const t = performance.now();
  // The limit applies to what is shown; `count` reports every rule found.
  const { limit, ...mined } = params;
  const result = mineRules(loaded.tx, mined);
  const mineSeconds = (performance.now() - t) / 1000;
  mining.done(`${result.rules.length.toLocaleString('en')} rules`);
  const seconds = (performance.now() - started) / 1000;
  const shown = result.rules.slice(0, limit ?? (ctx.json ? undefined : 20));
  if (!ctx.json) {
    ctx.out.line(
      `${result.rules.length.toLocaleString('en')} rules from ${result.transactions.toLocaleString('en')} baskets (support ≥ ${result.params.minSupport} = count ≥ ${result.minCount}, confidence ≥ ${result.params.minConfidence}; ${result.itemsets.toLocaleString('en')} frequent itemsets${result.redundant ? `, ${result.redundant} redundant rules removed` : ''}) in ${seconds.toFixed(2)} s`,
    );
    ctx.out.line(`Rule length (lhs + rhs): ${formatLengths(result.rules)}`);
    ctx.out.line();
    ctx.out.table(
      shown.map((r) => ({
        lhs: `{${r.lhs.join(', ')}}`,
        rhs: `{${r.rhs.join(', ')}}`,
        support: round(r.support),
        confidence: round(r.confidence),
        lift: round(r.lift),
        count: r.count,
      })),
    );
    if (shown.length < result.rules.length)
      ctx.out.line(`(first ${shown.length}; --limit N or --json for more)`);
    for (const w of loaded.warnings) ctx.out.line(`Warning: ${w}`);
  }
  return {
    count: result.rules.length,
    seconds,
    loadSeconds: loaded.loadSeconds,
    mineSeconds,
    transactions: result.transactions,
    minCount: result.minCount,
    itemsets: result.itemsets,
    generated: result.generated,
    redundant: result.redundant,
    source: loaded.source,
    params: result.params,
    warnings: loaded.warnings,
    returned: shown.length,
    rules: shown.map((r) => ({
      lhs: r.lhs,
      rhs: r.rhs,
      support: r.support,
      confidence: r.confidence,
      lift: r.lift,
      count: r.count,
      coverage: r.coverage,
      leverage: r.leverage,
      conviction: r.conviction,
      zhang: r.zhang,
      kulczynski: r.kulczynski,
      jaccard: r.jaccard,
    })),
  };
}

async function runItemsets(ctx: CommandContext): Promise<unknown> {
  const params = paramsFromFlags(ctx);
  const only = ctx.values.only ?? 'all';
  if (only !== 'all' && only !== 'closed' && only !== 'maximal') {
    throw new InputError(
      `--only: expected all, closed or maximal, got "${only}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const started = performance.now();
  const loaded = await loadSourceBaskets(ctx, params.minSupport ?? 0.01);
  const result = mineItemsets(loaded.tx, {
    minSupport: params.minSupport,
    minLength: params.minLength,
    maxLength: params.maxLength,
    memoryLimitMb: params.memoryLimitMb,
    containing: typeof ctx.values.containing === 'string' ? ctx.values.containing : undefined,
    only,
  });
  const seconds = (performance.now() - started) / 1000;
  const limit = params.limit ?? (ctx.json ? undefined : 20);
  const shown = limit === undefined ? result.itemsets : result.itemsets.slice(0, limit);
  if (!ctx.json) {
    ctx.out.line(
      `${result.itemsets.length.toLocaleString('en')} ${only === 'all' ? '' : `${only} `}frequent itemsets in ${result.transactions.toLocaleString('en')} baskets (count ≥ ${result.minCount}) in ${seconds.toFixed(2)} s`,
    );
    ctx.out.line(
      `By size: ${Object.entries(result.bySize)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')}`,
    );
    ctx.out.line();
    ctx.out.table(
      shown.map((s) => ({ items: `{${s.items.join(', ')}}`, support: round(s.support), count: s.count })),
    );
    if (shown.length < result.itemsets.length)
      ctx.out.line(`(first ${shown.length}; --limit N or --json for more)`);
  }
  return {
    count: result.itemsets.length,
    seconds,
    transactions: result.transactions,
    minCount: result.minCount,
    bySize: result.bySize,
    source: loaded.source,
    warnings: loaded.warnings,
    itemsets: shown,
  };
}

function formatLengths(rules: readonly { lhs: string[]; rhs: string[] }[]): string {
  const d = new Map<number, number>();
  for (const r of rules) d.set(r.lhs.length + r.rhs.length, (d.get(r.lhs.length + r.rhs.length) ?? 0) + 1);
  return (
    [...d.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ') || 'none'
  );
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
