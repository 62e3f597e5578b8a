import {
  type EvaluationResult,
  evaluateCampaigns,
  evaluateExperiment,
  explainEvaluation,
} from '../../../analytics/campaigns/index.js';
import { InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { asOfFlag, intFlag } from './analytics-args.js';

function listFlag(ctx: CommandContext, flag: string): string[] | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
  return all.map((s) => s.trim()).filter((s) => s !== '');
}

function stringFlag(ctx: CommandContext, flag: string): string | undefined {
  const v = ctx.values[flag];
  return typeof v === 'string' ? v : undefined;
}

const pts = (x: number | null) => (x === null ? null : Number((x * 100).toFixed(2)));
const r2 = (x: number | null) => (x === null ? null : Number(x.toFixed(2)));
const p3 = (x: number | null) => (x === null ? null : x < 0.001 ? '<0.001' : x.toFixed(3));

function printEvaluation(ctx: CommandContext, r: EvaluationResult): void {
  const valueName = r.outcomes.value;
  ctx.out.line(
    r.kind === 'campaigns'
      ? `Campaigns up to ${r.asOf}: treated (sent) against the holdout group; outcomes within ${r.horizonDays} days of the send.`
      : `Experiment: every arm against "${r.control}"; outcome ${r.outcomes.binary}${valueName ? `, value ${valueName}` : ''}.`,
  );
  ctx.out.line(
    'rate, lift and interval in percentage points; lift = arm rate − control rate; 95% interval; p from the two-proportion z-test.',
  );
  ctx.out.table(
    r.arms.map((a) => ({
      ...Object.fromEntries(Object.entries(a.group)),
      arm: a.arm,
      n: a.n,
      rate: pts(a.rate),
      lift: pts(a.lift),
      ci: a.ciLow === null ? '' : `${pts(a.ciLow)} … ${pts(a.ciHigh)}`,
      p: p3(a.pValue),
      ...(r.outcomes.count ? { extraOrders: r2(a.incrementalOrders) } : {}),
      ...(valueName
        ? {
            [`${valueName}/contact`]: r2(a.valuePerContact),
            [`${valueName}Lift`]: r2(a.valueLift),
            [`${valueName}Ci`]: a.valueCiLow === null ? '' : `${r2(a.valueCiLow)} … ${r2(a.valueCiHigh)}`,
            [`extra${valueName[0]!.toUpperCase()}${valueName.slice(1)}`]: r2(a.incrementalValue),
          }
        : {}),
      ...(r.arms.some((x) => x.cost !== null) ? { cost: r2(a.cost), roi: r2(a.roi) } : {}),
    })),
    { maxRows: 200 },
  );
  const notes = explainEvaluation(r.arms);
  const works = notes.filter((n) => n.verdict === 'works').length;
  const harms = notes.filter((n) => n.verdict === 'harms').length;
  ctx.out.line(
    `${works} of ${notes.length} comparisons show a lift whose interval is above 0${harms ? `, ${harms} below 0` : ''}; the rest cannot be told from no effect.`,
  );
  for (const w of r.warnings.slice(0, 20)) ctx.out.line(`Warning: ${w}`);
  if (r.warnings.length > 20) ctx.out.line(`… and ${r.warnings.length - 20} more warnings (see --json).`);
}

