import { createHash, randomBytes } from 'node:crypto';
import { type Engine, runDdl } from './engine.js';
import type { TableDef } from './sql/dialect.js';
import { raw, type SqlFragment, sql } from './sql/sql.js';

/**
 * The audit log: append-only and tamper-evident. Each entry carries `seq` (1, 2, 3 …), the hash of the entry
 * before it and its own hash. Changing, deleting or reordering any entry breaks the chain from that entry on,
 * which `verifyAudit` (`clientele audit verify`) reports. Truncating the tail is caught by comparing the head
 * (`seq`, `hash`) with a copy kept elsewhere (docs/security.md).
 *
 * Erasable by design (issue 19): what an entry says about a person (its `target` and `details`: a customer id,
 * a search for a name) is not hashed itself. The chain hashes a commitment, `commit = sha256(salt | target |
 * details)`, with a random salt per entry kept in `audit_salts`. Erasing a person rewrites the entries that name
 * them (target and details redacted) and deletes those entries' salts: the chain still verifies (its hashes
 * never covered the values), nothing is left to test a guess of the old values against (the salt is gone), and
 * the erasure's own entry lists the redacted entries, so a redaction that no erasure accounts for is reported.
 * Entries written before commitments (no `commit`) hash their values directly (`v1`) and are upgraded to
 * commitments once, when their chain still verifies.
 */

export interface AuditActor {
  id: string;
  name: string;
  role: string;
}

export interface AuditEntry {
  seq: number;
  loggedAt: string;
  tokenId: string | null;
  tokenName: string | null;
  role: string | null;
  action: string;
  target: string | null;
  details: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  /** Entries whose personal values an erasure removed (each listed by a later `customer.erase` entry). */
  redacted: number;
  /** The last entry's seq and hash: keep a copy elsewhere to detect a truncated tail. */
  head: { seq: number; hash: string } | null;
  /** The first entry whose hash or link does not match (null when ok). */
  firstBad: { seq: number; reason: string } | null;
}

/**
 * The audit log, rendered by the engine's dialect. `details` is JSON text (a `String` on ClickHouse, so the
 * text that was hashed is the text kept); on ClickHouse the rows are sorted by time, as they are appended.
 */
export const AUDIT_LOG_TABLE: TableDef = {
  name: 'audit_log',
  columns: [
    { name: 'logged_at', type: 'timestamp', notNull: true },
    { name: 'token_id', type: 'text' },
    { name: 'token_name', type: 'text' },
    { name: 'role', type: 'text' },
    { name: 'action', type: 'text', notNull: true },
    { name: 'target', type: 'text' },
    { name: 'details', type: 'json' },
    { name: 'seq', type: 'bigint' },
    { name: 'prev_hash', type: 'text' },
    { name: 'hash', type: 'text' },
    { name: 'commit', type: 'text' },
  ],
  sortKey: ['logged_at'],
};

/** One random salt per entry: deleting it makes the entry's redacted values unrecoverable. */
export const AUDIT_SALTS_TABLE: TableDef = {
  name: 'audit_salts',
  columns: [
    { name: 'seq', type: 'bigint', notNull: true },
    { name: 'salt', type: 'text', notNull: true },
  ],
  primaryKey: 'seq',
  sortKey: ['seq'],
};

/** An entry's time as the chain hashes it (ISO text to the millisecond). */
const loggedAt = (engine: Engine, column: string): SqlFragment =>
  engine.dialect.formatTimestampMillis(sql`${raw(column)}`);

/** Creates the audit log, or adds the chain columns to an older one and chains its existing rows. */
export async function ensureAuditLog(engine: Engine): Promise<void> {
  await runDdl(engine, engine.dialect.createTableStatements(AUDIT_LOG_TABLE));
  await runDdl(engine, engine.dialect.createTableStatements(AUDIT_SALTS_TABLE));
  const cols = await engine.query<{ column_name: string }>(
    sql`SELECT column_name FROM information_schema.columns
        WHERE table_name = 'audit_log' AND table_schema = ${engine.dialect.currentSchema()}`,
  );
  if (!cols.some((c) => c.column_name === 'commit'))
    await engine.exec('ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS commit VARCHAR');
  if (cols.some((c) => c.column_name === 'hash')) return upgradeToCommitments(engine);
  await engine.transaction(async (tx) => {
    await tx.exec('ALTER TABLE audit_log ADD COLUMN seq BIGINT');
    await tx.exec('ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR');
    await tx.exec('ALTER TABLE audit_log ADD COLUMN hash VARCHAR');
    // Only a table from before the chain (an old DuckDB file) gets here: rows are told apart by rowid.
    const old = await tx.query<{ rid: number } & Record<string, unknown>>(
      sql`SELECT rowid AS rid, ${loggedAt(tx, 'logged_at')} AS logged_at, token_id, token_name, role,
              action, target, CAST(details AS VARCHAR) AS details FROM audit_log ORDER BY logged_at, rowid`,
    );
    let prev = '';
    for (const [i, r] of old.entries()) {
      const h = entryHash(prev, i + 1, r as never);
      await tx.exec(
        sql`UPDATE audit_log SET seq = ${i + 1}, prev_hash = ${prev}, hash = ${h} WHERE rowid = ${r.rid}`,
      );
      prev = h;
    }
  });
  await upgradeToCommitments(engine);
}

