import { findLookalikes, type LookalikeMethod } from '../../../analytics/predict/index.js';
import { fieldLabel } from '../../../analytics/shared/field-labels.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { intFlag } from './analytics-args.js';

const MIN_BANDS = ['very similar', 'similar', 'somewhat similar'] as const;

export const lookalikeCommand: Command = {
  name: 'lookalike',
  summary: 'find prospects or customers who look like a seed segment ("statistical twins")',
  usage: `Usage: clientele lookalike --seed "EXPR" [--target "EXPR"] [--method classifier|neighbours] [--k N]
                           [--include COL,COL…] [--save NAME [--min-band BAND]] [--top N]
                           [--seed-value S] [--json]

Scores every member of the target population (default: everyone outside the seed) by how much they resemble the
seed segment, over the customer feature table (build it first: clientele features build --as-of DATE).

Features are chosen automatically and listed: only what the target population has (demographics, area data,
engagement), never the columns the seed expression uses, and no purchase history when the seed is defined by
purchases (orders, value, RFM). Dates are read as days before as_of, text codes as categories. Features and drivers are named in plain words
in --lang (the field dictionary).
classifier: ridge logistic of seed vs everybody else; neighbours: seed share among the k nearest (default 50).
The score is calibrated (isotonic, on held-out scores) into a twin rate: the seed share seen among people with
such a profile. Lift = twin rate ÷ the seed's base rate; bands are intervals of lift: very similar (≥ 2×),
similar (1.5–2×), somewhat similar (1–1.5×), not similar (< 1×). Each band shows the seed rate seen among the
held-out training rows it holds (inside its interval) and, as a check, with each half of them banded by a
calibration fitted on the other half.

--save NAME   store the twin rate as customer_scores column twins_NAME and a segment NAME holding the target
              members at --min-band or better (default similar)

JSON: method, seedSize, populationSize, trainingSize, separation, baseRate, features[{name, label, group, kind, description}],
  excluded[{name, reason}], bands[{band, customers, minLift, maxLift, observedSeedRate, checkedSeedRate}],
  drivers[{feature, label, importance, seedMean, populationMean, level, seedShare, populationShare, text}],
  rows[{customerId, similarity, lift, band}], saved, warnings

Example:
  clientele lookalike --seed "rfm_segment = 'Champions'" --target "is_prospect = true" --save champion_twins`,
  options: {
    seed: { type: 'string' },
    target: { type: 'string' },
    method: { type: 'string' },
    k: { type: 'string' },
    include: { type: 'string' },
    save: { type: 'string' },
    'min-band': { type: 'string' },
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
    const minBand = (ctx.values['min-band'] ?? 'similar') as string;
    if (!(MIN_BANDS as readonly string[]).includes(minBand))
      throw new InputError(
        `--min-band: expected one of ${MIN_BANDS.map((b) => `"${b}"`).join(', ')}, got "${minBand}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const include =
      typeof ctx.values.include === 'string'
        ? ctx.values.include
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : undefined;
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('Lookalikes');
      const r = await findLookalikes(engine, {
        seed,
        lang: ctx.lang,
        target: typeof ctx.values.target === 'string' ? ctx.values.target : undefined,
        method: method as LookalikeMethod,
        k: intFlag(ctx, 'k', 1, 1000),
        top: intFlag(ctx, 'top', 1, 10_000_000) ?? 100,
        seedValue: intFlag(ctx, 'seed-value', 0, 2 ** 32 - 1),
        ...(include ? { include } : {}),
        ...(typeof ctx.values.save === 'string'
          ? {
              save: {
                name: ctx.values.save,
                minBand: minBand as (typeof MIN_BANDS)[number],
                now: new Date(),
              },
            }
          : {}),
      });
      progress.done();
      if (!ctx.json) {
        ctx.out.line(
          `Seed ${r.seedSize} customers (${(100 * r.baseRate).toFixed(1)}% of the base), population ${r.populationSize}${r.separation === null ? '' : `; seed vs everybody else AUC ${r.separation.toFixed(3)}`}.`,
        );
        ctx.out.line(
          `Compared on: ${r.features.map((f) => `${f.label} (${f.name}, ${f.kind})`).join(', ')}.`,
        );
        if (r.excluded.length)
          ctx.out.line(
            `Left out: ${r.excluded
              .slice(0, 12)
              .map((e) => `${fieldLabel(e.name, ctx.lang)} [${e.name}] (${e.reason})`)
              .join(
                '; ',
              )}${r.excluded.length > 12 ? `; and ${r.excluded.length - 12} more (see --json)` : ''}.`,
          );
        ctx.out.line('');
        ctx.out.table(
          r.bands.map((b) => ({
            band: b.band,
            lift: b.maxLift === null ? `≥ ${b.minLift}×` : `${b.minLift}–${b.maxLift}×`,
            customers: b.customers,
            'seed rate (held out)':
              b.observedSeedRate === null
                ? ''
                : `${(100 * b.observedSeedRate).toFixed(1)}% (${(b.observedSeedRate / r.baseRate).toFixed(2)}×)`,
            'cross-checked':
              b.checkedSeedRate === null
                ? ''
                : `${(100 * b.checkedSeedRate).toFixed(1)}% (${(b.checkedSeedRate / r.baseRate).toFixed(2)}×)`,
          })),
        );
        ctx.out.line('\nWhat the seed has in common:');
        for (const d of r.drivers) ctx.out.line(`  - ${d.text}`);
        ctx.out.line('\nMost similar:');
        ctx.out.table(r.rows, { maxRows: 20 });
        if (r.saved)
          ctx.out.line(
            `\nSaved segment "${r.saved.segment}" (${r.saved.members} members): ${r.saved.expression}`,
          );
        for (const w of r.warnings) ctx.out.line(`warning: ${w}`);
      }
      return r;
    } finally {
      await engine.close();
    }
  },
};
