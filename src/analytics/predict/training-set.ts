/**
 * Training sets without leakage: for each cutoff date, the customer feature view as of the cutoff (every
 * feature reads only data dated on or before it; see features/sql.ts) joined with a label taken only from the
 * window after it. Several cutoffs stack into one table (column `cutoff`) so a model learns from more than one
 * period and time-based validation can hold out the last one.
 *
 * Labels (windows are half-open after the cutoff: (cutoff, cutoff + N days]):
 * - `churn` (non-contractual): 1 when a customer who has bought by the cutoff buys nothing in the next N days.
 * - `contract-end` (contractual): 1 when a row of `table` with `flagColumn` true is dated in the next N days.
 * - `response`: one row per customer sent a campaign in the `sendWindowDays` after the cutoff; 1 when the same
 *   campaign records a conversion within N days of the send.
 * - `category`: 1 when the customer buys a product whose category path starts with `category` in the next N days.
 */
import { InputError } from '../../errors.js';
import type { Dialect, Engine, SqlFragment } from '../../store/index.js';
import { ident, join, sql } from '../../store/index.js';
import {
  EXCLUDED_ORDER_STATUSES,
  type FeaturesParams,
  featureParams,
  featuresSql,
  isIsoDate,
} from '../features/index.js';

export type LabelSpec =
  | { kind: 'churn'; horizonDays: number }
  | { kind: 'contract-end'; table: string; flagColumn: string; dateColumn: string; horizonDays: number }
  | { kind: 'response'; windowDays: number; sendWindowDays: number; campaignId?: string }
  | { kind: 'category'; category: string; horizonDays: number };

export interface TrainingSetOptions {
  /** Cutoff dates YYYY-MM-DD; features as of the end of each day. */
  cutoffs: readonly string[];
  label: LabelSpec;
  /** Table to write (default `training_set`), replaced. */
  table?: string;
}

export interface TrainingSetResult {
  table: string;
  rows: number;
  positives: number;
  perCutoff: { cutoff: string; rows: number; positives: number }[];
  /** Columns a model should not use as features (keys and the label). */
  nonFeatures: string[];
}

const excluded = () => join(EXCLUDED_ORDER_STATUSES.map((s) => sql`${s}`));

function window(d: Dialect, cutoff: string, days: number): { from: SqlFragment; to: SqlFragment } {
  const c = d.dateParam(cutoff);
  return { from: c, to: d.addDays(c, sql`${days}`) };
}

