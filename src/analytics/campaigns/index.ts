/**
 * Campaign intelligence. Evaluation: lift of each campaign (or any experiment table) against its random
 * control group, with intervals, p-values, power and balance warnings, incremental orders and revenue, ROI.
 */
import { InputError, NotFoundError } from '../../errors.js';
import type { Engine, Row } from '../../store/index.js';
import { sql, tableExists } from '../../store/index.js';
import { createRng } from '../shared/rng.js';
import {
  type ArmResult,
  type ArmSummary,
  armWarnings,
  compareArms,
  standardisedMeanDifference,
} from './core.js';
import {
  CAMPAIGN_DIMENSIONS,
  type CampaignEvaluationParams,
  type ExperimentParams,
  parseCampaignParams,
  parseExperimentParams,
} from './params.js';
import { campaignStatsSql, experimentArmsSql, experimentChecksSql, experimentValuesSql } from './sql.js';

export {
  type ArmResult,
  type ArmSummary,
  bootstrapMeanDifference,
  compareArms,
  meanDifference,
  normalTwoSidedP,
  proportionDifference,
  proportionPower,
  sampleBinomial,
  standardisedMeanDifference,
} from './core.js';
export { type EvaluationNote, explainEvaluation } from './explain.js';
export {
  CAMPAIGN_DIMENSIONS,
  type CampaignEvaluationParams,
  campaignDefaults,
  type ExperimentParams,
  experimentDefaults,
  parseCampaignParams,
  parseExperimentParams,
} from './params.js';
export { assignmentsSql, campaignStatsSql, experimentArmsSql, outcomesSql } from './sql.js';

/** |standardised mean difference| above which arms count as unbalanced on a pre-treatment feature. */
export const BALANCE_THRESHOLD = 0.1;

export interface BalanceCheck {
  arm: string;
  feature: string;
  /** Standardised mean difference, arm − control. */
  smd: number;
}

export interface EvaluationGroup {
  /** Breakdown values by breakdown name, e.g. `{ campaign: 'EM-2405-NEWS' }` (empty without a breakdown). */
  key: Record<string, string>;
  /** The campaign's name, channel, send date, keywords and cost (breakdown by campaign only). */
  campaign: CampaignInfo | null;
  arms: ArmResult[];
  balance: BalanceCheck[];
  /** Contacts whose outcome window runs past asOf (their outcomes are incomplete). */
  censored: number;
  warnings: string[];
}

export interface CampaignInfo {
  name: string | null;
  channel: string | null;
  startDate: string | null;
  keywords: string[];
  cost: number | null;
  costPerContact: number | null;
}

/** One arm row of the flat `arms` list: the arm plus the breakdown it belongs to. */
export type ArmRow = ArmResult & { group: Record<string, string> };

