import { type Engine, empty, identPart, join, raw, type SqlFragment, sql } from '../../store/index.js';
import type { UpsertCounts } from './upsert.js';

/**
 * Identity resolution and merge for customers, set-based in SQL.
 *
 * Each valid row carries a source id (`f_customer_id`, an id of the system named by `idSource`).
 * It resolves to a canonical customer, in this order:
 *   1. a known identity (id_source, source_id) in customer_identities      → matched_by 'id'
 *   2. an existing customer with the same normalised e-mail                → 'email'
 *   3. an existing customer with the same E.164 phone                      → 'phone'
 *   4. an earlier row of the same load with the same e-mail (else phone)   → 'email' / 'phone'
 *   5. otherwise a new customer: customer_id = the source id, or `idSource:source id` when that id is
 *      already used by a customer of another source                       → 'new'
 * Rows that resolve to the same customer are combined (per field, the newest non-empty value by
 * updated_at, then by line). The combined row is merged into the existing customer field by field:
 * empty values never erase; a differing value from the source that supplied the stored value (the
 * field's supplier: customer_field_sources, else the customer row's source) is an update; a differing
 * value from another source is a conflict, settled by the rule (`newest`: the row with the later updated_at,
 * or the later load when either is unknown; `source-priority`: the source listed first) and recorded in
 * identity_merges (kind 'conflict', kept and other value). Every new identity goes to
 * customer_identities; every identity merged into an existing or same-load customer is recorded in
 * identity_merges (kind 'merge').
 */

export type ConflictRule = 'newest' | 'source-priority';

export interface CustomerMergeSpec {
  conv: string;
  /** Customer columns provided by this load (besides customer_id), e.g. first_name, email, email_norm. */
  columns: readonly string[];
  source: string;
  idSource: string;
  loadId: number;
  rule: ConflictRule;
  sourcePriority: readonly string[];
}

export interface CustomerMergeResult extends UpsertCounts {
  merges: number;
  conflicts: number;
}

const col = (prefix: string, c: string) => raw(`"${prefix}${c}"`);

export async function mergeCustomers(tx: Engine, m: CustomerMergeSpec): Promise<CustomerMergeResult> {
  const hasEmail = m.columns.includes('email_norm');
  const hasPhone = m.columns.includes('phone_e164');
  const hasUpdated = m.columns.includes('updated_at');
  await tx.exec(resolveSql(m, hasEmail, hasPhone));
  await tx.exec(combineSql(m, hasUpdated));
  await tx.exec(mergeSql(m, hasUpdated));
  const conflicts = await recordConflicts(tx, m);
  const [merged] = await tx.query(sql`
    SELECT count(*) AS n FROM _cust_res WHERE cid_id IS NULL AND matched_by <> 'new'`);
  await tx.exec(sql`
    INSERT INTO identity_merges (load_id, customer_id, id_source, source_id, matched_by, kind)
    SELECT ${m.loadId}, cid, ${m.idSource}, f_customer_id, matched_by, 'merge'
    FROM _cust_res WHERE cid_id IS NULL AND matched_by <> 'new'`);
  await tx.exec(sql`
    INSERT INTO customer_identities (customer_id, id_source, source_id, email_norm, phone_e164, matched_by, load_id)
    SELECT cid, ${m.idSource}, f_customer_id, ${hasEmail ? raw('f_email_norm') : raw('NULL')},
           ${hasPhone ? raw('f_phone_e164') : raw('NULL')}, matched_by, ${m.loadId}
    FROM _cust_res WHERE cid_id IS NULL`);
  const [counts] = await tx.query(sql`
    SELECT count(*) FILTER (WHERE action = 'insert') AS inserted,
           count(*) FILTER (WHERE action = 'update') + coalesce(sum(n_rows - 1) FILTER (WHERE action <> 'same'), 0) AS updated,
           count(*) FILTER (WHERE action = 'same') + coalesce(sum(n_rows - 1) FILTER (WHERE action = 'same'), 0) AS unchanged
    FROM _cust_merge`);
  const cols = m.columns.map((c) => identPart(c));
  await tx.exec(sql`
    UPDATE customers AS t SET ${join([...m.columns.map((c) => sql`${identPart(c)} = b.${col('m_', c)}`), sql`load_id = ${m.loadId}`])}
    FROM _cust_merge b WHERE t.customer_id = b.cid AND b.action = 'update'`);
  await recordFieldSources(tx, m);
  await tx.exec(sql`
    INSERT INTO customers (customer_id, ${join([...cols.map((c) => sql`${c}`), sql`source`, sql`load_id`])})
    SELECT cid, ${join([...m.columns.map((c) => sql`${col('m_', c)}`), sql`${m.source}`, sql`${m.loadId}`])}
    FROM _cust_merge WHERE action = 'insert'`);
  for (const t of ['_cust_res', '_cust_in', '_cust_merge']) await tx.exec(`DROP TABLE IF EXISTS ${t}`);
  return {
    inserted: Number(counts?.inserted ?? 0),
    updated: Number(counts?.updated ?? 0),
    unchanged: Number(counts?.unchanged ?? 0),
    merges: Number(merged?.n ?? 0),
    conflicts,
  };
}

