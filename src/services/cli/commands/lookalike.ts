import { findLookalikes, type LookalikeMethod } from '../../../analytics/predict/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { intFlag } from './analytics-args.js';

export const lookalikeCommand: Command = {
  name: 'lookalike',
  summary: 'find customers or prospects who look like a seed segment ("statistical twins")',
  usage: `Usage: clientele lookalike --seed "EXPR" [--target "EXPR"] [--method classifier|neighbours] [--k N]
                           [--top N] [--seed-value S] [--json]

Scores every customer of the target population (default: everyone outside the seed) by similarity to the seed
segment, over the customer feature table (build it first: clientele features build --as-of DATE).
classifier: out-of-fold probability of a seed-vs-population model, banded against the seed's own scores
(very similar ≥ seed median, similar ≥ 25th percentile, somewhat similar ≥ 10th). neighbours: mean distance
to the k nearest seed members in standardised feature space. Both list the features that drive similarity.

JSON: method, seedSize, populationSize, separation (classifier AUC seed vs population, null for neighbours),
  bands[{band, customers}], drivers[{feature, importance, seedMean, populationMean}],
  rows[{customerId, similarity, band}], warnings

Example:
  clientele lookalike --seed "rfm_segment = 'Champions'" --target "is_prospect = true" --top 50`,
  options: {
    seed: { type: 'string' },
    target: { type: 'string' },
    method: { type: 'string' },
    k: { type: 'string' },
    top: { type: 'string' },
    'seed-value': { type: 'string' },
  },
  async run(ctx) {
    const seed = ctx.values.seed;
    if (typeof seed !== 'string' || !seed.trim())
      throw new InputError(
        `clientele lookalike: expected --seed "EXPR", got nothing. Example: clientele lookalike --seed "orders >= 5"`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const method = (ctx.values.method ?? 'classifier') as string;
    if (method !== 'classifier' && method !== 'neighbours')
      throw new InputError(
        `--method: expected classifier or neighbours, got "${method}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('Lookalikes');
      const r = await findLookalikes(engine, {
        seed,
        target: typeof ctx.values.target === 'string' ? ctx.values.target : undefined,
        method: method as LookalikeMethod,
        k: intFlag(ctx, 'k', 1, 100),
        top: intFlag(ctx, 'top', 1, 1_000_000) ?? 100,
        seedValue: intFlag(ctx, 'seed-value', 0, 2 ** 32 - 1),
      });
      progress.done();
      if (!ctx.json) {
        ctx.out.line(
          `Seed ${r.seedSize} customers, population ${r.populationSize}${r.separation === null ? '' : `; seed vs population AUC ${r.separation.toFixed(3)}`}.`,
        );
        ctx.out.table(r.bands);
        ctx.out.line('\nWhat drives similarity:');
        ctx.out.table(r.drivers);
        ctx.out.line('\nMost similar:');
        ctx.out.table(r.rows, { maxRows: 20 });
        for (const w of r.warnings) ctx.out.line(`warning: ${w}`);
      }
      return r;
    } finally {
      await engine.close();
    }
  },
};
