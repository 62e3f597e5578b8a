import { type Dialect, ident, join, raw, type SqlFragment, sql } from '../../store/index.js';
import {
  EXCLUDED_ORDER_STATUSES,
  extraOrderDiscountSql,
  lineAggregatesSql,
  orderRevenueColumns,
} from '../revenue/index.js';
import { shareColumns } from './core.js';
import type { FeaturesParams } from './params.js';

/**
 * The customer feature view as one SELECT, point-in-time correct for `params.asOf`: orders count when
 * `order_date <= asOf`, timestamped events (campaign events, service contacts, texts) when
 * `time < asOf + 1 day`, customers when created before `asOf + 1 day` (or undated, or with an order).
 * Nothing dated after `asOf` can reach any column. One row per customer, keyed by `customer_id`.
 *
 * Built from small named CTEs; every value is bound, category and channel names included.
 */
export function featuresSql(dialect: Dialect, params: FeaturesParams): SqlFragment {
  const ctx = context(dialect, params);
  return sql`WITH
pit_orders AS (${pitOrders(ctx)}),
line_values AS (${lineValues(ctx)}),
order_values AS (${orderValues(ctx)}),
per_customer AS (${perCustomer(ctx)}),
order_days AS (${orderDays()}),
gaps AS (${gaps()}),
campaign_pairs AS (${campaignPairs(ctx)}),
campaign AS (${campaignActivity(ctx)}),
service AS (${serviceActivity(ctx)}),
texts AS (${textActivity(ctx)}),
base AS (${baseCustomers(ctx)}),
area AS (${areaData()})
${finalSelect(ctx)}`;
}

/** Statuses whose orders never count (compared lower-case): the revenue rule's. */
export { EXCLUDED_ORDER_STATUSES };

interface Ctx {
  d: Dialect;
  p: FeaturesParams;
  asOf: SqlFragment;
  /** First instant after asOf (asOf + 1 day), for timestamps. */
  cutoff: SqlFragment;
  categoryColumns: string[];
  channelColumns: string[];
}

function context(d: Dialect, p: FeaturesParams): Ctx {
  const asOf = d.dateParam(p.asOf);
  return {
    d,
    p,
    asOf,
    cutoff: d.addDays(asOf, sql`${1}`),
    categoryColumns: shareColumns('share_cat_', p.categories),
    channelColumns: shareColumns('share_channel_', p.channels),
  };
}

function pitOrders({ asOf }: Ctx): SqlFragment {
  const excluded = join(EXCLUDED_ORDER_STATUSES.map((s) => sql`${s}`));
  return sql`SELECT order_id, customer_id, order_date, channel, promo_code, discount, total, shipping, status
  FROM orders
  WHERE order_date <= ${asOf} AND lower(coalesce(status, 'completed')) NOT IN (${excluded})
    AND customer_id IS NOT NULL`;
}

function lineValues({ d, p }: Ctx): SqlFragment {
  const returnsValue = sql`l.returned_quantity * (l.unit_price - coalesce(${d.safeDivide(sql`l.discount`, sql`l.quantity`)}, 0))`;
  const net = sql`(l.quantity * l.unit_price - l.discount - ${returnsValue})`;
  const category = d.topLevelCategory(sql`pr.category_path`);
  const categorySums = p.categories.map(
    (cat, i) => sql`, ${d.sumIf(net, sql`${category} = ${cat}`)} AS ${raw(`cat_${i}`)}`,
  );
  return sql`SELECT l.order_id AS order_id,
    ${lineAggregatesSql()},
    sum(l.quantity) AS items,
    sum(l.returned_quantity) AS returned_items,
    sum((l.quantity - l.returned_quantity) * pr.unit_cost) AS cost,
    ${d.sumIf(sql`l.quantity * l.unit_price`, sql`pr.unit_cost IS NOT NULL`)} AS costed_gross,
    ${d.sumIf(net, sql`pr.unit_cost IS NOT NULL`)} AS costed_net${join(categorySums, '')}
  FROM order_lines l
  JOIN pit_orders o ON o.order_id = l.order_id
  LEFT JOIN products pr ON pr.sku = l.sku
  GROUP BY l.order_id`;
}