function resolveSql(m: CustomerMergeSpec, hasEmail: boolean, hasPhone: boolean): SqlFragment {
  const em = hasEmail
    ? sql`LEFT JOIN (SELECT email_norm, min(customer_id) AS cid FROM customers WHERE email_norm IS NOT NULL GROUP BY ALL) em
            ON em.email_norm = b.f_email_norm`
    : empty;
  const ph = hasPhone
    ? sql`LEFT JOIN (SELECT phone_e164, min(customer_id) AS cid FROM customers WHERE phone_e164 IS NOT NULL GROUP BY ALL) ph
            ON ph.phone_e164 = b.f_phone_e164`
    : empty;
  const emailLeader = hasEmail
    ? sql`CASE WHEN unmatched AND f_email_norm IS NOT NULL THEN min(_line) OVER (PARTITION BY unmatched, f_email_norm) END`
    : sql`CAST(NULL AS BIGINT)`;
  const phoneLeader = hasPhone
    ? sql`CASE WHEN unmatched AND f_phone_e164 IS NOT NULL THEN min(_line) OVER (PARTITION BY unmatched, f_phone_e164) END`
    : sql`CAST(NULL AS BIGINT)`;
  return sql`CREATE TEMP TABLE _cust_res AS
    WITH r AS (
      SELECT b.*, ids.cid AS cid_id, ${hasEmail ? raw('em.cid') : raw('NULL')} AS cid_email,
             ${hasPhone ? raw('ph.cid') : raw('NULL')} AS cid_phone, cx.customer_id IS NOT NULL AS id_taken
      FROM (SELECT * FROM ${raw(m.conv)} WHERE _reason IS NULL AND _rn = 1) b
      LEFT JOIN (SELECT source_id, min(customer_id) AS cid FROM customer_identities
                 WHERE id_source = ${m.idSource} GROUP BY ALL) ids ON ids.source_id = b.f_customer_id
      ${em} ${ph}
      LEFT JOIN customers cx ON cx.customer_id = b.f_customer_id
    ),
    u AS (
      SELECT *, (cid_id IS NULL AND cid_email IS NULL AND cid_phone IS NULL) AS unmatched FROM r
    ),
    l AS (
      SELECT *, ${emailLeader} AS lead_email, ${phoneLeader} AS lead_phone,
             CASE WHEN id_taken THEN ${m.idSource} || ':' || f_customer_id ELSE f_customer_id END AS new_id
      FROM u
    )
    SELECT l.*,
      coalesce(l.cid_id, l.cid_email, l.cid_phone, leader.new_id) AS cid,
      CASE WHEN l.cid_id IS NOT NULL THEN 'id' WHEN l.cid_email IS NOT NULL THEN 'email'
           WHEN l.cid_phone IS NOT NULL THEN 'phone'
           WHEN coalesce(l.lead_email, l.lead_phone, l._line) = l._line THEN 'new'
           WHEN l.lead_email IS NOT NULL THEN 'email' ELSE 'phone' END AS matched_by
    FROM l LEFT JOIN l AS leader ON leader._line = coalesce(l.lead_email, l.lead_phone, l._line)`;
}

function orderKey(hasUpdated: boolean): SqlFragment {
  return hasUpdated ? sql`(coalesce(f_updated_at, TIMESTAMP '1900-01-01'), _line)` : sql`_line`;
}

