import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import {
  buildRfm,
  parseSegmentMap,
  type RfmKind,
  type RfmOptions,
  rfmSummary,
  rfmTransitions,
  type SegmentRule,
} from '../../../analytics/rfm/index.js';
import { nameLabel } from '../../../analytics/shared/server-text.js';
import { ConfigError, InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { asOfFlag, dateFlag, intFlag, numberListFlag, pct } from './analytics-args.js';
import { runEngagement } from './campaign.js';

export const rfmCommand: Command = {
  name: 'rfm',
  summary: 'RFM / RFO / RFC scores, segments and segment movement',
  usage: `Usage: clientele rfm [--as-of DATE] [--kind rfm|rfo|rfc] [--bins N] [--map FILE] [--compare DATE] [--save] [--json]

Scores every customer with an order on or before --as-of (default: the last order date) on recency,
frequency and monetary value (rfm). --kind rfo and --kind rfc profile e-mail engagement instead: recency
and frequency of the opens (RFO) or clicks (RFC) themselves, the open × click quadrant map (loyal readers,
window shoppers, selective, dormant) and engagement probabilities shrunk toward the population; the same as
clientele campaign engagement (see its --help for the JSON), over --window days (default 365), and the same
figures as GET /api/rfm?kind=rfo|rfc and rfmSummary({ kind: 'rfo' }).
Scores are rank-based quantiles (ties share a score) unless fixed cut points are given.

Options:
  --as-of DATE          reference date (end of that day)
  --kind K              rfm (default), rfo or rfc
  --bins N              score levels, 2–10 (default 5 = quintiles)
  --cuts-recency LIST   fixed cut points in days, ascending, bins − 1 of them: 30,90,180,365
  --cuts-frequency LIST fixed cut points in orders: 2,3,5,8
  --cuts-monetary LIST  fixed cut points for the third measure: 50,100,250,500
  --map FILE            segment map, JSON or YAML: [{name, r: "4-5", f: [4,5], m?: …}, …]; first match wins
  --compare DATE        also show the movement between segments from DATE to --as-of (transition matrix)
  --save                write the scores to the table customer_rfm (used by segments: rfm_segment = '…')
  --window DAYS         rfo / rfc: days of e-mail history before --as-of (default 365)

JSON: asOf, kind, bins, scored, notScored, segments[{segment, customers, share, meanRecencyDays,
  meanFrequency, meanValue, valueShare}], cells (customers per [R-1][F-1]), warnings, saved (rows or null),
  transitions (with --compare: {from, to, states, matrix, stayed})

Examples:
  clientele rfm --as-of 2024-12-31
  clientele rfm --kind rfo --bins 4 --json
  clientele rfm --map my-segments.yaml --compare 2024-06-30`,
  options: {
    'as-of': { type: 'string' },
    kind: { type: 'string' },
    bins: { type: 'string' },
    'cuts-recency': { type: 'string' },
    'cuts-frequency': { type: 'string' },
    'cuts-monetary': { type: 'string' },
    map: { type: 'string' },
    compare: { type: 'string' },
    save: { type: 'boolean', default: false },
    window: { type: 'string' },
  },
  async run(ctx) {
    const requested = ctx.values.kind;
    if (requested === 'rfo' || requested === 'rfc') {
      const unused = ['map', 'compare', 'cuts-recency', 'cuts-frequency', 'cuts-monetary'].filter(
        (f) => ctx.values[f] !== undefined,
      );
      if (unused.length)
        throw new InputError(
          `--kind ${requested}: ${unused.map((u) => `--${u}`).join(', ')} apply to purchase RFM only. Drop them, or use --kind rfm.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      return { kind: requested, ...(await runEngagement(ctx, requested)) };
    }
    const engine = await ctx.openDb();
    try {
      const asOf = await asOfFlag(ctx, engine);
      const options = rfmOptions(ctx, asOf);
      const progress = ctx.progress('rfm');
      const result = await rfmSummary(engine, options);
      const saved = ctx.values.save ? (await buildRfm(engine, options)).rows : null;
      let transitions: Awaited<ReturnType<typeof rfmTransitions>> | undefined;
      if (ctx.values.compare !== undefined) {
        const from = dateFlag(ctx.values.compare, 'compare');
        if (from >= asOf)
          throw new InputError(
            `--compare: expected a date before --as-of ${asOf}, got ${from}.`,
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        progress.update(1, 'transitions');
        const { asOf: _drop, ...rest } = options;
        transitions = await rfmTransitions(engine, { ...rest, from, to: asOf });
      }
      progress.done();
      const p = result.params;
      ctx.out.line(
        `${p.kind.toUpperCase()} as of ${ctx.out.fmt.date(p.asOf)}: ${ctx.out.fmt.int(result.scored)} customers scored (${p.bins} bins), ${ctx.out.fmt.int(result.notScored)} without orders.`,
      );
      ctx.out.table(
        result.segments.map((s) => ({
          segment: nameLabel('rfm_segment', s.segment, ctx.lang),
          customers: s.customers,
          share: pct(s.share),
          'recency (d)': round(s.meanRecencyDays, 0),
          frequency: round(s.meanFrequency, 2),
          [p.kind === 'rfm' ? 'monetary' : p.kind === 'rfo' ? 'opens' : 'clicks']: round(s.meanValue, 2),
          [`${p.kind === 'rfm' ? 'revenue' : 'value'} share`]: pct(s.valueShare),
        })),
        { money: p.kind === 'rfm' ? ['monetary'] : [] },
      );
      for (const w of result.warnings) ctx.out.line(`Warning: ${w}`);
      if (saved !== null) ctx.out.line(`Saved ${ctx.out.fmt.int(saved)} scores to customer_rfm.`);
      if (transitions) {
        ctx.out.line(
          `\nSegment movement ${transitions.from} → ${transitions.to} (rows: from, columns: to); ${pct(transitions.stayed)} kept their segment:`,
        );
        const t = transitions;
        ctx.out.table(
          t.states.map((s, i) => ({
            from: s,
            ...Object.fromEntries(t.states.map((to, j) => [to, t.matrix[i]![j]!])),
          })),
        );
      }
      return {
        asOf: p.asOf,
        kind: p.kind,
        bins: p.bins,
        scored: result.scored,
        notScored: result.notScored,
        segments: result.segments,
        cells: result.cells,
        warnings: result.warnings,
        saved,
        ...(transitions ? { transitions } : {}),
      };
    } finally {
      await engine.close();
    }
  },
};

/** Purchase RFM options (--kind rfo / rfc took the engagement path before this). */
function rfmOptions(ctx: CommandContext, asOf: string): RfmOptions & { kind?: 'rfm' } {
  const kind = ctx.values.kind as RfmKind | undefined;
  const bins = intFlag(ctx, 'bins', 2, 10) ?? 5;
  const cuts = {
    ...(numberListFlag(ctx, 'cuts-recency') ? { recency: numberListFlag(ctx, 'cuts-recency') } : {}),
    ...(numberListFlag(ctx, 'cuts-frequency') ? { frequency: numberListFlag(ctx, 'cuts-frequency') } : {}),
    ...(numberListFlag(ctx, 'cuts-monetary') ? { monetary: numberListFlag(ctx, 'cuts-monetary') } : {}),
  };
  let map: SegmentRule[] | undefined;
  if (ctx.values.map !== undefined) map = readMap(String(ctx.values.map), bins);
  // A kind other than rfm reaches parseParams, which names the allowed ones.
  return { asOf, bins, cuts, ...(kind ? { kind: kind as 'rfm' } : {}), ...(map ? { map } : {}) };
}

function readMap(path: string, bins: number): SegmentRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InputError(
      `--map: cannot read "${path}": ${(cause as Error).message}.`,
      { path },
      { cause, code: 'FILE_NOT_FOUND' },
    );
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (cause) {
    throw new ConfigError(
      `--map ${path}: expected JSON or YAML, could not parse it: ${(cause as Error).message}`,
      { path },
      { cause },
    );
  }
  return parseSegmentMap(parsed, bins);
}

function round(x: number | null, digits: number): number | null {
  return x === null ? null : Number(x.toFixed(digits));
}
