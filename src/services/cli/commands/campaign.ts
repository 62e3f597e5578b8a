import {
  bestSendTimes,
  campaignOutcome,
  customerInterests,
  type EngagementResult,
  type EvaluationResult,
  engagementProfile,
  evaluateCampaigns,
  evaluateExperiment,
  explainEvaluation,
  type InterestResult,
  type TargetMatrix,
  targetMatrix,
  type UpliftResult,
  upliftModels,
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
      ? `Campaigns up to ${r.asOf}: treated (sent) against the holdout group; conversion = ${campaignOutcome(r.horizonDays ?? 14).conversion}; revenue = ${campaignOutcome(r.horizonDays ?? 14).revenue}.`
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
       clientele campaign engagement [--as-of DATE] [--window DAYS] [--recent DAYS] [--save] [--json]
       clientele campaign interests [--as-of DATE] [--half-life DAYS] [--window DAYS] [--save]
                                 [--target KEYWORD,…] [--json]
       clientele campaign sendtime [--as-of DATE] [--window DAYS] [--save] [--json]
       clientele campaign uplift --table T --arm COL --control VALUE --outcome COL [--treatment VALUE]...
                                 [--exclude COLS] [--id COL] [--by COL] [--model logistic|gbdt] [--top N] [--json]

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

Uplift (who is moved by the campaign, not who buys anyway): on a randomised table, a two-model learner
(one classifier per arm, uplift = P(treated) − P(control)) and a transformed-outcome learner (class variable
transformation on arms balanced by subsampling), both on the predict module's models (--model, default
logistic), and a response model (treated arm only), fitted on two thirds (stratified, --seed) and compared on
the held-out third by the Qini coefficient next to random targeting. --treatment picks the treated arm values
(default: all but --control); --exclude leaves out columns measured after the send (other outcomes); --by
shows observed and predicted uplift per segment; --top the length of the "target these" list (best learner).
JSON: table, outcome, model, rows, trainRows, holdoutRows, treatedShare, features, learners[{learner,
  qiniCoefficient, qiniNormalised, incrementalAt30, curve[{fraction, targeted, qini, uplift}], deciles[{bin,
  n, treated, control, predicted, observed}]}], best, targets[{id, uplift, pTreated, pControl, response,
  inHoldout}], overlapWithResponse, segments[{segment, n, predicted, observed}], warnings

Engagement (RFO / RFC): per contact with e-mail deliveries in the --window days before --as-of (default 365):
recency and frequency of opens (RFO) and of clicks (RFC) as 1–5 scores, the open probability per delivery and
the click probability per open shrunk toward the population (beta-binomial prior fitted by maximum
likelihood: few sends → close to the population rate), the open × click quadrant (loyal readers: both above
the population; window shoppers: open, rarely click; selective: open rarely, click when they do; dormant:
neither), and the decline: open probability in the last --recent days (default 90) against the rest of the
window; "declining" = a drop of more than 10 points. --save writes the table customer_engagement.
JSON: asOf, windowDays, recentDays, channel, contacts, openPrior{alpha, beta, mean, strength}, clickPrior,
  quadrants[{quadrant, contacts, share, meanOpenProbability, meanClickProbability, meanOpenRecencyDays,
  declining}], rfo, rfc (contacts per [R-1][F-1]), monthly[{month, delivered, opens, openRate, clickRate}],
  declining, saved, warnings

Interests: campaign keywords (campaigns.keywords) × each contact's clicks and conversions per delivered
campaign, decayed with --half-life (default 180 days) over --window (default 730), relative to the contact's
general reactivity and shrunk toward the keyword's population rate: interest 0–1 per contact and keyword
(0.5 = no preference; 0.67 = twice the contact's usual response). --save writes customer_interests
(interest_<keyword> columns and top_interests, usable in segments: "interest_fashion > 0.6"). --target
KEYWORDS crosses appetite for a new campaign's keywords with reactivity (clicks per send; needs
campaign engagement --save, run automatically with --save) in a 3 × 3 tercile matrix and lists the high/high
contacts.
JSON: asOf, halfLifeDays, priorStrength, contacts, keywords[{keyword, column, contacts, populationRate,
  interested}], examples[{customerId, top[{keyword, interest}]}], saved, warnings, matrix (with --target:
  {keywords, cells, meanAppetite, meanReactivity, targets[{customerId, appetite, reactivity}], targetCount})

