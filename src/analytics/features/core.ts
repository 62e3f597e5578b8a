/**
 * Pure helpers of the customer feature view: column naming for data-driven columns (category and channel
 * shares) and the catalogue of fixed columns with their meaning, used by docs, the segment language's
 * whitelist and `explain`.
 */

/** A lower-case ASCII slug for a column suffix: `Women's Shoes` → `women_s_shoes`. */
export function slug(value: string): string {
  const s = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return s.length ? s : 'x';
}

/** Column names for data-driven values, unique even when two values slug alike (`a_b`, `a_b_2`). */
export function shareColumns(prefix: string, values: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return values.map((v) => {
    const base = `${prefix}${slug(v)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

export type FeatureKind = 'number' | 'text' | 'date' | 'boolean';

export interface FeatureColumn {
  name: string;
  kind: FeatureKind;
  /** What the column means, with its unit. */
  description: string;
  group: 'id' | 'orders' | 'value' | 'mix' | 'email' | 'service' | 'demographics' | 'area';
}

const c = (
  name: string,
  kind: FeatureKind,
  group: FeatureColumn['group'],
  description: string,
): FeatureColumn => ({ name, kind, group, description });

/** Every fixed column of `customer_features`, in table order (share columns come after `return_rate`). */
export const FEATURE_COLUMNS: readonly FeatureColumn[] = [
  c('customer_id', 'text', 'id', 'the customer'),
  c('as_of', 'date', 'id', 'the reference date: the view describes the customer at the end of this day'),
  c('is_prospect', 'boolean', 'id', 'a prospect (no customer relationship yet) per the customers table'),
  c('first_order', 'date', 'orders', 'date of the first order on or before as_of'),
  c('last_order', 'date', 'orders', 'date of the last order on or before as_of'),
  c('tenure_days', 'number', 'orders', 'days from the first order to as_of (BTYD T in days)'),
  c('recency_days', 'number', 'orders', 'days from the last order to as_of (0 = bought on as_of)'),
  c('active_span_days', 'number', 'orders', 'days from the first to the last order (BTYD t_x in days)'),
  c('orders', 'number', 'orders', 'number of orders (cancelled orders excluded)'),
  c('order_days', 'number', 'orders', 'number of distinct days with an order'),
  c('repeat_order_days', 'number', 'orders', 'order_days − 1: repeat purchases on distinct days (BTYD x)'),
  c('items', 'number', 'orders', 'units bought (sum of order-line quantities)'),
  c('orders_90d', 'number', 'orders', 'orders in the 90 days up to as_of (as_of − 89 … as_of)'),
  c('orders_365d', 'number', 'orders', 'orders in the 365 days up to as_of'),
  c(
    'mean_gap_days',
    'number',
    'orders',
    'mean days between consecutive order days (NULL with one order day)',
  ),
  c('last_gap_days', 'number', 'orders', 'days between the last two order days (NULL with one order day)'),
  c(
    'revenue',
    'number',
    'value',
    'net revenue (the revenue rule): gross sales − discounts − returns, cancelled orders and shipping fees left out',
  ),
  c('revenue_90d', 'number', 'value', 'net revenue of orders in the 90 days up to as_of'),
  c('revenue_365d', 'number', 'value', 'net revenue of orders in the 365 days up to as_of'),
  c('gross_sales', 'number', 'value', 'gross sales: line price × quantity before discounts and returns'),
  c('discounts', 'number', 'value', 'line discounts plus order-level discounts'),
  c(
    'returns_value',
    'number',
    'value',
    'value refunded for returned units, net of their share of the discounts',
  ),
  c('cost', 'number', 'value', 'unit cost × kept units (lines whose product has a unit cost)'),
  c(
    'gross_margin',
    'number',
    'value',
    'revenue − cost over orders with lines whose products have a unit cost',
  ),
  c('margin_rate', 'number', 'value', 'gross_margin ÷ revenue of the costed lines'),
  c('cost_coverage', 'number', 'value', 'share of gross sales whose product has a unit cost (0–1)'),
  c('aov', 'number', 'value', 'average order value: revenue ÷ orders'),
  c('promo_orders', 'number', 'mix', 'orders with a promo code or a discount'),
  c('promo_share', 'number', 'mix', 'promo_orders ÷ orders'),
  c('returned_items', 'number', 'mix', 'units returned'),
  c('return_rate', 'number', 'mix', 'returned_items ÷ items'),
  c('email_sent', 'number', 'email', 'e-mail campaigns sent to the customer'),
  c('email_opened', 'number', 'email', 'e-mail campaigns the customer opened'),
  c('email_clicked', 'number', 'email', 'e-mail campaigns the customer clicked in'),
  c('email_open_rate', 'number', 'email', 'email_opened ÷ email_sent'),
  c('email_click_rate', 'number', 'email', 'email_clicked ÷ email_sent'),
  c('email_unsubscribes', 'number', 'email', 'unsubscribe events (any campaign channel)'),
  c('last_email_open', 'date', 'email', 'date of the last e-mail open'),
  c('sms_sent', 'number', 'email', 'SMS campaigns sent to the customer'),
  c('campaigns_received', 'number', 'email', 'campaigns of any channel sent to the customer'),
  c('campaign_conversions', 'number', 'email', 'conversion events attributed to campaigns'),
  c('service_contacts', 'number', 'service', 'service contacts (calls, mails, chats …)'),
  c('service_contacts_365d', 'number', 'service', 'service contacts in the 365 days up to as_of'),
  c('last_service_contact', 'date', 'service', 'date of the last service contact'),
  c('mean_satisfaction', 'number', 'service', 'mean satisfaction score of rated service contacts'),
  c('reviews', 'number', 'service', 'reviews and other texts written by the customer'),
  c('mean_rating', 'number', 'service', 'mean rating of the customer’s rated texts'),
  c(
    'sentiment_mean_365d',
    'number',
    'service',
    'mean sentiment (−1…1) of the customer’s texts in the 365 days up to as_of (after texts analyze)',
  ),
  c(
    'negative_texts_365d',
    'number',
    'service',
    'texts labelled negative in the 365 days up to as_of (after texts analyze)',
  ),
  c(
    'days_since_negative_text',
    'number',
    'service',
    'days from the last negative text to as_of (after texts analyze)',
  ),
  c('age', 'number', 'demographics', 'age in whole years on as_of (from birth_date)'),
  c('gender', 'text', 'demographics', 'as in customers.gender'),
  c('income_band', 'text', 'demographics', 'as in customers.income_band'),
  c('occupation', 'text', 'demographics', 'as in customers.occupation'),
  c('education', 'text', 'demographics', 'as in customers.education'),
  c('postcode', 'text', 'demographics', 'as in customers.postcode'),
  c('city', 'text', 'demographics', 'as in customers.city'),
  c('region', 'text', 'demographics', 'as in customers.region'),
  c('country', 'text', 'demographics', 'as in customers.country'),
  c('consent_email', 'boolean', 'demographics', 'may be contacted by e-mail'),
  c('consent_sms', 'boolean', 'demographics', 'may be contacted by SMS'),
  c('consent_phone', 'boolean', 'demographics', 'may be called'),
  c('consent_post', 'boolean', 'demographics', 'may receive post'),
  c('signup_source', 'text', 'demographics', 'as in customers.signup_source (how the person first came in)'),
  c('account_age_days', 'number', 'demographics', 'days from customers.created_at to as_of'),
  c('area_name', 'text', 'area', 'area_data.area_name of the customer’s postcode'),
  c('area_population', 'number', 'area', 'area_data.population'),
  c('area_households', 'number', 'area', 'area_data.households'),
  c('area_median_income', 'number', 'area', 'area_data.median_income'),
  c('area_purchasing_power', 'number', 'area', 'area_data.purchasing_power_index'),
  c('area_urban_share', 'number', 'area', 'area_data.urban_share (0–1)'),
  c('area_mean_age', 'number', 'area', 'area_data.mean_age'),
  c('area_latitude', 'number', 'area', 'area_data.latitude'),
  c('area_longitude', 'number', 'area', 'area_data.longitude'),
];

/** Age in whole years at `asOf` for a birth date (both `YYYY-MM-DD`); the reference for the SQL. */
export function ageAt(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  return ay - by - (am * 100 + ad < bm * 100 + bd ? 1 : 0);
}
