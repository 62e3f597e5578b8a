/**
 * SQL of the campaign evaluation: raw events and orders are reduced in the engine to one row per
 * (group, arm) of sufficient statistics, plus the non-zero revenues per (group, arm) for the bootstrap.
 *
 * Keyword breakdowns use `unnest` on the `campaigns.keywords` list (DuckDB and PostgreSQL; ClickHouse would
 * need `arrayJoin`, which the dialect layer does not offer yet).
 */
import type { Dialect, SqlFragment } from '../../store/index.js';
import { empty, ident, join, sql } from '../../store/index.js';
import { orderRevenueSql } from '../revenue/index.js';
import type { CampaignEvaluationParams, ExperimentParams } from './params.js';

/** End of the asOf day, as a TIMESTAMP bound. */
function asOfEnd(d: Dialect, asOf: string): SqlFragment {
  return sql`CAST(${d.addDays(d.dateParam(asOf), sql`1`)} AS TIMESTAMP)`;
}

/** One row per (campaign, customer): arm `treated` when a `sent` exists, else `control` (holdout); t0 = first. */
export function assignmentsSql(d: Dialect, p: CampaignEvaluationParams): SqlFragment {
  const only = p.campaigns.length
    ? sql`AND e.campaign_id IN (${join(p.campaigns.map((c) => sql`${c}`))})`
    : empty;
  return sql`SELECT e.campaign_id AS campaign_id, e.customer_id,
      CASE WHEN max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) = 1 THEN 'treated' ELSE 'control' END AS arm,
      min(e.event_time) AS t0
    FROM campaign_events e
    WHERE e.event_type IN ('sent', 'holdout') AND e.event_time < ${asOfEnd(d, p.asOf)} ${only}
    GROUP BY e.campaign_id, e.customer_id`;
}

/**
 * Per (campaign, customer): orders and net revenue (the revenue rule, analytics/revenue: after discounts,
 * returns and cancellations) in [t0, t0 + horizon) capped at the end
 * of asOf, the same over the `balanceDays` before t0 (balance check), whether the window is cut by asOf, and
 * the contact's share of the campaign cost (fixed cost spread over the treated contacts + cost per contact).
 */
export function outcomesSql(d: Dialect, p: CampaignEvaluationParams): SqlFragment {
  const end = asOfEnd(d, p.asOf);
  const orderTime = sql`coalesce(o.order_time, CAST(o.order_date AS TIMESTAMP))`;
  const windowEnd = d.addDaysToTimestamp(sql`a.t0`, sql`${p.horizonDays}`);
  const after = sql`${orderTime} >= a.t0`;
  return sql`WITH assign AS (${assignmentsSql(d, p)}),
    treated_counts AS (SELECT campaign_id, ${d.countIf(sql`arm = 'treated'`)} AS treated
      FROM assign GROUP BY campaign_id),
    per_contact AS (
      SELECT a.campaign_id AS campaign_id, a.customer_id AS customer_id, a.arm AS arm, a.t0 AS t0,
        ${d.countIf(sql`o.order_id IS NOT NULL AND ${after}`)} AS orders,
        ${d.sumIf(sql`o.net_revenue`, sql`o.order_id IS NOT NULL AND ${after}`)} AS revenue,
        ${d.countIf(sql`o.order_id IS NOT NULL AND ${orderTime} < a.t0`)} AS pre_orders,
        ${d.sumIf(sql`o.net_revenue`, sql`o.order_id IS NOT NULL AND ${orderTime} < a.t0`)} AS pre_revenue,
        CASE WHEN ${windowEnd} > ${end} THEN 1 ELSE 0 END AS censored
      FROM assign a LEFT JOIN (${orderRevenueSql(d)}) o ON o.customer_id = a.customer_id
        AND ${orderTime} >= ${d.addDaysToTimestamp(sql`a.t0`, sql`${-p.balanceDays}`)}
        AND ${orderTime} < ${windowEnd} AND ${orderTime} < ${end}
      GROUP BY a.campaign_id, a.customer_id, a.arm, a.t0)
    SELECT pc.campaign_id AS campaign_id, pc.customer_id AS customer_id, pc.arm AS arm, pc.t0 AS t0,
      pc.orders AS orders, pc.revenue AS revenue, pc.pre_orders AS pre_orders, pc.pre_revenue AS pre_revenue,
      pc.censored AS censored,
      CASE WHEN pc.arm = 'treated' THEN coalesce(c.cost_per_contact, 0)
        + coalesce(${d.safeDivide(sql`c.cost`, sql`tc.treated`)}, 0) ELSE 0 END AS contact_cost,
      CASE WHEN c.cost IS NOT NULL OR c.cost_per_contact IS NOT NULL THEN 1 ELSE 0 END AS has_cost
    FROM per_contact pc LEFT JOIN campaigns c ON c.campaign_id = pc.campaign_id
      LEFT JOIN treated_counts tc ON tc.campaign_id = pc.campaign_id`;
}

