import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../errors.js';
import { type AuditActor, ensureAuditLog, redactAudit, withAuditLock } from './audit.js';
import type { Engine } from './engine.js';
import { ident, sql } from './sql/sql.js';
import { ensureSystemTables, isSystemTable } from './system-tables.js';

/**
 * Erasure (right to be forgotten, issue 19): a person's personal data leaves every table; what they bought
 * stays in the figures under a pseudonym that cannot be turned back into them. The audit log records the
 * erasure by a salted hash only, and the suppression list (hashes of the id, e-mail and phone) stops a later
 * import of an old export from bringing the person back.
 */

/** Tables whose rows are business facts: kept, with the customer id replaced by a pseudonym. */
const PSEUDONYMISED = ['orders', 'campaign_events', 'service_contacts'] as const;

export interface EraseResult {
  /** The salted hash the audit log and suppression list know the person by. */
  subject: string;
  /** Per table: rows deleted or pseudonymised. */
  tables: { table: string; rows: number; action: 'deleted' | 'pseudonymised' | 'redacted' }[];
}

/** The datamart's erasure salt (random, created once, kept in `meta`). */
async function erasureSalt(engine: Engine): Promise<string> {
  const [row] = await engine.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'erasure_salt'`);
  if (row) return row.value;
  const salt = randomBytes(16).toString('hex');
  await engine.exec(
    engine.dialect.insertIfAbsentSql('meta', 'key', ['key', 'value'], [sql`${'erasure_salt'}`, sql`${salt}`]),
  );
  const [again] = await engine.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'erasure_salt'`);
  return again?.value ?? salt;
}

/** Tables (not views) with a `customer_id` column, system tables excluded. */
async function customerTables(engine: Engine): Promise<string[]> {
  const rows = await engine.query<{ t: string }>(
    sql`SELECT c.table_name AS t FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
     WHERE c.column_name = 'customer_id' AND c.table_schema = ${engine.dialect.currentSchema()}
       AND t.table_type = 'BASE TABLE'
     ORDER BY 1`,
  );
  return rows.map((r) => r.t).filter((t) => !isSystemTable(t));
}

/** Removes one person from every table; see the file comment. */
export async function eraseCustomer(
  engine: Engine,
  customerId: string,
  actor: AuditActor,
): Promise<EraseResult> {
  await ensureSystemTables(engine);
  await ensureAuditLog(engine);
  const [person] = await engine.query<{ email: string | null; phone: string | null; name: string | null }>(
    sql`SELECT any_value(email_norm) AS email, any_value(phone_e164) AS phone,
               any_value(nullif(trim(concat_ws(' ', coalesce(first_name, ''), coalesce(last_name, ''))), '')) AS name FROM customers
        WHERE customer_id = ${customerId} HAVING count(*) > 0`,
  );
  if (!person) throw new NotFoundError(`No customer with id "${customerId}".`, { id: customerId });
  const salt = await erasureSalt(engine);
  const d = engine.dialect;
  const [h] = await engine.query<{ id: string; email: string | null; phone: string | null }>(
    sql`SELECT ${d.sha256Hex(sql`${salt} || ${customerId}`)} AS id, ${d.sha256Hex(sql`${salt} || ${person.email}`)} AS email,
               ${d.sha256Hex(sql`${salt} || ${person.phone}`)} AS phone`,
  );
  const subject = h!.id;
  const tables = await engine.transaction(async (tx) => {
    const out = await eraseIds(tx, sql`SELECT ${customerId} AS id`, salt);
    // Rejected rows keep raw text: drop any that quote the id, the e-mail or the phone.
    const needles = [customerId, person.email, person.phone].filter((v): v is string => !!v);
    let rejects = 0;
    for (const needle of needles) {
      const quoting = d.containsText(
        sql`lower(coalesce(raw_value, '') || ' ' || coalesce(${d.toText(sql`raw_row`)}, ''))`,
        sql`lower(${needle})`,
      );
      const [n] = await tx.query<{ n: number }>(sql`SELECT count(*) AS n FROM rejects WHERE ${quoting}`);
      rejects += Number(n?.n ?? 0);
      if (Number(n?.n ?? 0)) await tx.exec(sql`DELETE FROM rejects WHERE ${quoting}`);
    }
    if (rejects) out.push({ table: 'rejects', rows: rejects, action: 'deleted' });
    // sha256 of a missing e-mail or phone is NULL: only the hashes of values the person had are listed.
    for (const hash of [h!.id, h!.email, h!.phone]) {
      if (!hash) continue;
      await tx.exec(
        d.insertIfAbsentSql(
          'suppressions',
          'subject_hash',
          ['subject_hash', 'erased_at', 'reason'],
          [sql`${hash}`, d.currentTimestamp(), sql`${'erased'}`],
        ),
      );
    }
    return out;
  });
  // Earlier audit entries that name the person (a read of their record, a search for their name) are
  // redacted, and the erasure's own entry lists them: the chain still verifies (store/audit.ts).
  const redacted = await withAuditLock((append) =>
    engine.transaction(async (tx) => {
      const seqs = await redactAudit(
        tx,
        [customerId],
        [person.email, person.phone, person.name].filter((v): v is string => !!v),
        `erased:${subject.slice(0, 16)}`,
      );
      await append(tx, actor, 'customer.erase', subject, { tables, redacted: seqs });
      return seqs;
    }),
  );
  if (redacted.length) tables.push({ table: 'audit_log', rows: redacted.length, action: 'redacted' });
  return { subject, tables };
}

