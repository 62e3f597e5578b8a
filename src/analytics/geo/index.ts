/**
 * Customers against their areas: a segment's profile against the areas it lives in and the national average
 * (index = 100), penetration per area (customers per household), and the areas with potential (households × the
 * rate at which twins of the seed occur there × the value of one). Every area output respects a minimum cell
 * size: cells with fewer customers merge upward (area → prefix → region → country) or are suppressed.
 */
import { InputError } from '../../errors.js';
import { type Engine, getNumberSetting, type SqlFragment, sql } from '../../store/index.js';
import { describeTables, FEATURES_TABLE } from '../features/index.js';
import { membersSql, prepareSegment, requireFeatures } from '../segments/index.js';
import {
  type AreaRow,
  type Cell,
  type MergeResult,
  mergeCells,
  nationalReference,
  type PenetrationCell,
  type PotentialCell,
  penetrationCore,
  potentialCore,
} from './core.js';
import { describePenetration, describePotential, describeProfile } from './explain.js';
import { defaults, type GeoLevel, type GeoParams, parseParams } from './params.js';
import { AREA_MEASURES, areaCountsSql, nationalMeansSql, profileSql, unplacedSql } from './sql.js';

export {
  type AreaRow,
  type Cell,
  type MergeResult,
  mergeCells,
  nationalReference,
  type PenetrationCell,
  type PotentialCell,
  penetrationCore,
  potentialCore,
} from './core.js';
export {
  defaults as geoDefaults,
  GEO_LEVELS,
  type GeoLevel,
  type GeoParams,
  parseParams as parseGeoParams,
} from './params.js';
export { AREA_MEASURES, type AreaMeasure } from './sql.js';

/** People of the feature table that no area could take (no postcode or country, or no matching area). */
export interface Unplaced {
  known: number;
  customers: number;
  members: number;
}

interface Common {
  asOf: string;
  level: GeoLevel;
  minCellSize: number;
  /** What could not be shown even merged to country level. */
  suppressed: MergeResult['suppressed'];
  unplaced: Unplaced;
  warnings: string[];
}

export interface GeoPenetrationResult extends Common {
  segment: string | null;
  /** What a cell counts: `customers`, or `segment members` when a segment is given. */
  counted: 'customers' | 'segment members';
  total: { count: number; households: number; penetration: number | null };
  cells: (PenetrationCell & { text: string })[];
}

export interface GeoPotentialResult extends Common {
  seed: string;
  valueColumn: string;
  /** Mean of the value column over the placed seed members: the worth of one more twin. */
  value: number;
  /** Seed members ÷ people placed, over all areas. */
  overallRate: number;
  smoothing: number;
  cells: (PotentialCell & { text: string })[];
}

export interface GeoProfileRow {
  measure: string;
  /** Mean of the measure over the areas the segment's members live in (one value per member). */
  segment: number | null;
  /** The same over all customers. */
  base: number | null;
  /** National average (household-weighted) for the segment's country mix. */
  national: number | null;
  /** 100 × segment ÷ national. */
  index: number | null;
  /** 100 × base ÷ its own national reference. */
  baseIndex: number | null;
  text: string;
}

export interface GeoProfileResult {
  asOf: string;
  segment: string;
  /** Members placed in an area (the profile is withheld below the minimum cell size). */
  members: number;
  customers: number;
  minCellSize: number;
  suppressed: boolean;
  measures: GeoProfileRow[];
  unplaced: Unplaced;
  warnings: string[];
}

/**
 * Params with the defaults; without an explicit minCellSize the datamart's `min_cell_size` setting (issue 19,
 * `clientele settings set min_cell_size N`, default 10) applies.
 */
async function resolveParams(engine: Engine, rest: Partial<GeoParams>): Promise<GeoParams> {
  const minCellSize =
    rest.minCellSize ??
    Math.max(
      1,
      Math.floor(await getNumberSetting(engine, 'min_cell_size').catch(() => defaults.minCellSize)),
    );
  return parseParams({ ...defaults, ...rest, minCellSize });
}

async function memberIds(engine: Engine, expression: string | undefined): Promise<SqlFragment | null> {
  if (!expression) return null;
  const seg = await prepareSegment(engine, expression);
  return membersSql(seg.compiled, sql`f.customer_id`);
}

