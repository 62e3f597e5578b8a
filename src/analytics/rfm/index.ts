/**
 * RFM / RFO / RFC profiles: scores by rank-based quantiles (default) or fixed cut points, the classic
 * segment map (editable), the segment summary and segment movement between two dates.
 */
import { InputError } from '../../errors.js';
import type { Engine, SqlFragment } from '../../store/index.js';
import { ident, join, sql } from '../../store/index.js';
import type { EngagementResult } from '../campaigns/index.js';
import { describeFeatureTable, FEATURES_TABLE, featuresSql, featureTableAsOf } from '../features/index.js';
import { CLASSIC_MAP, NO_PURCHASE, type TransitionMatrix, transitionMatrix } from './core.js';
import { parseParams, type RfmParams } from './params.js';
import { rfmInputSql, scoreSql, statesSql, THIRD_MEASURE } from './sql.js';

export {
  CLASSIC_MAP,
  NO_PURCHASE,
  type RfmCuts,
  type RfmInput,
  type RfmScore,
  type RfmScoring,
  type ScoreRange,
  type SegmentRule,
  scoreCore,
  scoreMeasure,
  segmentOf,
  type TransitionMatrix,
  transitionMatrix,
  UNCLASSIFIED,
} from './core.js';
export { explainScore } from './explain.js';
export { defaults, parseParams, parseSegmentMap, type RfmKind, type RfmParams } from './params.js';
export { scoreSql, statesSql, THIRD_MEASURE } from './sql.js';

/** The table that `buildRfm` writes. */
export const RFM_TABLE = 'customer_rfm';

/** Input to the RFM functions: `asOf` plus any of the params (defaults fill the rest). */
export type RfmOptions = Partial<RfmParams> & { asOf: string };

/**
 * The feature rows RFM reads: the built `customer_features` table when its as_of matches, else the feature
 * view computed on the fly for `asOf` (no share columns).
 */
export async function featureSource(engine: Engine, asOf: string): Promise<SqlFragment> {
  if ((await featureTableAsOf(engine)) === asOf) return sql`${ident(FEATURES_TABLE)} fe_src`;
  return sql`(${featuresSql(engine.dialect, { asOf, categories: [], channels: [] })}) fe_src`;
}

export interface RfmSegmentSummary {
  segment: string;
  customers: number;
  /** customers ÷ scored customers. */
  share: number;
  meanRecencyDays: number;
  meanFrequency: number;
  /** Mean of the third measure (revenue, opens or clicks). */
  meanValue: number;
  /** Segment's sum of the third measure ÷ total. */
  valueShare: number;
}

export interface RfmResult {
  params: RfmParams;
  /** Customers with at least one order up to asOf (scored). */
  scored: number;
  /** Customers in the feature view without an order (state `No purchase`, not scored). */
  notScored: number;
  segments: RfmSegmentSummary[];
  /** Customers per (R, F) cell: `cells[r-1][f-1]`. */
  cells: number[][];
  warnings: string[];
}

/**
 * RFO / RFC: the e-mail engagement profile (recency and frequency of the opens or clicks themselves, the
 * open × click quadrants, shrunk probabilities), the same figures as `clientele rfm --kind rfo|rfc`,
 * `GET /api/rfm?kind=rfo|rfc` and `engagementProfile` (campaigns module). `kind` names the grid in focus.
 */
export type EngagementRfmResult = EngagementResult & { kind: 'rfo' | 'rfc' };

/** Options of the engagement kinds: the window of e-mail history, not cut points or a segment map. */
export type EngagementRfmOptions = {
  asOf: string;
  kind: 'rfo' | 'rfc';
  bins?: number;
  /** Days of e-mail history before asOf (default 365). */
  windowDays?: number;
  /** The recent period for the decline (default 90). */
  recentDays?: number;
};

/**
 * Scores every customer and summarises by segment (nothing is written). `kind: 'rfm'` (default) scores
 * purchases; `kind: 'rfo' | 'rfc'` returns the e-mail engagement profile instead (recency and frequency of
 * opens or clicks, never of orders), as the CLI and the API do.
 *
 * @throws InputError for bad settings, or cuts / a segment map with an engagement kind.
 * @example
 * const rfo = await rfmSummary(engine, { asOf: '2026-06-30', kind: 'rfo' });
 * rfo.quadrants.map((q) => [q.quadrant, q.contacts, q.meanOpenRecencyDays]);
 */
export async function rfmSummary(engine: Engine, options: EngagementRfmOptions): Promise<EngagementRfmResult>;
export async function rfmSummary(engine: Engine, options: RfmOptions & { kind?: 'rfm' }): Promise<RfmResult>;
export async function rfmSummary(
  engine: Engine,
  options: RfmOptions | EngagementRfmOptions,
): Promise<RfmResult | EngagementRfmResult>;
export async function rfmSummary(
  engine: Engine,
  options: RfmOptions | EngagementRfmOptions,
): Promise<RfmResult | EngagementRfmResult> {
  if (options.kind === 'rfo' || options.kind === 'rfc')
    return engagementRfm(engine, options as EngagementRfmOptions & { cuts?: unknown; map?: unknown });
  return purchaseRfm(engine, options as RfmOptions);
}

