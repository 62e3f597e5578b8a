import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import {
  analyseBehaviours,
  clusterCustomers,
  parseBehaviourRules,
} from '../../../analytics/clusters/index.js';
import { ConfigError, InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag, intFlag, pct } from './analytics-args.js';

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'k-means / k-prototypes customer clusters with generated names; behaviour groups',
  usage: `Usage: clientele cluster [--k N] [--k-min N] [--k-max N] [--features LIST] [--categorical LIST]
                        [--seed N] [--n-init N] [--max-iter N] [--transform auto|none|log1p] [--threads N]
                        [--no-save] [--json]
       clientele cluster behaviours --rules FILE [--as-of DATE] [--json]

Clusters the customers of customer_features (buyers only) with k-means (k-means++ seeding, n-init
restarts) on standardised features, log1p-transforming skewed ones; k is chosen by silhouette on a sample
unless --k is given. With --categorical it runs k-prototypes (numeric distance + γ × mismatches).
The restarts run on worker threads (--threads N; default: the machine's cores), with the same result for
any N. Every cluster is profiled and named from its most distinguishing features. Assignments are written to
customer_clusters (customer_id, cluster, cluster_name, as_of) unless --no-save.

Default features: recency_days, orders, revenue, aov, tenure_days, promo_share, return_rate, email_open_rate.

behaviours evaluates behaviour rules (JSON/YAML), e.g.
  behaviours:
    - name: Women after catalog
      purchase: { category: Women }
      after: { campaignChannel: post, withinDays: 30 }
and prints how many customers show each, which go together (lift), and their spread over RFM segments
and clusters.

JSON: asOf, customers, k, chosenBy, silhouettes[{k, silhouette}], inertia, iterations, converged,
  transforms[{feature, transform}], clusters[{cluster, name, size, share, features[{feature, mean, baseMean, z}],
  modes[{attribute, value, share, baseShare}]}], state (the model), saved, warnings
JSON (behaviours): asOf, customers, behaviours[{name, customers, share}], cooccurrence[{a, b, both, lift}],
  byGroup[{dimension, group, customers, behaviours{name: count}}]

Examples:
  clientele cluster
  clientele cluster --k 5 --features recency_days,orders,revenue,promo_share --json
  clientele cluster --categorical gender,income_band
  clientele cluster behaviours --rules behaviours.yaml`,
  options: {
    k: { type: 'string' },
    'k-min': { type: 'string' },
    'k-max': { type: 'string' },
    features: { type: 'string' },
    categorical: { type: 'string' },
    seed: { type: 'string' },
    'n-init': { type: 'string' },
    'max-iter': { type: 'string' },
    threads: { type: 'string' },
    transform: { type: 'string' },
    'no-save': { type: 'boolean', default: false },
    rules: { type: 'string' },
    'as-of': { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub !== undefined && sub !== 'behaviours')
      throw new InputError(
        `clientele cluster: expected no subcommand or "behaviours", got "${sub}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      if (sub === 'behaviours') return await behaviours(ctx, engine);
      const progress = ctx.progress('cluster');
      const list = (flag: string) =>
        ctx.values[flag] === undefined
          ? undefined
          : String(ctx.values[flag])
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      const result = await clusterCustomers(
        engine,
        {
          k: intFlag(ctx, 'k', 1, 50) ?? null,
          kMin: intFlag(ctx, 'k-min', 2, 50),
          kMax: intFlag(ctx, 'k-max', 2, 50),
          features: list('features'),
          categorical: list('categorical'),
          seed: intFlag(ctx, 'seed', 0, 2 ** 31),
          nInit: intFlag(ctx, 'n-init', 1, 100),
          maxIter: intFlag(ctx, 'max-iter', 1, 10_000),
          transform: ctx.values.transform as 'auto' | 'none' | 'log1p' | undefined,
        },
        {
          save: ctx.values['no-save'] !== true,
          onProgress: (step) => progress.update(0, step),
          ...(ctx.values.threads === undefined ? {} : { threads: intFlag(ctx, 'threads', 1, 64) }),
        },
      );
      progress.done();
      ctx.out.line(
        `${ctx.out.fmt.int(result.customers)} customers as of ${result.asOf} in ${result.k} clusters (${result.chosenBy === 'silhouette' ? 'k chosen by silhouette' : 'k given'}; inertia ${result.inertia.toFixed(1)}, ${result.iterations} iterations).`,
      );
      if (result.silhouettes.length > 1) {
        ctx.out.line('Silhouette by k (sample):');
        ctx.out.table(
          result.silhouettes.map((s) => ({
            k: s.k,
            silhouette: Number(s.silhouette.toFixed(3)),
            chosen: s.k === result.k ? '←' : '',
          })),
        );
      }
      ctx.out.line('\nClusters:');
      ctx.out.table(
        result.clusters.map((c) => ({
          cluster: c.cluster,
          name: c.name,
          customers: c.size,
          share: pct(c.share),
          ...Object.fromEntries(
            c.features
              .slice(0, 5)
              .map((f) => [f.feature, f.mean === null ? null : Number(f.mean.toPrecision(3))]),
          ),
        })),
      );
      for (const w of result.warnings) ctx.out.line(`Note: ${w}`);
      if (result.saved !== null)
        ctx.out.line(`Assignments written to customer_clusters (${ctx.out.fmt.int(result.saved)} rows).`);
      return result;
    } finally {
      await engine.close();
    }
  },
};

async function behaviours(ctx: CommandContext, engine: Parameters<typeof analyseBehaviours>[0]) {
  const path = ctx.values.rules;
  if (typeof path !== 'string')
    throw new InputError(
      'clientele cluster behaviours: expected --rules FILE (JSON or YAML behaviour rules).',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  let parsed: unknown;
  try {
    parsed = YAML.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(
      `--rules ${path}: could not read it as JSON or YAML: ${(cause as Error).message}`,
      { path },
      { cause },
    );
  }
  const rules = parseBehaviourRules(parsed);
  const result = await analyseBehaviours(
    engine,
    rules,
    ctx.values['as-of'] === undefined ? {} : { asOf: dateFlag(ctx.values['as-of'], 'as-of') },
  );
  ctx.out.line(`Behaviours as of ${result.asOf} over ${ctx.out.fmt.int(result.customers)} customers:`);
  ctx.out.table(
    result.behaviours.map((b) => ({ behaviour: b.name, customers: b.customers, share: pct(b.share) })),
  );
  if (result.cooccurrence.length) {
    ctx.out.line('\nTogether:');
    ctx.out.table(
      result.cooccurrence.map((p) => ({
        a: p.a,
        b: p.b,
        both: p.both,
        lift: p.lift === null ? null : Number(p.lift.toFixed(2)),
      })),
    );
  }
  for (const dim of ['rfm_segment', 'cluster'] as const) {
    const rows = result.byGroup.filter((g) => g.dimension === dim);
    if (!rows.length) continue;
    ctx.out.line(`\nBy ${dim === 'rfm_segment' ? 'RFM segment' : 'cluster'} (share of the group):`);
    ctx.out.table(
      rows.map((g) => ({
        [dim]: g.group,
        customers: g.customers,
        ...Object.fromEntries(
          Object.entries(g.behaviours).map(([k, v]) => [k, pct(g.customers ? v / g.customers : 0)]),
        ),
      })),
    );
  }
  return result;
}
