import { type Dialect, ident, join, type SqlFragment, sql } from '../../store/index.js';
import { orderRevenueSql } from '../revenue/index.js';
import { NO_PURCHASE, type RfmScoring, UNCLASSIFIED } from './core.js';
import type { RfmKind, RfmParams } from './params.js';

/** The feature-view column that takes the third letter of each kind. */
export const THIRD_MEASURE: Readonly<Record<RfmKind, string>> = {
  rfm: 'revenue',
  rfo: 'email_opened',
  rfc: 'email_clicked',
};

/**
 * RFM scores in the engine, identical to `scoreCore` (see core.ts for the definition). `source` is a FROM
 * item with the feature-view columns `customer_id`, `recency_days`, `orders` and the third measure: the
 * `customer_features` table or `(featuresSql(…)) f`. Only customers with at least one order are scored.
 * Columns: customer_id, recency, frequency, value, r_score, f_score, m_score, rfm_score ('545'), rfm_segment.
 */
export function scoreSql(
  dialect: Dialect,
  params: Pick<RfmParams, 'kind'> & RfmScoring,
  source: SqlFragment,
): SqlFragment {
  const third = quoted(THIRD_MEASURE[params.kind]);
  const { bins, cuts } = params;
  const r = cuts.recency
    ? sql`${bins} - (${countCuts(cuts.recency, (c) => sql`${c} < recency`)})`
    : quantileScore(dialect, bins, 'r_below');
  const f = cuts.frequency
    ? sql`1 + ${countCuts(cuts.frequency, (c) => sql`${c} <= frequency`)}`
    : quantileScore(dialect, bins, 'f_below');
  const m = cuts.monetary
    ? sql`1 + ${countCuts(cuts.monetary, (c) => sql`${c} <= value`)}`
    : quantileScore(dialect, bins, 'm_below');
  return sql`WITH rfm_input AS (
  SELECT customer_id, recency_days AS recency, orders AS frequency, ${dialect.toDouble(sql`coalesce(${third}, 0)`)} AS value
  FROM ${source}
  WHERE orders > 0
),
rfm_ranked AS (
  SELECT customer_id, recency, frequency, value,
    rank() OVER (ORDER BY recency DESC) - 1 AS r_below,
    rank() OVER (ORDER BY frequency) - 1 AS f_below,
    rank() OVER (ORDER BY value) - 1 AS m_below,
    count(*) OVER () AS n
  FROM rfm_input
),
rfm_scored AS (
  SELECT customer_id, recency, frequency, value,
    CAST(${r} AS INTEGER) AS r_score, CAST(${f} AS INTEGER) AS f_score, CAST(${m} AS INTEGER) AS m_score
  FROM rfm_ranked
)
SELECT customer_id, recency, frequency, value, r_score, f_score, m_score,
  ${dialect.toText(sql`r_score`)} || ${dialect.toText(sql`f_score`)} || ${dialect.toText(sql`m_score`)} AS rfm_score,
  ${segmentCase(params)} AS rfm_segment
FROM rfm_scored`;
}

/**
 * The lean feature rows RFM needs (customer_id, recency_days, orders, revenue) as of `asOf`, the same values
 * the customer feature view gives (same customer base, the revenue rule's net revenue) without building its
 * ~80 other columns: RFM movement computes two as-of dates on the fly, and the full view made it take 3–5 s
 * on the 5,000-customer demo. A parenthesised subquery (the caller names it).
 */
export function rfmInputSql(dialect: Dialect, asOf: string): SqlFragment {
  const day = dialect.dateParam(asOf);
  const cutoff = dialect.addDays(day, sql`${1}`);
  return sql`(WITH pc AS (
      SELECT customer_id, count(*) AS orders, sum(net_revenue) AS revenue, max(order_date) AS last_order
      FROM (${orderRevenueSql(dialect, { through: asOf, customersOnly: true })}) r GROUP BY customer_id),
    base AS (SELECT customer_id FROM customers WHERE created_at IS NULL OR created_at < ${cutoff}
      UNION SELECT customer_id FROM pc)
    SELECT b.customer_id, ${dialect.dateDiffDays(sql`pc.last_order`, day)} AS recency_days,
      coalesce(pc.orders, 0) AS orders, ${dialect.toDouble(sql`coalesce(pc.revenue, 0)`)} AS revenue
    FROM base b LEFT JOIN pc ON pc.customer_id = b.customer_id)`;
}

function quoted(name: string): SqlFragment {
  return sql`${ident(name)}`;
}

function quantileScore(dialect: Dialect, bins: number, below: string): SqlFragment {
  return sql`1 + floor(${dialect.toDouble(sql`${bins} * ${quoted(below)}`)} / n)`;
}

function countCuts(cuts: readonly number[], cond: (c: number) => SqlFragment): SqlFragment {
  return sql`(${join(
    cuts.map((c) => sql`CASE WHEN ${cond(c)} THEN 1 ELSE 0 END`),
    ' + ',
  )})`;
}

function segmentCase(params: RfmScoring): SqlFragment {
  const within = (col: string, range: readonly [number, number]) =>
    sql`${quoted(col)} BETWEEN ${range[0]} AND ${range[1]}`;
  const whens = params.map.map((rule) => {
    const conds = [within('r_score', rule.r), within('f_score', rule.f)];
    if (rule.m) conds.push(within('m_score', rule.m));
    return sql`WHEN ${join(conds, ' AND ')} THEN ${rule.name}`;
  });
  if (whens.length === 0) return sql`${UNCLASSIFIED}`;
  return sql`CASE ${join(whens, ' ')} ELSE ${UNCLASSIFIED} END`;
}

/** Every customer of `features` with their RFM state: scored segment, or `No purchase`. */
export function statesSql(
  dialect: Dialect,
  params: Pick<RfmParams, 'kind'> & RfmScoring,
  features: SqlFragment,
): SqlFragment {
  return sql`SELECT fe.customer_id, coalesce(s.rfm_segment, ${NO_PURCHASE}) AS state
  FROM ${features} fe
  LEFT JOIN (${scoreSql(dialect, params, features)}) s ON s.customer_id = fe.customer_id`;
}
