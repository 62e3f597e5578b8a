import { type Engine, runDdl } from './engine.js';
import type { ColumnDef, ColumnType, TableDef } from './sql/dialect.js';
import { duckdbDialect } from './sql/dialects/duckdb.js';
import { ident, join, sql } from './sql/sql.js';

/**
 * The canonical datamart schema (documented column by column in docs/schema.md).
 *
 * Natural keys are enforced by the loader (staging + anti-join upsert), not by PRIMARY KEY constraints:
 * DuckDB's ART indexes make bulk loads several times slower and add nothing the loader does not check.
 * Every table records `source` (where the row came from) and `load_id` (which load wrote it last).
 */

/**
 * The schema's version, recorded in `meta`. 2: `orders.customer_id` may be NULL (a guest order: a sale
 * with no customer id, issue 12); {@link migrate} brings a version-1 datamart up to it.
 */
export const SCHEMA_VERSION = 2;

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

/** Shorthand for a column definition. */
function col(name: string, type: ColumnType, options: Omit<ColumnDef, 'name' | 'type'> = {}): ColumnDef {
  return { name, type, ...options };
}

const LINEAGE: readonly ColumnDef[] = [
  col('source', 'text', { notNull: true }),
  col('load_id', 'bigint', { notNull: true }),
];

/**
 * Every datamart table, in dependency order, as portable definitions: each engine's dialect renders the DDL
 * (DuckDB tables; ClickHouse MergeTree tables sorted by `sortKey`).
 */