/** Distinct values of a field among rows of one customer (> 1 = a conflict within the load). */
function distinctCount(c: string): SqlFragment {
  if (c === 'created_at' || c === 'updated_at') return sql`0`;
  if (c === 'email_norm' || c === 'phone') return sql`0`;
  if (c === 'email') return sql`count(DISTINCT lower(${col('f_', c)}))`;
  return sql`count(DISTINCT ${col('f_', c)})`;
}

/** One incoming row per canonical customer: the newest non-empty value of each field. */
function combineSql(m: CustomerMergeSpec, hasUpdated: boolean): SqlFragment {
  const ord = orderKey(hasUpdated);
  const fields = m.columns.map(
    (c) => sql`arg_max(${col('f_', c)}, ${ord}) FILTER (WHERE ${col('f_', c)} IS NOT NULL) AS ${col('i_', c)},
               arg_min(${col('f_', c)}, ${ord}) FILTER (WHERE ${col('f_', c)} IS NOT NULL) AS ${col('o_', c)},
               ${distinctCount(c)} AS ${col('d_', c)}`,
  );
  return sql`CREATE TEMP TABLE _cust_in AS
    SELECT cid, count(*) AS n_rows, arg_max(f_customer_id, ${ord}) AS src_id, arg_max(matched_by, ${ord}) AS matched_by
           ${fields.length ? sql`, ${join(fields)}` : empty}
    FROM _cust_res GROUP BY cid`;
}

function mergeSql(m: CustomerMergeSpec, hasUpdated: boolean): SqlFragment {
  const rank = (s: SqlFragment) =>
    m.sourcePriority.length
      ? sql`CASE ${s} ${join(
          m.sourcePriority.map((p, i) => sql`WHEN ${p} THEN ${i}`),
          ' ',
        )} ELSE ${m.sourcePriority.length} END`
      : sql`0`;
  const incomingWins = (supplier: SqlFragment) =>
    m.rule === 'source-priority'
      ? sql`(${rank(sql`${m.source}`)} <= ${rank(supplier)})`
      : hasUpdated
        ? sql`(i.i_updated_at IS NULL OR e.updated_at IS NULL OR i.i_updated_at >= e.updated_at)`
        : sql`true`;
  const perField = m.columns.map((c) => {
    const i = sql`i.${col('i_', c)}`;
    const e = sql`e.${identPart(c)}`;
    // Who supplied the stored value: a source may always update its own value.
    const supplier = sql`coalesce(fs.${col('s_', c)}, e.source)`;
    // Timestamps of the record itself merge without conflict: first creation, latest update.
    if (c === 'created_at' || c === 'updated_at') {
      const pick = c === 'created_at' ? raw('least') : raw('greatest');
      return sql`CASE WHEN e.customer_id IS NULL THEN ${i} ELSE ${pick}(${i}, ${e}) END AS ${col('m_', c)},
        ${e} AS ${col('e_', c)}, false AS ${col('k_', c)}`;
    }
    const merged = sql`CASE WHEN e.customer_id IS NULL OR ${e} IS NULL THEN ${i} WHEN ${i} IS NULL THEN ${e}
      WHEN ${supplier} IS NOT DISTINCT FROM ${m.source} OR ${incomingWins(supplier)} THEN ${i} ELSE ${e} END`;
    // E-mail addresses that differ only in letter case are the same address (email_norm is judged with
    // email); phone numbers are compared in E.164 (phone_e164), not as written.
    const same =
      c === 'email'
        ? sql`lower(${i}) = lower(${e})`
        : c === 'email_norm' || c === 'phone'
          ? sql`true`
          : sql`${i} = ${e}`;
    return sql`${merged} AS ${col('m_', c)}, ${e} AS ${col('e_', c)},
      (e.customer_id IS NOT NULL AND ${i} IS NOT NULL AND ${e} IS NOT NULL AND NOT (${same})
        AND ${supplier} IS DISTINCT FROM ${m.source}) AS ${col('k_', c)}`;
  });
  // A file with only the id (no other column) changes nothing of a known customer.
  const changed = m.columns.length
    ? join(
        m.columns.map((c) => sql`${col('m_', c)} IS DISTINCT FROM ${col('e_', c)}`),
        ' OR ',
      )
    : sql`false`;
  return sql`CREATE TEMP TABLE _cust_merge AS
    SELECT *, CASE WHEN NOT existing THEN 'insert' WHEN ${changed} THEN 'update' ELSE 'same' END AS action
    FROM (
      SELECT i.*, e.customer_id IS NOT NULL AS existing, e.source AS row_source${perField.length ? sql`, ${join(perField)}` : empty}
      FROM _cust_in i
      LEFT JOIN customers e ON e.customer_id = i.cid
      ${fieldSourcesJoin(m.columns)}
    )`;
}

