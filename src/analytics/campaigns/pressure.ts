/**
 * Marketing pressure: does more mail still pay? For every delivered send the engine counts the sends the
 * contact had on the channel in the `windowDays` before it (that one included), and the response (an open or
 * a click). The response rate as a function of those recent sends is estimated **within contacts** (each
 * response minus the contact's own mean, plus the overall mean), so that contacts who are mailed more because
 * they are better customers do not hide the fatigue; 95% normal intervals. The saturation point is the last
 * number of sends before the rate falls significantly below its peak. Each contact is then classified at
 * asOf from their sends in the last window and their own response probability (beta-binomial shrinkage):
 * saturated (at or above the saturation point), under-solicited (responsive — above the population — and
 * mailed less than the saturation point), on target (the rest).
 */
import { InputError } from '../../errors.js';
import type { Dialect, Engine, SqlFragment } from '../../store/index.js';
import { ident, sql } from '../../store/index.js';
import { isIsoDate } from '../shared/dates.js';
import { Z_95 } from './core.js';
import { fitBetaBinomial } from './models/beta-binomial.js';

export const PRESSURE_TABLE = 'customer_pressure';
export const PRESSURE_CLASSES = ['saturated', 'on target', 'under-solicited'] as const;
export type PressureClass = (typeof PRESSURE_CLASSES)[number];

export interface PressureOptions {
  asOf: string;
  channel?: string;
  /** Rolling window for "recent sends" (default 30 days). */
  windowDays?: number;
  /** History used for the response curve (default 365 days). */
  historyDays?: number;
  /** Sends counted separately up to this number; more are pooled (default 8). */
  maxSends?: number;
  /** What counts as a response (default open; sms has no opens, use click). */
  response?: 'open' | 'click';
  /** Customers column for the breakdown. */
  by?: string;
  save?: boolean;
}

export interface PressurePoint {
  /** Sends in the window, this one included (the last bucket holds "this many or more"). */
  sends: number;
  n: number;
  /** Raw response rate of sends with this recent pressure. */
  rate: number;
  /** Within-contact rate (contact effects removed) and its 95% interval. */
  adjustedRate: number;
  ciLow: number;
  ciHigh: number;
}