Send time and channel: each contact's best hour of week (Monday 00:00 = 0 … 167) from the times of their
opens, clicks and conversions, smoothed over neighbouring hours and shrunk toward the population's
distribution (5 events' weight: little history → the population's best hour), and their best campaign
channel (click or conversion rate per delivered send, shrunk toward each channel's rate). --save writes
customer_send_time (best_hour_of_week, best_iso_weekday, best_hour, best_hour_probability, events,
best_channel, best_channel_rate), usable in exports and as features.
JSON: asOf, contacts, population[168], populationBest, bestHours[168], channels[{channel, contacts,
  populationRate}], saved, warnings

Examples:
  clientele campaign evaluate
  clientele campaign evaluate --by channel --horizon 7
  clientele campaign evaluate --by keyword --json
  clientele campaign evaluate --campaign EM-2511-BLACKWEEK --by country
  clientele campaign evaluate --table hillstrom --arm segment --control "No E-Mail" --outcome visit --value spend --by channel
  clientele campaign engagement --save
  clientele campaign sendtime --save
  clientele campaign interests --save --target fashion,women
  clientele campaign uplift --table hillstrom --arm segment --control "No E-Mail" --outcome visit --exclude conversion,spend --by zip_code`,
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
    treatment: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    id: { type: 'string' },
    model: { type: 'string' },
    top: { type: 'string' },
    window: { type: 'string' },
    recent: { type: 'string' },
    save: { type: 'boolean', default: false },
    'half-life': { type: 'string' },
    target: { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub === 'uplift') return runUplift(ctx);
    if (sub === 'engagement') return runEngagement(ctx, 'both');
    if (sub === 'interests') return runInterests(ctx);
    if (sub === 'sendtime') return runSendTime(ctx);
    if (sub !== 'evaluate')
      throw new InputError(
        `clientele campaign: expected the subcommand evaluate, uplift, engagement, interests or sendtime, got ${JSON.stringify(sub ?? null)}. See clientele campaign --help.`,
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

function printUplift(ctx: CommandContext, r: UpliftResult): void {
  ctx.out.line(
    `Uplift of ${r.outcome} in ${r.table}: ${r.rows.toLocaleString('en')} rows (${(r.treatedShare * 100).toFixed(0)}% treated), models (${r.model}) fitted on ${r.trainRows.toLocaleString('en')}, compared on ${r.holdoutRows.toLocaleString('en')} held out.`,
  );
  ctx.out.line(
    'Qini coefficient: area between the Qini curve and random targeting (normalised: 1 = perfect).',
  );
  ctx.out.table(
    r.learners.map((l) => ({
      learner: l.learner,
      qini: Number(l.qiniCoefficient.toFixed(5)),
      normalised: Number(l.qiniNormalised.toFixed(3)),
      incrementalAtTop30: `${(l.incrementalAt30 * 100).toFixed(2)}%`,
    })),
  );
  const best = r.learners.find((l) => l.learner === r.best)!;
  ctx.out.line(
    `Observed against predicted uplift by decile of the ${r.best} learner (held-out rows, points):`,
  );
  ctx.out.table(
    best.deciles.map((d) => ({
      decile: d.bin,
      n: d.n,
      predicted: pts(d.predicted),
      observed: pts(d.observed),
    })),
  );
  if (r.segments.length) {
    ctx.out.line('Uplift by segment (held-out rows, points):');
    ctx.out.table(
      r.segments.map((s) => ({
        segment: s.segment,
        n: s.n,
        predicted: pts(s.predicted),
        observed: pts(s.observed),
      })),
    );
  }
  ctx.out.line(
    `Target these (top ${r.targets.length} by predicted uplift; ${(r.overlapWithResponse * 100).toFixed(0)}% of them are also in the response model's top ${r.targets.length}):`,
  );
  ctx.out.table(
    r.targets.slice(0, 20).map((t) => ({
      id: t.id,
      uplift: pts(t.uplift),
      pTreated: pts(t.pTreated),
      pControl: pts(t.pControl),
      response: pts(t.response),
    })),
  );
  if (r.targets.length > 20) ctx.out.line(`… ${r.targets.length - 20} more with --json.`);
  for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
}