/** The stored suppliers of the load's fields per customer (`fs.s_<field>`; NULL: the row's source). */
function fieldSourcesJoin(columns: readonly string[]): SqlFragment {
  if (columns.length === 0) return sql`LEFT JOIN (SELECT NULL AS customer_id) fs ON false`;
  const picks = columns.map((c) => sql`max(source) FILTER (WHERE field = ${c}) AS ${col('s_', c)}`);
  return sql`LEFT JOIN (SELECT customer_id, ${join(picks)} FROM customer_field_sources
      WHERE customer_id IN (SELECT cid FROM _cust_in) GROUP BY customer_id) fs ON fs.customer_id = i.cid`;
}

/**
 * Records who supplied each value this load wrote into an existing customer: a value that changed and
 * came from this load is now this source's; kept only where that differs from the row's own source.
 */
async function recordFieldSources(tx: Engine, m: CustomerMergeSpec): Promise<void> {
  const tracked = m.columns.filter((c) => c !== 'created_at' && c !== 'updated_at');
  if (tracked.length === 0) return;
  const written = join(
    tracked.map(
      (c) => sql`SELECT cid, ${c} AS field, row_source FROM _cust_merge
        WHERE action = 'update' AND ${col('m_', c)} IS DISTINCT FROM ${col('e_', c)}
          AND ${col('m_', c)} IS NOT DISTINCT FROM ${col('i_', c)}`,
    ),
    ' UNION ALL ',
  );
  await tx.exec(sql`CREATE OR REPLACE TEMP TABLE _cust_fs AS ${written}`);
  await tx.exec(sql`DELETE FROM customer_field_sources f
    WHERE EXISTS (SELECT 1 FROM _cust_fs w WHERE w.cid = f.customer_id AND w.field = f.field)`);
  await tx.exec(sql`INSERT INTO customer_field_sources (customer_id, field, source, load_id)
    SELECT cid, field, ${m.source}, ${m.loadId} FROM _cust_fs WHERE row_source IS DISTINCT FROM ${m.source}`);
  await tx.exec('DROP TABLE _cust_fs');
}

async function recordConflicts(tx: Engine, m: CustomerMergeSpec): Promise<number> {
  let total = 0;
  for (const c of m.columns) {
    const kept = sql`CAST(${col('m_', c)} AS VARCHAR)`;
    const other = sql`CAST(CASE WHEN ${col('m_', c)} IS NOT DISTINCT FROM ${col('i_', c)} THEN ${col('e_', c)} ELSE ${col('i_', c)} END AS VARCHAR)`;
    const [n] = await tx.query(sql`SELECT count(*) AS n FROM _cust_merge WHERE ${col('k_', c)}`);
    const [d] = await tx.query(sql`SELECT count(*) AS n FROM _cust_in WHERE ${col('d_', c)} > 1`);
    const found = Number(n?.n ?? 0) + Number(d?.n ?? 0);
    if (found === 0) continue;
    total += found;
    await tx.exec(sql`
      INSERT INTO identity_merges (load_id, customer_id, id_source, source_id, matched_by, field, kept_value, other_value, rule, kind)
      SELECT ${m.loadId}, cid, ${m.idSource}, src_id, matched_by, ${c}, kept, other, rule, 'conflict' FROM (
        SELECT cid, src_id, matched_by, ${kept} AS kept, ${other} AS other, ${m.rule} AS rule
        FROM _cust_merge WHERE ${col('k_', c)}
        UNION ALL
        SELECT cid, src_id, matched_by, CAST(${col('i_', c)} AS VARCHAR), CAST(${col('o_', c)} AS VARCHAR), 'newest (same load)'
        FROM _cust_in WHERE ${col('d_', c)} > 1
      ) x
      WHERE NOT EXISTS (SELECT 1 FROM identity_merges y WHERE y.kind = 'conflict' AND y.customer_id = x.cid
        AND y.field = ${c} AND y.kept_value IS NOT DISTINCT FROM x.kept AND y.other_value IS NOT DISTINCT FROM x.other)`);
  }
  return total;
}