function orderValues({ d, p }: Ctx): SqlFragment {
  const categories = p.categories.map(
    (_, i) => sql`, coalesce(lv.${raw(`cat_${i}`)}, 0) AS ${raw(`cat_${i}`)}`,
  );
  const orderExtra = extraOrderDiscountSql(d, sql`lv.line_discount`);
  const money = orderRevenueColumns(d, 'lv');
  const orderDiscountOnCosted = sql`${orderExtra} * coalesce(${d.safeDivide(sql`lv.costed_gross`, sql`lv.gross`)}, 0)`;
  return sql`SELECT o.customer_id, o.order_id, o.order_date, o.channel,
    (o.promo_code IS NOT NULL OR o.discount > 0 OR coalesce(lv.line_discount, 0) > 0) AS is_promo,
    ${money.netRevenue} AS revenue,
    ${money.grossSales} AS gross_sales,
    ${money.discounts} AS discounts,
    ${money.returns} AS returns_value,
    coalesce(lv.items, 0) AS items,
    coalesce(lv.returned_items, 0) AS returned_items,
    lv.cost AS cost,
    coalesce(lv.costed_gross, 0) AS costed_gross,
    CASE WHEN lv.cost IS NULL THEN NULL ELSE lv.costed_net - ${orderDiscountOnCosted} END AS costed_revenue,
    CASE WHEN lv.cost IS NULL THEN NULL ELSE lv.costed_net - ${orderDiscountOnCosted} - lv.cost END AS margin${join(categories, '')}
  FROM pit_orders o
  LEFT JOIN line_values lv ON lv.order_id = o.order_id`;
}

/**
 * A customer's money total rounded to 1e-9: sums of doubles differ in their last bits with the order an
 * engine adds them in, and a total that cancels to 0 on one engine (all items returned) must not be 1e-14
 * on another, where a ratio such as margin_rate would become 1 instead of NULL.
 */
function roundedTotal(d: Dialect, total: SqlFragment): SqlFragment {
  return d.roundTo(total, 9);
}

function perCustomer({ d, p, asOf }: Ctx): SqlFragment {
  const within = (days: number) => sql`order_date > ${d.addDays(asOf, sql`${-days}`)}`;
  const channels = p.channels.map((ch, i) => sql`, ${d.countIf(sql`channel = ${ch}`)} AS ${raw(`ch_${i}`)}`);
  const categories = p.categories.map(
    (_, i) => sql`, ${roundedTotal(d, sql`sum(${raw(`cat_${i}`)})`)} AS ${raw(`cat_${i}`)}`,
  );
  return sql`SELECT customer_id,
    min(order_date) AS first_order,
    max(order_date) AS last_order,
    count(*) AS orders,
    ${d.countDistinct(sql`order_date`)} AS order_days,
    sum(items) AS items,
    sum(returned_items) AS returned_items,
    ${roundedTotal(d, sql`sum(revenue)`)} AS revenue,
    ${roundedTotal(d, sql`sum(gross_sales)`)} AS gross_sales,
    ${roundedTotal(d, sql`sum(discounts)`)} AS discounts,
    ${roundedTotal(d, sql`sum(returns_value)`)} AS returns_value,
    ${roundedTotal(d, sql`sum(cost)`)} AS cost,
    ${roundedTotal(d, sql`sum(margin)`)} AS margin,
    ${roundedTotal(d, sql`sum(costed_revenue)`)} AS costed_revenue,
    ${roundedTotal(d, sql`sum(costed_gross)`)} AS costed_gross,
    ${d.countIf(sql`is_promo`)} AS promo_orders,
    ${d.countIf(within(90))} AS orders_90d,
    ${d.countIf(within(365))} AS orders_365d,
    ${roundedTotal(d, d.sumIf(sql`revenue`, within(90)))} AS revenue_90d,
    ${roundedTotal(d, d.sumIf(sql`revenue`, within(365)))} AS revenue_365d${join(channels, '')}${join(categories, '')}
  FROM order_values
  GROUP BY customer_id`;
}

function orderDays(): SqlFragment {
  return sql`SELECT customer_id, order_date,
    row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn
  FROM (SELECT DISTINCT customer_id, order_date FROM pit_orders) t`;
}

