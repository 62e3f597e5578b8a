/**
 * The customer feature view: one row per customer as of a date, built in the engine from the canonical
 * tables and materialised as the table `customer_features`. Other modules (RFM, segments, clusters, CLV,
 * churn) read it or embed `featuresSql(dialect, params)` directly.
 */
import type { Engine } from '../../store/index.js';
import { ident, join, sql, tableExists } from '../../store/index.js';
import { FEATURE_COLUMNS, type FeatureColumn, type FeatureKind } from './core.js';
import { type FeaturesParams, isIsoDate, parseParams } from './params.js';
import { categoryVocabularySql, channelVocabularySql, featuresSql } from './sql.js';

export { ageAt, FEATURE_COLUMNS, type FeatureColumn, type FeatureKind, shareColumns, slug } from './core.js';
export { compareToBase, type FeatureComparison } from './explain.js';
export { defaults, type FeaturesParams, isIsoDate, parseParams } from './params.js';
export { EXCLUDED_ORDER_STATUSES, featuresSql } from './sql.js';

/** The table that `buildFeatures` writes. */
export const FEATURES_TABLE = 'customer_features';

export interface BuildFeaturesOptions {
  /** Reference date `YYYY-MM-DD` (end of that day). */
  asOf: string;
  /** Most top-level categories that get a share column (default 12; the rest only count in revenue). */
  maxCategories?: number;
  /** Most order channels that get a share column (default 8). */
  maxChannels?: number;
  /** Table to write (default `customer_features`). */
  table?: string;
}

export interface BuildFeaturesResult {
  table: string;
  asOf: string;
  rows: number;
  /** Customers with at least one order up to asOf. */
  buyers: number;
  columns: string[];
  categories: string[];
  channels: string[];
}

/**
 * Finds the categories and channels seen up to `asOf` (so the column set is point-in-time too), then
 * builds the feature params.
 */
export async function featureParams(
  engine: Engine,
  asOf: string,
  options: { maxCategories?: number; maxChannels?: number } = {},
): Promise<FeaturesParams> {
  if (!isIsoDate(asOf)) return parseParams({ asOf });
  const categories = await engine.query<{ value: string }>(
    categoryVocabularySql(engine.dialect, asOf, options.maxCategories ?? 12),
  );
  const channels = await engine.query<{ value: string }>(
    channelVocabularySql(engine.dialect, asOf, options.maxChannels ?? 8),
  );
  return parseParams({
    asOf,
    categories: categories.map((r) => r.value),
    channels: channels.map((r) => r.value),
  });
}

/** Materialises the feature view as a table (replacing it) and returns its shape. */
export async function buildFeatures(
  engine: Engine,
  options: BuildFeaturesOptions,
): Promise<BuildFeaturesResult> {
  const params = await featureParams(engine, options.asOf, options);
  const table = options.table ?? FEATURES_TABLE;
  const select = featuresSql(engine.dialect, params);
  await engine.transaction(async (tx) => {
    if (engine.dialect.supportsCreateOrReplace)
      await tx.exec(sql`CREATE OR REPLACE TABLE ${ident(table)} AS ${select}`);
    else {
      await tx.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
      await tx.exec(sql`CREATE TABLE ${ident(table)} AS ${select}`);
    }
  });
  const [counts] = await engine.query<{ rows: number; buyers: number }>(
    sql`SELECT count(*) AS ${ident('rows')}, count(first_order) AS buyers FROM ${ident(table)}`,
  );
  const columns = (await describeFeatureTable(engine, table)).map((c) => c.name);
  return {
    table,
    asOf: params.asOf,
    rows: counts?.rows ?? 0,
    buyers: counts?.buyers ?? 0,
    columns,
    categories: [...params.categories],
    channels: [...params.channels],
  };
}

/** The columns of a built feature table with their kinds (data-driven share columns included). */
export async function describeFeatureTable(
  engine: Engine,
  table: string = FEATURES_TABLE,
): Promise<FeatureColumn[]> {
  return (await describeTables(engine, [table])).get(table) ?? [];
}

/** Columns of several tables in one catalogue query (absent tables are missing from the map). */
export async function describeTables(
  engine: Engine,
  tables: readonly string[],
): Promise<Map<string, FeatureColumn[]>> {
  const rows = await engine.query<{ table_name: string; column_name: string; data_type: string }>(
    sql`SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_name IN (${join(tables.map((t) => sql`${t}`))}) ORDER BY table_name, ordinal_position`,
  );
  const known = new Map(FEATURE_COLUMNS.map((c) => [c.name, c] as const));
  const out = new Map<string, FeatureColumn[]>();
  for (const r of rows) {
    const list = out.get(r.table_name) ?? [];
    out.set(r.table_name, list);
    const fixed = known.get(r.column_name);
    list.push(
      fixed ?? {
        name: r.column_name,
        kind: kindOfType(r.data_type),
        group: r.column_name.startsWith('share_') ? 'mix' : 'orders',
        description: ['r_score', 'f_score', 'm_score', 'rfm_score', 'rfm_segment'].includes(r.column_name)
          ? 'RFM score / segment as of as_of (added by the RFM build; NULL without orders)'
          : r.column_name.startsWith('share_channel_')
            ? 'share of orders placed in this channel (0–1)'
            : r.column_name.startsWith('share_cat_')
              ? 'share of net revenue in this top-level category (0–1)'
              : 'derived column',
      },
    );
  }
  return out;
}

/** The `as_of` of the built feature table, or null when it has not been built. */
export async function featureTableAsOf(
  engine: Engine,
  table: string = FEATURES_TABLE,
): Promise<string | null> {
  if (!(await tableExists(engine, table))) return null;
  const [row] = await engine.query<{ as_of: string | null }>(sql`SELECT as_of FROM ${ident(table)} LIMIT 1`);
  return row?.as_of ?? null;
}

function kindOfType(type: string): FeatureKind {
  const t = type.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE' || t.startsWith('TIMESTAMP')) return 'date';
  if (/INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL/.test(t)) return 'number';
  return 'text';
}

/** The date of the last order in the datamart (the natural default for asOf), or null when there is none. */
export async function latestOrderDate(engine: Engine): Promise<string | null> {
  const [row] = await engine.query<{ d: string | null }>(sql`SELECT max(order_date) AS d FROM orders`);
  return row?.d ?? null;
}