async function engagementRfm(
  engine: Engine,
  options: EngagementRfmOptions & { cuts?: unknown; map?: unknown },
): Promise<EngagementRfmResult> {
  const kind = options.kind;
  const unused = (['cuts', 'map'] as const).filter((k) => {
    const v = options[k];
    return v !== undefined && !(k === 'cuts' && Object.keys(v as object).length === 0);
  });
  if (unused.length)
    throw new InputError(
      `RFM kind ${kind}: ${unused.join(', ')} apply to purchase RFM only (kind rfm). RFO / RFC score the opens and clicks themselves; drop ${unused.join(' and ')}, or use kind rfm.`,
      { kind, unused },
      { code: 'INVALID_ARGUMENT' },
    );
  // Loaded on use: campaigns → uplift → predict → segments imports this module, and segments reads
  // RFM_TABLE while it loads (a static import here made `clientele demo` stop with "Cannot access
  // 'RFM_TABLE' before initialization" whenever this module was loaded first).
  const { engagementProfile } = await import('../campaigns/index.js');
  const r = await engagementProfile(engine, {
    asOf: options.asOf,
    ...(options.bins !== undefined ? { bins: options.bins } : {}),
    ...(options.windowDays !== undefined ? { windowDays: options.windowDays } : {}),
    ...(options.recentDays !== undefined ? { recentDays: options.recentDays } : {}),
  });
  return { kind, ...r };
}

/** Throws for the engagement kinds where only purchase RFM has a meaning (saved scores, movement). */
function purchaseOnly(kind: unknown, what: string): void {
  if (kind === 'rfo' || kind === 'rfc')
    throw new InputError(
      `${what}: kind ${kind} is not scored here. RFO / RFC are the e-mail engagement profile (rfmSummary with kind ${kind}, or engagementProfile with save: true to write customer_engagement); use kind rfm.`,
      { kind },
      { code: 'INVALID_ARGUMENT' },
    );
}

async function purchaseRfm(engine: Engine, options: RfmOptions): Promise<RfmResult> {
  const params = parseParams(options);
  const source = await featureSource(engine, params.asOf);
  const scored = sql`(${scoreSql(engine.dialect, params, source)}) s`;
  const rows = await engine.query<{
    segment: string;
    customers: number;
    mean_recency: number;
    mean_frequency: number;
    mean_value: number;
    value_sum: number;
  }>(sql`SELECT rfm_segment AS segment, count(*) AS customers, avg(recency) AS mean_recency,
      avg(frequency) AS mean_frequency, avg(value) AS mean_value, sum(value) AS value_sum
    FROM ${scored} GROUP BY rfm_segment`);
  const cellRows = await engine.query<{ r: number; f: number; n: number }>(
    sql`SELECT r_score AS r, f_score AS f, count(*) AS n FROM ${scored} GROUP BY 1, 2`,
  );
  const [total] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${source}`);
  const scoredCount = rows.reduce((s, r) => s + r.customers, 0);
  const valueTotal = rows.reduce((s, r) => s + (r.value_sum ?? 0), 0);
  const order = params.map.map((m) => m.name);
  const segments = rows
    .map((r) => ({
      segment: r.segment,
      customers: r.customers,
      share: scoredCount ? r.customers / scoredCount : 0,
      meanRecencyDays: r.mean_recency,
      meanFrequency: r.mean_frequency,
      meanValue: r.mean_value,
      valueShare: valueTotal ? (r.value_sum ?? 0) / valueTotal : 0,
    }))
    .sort((a, b) => rank(order, a.segment) - rank(order, b.segment));
  const cells = Array.from({ length: params.bins }, () => Array.from({ length: params.bins }, () => 0));
  for (const c of cellRows) cells[c.r - 1]![c.f - 1] = c.n;
  const warnings: string[] = [];
  if (scoredCount === 0)
    warnings.push(`No customer has an order on or before ${params.asOf}: nothing to score. Check --as-of.`);
  if (params.map === CLASSIC_MAP && params.bins !== 5)
    warnings.push(
      `The classic segment map is made for 5 bins; with ${params.bins} bins pass your own --map.`,
    );
  return {
    params,
    scored: scoredCount,
    notScored: (total?.n ?? 0) - scoredCount,
    segments,
    cells,
    warnings,
  };
}

/** Writes `customer_rfm` (customer_id, as_of, recency, frequency, value, scores, rfm_segment). */
export async function buildRfm(
  engine: Engine,
  options: RfmOptions,
): Promise<{ table: string; rows: number }> {
  purchaseOnly(options.kind, 'buildRfm');
  const params = parseParams(options);
  const source = await featureSource(engine, params.asOf);
  const select = sql`SELECT s.*, ${engine.dialect.dateParam(params.asOf)} AS as_of, ${params.kind} AS rfm_kind
    FROM (${scoreSql(engine.dialect, params, source)}) s`;
  await engine.transaction(async (tx) => {
    if (engine.dialect.supportsCreateOrReplace)
      await tx.exec(sql`CREATE OR REPLACE TABLE ${ident(RFM_TABLE)} AS ${select}`);
    else {
      await tx.exec(sql`DROP TABLE IF EXISTS ${ident(RFM_TABLE)}`);
      await tx.exec(sql`CREATE TABLE ${ident(RFM_TABLE)} AS ${select}`);
    }
  });
  const [row] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${ident(RFM_TABLE)}`);
  if ((await featureTableAsOf(engine)) === params.asOf) await attachToFeatures(engine);
  return { table: RFM_TABLE, rows: row?.n ?? 0 };
}

