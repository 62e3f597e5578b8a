import type { Engine } from './engine.js';
import { sql } from './sql/sql.js';

/**
 * The canonical datamart schema (documented column by column in docs/schema.md).
 *
 * Natural keys are enforced by the loader (staging + anti-join upsert), not by PRIMARY KEY constraints:
 * DuckDB's ART indexes make bulk loads several times slower and add nothing the loader does not check.
 * Every table records `source` (where the row came from) and `load_id` (which load wrote it last).
 */

export const SCHEMA_VERSION = 1;

/** Canonical table name → its natural key columns. */
export const NATURAL_KEYS = {
  customers: ['customer_id'],
  products: ['sku'],
  orders: ['order_id'],
  order_lines: ['order_id', 'line_no'],
  campaigns: ['campaign_id'],
  campaign_events: ['campaign_id', 'customer_id', 'event_type', 'event_time'],
  service_contacts: ['contact_id'],
  customer_texts: ['text_id'],
  area_data: ['country', 'postcode'],
} as const satisfies Record<string, readonly string[]>;

export type CanonicalTable = keyof typeof NATURAL_KEYS;

export const CANONICAL_TABLES = Object.keys(NATURAL_KEYS) as CanonicalTable[];

/** Campaign event types, in funnel order. `holdout` marks a member of the random control group. */
export const EVENT_TYPES = [
  'holdout',
  'sent',
  'delivered',
  'open',
  'click',
  'bounce',
  'unsubscribe',
  'conversion',
] as const;

/** Contact channels used for consent, campaigns and service contacts. */
export const CHANNELS = ['email', 'sms', 'phone', 'post', 'push', 'web', 'store', 'chat'] as const;

const LINEAGE = `source VARCHAR NOT NULL, load_id BIGINT NOT NULL`;