function gaps(): SqlFragment {
  return sql`SELECT customer_id, max(order_date) AS previous_order_day FROM order_days WHERE rn = 2 GROUP BY customer_id`;
}

/** One row per (customer, campaign): which event types happened up to asOf. Avoids distinct counts. */
function campaignPairs({ d, cutoff }: Ctx): SqlFragment {
  const has = (type: string) => sql`max(CASE WHEN e.event_type = ${type} THEN 1 ELSE 0 END)`;
  return sql`SELECT e.customer_id AS customer_id, e.campaign_id AS campaign_id, lower(max(c.channel)) AS channel,
    ${has('sent')} AS sent, ${has('open')} AS opened, ${has('click')} AS clicked,
    ${d.countIf(sql`e.event_type = ${'unsubscribe'}`)} AS unsubscribes,
    ${d.countIf(sql`e.event_type = ${'conversion'}`)} AS conversions,
    max(CASE WHEN e.event_type = ${'open'} THEN CAST(e.event_time AS DATE) END) AS last_open
  FROM campaign_events e
  LEFT JOIN campaigns c ON c.campaign_id = e.campaign_id
  WHERE e.event_time < ${cutoff}
  GROUP BY e.customer_id, e.campaign_id`;
}

function campaignActivity({ d }: Ctx): SqlFragment {
  const email = sql`channel = ${'email'}`;
  return sql`SELECT customer_id,
    ${d.countIf(sql`sent = 1 AND ${email}`)} AS email_sent,
    ${d.countIf(sql`opened = 1 AND ${email}`)} AS email_opened,
    ${d.countIf(sql`clicked = 1 AND ${email}`)} AS email_clicked,
    sum(unsubscribes) AS email_unsubscribes,
    max(CASE WHEN ${email} THEN last_open END) AS last_email_open,
    ${d.countIf(sql`sent = 1 AND channel = ${'sms'}`)} AS sms_sent,
    ${d.countIf(sql`sent = 1`)} AS campaigns_received,
    sum(conversions) AS campaign_conversions
  FROM campaign_pairs
  GROUP BY customer_id`;
}

function serviceActivity({ d, asOf, cutoff }: Ctx): SqlFragment {
  return sql`SELECT customer_id,
    count(*) AS service_contacts,
    ${d.countIf(sql`contact_time >= ${d.addDays(asOf, sql`${-364}`)}`)} AS service_contacts_365d,
    max(CAST(contact_time AS DATE)) AS last_service_contact,
    avg(satisfaction) AS mean_satisfaction
  FROM service_contacts
  WHERE contact_time < ${cutoff}
  GROUP BY customer_id`;
}

// Sentiment columns read text_sentiment (written by `clientele texts analyze`; empty until then, so they are
// null / 0). Lexicon scores depend on the text alone, so they are point-in-time safe.
function textActivity({ d, asOf, cutoff }: Ctx): SqlFragment {
  const recent = sql`t.text_time >= ${d.addDays(asOf, sql`${-364}`)}`;
  const negative = sql`s.sentiment_label = 'negative'`;
  return sql`SELECT t.customer_id AS customer_id, count(*) AS reviews, avg(t.rating) AS mean_rating,
    avg(CASE WHEN ${recent} THEN s.sentiment END) AS sentiment_mean_365d,
    ${d.countIf(sql`${negative} AND ${recent}`)} AS negative_texts_365d,
    max(CASE WHEN ${negative} THEN CAST(t.text_time AS DATE) END) AS last_negative_text
  FROM customer_texts t
  LEFT JOIN text_sentiment s ON s.text_id = t.text_id
  WHERE t.customer_id IS NOT NULL AND t.text_time < ${cutoff}
  GROUP BY t.customer_id`;
}

function baseCustomers({ cutoff }: Ctx): SqlFragment {
  return sql`SELECT customer_id FROM customers WHERE created_at IS NULL OR created_at < ${cutoff}
  UNION
  SELECT customer_id FROM per_customer`;
}

function areaData(): SqlFragment {
  return sql`SELECT country, postcode, area_name, population, households, median_income,
    purchasing_power_index, urban_share, mean_age, latitude, longitude,
    count(*) OVER (PARTITION BY postcode) AS postcode_countries
  FROM area_data`;
}