export interface PressureResult {
  asOf: string;
  channel: string;
  windowDays: number;
  response: 'open' | 'click';
  curve: PressurePoint[];
  /** Sends in the window beyond which the response falls significantly (null when it never does). */
  saturationSends: number | null;
  peakSends: number | null;
  populationRate: number;
  contacts: number;
  /**
   * Per class: contacts, their sends in the window at asOf (mean, and the median as a whole count; null when
   * the class is empty) and their mean response probability.
   */
  classes: {
    class: PressureClass;
    contacts: number;
    meanRecentSends: number;
    medianRecentSends: number | null;
    meanResponse: number;
  }[];
  segments: { segment: string; class: PressureClass; contacts: number }[];
  saved: number | null;
  warnings: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function end(d: Dialect, asOf: string): SqlFragment {
  return sql`CAST(${d.addDays(d.dateParam(asOf), sql`1`)} AS TIMESTAMP)`;
}

/** One row per delivered send with the recent sends (this one included) and the response. */
export function sendsSql(
  d: Dialect,
  o: Required<Pick<PressureOptions, 'asOf' | 'channel' | 'windowDays' | 'historyDays' | 'response'>>,
): SqlFragment {
  const to = end(d, o.asOf);
  const from = d.addDaysToTimestamp(to, sql`${-(o.historyDays + o.windowDays)}`);
  const responseTypes = o.response === 'open' ? sql`('open', 'click')` : sql`('click', 'conversion')`;
  // The frame width must be a constant: a validated whole number, written into the text.
  const frame = d.windowDaysPreceding(sql`t`, o.windowDays);
  return sql`WITH s AS (
      SELECT e.customer_id AS customer_id, e.campaign_id AS campaign_id, min(CASE WHEN e.event_type = 'sent' THEN e.event_time END) AS t,
        max(CASE WHEN e.event_type = 'bounce' THEN 1 ELSE 0 END) AS bounced,
        max(CASE WHEN e.event_type IN ${responseTypes} THEN 1 ELSE 0 END) AS responded
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE c.channel = ${o.channel} AND e.event_time >= ${from} AND e.event_time < ${to}
        AND e.event_type IN ('sent', 'bounce', 'open', 'click', 'conversion')
      GROUP BY e.customer_id, e.campaign_id
      HAVING max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) = 1),
    w AS (SELECT *, count(*) OVER (PARTITION BY customer_id ${frame}) AS recent FROM s)
    SELECT customer_id, t, recent, responded FROM w
    WHERE bounced = 0 AND t >= ${d.addDaysToTimestamp(to, sql`${-o.historyDays}`)}`;
}

/**
 * Response against recent sends, the saturation point, and each contact's pressure class.
 *
 * @throws InputError for bad settings or an unknown breakdown column.
 * @example
 * const r = await pressureReport(engine, { asOf: '2026-06-30' });
 * r.saturationSends; r.classes;
 */
export async function pressureReport(engine: Engine, options: PressureOptions): Promise<PressureResult> {
  const o = {
    asOf: options.asOf,
    channel: options.channel ?? 'email',
    windowDays: options.windowDays ?? 30,
    historyDays: options.historyDays ?? 365,
    maxSends: options.maxSends ?? 8,
    response: options.response ?? ('open' as const),
  };
  const issues: string[] = [];
  if (!isIsoDate(o.asOf)) issues.push(`asOf: expected a date YYYY-MM-DD, got ${JSON.stringify(o.asOf)}`);
  if (!Number.isInteger(o.windowDays) || o.windowDays < 1 || o.windowDays > 365)
    issues.push(`windowDays: expected 1–365, got ${o.windowDays}`);
  if (!Number.isInteger(o.historyDays) || o.historyDays < 30 || o.historyDays > 3650)
    issues.push(`historyDays: expected 30–3650, got ${o.historyDays}`);
  if (!Number.isInteger(o.maxSends) || o.maxSends < 2 || o.maxSends > 50)
    issues.push(`maxSends: expected 2–50, got ${o.maxSends}`);
  if (o.response !== 'open' && o.response !== 'click')
    issues.push(`response: expected open or click, got ${JSON.stringify(o.response)}`);
  if (issues.length) throw new InputError(`Pressure settings are not valid:\n  - ${issues.join('\n  - ')}`);
  const d = engine.dialect;
  if (options.by) {
    const cols = await engine.query(
      sql`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'customers'`,
    );
    if (!cols.some((c) => c.c === options.by) || options.by === 'customer_id')
      throw new InputError(
        `--by: expected a column of customers (${cols.map((c) => c.c).join(', ')}), got ${options.by}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
  }
  let sends = sendsSql(d, o);
  // Saving: the per-send rows (a window over every contact's sends, the expensive part) are computed once
  // into a scratch table that the curve, the prior and the classes read, and dropped at the end.
  const scratch = options.save ? `${PRESSURE_TABLE}_sends_scratch` : null;
  if (scratch) {
    await engine.exec(sql`CREATE OR REPLACE TABLE ${ident(scratch)} AS ${sends}`);
    sends = sql`SELECT * FROM ${ident(scratch)}`;
  }
  try {
    return await pressureFrom(engine, options, o, sends);
  } finally {
    if (scratch) await engine.exec(sql`DROP TABLE IF EXISTS ${ident(scratch)}`);
  }
}

async function pressureFrom(
  engine: Engine,
  options: PressureOptions,
  o: Required<Pick<PressureOptions, 'asOf' | 'channel' | 'windowDays' | 'historyDays' | 'response'>> & {
    maxSends: number;
  },
  sends: SqlFragment,
): Promise<PressureResult> {
  const d = engine.dialect;
  const bucket = d.least(sql`recent`, sql`${o.maxSends}`);
  const curveRows = await engine.query(sql`WITH x AS (${sends}),
      c AS (SELECT customer_id, avg(responded) AS own FROM x GROUP BY customer_id),
      g AS (SELECT avg(responded) AS overall FROM x)
    SELECT ${bucket} AS sends, count(*) AS n, avg(x.responded) AS rate,
      avg(x.responded - c.own) + max(g.overall) AS adjusted,
      stddev_samp(x.responded - c.own) AS sd
    FROM x JOIN c ON c.customer_id = x.customer_id CROSS JOIN g
    GROUP BY 1 ORDER BY 1`);
  const curve: PressurePoint[] = curveRows.map((r) => {
    const n = num(r.n);
    const se = n > 1 ? num(r.sd) / Math.sqrt(n) : 0;
    const adjusted = num(r.adjusted);
    return {
      sends: num(r.sends),
      n,
      rate: num(r.rate),
      adjustedRate: adjusted,
      ciLow: adjusted - Z_95 * se,
      ciHigh: adjusted + Z_95 * se,
    };
  });
  // Peak among buckets with enough sends to say anything; saturation: the last count before the rate is
  // significantly below the peak.
  const usable = curve.filter((p) => p.n >= 30);
  let peak: PressurePoint | null = null;
  for (const p of usable) if (!peak || p.adjustedRate > peak.adjustedRate) peak = p;
  let saturationSends: number | null = null;
  if (peak)
    for (const p of usable)
      if (p.sends > peak.sends && p.ciHigh < peak.ciLow) {
        saturationSends = p.sends - 1;
        break;
      }
  // Per-contact response probability (shrunk) and recent sends at asOf.
  const to = end(d, o.asOf);
  const perContact = sql`SELECT customer_id, count(*) AS n, sum(responded) AS k FROM (${sends}) x GROUP BY customer_id`;
  const pairsRows = await engine.query(sql`SELECT n, k, count(*) AS c FROM (${perContact}) p GROUP BY 1, 2`);
  const prior = fitBetaBinomial(pairsRows.map((r) => ({ n: num(r.n), k: num(r.k), count: num(r.c) })));
  const recentSql = sql`SELECT e.customer_id AS customer_id, count(DISTINCT e.campaign_id) AS recent
    FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
    WHERE c.channel = ${o.channel} AND e.event_type = 'sent'
      AND e.event_time >= ${d.addDaysToTimestamp(to, sql`${-o.windowDays}`)} AND e.event_time < ${to}
    GROUP BY e.customer_id`;
  const threshold = saturationSends;
  const classify = sql`CASE
      WHEN ${threshold === null ? sql`FALSE` : sql`coalesce(r.recent, 0) >= ${threshold}`} THEN 'saturated'
      WHEN p.response_probability > ${prior.mean}
        AND coalesce(r.recent, 0) < ${threshold === null ? (peak?.sends ?? 1) : threshold} THEN 'under-solicited'
      ELSE 'on target' END`;
  const classified = sql`SELECT p.customer_id AS customer_id, coalesce(r.recent, 0) AS recent_sends, p.n AS sends, p.k AS responses,
      p.response_probability, ${classify} AS pressure_class
    FROM (SELECT customer_id, n, k, (k + ${prior.alpha}) / (n + ${prior.alpha + prior.beta}) AS response_probability
      FROM (${perContact}) q) p
    LEFT JOIN (${recentSql}) r ON r.customer_id = p.customer_id`;
  let saved: number | null = null;
  let source = sql`(${classified}) k`;
  if (options.save) {
    await engine.exec(sql`CREATE OR REPLACE TABLE ${ident(PRESSURE_TABLE)} AS ${classified}`);
    saved = num((await engine.query(sql`SELECT count(*) AS n FROM ${ident(PRESSURE_TABLE)}`))[0]?.n);
    source = sql`${ident(PRESSURE_TABLE)} k`;
  }
  const classRows = await engine.query(sql`SELECT pressure_class, count(*) AS n, avg(recent_sends) AS recent,
      ${d.quantile(sql`recent_sends`, 0.5)} AS median_recent, avg(response_probability) AS p FROM ${source} GROUP BY 1`);
  const classes = PRESSURE_CLASSES.map((c) => {
    const r = classRows.find((x) => x.pressure_class === c);
    return {
      class: c,
      contacts: num(r?.n),
      meanRecentSends: num(r?.recent),
      medianRecentSends: r ? Math.round(num(r.median_recent)) : null,
      meanResponse: num(r?.p),
    };
  });
  const segments = options.by
    ? (
        await engine.query(sql`SELECT coalesce(${d.toText(sql`cu.${ident(options.by)}`)}, '(missing)') AS segment,
            pressure_class, count(*) AS n
          FROM ${source} LEFT JOIN customers cu ON cu.customer_id = k.customer_id GROUP BY 1, 2 ORDER BY 1, 2`)
      ).map((r) => ({
        segment: String(r.segment),
        class: r.pressure_class as PressureClass,
        contacts: num(r.n),
      }))
    : [];
  const warnings: string[] = [];
  const contacts = classes.reduce((s, c) => s + c.contacts, 0);
  if (!contacts)
    warnings.push(
      `No delivered ${o.channel} sends in the ${o.historyDays} days before ${o.asOf}: nothing to measure.`,
    );
  else if (saturationSends === null)
    warnings.push(
      `The ${o.response} rate does not fall significantly with more sends in ${o.windowDays} days (up to ${curve.at(-1)?.sends ?? 0}${curve.at(-1)?.sends === o.maxSends ? '+' : ''}): no saturation found, so no contact is classed saturated.`,
    );
  return {
    asOf: o.asOf,
    channel: o.channel,
    windowDays: o.windowDays,
    response: o.response,
    curve,
    saturationSends,
    peakSends: peak?.sends ?? null,
    populationRate: prior.mean,
    contacts,
    classes,
    segments,
    saved,
    warnings,
  };
}
