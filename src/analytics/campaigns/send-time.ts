/**
 * Best send time and channel per contact. Send time: the hours of week (Monday 00:00 = 0 … Sunday 23:00 =
 * 167) of a contact's opens, clicks and conversions, smoothed over the neighbouring hours (weights ¼, ½, ¼,
 * circular) and shrunk toward the population's distribution with the weight of `priorStrength` events:
 *   p_c(h) = (Σ_k w_k·n_c(h+k) + m·P(h)) / (n_c + m)
 * so that a contact with two events gets nearly the population's best hour and one with thirty gets their
 * own. Channel: per campaign channel, the contact's response rate (click or conversion per delivered send)
 * shrunk toward that channel's population rate with the same weight; the best channel has the highest.
 * All in SQL; `save` writes `customer_send_time`.
 */
import { InputError } from '../../errors.js';
import type { Dialect, Engine, SqlFragment } from '../../store/index.js';
import { ident, sql } from '../../store/index.js';
import { isIsoDate } from '../shared/dates.js';

export const SEND_TIME_TABLE = 'customer_send_time';

export interface SendTimeOptions {
  asOf: string;
  /** History in days (default 365). */
  windowDays?: number;
  /** Weight of the population, in events (default 5). */
  priorStrength?: number;
  save?: boolean;
}