export const TABLES: Readonly<Record<string, TableDef>> = {
  meta: {
    name: 'meta',
    columns: [col('key', 'text'), col('value', 'text')],
    primaryKey: 'key',
    sortKey: ['key'],
  },
  loads: {
    name: 'loads',
    columns: [
      col('load_id', 'bigint'),
      col('source', 'text', { notNull: true }),
      col('target', 'text', { notNull: true }),
      col('format', 'text', { notNull: true }),
      col('started_at', 'timestamp', { notNull: true }),
      col('finished_at', 'timestamp'),
      col('status', 'text', { notNull: true }),
      col('read', 'bigint', { notNull: true, default: 0 }),
      col('loaded', 'bigint', { notNull: true, default: 0 }),
      col('inserted', 'bigint', { notNull: true, default: 0 }),
      col('updated', 'bigint', { notNull: true, default: 0 }),
      col('unchanged', 'bigint', { notNull: true, default: 0 }),
      col('rejected', 'bigint', { notNull: true, default: 0 }),
      col('duplicates', 'bigint', { notNull: true, default: 0 }),
      col('options', 'json'),
      col('mapping', 'json'),
      col('message', 'text'),
    ],
    primaryKey: 'load_id',
    sortKey: ['load_id'],
  },
  rejects: {
    name: 'rejects',
    columns: [
      col('load_id', 'bigint', { notNull: true }),
      col('source', 'text', { notNull: true }),
      col('target', 'text', { notNull: true }),
      col('line', 'bigint'),
      col('column_name', 'text'),
      col('raw_value', 'text'),
      col('reason', 'text', { notNull: true }),
      col('kind', 'text', { notNull: true }),
      col('raw_row', 'json'),
    ],
    sortKey: ['load_id'],
  },
  customers: {
    name: 'customers',
    columns: [
      col('customer_id', 'text', { notNull: true }),
      col('first_name', 'text'),
      col('last_name', 'text'),
      col('email', 'text'),
      col('email_norm', 'text'),
      col('phone', 'text'),
      col('phone_e164', 'text'),
      col('gender', 'text'),
      col('birth_date', 'date'),
      col('income_band', 'text'),
      col('occupation', 'text'),
      col('education', 'text'),
      col('street', 'text'),
      col('postcode', 'text'),
      col('city', 'text'),
      col('region', 'text'),
      col('country', 'text'),
      col('consent_email', 'boolean'),
      col('consent_sms', 'boolean'),
      col('consent_phone', 'boolean'),
      col('consent_post', 'boolean'),
      /** How the person first came in (referral, search, social, newsletter, store …). */
      col('signup_source', 'text'),
      col('is_prospect', 'boolean', { notNull: true, default: false }),
      col('created_at', 'timestamp'),
      col('updated_at', 'timestamp'),
      ...LINEAGE,
    ],
    sortKey: ['customer_id'],
    perCustomer: true,
  },
  customer_identities: {
    name: 'customer_identities',
    columns: [
      col('customer_id', 'text', { notNull: true }),
      col('id_source', 'text', { notNull: true }),
      col('source_id', 'text', { notNull: true }),
      col('email_norm', 'text'),
      col('phone_e164', 'text'),
      col('matched_by', 'text', { notNull: true }),
      col('load_id', 'bigint', { notNull: true }),
    ],
    sortKey: ['customer_id'],
    perCustomer: true,
  },
  // Which source supplied a customer field's current value, where that is not the customer row's own
  // `source` (the source that created it): a source may update a value it supplied itself, whatever the
  // conflict rule (issue 12). Only the exceptions are kept, so a one-source datamart has no rows here.
  customer_field_sources: {
    name: 'customer_field_sources',
    columns: [
      col('customer_id', 'text', { notNull: true }),
      col('field', 'text', { notNull: true }),
      col('source', 'text', { notNull: true }),
      col('load_id', 'bigint', { notNull: true }),
    ],
    sortKey: ['customer_id', 'field'],
    perCustomer: true,
  },
  identity_merges: {
    name: 'identity_merges',
    columns: [
      col('load_id', 'bigint', { notNull: true }),
      col('customer_id', 'text', { notNull: true }),
      col('id_source', 'text', { notNull: true }),
      col('source_id', 'text', { notNull: true }),
      col('matched_by', 'text', { notNull: true }),
      col('field', 'text'),
      col('kept_value', 'text'),
      col('other_value', 'text'),
      col('rule', 'text'),
      col('kind', 'text', { notNull: true }),
    ],
    sortKey: ['load_id', 'customer_id'],
  },
  products: {
    name: 'products',
    columns: [
      col('sku', 'text', { notNull: true }),
      col('name', 'text'),
      col('category_path', 'text'),
      col('brand', 'text'),
      col('price', 'double'),
      col('unit_cost', 'double'),
      col('currency', 'text'),
      col('created_at', 'timestamp'),
      ...LINEAGE,
    ],
    sortKey: ['sku'],
  },
  orders: {
    name: 'orders',
    columns: [
      col('order_id', 'text', { notNull: true }),
      // NULL: a guest order (no customer id in the source). It counts in sales and revenue figures, never in
      // customer analytics (docs/schema.md). ClickHouse keys on it with allow_nullable_key (see the dialect).
      col('customer_id', 'text'),
      col('order_date', 'date', { notNull: true }),
      col('order_time', 'timestamp'),
      col('channel', 'text'),
      col('promo_code', 'text'),
      col('discount', 'double', { notNull: true, default: 0 }),
      col('shipping', 'double', { notNull: true, default: 0 }),
      col('total', 'double'),
      col('currency', 'text'),
      col('status', 'text', { notNull: true, default: 'completed' }),
      ...LINEAGE,
    ],
    sortKey: ['customer_id', 'order_id'],
    perCustomer: true,
  },
  order_lines: {
    name: 'order_lines',
    columns: [
      col('order_id', 'text', { notNull: true }),
      col('line_no', 'integer', { notNull: true }),
      col('sku', 'text', { notNull: true }),
      col('quantity', 'double', { notNull: true, default: 1 }),
      col('unit_price', 'double', { notNull: true }),
      col('discount', 'double', { notNull: true, default: 0 }),
      col('returned_quantity', 'double', { notNull: true, default: 0 }),
      ...LINEAGE,
    ],
    sortKey: ['order_id', 'line_no'],
    shardColumn: 'order_id',
  },
  campaigns: {
    name: 'campaigns',
    columns: [
      col('campaign_id', 'text', { notNull: true }),
      col('name', 'text'),
      col('channel', 'text', { notNull: true }),
      col('start_date', 'date'),
      col('end_date', 'date'),
      col('keywords', 'text_list'),
      col('cost', 'double'),
      col('cost_per_contact', 'double'),
      ...LINEAGE,
    ],
    sortKey: ['campaign_id'],
  },
  campaign_events: {
    name: 'campaign_events',
    columns: [
      col('campaign_id', 'text', { notNull: true }),
      col('customer_id', 'text', { notNull: true }),
      col('event_type', 'text', { notNull: true }),
      col('event_time', 'timestamp', { notNull: true }),
      col('order_id', 'text'),
      col('value', 'double'),
      col('link', 'text'),
      ...LINEAGE,
    ],
    sortKey: ['customer_id', 'campaign_id', 'event_time'],
    perCustomer: true,
  },
  service_contacts: {
    name: 'service_contacts',
    columns: [
      col('contact_id', 'text', { notNull: true }),
      col('customer_id', 'text', { notNull: true }),
      col('contact_time', 'timestamp', { notNull: true }),
      col('channel', 'text'),
      col('reason', 'text'),
      col('outcome', 'text'),
      col('duration_minutes', 'double'),
      col('satisfaction', 'double'),
      ...LINEAGE,
    ],
    sortKey: ['customer_id', 'contact_id'],
    perCustomer: true,
  },
  customer_texts: {
    name: 'customer_texts',
    columns: [
      col('text_id', 'text', { notNull: true }),
      col('customer_id', 'text'),
      col('kind', 'text', { notNull: true }),
      col('text_time', 'timestamp'),
      col('language', 'text'),
      col('rating', 'double'),
      col('title', 'text'),
      col('body', 'text', { notNull: true }),
      col('sku', 'text'),
      ...LINEAGE,
    ],
    sortKey: ['text_id'],
  },
  // Written by `clientele texts analyze` (one row per customer_texts row); created empty so the feature view
  // can always join it.
  text_sentiment: {
    name: 'text_sentiment',
    columns: [
      col('text_id', 'text', { notNull: true }),
      col('language', 'text'),
      col('sentiment', 'double'),
      col('sentiment_label', 'text'),
      col('lexicon_sentiment', 'double'),
      col('topics', 'text'),
      col('topic', 'text'),
    ],
    sortKey: ['text_id'],
  },
  area_data: {
    name: 'area_data',
    columns: [
      col('country', 'text', { notNull: true }),
      col('postcode', 'text', { notNull: true }),
      col('area_name', 'text'),
      col('region', 'text'),
      col('population', 'double'),
      col('households', 'double'),
      col('median_income', 'double'),
      col('purchasing_power_index', 'double'),
      col('urban_share', 'double'),
      col('mean_age', 'double'),
      col('latitude', 'double'),
      col('longitude', 'double'),
      col('attributes', 'json'),
      ...LINEAGE,
    ],
    sortKey: ['country', 'postcode'],
  },
  raw_tables: {
    name: 'raw_tables',
    columns: [
      col('name', 'text'),
      col('source', 'text', { notNull: true }),
      col('load_id', 'bigint', { notNull: true }),
      col('rows', 'bigint', { notNull: true }),
      col('columns', 'json', { notNull: true }),
      col('created_at', 'timestamp', { notNull: true }),
    ],
    primaryKey: 'name',
    sortKey: ['name'],
  },
};