/** The rows of one cutoff: feature columns, `cutoff`, `label` (0/1). */
export function trainingRowsSql(dialect: Dialect, params: FeaturesParams, label: LabelSpec): SqlFragment {
  const cutoff = params.asOf;
  const features = featuresSql(dialect, params);
  const c = dialect.dateParam(cutoff);
  switch (label.kind) {
    // Labels test membership with a plain IN subquery, not a correlated EXISTS: ClickHouse runs no correlated
    // subquery over a sharded (Distributed) table, and the answer is the same.
    case 'churn': {
      const w = window(dialect, cutoff, label.horizonDays);
      return sql`SELECT f.*, ${c} AS cutoff, CASE WHEN f.customer_id IN (SELECT o.customer_id FROM orders o WHERE o.customer_id IS NOT NULL AND o.order_date > ${w.from} AND o.order_date <= ${w.to} AND lower(coalesce(o.status, 'completed')) NOT IN (${excluded()})) THEN 0 ELSE 1 END AS label FROM (${features}) f WHERE f.last_order IS NOT NULL`;
    }
    case 'category': {
      const w = window(dialect, cutoff, label.horizonDays);
      return sql`SELECT f.*, ${c} AS cutoff, CASE WHEN f.customer_id IN (SELECT o.customer_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN products p ON p.sku = l.sku WHERE o.customer_id IS NOT NULL AND o.order_date > ${w.from} AND o.order_date <= ${w.to} AND lower(coalesce(o.status, 'completed')) NOT IN (${excluded()}) AND p.category_path LIKE ${`${label.category}%`}) THEN 1 ELSE 0 END AS label FROM (${features}) f WHERE f.last_order IS NOT NULL`;
    }
    case 'contract-end': {
      const w = window(dialect, cutoff, label.horizonDays);
      const t = ident(label.table);
      return sql`SELECT f.*, ${c} AS cutoff, CASE WHEN f.customer_id IN (SELECT CAST(x.customer_id AS VARCHAR) FROM ${t} x WHERE x.customer_id IS NOT NULL AND x.${ident(label.flagColumn)} AND CAST(x.${ident(label.dateColumn)} AS DATE) > ${w.from} AND CAST(x.${ident(label.dateColumn)} AS DATE) <= ${w.to}) THEN 1 ELSE 0 END AS label FROM (${features}) f WHERE NOT f.is_prospect`;
    }
    case 'response': {
      // Sends in [cutoff + 1 day, cutoff + 1 + sendWindow): the features are as of the day before the first send.
      const start = dialect.addDays(c, sql`${1}`);
      const end = dialect.addDays(c, sql`${1 + label.sendWindowDays}`);
      const campaign = label.campaignId === undefined ? sql`` : sql` AND e.campaign_id = ${label.campaignId}`;
      const sends = sql`SELECT e.customer_id AS customer_id, e.campaign_id AS campaign_id, min(e.event_time) AS sent_at FROM campaign_events e WHERE e.event_type = 'sent' AND e.event_time >= ${start} AND e.event_time < ${end}${campaign} GROUP BY e.customer_id, e.campaign_id`;
      const converted = dialect.countIf(
        sql`v.event_time >= s0.sent_at AND v.event_time < ${dialect.addDaysToTimestamp(sql`s0.sent_at`, sql`${label.windowDays}`)}`,
      );
      // Conversions within the window after the send, counted through a join on the send (not a correlated EXISTS).
      const labelled = sql`SELECT s0.customer_id AS sent_to, s0.campaign_id AS campaign_id, ${converted} AS conversions FROM (${sends}) s0 LEFT JOIN (SELECT customer_id, campaign_id, event_time FROM campaign_events WHERE event_type = 'conversion') v ON v.customer_id = s0.customer_id AND v.campaign_id = s0.campaign_id GROUP BY s0.customer_id, s0.campaign_id`;
      return sql`SELECT f.*, s.campaign_id, ${c} AS cutoff, CASE WHEN s.conversions > 0 THEN 1 ELSE 0 END AS label FROM (${labelled}) s JOIN (${features}) f ON f.customer_id = s.sent_to`;
    }
  }
}

/**
 * Builds a stacked training table for the cutoffs and label.
 * @param engine the datamart (canonical tables loaded)
 * @param options cutoffs, label definition, output table
 * @returns row and positive counts per cutoff and the columns that are not features
 * @throws InputError INVALID_INPUT for a bad date or window
 * @example
 * ```ts
 * await buildTrainingSet(engine, { cutoffs: ['2024-06-30', '2024-09-30'], label: { kind: 'churn', horizonDays: 90 } });
 * await trainModel(engine, { table: 'training_set', target: 'label', exclude: ['cutoff', 'as_of'] });
 * ```
 */
export async function buildTrainingSet(
  engine: Engine,
  options: TrainingSetOptions,
): Promise<TrainingSetResult> {
  const bad = options.cutoffs.filter((c) => !isIsoDate(c));
  if (options.cutoffs.length === 0 || bad.length)
    throw new InputError(
      `cutoffs: expected one or more dates YYYY-MM-DD, got ${JSON.stringify(options.cutoffs)}.`,
      { cutoffs: options.cutoffs },
    );
  const days = options.label.kind === 'response' ? options.label.windowDays : options.label.horizonDays;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new InputError(`label window: expected whole days 1–3660, got ${days}.`, { label: options.label });
  const table = options.table ?? 'training_set';
  const cutoffs = [...options.cutoffs].sort();
  // One category/channel vocabulary for every cutoff (the earliest one's), so the stacked rows share columns;
  // each cutoff's values still come only from data up to that cutoff.
  const vocabulary = await featureParams(engine, cutoffs[0] as string);
  const parts = cutoffs.map((cutoff) =>
    trainingRowsSql(engine.dialect, { ...vocabulary, asOf: cutoff }, options.label),
  );
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
    // Written sorted (customer_id, cutoff first), so every engine hands the rows to the model in one order.
    await tx.exec(
      sql`CREATE TABLE ${ident(table)} AS SELECT * FROM (${join(parts, ' UNION ALL ')}) rows ORDER BY ALL`,
    );
  });
  const counts = await engine.query<{ cutoff: string; rows: number; positives: number }>(
    sql`SELECT CAST(cutoff AS VARCHAR) AS cutoff, count(*) AS rows, sum(label) AS positives FROM ${ident(table)} GROUP BY 1 ORDER BY 1`,
  );
  const perCutoff = counts.map((r) => ({
    cutoff: r.cutoff,
    rows: Number(r.rows),
    positives: Number(r.positives ?? 0),
  }));
  return {
    table,
    rows: perCutoff.reduce((a, r) => a + r.rows, 0),
    positives: perCutoff.reduce((a, r) => a + r.positives, 0),
    perCutoff,
    nonFeatures: [
      'customer_id',
      'as_of',
      'cutoff',
      'label',
      'first_order',
      'last_order',
      ...(options.label.kind === 'response' ? ['campaign_id'] : []),
    ],
  };
}