async function areaRows(
  engine: Engine,
  members: SqlFragment | null,
  valueColumn: string | null,
): Promise<{ rows: AreaRow[]; memberValue: number }> {
  const raw = await engine.query<Record<string, unknown>>(
    areaCountsSql(engine.dialect, members, valueColumn),
  );
  if (!raw.length)
    throw new InputError(
      'Area analysis: expected rows in area_data, found none. Import area statistics (clientele import FILE --as area_data) with country, postcode and households.',
      {},
      { code: 'EMPTY_INPUT' },
    );
  let memberValue = 0;
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const rows = raw.map((r) => {
    memberValue += n(r.member_value) ?? 0;
    return {
      country: String(r.country),
      area: String(r.area_key),
      areaName: r.area_name == null ? null : String(r.area_name),
      region: r.region == null ? null : String(r.region),
      households: n(r.households) ?? 0,
      latitude: n(r.latitude),
      longitude: n(r.longitude),
      customers: Number(r.customers),
      known: Number(r.known),
      members: Number(r.members),
    };
  });
  return { rows, memberValue };
}

async function unplaced(engine: Engine, members: SqlFragment | null): Promise<Unplaced> {
  const [u] = await engine.query<{ known: number; customers: number; members: number }>(
    unplacedSql(engine.dialect, members),
  );
  return {
    known: Number(u?.known ?? 0),
    customers: Number(u?.customers ?? 0),
    members: Number(u?.members ?? 0),
  };
}

function unplacedWarning(u: Unplaced): string[] {
  return u.known
    ? [
        `${u.known} people (${u.customers} customers) could not be placed in an area: no postcode or country, or no area of area_data matches. They are counted in no cell.`,
      ]
    : [];
}

/**
 * Customers (or a segment's members) per household in every area, merged upward below the minimum cell size.
 * @param engine the datamart with `customer_features` and `area_data`
 * @param options `segment` (expression; default all customers) and GeoParams (level, prefixLength, minCellSize)
 * @returns cells with households, count, penetration and its index (100 = the overall penetration)
 * @throws InputError INVALID_INPUT for bad params, EMPTY_INPUT without area data; NotFoundError before features
 * @example
 * ```ts
 * const r = await geoPenetration(engine, { segment: "rfm_segment = 'Champions'", minCellSize: 10 });
 * ```
 */
export async function geoPenetration(
  engine: Engine,
  options: { segment?: string } & Partial<GeoParams> = {},
): Promise<GeoPenetrationResult> {
  const { segment, ...rest } = options;
  const p = await resolveParams(engine, rest);
  const asOf = await requireFeatures(engine);
  const members = await memberIds(engine, segment);
  const { rows } = await areaRows(engine, members, null);
  const count = (c: Pick<Cell, 'customers' | 'members'>) => (members ? c.members : c.customers);
  const merged = mergeCells(rows, count, p.minCellSize, p.level, p.prefixLength);
  const total = rows.reduce(
    (t, r) => ({ count: t.count + count(r), households: t.households + r.households }),
    { count: 0, households: 0 },
  );
  const cells = penetrationCore(merged.cells, count, total)
    .sort((a, b) => (b.index ?? -1) - (a.index ?? -1) || (a.key < b.key ? -1 : 1))
    .map((c) => ({ ...c, text: describePenetration(c) }));
  const u = await unplaced(engine, members);
  return {
    asOf,
    level: p.level,
    minCellSize: p.minCellSize,
    segment: segment ?? null,
    counted: members ? 'segment members' : 'customers',
    total: { ...total, penetration: total.households ? total.count / total.households : null },
    cells,
    suppressed: merged.suppressed,
    unplaced: u,
    warnings: unplacedWarning(u),
  };
}

/**
 * Areas ranked by potential: households × the rate at which twins of the seed occur there × the seed's value.
 * The twin rate of a cell is the seed's share among the people placed there (customers and prospects), smoothed
 * toward the overall rate; cells with fewer people than the minimum merge upward.
 * @param engine the datamart with `customer_features` and `area_data`
 * @param options `seed` (expression of the best customers) and GeoParams (valueColumn, smoothing, minCellSize …)
 * @returns cells best first with twinRate, potential and untapped value
 * @throws InputError INVALID_INPUT, EMPTY_INPUT when the seed has no placed member or there is no area data
 * @example
 * ```ts
 * const r = await geoPotential(engine, { seed: "rfm_segment = 'Champions'", valueColumn: 'revenue' });
 * ```
 */
