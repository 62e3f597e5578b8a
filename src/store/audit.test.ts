import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, ensureAuditLog, verifyAudit } from './audit.js';
import { DuckDbEngine } from './duckdb-engine.js';

let engine: DuckDbEngine;
const actor = { id: 't1', name: 'alice', role: 'admin' };
beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await ensureAuditLog(engine);
  for (const [i, action] of ['token.create', 'customer.read', 'segment.export', 'token.revoke'].entries())
    await appendAudit(engine, actor, action, `target-${i}`, { n: i });
});
afterEach(async () => engine.close());

describe('the audit log: a hash chain', () => {
  it('verifies an untouched chain and reports its head', async () => {
    const r = await verifyAudit(engine);
    expect(r).toMatchObject({ ok: true, entries: 4, firstBad: null });
    expect(r.head?.seq).toBe(4);
    expect(r.head?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('numbers concurrent appends without gaps or forks', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit(engine, actor, 'x', String(i))));
    expect(await verifyAudit(engine)).toMatchObject({ ok: true, entries: 14 });
  });

  it("numbers appends from several connections (a server's sessions) without forking the chain", async () => {
    const sessions = await Promise.all([engine.session(), engine.session(), engine.session()]);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => appendAudit(sessions[i % 3]!, actor, 'x', String(i))),
    );
    for (const s of sessions) await s.close();
    expect(await verifyAudit(engine)).toMatchObject({ ok: true, entries: 16 });
  });

  it('detects a changed entry', async () => {
    await engine.exec(`UPDATE audit_log SET token_name = 'mallory' WHERE seq = 2`);
    expect(await verifyAudit(engine)).toMatchObject({ ok: false, firstBad: { seq: 2 } });
  });

  it('detects a changed detail or time', async () => {
    await engine.exec(`UPDATE audit_log SET logged_at = logged_at - INTERVAL 1 DAY WHERE seq = 3`);
    expect((await verifyAudit(engine)).firstBad?.seq).toBe(3);
  });

  it('detects a removed entry', async () => {
    await engine.exec('DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyAudit(engine)).toMatchObject({ ok: false });
  });

  it('detects a forged entry with a made-up hash', async () => {
    await engine.exec(
      `INSERT INTO audit_log VALUES (current_timestamp, 'x', 'x', 'admin', 'token.create', 'x', '{}', 5, 'aa', 'bb', 'cc')`,
    );
    expect(await verifyAudit(engine)).toMatchObject({ ok: false, firstBad: { seq: 5 } });
  });

  it('chains the rows of an older audit log without hashes', async () => {
    const old = await DuckDbEngine.open(':memory:');
    await old.exec(`CREATE TABLE audit_log (logged_at TIMESTAMP NOT NULL, token_id VARCHAR, token_name VARCHAR,
      role VARCHAR, action VARCHAR NOT NULL, target VARCHAR, details JSON)`);
    await old.exec(`INSERT INTO audit_log VALUES (TIMESTAMP '2026-01-01 10:00:00.123', 'a', 'a', 'admin', 'x', 't', '{"a":1}'),
      (TIMESTAMP '2026-01-02 10:00:00', 'b', 'b', 'admin', 'y', NULL, '{}')`);
    await ensureAuditLog(old);
    await appendAudit(old, actor, 'z', 't');
    expect(await verifyAudit(old)).toMatchObject({ ok: true, entries: 3 });
    await old.close();
  });
});