type HashedFields = {
  logged_at: string;
  token_id: string | null;
  token_name: string | null;
  role: string | null;
  action: string;
  target: string | null;
  details: string | null;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** v1 (before commitments): the values themselves are hashed. */
function entryHash(prev: string, seq: number, f: HashedFields): string {
  const payload = JSON.stringify([
    seq,
    f.logged_at,
    f.token_id,
    f.token_name,
    f.role,
    f.action,
    f.target,
    f.details,
  ]);
  return sha256(`${prev}|${payload}`);
}

/** The commitment to an entry's target and details under its salt. */
function commitment(salt: string, target: string | null, details: string | null): string {
  return sha256(`${salt}|${JSON.stringify([target, details])}`);
}

/** v2: who, when and what action are hashed; target and details only through their commitment. */
function entryHashV2(prev: string, seq: number, f: HashedFields, commit: string): string {
  const payload = JSON.stringify([seq, f.logged_at, f.token_id, f.token_name, f.role, f.action, commit]);
  return sha256(`${prev}|v2|${payload}`);
}

/**
 * Rewrites a chain of v1 entries (or a v1 head followed by v2 entries) as commitments, once, and only when it
 * verifies: a chain that was tampered with is left as it is, for `audit verify` to report.
 */
async function upgradeToCommitments(engine: Engine): Promise<void> {
  const [v1] = await engine.query<{ n: number }>(
    'SELECT count(*) AS n FROM audit_log WHERE commit IS NULL AND seq IS NOT NULL',
  );
  if (!Number(v1?.n ?? 0)) return;
  if (!(await verifyAudit(engine)).ok) return;
  await engine.transaction(async (tx) => {
    const rows = await tx.query<HashedFields & { seq: number; commit: string | null; salt: string | null }>(
      sql`SELECT a.seq AS seq, ${loggedAt(tx, 'a.logged_at')} AS logged_at, a.token_id AS token_id,
              a.token_name AS token_name, a.role AS role, a.action AS action, a.target AS target,
              ${tx.dialect.toText(sql`a.details`)} AS details, a.commit AS commit, s.salt AS salt
       FROM audit_log a LEFT JOIN audit_salts s ON s.seq = a.seq ORDER BY a.seq`,
    );
    let prev = '';
    for (const r of rows) {
      let commit = r.commit;
      if (commit === null) {
        const salt = randomBytes(16).toString('hex');
        commit = commitment(salt, r.target, r.details);
        await tx.exec(sql`DELETE FROM audit_salts WHERE seq = ${r.seq}`);
        await tx.exec(sql`INSERT INTO audit_salts (seq, salt) VALUES (${r.seq}, ${salt})`);
      }
      const h = entryHashV2(prev, r.seq, r, commit);
      await tx.exec(
        tx.dialect.updateSql(
          'audit_log',
          sql`commit = ${commit}, prev_hash = ${prev}, hash = ${h}`,
          sql`seq = ${r.seq}`,
        ),
      );
      prev = h;
    }
  });
}

/**
 * Appends are serialised across the whole process, not per connection: a server's requests and jobs each have
 * their own connection (session), and two of them reading the same last entry would fork the chain.
 */
let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` while no other audit append runs (in this process). `fn` gets the append function to use inside
 * it; calling `appendAudit` there instead would wait for itself.
 */
export async function withAuditLock<T>(fn: (append: typeof appendUnlocked) => Promise<T>): Promise<T> {
  const next = tail.then(
    () => fn(appendUnlocked),
    () => fn(appendUnlocked),
  );
  tail = next.catch(() => undefined);
  return next;
}

/** Appends one entry to the chain. */
export async function appendAudit(
  engine: Engine,
  actor: AuditActor,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await withAuditLock((append) => append(engine, actor, action, target, details));
}

async function appendUnlocked(
  engine: Engine,
  actor: AuditActor,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  const [last] = await engine.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
  );
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? '';
  const fields: HashedFields = {
    // Millisecond ISO text: what is hashed is exactly what a TIMESTAMP stores and gives back.
    logged_at: new Date().toISOString().slice(0, 23),
    token_id: actor.id,
    token_name: actor.name,
    role: actor.role,
    action,
    target,
    details: JSON.stringify(details),
  };
  const salt = randomBytes(16).toString('hex');
  const commit = commitment(salt, target, fields.details);
  const hash = entryHashV2(prev, seq, fields, commit);
  // A salt left by an append that failed before its entry was written gives way (plain SQL, no upsert).
  await engine.exec(sql`DELETE FROM audit_salts WHERE seq = ${seq}`);
  await engine.exec(sql`INSERT INTO audit_salts (seq, salt) VALUES (${seq}, ${salt})`);
  await engine.exec(
    sql`INSERT INTO audit_log (logged_at, token_id, token_name, role, action, target, details, seq, prev_hash, hash, commit)
        VALUES (${engine.dialect.timestampParam(fields.logged_at)}, ${fields.token_id}, ${fields.token_name}, ${fields.role}, ${action},
                ${target}, ${fields.details}, ${seq}, ${prev}, ${hash}, ${commit})`,
  );
}

/** Walks the chain from the first entry and reports the first break. */
export async function verifyAudit(engine: Engine): Promise<AuditVerifyResult> {
  const rows = await engine.query<
    HashedFields & {
      seq: number | null;
      prev_hash: string | null;
      hash: string | null;
      commit: string | null;
      salt: string | null;
    }
  >(
    sql`SELECT a.seq AS seq, ${loggedAt(engine, 'a.logged_at')} AS logged_at, a.token_id AS token_id,
            a.token_name AS token_name, a.role AS role, a.action AS action, a.target AS target,
            ${engine.dialect.toText(sql`a.details`)} AS details, a.prev_hash AS prev_hash, a.hash AS hash,
            a.commit AS commit, s.salt AS salt
     FROM audit_log a LEFT JOIN audit_salts s ON s.seq = a.seq
     ORDER BY a.seq NULLS FIRST, ${engine.dialect.writeOrder('a', sql`a.logged_at`)}`,
  );
  // Entries an erasure redacted, as its own (hashed) entry lists them.
  const accounted = new Set<number>();
  for (const r of rows) {
    if (r.action !== 'customer.erase' || !r.details) continue;
    try {
      for (const seq of (JSON.parse(r.details) as { redacted?: number[] }).redacted ?? []) accounted.add(seq);
    } catch {
      // A details text that is not JSON lists nothing.
    }
  }
  let prev = '';
  let redacted = 0;
  for (const [i, r] of rows.entries()) {
    const seq = i + 1;
    const bad = (reason: string) => ({
      ok: false,
      entries: rows.length,
      redacted,
      head: null,
      firstBad: { seq: r.seq ?? seq, reason },
    });
    if (r.seq !== seq)
      return bad(`expected entry number ${seq}, found ${r.seq ?? 'none'} (an entry was removed or inserted)`);
    if (r.prev_hash !== prev)
      return bad('its link to the entry before does not match (an entry before it was changed or removed)');
    if (r.commit === null) {
      if (r.hash !== entryHash(prev, seq, r))
        return bad('its content does not match its hash (the entry was changed)');
    } else {
      if (r.hash !== entryHashV2(prev, seq, r, r.commit))
        return bad('its content does not match its hash (the entry was changed)');
      if (r.salt !== null && commitment(r.salt, r.target, r.details) !== r.commit)
        return bad('its target or details do not match their commitment (the entry was changed)');
      if (r.salt === null) {
        if (!accounted.has(seq))
          return bad('its personal values were removed, but no erasure lists it (the entry was changed)');
        redacted++;
      }
    }
    prev = r.hash;
  }
  const last = rows.at(-1);
  return {
    ok: true,
    entries: rows.length,
    redacted,
    head: last ? { seq: rows.length, hash: last.hash ?? '' } : null,
    firstBad: null,
  };
}

/**
 * Removes a person from earlier audit entries (erasure): entries whose target is one of `ids`, or whose target
 * or details contain one of `needles` (an e-mail, a phone, a name; case-insensitive) get their target and
 * details replaced by `replacement` and lose their salt. The chain stays verifiable; the caller lists the
 * returned entry numbers in the erasure's own entry so `verifyAudit` accounts for them.
 * @returns the seq of every redacted entry
 */
export async function redactAudit(
  engine: Engine,
  ids: readonly string[],
  needles: readonly string[],
  replacement: string,
): Promise<number[]> {
  await ensureAuditLog(engine);
  const d = engine.dialect;
  const conditions = [
    ...ids.map(
      (id) =>
        sql`a.target = ${id} OR ${d.containsText(d.toText(sql`a.details`), sql`${JSON.stringify(id)}`)}`,
    ),
    ...needles
      .filter((n) => n.length >= 3)
      .map((n) =>
        d.containsText(
          sql`lower(coalesce(a.target, '') || ' ' || coalesce(${d.toText(sql`a.details`)}, ''))`,
          sql`${n.toLowerCase()}`,
        ),
      ),
  ];
  if (!conditions.length) return [];
  let where = conditions[0]!;
  for (const c of conditions.slice(1)) where = sql`${where} OR ${c}`;
  const rows = await engine.query<{ seq: number }>(
    sql`SELECT a.seq FROM audit_log a WHERE a.commit IS NOT NULL AND a.seq IS NOT NULL AND (${where}) ORDER BY a.seq`,
  );
  const seqs = rows.map((r) => Number(r.seq));
  if (!seqs.length) return [];
  const details = JSON.stringify({ redacted: true });
  await engine.transaction(async (tx) => {
    for (const seq of seqs) {
      await tx.exec(
        tx.dialect.updateSql(
          'audit_log',
          sql`target = ${replacement}, details = ${details}`,
          sql`seq = ${seq}`,
        ),
      );
      await tx.exec(sql`DELETE FROM audit_salts WHERE seq = ${seq}`);
    }
  });
  return seqs;
}
