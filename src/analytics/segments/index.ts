/**
 * Segments: a small filter language over the customer feature view (plus RFM scores and customer fields),
 * compiled to parameterised SQL; instant counts; stored segments with a size history; profiles that say
 * what distinguishes a segment; consent-aware exports (export.ts).
 */
import { NotFoundError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { ident, join, type SqlFragment, sql } from '../../store/index.js';
import { describeTables, FEATURES_TABLE, featureTableAsOf } from '../features/index.js';
import { CLASSIC_MAP, RFM_TABLE, UNCLASSIFIED } from '../rfm/index.js';
import { columnsOf, type Expr, parseSegment, printSegment, textValuesOf } from './core.js';
import {
  type CategoryStat,
  type Distinction,
  distinguishingAttributes,
  type NumericStat,
} from './explain.js';
import { parseSegmentName } from './params.js';
import { type CompiledSegment, compileSegment, countSql, type SegmentColumn, segmentFrom } from './sql.js';

export {
  type ColumnRef,
  type CompareOp,
  columnsOf,
  type DurationUnit,
  type Expr,
  parseSegment,
  printSegment,
  resolveToday,
  type Value,
  withoutPositions,
} from './core.js';
export {
  type CategoryStat,
  type Distinction,
  distinguishingAttributes,
  type NumericStat,
} from './explain.js';
export { type ExportResult, exportSegment } from './export.js';
export { EXPORT_CHANNELS, type ExportChannel, type ExportFormat, parseSegmentName } from './params.js';
export {
  type ColumnSource,
  type CompileContext,
  type CompiledSegment,
  compileSegment,
  type SegmentColumn,
} from './sql.js';

/**
 * Latest score of every stored model, one column per model id (written by `clientele predict score`; the name
 * is predict's CUSTOMER_SCORES_TABLE, repeated here because predict imports segments, not the other way round).
 */
const SCORES_TABLE = 'customer_scores';

/** Saved clusters (`clientele cluster`: cluster number and generated name per customer; clusters' CLUSTERS_TABLE). */
const CLUSTERS_TABLE = 'customer_clusters';

/** Saved campaign profiles (`clientele campaign engagement --save` / `campaign interests --save`). */
const ENGAGEMENT_TABLE = 'customer_engagement';
const INTERESTS_TABLE = 'customer_interests';
const SEND_TIME_TABLE = 'customer_send_time';
/** The latest CLV scores per customer (clv, clv_tier, p_alive …), written by `clv predict`. */
const CLV_TABLE = 'customer_clv';
/** Life events per customer (life_event, life_event_days, new_baby_days …), written by `lifeevents`. */
const LIFE_EVENTS_TABLE = 'customer_life_events';

const TABLES = {
  features: FEATURES_TABLE,
  rfm: RFM_TABLE,
  scores: SCORES_TABLE,
  clusters: CLUSTERS_TABLE,
  engagement: ENGAGEMENT_TABLE,
  interests: INTERESTS_TABLE,
  sendtime: SEND_TIME_TABLE,
  clv: CLV_TABLE,
  lifeevents: LIFE_EVENTS_TABLE,
};

/** Cluster columns usable in expressions (`cluster_name = "high-spend, frequent"`, `cluster = 3`). */
const CLUSTER_COLUMNS: readonly SegmentColumn[] = [
  { name: 'cluster', kind: 'number', source: 'clusters' },
  { name: 'cluster_name', kind: 'text', source: 'clusters' },
];

/** Columns of the customers table usable in expressions besides those already in the feature view. */
const CUSTOMER_COLUMNS: readonly SegmentColumn[] = [
  { name: 'first_name', kind: 'text', source: 'customers' },
  { name: 'last_name', kind: 'text', source: 'customers' },
  { name: 'email', kind: 'text', source: 'customers' },
  { name: 'phone_e164', kind: 'text', source: 'customers' },
  { name: 'street', kind: 'text', source: 'customers' },
  { name: 'birth_date', kind: 'date', source: 'customers' },
  { name: 'created_at', kind: 'date', source: 'customers' },
];

/** RFM columns usable in expressions (from `customer_rfm`, written by `clientele rfm` / `features build`). */
const RFM_COLUMNS: readonly SegmentColumn[] = [
  { name: 'r_score', kind: 'number', source: 'rfm' },
  { name: 'f_score', kind: 'number', source: 'rfm' },
  { name: 'm_score', kind: 'number', source: 'rfm' },
  { name: 'rfm_score', kind: 'text', source: 'rfm' },
  { name: 'rfm_segment', kind: 'text', source: 'rfm' },
];

/** The whitelist of columns an expression may use, from the built tables. */
export async function segmentColumns(engine: Engine): Promise<Map<string, SegmentColumn>> {
  return cachedColumns(engine, await catalogCache(engine));
}

async function cachedColumns(
  engine: Engine,
  cache: CatalogCache | null,
): Promise<Map<string, SegmentColumn>> {
  if (cache?.columns) return cache.columns;
  const columns = await describeSegmentColumns(engine);
  if (cache) cache.columns = columns;
  return columns;
}

/**
 * What a count needs to know about the tables before it runs (their columns, the text values a warning lists)
 * costs more than the count itself at a million customers (a catalog query and a DISTINCT scan per text column):
 * it is kept per database while the tables' version (`Engine.tablesVersion`: created, replaced, altered or
 * resized) stays the same. Engines that cannot tell a version get no cache.
 */
interface CatalogCache {
  version: string;
  columns?: Map<string, SegmentColumn>;
  /** The feature table's as_of. */
  asOf?: string;
  /** Distinct values per `table.column` (at most MAX_LISTED_VALUES + 1 of them). */
  values: Map<string, string[]>;
}
const catalogCaches = new WeakMap<object, CatalogCache>();

/** The tables whose columns a segment expression may use. */
const SEGMENT_TABLES = [
  FEATURES_TABLE,
  RFM_TABLE,
  SCORES_TABLE,
  CLUSTERS_TABLE,
  ENGAGEMENT_TABLE,
  INTERESTS_TABLE,
  SEND_TIME_TABLE,
  CLV_TABLE,
  LIFE_EVENTS_TABLE,
];

async function catalogCache(engine: Engine): Promise<CatalogCache | null> {
  if (!engine.database || !engine.tablesVersion) return null;
  const version = await engine.tablesVersion([...SEGMENT_TABLES, 'customers']);
  let cache = catalogCaches.get(engine.database);
  if (!cache || cache.version !== version) {
    cache = { version, values: new Map() };
    catalogCaches.set(engine.database, cache);
  }
  return cache;
}

/** Distinct text values of a column, cached with the catalog (see `CatalogCache`). */
async function distinctValues(
  engine: Engine,
  cache: CatalogCache | null,
  table: string,
  column: string,
  limit?: number,
): Promise<string[]> {
  const key = `${table}.${column}.${limit ?? ''}`;
  const hit = cache?.values.get(key);
  if (hit) return hit;
  const rows = await engine.query<{ v: string }>(
    sql`SELECT DISTINCT CAST(${ident(column)} AS VARCHAR) AS v FROM ${ident(table)} WHERE ${ident(column)} IS NOT NULL ORDER BY 1${
      limit === undefined ? sql`` : sql` LIMIT ${limit}`
    }`,
  );
  const values = rows.map((r) => r.v);
  cache?.values.set(key, values);
  return values;
}

async function describeSegmentColumns(engine: Engine): Promise<Map<string, SegmentColumn>> {
  const tables = await describeTables(engine, SEGMENT_TABLES);
  const columns = new Map<string, SegmentColumn>();
  for (const c of tables.get(FEATURES_TABLE) ?? [])
    columns.set(c.name, { name: c.name, kind: c.kind, source: 'features' });
  if (!columns.size) return columns;
  if (tables.has(RFM_TABLE)) for (const c of RFM_COLUMNS) if (!columns.has(c.name)) columns.set(c.name, c);
  for (const c of CUSTOMER_COLUMNS) if (!columns.has(c.name)) columns.set(c.name, c);
  if (tables.has(CLUSTERS_TABLE))
    for (const c of CLUSTER_COLUMNS) if (!columns.has(c.name)) columns.set(c.name, c);
  // Model scores (churn_risk > 0.7); a model id that collides with a feature column stays the feature.
  for (const c of tables.get(SCORES_TABLE) ?? [])
    if (c.name !== 'customer_id' && c.kind === 'number' && !columns.has(c.name))
      columns.set(c.name, { name: c.name, kind: 'number', source: 'scores' });
  // Campaign profiles: quadrant = 'window shoppers', open_probability > 0.4, interest_fashion > 0.6.
  for (const [table, source] of [
    [ENGAGEMENT_TABLE, 'engagement'],
    [INTERESTS_TABLE, 'interests'],
    [SEND_TIME_TABLE, 'sendtime'],
    [CLV_TABLE, 'clv'],
    [LIFE_EVENTS_TABLE, 'lifeevents'],
  ] as const)
    for (const c of tables.get(table) ?? [])
      if (c.name !== 'customer_id' && !columns.has(c.name))
        columns.set(c.name, { name: c.name, kind: c.kind, source });
  return columns;
}

/** The feature table's as_of; throws NOT_FOUND with the command to run when it has not been built. */
export async function requireFeatures(engine: Engine, exists = false): Promise<string> {
  const asOf = exists
    ? ((await engine.query<{ as_of: string }>(sql`SELECT as_of FROM ${ident(FEATURES_TABLE)} LIMIT 1`))[0]
        ?.as_of ?? null)
    : await featureTableAsOf(engine);
  if (!asOf)
    throw new NotFoundError(
      'The customer feature table has not been built (or is empty). Run `clientele features build --as-of YYYY-MM-DD` first.',
      { table: FEATURES_TABLE },
    );
  return asOf;
}

export interface PreparedSegment {
  expr: Expr;
  /** The expression in canonical form. */
  canonical: string;
  compiled: CompiledSegment;
  asOf: string;
  /** Valid but suspicious: text values no customer has (they would count 0 silently). */
  warnings: string[];
  unknownValues: UnknownValues[];
}

/** Parses, checks against the whitelist and compiles an expression; runs nothing. */
export async function prepareSegment(engine: Engine, expression: string): Promise<PreparedSegment> {
  const expr = parseSegment(expression);
  const cache = await catalogCache(engine);
  const columns = await cachedColumns(engine, cache);
  if (!columns.has('as_of')) await requireFeatures(engine); // throws the "build it first" error
  const asOf = cache?.asOf ?? (await requireFeatures(engine, true));
  if (cache) cache.asOf = asOf;
  const referenced = new Set(columnsOf(expr).map((c) => c.name));
  const knownValues = new Map<string, string[]>();
  const rfmColumn = columns.get('rfm_segment');
  if (referenced.has('rfm_segment') && rfmColumn) {
    const table = rfmColumn.source === 'rfm' ? RFM_TABLE : FEATURES_TABLE;
    const found = await distinctValues(engine, cache, table, 'rfm_segment');
    const names = new Set([...CLASSIC_MAP.map((m) => m.name), UNCLASSIFIED, ...found]);
    knownValues.set('rfm_segment', [...names]);
  }
  if (referenced.has('cluster_name') && columns.get('cluster_name')?.source === 'clusters') {
    knownValues.set('cluster_name', await distinctValues(engine, cache, CLUSTERS_TABLE, 'cluster_name'));
  }
  const compiled = compileSegment(expr, { dialect: engine.dialect, asOf, columns, knownValues });
  const unknownValues = await findUnknownValues(engine, expr, columns, knownValues, cache);
  const warnings = unknownValues.map(
    (u) =>
      `${u.column}: no customer has ${u.values.map((v) => `'${v}'`).join(', ')}, so ${u.values.length > 1 ? 'those values match' : 'that value matches'} nobody. Known values: ${u.known.map((v) => `'${v}'`).join(', ') || '(none)'}.`,
  );
  return { expr, canonical: printSegment(expr), compiled, asOf, warnings, unknownValues };
}

/** Most levels a text column may have for its values to be listed in a warning. */
const MAX_LISTED_VALUES = 30;

/**
 * A warning for each text value compared with = / <> / in that no customer has (e.g. `income_band in
 * ('high', 'very high')` where the data says `very_high`): it would silently count 0. Lists the known values.
 */
async function findUnknownValues(
  engine: Engine,
  expr: ReturnType<typeof parseSegment>,
  columns: Awaited<ReturnType<typeof segmentColumns>>,
  checked: ReadonlyMap<string, string[]>,
  cache: CatalogCache | null,
): Promise<UnknownValues[]> {
  const found: UnknownValues[] = [];
  for (const [name, values] of textValuesOf(expr)) {
    const column = columns.get(name);
    if (!column || checked.has(name) || column.kind !== 'text') continue;
    const table =
      TABLES[column.source as keyof typeof TABLES] ?? (column.source === 'customers' ? 'customers' : null);
    if (!table) continue;
    const known = await distinctValues(engine, cache, table, name, MAX_LISTED_VALUES + 1);
    if (known.length > MAX_LISTED_VALUES) continue;
    const unknown = values.filter((v) => !known.includes(v));
    if (unknown.length) found.push({ column: name, values: unknown, known });
  }
  return found;
}

/** Text values of a column that no customer has, and the values it does have. */
export interface UnknownValues {
  column: string;
  values: string[];
  known: string[];
}

export interface SegmentCount {
  count: number;
  total: number;
  /** count ÷ total (0 for an empty base). */
  share: number;
  asOf: string;
  /** The expression in canonical form. */
  expression: string;
  /** The SQL that ran, values inlined for reading (only with `includeSql`). */
  sql?: string;
  /** Text values no customer has, with the known values (e.g. `income_band: no customer has 'very high'`). */
  warnings: string[];
  /** The same, as data (for a translated message). */
  unknownValues: UnknownValues[];
}

/** Counts the customers matching an expression, and the whole base, in one scan. */
export async function countSegment(
  engine: Engine,
  expression: string,
  options: { includeSql?: boolean } = {},
): Promise<SegmentCount> {
  const prepared = await prepareSegment(engine, expression);
  const q = countSql(engine.dialect, prepared.compiled, TABLES);
  const [row] = await engine.query<{ n: number; total: number }>(q);
  const count = row?.n ?? 0;
  const total = row?.total ?? 0;
  return {
    count,
    total,
    share: total ? count / total : 0,
    asOf: prepared.asOf,
    expression: prepared.canonical,
    ...(options.includeSql ? { sql: q.toString() } : {}),
    warnings: prepared.warnings,
    unknownValues: prepared.unknownValues,
  };
}

/** A member of a segment as the preview shows it (personal data: analysts only). */
export interface SegmentMember {
  customerId: string;
  name: string | null;
  city: string | null;
  orders: number;
  revenue: number;
  recencyDays: number | null;
}

/**
 * The first `limit` members of a segment, most net revenue first: a look at who the live count counts.
 * @example
 * ```ts
 * const members = await previewSegment(engine, "rfm_segment = 'At risk'", 10);
 * ```
 */
export async function previewSegment(
  engine: Engine,
  expression: string,
  limit = 10,
): Promise<SegmentMember[]> {
  const prepared = await prepareSegment(engine, expression);
  const rows = await engine.query<{
    customer_id: string;
    first_name: string | null;
    last_name: string | null;
    city: string | null;
    orders: number;
    revenue: number;
    recency_days: number | null;
  }>(
    sql`SELECT CAST(f.customer_id AS VARCHAR) AS customer_id, c.first_name, c.last_name, c.city,
        f.orders, f.revenue, f.recency_days
      FROM ${segmentFrom(prepared.compiled.joins, TABLES)}
      LEFT JOIN customers c ON c.customer_id = f.customer_id
      WHERE ${prepared.compiled.where}
      ORDER BY f.revenue DESC NULLS LAST, f.customer_id LIMIT ${Math.max(1, Math.min(limit, 100))}`,
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
    city: r.city,
    orders: Number(r.orders ?? 0),
    revenue: Number(r.revenue ?? 0),
    recencyDays: r.recency_days === null ? null : Number(r.recency_days),
  }));
}