export interface EvaluationResult {
  kind: 'campaigns' | 'experiment';
  /** Names of the binary, count and value outcomes. */
  outcomes: { binary: string; count: string | null; value: string | null };
  control: string;
  horizonDays: number | null;
  asOf: string | null;
  by: string[];
  groups: EvaluationGroup[];
  /** Every arm of every group, flattened (the `--json` shape: `arms[{arm, n, rate, lift, ciLow, …}]`). */
  arms: ArmRow[];
  /** Rows left out and why (experiment tables). */
  excluded: { noArm: number; noOutcome: number; missingValue: number };
  warnings: string[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

async function tableColumns(engine: Engine, table: string): Promise<string[]> {
  const rows = await engine.query<{ column_name: string }>(
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

function groupKey(row: Row, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(row[`g${i}`] ?? ''));
}

/** Collects the non-zero value histograms per (group…, arm). */
function valueHistograms(
  rows: readonly Row[],
  groups: number,
): Map<string, { value: number; count: number }[]> {
  const out = new Map<string, { value: number; count: number }[]>();
  for (const r of rows) {
    const k = JSON.stringify([...groupKey(r, groups), String(r.arm)]);
    const list = out.get(k) ?? [];
    list.push({ value: num(r.value), count: num(r.cnt) });
    out.set(k, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.value - b.value || a.count - b.count);
  return out;
}

interface GroupDraft {
  key: string[];
  summaries: ArmSummary[];
  pre: Map<string, { feature: string; n: number; sum: number; sumSq: number }[]>;
  censored: number;
  hasCost: boolean;
}

/** The draft of a row's group (created on first sight; groups keep the order of the rows). */
function draftOf(drafts: Map<string, GroupDraft>, row: Row, groups: number): GroupDraft {
  const key = groupKey(row, groups);
  const k = JSON.stringify(key);
  let draft = drafts.get(k);
  if (!draft) {
    draft = { key, summaries: [], pre: new Map(), censored: 0, hasCost: false };
    drafts.set(k, draft);
  }
  return draft;
}

function buildGroups(
  drafts: readonly GroupDraft[],
  by: readonly string[],
  control: string,
  options: { bootstrap: number; maxBootstrapValues: number; seed: number },
  label: (key: Record<string, string>) => string,
): { groups: EvaluationGroup[]; arms: ArmRow[] } {
  const rng = createRng(options.seed);
  const groups: EvaluationGroup[] = [];
  const arms: ArmRow[] = [];
  for (const g of drafts) {
    const key = Object.fromEntries(by.map((b, i) => [b, g.key[i]!]));
    // Each group gets its own stream, so adding a breakdown value does not move the others' intervals.
    const results = compareArms(g.summaries, { control, ...options }, rng.fork());
    for (const a of results) if (!g.hasCost || a.isControl) a.cost = null;
    const warnings = armWarnings(label(key), results, control);
    const balance: BalanceCheck[] = [];
    const c = g.pre.get(control);
    for (const [arm, features] of g.pre) {
      if (arm === control || !c) continue;
      for (const f of features) {
        const cf = c.find((x) => x.feature === f.feature);
        if (!cf || f.n < 2 || cf.n < 2) continue;
        const smd = standardisedMeanDifference(f.n, f.sum, f.sumSq, cf.n, cf.sum, cf.sumSq);
        balance.push({ arm, feature: f.feature, smd });
        if (Math.abs(smd) > BALANCE_THRESHOLD)
          warnings.push(
            `${label(key)}, arm ${arm}: unbalanced against the control on the pre-campaign feature "${f.feature}" (standardised difference ${smd.toFixed(2)}, above ${BALANCE_THRESHOLD}); the control group may not be random, so read the lift with care.`,
          );
      }
    }
    if (g.censored > 0)
      warnings.push(
        `${label(key)}: ${g.censored.toLocaleString('en')} contacts' outcome windows run past the as-of date, so their outcomes are incomplete. Evaluate later or shorten --horizon.`,
      );
    groups.push({ key, campaign: null, arms: results, balance, censored: g.censored, warnings });
    for (const a of results) arms.push({ ...a, group: key });
  }
  return { groups, arms };
}

/**
 * Evaluates the datamart's campaigns: treated = contacts with a `sent` event, control = the `holdout` group;
 * outcomes are a conversion (≥ 1 order), orders and revenue of non-cancelled orders within `horizonDays` of
 * each contact's send time. Breakdowns by campaign, channel, keyword and customers columns.
 *
 * @throws InputError (INVALID_INPUT) for bad settings or an unknown breakdown; NotFoundError without events.
 * @example
 * const r = await evaluateCampaigns(engine, { asOf: '2026-06-30', by: ['channel'] });
 * r.arms.filter((a) => !a.isControl).map((a) => [a.group.channel, a.lift, a.ciLow, a.ciHigh]);
 */
export async function evaluateCampaigns(
  engine: Engine,
  options: Partial<CampaignEvaluationParams> & { asOf: string },
): Promise<EvaluationResult> {
  const p = parseCampaignParams(options);
  const customerColumns = await tableColumns(engine, 'customers');
  const unknown = p.by.filter(
    (b) =>
      !(CAMPAIGN_DIMENSIONS as readonly string[]).includes(b) &&
      (!customerColumns.includes(b) || b === 'customer_id'),
  );
  if (unknown.length)
    throw new InputError(
      `--by: expected campaign, channel, keyword, rfm_segment or a column of customers (${customerColumns.filter((c) => c !== 'customer_id').join(', ')}), got ${unknown.join(', ')}.`,
      { unknown },
      { code: 'INVALID_ARGUMENT' },
    );
  if (p.by.includes('rfm_segment') && !(await tableExists(engine, 'customer_rfm')))
    throw new InputError(
      '--by rfm_segment: expected RFM scores (the customer_rfm table), found none. Run `clientele rfm --save` or `clientele features build` first.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  // One statement: the per-contact outcome join runs once for the arm statistics and the revenue values.
  const stats = await engine.query(campaignStatsSql(engine.dialect, p));
  const rows = stats.filter((r) => r.part === 'arm');
  if (rows.length === 0)
    throw new NotFoundError(
      `campaign_events: no sent or holdout event on or before ${p.asOf}${p.campaigns.length ? ` for ${p.campaigns.join(', ')}` : ''}. Import campaign events (clientele import campaign_events.csv) or check --as-of / --campaign.`,
    );
  const values = valueHistograms(
    stats.filter((r) => r.part === 'value'),
    p.by.length,
  );
  const drafts = new Map<string, GroupDraft>();
  for (const r of rows) {
    const draft = draftOf(drafts, r, p.by.length);
    const key = draft.key;
    const arm = String(r.arm);
    draft.summaries.push({
      arm,
      n: num(r.n),
      successes: num(r.conversions),
      countSum: num(r.orders),
      countSumSq: num(r.orders_sq),
      valueSum: num(r.revenue),
      valueSumSq: num(r.revenue_sq),
      values: values.get(JSON.stringify([...key, arm])) ?? [],
      cost: num(r.cost),
    });
    draft.pre.set(arm, [
      {
        feature: `orders in the ${p.balanceDays} days before the send`,
        n: num(r.n),
        sum: num(r.pre_orders),
        sumSq: num(r.pre_orders_sq),
      },
      {
        feature: `revenue in the ${p.balanceDays} days before the send`,
        n: num(r.n),
        sum: num(r.pre_revenue),
        sumSq: num(r.pre_revenue_sq),
      },
    ]);
    draft.censored += num(r.censored);
    draft.hasCost ||= num(r.has_cost) > 0;
  }
  const label = (key: Record<string, string>) =>
    Object.keys(key).length
      ? Object.entries(key)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : 'all campaigns';
  const { groups, arms } = buildGroups([...drafts.values()], p.by, 'control', p, label);
  if (p.by.length === 1 && p.by[0] === 'campaign') {
    const info = await engine.query(
      sql`SELECT campaign_id, name, channel, CAST(start_date AS VARCHAR) AS start_date, keywords, cost, cost_per_contact FROM campaigns`,
    );
    const byId = new Map(info.map((r) => [String(r.campaign_id), r]));
    for (const g of groups) {
      const r = byId.get(g.key.campaign ?? '');
      g.campaign = r
        ? {
            name: r.name === null ? null : String(r.name),
            channel: r.channel === null ? null : String(r.channel),
            startDate: r.start_date === null ? null : String(r.start_date),
            keywords: Array.isArray(r.keywords) ? r.keywords.map(String) : [],
            cost: r.cost === null ? null : num(r.cost),
            costPerContact: r.cost_per_contact === null ? null : num(r.cost_per_contact),
          }
        : null;
    }
  }
  return {
    kind: 'campaigns',
    outcomes: { binary: 'conversion', count: 'orders', value: 'revenue' },
    control: 'control',
    horizonDays: p.horizonDays,
    asOf: p.asOf,
    by: [...p.by],
    groups,
    arms,
    excluded: { noArm: 0, noOutcome: 0, missingValue: 0 },
    warnings: groups.flatMap((g) => g.warnings),
  };
}

/**
 * Evaluates any table holding an experiment: one row per unit, an arm column, a 0/1 outcome, an optional
 * value (spend) and optional breakdowns and pre-treatment columns. Every arm is compared with `control`.
 *
 * @throws NotFoundError when the table is missing; InputError (MISSING_COLUMN, INVALID_INPUT) for unknown
 *   columns, an unknown control arm or an outcome that is not 0/1.
 * @example
 * const r = await evaluateExperiment(engine, { table: 'hillstrom', arm: 'segment', control: 'No E-Mail',
 *   outcome: 'visit', value: 'spend' });
 */
export async function evaluateExperiment(
  engine: Engine,
  options: Partial<ExperimentParams> & Pick<ExperimentParams, 'table' | 'arm' | 'control' | 'outcome'>,
): Promise<EvaluationResult> {
  const p = parseExperimentParams(options);
  if (!(await tableExists(engine, p.table)))
    throw new NotFoundError(
      `Table "${p.table}" does not exist in the datamart. Import it first (clientele import FILE --table ${p.table}) or check the name (clientele sql "SHOW TABLES").`,
    );
  const columns = await tableColumns(engine, p.table);
  const wanted = [p.arm, p.outcome, ...(p.value ? [p.value] : []), ...p.by, ...p.pre];
  const missing = wanted.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new InputError(
      `Table "${p.table}": expected the column(s) ${missing.join(', ')}; it has ${columns.join(', ')}.`,
      { missing, columns },
      { code: 'MISSING_COLUMN' },
    );
  const [check] = await engine.query(experimentChecksSql(engine.dialect, p));
  if (num(check?.bad_outcome) > 0)
    throw new InputError(
      `Table "${p.table}", column "${p.outcome}": expected a 0/1 outcome (also true/false, yes/no), found ${num(check?.bad_outcome).toLocaleString('en')} other values such as ${JSON.stringify(check?.bad_example)}. Pass a continuous measure as --value and a 0/1 column as --outcome.`,
      { column: p.outcome },
    );
  const rows = await engine.query(experimentArmsSql(engine.dialect, p));
  const armsFound = [...new Set(rows.map((r) => String(r.arm)))];
  if (!armsFound.includes(p.control))
    throw new InputError(
      `Table "${p.table}", column "${p.arm}": expected the control arm ${JSON.stringify(p.control)}, found the arms ${armsFound.map((a) => JSON.stringify(a)).join(', ')}. Pass one of them as --control.`,
      { arms: armsFound },
    );
  const values = p.value
    ? valueHistograms(await engine.query(experimentValuesSql(engine.dialect, p)), p.by.length)
    : new Map<string, { value: number; count: number }[]>();
  const drafts = new Map<string, GroupDraft>();
  for (const r of rows) {
    const draft = draftOf(drafts, r, p.by.length);
    const key = draft.key;
    const arm = String(r.arm);
    draft.summaries.push({
      arm,
      n: num(r.n),
      successes: num(r.conversions),
      ...(p.value
        ? {
            valueSum: num(r.value),
            valueSumSq: num(r.value_sq),
            values: values.get(JSON.stringify([...key, arm])) ?? [],
          }
        : {}),
    });
    draft.pre.set(
      arm,
      p.pre.map((f, i) => ({ feature: f, n: num(r.n), sum: num(r[`x${i}_sum`]), sumSq: num(r[`x${i}_sq`]) })),
    );
  }
  const label = (key: Record<string, string>) =>
    Object.keys(key).length
      ? `${p.table} ${Object.entries(key)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`
      : p.table;
  const { groups, arms } = buildGroups([...drafts.values()], p.by, p.control, p, label);
  const warnings = groups.flatMap((g) => g.warnings);
  const excluded = {
    noArm: num(check?.no_arm),
    noOutcome: num(check?.no_outcome),
    missingValue: p.value ? num(check?.no_value) : 0,
  };
  if (excluded.noArm || excluded.noOutcome)
    warnings.push(
      `${(excluded.noArm + excluded.noOutcome).toLocaleString('en')} rows left out: ${excluded.noArm} without an arm, ${excluded.noOutcome} without an outcome.`,
    );
  if (excluded.missingValue)
    warnings.push(
      `${excluded.missingValue.toLocaleString('en')} rows have no number in "${p.value}"; they count as 0.`,
    );
  return {
    kind: 'experiment',
    outcomes: { binary: p.outcome, count: null, value: p.value },
    control: p.control,
    horizonDays: null,
    asOf: null,
    by: [...p.by],
    groups,
    arms,
    excluded,
    warnings,
  };
}
export {
  ENGAGEMENT_TABLE,
  type EngagementOptions,
  type EngagementResult,
  engagementCountsSql,
  engagementProfile,
  engagementScoreSql,
  QUADRANTS,
  type Quadrant,
  type QuadrantSummary,
} from './engagement.js';
export {
  customerInterests,
  INTERESTS_TABLE,
  type InterestOptions,
  type InterestResult,
  interestsLongSql,
  type KeywordSummary,
  keywordSlug,
  type TargetMatrix,
  targetMatrix,
} from './interests.js';
export { type BetaPrior, type CountPair, fitBetaBinomial, shrunkRate } from './models/beta-binomial.js';
export { type CurvePoint, type QiniResult, qini, type UpliftBin, upliftByBin } from './models/qini.js';
export {
  type CampaignOutcome,
  type CampaignOverview,
  type CampaignOverviewRow,
  campaignOutcome,
  campaignOverview,
} from './overview.js';
export {
  type ChannelCap,
  type ContactPolicy,
  POLICY_REASONS,
  type PolicyReason,
  parsePolicy,
  policyReasonSql,
} from './policy.js';
export {
  PRESSURE_CLASSES,
  PRESSURE_TABLE,
  type PressureClass,
  type PressureOptions,
  type PressurePoint,
  type PressureResult,
  pressureReport,
  sendsSql,
} from './pressure.js';
export {
  bestChannelSql,
  bestSendTimes,
  hourOfWeekSql,
  SEND_TIME_TABLE,
  type SendTimeOptions,
  type SendTimeResult,
  sendTimeSql,
} from './send-time.js';
export {
  type LearnerEvaluation,
  type LearnerName,
  type UpliftOptions,
  type UpliftResult,
  type UpliftSegment,
  type UpliftTarget,
  upliftModels,
} from './uplift.js';
