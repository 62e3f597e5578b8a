import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

/** Breakdowns of the datamart's campaigns: these names, or any column of the customers table. */
/**
 * Breakdowns besides the customers columns. `rfm_segment` is the contact's segment as last scored
 * (`customer_rfm`, from `clientele rfm` or `features build`), not the one at the send.
 */
export const CAMPAIGN_DIMENSIONS = ['campaign', 'channel', 'keyword', 'rfm_segment'] as const;

/** Settings of `evaluateCampaigns` (the datamart's campaigns: treated = sent, control = holdout). */
export interface CampaignEvaluationParams {
  /** Reference date `YYYY-MM-DD`: sends after it are ignored, outcomes count up to its end. */
  asOf: string;
  /** Outcome window after each contact's send (or holdout) time, in days. */
  horizonDays: number;
  /** Breakdown: `campaign`, `channel`, `keyword` and/or customers columns (`country`, `gender` …). */
  by: readonly string[];
  /** Only these campaign ids (all when empty). */
  campaigns: readonly string[];
  /** Bootstrap replicates for the revenue interval (0 = normal interval). */
  bootstrap: number;
  /** Above this many non-zero revenues in a comparison, the normal interval replaces the bootstrap. */
  maxBootstrapValues: number;
  /** Days before the send used for the pre-campaign balance check. */
  balanceDays: number;
  seed: number;
}

export const campaignDefaults: Readonly<Omit<CampaignEvaluationParams, 'asOf'>> = {
  horizonDays: 14,
  by: ['campaign'],
  campaigns: [],
  bootstrap: 2000,
  maxBootstrapValues: 50_000,
  balanceDays: 365,
  seed: 42,
};

/** Settings of `evaluateExperiment` (any table with an arm column). */
export interface ExperimentParams {
  table: string;
  /** The column naming each row's arm. */
  arm: string;
  /** The arm value of the control group. */
  control: string;
  /** A 0/1 (or true/false, yes/no) outcome column. */
  outcome: string;
  /** An optional value column (spend, revenue): mean per row, bootstrap interval. */
  value: string | null;
  /** Optional breakdown columns. */
  by: readonly string[];
  /** Numeric pre-treatment columns to check balance on. */
  pre: readonly string[];
  bootstrap: number;
  maxBootstrapValues: number;
  seed: number;
}

export const experimentDefaults = {
  value: null,
  by: [] as string[],
  pre: [] as string[],
  bootstrap: 2000,
  maxBootstrapValues: 50_000,
  seed: 42,
} as const;

type Bag = Record<string, unknown>;

function intField(o: Bag, key: string, fallback: number, min: number, max: number, issues: Issue[]): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    issues.push({ where: key, message: `expected a whole number ${min}–${max}, got ${JSON.stringify(v)}` });
    return fallback;
  }
  return v;
}

function nameList(o: Bag, key: string, fallback: readonly string[], issues: Issue[]): string[] {
  const v = o[key] ?? fallback;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) {
    issues.push({ where: key, message: `expected a list of names, got ${JSON.stringify(v)}` });
    return [...fallback];
  }
  return v.map((x: string) => x.trim());
}

function nameField(o: Bag, key: string, issues: Issue[]): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') {
    issues.push({ where: key, message: `expected a column name, got ${JSON.stringify(v ?? null)}` });
    return '';
  }
  return v.trim();
}

/** Validates campaign-evaluation settings, reporting every bad field at once. */
export function parseCampaignParams(input: unknown): CampaignEvaluationParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Bag;
  if (!isIsoDate(o.asOf))
    issues.push({
      where: 'asOf',
      message: `expected a date YYYY-MM-DD, got ${JSON.stringify(o.asOf ?? null)}`,
    });
  const d = campaignDefaults;
  const params: CampaignEvaluationParams = {
    asOf: o.asOf as string,
    horizonDays: intField(o, 'horizonDays', d.horizonDays, 1, 365, issues),
    by: nameList(o, 'by', d.by, issues),
    campaigns: nameList(o, 'campaigns', d.campaigns, issues),
    bootstrap: intField(o, 'bootstrap', d.bootstrap, 0, 100_000, issues),
    maxBootstrapValues: intField(o, 'maxBootstrapValues', d.maxBootstrapValues, 0, 10_000_000, issues),
    balanceDays: intField(o, 'balanceDays', d.balanceDays, 1, 3650, issues),
    seed: intField(o, 'seed', d.seed, 0, 2 ** 31 - 1, issues),
  };
  if (params.by.length > 3)
    issues.push({ where: 'by', message: `expected at most 3 breakdowns, got ${params.by.length}` });
  if (issues.length) throw inputErrorFromIssues('Campaign evaluation settings are not valid:', issues);
  return params;
}

/** Validates experiment settings, reporting every bad field at once. */
export function parseExperimentParams(input: unknown): ExperimentParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Bag;
  const e = experimentDefaults;
  const control = o.control;
  if (typeof control !== 'string' || control === '')
    issues.push({
      where: 'control',
      message: `expected the arm value of the control group, got ${JSON.stringify(control ?? null)}`,
    });
  const value = o.value ?? null;
  if (value !== null && (typeof value !== 'string' || value.trim() === ''))
    issues.push({ where: 'value', message: `expected a column name, got ${JSON.stringify(value)}` });
  const params: ExperimentParams = {
    table: nameField(o, 'table', issues),
    arm: nameField(o, 'arm', issues),
    control: typeof control === 'string' ? control : '',
    outcome: nameField(o, 'outcome', issues),
    value: typeof value === 'string' ? value.trim() : null,
    by: nameList(o, 'by', e.by, issues),
    pre: nameList(o, 'pre', e.pre, issues),
    bootstrap: intField(o, 'bootstrap', e.bootstrap, 0, 100_000, issues),
    maxBootstrapValues: intField(o, 'maxBootstrapValues', e.maxBootstrapValues, 0, 10_000_000, issues),
    seed: intField(o, 'seed', e.seed, 0, 2 ** 31 - 1, issues),
  };
  if (issues.length) throw inputErrorFromIssues('Experiment settings are not valid:', issues);
  return params;
}