/** Creates the `segments` and `segment_sizes` tables when missing. */
export async function ensureSegmentTables(engine: Engine): Promise<void> {
  await engine.exec(`CREATE TABLE IF NOT EXISTS segments (
    name VARCHAR NOT NULL, definition VARCHAR NOT NULL, description VARCHAR,
    created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`);
  await engine.exec(`CREATE TABLE IF NOT EXISTS segment_sizes (
    name VARCHAR NOT NULL, as_of DATE NOT NULL, measured_at TIMESTAMP NOT NULL, size BIGINT NOT NULL, total BIGINT NOT NULL)`);
}

export interface StoredSegment {
  name: string;
  definition: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** The latest recorded size, if any. */
  lastSize: number | null;
  lastAsOf: string | null;
}

/**
 * Stores (or replaces) a named segment after checking that its expression compiles, and records its size.
 * `now` is the timestamp written to created/updated (the service passes the clock; analytics never reads it).
 */
export async function createSegment(
  engine: Engine,
  input: { name: string; expression: string; description?: string; now: Date },
): Promise<{ segment: StoredSegment; count: SegmentCount; replaced: boolean }> {
  const name = parseSegmentName(input.name);
  const count = await countSegment(engine, input.expression);
  await ensureSegmentTables(engine);
  const now = input.now.toISOString();
  const replaced = await engine.transaction(async (tx) => {
    const existing = await tx.query<{ created_at: string }>(
      sql`SELECT created_at FROM segments WHERE name = ${name}`,
    );
    await tx.exec(sql`DELETE FROM segments WHERE name = ${name}`);
    await tx.exec(sql`INSERT INTO segments VALUES (${name}, ${count.expression}, ${input.description ?? null},
      CAST(${existing[0]?.created_at ?? now} AS TIMESTAMP), CAST(${now} AS TIMESTAMP))`);
    await recordSize(tx, name, count, input.now);
    return existing.length > 0;
  });
  return { segment: await getSegment(engine, name), count, replaced };
}