/** SQL expression of one breakdown over the `oc` (outcomes), `c` (campaigns), `kw` and `cu` relations. */
function dimensionExpr(d: Dialect, dim: string): SqlFragment {
  if (dim === 'campaign') return sql`oc.campaign_id`;
  if (dim === 'channel') return sql`coalesce(c.channel, '(unknown)')`;
  if (dim === 'keyword') return sql`kw.keyword`;
  if (dim === 'rfm_segment') return sql`coalesce(rfm.rfm_segment, '(no orders)')`;
  return sql`coalesce(${d.toText(sql`cu.${ident(dim)}`)}, '(missing)')`;
}

/** The FROM clause joining outcomes to what the breakdowns need. */
function groupedFrom(d: Dialect, p: CampaignEvaluationParams): SqlFragment {
  const needsCustomers = p.by.some((b) => !['campaign', 'channel', 'keyword', 'rfm_segment'].includes(b));
  const rfm = p.by.includes('rfm_segment')
    ? sql`LEFT JOIN customer_rfm rfm ON rfm.customer_id = oc.customer_id`
    : empty;
  const keyword = p.by.includes('keyword')
    ? sql`JOIN (SELECT campaign_id, unnest(keywords) AS keyword FROM campaigns) kw ON kw.campaign_id = oc.campaign_id`
    : empty;
  const customers = needsCustomers ? sql`LEFT JOIN customers cu ON cu.customer_id = oc.customer_id` : empty;
  return sql`(${outcomesSql(d, p)}) oc LEFT JOIN campaigns c ON c.campaign_id = oc.campaign_id ${keyword} ${customers} ${rfm}`;
}

function groupColumns(d: Dialect, by: readonly string[]): SqlFragment[] {
  return by.map((b, i) => sql`${dimensionExpr(d, b)} AS ${ident(`g${i}`)}`);
}

/**
 * The whole evaluation in one statement, so that the per-contact outcome join (assignments × orders, the
 * expensive part) runs once: the engine materialises the `oc` CTE, which both parts read (DuckDB and
 * PostgreSQL materialise a CTE referenced twice). Rows with `part = 'arm'`: one per (group…, arm) with the
 * sufficient statistics of every outcome and pre-campaign feature; rows with `part = 'value'`: the non-zero
 * revenues per (group…, arm), rounded to cents, with their counts (`value`, `cnt`; the bootstrap's input).
 */
export function campaignStatsSql(d: Dialect, p: CampaignEvaluationParams): SqlFragment {
  const groups = p.by.map((_, i) => sql`${ident(`g${i}`)}`);
  const keys = join([...groups, sql`arm`]);
  const sq = (x: SqlFragment) => sql`sum(${x} * ${x})`;
  const nul = sql`CAST(NULL AS DOUBLE)`;
  const armStats = [
    sql`count(*)`,
    d.countIf(sql`orders > 0`),
    sql`sum(orders)`,
    sq(sql`orders`),
    sql`sum(revenue)`,
    sq(sql`revenue`),
    sql`sum(pre_orders)`,
    sq(sql`pre_orders`),
    sql`sum(pre_revenue)`,
    sq(sql`pre_revenue`),
    sql`sum(contact_cost)`,
    sql`max(has_cost)`,
    sql`sum(censored)`,
  ];
  const names = [
    'n',
    'conversions',
    'orders',
    'orders_sq',
    'revenue',
    'revenue_sq',
    'pre_orders',
    'pre_orders_sq',
    'pre_revenue',
    'pre_revenue_sq',
    'cost',
    'has_cost',
    'censored',
  ];
  const asDouble = (x: SqlFragment) => sql`CAST(${x} AS DOUBLE)`;
  return sql`WITH oc AS (
      SELECT ${join([...groupColumns(d, p.by), sql`oc.arm AS arm`])}, oc.orders AS orders, oc.revenue AS revenue,
        oc.pre_orders AS pre_orders, oc.pre_revenue AS pre_revenue, oc.contact_cost AS contact_cost,
        oc.has_cost AS has_cost, oc.censored AS censored
      FROM ${groupedFrom(d, p)})
    SELECT 'arm' AS part, ${keys}, ${join(armStats.map((x, i) => sql`${asDouble(x)} AS ${ident(names[i]!)}`))},
      ${nul} AS value, ${nul} AS cnt
    FROM oc GROUP BY ${keys}
    UNION ALL
    SELECT 'value' AS part, ${keys}, ${join(names.map((n) => sql`${nul} AS ${ident(n)}`))},
      ${asDouble(sql`round(revenue, 2)`)} AS value, ${asDouble(sql`count(*)`)} AS cnt
    FROM oc WHERE revenue <> 0 GROUP BY ${join([...groups, sql`arm`, sql`round(revenue, 2)`])}
    ORDER BY ${join([sql`part`, ...groups, sql`arm`])}`;
}