/** The share of repeat purchases a default churn window covers: 90% come within it. */
export const PURCHASE_CYCLE_PERCENTILE = 0.9;
const CYCLE_MIN_DAYS = 30;
const CYCLE_MAX_DAYS = 730;
/** Fewer repeat purchases than this and the cycle says too little: the window falls back to 90 days. */
const CYCLE_MIN_GAPS = 30;
const CYCLE_FALLBACK_DAYS = 90;

export interface PurchaseCycle {
  /** The churn window in days: the percentile of the gaps, whole days, within 30–730. */
  days: number;
  percentile: number;
  /** Repeat purchases (gaps between a customer's consecutive order days) it was measured on. */
  gaps: number;
  /** The median gap, in days (null without gaps). */
  medianDays: number | null;
  /** 'purchase cycle', or 'fallback' when there were too few repeat purchases. */
  source: 'purchase cycle' | 'fallback';
}

/**
 * The shop's own purchase cycle as of `asOf`: the gaps between each customer's consecutive order days on or
 * before `asOf` (only), and the `percentile` of them (default 0.9: 90% of repeat purchases come within it).
 * A customer who buys nothing for that long has left the shop's normal rhythm: the default churn window.
 */
export async function purchaseCycle(
  engine: Engine,
  asOf: string,
  percentile = PURCHASE_CYCLE_PERCENTILE,
): Promise<PurchaseCycle> {
  if (!isIsoDate(asOf))
    throw new InputError(`purchase cycle: expected a date YYYY-MM-DD, got "${asOf}".`, { asOf });
  const d = engine.dialect;
  const [row] = await engine.query<{ gaps: number; p: number | null; median: number | null }>(
    sql`WITH days AS (
      SELECT DISTINCT customer_id, order_date FROM orders
      WHERE order_date <= ${d.dateParam(asOf)} AND lower(coalesce(status, 'completed')) NOT IN (${excluded()})),
    ranked AS (
      SELECT customer_id, order_date, row_number() OVER (PARTITION BY customer_id ORDER BY order_date) AS n FROM days),
    gaps AS (
      SELECT ${d.dateDiffDays(sql`a.order_date`, sql`b.order_date`)} AS gap
      FROM ranked a JOIN ranked b ON b.customer_id = a.customer_id AND b.n = a.n + 1)
    SELECT count(*) AS gaps, ${d.quantile(d.toDouble(sql`gap`), percentile)} AS p, ${d.quantile(d.toDouble(sql`gap`), 0.5)} AS median FROM gaps`,
  );
  const gaps = Number(row?.gaps ?? 0);
  const medianDays = row?.median === null || row?.median === undefined ? null : Number(row.median);
  if (gaps < CYCLE_MIN_GAPS || row?.p === null || row?.p === undefined)
    return { days: CYCLE_FALLBACK_DAYS, percentile, gaps, medianDays, source: 'fallback' };
  const days = Math.min(CYCLE_MAX_DAYS, Math.max(CYCLE_MIN_DAYS, Math.ceil(Number(row.p))));
  return { days, percentile, gaps, medianDays, source: 'purchase cycle' };
}

/** The window said in words: "268 days (the shop's purchase cycle: 90% of 6,637 repeat purchases came within it)". */
export function purchaseCycleWords(cycle: PurchaseCycle): string {
  if (cycle.source === 'fallback')
    return `${cycle.days} days (too few repeat purchases, ${cycle.gaps}, to measure the shop's purchase cycle)`;
  return `${cycle.days} days (the shop's purchase cycle: ${Math.round(cycle.percentile * 100)}% of ${cycle.gaps.toLocaleString('en')} repeat purchases came within it; median gap ${cycle.medianDays} days)`;
}