/** Deletes or pseudonymises every row of the customers whose ids the query `ids` (one column `id`) gives. */
async function eraseIds(
  tx: Engine,
  ids: ReturnType<typeof sql>,
  salt: string,
): Promise<EraseResult['tables']> {
  const out: EraseResult['tables'] = [];
  for (const table of await customerTables(tx)) {
    const match = sql`customer_id IN (SELECT id FROM (${ids}) ids)`;
    const [n] = await tx.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${ident(table)} WHERE ${match}`);
    const rows = Number(n?.n ?? 0);
    if (!rows) continue;
    if ((PSEUDONYMISED as readonly string[]).includes(table)) {
      const columns = (
        await tx.query<{ c: string }>(
          sql`SELECT column_name AS c FROM information_schema.columns
              WHERE table_name = ${table} AND table_schema = ${tx.dialect.currentSchema()} ORDER BY ordinal_position`,
        )
      ).map((r) => r.c);
      const pseudonym = sql`'erased-' || left(${tx.dialect.sha256Hex(sql`${salt} || customer_id`)}, 16)`;
      for (const statement of tx.dialect.rewriteColumnSql(table, columns, 'customer_id', pseudonym, match))
        await tx.exec(statement);
      out.push({ table, rows, action: 'pseudonymised' });
    } else {
      await tx.exec(sql`DELETE FROM ${ident(table)} WHERE ${match}`);
      out.push({ table, rows, action: 'deleted' });
    }
  }
  return out;
}

/**
 * Applies the suppression list after an import: a customer whose id, e-mail or phone hashes to an erased
 * person is removed again, and events under an erased id are pseudonymised.
 * @returns the rows removed or pseudonymised (empty when nothing matched or nobody was erased).
 */
export async function applySuppressions(engine: Engine): Promise<EraseResult['tables']> {
  await ensureSystemTables(engine);
  const [count] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM suppressions');
  if (!Number(count?.n ?? 0)) return [];
  const salt = await erasureSalt(engine);
  const hashed = (col: string) =>
    sql`sha256(${salt} || ${ident(col)}) IN (SELECT subject_hash FROM suppressions)`;
  const idsFrom = (table: string, extra = false) =>
    sql`SELECT customer_id AS id FROM ${ident(table)} WHERE ${hashed('customer_id')}${
      extra ? sql` OR ${hashed('email_norm')} OR ${hashed('phone_e164')}` : sql``
    }`;
  const tables = await customerTables(engine);
  const sources = tables.map((t) => idsFrom(t, t === 'customers'));
  const out: EraseResult['tables'] = [];
  let ids = sources[0];
  for (const s of sources.slice(1)) ids = sql`${ids} UNION ${s}`;
  const [found] = ids ? await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM (${ids}) x`) : [];
  if (ids && Number(found?.n ?? 0)) {
    const all = ids;
    out.push(
      ...(await engine.transaction(async (tx) => {
        // Materialise the ids first: the erasure changes the tables the query reads.
        await tx.exec(sql`CREATE OR REPLACE TEMP TABLE suppressed_ids AS ${all}`);
        try {
          return await eraseIds(tx, sql`SELECT id FROM suppressed_ids`, salt);
        } finally {
          await tx.exec('DROP TABLE IF EXISTS suppressed_ids');
        }
      })),
    );
  }
  const rejects = await dropSuppressedRejects(engine, salt);
  if (rejects) out.push({ table: 'rejects', rows: rejects, action: 'deleted' });
  return out;
}

/**
 * The erasure tombstone on rejects: a rejected or duplicate row of a re-imported old export quotes the person
 * in its raw text, so every value of a reject's raw row (and each field of an unreadable line) is hashed with
 * the salt, as given and lower-cased, and a reject naming an erased id, e-mail or phone is deleted.
 * @returns the rejects deleted
 */
async function dropSuppressedRejects(engine: Engine, salt: string): Promise<number> {
  const named = sql`EXISTS (
    SELECT 1 FROM (SELECT trim(unnest(list_concat(
        coalesce(json_extract_string(r.raw_row, '$.*'), []),
        string_split_regex(coalesce(r.raw_value, ''), '[,;\t|"]')))) AS v) x
    WHERE sha256(${salt} || x.v) IN (SELECT subject_hash FROM suppressions)
       OR sha256(${salt} || lower(x.v)) IN (SELECT subject_hash FROM suppressions))`;
  const [n] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM rejects r WHERE ${named}`);
  const rows = Number(n?.n ?? 0);
  if (rows) await engine.exec(sql`DELETE FROM rejects r WHERE ${named}`);
  return rows;
}
