/**
 * E-mail engagement done properly: RFO (recency and frequency of opens) and RFC (of clicks) scored on the
 * opens and clicks themselves, an open×click quadrant map (loyal readers, window shoppers, selective,
 * dormant), and per-contact engagement probabilities shrunk toward the population by a beta-binomial prior
 * (models/beta-binomial.ts), with their change between an earlier and a recent period.
 *
 * SQL-first: events are reduced in the engine to one row per (campaign, contact) and then per contact; only
 * the (n, k) histograms come to TypeScript to fit the priors, whose α and β go back into the scoring SQL.
 */
import { InputError } from '../../errors.js';
import type { Dialect, Engine, SqlFragment } from '../../store/index.js';
import { ident, sql } from '../../store/index.js';
import { isIsoDate } from '../shared/dates.js';
import { type BetaPrior, type CountPair, fitBetaBinomial } from './models/beta-binomial.js';

export const ENGAGEMENT_TABLE = 'customer_engagement';

/** The four open × click quadrants, in display order. */
export const QUADRANTS = ['loyal readers', 'window shoppers', 'selective', 'dormant'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export interface EngagementOptions {
  asOf: string;
  /** Days of history before asOf (default 365). */
  windowDays?: number;
  /** The recent period for the decline (default 90 days; the earlier period is the rest of the window). */
  recentDays?: number;
  /** Score levels for R and F (default 5). */
  bins?: number;
  /** Campaign channel read (default email). */
  channel?: string;
  /** Drop in open probability (absolute) between the periods that counts as declining (default 0.1). */
  declineThreshold?: number;
}

interface ResolvedOptions {
  asOf: string;
  windowDays: number;
  recentDays: number;
  bins: number;
  channel: string;
  declineThreshold: number;
}

function resolve(o: EngagementOptions): ResolvedOptions {
  const issues: string[] = [];
  if (!isIsoDate(o.asOf)) issues.push(`asOf: expected a date YYYY-MM-DD, got ${JSON.stringify(o.asOf)}`);
  const windowDays = o.windowDays ?? 365;
  const recentDays = o.recentDays ?? 90;
  const bins = o.bins ?? 5;
  const declineThreshold = o.declineThreshold ?? 0.1;
  if (!Number.isInteger(windowDays) || windowDays < 14 || windowDays > 3650)
    issues.push(`windowDays: expected a whole number 14–3650, got ${windowDays}`);
  if (!Number.isInteger(recentDays) || recentDays < 7 || recentDays >= windowDays)
    issues.push(`recentDays: expected a whole number ≥ 7 and below windowDays, got ${recentDays}`);
  if (!Number.isInteger(bins) || bins < 2 || bins > 10) issues.push(`bins: expected 2–10, got ${bins}`);
  if (!(declineThreshold > 0 && declineThreshold < 1))
    issues.push(`declineThreshold: expected a share between 0 and 1, got ${declineThreshold}`);
  if (issues.length) throw new InputError(`Engagement settings are not valid:\n  - ${issues.join('\n  - ')}`);
  return { asOf: o.asOf, windowDays, recentDays, bins, channel: o.channel ?? 'email', declineThreshold };
}

function end(d: Dialect, asOf: string): SqlFragment {
  return sql`CAST(${d.addDays(d.dateParam(asOf), sql`1`)} AS TIMESTAMP)`;
}

/**
 * One row per contact with deliveries in the window: delivered (sent and not bounced, or opened/clicked),
 * opened and clicked campaigns (a click counts as an open: images may be off), the same for the recent and the
 * earlier period, and the last open and click.
 */
export function engagementCountsSql(d: Dialect, o: ResolvedOptions): SqlFragment {
  const to = end(d, o.asOf);
  const from = d.addDaysToTimestamp(to, sql`${-o.windowDays}`);
  const recentFrom = d.addDaysToTimestamp(to, sql`${-o.recentDays}`);
  return sql`WITH funnel AS (
      SELECT e.customer_id AS customer_id, e.campaign_id,
        min(e.event_time) AS first_at,
        max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) AS sent,
        max(CASE WHEN e.event_type = 'bounce' THEN 1 ELSE 0 END) AS bounced,
        max(CASE WHEN e.event_type IN ('open', 'click') THEN 1 ELSE 0 END) AS opened,
        max(CASE WHEN e.event_type = 'click' THEN 1 ELSE 0 END) AS clicked,
        max(CASE WHEN e.event_type IN ('open', 'click') THEN e.event_time END) AS last_open,
        max(CASE WHEN e.event_type = 'click' THEN e.event_time END) AS last_click
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE c.channel = ${o.channel} AND e.event_type IN ('sent', 'bounce', 'open', 'click')
        AND e.event_time >= ${from} AND e.event_time < ${to}
      GROUP BY e.customer_id, e.campaign_id),
    delivered AS (
      SELECT *, CASE WHEN (sent = 1 AND bounced = 0) OR opened = 1 THEN 1 ELSE 0 END AS delivered,
        CASE WHEN first_at >= ${recentFrom} THEN 1 ELSE 0 END AS recent
      FROM funnel)
    SELECT customer_id,
      sum(delivered) AS delivered, sum(opened) AS opens, sum(clicked) AS clicks,
      sum(delivered * recent) AS delivered_recent, sum(opened * recent) AS opens_recent,
      sum(delivered * (1 - recent)) AS delivered_early, sum(opened * (1 - recent)) AS opens_early,
      ${d.dateDiffDays(sql`max(last_open)`, to)} AS open_recency_days,
      ${d.dateDiffDays(sql`max(last_click)`, to)} AS click_recency_days
    FROM delivered GROUP BY customer_id HAVING sum(delivered) > 0`;
}

/** Rank-based score 1…bins (ties share a score), as in RFM: higher is better. */
function rankScore(bins: number, order: SqlFragment): SqlFragment {
  return sql`CAST(1 + floor(${bins} * (rank() OVER (ORDER BY ${order}) - 1) / CAST(count(*) OVER () AS DOUBLE)) AS INTEGER)`;
}

/** Per-contact engagement: shrunk probabilities, RFO/RFC scores, quadrant and decline. */
export function engagementScoreSql(
  d: Dialect,
  o: ResolvedOptions,
  open: Pick<BetaPrior, 'alpha' | 'beta' | 'mean'>,
  click: Pick<BetaPrior, 'alpha' | 'beta' | 'mean'>,
): SqlFragment {
  const shrink = (k: SqlFragment, n: SqlFragment, p: Pick<BetaPrior, 'alpha' | 'beta'>) =>
    sql`(${k} + ${p.alpha}) / (${n} + ${p.alpha + p.beta})`;
  const never = o.windowDays + 1;
  // Above the population rate, on evidence: a contact without opens (clicks) sits exactly at the prior mean.
  const highOpen = sql`(opens > 0 AND open_probability > ${open.mean})`;
  const highClick = sql`(clicks > 0 AND click_probability > ${click.mean})`;
  return sql`WITH counts AS (${engagementCountsSql(d, o)}),
    probs AS (
      SELECT *,
        ${shrink(sql`opens`, sql`delivered`, open)} AS open_probability,
        ${shrink(sql`clicks`, sql`opens`, click)} AS click_probability,
        ${shrink(sql`opens_recent`, sql`delivered_recent`, open)} AS open_probability_recent,
        ${shrink(sql`opens_early`, sql`delivered_early`, open)} AS open_probability_early
      FROM counts)
    SELECT customer_id, delivered, opens, clicks, open_recency_days, click_recency_days,
      open_probability, click_probability, open_probability * click_probability AS click_per_send,
      open_probability_recent, open_probability_early,
      open_probability_recent - open_probability_early AS open_trend,
      CASE WHEN delivered_early > 0 AND delivered_recent > 0
        AND open_probability_recent < open_probability_early - ${o.declineThreshold} THEN 1 ELSE 0 END AS declining,
      ${rankScore(o.bins, sql`coalesce(open_recency_days, ${never}) DESC`)} AS r_open,
      ${rankScore(o.bins, sql`opens`)} AS f_open,
      ${rankScore(o.bins, sql`coalesce(click_recency_days, ${never}) DESC`)} AS r_click,
      ${rankScore(o.bins, sql`clicks`)} AS f_click,
      CASE WHEN ${highOpen} AND ${highClick} THEN 'loyal readers'
        WHEN ${highOpen} THEN 'window shoppers'
        WHEN ${highClick} THEN 'selective'
        ELSE 'dormant' END AS quadrant
    FROM probs`;
}

export interface QuadrantSummary {
  quadrant: Quadrant;
  contacts: number;
  share: number;
  meanOpenProbability: number;
  meanClickProbability: number;
  meanOpenRecencyDays: number | null;
  declining: number;
}

export interface EngagementResult {
  asOf: string;
  windowDays: number;
  recentDays: number;
  channel: string;
  contacts: number;
  /** Beta prior of the open rate per delivery and of the click rate per open. */
  openPrior: BetaPrior;
  clickPrior: BetaPrior;
  quadrants: QuadrantSummary[];
  /** Contacts per (R, F) cell of opens and of clicks: `rfo[r-1][f-1]`. */
  rfo: number[][];
  rfc: number[][];
  /** Open rate per month of send over the window (population). */
  monthly: { month: string; delivered: number; opens: number; openRate: number; clickRate: number }[];
  declining: number;
  /** Rows written to customer_engagement (with save), else null. */
  saved: number | null;
  warnings: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

async function pairs(engine: Engine, counts: SqlFragment, n: string, k: string): Promise<CountPair[]> {
  const rows = await engine.query(
    sql`SELECT ${ident(n)} AS n, ${ident(k)} AS k, count(*) AS c FROM (${counts}) x GROUP BY 1, 2`,
  );
  return rows.map((r) => ({ n: num(r.n), k: num(r.k), count: num(r.c) }));
}

/**
 * RFO/RFC engagement profile of every contact with deliveries in the window.
 *
 * @throws InputError for bad settings.
 * @example
 * const r = await engagementProfile(engine, { asOf: '2026-06-30' });
 * r.quadrants.map((q) => [q.quadrant, q.contacts]);
 */
export async function engagementProfile(
  engine: Engine,
  options: EngagementOptions & { save?: boolean },
): Promise<EngagementResult> {
  const o = resolve(options);
  const d = engine.dialect;
  const counts = engagementCountsSql(d, o);
  const openPrior = fitBetaBinomial(await pairs(engine, counts, 'delivered', 'opens'));
  const clickPrior = fitBetaBinomial(await pairs(engine, counts, 'opens', 'clicks'));
  const scored = engagementScoreSql(d, o, openPrior, clickPrior);
  let saved: number | null = null;
  let source: SqlFragment = sql`(${scored}) s`;
  if (options.save) {
    await engine.exec(sql`CREATE OR REPLACE TABLE ${ident(ENGAGEMENT_TABLE)} AS ${scored}`);
    const [c] = await engine.query(sql`SELECT count(*) AS n FROM ${ident(ENGAGEMENT_TABLE)}`);
    saved = num(c?.n);
    source = sql`${ident(ENGAGEMENT_TABLE)} s`;
  }
  const rows = await engine.query(sql`SELECT quadrant, count(*) AS contacts,
      avg(open_probability) AS p_open, avg(click_probability) AS p_click,
      avg(open_recency_days) AS recency, sum(declining) AS declining
    FROM ${source} GROUP BY quadrant`);
  const contacts = rows.reduce((s, r) => s + num(r.contacts), 0);
  const quadrants: QuadrantSummary[] = QUADRANTS.map((q) => {
    const r = rows.find((x) => x.quadrant === q);
    return {
      quadrant: q,
      contacts: num(r?.contacts),
      share: contacts ? num(r?.contacts) / contacts : 0,
      meanOpenProbability: num(r?.p_open),
      meanClickProbability: num(r?.p_click),
      meanOpenRecencyDays: r?.recency === null || r?.recency === undefined ? null : num(r.recency),
      declining: num(r?.declining),
    };
  });
  const grid = async (rCol: string, fCol: string) => {
    const cells = Array.from({ length: o.bins }, () => Array.from({ length: o.bins }, () => 0));
    const g = await engine.query(
      sql`SELECT ${ident(rCol)} AS r, ${ident(fCol)} AS f, count(*) AS n FROM ${source} GROUP BY 1, 2`,
    );
    for (const c of g) cells[num(c.r) - 1]![num(c.f) - 1] = num(c.n);
    return cells;
  };
  const to = end(d, o.asOf);
  const monthlyRows = await engine.query(sql`SELECT ${d.toText(d.truncToMonth(sql`e.event_time`))} AS month,
      ${d.countIf(sql`e.event_type = 'sent'`)} AS sent,
      ${d.countIf(sql`e.event_type = 'bounce'`)} AS bounced,
      ${d.countIf(sql`e.event_type = 'open'`)} AS opens,
      ${d.countIf(sql`e.event_type = 'click'`)} AS clicks
    FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
    WHERE c.channel = ${o.channel} AND e.event_time >= ${d.addDaysToTimestamp(to, sql`${-o.windowDays}`)}
      AND e.event_time < ${to}
    GROUP BY 1 ORDER BY 1`);
  const monthly = monthlyRows.map((r) => {
    const delivered = Math.max(0, num(r.sent) - num(r.bounced));
    return {
      month: String(r.month).slice(0, 7),
      delivered,
      opens: num(r.opens),
      openRate: delivered ? num(r.opens) / delivered : 0,
      clickRate: delivered ? num(r.clicks) / delivered : 0,
    };
  });
  const warnings: string[] = [];
  if (contacts === 0)
    warnings.push(
      `No ${o.channel} deliveries in the ${o.windowDays} days before ${o.asOf}: nothing to profile. Check --as-of and that campaigns.channel is "${o.channel}".`,
    );
  if (!openPrior.converged && contacts > 0)
    warnings.push(
      'The open-rate prior could not be fitted well (too few contacts with several sends); shrinkage uses a weak prior at the pooled rate.',
    );
  return {
    asOf: o.asOf,
    windowDays: o.windowDays,
    recentDays: o.recentDays,
    channel: o.channel,
    contacts,
    openPrior,
    clickPrior,
    quadrants,
    rfo: await grid('r_open', 'f_open'),
    rfc: await grid('r_click', 'f_click'),
    monthly,
    declining: quadrants.reduce((s, q) => s + q.declining, 0),
    saved,
    warnings,
  };
}
