/**
 * SQL for the "voice of the customer": texts joined to their analysis (`text_sentiment`) and to customers,
 * summarised per month, topic, discovered topic and segment, plus alerts. All built from small named parts;
 * `asOf` bounds every query (texts written on or before asOf only).
 */
import { type Dialect, ident, join, type SqlFragment, sql } from '../../store/index.js';

export interface VoiceParams {
  asOf: string;
  /** Days before asOf counted as "just wrote" for alerts. */
  alertDays: number;
  /** Customers whose revenue up to asOf ranks at or above this percentile (0–1) are valuable. */
  valuablePercentile: number;
}

/** Texts with their analysis, written on or before asOf. */
export function analysedTextsSql(d: Dialect, asOf: string): SqlFragment {
  const cutoff = d.addDays(d.dateParam(asOf), sql`${1}`);
  return sql`SELECT t.text_id, t.customer_id, t.kind, t.text_time, t.rating, t.title, t.body,
    s.language, s.sentiment, s.sentiment_label, s.topics, s.topic
  FROM customer_texts t JOIN text_sentiment s ON s.text_id = t.text_id
  WHERE t.text_time < ${cutoff}`;
}

const negative = sql`sentiment_label = 'negative'`;

/** Texts, mean sentiment and share negative per month and language. */
export function monthlySql(d: Dialect, asOf: string): SqlFragment {
  return sql`SELECT ${d.truncToMonth(sql`CAST(text_time AS DATE)`)} AS month, language, count(*) AS texts,
    avg(sentiment) AS mean_sentiment, ${d.toDouble(d.countIf(negative))} / count(*) AS share_negative
  FROM (${analysedTextsSql(d, asOf)}) a
  GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Per keyword topic: texts, mean sentiment and share negative (topics are comma-separated names). */
export function keywordTopicsSql(d: Dialect, asOf: string, topics: readonly string[]): SqlFragment {
  const has = (t: string) => sql`(',' || coalesce(topics, '') || ',') LIKE ${`%,${t},%`}`;
  const parts = topics.map(
    (t) => sql`SELECT ${t} AS topic, ${d.countIf(has(t))} AS texts,
      avg(CASE WHEN ${has(t)} THEN sentiment END) AS mean_sentiment,
      ${d.toDouble(d.countIf(sql`${has(t)} AND ${negative}`))} / greatest(${d.countIf(has(t))}, 1) AS share_negative
    FROM (${analysedTextsSql(d, asOf)}) a`,
  );
  return join(parts, ' UNION ALL ');
}

/** A topic's example texts: the most negative first (or the most positive with `positive`). */
export function topicExamplesSql(
  d: Dialect,
  asOf: string,
  topic: { keyword: string } | { discovered: string; language: string },
  limit: number,
  positive = false,
): SqlFragment {
  const where =
    'keyword' in topic
      ? sql`(',' || coalesce(topics, '') || ',') LIKE ${`%,${topic.keyword},%`}`
      : sql`topic = ${topic.discovered} AND language = ${topic.language}`;
  return sql`SELECT text_id, customer_id, text_time, language, kind, title, body, sentiment, sentiment_label
  FROM (${analysedTextsSql(d, asOf)}) a WHERE ${where}
  ORDER BY sentiment ${positive ? sql`DESC` : sql`ASC`}, text_id LIMIT ${limit}`;
}

/** Discovered topics per language with their size and sentiment. */
export function discoveredTopicsSql(d: Dialect, asOf: string): SqlFragment {
  return sql`SELECT language, topic, count(*) AS texts, avg(sentiment) AS mean_sentiment,
    ${d.toDouble(d.countIf(negative))} / count(*) AS share_negative
  FROM (${analysedTextsSql(d, asOf)}) a WHERE topic IS NOT NULL
  GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`;
}

/** Per customer: texts, mean sentiment, share negative, trend (last 90 days minus earlier), last text. */
export function customerSentimentSql(d: Dialect, asOf: string): SqlFragment {
  const recent = sql`text_time >= ${d.addDays(d.dateParam(asOf), sql`${-89}`)}`;
  return sql`SELECT customer_id, count(*) AS texts, avg(sentiment) AS mean_sentiment,
    ${d.toDouble(d.countIf(negative))} / count(*) AS share_negative,
    avg(CASE WHEN ${recent} THEN sentiment END) - avg(CASE WHEN NOT (${recent}) THEN sentiment END) AS trend,
    max(text_time) AS last_text_time
  FROM (${analysedTextsSql(d, asOf)}) a WHERE customer_id IS NOT NULL
  GROUP BY customer_id`;
}

/**
 * Per segment (the RFM segment of `customer_rfm` when `segmentTable` is given, else one group "all"):
 * customers who wrote, texts, mean sentiment, share negative and trend.
 */
export function segmentSentimentSql(d: Dialect, asOf: string, segmentTable: string | null): SqlFragment {
  const seg = segmentTable ? sql`coalesce(r.rfm_segment, 'Unclassified')` : sql`'all'`;
  const from = segmentTable
    ? sql`(${customerSentimentSql(d, asOf)}) c LEFT JOIN ${ident(segmentTable)} r ON r.customer_id = c.customer_id`
    : sql`(${customerSentimentSql(d, asOf)}) c`;
  return sql`SELECT ${seg} AS segment, count(*) AS customers, sum(c.texts) AS texts,
    sum(c.mean_sentiment * c.texts) / sum(c.texts) AS mean_sentiment,
    sum(c.share_negative * c.texts) / sum(c.texts) AS share_negative,
    avg(c.trend) AS trend
  FROM ${from}
  GROUP BY 1 ORDER BY 2 DESC, 1`;
}

/**
 * Revenue per customer up to asOf with its percentile rank (0–1). An order without a `total` counts the sum
 * of its lines (quantity × unit price − discount), as many shop exports leave the order total empty.
 */
function customerValue(d: Dialect, asOf: string): SqlFragment {
  return sql`SELECT o.customer_id, sum(coalesce(o.total, l.amount, 0)) AS revenue,
    percent_rank() OVER (ORDER BY sum(coalesce(o.total, l.amount, 0))) AS value_rank
  FROM orders o
  LEFT JOIN (SELECT order_id, sum(quantity * unit_price - coalesce(discount, 0)) AS amount
    FROM order_lines GROUP BY order_id) l ON l.order_id = o.order_id
  WHERE o.order_date <= ${d.dateParam(asOf)} AND o.customer_id IS NOT NULL
    AND lower(coalesce(o.status, 'completed')) NOT IN ('cancelled', 'canceled', 'failed', 'void')
  GROUP BY o.customer_id`;
}

/** Valuable customers (revenue rank ≥ percentile) with a negative text in the last `alertDays` days. */
export function alertsSql(d: Dialect, p: VoiceParams, limit: number): SqlFragment {
  const from = d.addDays(d.dateParam(p.asOf), sql`${-(p.alertDays - 1)}`);
  return sql`SELECT a.customer_id, cu.first_name, cu.last_name, v.revenue, v.value_rank, a.text_id, a.text_time,
    a.language, a.kind, a.title, a.body, a.sentiment, a.topics
  FROM (${analysedTextsSql(d, p.asOf)}) a
  JOIN (${customerValue(d, p.asOf)}) v ON v.customer_id = a.customer_id
  LEFT JOIN customers cu ON cu.customer_id = a.customer_id
  WHERE a.sentiment_label = 'negative' AND a.text_time >= ${from} AND v.value_rank >= ${p.valuablePercentile}
  ORDER BY v.revenue DESC, a.text_time DESC, a.text_id LIMIT ${limit}`;
}

/**
 * Texts per (group, keyword topic): group is the RFM segment (with `segmentTable`), or the customer id when
 * `customerId` is given. Used to list each segment's or customer's top topics.
 */
export function topicsByGroupSql(
  d: Dialect,
  asOf: string,
  topics: readonly string[],
  by: { segmentTable: string | null } | { customerId: string },
): SqlFragment {
  const has = (t: string) => sql`(',' || coalesce(a.topics, '') || ',') LIKE ${`%,${t},%`}`;
  const group =
    'customerId' in by
      ? sql`a.customer_id`
      : by.segmentTable
        ? sql`coalesce(r.rfm_segment, 'Unclassified')`
        : sql`'all'`;
  const join_ =
    'customerId' in by || !by.segmentTable
      ? sql``
      : sql`LEFT JOIN ${ident(by.segmentTable)} r ON r.customer_id = a.customer_id`;
  const where = 'customerId' in by ? sql`a.customer_id = ${by.customerId}` : sql`a.customer_id IS NOT NULL`;
  const parts = topics.map(
    (t) => sql`SELECT ${group} AS grp, ${t} AS topic, ${d.countIf(has(t))} AS texts
    FROM (${analysedTextsSql(d, asOf)}) a ${join_} WHERE ${where} GROUP BY 1`,
  );
  return sql`SELECT grp, topic, texts FROM (${join(parts, ' UNION ALL ')}) x WHERE texts > 0 ORDER BY grp, texts DESC, topic`;
}