/** DDL for every datamart table, in dependency order. Written in the DuckDB dialect. */
export const TABLE_DDL: Readonly<Record<string, string>> = {
  meta: `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  loads: `CREATE TABLE IF NOT EXISTS loads (
    load_id BIGINT PRIMARY KEY, source VARCHAR NOT NULL, target VARCHAR NOT NULL, format VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, status VARCHAR NOT NULL,
    read BIGINT NOT NULL DEFAULT 0, loaded BIGINT NOT NULL DEFAULT 0, inserted BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0, unchanged BIGINT NOT NULL DEFAULT 0, rejected BIGINT NOT NULL DEFAULT 0,
    duplicates BIGINT NOT NULL DEFAULT 0, options JSON, mapping JSON, message VARCHAR)`,
  rejects: `CREATE TABLE IF NOT EXISTS rejects (
    load_id BIGINT NOT NULL, source VARCHAR NOT NULL, target VARCHAR NOT NULL, line BIGINT,
    column_name VARCHAR, raw_value VARCHAR, reason VARCHAR NOT NULL, kind VARCHAR NOT NULL, raw_row JSON)`,
  customers: `CREATE TABLE IF NOT EXISTS customers (
    customer_id VARCHAR NOT NULL, first_name VARCHAR, last_name VARCHAR,
    email VARCHAR, email_norm VARCHAR, phone VARCHAR, phone_e164 VARCHAR,
    gender VARCHAR, birth_date DATE, income_band VARCHAR, occupation VARCHAR, education VARCHAR,
    street VARCHAR, postcode VARCHAR, city VARCHAR, region VARCHAR, country VARCHAR,
    consent_email BOOLEAN, consent_sms BOOLEAN, consent_phone BOOLEAN, consent_post BOOLEAN,
    is_prospect BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP, updated_at TIMESTAMP, ${LINEAGE})`,
  customer_identities: `CREATE TABLE IF NOT EXISTS customer_identities (
    customer_id VARCHAR NOT NULL, id_source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
    email_norm VARCHAR, phone_e164 VARCHAR, matched_by VARCHAR NOT NULL, load_id BIGINT NOT NULL)`,
  identity_merges: `CREATE TABLE IF NOT EXISTS identity_merges (
    load_id BIGINT NOT NULL, customer_id VARCHAR NOT NULL, id_source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
    matched_by VARCHAR NOT NULL, field VARCHAR, kept_value VARCHAR, other_value VARCHAR, rule VARCHAR,
    kind VARCHAR NOT NULL)`,
  products: `CREATE TABLE IF NOT EXISTS products (
    sku VARCHAR NOT NULL, name VARCHAR, category_path VARCHAR, brand VARCHAR,
    price DOUBLE, unit_cost DOUBLE, currency VARCHAR, created_at TIMESTAMP, ${LINEAGE})`,
  orders: `CREATE TABLE IF NOT EXISTS orders (
    order_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, order_date DATE NOT NULL, order_time TIMESTAMP,
    channel VARCHAR, promo_code VARCHAR, discount DOUBLE NOT NULL DEFAULT 0, shipping DOUBLE NOT NULL DEFAULT 0,
    total DOUBLE, currency VARCHAR, status VARCHAR NOT NULL DEFAULT 'completed', ${LINEAGE})`,
  order_lines: `CREATE TABLE IF NOT EXISTS order_lines (
    order_id VARCHAR NOT NULL, line_no INTEGER NOT NULL, sku VARCHAR NOT NULL,
    quantity DOUBLE NOT NULL DEFAULT 1, unit_price DOUBLE NOT NULL, discount DOUBLE NOT NULL DEFAULT 0,
    returned_quantity DOUBLE NOT NULL DEFAULT 0, ${LINEAGE})`,
  campaigns: `CREATE TABLE IF NOT EXISTS campaigns (
    campaign_id VARCHAR NOT NULL, name VARCHAR, channel VARCHAR NOT NULL, start_date DATE, end_date DATE,
    keywords VARCHAR[], cost DOUBLE, cost_per_contact DOUBLE, ${LINEAGE})`,
  campaign_events: `CREATE TABLE IF NOT EXISTS campaign_events (
    campaign_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, event_type VARCHAR NOT NULL,
    event_time TIMESTAMP NOT NULL, order_id VARCHAR, value DOUBLE, link VARCHAR, ${LINEAGE})`,
  service_contacts: `CREATE TABLE IF NOT EXISTS service_contacts (
    contact_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, contact_time TIMESTAMP NOT NULL,
    channel VARCHAR, reason VARCHAR, outcome VARCHAR, duration_minutes DOUBLE, satisfaction DOUBLE, ${LINEAGE})`,
  customer_texts: `CREATE TABLE IF NOT EXISTS customer_texts (
    text_id VARCHAR NOT NULL, customer_id VARCHAR, kind VARCHAR NOT NULL, text_time TIMESTAMP,
    language VARCHAR, rating DOUBLE, title VARCHAR, body VARCHAR NOT NULL, sku VARCHAR, ${LINEAGE})`,
  // Written by `clientele texts analyze` (one row per customer_texts row); created empty so the feature view
  // can always join it.
  text_sentiment: `CREATE TABLE IF NOT EXISTS text_sentiment (
    text_id VARCHAR, language VARCHAR, sentiment DOUBLE, sentiment_label VARCHAR, lexicon_sentiment DOUBLE,
    topics VARCHAR, topic VARCHAR)`,
  area_data: `CREATE TABLE IF NOT EXISTS area_data (
    country VARCHAR NOT NULL, postcode VARCHAR NOT NULL, area_name VARCHAR, region VARCHAR,
    population DOUBLE, households DOUBLE, median_income DOUBLE, purchasing_power_index DOUBLE,
    urban_share DOUBLE, mean_age DOUBLE, latitude DOUBLE, longitude DOUBLE, attributes JSON, ${LINEAGE})`,
  raw_tables: `CREATE TABLE IF NOT EXISTS raw_tables (
    name VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, load_id BIGINT NOT NULL, rows BIGINT NOT NULL,
    columns JSON NOT NULL, created_at TIMESTAMP NOT NULL)`,
};

/** Creates every missing table and records the schema version. Safe to run repeatedly. */
export async function migrate(engine: Engine): Promise<void> {
  await engine.transaction(async (tx) => {
    for (const ddl of Object.values(TABLE_DDL)) await tx.exec(ddl);
    await tx.exec(
      `INSERT INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  });
}

/** Whether a table or view of this name exists in the datamart. */
export async function tableExists(engine: Engine, table: string): Promise<boolean> {
  const rows = await engine.query(
    sql`SELECT 1 AS x FROM information_schema.tables WHERE table_name = ${table}`,
  );
  return rows.length > 0;
}

/** Whether the datamart has been initialised (the meta table exists). */
export async function isInitialised(engine: Engine): Promise<boolean> {
  const rows = await engine.query(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'`,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