function finalSelect(ctx: Ctx): SqlFragment {
  const { d, asOf } = ctx;
  const days = (from: SqlFragment) => d.dateDiffDays(from, asOf);
  const num = (x: SqlFragment) => d.toDouble(x);
  const zero = (x: SqlFragment) => sql`coalesce(${x}, 0)`;
  const asOfYear = Number(ctx.p.asOf.slice(0, 4));
  const asOfMonthDay = Number(ctx.p.asOf.slice(5, 7)) * 100 + Number(ctx.p.asOf.slice(8, 10));
  const channels = ctx.channelColumns.map(
    (name, i) =>
      sql`,\n  ${num(zero(d.safeDivide(sql`pc.${raw(`ch_${i}`)}`, sql`pc.orders`)))} AS ${ident(name)}`,
  );
  const categories = ctx.categoryColumns.map(
    (name, i) =>
      sql`,\n  ${num(zero(d.safeDivide(sql`pc.${raw(`cat_${i}`)}`, sql`pc.revenue`)))} AS ${ident(name)}`,
  );
  return sql`SELECT
  b.customer_id AS customer_id,
  ${asOf} AS as_of,
  coalesce(cu.is_prospect, false) AS is_prospect,
  pc.first_order AS first_order,
  pc.last_order AS last_order,
  ${days(sql`pc.first_order`)} AS tenure_days,
  ${days(sql`pc.last_order`)} AS recency_days,
  ${d.dateDiffDays(sql`pc.first_order`, sql`pc.last_order`)} AS active_span_days,
  ${zero(sql`pc.orders`)} AS orders,
  ${zero(sql`pc.order_days`)} AS order_days,
  CASE WHEN pc.order_days > 0 THEN pc.order_days - 1 ELSE 0 END AS repeat_order_days,
  ${num(zero(sql`pc.items`))} AS items,
  ${zero(sql`pc.orders_90d`)} AS orders_90d,
  ${zero(sql`pc.orders_365d`)} AS orders_365d,
  ${num(d.safeDivide(d.dateDiffDays(sql`pc.first_order`, sql`pc.last_order`), sql`pc.order_days - 1`))} AS mean_gap_days,
  ${d.dateDiffDays(sql`g.previous_order_day`, sql`pc.last_order`)} AS last_gap_days,
  ${num(zero(sql`pc.revenue`))} AS revenue,
  ${num(zero(sql`pc.revenue_90d`))} AS revenue_90d,
  ${num(zero(sql`pc.revenue_365d`))} AS revenue_365d,
  ${num(zero(sql`pc.gross_sales`))} AS gross_sales,
  ${num(zero(sql`pc.discounts`))} AS discounts,
  ${num(zero(sql`pc.returns_value`))} AS returns_value,
  ${num(sql`pc.cost`)} AS cost,
  ${num(sql`pc.margin`)} AS gross_margin,
  ${num(d.safeDivide(sql`pc.margin`, sql`pc.costed_revenue`))} AS margin_rate,
  ${num(d.safeDivide(sql`pc.costed_gross`, sql`pc.gross_sales`))} AS cost_coverage,
  ${num(d.safeDivide(sql`pc.revenue`, sql`pc.orders`))} AS aov,
  ${zero(sql`pc.promo_orders`)} AS promo_orders,
  ${num(d.safeDivide(sql`pc.promo_orders`, sql`pc.orders`))} AS promo_share,
  ${num(zero(sql`pc.returned_items`))} AS returned_items,
  ${num(d.safeDivide(sql`pc.returned_items`, sql`pc.items`))} AS return_rate${join(channels, '')}${join(categories, '')},
  ${zero(sql`ca.email_sent`)} AS email_sent,
  ${zero(sql`ca.email_opened`)} AS email_opened,
  ${zero(sql`ca.email_clicked`)} AS email_clicked,
  ${num(d.safeDivide(sql`ca.email_opened`, sql`ca.email_sent`))} AS email_open_rate,
  ${num(d.safeDivide(sql`ca.email_clicked`, sql`ca.email_sent`))} AS email_click_rate,
  ${zero(sql`ca.email_unsubscribes`)} AS email_unsubscribes,
  ca.last_email_open AS last_email_open,
  ${zero(sql`ca.sms_sent`)} AS sms_sent,
  ${zero(sql`ca.campaigns_received`)} AS campaigns_received,
  ${zero(sql`ca.campaign_conversions`)} AS campaign_conversions,
  ${zero(sql`sv.service_contacts`)} AS service_contacts,
  ${zero(sql`sv.service_contacts_365d`)} AS service_contacts_365d,
  sv.last_service_contact AS last_service_contact,
  ${num(sql`sv.mean_satisfaction`)} AS mean_satisfaction,
  ${zero(sql`tx.reviews`)} AS reviews,
  ${num(sql`tx.mean_rating`)} AS mean_rating,
  ${num(sql`tx.sentiment_mean_365d`)} AS sentiment_mean_365d,
  ${zero(sql`tx.negative_texts_365d`)} AS negative_texts_365d,
  ${days(sql`tx.last_negative_text`)} AS days_since_negative_text,
  CASE WHEN cu.birth_date IS NULL OR cu.birth_date > ${asOf} THEN NULL
    ELSE ${asOfYear} - CAST(extract(year FROM cu.birth_date) AS INTEGER)
      - CASE WHEN CAST(extract(month FROM cu.birth_date) AS INTEGER) * 100 + CAST(extract(day FROM cu.birth_date) AS INTEGER) > ${asOfMonthDay} THEN 1 ELSE 0 END
  END AS age,
  cu.gender AS gender, cu.income_band AS income_band, cu.occupation AS occupation, cu.education AS education, cu.postcode AS postcode, cu.city AS city, cu.region AS region, cu.country AS country,
  cu.consent_email AS consent_email, cu.consent_sms AS consent_sms, cu.consent_phone AS consent_phone, cu.consent_post AS consent_post,
  cu.signup_source AS signup_source,
  ${days(sql`cu.created_at`)} AS account_age_days,
  ar.area_name AS area_name,
  ${num(sql`ar.population`)} AS area_population,
  ${num(sql`ar.households`)} AS area_households,
  ${num(sql`ar.median_income`)} AS area_median_income,
  ${num(sql`ar.purchasing_power_index`)} AS area_purchasing_power,
  ${num(sql`ar.urban_share`)} AS area_urban_share,
  ${num(sql`ar.mean_age`)} AS area_mean_age,
  ${num(sql`ar.latitude`)} AS area_latitude,
  ${num(sql`ar.longitude`)} AS area_longitude
FROM base b
LEFT JOIN customers cu ON cu.customer_id = b.customer_id
LEFT JOIN per_customer pc ON pc.customer_id = b.customer_id
LEFT JOIN gaps g ON g.customer_id = b.customer_id
LEFT JOIN campaign ca ON ca.customer_id = b.customer_id
LEFT JOIN service sv ON sv.customer_id = b.customer_id
LEFT JOIN texts tx ON tx.customer_id = b.customer_id
LEFT JOIN area ar ON ar.postcode = cu.postcode
  AND (ar.country = cu.country OR (cu.country IS NULL AND ar.postcode_countries = 1))`;
}

/** Top-level categories by net revenue of lines on orders up to `asOf` (most first), for share columns. */
export function categoryVocabularySql(dialect: Dialect, asOf: string, limit: number): SqlFragment {
  const category = dialect.topLevelCategory(sql`pr.category_path`);
  return sql`SELECT ${category} AS value, sum(l.quantity * l.unit_price) AS weight
  FROM order_lines l
  JOIN orders o ON o.order_id = l.order_id
  JOIN products pr ON pr.sku = l.sku
  WHERE o.order_date <= ${dialect.dateParam(asOf)} AND pr.category_path IS NOT NULL AND ${category} <> ''
  GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`;
}

/** Order channels by order count up to `asOf` (most first), for share columns. */
export function channelVocabularySql(dialect: Dialect, asOf: string, limit: number): SqlFragment {
  return sql`SELECT channel AS value, count(*) AS weight
  FROM orders
  WHERE order_date <= ${dialect.dateParam(asOf)} AND channel IS NOT NULL AND channel <> ''
  GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`;
}
