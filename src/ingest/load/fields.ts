import type { CanonicalTable } from '../../store/index.js';
import { NATURAL_KEYS, type SqlFragment, sql } from '../../store/index.js';
import type { ParseOptions } from '../types.js';
import type { SynonymKind } from './synonyms.js';

/**
 * What the loader knows about every canonical field: its type, whether it is required, how its values are
 * normalised, which ranges are valid and which table it references. Column names follow src/store/schema.ts.
 */

/** A range or format rule: `bad(v)` is a SQL condition TRUE for a wrong (non-NULL) value. */
export interface Check {
  expected: string;
  bad: (v: SqlFragment) => SqlFragment;
  /** Skipped when the load allows negative amounts (`allowNegative`). */
  negativeAmount?: boolean;
}

export type Normalizer = SynonymKind | 'email' | 'phone' | 'postcode' | 'currency' | 'language';

export interface FieldSpec {
  /** The mapping's field name (usually the column name). */
  field: string;
  /** Column in the target table (in `orders` for order-level fields of a flat order-lines file). */
  column: string;
  type: ParseOptions['type'];
  /** NOT NULL without a default: a row without it is rejected; a file without the column is an error. */
  required?: boolean;
  /**
   * With `required`: the file must have the column, but a blank value is allowed and stored as NULL. An
   * order's customer: a blank one is a guest order (a sale with no customer, docs/import.md).
   */
  blankAllowed?: boolean;
  normalize?: Normalizer;
  /** For synonym normalisers: an unknown value is rejected (true) or kept lower-cased with a warning. */
  strict?: boolean;
  checks?: Check[];
  /** The row must reference an existing (or same-load) customer / order / campaign. */
  ref?: 'customer' | 'order' | 'campaign';
  /** Order-level field of a flat order-lines file (loads `orders`). */
  orderLevel?: boolean;
  /** Value used when the cell is blank (the column's DEFAULT in the schema). */
  fallback?: string | number | boolean;
}

export interface TargetSpec {
  table: CanonicalTable;
  keys: readonly string[];
  fields: readonly FieldSpec[];
}

const nonNegative = (what = 'a number ≥ 0', negativeAmount = false): Check => ({
  expected: what,
  bad: (v) => sql`${v} < 0`,
  negativeAmount,
});
const positive: Check = { expected: 'a number > 0', bad: (v) => sql`${v} <= 0` };
/** A line's quantity: negative is a returned or cancelled line (see docs/schema.md), 0 is no line. */
const nonZero: Check = {
  expected: 'a quantity other than 0 (negative for a returned or cancelled line)',
  bad: (v) => sql`${v} = 0`,
};
const between = (lo: number, hi: number): Check => ({
  expected: `a number between ${lo} and ${hi}`,
  bad: (v) => sql`(${v} < ${lo} OR ${v} > ${hi})`,
});
const plausibleDate: Check = {
  expected: 'a date between 1900-01-01 and today',
  bad: (v) => sql`(CAST(${v} AS DATE) < DATE '1900-01-01' OR CAST(${v} AS DATE) > current_date)`,
};
const sinceYear1900: Check = {
  expected: 'a date from 1900 on',
  bad: (v) => sql`CAST(${v} AS DATE) < DATE '1900-01-01'`,
};

const f = (field: string, type: ParseOptions['type'], rest: Partial<FieldSpec> = {}): FieldSpec => ({
  field,
  column: field,
  type,
  ...rest,
});

const customerFields: FieldSpec[] = [
  f('customer_id', 'string', { required: true }),
  f('first_name', 'string'),
  f('last_name', 'string'),
  f('email', 'string', { normalize: 'email' }),
  f('phone', 'string', { normalize: 'phone' }),
  f('gender', 'string', { normalize: 'gender', strict: true }),
  f('birth_date', 'date', { checks: [plausibleDate] }),
  f('income_band', 'string'),
  f('occupation', 'string'),
  f('education', 'string'),
  f('street', 'string'),
  f('postcode', 'string', { normalize: 'postcode' }),
  f('city', 'string'),
  f('region', 'string'),
  f('country', 'string', { normalize: 'country', strict: true }),
  f('consent_email', 'boolean'),
  f('consent_sms', 'boolean'),
  f('consent_phone', 'boolean'),
  f('consent_post', 'boolean'),
  f('signup_source', 'string'),
  f('is_prospect', 'boolean', { fallback: false }),
  f('created_at', 'timestamp', { checks: [sinceYear1900] }),
  f('updated_at', 'timestamp', { checks: [sinceYear1900] }),
];

const orderFields = (orderLevel: boolean): FieldSpec[] => [
  // A blank customer id is a guest order: it loads with no customer (counted in sales, not in customer
  // analytics); the column itself is still required, so a file mapped without it is an error.
  f('customer_id', 'string', { required: true, blankAllowed: true, ref: 'customer', orderLevel }),
  f('order_date', 'date', { required: true, checks: [sinceYear1900], orderLevel }),
  f('order_time', 'timestamp', { checks: [sinceYear1900], orderLevel }),
  f('channel', 'string', { normalize: 'channel', orderLevel }),
  f('promo_code', 'string', { orderLevel }),
  f(orderLevel ? 'order_discount' : 'discount', 'number', {
    column: 'discount',
    checks: [nonNegative('an amount ≥ 0', true)],
    orderLevel,
    fallback: 0,
  }),
  f('shipping', 'number', { checks: [nonNegative('an amount ≥ 0', true)], orderLevel, fallback: 0 }),
  // A negative total is a refund or cancellation invoice (stored with status 'refund'), never a reject.
  f('total', 'number', { orderLevel }),
  f('currency', 'string', { normalize: 'currency', orderLevel }),
  f('status', 'string', { normalize: 'order_status', orderLevel, fallback: 'completed' }),
];