/**
 * Records a segment's size unless the last record says the same (same as_of and size) — or, with
 * `everyHours`, unless it says the same and is younger than that (a daily record while a server runs).
 */
async function recordSize(
  engine: Engine,
  name: string,
  count: SegmentCount,
  now: Date,
  everyHours?: number,
): Promise<boolean> {
  const [last] = await engine.query<{ as_of: string; size: number; measured_at: string }>(
    sql`SELECT CAST(as_of AS VARCHAR) AS as_of, size, CAST(measured_at AS VARCHAR) AS measured_at
        FROM segment_sizes WHERE name = ${name} ORDER BY measured_at DESC LIMIT 1`,
  );
  if (last && String(last.as_of).slice(0, 10) === count.asOf && Number(last.size) === count.count) {
    const age = (now.getTime() - Date.parse(`${String(last.measured_at).replace(' ', 'T')}Z`)) / 3_600_000;
    if (everyHours === undefined || age < everyHours) return false;
  }
  await engine.exec(sql`INSERT INTO segment_sizes VALUES (${name}, CAST(${count.asOf} AS DATE),
    CAST(${now.toISOString()} AS TIMESTAMP), ${count.count}, ${count.total})`);
  return true;
}

/**
 * Counts every stored segment again and records the sizes that changed (after a feature refresh or an
 * import), or, with `everyHours`, also those last recorded longer ago than that (a server's daily record).
 * A segment that no longer compiles (a column gone) is skipped and named in `skipped`.
 */