async function runUplift(ctx: CommandContext): Promise<UpliftResult> {
  const missing = ['table', 'arm', 'control', 'outcome'].filter((f) => stringFlag(ctx, f) === undefined);
  if (missing.length)
    throw new InputError(
      `clientele campaign uplift: expected ${missing.map((m) => `--${m}`).join(', ')}. Example: --table hillstrom --arm segment --control "No E-Mail" --outcome visit --exclude conversion,spend`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const model = stringFlag(ctx, 'model');
  if (model !== undefined && model !== 'gbdt' && model !== 'logistic')
    throw new InputError(
      `--model: expected logistic or gbdt, got ${JSON.stringify(model)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const top = intFlag(ctx, 'top', 1, 1_000_000);
  const seed = intFlag(ctx, 'seed', 0, 2 ** 31 - 1);
  const engine = await ctx.openDb();
  try {
    const progress = ctx.progress('campaign uplift');
    const r = await upliftModels(engine, {
      table: stringFlag(ctx, 'table')!,
      arm: stringFlag(ctx, 'arm')!,
      control: stringFlag(ctx, 'control')!,
      outcome: stringFlag(ctx, 'outcome')!,
      ...(listFlag(ctx, 'treatment') ? { treatment: listFlag(ctx, 'treatment') } : {}),
      ...(listFlag(ctx, 'exclude') ? { exclude: listFlag(ctx, 'exclude') } : {}),
      ...(stringFlag(ctx, 'id') ? { idColumn: stringFlag(ctx, 'id') } : {}),
      ...(listFlag(ctx, 'by')?.[0] ? { by: listFlag(ctx, 'by')![0] } : {}),
      ...(model ? { model } : {}),
      ...(top !== undefined ? { top } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    progress.done();
    if (!ctx.json) printUplift(ctx, r);
    return r;
  } finally {
    await engine.close();
  }
}

/** Prints an engagement profile; `focus` picks which grid is shown (rfm --kind rfo|rfc shows one). */
export function printEngagement(
  ctx: CommandContext,
  r: EngagementResult,
  focus: 'rfo' | 'rfc' | 'both',
): void {
  ctx.out.line(
    `E-mail engagement as of ${r.asOf} (${r.windowDays} days): ${r.contacts.toLocaleString('en')} contacts with deliveries. Population open rate ${(r.openPrior.mean * 100).toFixed(1)}% per delivery, click rate ${(r.clickPrior.mean * 100).toFixed(1)}% per open; a contact's own history weighs like ${r.openPrior.strength.toFixed(1)} deliveries against the population.`,
  );
  ctx.out.table(
    r.quadrants.map((q) => ({
      segment: q.quadrant,
      contacts: q.contacts,
      share: `${(q.share * 100).toFixed(1)}%`,
      openProbability: pts(q.meanOpenProbability),
      clickPerOpen: pts(q.meanClickProbability),
      'last open (d)': q.meanOpenRecencyDays === null ? null : Math.round(q.meanOpenRecencyDays),
      declining: q.declining,
    })),
  );
  const grid = (name: string, cells: number[][]) => {
    ctx.out.line(
      `${name}: contacts per recency score (rows, 5 = most recent) and frequency score (columns):`,
    );
    ctx.out.table(
      cells
        .map((row, i) => ({ R: i + 1, ...Object.fromEntries(row.map((n, j) => [`F${j + 1}`, n])) }))
        .reverse(),
    );
  };
  if (focus !== 'rfc') grid('RFO (opens)', r.rfo);
  if (focus !== 'rfo') grid('RFC (clicks)', r.rfc);
  ctx.out.line(
    `${r.declining.toLocaleString('en')} contacts open clearly less in the last ${r.recentDays} days than before (open probability down by more than 10 points).`,
  );
  if (r.saved !== null) ctx.out.line(`Saved ${r.saved.toLocaleString('en')} rows to customer_engagement.`);
  for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
}

/** `campaign engagement` and `rfm --kind rfo|rfc`. */
export async function runEngagement(
  ctx: CommandContext,
  focus: 'rfo' | 'rfc' | 'both',
): Promise<EngagementResult> {
  const windowDays = intFlag(ctx, 'window', 14, 3650);
  const recentDays = intFlag(ctx, 'recent', 7, 3649);
  const bins = focus === 'both' ? undefined : intFlag(ctx, 'bins', 2, 10);
  const engine = await ctx.openDb();
  try {
    const asOf = await asOfFlag(ctx, engine);
    const progress = ctx.progress('engagement');
    const r = await engagementProfile(engine, {
      asOf,
      ...(windowDays !== undefined ? { windowDays } : {}),
      ...(recentDays !== undefined ? { recentDays } : {}),
      ...(bins !== undefined ? { bins } : {}),
      save: ctx.values.save === true,
    });
    progress.done();
    if (!ctx.json) printEngagement(ctx, r, focus);
    return r;
  } finally {
    await engine.close();
  }
}

async function runInterests(ctx: CommandContext): Promise<InterestResult & { matrix?: TargetMatrix }> {
  const halfLifeDays = intFlag(ctx, 'half-life', 1, 3650);
  const windowDays = intFlag(ctx, 'window', 7, 3650);
  const target = listFlag(ctx, 'target');
  const save = ctx.values.save === true;
  if (target && !save)
    throw new InputError(
      '--target: the matrix reads the saved tables; add --save.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const engine = await ctx.openDb();
  try {
    const asOf = await asOfFlag(ctx, engine);
    const progress = ctx.progress('interests');
    const r = await customerInterests(engine, {
      asOf,
      ...(halfLifeDays !== undefined ? { halfLifeDays } : {}),
      ...(windowDays !== undefined ? { windowDays } : {}),
      save,
    });
    let matrix: TargetMatrix | undefined;
    if (target) {
      await engagementProfile(engine, { asOf, save: true });
      matrix = await targetMatrix(engine, { keywords: target });
    }
    progress.done();
    if (!ctx.json) {
      ctx.out.line(
        `Interests as of ${r.asOf} from ${r.keywords.length} keywords (half-life ${r.halfLifeDays} days): ${r.contacts.toLocaleString('en')} contacts with keyword campaigns.`,
      );
      ctx.out.table(
        r.keywords.map((k) => ({
          keyword: k.keyword,
          column: k.column,
          contacts: k.contacts,
          responseRate: pts(k.populationRate),
          'interested (≥0.6)': k.interested,
        })),
        { maxRows: 50 },
      );
      ctx.out.line('Contacts with the strongest interests:');
      ctx.out.table(
        r.examples.map((e) => ({
          customer: e.customerId,
          top: e.top.map((t) => `${t.keyword} ${t.interest.toFixed(2)}`).join(', '),
        })),
      );
      if (r.saved !== null) ctx.out.line(`Saved ${r.saved.toLocaleString('en')} rows to customer_interests.`);
      if (matrix) {
        ctx.out.line(
          `Appetite for ${matrix.keywords.join(', ')} (rows, terciles) × reactivity (columns, clicks per send):`,
        );
        const names = ['low', 'mid', 'high'];
        ctx.out.table(
          matrix.cells
            .map((row, i) => ({
              appetite: names[i],
              ...Object.fromEntries(row.map((n, j) => [names[j]!, n])),
            }))
            .reverse(),
        );
        ctx.out.line(
          `${matrix.targetCount.toLocaleString('en')} contacts are high on both: target them first.`,
        );
      }
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
    }
    return { ...r, ...(matrix ? { matrix } : {}) };
  } finally {
    await engine.close();
  }
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

async function runSendTime(ctx: CommandContext) {
  const windowDays = intFlag(ctx, 'window', 7, 3650);
  const engine = await ctx.openDb();
  try {
    const asOf = await asOfFlag(ctx, engine);
    const r = await bestSendTimes(engine, {
      asOf,
      ...(windowDays !== undefined ? { windowDays } : {}),
      save: ctx.values.save === true,
    });
    if (!ctx.json) {
      const label = (h: number) => `${WEEKDAYS[Math.floor(h / 24)]} ${String(h % 24).padStart(2, '0')}:00`;
      ctx.out.line(
        `Best send times as of ${r.asOf} for ${r.contacts.toLocaleString('en')} contacts; the population responds most at ${label(r.populationBest)}.`,
      );
      ctx.out.table(
        r.bestHours
          .map((n, h) => ({
            hour: label(h),
            contacts: n,
            populationShare: `${(r.population[h]! * 100).toFixed(2)}%`,
          }))
          .filter((x) => x.contacts > 0)
          .sort((a, b) => b.contacts - a.contacts)
          .slice(0, 12),
      );
      ctx.out.table(
        r.channels.map((c) => ({
          bestChannel: c.channel,
          contacts: c.contacts,
          responseRate: pts(c.populationRate),
        })),
      );
      if (r.saved !== null) ctx.out.line(`Saved ${r.saved.toLocaleString('en')} rows to customer_send_time.`);
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
    }
    return r;
  } finally {
    await engine.close();
  }
}