export async function geoPotential(
  engine: Engine,
  options: { seed: string } & Partial<GeoParams>,
): Promise<GeoPotentialResult> {
  const { seed, ...rest } = options;
  const p = await resolveParams(engine, rest);
  const asOf = await requireFeatures(engine);
  const columns = (await describeTables(engine, [FEATURES_TABLE])).get(FEATURES_TABLE) ?? [];
  const valueCol = columns.find((c) => c.name === p.valueColumn);
  if (!valueCol || (valueCol.kind !== 'number' && valueCol.kind !== 'boolean'))
    throw new InputError(
      `Area potential: expected a numeric column of ${FEATURES_TABLE} as the value, got "${p.valueColumn}". Use e.g. revenue, gross_margin or a model score.`,
      { valueColumn: p.valueColumn },
      { code: 'INVALID_ARGUMENT' },
    );
  const members = await memberIds(engine, seed);
  const { rows, memberValue } = await areaRows(engine, members, p.valueColumn);
  const placedMembers = rows.reduce((s, r) => s + r.members, 0);
  const placedKnown = rows.reduce((s, r) => s + r.known, 0);
  if (placedMembers === 0)
    throw new InputError(
      `Area potential: expected seed members placed in an area, found none for "${seed}". Check the expression and that customers have postcodes matching area_data.`,
      { seed },
      { code: 'EMPTY_INPUT' },
    );
  const value = memberValue / placedMembers;
  const overallRate = placedMembers / placedKnown;
  const merged = mergeCells(rows, (c) => c.known, p.minCellSize, p.level, p.prefixLength);
  const cells = potentialCore(merged.cells, overallRate, value, p.smoothing).map((c) => ({
    ...c,
    text: describePotential(c, value),
  }));
  const u = await unplaced(engine, members);
  return {
    asOf,
    level: p.level,
    minCellSize: p.minCellSize,
    seed,
    valueColumn: p.valueColumn,
    value,
    overallRate,
    smoothing: p.smoothing,
    cells,
    suppressed: merged.suppressed,
    unplaced: u,
    warnings: unplacedWarning(u),
  };
}

/**
 * A segment's areas against the national average: for each area measure, the mean over the areas its members
 * live in, indexed on the household-weighted national average for the segment's country mix (100 = average),
 * next to the same for all customers.
 * @param engine the datamart with `customer_features` and `area_data`
 * @param options `segment` expression and `minCellSize` (the profile is withheld for fewer placed members)
 * @returns one row per measure with segment, base, national, index and baseIndex
 * @throws InputError INVALID_INPUT, EMPTY_INPUT without area data
 * @example
 * ```ts
 * const r = await geoProfile(engine, { segment: "rfm_segment = 'Champions'" });
 * ```
 */
export async function geoProfile(
  engine: Engine,
  options: { segment: string } & Partial<GeoParams>,
): Promise<GeoProfileResult> {
  const { segment, ...rest } = options;
  const p = await resolveParams(engine, rest);
  const asOf = await requireFeatures(engine);
  const members = (await memberIds(engine, segment)) as SqlFragment;
  const national = await engine.query<Record<string, unknown>>(nationalMeansSql());
  if (!national.length)
    throw new InputError(
      'Area profile: expected rows in area_data, found none. Import area statistics (clientele import FILE --as area_data).',
      {},
      { code: 'EMPTY_INPUT' },
    );
  const perCountry = await engine.query<Record<string, unknown>>(profileSql(engine.dialect, members));
  const memberCount = perCountry.reduce((s, r) => s + Number(r.members), 0);
  const customerCount = perCountry.reduce((s, r) => s + Number(r.customers), 0);
  const suppressed = memberCount < p.minCellSize;
  const measures: GeoProfileRow[] = AREA_MEASURES.map((m) => {
    const means = new Map<string, number>();
    for (const r of national)
      if (r[m] !== null && r[m] !== undefined) means.set(String(r.country), Number(r[m]));
    const mean = (who: 'm' | 'c') => {
      let s = 0;
      let n = 0;
      for (const r of perCountry) {
        s += Number(r[`${who}_${m}_sum`] ?? 0);
        n += Number(r[`${who}_${m}_n`] ?? 0);
      }
      return n ? s / n : null;
    };
    const mix = (who: 'm' | 'c') =>
      new Map(perCountry.map((r) => [String(r.country), Number(r[`${who}_${m}_n`] ?? 0)] as const));
    const seg = suppressed ? null : mean('m');
    const base = mean('c');
    const nat = suppressed ? null : nationalReference(means, mix('m'));
    const baseNat = nationalReference(means, mix('c'));
    const index = seg !== null && nat ? (100 * seg) / nat : null;
    const baseIndex = base !== null && baseNat ? (100 * base) / baseNat : null;
    return {
      measure: m,
      segment: seg,
      base,
      national: nat,
      index,
      baseIndex,
      text: describeProfile(m, index, baseIndex),
    };
  });
  const u = await unplaced(engine, members);
  const warnings = unplacedWarning(u);
  if (suppressed)
    warnings.unshift(
      `The segment has fewer than ${p.minCellSize} members placed in an area: its profile is withheld (minimum cell size).`,
    );
  return {
    asOf,
    segment,
    members: suppressed ? 0 : memberCount,
    customers: customerCount,
    minCellSize: p.minCellSize,
    suppressed,
    measures,
    unplaced: u,
    warnings,
  };
}