export async function recordSegmentSizes(
  engine: Engine,
  options: { now: Date; everyHours?: number },
): Promise<{ recorded: string[]; skipped: string[] }> {
  const recorded: string[] = [];
  const skipped: string[] = [];
  if (!(await featureTableAsOf(engine))) return { recorded, skipped };
  for (const s of await listSegments(engine)) {
    let count: SegmentCount;
    try {
      count = await countSegment(engine, s.definition);
    } catch {
      skipped.push(s.name);
      continue;
    }
    if (await recordSize(engine, s.name, count, options.now, options.everyHours)) recorded.push(s.name);
  }
  return { recorded, skipped };
}

/** A stored segment's recorded sizes, oldest first; NOT_FOUND when the segment does not exist. */
export async function segmentSizeHistory(
  engine: Engine,
  name: string,
): Promise<{ asOf: string; measuredAt: string; size: number; total: number }[]> {
  await getSegment(engine, name);
  const rows = await engine.query<{ as_of: string; measured_at: string; size: number; total: number }>(
    sql`SELECT CAST(as_of AS VARCHAR) AS as_of, CAST(measured_at AS VARCHAR) AS measured_at, size, total
        FROM segment_sizes WHERE name = ${name} ORDER BY measured_at`,
  );
  return rows.map((r) => ({
    asOf: String(r.as_of).slice(0, 10),
    measuredAt: String(r.measured_at),
    size: Number(r.size),
    total: Number(r.total),
  }));
}