export interface SendTimeResult {
  asOf: string;
  contacts: number;
  /** Population distribution over the 168 hours of week (shares summing to 1). */
  population: number[];
  /** The population's best hour of week. */
  populationBest: number;
  /** Contacts per best hour of week (168 entries). */
  bestHours: number[];
  /** Contacts per best channel. */
  channels: { channel: string; contacts: number; populationRate: number }[];
  saved: number | null;
  warnings: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function end(d: Dialect, asOf: string): SqlFragment {
  return sql`CAST(${d.addDays(d.dateParam(asOf), sql`1`)} AS TIMESTAMP)`;
}

/** Hour of week 0–167 of a timestamp (Monday 00:00 = 0). */
export function hourOfWeekSql(d: Dialect, ts: SqlFragment): SqlFragment {
  return sql`((${d.isoDayOfWeek(ts)} - 1) * 24 + CAST(extract(hour FROM ${ts}) AS INTEGER))`;
}

/** Per contact: smoothed, shrunk hour-of-week probabilities, best hour, its probability and the event count. */
export function sendTimeSql(d: Dialect, o: Required<Omit<SendTimeOptions, 'save'>>): SqlFragment {
  const to = end(d, o.asOf);
  const from = d.addDaysToTimestamp(to, sql`${-o.windowDays}`);
  const m = o.priorStrength;
  return sql`WITH ev AS (
      SELECT customer_id, ${hourOfWeekSql(d, sql`event_time`)} AS how FROM campaign_events
      WHERE event_type IN ('open', 'click', 'conversion') AND event_time >= ${from} AND event_time < ${to}),
    counts AS (SELECT customer_id, how, count(*) AS n FROM ev GROUP BY 1, 2),
    kernel AS (SELECT * FROM (VALUES (-1, 0.25), (0, 0.5), (1, 0.25)) k(shift, w)),
    smooth AS (
      SELECT c.customer_id AS customer_id, (c.how + k.shift + 168) % 168 AS how, sum(c.n * k.w) AS n
      FROM counts c CROSS JOIN kernel k GROUP BY 1, 2),
    pop AS (SELECT how, sum(n) / (SELECT sum(n) FROM smooth) AS share FROM smooth GROUP BY how),
    totals AS (SELECT customer_id, sum(n) AS n FROM counts GROUP BY 1),
    grid AS (
      SELECT t.customer_id AS customer_id, p.how AS how, (coalesce(s.n, 0) + ${m} * p.share) / (t.n + ${m}) AS p, t.n AS events
      FROM totals t CROSS JOIN pop p LEFT JOIN smooth s ON s.customer_id = t.customer_id AND s.how = p.how)
    SELECT customer_id, ${d.argMax(sql`how`, sql`p`)} AS best_hour_of_week, max(p) AS best_hour_probability,
      max(events) AS events
    FROM grid GROUP BY customer_id`;
}

/** Per contact and campaign channel: shrunk response rate; the best channel per contact. */
export function bestChannelSql(d: Dialect, o: Required<Omit<SendTimeOptions, 'save'>>): SqlFragment {
  const to = end(d, o.asOf);
  const from = d.addDaysToTimestamp(to, sql`${-o.windowDays}`);
  const m = o.priorStrength;
  return sql`WITH f AS (
      SELECT e.customer_id AS customer_id, c.channel,
        CASE WHEN max(CASE WHEN e.event_type = 'bounce' THEN 1 ELSE 0 END) = 0 THEN 1 ELSE 0 END AS delivered,
        max(CASE WHEN e.event_type IN ('click', 'conversion') THEN 1 ELSE 0 END) AS responded
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE e.event_type IN ('sent', 'bounce', 'click', 'conversion') AND e.event_time >= ${from} AND e.event_time < ${to}
      GROUP BY e.customer_id, e.campaign_id, c.channel
      HAVING max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) = 1),
    per AS (SELECT customer_id, channel, sum(delivered) AS n, sum(responded) AS k FROM f GROUP BY 1, 2),
    pop AS (SELECT channel, ${d.safeDivide(sql`sum(k)`, sql`sum(n)`)} AS rate FROM per GROUP BY channel),
    shrunk AS (
      SELECT per.customer_id, per.channel, (per.k + ${m} * pop.rate) / (per.n + ${m}) AS rate
      FROM per JOIN pop ON pop.channel = per.channel WHERE pop.rate IS NOT NULL)
    SELECT customer_id, ${d.argMax(sql`channel`, sql`rate`)} AS best_channel, max(rate) AS best_channel_rate
    FROM shrunk GROUP BY customer_id`;
}

/**
 * Best hour of week and channel per contact.
 *
 * @throws InputError for bad settings.
 * @example
 * const r = await bestSendTimes(engine, { asOf: '2026-06-30', save: true });
 */
export async function bestSendTimes(engine: Engine, options: SendTimeOptions): Promise<SendTimeResult> {
  const o = {
    asOf: options.asOf,
    windowDays: options.windowDays ?? 365,
    priorStrength: options.priorStrength ?? 5,
  };
  if (!isIsoDate(o.asOf))
    throw new InputError(`asOf: expected a date YYYY-MM-DD, got ${JSON.stringify(o.asOf)}.`);
  if (!Number.isInteger(o.windowDays) || o.windowDays < 7 || o.windowDays > 3650)
    throw new InputError(`windowDays: expected a whole number 7–3650, got ${o.windowDays}.`);
  if (!(o.priorStrength > 0 && o.priorStrength <= 1000))
    throw new InputError(`priorStrength: expected a number in (0, 1000], got ${o.priorStrength}.`);
  const d = engine.dialect;
  const combined = sql`SELECT coalesce(t.customer_id, c.customer_id) AS customer_id, t.best_hour_of_week,
      CAST(floor(t.best_hour_of_week / 24) AS INTEGER) + 1 AS best_iso_weekday,
      t.best_hour_of_week % 24 AS best_hour, t.best_hour_probability, t.events,
      c.best_channel, c.best_channel_rate
    FROM (${sendTimeSql(d, o)}) t FULL OUTER JOIN (${bestChannelSql(d, o)}) c ON c.customer_id = t.customer_id`;
  let saved: number | null = null;
  let source = sql`(${combined}) s`;
  if (options.save) {
    await engine.exec(sql`CREATE OR REPLACE TABLE ${ident(SEND_TIME_TABLE)} AS ${combined}`);
    saved = num((await engine.query(sql`SELECT count(*) AS n FROM ${ident(SEND_TIME_TABLE)}`))[0]?.n);
    source = sql`${ident(SEND_TIME_TABLE)} s`;
  }
  const to = end(d, o.asOf);
  const popRows = await engine.query(sql`SELECT ${hourOfWeekSql(d, sql`event_time`)} AS how, count(*) AS n
    FROM campaign_events WHERE event_type IN ('open', 'click', 'conversion')
      AND event_time >= ${d.addDaysToTimestamp(to, sql`${-o.windowDays}`)} AND event_time < ${to} GROUP BY 1`);
  const population = Array.from({ length: 168 }, () => 0);
  const total = popRows.reduce((s, r) => s + num(r.n), 0);
  for (const r of popRows) population[num(r.how)] = total ? num(r.n) / total : 0;
  const bestRows = await engine.query(
    sql`SELECT best_hour_of_week AS how, count(*) AS n FROM ${source} WHERE best_hour_of_week IS NOT NULL GROUP BY 1`,
  );
  const bestHours = Array.from({ length: 168 }, () => 0);
  for (const r of bestRows) bestHours[num(r.how)] = num(r.n);
  const chRows = await engine.query(
    sql`SELECT best_channel AS channel, count(*) AS n FROM ${source} WHERE best_channel IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`,
  );
  const rateRows = await engine.query(sql`WITH f AS (
      SELECT e.campaign_id AS campaign_id, e.customer_id AS customer_id, c.channel,
        max(CASE WHEN e.event_type IN ('click', 'conversion') THEN 1 ELSE 0 END) AS r
      FROM campaign_events e JOIN campaigns c ON c.campaign_id = e.campaign_id
      WHERE e.event_type IN ('sent', 'click', 'conversion') AND e.event_time < ${to}
        AND e.event_time >= ${d.addDaysToTimestamp(to, sql`${-o.windowDays}`)}
      GROUP BY 1, 2, 3 HAVING max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) = 1)
    SELECT channel, avg(r) AS rate FROM f GROUP BY 1`);
  const contacts = num((await engine.query(sql`SELECT count(*) AS n FROM ${source}`))[0]?.n);
  const warnings: string[] = [];
  if (!total) warnings.push('No opens, clicks or conversions in the window: no send time can be learned.');
  return {
    asOf: o.asOf,
    contacts,
    population,
    populationBest: population.indexOf(Math.max(...population)),
    bestHours,
    channels: chRows.map((r) => ({
      channel: String(r.channel),
      contacts: num(r.n),
      populationRate: num(rateRows.find((x) => x.channel === r.channel)?.rate),
    })),
    saved,
    warnings,
  };
}