/** A 0/1 reading of a text, boolean or numeric outcome column; NULL when it is none of those. */
export function binaryExpr(d: Dialect, column: SqlFragment): SqlFragment {
  const t = sql`lower(trim(${d.toText(column)}))`;
  return sql`(CASE WHEN ${t} IN ('1', '1.0', 'true', 't', 'yes', 'y') THEN 1
    WHEN ${t} IN ('0', '0.0', 'false', 'f', 'no', 'n') THEN 0 END)`;
}

/** The experiment table read as arm / outcome / value / breakdowns / pre-treatment features. */
function experimentSource(d: Dialect, p: ExperimentParams): SqlFragment {
  const col = (name: string) => sql`${ident(name)}`;
  const num = (name: string) => d.tryParseDouble(d.toText(col(name)));
  const cols = [
    sql`${d.toText(col(p.arm))} AS arm`,
    sql`${col(p.outcome)} AS y_raw`,
    sql`${binaryExpr(d, col(p.outcome))} AS y`,
    p.value ? sql`${num(p.value)} AS v` : sql`CAST(NULL AS DOUBLE) AS v`,
    ...p.by.map((b, i) => sql`coalesce(${d.toText(col(b))}, '(missing)') AS ${ident(`g${i}`)}`),
    ...p.pre.map((c, i) => sql`${num(c)} AS ${ident(`x${i}`)}`),
  ];
  return sql`SELECT ${join(cols)} FROM ${ident(p.table)}`;
}

/** Rows left out of an experiment and why: no arm, no outcome, or an outcome that is not 0/1. */
export function experimentChecksSql(d: Dialect, p: ExperimentParams): SqlFragment {
  return sql`SELECT count(*) AS rows,
      ${d.countIf(sql`arm IS NULL`)} AS no_arm,
      ${d.countIf(sql`arm IS NOT NULL AND y_raw IS NULL`)} AS no_outcome,
      ${d.countIf(sql`y_raw IS NOT NULL AND y IS NULL`)} AS bad_outcome,
      min(CASE WHEN y_raw IS NOT NULL AND y IS NULL THEN ${d.toText(sql`y_raw`)} END) AS bad_example,
      ${d.countIf(sql`arm IS NOT NULL AND y IS NOT NULL AND v IS NULL`)} AS no_value
    FROM (${experimentSource(d, p)}) src`;
}

/** One row per (group…, arm) of an experiment table. */
export function experimentArmsSql(d: Dialect, p: ExperimentParams): SqlFragment {
  const groups = p.by.map((_, i) => sql`${ident(`g${i}`)}`);
  const pre = p.pre.map(
    (_, i) => sql`sum(coalesce(${ident(`x${i}`)}, 0)) AS ${ident(`x${i}_sum`)},
      sum(coalesce(${ident(`x${i}`)}, 0) * coalesce(${ident(`x${i}`)}, 0)) AS ${ident(`x${i}_sq`)}`,
  );
  const select = [
    ...groups,
    sql`arm`,
    sql`count(*) AS n`,
    sql`sum(y) AS conversions`,
    sql`sum(coalesce(v, 0)) AS value`,
    sql`sum(coalesce(v, 0) * coalesce(v, 0)) AS value_sq`,
    ...pre,
  ];
  return sql`SELECT ${join(select)} FROM (${experimentSource(d, p)}) src
    WHERE arm IS NOT NULL AND y IS NOT NULL
    GROUP BY ${join([...groups, sql`arm`])} ORDER BY ${join([...groups, sql`arm`])}`;
}

/** Non-zero values per (group…, arm) with their counts. */
export function experimentValuesSql(d: Dialect, p: ExperimentParams): SqlFragment {
  const groups = p.by.map((_, i) => sql`${ident(`g${i}`)}`);
  return sql`SELECT ${join([...groups, sql`arm`])}, v AS value, count(*) AS cnt
    FROM (${experimentSource(d, p)}) src
    WHERE arm IS NOT NULL AND y IS NOT NULL AND v IS NOT NULL AND v <> 0
    GROUP BY ${join([...groups, sql`arm`, sql`v`])}`;
}