/** Every stored segment with its latest size. */
export async function listSegments(engine: Engine): Promise<StoredSegment[]> {
  await ensureSegmentTables(engine);
  const rows = await engine.query<{
    name: string;
    definition: string;
    description: string | null;
    created_at: string;
    updated_at: string;
    size: number | null;
    as_of: string | null;
  }>(sql`SELECT s.name, s.definition, s.description, s.created_at, s.updated_at, z.size, z.as_of
    FROM segments s
    LEFT JOIN (SELECT name, size, as_of, row_number() OVER (PARTITION BY name ORDER BY measured_at DESC) AS rn
               FROM segment_sizes) z ON z.name = s.name AND z.rn = 1
    ORDER BY s.name`);
  return rows.map((r) => ({
    name: r.name,
    definition: r.definition,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSize: r.size,
    lastAsOf: r.as_of,
  }));
}

/** One stored segment; NOT_FOUND (with the known names) when missing. */
export async function getSegment(engine: Engine, name: string): Promise<StoredSegment> {
  const all = await listSegments(engine);
  const found = all.find((s) => s.name === name);
  if (!found)
    throw new NotFoundError(
      `Segment "${name}" does not exist. Known segments: ${all.map((s) => s.name).join(', ') || '(none)'}. Create it with \`clientele segment create NAME "EXPR"\`.`,
      { name },
    );
  return found;
}

