/**
 * The pure part of the area analyses: merging small cells upward, penetration, twin rates and potential,
 * and the country-mix-adjusted national index. No I/O, no clock.
 */
import { GEO_LEVELS, type GeoLevel } from './params.js';

/** One area of the area data, with what the datamart counts there. */
export interface AreaRow {
  country: string;
  /** Normalised postcode key of the area (upper case, no spaces). */
  area: string;
  areaName: string | null;
  region: string | null;
  households: number;
  latitude: number | null;
  longitude: number | null;
  /** Customers placed here (no prospects). */
  customers: number;
  /** Everybody placed here: customers and prospects. */
  known: number;
  /** Members of the segment (seed) placed here. */
  members: number;
}

/** A shown cell: one area, or the areas of a prefix / region / country that were too small on their own. */
export interface Cell {
  level: GeoLevel;
  /** Stable key: `NL:1011AB`, `NL:10*`, `NL:Noord-Holland`, `NL`. */
  key: string;
  country: string;
  /** Readable name: the area name, `10… (3 areas)`, the region, the country. */
  label: string;
  /** Areas merged into the cell. */
  areas: number;
  households: number;
  customers: number;
  known: number;
  members: number;
  /** Household-weighted centre of the cell's areas (null when none has coordinates). */
  latitude: number | null;
  longitude: number | null;
}

export interface MergeResult {
  cells: Cell[];
  /** What could not be shown even at country level (counts withheld when they are themselves small). */
  suppressed: { areas: number; households: number; count: number | null };
}

/** The key of a row at a level; null when the area has no value there (no region): it moves up. */
function keyAt(row: AreaRow, level: GeoLevel, prefixLength: number): string | null {
  switch (level) {
    case 'area':
      return `${row.country}:${row.area}`;
    case 'prefix':
      return `${row.country}:${row.area.slice(0, prefixLength)}*`;
    case 'region':
      return row.region ? `${row.country}:${row.region}` : null;
    case 'country':
      return row.country;
  }
}

function labelAt(rows: AreaRow[], level: GeoLevel, prefixLength: number): string {
  const first = rows[0] as AreaRow;
  const n = rows.length;
  switch (level) {
    case 'area':
      return first.areaName ? `${first.areaName} ${first.area}` : first.area;
    case 'prefix':
      return `${first.country} ${first.area.slice(0, prefixLength)}… (${n} area${n === 1 ? '' : 's'})`;
    case 'region':
      return `${first.region} (${first.country}, ${n} area${n === 1 ? '' : 's'})`;
    case 'country':
      return `${first.country} (${n} area${n === 1 ? '' : 's'})`;
  }
}

/**
 * Groups areas into cells of at least `minCellSize` by `count` (customers, members, known people: whatever the
 * output shows), starting at `level`: a group large enough is shown; the areas of the groups too small move up
 * one level (area → prefix → region → country), where they form the "rest" cell of that prefix, region or country.
 * What is still too small at country level is suppressed. A shown cell never holds fewer than the minimum, and
 * a rest cell never includes a shown area, so no small cell can be recovered by subtraction.
 * @param rows the areas with their counts
 * @param count the number that must reach the minimum per cell
 * @param minCellSize smallest count shown (≥ 1)
 * @param level the finest level shown
 * @param prefixLength characters of the area key forming the prefix level
 */
export function mergeCells(
  rows: readonly AreaRow[],
  count: (c: Pick<Cell, 'customers' | 'known' | 'members'>) => number,
  minCellSize: number,
  level: GeoLevel,
  prefixLength: number,
): MergeResult {
  const cells: Cell[] = [];
  let pending = [...rows].sort((a, b) =>
    a.country === b.country
      ? a.area < b.area
        ? -1
        : a.area > b.area
          ? 1
          : 0
      : a.country < b.country
        ? -1
        : 1,
  );
  for (const lv of GEO_LEVELS.slice(GEO_LEVELS.indexOf(level))) {
    const groups = new Map<string, AreaRow[]>();
    const up: AreaRow[] = [];
    for (const r of pending) {
      const key = keyAt(r, lv, prefixLength);
      if (key === null) up.push(r);
      else {
        const g = groups.get(key);
        if (g) g.push(r);
        else groups.set(key, [r]);
      }
    }
    for (const [key, group] of groups) {
      const cell = sumCell(group, lv, key, prefixLength);
      if (count(cell) >= minCellSize) cells.push(cell);
      else up.push(...group);
    }
    pending = up;
  }
  const left = pending.length ? sumCell(pending, 'country', '', prefixLength) : null;
  const withheld = left ? count(left) : 0;
  return {
    cells,
    suppressed: {
      areas: pending.length,
      households: left?.households ?? 0,
      count: withheld >= minCellSize ? withheld : null,
    },
  };
}

