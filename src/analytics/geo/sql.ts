/**
 * SQL of the area analyses. People (the customer feature table: customers and prospects) are placed in the area
 * data by postcode at the granularity the area data comes in: both postcodes are normalised (upper case, no
 * spaces or dashes) and a person belongs to the area whose key is the longest prefix of their postcode in their
 * country, so a table of 4-digit Dutch areas (`1011`) takes customers with full postcodes (`1011 AB`), and a
 * table of German 2-digit zones (`10`) takes `10115`. Exact-length equality joins per key length keep it a hash
 * join on a computed candidate key per length.
 */

import { type Dialect, ident, join, raw, type SqlFragment, sql } from '../../store/index.js';
import { FEATURES_TABLE } from '../features/index.js';

/** Numeric area measures profiled against the national average (area_data columns). */
export const AREA_MEASURES = ['median_income', 'purchasing_power_index', 'urban_share', 'mean_age'] as const;
export type AreaMeasure = (typeof AREA_MEASURES)[number];

const norm = (x: SqlFragment) => sql`upper(replace(replace(${x}, ' ', ''), '-', ''))`;

/** The area data with a normalised key and its length. */
export function areasSql(): SqlFragment {
  return sql`SELECT country, ${norm(sql`postcode`)} AS area_key, length(${norm(sql`postcode`)}) AS key_length,
    area_name, region, coalesce(households, 0) AS households, latitude, longitude,
    ${join(AREA_MEASURES.map((m) => sql`${ident(m)}`))}
  FROM area_data WHERE postcode IS NOT NULL AND country IS NOT NULL`;
}

/**
 * One row per person of the feature table: country, postcode key, area key (longest matching prefix, NULL when
 * none), prospect flag, segment membership (`memberIds`: a query of customer ids, or none) and the value column.
 */
export function placedSql(
  d: Dialect,
  memberIds: SqlFragment | null,
  valueColumn: string | null,
): SqlFragment {
  const member = memberIds ? sql`p.customer_id IN (${memberIds})` : sql`false`;
  const value = d.toDouble(valueColumn ? sql`p.${ident(valueColumn)}` : sql`NULL`);
  return sql`WITH areas AS (${areasSql()}),
lengths AS (SELECT DISTINCT country, key_length FROM areas),
people AS (SELECT p.customer_id, p.country, ${norm(sql`p.postcode`)} AS postcode_key,
    coalesce(p.is_prospect, false) AS is_prospect, ${member} AS member, ${value} AS value
  FROM ${ident(FEATURES_TABLE)} p),
candidates AS (SELECT pe.customer_id, pe.country, l.key_length,
    substr(pe.postcode_key, 1, l.key_length) AS candidate
  FROM people pe JOIN lengths l ON l.country = pe.country
  WHERE length(pe.postcode_key) >= l.key_length),
matches AS (SELECT c.customer_id, a.area_key,
    row_number() OVER (PARTITION BY c.customer_id ORDER BY a.key_length DESC) AS rn
  FROM candidates c
  JOIN areas a ON a.country = c.country AND a.area_key = c.candidate AND a.key_length = c.key_length)
SELECT pe.customer_id, pe.country, m.area_key, pe.is_prospect, pe.member, pe.value
FROM people pe LEFT JOIN matches m ON m.customer_id = pe.customer_id AND m.rn = 1`;
}

/** Per area: the area's data and the people placed there (customers, everybody, segment members, their value). */
export function areaCountsSql(
  d: Dialect,
  memberIds: SqlFragment | null,
  valueColumn: string | null,
): SqlFragment {
  return sql`WITH areas AS (${areasSql()}),
placed AS (${placedSql(d, memberIds, valueColumn)}),
counts AS (SELECT country, area_key,
    ${d.countIf(sql`NOT is_prospect`)} AS customers,
    count(*) AS known,
    ${d.countIf(sql`member`)} AS members,
    ${d.sumIf(sql`value`, sql`member`)} AS member_value
  FROM placed WHERE area_key IS NOT NULL GROUP BY country, area_key)
SELECT a.country, a.area_key, a.area_name, a.region, a.households, a.latitude, a.longitude,
  coalesce(c.customers, 0) AS customers, coalesce(c.known, 0) AS known, coalesce(c.members, 0) AS members,
  c.member_value
FROM areas a LEFT JOIN counts c ON c.country = a.country AND c.area_key = a.area_key
ORDER BY a.country, a.area_key`;
}

/** People who could not be placed (no postcode, no country, or no matching area), by kind. */
export function unplacedSql(d: Dialect, memberIds: SqlFragment | null): SqlFragment {
  return sql`WITH placed AS (${placedSql(d, memberIds, null)})
SELECT count(*) AS known, ${d.countIf(sql`NOT is_prospect`)} AS customers, ${d.countIf(sql`member`)} AS members
FROM placed WHERE area_key IS NULL`;
}

/** Household-weighted mean of every measure per country over all its areas (the national averages). */
export function nationalMeansSql(): SqlFragment {
  const means = AREA_MEASURES.map(
    (m) =>
      sql`sum(${ident(m)} * households) / nullif(sum(CASE WHEN ${ident(m)} IS NOT NULL THEN households END), 0) AS ${ident(m)}`,
  );
  return sql`WITH areas AS (${areasSql()})
SELECT country, ${join(means)} FROM areas GROUP BY country ORDER BY country`;
}

/**
 * Per country and group (`members` / `customers`): people placed, and per measure the sum and count of their
 * areas' values (means are taken after merging countries).
 */
export function profileSql(d: Dialect, memberIds: SqlFragment): SqlFragment {
  const cols = (who: string, cond: SqlFragment) =>
    AREA_MEASURES.map(
      (m) =>
        sql`${d.sumIf(sql`a.${ident(m)}`, cond)} AS ${raw(`${who}_${m}_sum`)}, ${d.countIf(sql`${cond} AND a.${ident(m)} IS NOT NULL`)} AS ${raw(`${who}_${m}_n`)}`,
    );
  return sql`WITH areas AS (${areasSql()}),
placed AS (${placedSql(d, memberIds, null)})
SELECT p.country, ${d.countIf(sql`p.member`)} AS members, ${d.countIf(sql`NOT p.is_prospect`)} AS customers,
  ${join([...cols('m', sql`p.member`), ...cols('c', sql`NOT p.is_prospect`)])}
FROM placed p JOIN areas a ON a.country = p.country AND a.area_key = p.area_key
GROUP BY p.country ORDER BY p.country`;
}