/** Deletes a stored segment and its size history. */
export async function deleteSegment(engine: Engine, name: string): Promise<void> {
  await getSegment(engine, name);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DELETE FROM segments WHERE name = ${name}`);
    await tx.exec(sql`DELETE FROM segment_sizes WHERE name = ${name}`);
  });
}

export interface SegmentProfile {
  name: string | null;
  definition: string;
  asOf: string;
  size: number;
  total: number;
  share: number;
  /** Segment revenue ÷ total revenue. */
  revenueShare: number;
  /** Segment gross margin ÷ total gross margin (NULL when no margin is known). */
  marginShare: number | null;
  /** Mean of each numeric feature in the segment and in the whole base. */
  averages: { column: string; segment: number | null; base: number | null; lift: number | null }[];
  /** The attributes that most distinguish the segment, by standardised difference. */
  distinctions: Distinction[];
  /** Recorded sizes, oldest first (stored segments only). */
  history: { asOf: string; measuredAt: string; size: number; total: number }[];
}

/** Text columns profiled by value (low cardinality). */
const PROFILE_CATEGORIES = [
  'gender',
  'income_band',
  'occupation',
  'education',
  'region',
  'country',
  'signup_source',
  'rfm_segment',
];

/** Profiles an expression or a stored segment (by name) against the whole base. */
export async function profileSegment(
  engine: Engine,
  target: { name: string; now: Date } | { expression: string },
): Promise<SegmentProfile> {
  const stored = 'name' in target ? await getSegment(engine, target.name) : null;
  const prepared = await prepareSegment(
    engine,
    stored ? stored.definition : (target as { expression: string }).expression,
  );
  const columns = await segmentColumns(engine);
  const numeric = [...columns.values()].filter(
    (c) => c.kind === 'number' && (c.source === 'features' || c.source === 'rfm'),
  );
  const joins = [
    ...new Set<CompiledSegment['joins'][number]>([
      ...prepared.compiled.joins,
      ...(columns.has('rfm_segment') ? (['rfm'] as const) : []),
    ]),
  ];
  const from = sql`(SELECT f.*${columns.has('rfm_segment') ? sql`, r.r_score, r.f_score, r.m_score, r.rfm_segment` : sql``},
      coalesce(${prepared.compiled.where}, false) AS in_segment
    FROM ${segmentFrom(joins, TABLES)}) x`;
  const col = (name: string) => sql`${ident(name)}`;
  const aggregates = numeric.flatMap((c, i) => [
    sql`avg(CASE WHEN in_segment THEN ${col(c.name)} END) AS ${ident(`s${i}`)}`,
    sql`avg(${col(c.name)}) AS ${ident(`b${i}`)}`,
    sql`stddev_pop(${col(c.name)}) AS ${ident(`d${i}`)}`,
  ]);
  const [agg] =
    await engine.query(sql`SELECT ${engine.dialect.countIf(sql`in_segment`)} AS size, count(*) AS total,
      sum(CASE WHEN in_segment THEN revenue END) AS seg_revenue, sum(revenue) AS revenue,
      sum(CASE WHEN in_segment THEN gross_margin END) AS seg_margin, sum(gross_margin) AS margin,
      ${join(aggregates)}
    FROM ${from}`);
  const a = agg ?? {};
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const size = Number(a.size ?? 0);
  const total = Number(a.total ?? 0);
  const stats: NumericStat[] = numeric.map((c, i) => ({
    column: c.name,
    segmentMean: num(a[`s${i}`]),
    baseMean: num(a[`b${i}`]),
    baseStd: num(a[`d${i}`]),
  }));
  const categories: CategoryStat[] = [];
  for (const name of PROFILE_CATEGORIES.filter((c) => columns.has(c))) {
    const rows = await engine.query<{ value: string; seg: number; base: number }>(
      sql`SELECT ${col(name)} AS value, ${engine.dialect.countIf(sql`in_segment`)} AS seg, count(*) AS base
        FROM ${from} WHERE ${col(name)} IS NOT NULL GROUP BY 1`,
    );
    for (const r of rows)
      categories.push({ column: name, value: String(r.value), segmentCount: r.seg, baseCount: r.base });
  }
  const referenced = new Set(columnsOf(prepared.expr).map((c) => c.name));
  const history = stored
    ? (
        await engine.query<{ as_of: string; measured_at: string; size: number; total: number }>(
          sql`SELECT as_of, measured_at, size, total FROM segment_sizes WHERE name = ${stored.name} ORDER BY measured_at`,
        )
      ).map((h) => ({ asOf: h.as_of, measuredAt: h.measured_at, size: h.size, total: h.total }))
    : [];
  if (stored && 'now' in target) {
    const count = {
      count: size,
      total,
      share: total ? size / total : 0,
      asOf: prepared.asOf,
      expression: prepared.canonical,
      warnings: prepared.warnings,
      unknownValues: prepared.unknownValues,
    };
    await recordSize(engine, stored.name, count, target.now);
  }
  const margin = num(a.margin);
  return {
    name: stored?.name ?? null,
    definition: prepared.canonical,
    asOf: prepared.asOf,
    size,
    total,
    share: total ? size / total : 0,
    revenueShare: num(a.revenue) ? (num(a.seg_revenue) ?? 0) / (num(a.revenue) as number) : 0,
    marginShare: margin ? (num(a.seg_margin) ?? 0) / margin : null,
    averages: stats.map((s) => ({
      column: s.column,
      segment: s.segmentMean,
      base: s.baseMean,
      lift: s.segmentMean !== null && s.baseMean ? s.segmentMean / s.baseMean : null,
    })),
    distinctions: distinguishingAttributes(stats, categories, { segment: size, base: total }, referenced),
    history,
  };
}

/** @internal the member query of a segment: `SELECT f.customer_id … WHERE cond`, for exports and joins. */
export function membersSql(compiled: CompiledSegment, select: SqlFragment): SqlFragment {
  return sql`SELECT ${select} FROM ${segmentFrom(compiled.joins, TABLES)} WHERE ${compiled.where}`;
}