const lineFields: FieldSpec[] = [
  f('line_no', 'integer', { checks: [positive] }),
  f('sku', 'string', { required: true }),
  f('quantity', 'number', { checks: [nonZero], fallback: 1 }),
  f('unit_price', 'number', { required: true, checks: [nonNegative('a price ≥ 0', true)] }),
  f('discount', 'number', { checks: [nonNegative('an amount ≥ 0', true)], fallback: 0 }),
  f('returned_quantity', 'number', { checks: [nonNegative()], fallback: 0 }),
];

export const TARGETS: Readonly<Record<CanonicalTable, TargetSpec>> = {
  customers: { table: 'customers', keys: NATURAL_KEYS.customers, fields: customerFields },
  products: {
    table: 'products',
    keys: NATURAL_KEYS.products,
    fields: [
      f('sku', 'string', { required: true }),
      f('name', 'string'),
      f('category_path', 'string'),
      f('brand', 'string'),
      f('price', 'number', { checks: [nonNegative('a price ≥ 0', true)] }),
      f('unit_cost', 'number', { checks: [nonNegative('a cost ≥ 0', true)] }),
      f('currency', 'string', { normalize: 'currency' }),
      f('created_at', 'timestamp', { checks: [sinceYear1900] }),
    ],
  },
  orders: {
    table: 'orders',
    keys: NATURAL_KEYS.orders,
    fields: [f('order_id', 'string', { required: true }), ...orderFields(false)],
  },
  order_lines: {
    table: 'order_lines',
    keys: NATURAL_KEYS.order_lines,
    fields: [f('order_id', 'string', { required: true, ref: 'order' }), ...lineFields, ...orderFields(true)],
  },
  campaigns: {
    table: 'campaigns',
    keys: NATURAL_KEYS.campaigns,
    fields: [
      f('campaign_id', 'string', { required: true }),
      f('name', 'string'),
      f('channel', 'string', { required: true, normalize: 'channel' }),
      f('start_date', 'date', { checks: [sinceYear1900] }),
      f('end_date', 'date', { checks: [sinceYear1900] }),
      f('keywords', 'list'),
      f('cost', 'number', { checks: [nonNegative('a cost ≥ 0')] }),
      f('cost_per_contact', 'number', { checks: [nonNegative('a cost ≥ 0')] }),
    ],
  },
  campaign_events: {
    table: 'campaign_events',
    keys: NATURAL_KEYS.campaign_events,
    fields: [
      f('campaign_id', 'string', { required: true, ref: 'campaign' }),
      f('customer_id', 'string', { required: true, ref: 'customer' }),
      f('event_type', 'string', { required: true, normalize: 'event_type', strict: true }),
      f('event_time', 'timestamp', { required: true, checks: [sinceYear1900] }),
      f('order_id', 'string'),
      f('value', 'number', { checks: [nonNegative('an amount ≥ 0', true)] }),
      f('link', 'string'),
    ],
  },
  service_contacts: {
    table: 'service_contacts',
    keys: NATURAL_KEYS.service_contacts,
    fields: [
      f('contact_id', 'string', { required: true }),
      f('customer_id', 'string', { required: true, ref: 'customer' }),
      f('contact_time', 'timestamp', { required: true, checks: [sinceYear1900] }),
      f('channel', 'string', { normalize: 'channel' }),
      f('reason', 'string'),
      f('outcome', 'string'),
      f('duration_minutes', 'number', { checks: [nonNegative('a duration ≥ 0')] }),
      f('satisfaction', 'number', { checks: [between(0, 10)] }),
    ],
  },
  customer_texts: {
    table: 'customer_texts',
    keys: NATURAL_KEYS.customer_texts,
    fields: [
      f('text_id', 'string', { required: true }),
      f('customer_id', 'string', { ref: 'customer' }),
      f('kind', 'string', { required: true, normalize: 'text_kind' }),
      f('text_time', 'timestamp', { checks: [sinceYear1900] }),
      f('language', 'string', { normalize: 'language' }),
      f('rating', 'number', { checks: [between(0, 5)] }),
      f('title', 'string'),
      f('body', 'string', { required: true }),
      f('sku', 'string'),
    ],
  },
  area_data: {
    table: 'area_data',
    keys: NATURAL_KEYS.area_data,
    fields: [
      f('country', 'string', { required: true, normalize: 'country', strict: true }),
      f('postcode', 'string', { required: true, normalize: 'postcode' }),
      f('area_name', 'string'),
      f('region', 'string'),
      f('population', 'number', { checks: [nonNegative()] }),
      f('households', 'number', { checks: [nonNegative()] }),
      f('median_income', 'number', { checks: [nonNegative()] }),
      f('purchasing_power_index', 'number', { checks: [nonNegative()] }),
      f('urban_share', 'number', { checks: [between(0, 1)] }),
      f('mean_age', 'number', { checks: [between(0, 120)] }),
      f('latitude', 'number', { checks: [between(-90, 90)] }),
      f('longitude', 'number', { checks: [between(-180, 180)] }),
    ],
  },
};

/** The order in which tables must be imported so that references resolve. */
export const IMPORT_ORDER: readonly CanonicalTable[] = [
  'customers',
  'products',
  'campaigns',
  'area_data',
  'orders',
  'order_lines',
  'campaign_events',
  'service_contacts',
  'customer_texts',
];

/** The fields a mapping may use for `table`, for the header mapper and `--dry-run`. */
export function targetFields(table: CanonicalTable): readonly FieldSpec[] {
  return TARGETS[table].fields;
}
