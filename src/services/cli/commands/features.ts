import { performance } from 'node:perf_hooks';
import { buildFeatures, describeFeatureTable, FEATURES_TABLE } from '../../../analytics/features/index.js';
import { buildRfm } from '../../../analytics/rfm/index.js';
import { recordSegmentSizes } from '../../../analytics/segments/index.js';
import { fieldEntry } from '../../../analytics/shared/field-labels.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { asOfFlag, intFlag } from './analytics-args.js';

export const featuresCommand: Command = {
  name: 'features',
  summary: 'build the customer feature view (customer_features) as of a date',
  usage: `Usage: clientele features build [--as-of DATE] [--max-categories N] [--max-channels N] [--json]
       clientele features describe [--json]

build     materialises the table customer_features: one row per customer at the end of day --as-of
          (default: the date of the last order). Nothing dated after --as-of is used. Also writes
          customer_rfm (default RFM scores) so segments can use rfm_segment. Query it with
          clientele sql "SELECT * FROM customer_features LIMIT 10".
describe  lists the columns of the built table with their meaning (docs/features.md has the same).

JSON (build): table, asOf, rows, buyers, columns, categories, channels, rfmRows, seconds
JSON (describe): columns[{name, kind, group, description}]

Examples:
  clientele features build --as-of 2024-12-31
  clientele sql "SELECT gender, avg(revenue) FROM customer_features GROUP BY 1"`,
  options: {
    'as-of': { type: 'string' },
    'max-categories': { type: 'string' },
    'max-channels': { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0] ?? 'build';
    if (sub !== 'build' && sub !== 'describe')
      throw new InputError(
        `clientele features: expected "build" or "describe", got "${sub}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      if (sub === 'describe') {
        const columns = await describeFeatureTable(engine, FEATURES_TABLE);
        if (!columns.length)
          throw new InputError(
            'customer_features has not been built yet. Run `clientele features build --as-of YYYY-MM-DD`.',
            {},
            { code: 'NOT_FOUND' },
          );
        // Labels, units and (outside English) meanings from the field dictionary, in --lang.
        ctx.out.table(
          columns.map((c) => {
            const entry = fieldEntry(c.name, ctx.lang);
            return {
              column: c.name,
              label: entry?.label ?? '',
              unit: entry?.unitLabel ?? c.kind,
              meaning: ctx.lang === 'en' || !entry ? c.description : entry.description,
            };
          }),
        );
        return { columns };
      }
      const asOf = await asOfFlag(ctx, engine);
      const started = performance.now();
      const progress = ctx.progress('features');
      progress.update(0, `building as of ${asOf}`);
      const result = await buildFeatures(engine, {
        asOf,
        maxCategories: intFlag(ctx, 'max-categories', 0, 100),
        maxChannels: intFlag(ctx, 'max-channels', 0, 50),
      });
      progress.update(1, 'scoring RFM');
      const rfm = await buildRfm(engine, { asOf });
      const seconds = (performance.now() - started) / 1000;
      progress.done(`${result.rows} customers`);
      ctx.out.line(
        `Built ${result.table} as of ${asOf}: ${ctx.out.fmt.int(result.rows)} customers (${ctx.out.fmt.int(result.buyers)} with orders), ${result.columns.length} columns, ${seconds.toFixed(1)} s.`,
      );
      if (result.categories.length) ctx.out.line(`Category share columns: ${result.categories.join(', ')}`);
      if (result.channels.length) ctx.out.line(`Channel share columns: ${result.channels.join(', ')}`);
      ctx.out.line(`RFM scores written to ${rfm.table} (${ctx.out.fmt.int(rfm.rows)} customers).`);
      // Each stored segment's size at the new date joins its history.
      const sizes = await recordSegmentSizes(engine, { now: new Date() });
      if (sizes.recorded.length) ctx.out.line(`Segment sizes recorded: ${sizes.recorded.join(', ')}.`);
      // Every saved model's ranking of the buyers on the new features, stored (risk_rankings) so that the Risk
      // page's first visit, even in a server started later, reads it instead of scoring every buyer.
      const { warmRiskRankings } = await import('../../http/index.js');
      const ranked = await warmRiskRankings(engine).catch(() => 0);
      if (ranked) ctx.out.line(`Risk rankings stored for ${ranked} model${ranked === 1 ? '' : 's'}.`);
      return {
        ...result,
        rfmRows: rfm.rows,
        seconds,
        segmentSizesRecorded: sizes.recorded,
        riskRankings: ranked,
      };
    } finally {
      await engine.close();
    }
  },
};