/** DDL for every datamart table, in dependency order, in the DuckDB dialect (the default engine). */
export const TABLE_DDL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TABLES).map(([name, table]) => [name, duckdbDialect.createTableSql(table).toString()]),
);

/**
 * Creates every missing table and records the schema version. Safe to run repeatedly. The DDL comes from
 * the engine's dialect; the version row is replaced by delete + insert, which every engine can do.
 * On DuckDB, a datamart already current (this version, every column, orders.customer_id nullable) is left
 * untouched: one catalogue query instead of a write transaction, so commands start faster (issue 20).
 * Returns whether it changed anything (false: current already).
 */
export async function migrate(engine: Engine): Promise<boolean> {
  if (engine.dialect.name === 'duckdb' && (await schemaCurrent(engine))) return false;
  await engine.transaction(async (tx) => {
    for (const table of Object.values(TABLES)) await runDdl(tx, tx.dialect.createTableStatements(table));
    // A datamart made by an older version lacks the columns added since (e.g. customers.signup_source): add
    // them, empty. Only nullable columns or columns with a default are ever added to an existing table.
    const existing = await tx.query<{ table_name: string; column_name: string }>(
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = ${tx.dialect.currentSchema()}`,
    );
    const have = new Set(existing.map((r) => `${r.table_name}.${r.column_name}`));
    for (const table of Object.values(TABLES))
      for (const column of table.columns)
        if (!have.has(`${table.name}.${column.name}`)) await tx.exec(tx.dialect.addColumnSql(table, column));
    // Then version 1 → 2 (after the columns, which the rebuild copies): guest orders need orders.customer_id nullable.
    await relaxNotNull(tx, 'orders', 'customer_id');
    await tx.exec(sql`DELETE FROM meta WHERE key = ${'schema_version'}`);
    await tx.exec(sql`INSERT INTO meta (key, value) VALUES (${'schema_version'}, ${String(SCHEMA_VERSION)})`);
  });
  return true;
}

/** Whether the datamart is at this schema version with every table and column `migrate` would make. */
async function schemaCurrent(engine: Engine): Promise<boolean> {
  const columns = await engine.query<{ table_name: string; column_name: string; is_nullable: string }>(
    sql`SELECT table_name, column_name, is_nullable FROM information_schema.columns
        WHERE table_schema = ${engine.dialect.currentSchema()}`,
  );
  const have = new Map(columns.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable]));
  for (const table of Object.values(TABLES))
    for (const column of table.columns) if (!have.has(`${table.name}.${column.name}`)) return false;
  if (have.get('orders.customer_id') !== 'YES') return false;
  const [version] = await engine.query<{ value: string }>(
    sql`SELECT value FROM meta WHERE key = ${'schema_version'}`,
  );
  return version?.value === String(SCHEMA_VERSION);
}

/**
 * Makes a column that the schema now allows to be NULL nullable in an existing datamart (no-op when it is).
 * The table is rebuilt from its current definition and swapped in, the same on every engine: ClickHouse
 * cannot alter the type of a sort-key column, and one path is simpler to trust than two.
 */
async function relaxNotNull(tx: Engine, table: string, column: string): Promise<void> {
  const [row] = await tx.query(
    sql`SELECT ${tx.dialect.toText(sql`is_nullable`)} AS n FROM information_schema.columns
        WHERE table_schema = ${tx.dialect.currentSchema()} AND table_name = ${table} AND column_name = ${column}`,
  );
  const nullable = String(row?.n ?? 'YES');
  if (nullable === 'YES' || nullable === '1' || nullable === 'true') return;
  const def = TABLES[table];
  if (!def) throw new Error(`relaxNotNull: ${table} is not a datamart table`);
  const rebuilt = `${table}__migrate`;
  const columns = join(def.columns.map((c) => sql`${ident(c.name)}`));
  await runDdl(tx, tx.dialect.dropTableStatements(def, rebuilt));
  await runDdl(tx, tx.dialect.createTableStatements(def, rebuilt));
  await tx.exec(sql`INSERT INTO ${ident(rebuilt)} (${columns}) SELECT ${columns} FROM ${ident(table)}`);
  await runDdl(tx, tx.dialect.swapTableStatements(def, table, rebuilt));
  await runDdl(tx, tx.dialect.dropTableStatements(def, rebuilt));
}

/** Whether a table or view of this name exists in the datamart. */
export async function tableExists(engine: Engine, table: string): Promise<boolean> {
  const rows = await engine.query(
    sql`SELECT 1 AS x FROM information_schema.tables
        WHERE table_name = ${table} AND table_schema = ${engine.dialect.currentSchema()}`,
  );
  return rows.length > 0;
}

/** Whether the datamart has been initialised (the meta table exists). */
export async function isInitialised(engine: Engine): Promise<boolean> {
  return tableExists(engine, 'meta');
}
