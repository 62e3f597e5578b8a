import { createHash } from 'node:crypto';
import type { Engine } from './engine.js';
import { sql } from './sql/sql.js';

/**
 * The audit log: append-only and tamper-evident. Each entry carries `seq` (1, 2, 3 …), the hash of the entry
 * before it and its own hash, `sha256(prev_hash | seq | logged_at | who | action | target | details)`.
 * Changing, deleting or reordering any entry breaks the chain from that entry on, which `verifyAudit`
 * (`clientele audit verify`) reports. Truncating the tail is caught by comparing the head (`seq`, `hash`)
 * with a copy kept elsewhere (docs/security.md).
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
  /** The last entry's seq and hash: keep a copy elsewhere to detect a truncated tail. */
  head: { seq: number; hash: string } | null;
  /** The first entry whose hash or link does not match (null when ok). */
  firstBad: { seq: number; reason: string } | null;
}

const AUDIT_DDL = `CREATE TABLE IF NOT EXISTS audit_log (
  logged_at TIMESTAMP NOT NULL, token_id VARCHAR, token_name VARCHAR, role VARCHAR, action VARCHAR NOT NULL,
  target VARCHAR, details JSON, seq BIGINT, prev_hash VARCHAR, hash VARCHAR)`;

/** Creates the audit log, or adds the chain columns to an older one and chains its existing rows. */
export async function ensureAuditLog(engine: Engine): Promise<void> {
  await engine.exec(AUDIT_DDL);
  const cols = await engine.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log'`,
  );
  if (cols.some((c) => c.column_name === 'hash')) return;
  await engine.transaction(async (tx) => {
    await tx.exec('ALTER TABLE audit_log ADD COLUMN seq BIGINT');
    await tx.exec('ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR');
    await tx.exec('ALTER TABLE audit_log ADD COLUMN hash VARCHAR');
    const old = await tx.query<{ rid: number } & Record<string, unknown>>(
      `SELECT rowid AS rid, strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%g') AS logged_at, token_id, token_name, role,
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
  return createHash('sha256').update(`${prev}|${payload}`).digest('hex');
}

/** Appends are serialised per engine so two requests never take the same seq. */
const tails = new WeakMap<Engine, Promise<unknown>>();

/** Appends one entry to the chain. */
export async function appendAudit(
  engine: Engine,
  actor: AuditActor,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  const run = async () => {
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
    const hash = entryHash(prev, seq, fields);
    await engine.exec(
      sql`INSERT INTO audit_log (logged_at, token_id, token_name, role, action, target, details, seq, prev_hash, hash)
          VALUES (${fields.logged_at}::TIMESTAMP, ${fields.token_id}, ${fields.token_name}, ${fields.role}, ${action},
                  ${target}, ${fields.details}, ${seq}, ${prev}, ${hash})`,
    );
  };
  const next = (tails.get(engine) ?? Promise.resolve()).then(run, run);
  tails.set(
    engine,
    next.catch(() => undefined),
  );
  await next;
}

/** Walks the chain from the first entry and reports the first break. */
export async function verifyAudit(engine: Engine): Promise<AuditVerifyResult> {
  const rows = await engine.query<
    HashedFields & { seq: number | null; prev_hash: string | null; hash: string | null }
  >(
    `SELECT seq, strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%g') AS logged_at, token_id, token_name, role, action, target,
            CAST(details AS VARCHAR) AS details, prev_hash, hash
     FROM audit_log ORDER BY seq NULLS FIRST, rowid`,
  );
  let prev = '';
  for (const [i, r] of rows.entries()) {
    const seq = i + 1;
    const bad = (reason: string) => ({
      ok: false,
      entries: rows.length,
      head: null,
      firstBad: { seq: r.seq ?? seq, reason },
    });
    if (r.seq !== seq)
      return bad(`expected entry number ${seq}, found ${r.seq ?? 'none'} (an entry was removed or inserted)`);
    if (r.prev_hash !== prev)
      return bad('its link to the entry before does not match (an entry before it was changed or removed)');
    const h = entryHash(prev, seq, r);
    if (r.hash !== h) return bad('its content does not match its hash (the entry was changed)');
    prev = h;
  }
  const last = rows.at(-1);
  return {
    ok: true,
    entries: rows.length,
    head: last ? { seq: rows.length, hash: last.hash ?? '' } : null,
    firstBad: null,
  };
}