/** The RFM columns copied into customer_features (same as_of), so segment counts need no join. */
export const RFM_FEATURE_COLUMNS = ['r_score', 'f_score', 'm_score', 'rfm_score', 'rfm_segment'] as const;

/**
 * Copies the RFM scores into `customer_features` (replacing earlier ones): segment expressions on
 * rfm_segment then filter one table. Customers without orders get NULL scores.
 */
async function attachToFeatures(engine: Engine): Promise<void> {
  const keep = (await describeFeatureTable(engine, FEATURES_TABLE))
    .map((c) => c.name)
    .filter((n) => !(RFM_FEATURE_COLUMNS as readonly string[]).includes(n));
  const select = sql`SELECT ${join(keep.map((c) => sql`f.${ident(c)}`))}, ${join(RFM_FEATURE_COLUMNS.map((c) => sql`r.${ident(c)}`))}
    FROM ${ident(FEATURES_TABLE)} f LEFT JOIN ${ident(RFM_TABLE)} r ON r.customer_id = f.customer_id`;
  const next = `${FEATURES_TABLE}__next`;
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DROP TABLE IF EXISTS ${ident(next)}`);
    await tx.exec(sql`CREATE TABLE ${ident(next)} AS ${select}`);
    await tx.exec(sql`DROP TABLE ${ident(FEATURES_TABLE)}`);
    await tx.exec(tx.dialect.renameTableSql(next, FEATURES_TABLE));
  });
}

export interface RfmTransitions extends TransitionMatrix {
  from: string;
  to: string;
  /** Customers who kept their segment (diagonal, `No purchase` excluded) ÷ customers scored at `from`. */
  stayed: number;
}

/**
 * Segment movement between two dates: every customer's state (segment, or `No purchase`) at `from` and at
 * `to`, counted as a transition matrix. Scores at each date use only data up to that date.
 */
export async function rfmTransitions(
  engine: Engine,
  options: Omit<RfmOptions, 'asOf'> & { from: string; to: string },
): Promise<RfmTransitions> {
  purchaseOnly(options.kind, 'RFM movement');
  const { from, to, ...rest } = options;
  const pFrom = parseParams({ ...rest, asOf: from });
  const pTo = parseParams({ ...rest, asOf: to });
  // Purchase RFM needs four columns: the lean input unless the built feature table matches the date.
  const input = async (asOf: string) =>
    (await featureTableAsOf(engine)) === asOf
      ? sql`${ident(FEATURES_TABLE)}`
      : rfmInputSql(engine.dialect, asOf);
  const fFrom = await input(from);
  const fTo = await input(to);
  const rows = await engine.query<{ from: string; to: string; customers: number }>(sql`
    SELECT coalesce(a.state, ${NO_PURCHASE}) AS ${ident('from')}, b.state AS ${ident('to')}, count(*) AS customers
    FROM (${statesSql(engine.dialect, pTo, fTo)}) b
    LEFT JOIN (${statesSql(engine.dialect, pFrom, fFrom)}) a ON a.customer_id = b.customer_id
    GROUP BY 1, 2`);
  const order = [...pFrom.map.map((m) => m.name), NO_PURCHASE];
  const m = transitionMatrix(rows, order);
  let stayed = 0;
  let scoredFrom = 0;
  m.states.forEach((s, i) => {
    if (s === NO_PURCHASE) return;
    stayed += m.matrix[i]![i]!;
    scoredFrom += m.matrix[i]!.reduce((a, b) => a + b, 0);
  });
  return { from, to, ...m, stayed: scoredFrom ? stayed / scoredFrom : 0 };
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** @internal the third measure's column for a kind. */
export function thirdMeasureColumn(kind: RfmParams['kind']): string {
  return THIRD_MEASURE[kind];
}