export const campaignCommand: Command = {
  name: 'campaign',
  summary:
    'campaign evaluation: lift against the control group with intervals, p-values, incremental revenue and ROI',
  usage: `Usage: clientele campaign evaluate [--as-of DATE] [--horizon DAYS] [--by campaign|channel|keyword|COLUMN]
                                 [--campaign ID]... [--bootstrap N] [--seed N] [--json]
       clientele campaign evaluate --table T --arm COL --control VALUE --outcome COL [--value COL] [--by COL]
                                 [--pre COLS] [--json]

Datamart campaigns: contacts with a "sent" event are the treated arm, the "holdout" contacts (a random control
group) the control arm. Outcomes within --horizon days (default 14) of each contact's send time: conversion
(at least one non-cancelled order), orders and revenue. Breakdown with --by: campaign (default), channel,
keyword (campaigns.keywords) or any customers column (country, gender, income_band …), comma-separated.

Any table with an experiment: --table names it, --arm the column with each row's arm, --control the control
arm's value, --outcome a 0/1 column, --value an optional amount (spend), --by breakdown columns and --pre
numeric pre-treatment columns to check the arms' balance on.

Per arm: n, rate, lift (rate − control rate), ciLow/ciHigh (95% two-proportion normal interval), pValue
(pooled z-test), power, orders lift (Welch interval), value per contact and its lift (percentile bootstrap,
--bootstrap replicates, default 2000, seeded; normal interval above 50,000 non-zero values), incremental
conversions / orders / value (lift × n), cost (campaigns.cost spread over the treated contacts +
cost_per_contact) and ROI = (incremental revenue − cost) ÷ cost.
Warnings: no control group, a control group too small to show the observed lift (power below 80%, with the
control size that would do), arms unbalanced before the campaign (|standardised difference| > 0.1 on the
orders and revenue of the 365 days before, or on --pre columns), outcome windows cut by --as-of.

JSON: kind, outcomes{binary, count, value}, control, horizonDays, asOf, by, arms[{group, arm, isControl, n,
  conversions, rate, lift, relativeLift, ciLow, ciHigh, pValue, power, ordersPerContact, ordersLift,
  ordersCiLow, ordersCiHigh, valuePerContact, valueLift, valueCiLow, valueCiHigh, valuePValue, valueInterval,
  incrementalConversions, incrementalOrders, incrementalValue, cost, roi}], groups[{key, campaign, arms,
  balance[{arm, feature, smd}], censored, warnings}], excluded{noArm, noOutcome, missingValue}, notes, warnings

Examples:
  clientele campaign evaluate
  clientele campaign evaluate --by channel --horizon 7
  clientele campaign evaluate --by keyword --json
  clientele campaign evaluate --campaign EM-2511-BLACKWEEK --by country
  clientele campaign evaluate --table hillstrom --arm segment --control "No E-Mail" --outcome visit --value spend --by channel`,
  options: {
    'as-of': { type: 'string' },
    horizon: { type: 'string' },
    by: { type: 'string', multiple: true },
    campaign: { type: 'string', multiple: true },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    table: { type: 'string' },
    arm: { type: 'string' },
    control: { type: 'string' },
    outcome: { type: 'string' },
    value: { type: 'string' },
    pre: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub !== 'evaluate')
      throw new InputError(
        `clientele campaign: expected the subcommand "evaluate", got ${JSON.stringify(sub ?? null)}. See clientele campaign --help.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const common = {
      ...(intFlag(ctx, 'bootstrap', 0, 100_000) !== undefined
        ? { bootstrap: intFlag(ctx, 'bootstrap', 0, 100_000) }
        : {}),
      ...(intFlag(ctx, 'seed', 0, 2 ** 31 - 1) !== undefined
        ? { seed: intFlag(ctx, 'seed', 0, 2 ** 31 - 1) }
        : {}),
    };
    const by = listFlag(ctx, 'by');
    const table = stringFlag(ctx, 'table');
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('campaign evaluate');
      let r: EvaluationResult;
      if (table !== undefined) {
        const missing = ['arm', 'control', 'outcome'].filter((f) => stringFlag(ctx, f) === undefined);
        if (missing.length)
          throw new InputError(
            `clientele campaign evaluate --table: expected ${missing.map((m) => `--${m}`).join(', ')} as well. Example: --table hillstrom --arm segment --control "No E-Mail" --outcome visit`,
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        r = await evaluateExperiment(engine, {
          table,
          arm: stringFlag(ctx, 'arm')!,
          control: stringFlag(ctx, 'control')!,
          outcome: stringFlag(ctx, 'outcome')!,
          value: stringFlag(ctx, 'value') ?? null,
          ...(by ? { by } : {}),
          ...(listFlag(ctx, 'pre') ? { pre: listFlag(ctx, 'pre') } : {}),
          ...common,
        });
      } else {
        const asOf = await asOfFlag(ctx, engine);
        const horizonDays = intFlag(ctx, 'horizon', 1, 365);
        r = await evaluateCampaigns(engine, {
          asOf,
          ...(horizonDays !== undefined ? { horizonDays } : {}),
          ...(by ? { by } : {}),
          ...(listFlag(ctx, 'campaign') ? { campaigns: listFlag(ctx, 'campaign') } : {}),
          ...common,
        });
      }
      progress.done();
      if (!ctx.json) printEvaluation(ctx, r);
      return { ...r, notes: explainEvaluation(r.arms) };
    } finally {
      await engine.close();
    }
  },
};