function sumCell(group: AreaRow[], level: GeoLevel, key: string, prefixLength: number): Cell {
  let households = 0;
  let customers = 0;
  let known = 0;
  let members = 0;
  let lat = 0;
  let lon = 0;
  let w = 0;
  for (const r of group) {
    households += r.households;
    customers += r.customers;
    known += r.known;
    members += r.members;
    if (r.latitude !== null && r.longitude !== null) {
      const weight = Math.max(r.households, 1);
      lat += r.latitude * weight;
      lon += r.longitude * weight;
      w += weight;
    }
  }
  return {
    level,
    key,
    country: (group[0] as AreaRow).country,
    label: labelAt(group, level, prefixLength),
    areas: group.length,
    households,
    customers,
    known,
    members,
    latitude: w ? lat / w : null,
    longitude: w ? lon / w : null,
  };
}

export interface PenetrationCell extends Cell {
  /** Counted customers (segment members when a segment is given) per household. */
  penetration: number | null;
  /** 100 × penetration ÷ the overall penetration. */
  index: number | null;
}

/** Penetration per cell and its index against the overall penetration (all areas, shown or not). */
export function penetrationCore(
  cells: readonly Cell[],
  count: (c: Cell) => number,
  total: { count: number; households: number },
): PenetrationCell[] {
  const overall = total.households > 0 ? total.count / total.households : null;
  return cells.map((c) => {
    const penetration = c.households > 0 ? count(c) / c.households : null;
    return {
      ...c,
      penetration,
      index: penetration !== null && overall ? (100 * penetration) / overall : null,
    };
  });
}

export interface PotentialCell extends Cell {
  /** Smoothed share of the seed among the people known in the cell: the rate at which twins occur there. */
  twinRate: number;
  /** households × twinRate × value: what the cell's twins would be worth. */
  potential: number;
  /** Twins not yet won: max(0, households × twinRate − members) × value. */
  untapped: number;
}

/**
 * Twin rate, potential and untapped value per cell, best potential first (ties: key).
 * twinRate = (members + smoothing × overallRate) ÷ (known + smoothing), the empirical-Bayes estimate that pulls
 * a cell with few known people toward the overall rate.
 */
export function potentialCore(
  cells: readonly Cell[],
  overallRate: number,
  value: number,
  smoothing: number,
): PotentialCell[] {
  return cells
    .map((c) => {
      const twinRate =
        c.known + smoothing > 0 ? (c.members + smoothing * overallRate) / (c.known + smoothing) : overallRate;
      const twins = c.households * twinRate;
      return {
        ...c,
        twinRate,
        potential: twins * value,
        untapped: Math.max(0, twins - c.members) * value,
      };
    })
    .sort((a, b) => b.potential - a.potential || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The national reference of a measure for a group of people spread over countries: the household-weighted mean
 * of each country's areas, weighted by the group's share in that country (so a segment living mostly in a
 * richer country is not called rich for it).
 */
export function nationalReference(
  nationalMeans: ReadonlyMap<string, number>,
  peoplePerCountry: ReadonlyMap<string, number>,
): number | null {
  let s = 0;
  let n = 0;
  for (const [country, people] of peoplePerCountry) {
    const m = nationalMeans.get(country);
    if (m === undefined || !Number.isFinite(m)) continue;
    s += m * people;
    n += people;
  }
  return n ? s / n : null;
}
