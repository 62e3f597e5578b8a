import { type Engine, ident, identPart, join, type SqlFragment, sql } from '../../store/index.js';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface UpsertSpec {
  table: string;
  keys: readonly string[];
  /** Every column the batch provides (keys included); other columns keep their value or default. */
  columns: readonly string[];
  /** A SELECT whose output columns are named like `columns`, one row per key. */
  batch: SqlFragment;
  source: string;
  loadId: number;
  /** Rows the batch yields, when the caller knows it (saves a scan when the table is empty). */
  batchRows?: number;
}

/**
 * Idempotent upsert by natural key: new keys are inserted, existing keys whose provided columns differ
 * are updated (and stamped with this load), identical rows are left alone. Set-based: one count query,
 * one UPDATE … FROM and one anti-join INSERT (just the INSERT when the table is empty).
 */
export async function upsert(tx: Engine, u: UpsertSpec): Promise<UpsertCounts> {
  const t = ident(u.table);
  const cols = u.columns.map((c) => identPart(c));
  const insertCols = join([...cols.map((c) => sql`${c}`), sql`source`, sql`load_id`]);
  const insertValues = join([...cols.map((c) => sql`b.${c}`), sql`${u.source}`, sql`${u.loadId}`]);
  const [probe] = await tx.query(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${t} LIMIT 1)`);
  if (Number(probe?.n ?? 0) === 0) {
    const rows =
      u.batchRows ?? Number((await tx.query(sql`SELECT count(*) AS n FROM (${u.batch})`))[0]?.n ?? 0);
    await tx.exec(sql`INSERT INTO ${t} (${insertCols}) SELECT ${insertValues} FROM (${u.batch}) b`);
    return { inserted: rows, updated: 0, unchanged: 0 };
  }
  // Three statements read the batch below: materialise it once (it may be a join or a window).
  await tx.exec(sql`CREATE OR REPLACE TEMP TABLE _upsert_batch AS ${u.batch}`);
  try {
    return await upsertFrom(tx, u, sql`SELECT * FROM _upsert_batch`);
  } finally {
    await tx.exec('DROP TABLE IF EXISTS _upsert_batch');
  }
}

async function upsertFrom(tx: Engine, u: UpsertSpec, batch: SqlFragment): Promise<UpsertCounts> {
  const t = ident(u.table);
  const cols = u.columns.map((c) => identPart(c));
  const insertCols = join([...cols.map((c) => sql`${c}`), sql`source`, sql`load_id`]);
  const insertValues = join([...cols.map((c) => sql`b.${c}`), sql`${u.source}`, sql`${u.loadId}`]);
  const on = join(
    u.keys.map((k) => sql`t.${identPart(k)} = b.${identPart(k)}`),
    ' AND ',
  );
  const nonKey = u.columns.filter((c) => !u.keys.includes(c));
  const differs = nonKey.length
    ? sql`(${join(
        nonKey.map((c) => sql`t.${identPart(c)} IS DISTINCT FROM b.${identPart(c)}`),
        ' OR ',
      )})`
    : sql`false`;
  const firstKey = identPart(u.keys[0] ?? 'rowid');
  const [counts] = await tx.query(sql`
    SELECT count(*) FILTER (WHERE t.${firstKey} IS NULL) AS inserted,
           count(*) FILTER (WHERE t.${firstKey} IS NOT NULL AND ${differs}) AS updated,
           count(*) FILTER (WHERE t.${firstKey} IS NOT NULL AND NOT ${differs}) AS unchanged
    FROM (${batch}) b LEFT JOIN ${t} t ON ${on}`);
  const result = {
    inserted: Number(counts?.inserted ?? 0),
    updated: Number(counts?.updated ?? 0),
    unchanged: Number(counts?.unchanged ?? 0),
  };
  if (result.updated > 0) {
    const set = join([
      ...nonKey.map((c) => sql`${identPart(c)} = b.${identPart(c)}`),
      sql`source = ${u.source}`,
      sql`load_id = ${u.loadId}`,
    ]);
    await tx.exec(sql`UPDATE ${t} AS t SET ${set} FROM (${batch}) b WHERE ${on} AND ${differs}`);
  }
  if (result.inserted > 0) {
    await tx.exec(sql`INSERT INTO ${t} (${insertCols})
      SELECT ${insertValues} FROM (${batch}) b
      WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ${on})`);
  }
  return result;
}
