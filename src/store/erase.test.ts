import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../ingest/index.js';
import { appendAudit, ensureAuditLog, verifyAudit } from './audit.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { eraseCustomer } from './erase.js';
import { migrate } from './schema.js';

/**
 * Erasure is complete (issue 19): the person leaves earlier audit entries too (the chain still verifies),
 * and a re-import of the same old export does not put their rows back into the rejects.
 */
let dir: string;
let file: string;
let engine: DuckDbEngine;
const admin = { id: 't1', name: 'alice', role: 'admin' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-erase-store-'));
  file = join(dir, 'customers.csv');
  // Jan's first line is a duplicate of his last (a 'duplicate' reject quoting him); line 4 is rejected.
  writeFileSync(
    file,
    [
      'customer_id,first_name,last_name,email,phone,birth_date',
      'C1,Jan,Jansen,jan@example.nl,+31612345678,1970-01-01',
      'C2,Eva,de Boer,eva@example.nl,+31687654321,1980-02-02',
      'C1,Jan,Jansen,Jan@Example.nl,+31612345678,1970-01-01',
      'C3,Piet,Bakker,piet@example.nl,,1999-02-30',
    ].join('\n'),
  );
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await importSource(engine, { path: file, target: 'customers' });
  await ensureAuditLog(engine);
  await appendAudit(engine, admin, 'customer.read', 'C1');
  await appendAudit(engine, admin, 'personal.read', '/api/customers', { query: { q: 'jan@example.nl' } });
  await appendAudit(engine, admin, 'customer.read', 'C2');
  await appendAudit(engine, admin, 'personal.read', '/api/customers/:id', { params: { id: 'C1' } });
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const auditText = async () =>
  JSON.stringify(
    await engine.query(`SELECT target, CAST(details AS VARCHAR) AS details FROM audit_log ORDER BY seq`),
  );
const rejectsText = async () =>
  JSON.stringify(
    await engine.query(
      `SELECT raw_value, CAST(raw_row AS VARCHAR) AS raw_row FROM rejects WHERE target = 'customers'`,
    ),
  );

describe('erasure is complete', () => {
  it('the fixture quotes Jan in the audit log and in the rejects before the erasure', async () => {
    expect(await auditText()).toMatch(/"C1"|jan@example/);
    expect(await rejectsText()).toMatch(/jan@example/i);
  });

  it('removes the person from earlier audit entries, and the chain still verifies', async () => {
    const r = await eraseCustomer(engine, 'C1', admin);
    expect(r.tables).toContainEqual({ table: 'audit_log', rows: 3, action: 'redacted' });
    const text = await auditText();
    expect(text).not.toMatch(/"C1"|jan@|Jansen|31612345678/i);
    // Eva's entry is untouched, and so is every entry's who, when and action.
    expect(text).toContain('"C2"');
    const verified = await verifyAudit(engine);
    expect(verified).toMatchObject({ ok: true, redacted: 3, firstBad: null });
    expect(await rejectsText()).not.toMatch(/jan@example/i);
  });

  it('a re-import of the same file adds no reject quoting the erased person', async () => {
    const again = await importSource(engine, { path: file, target: 'customers' });
    expect(again.dryRun).toBe(false);
    expect(await rejectsText()).not.toMatch(/jan@example|Jansen/i);
    // The other rejects of the file are still there (Piet's impossible birth date).
    expect(await rejectsText()).toMatch(/1999-02-30/);
    expect(await engine.query(`SELECT * FROM customers WHERE customer_id = 'C1'`)).toEqual([]);
    expect((await verifyAudit(engine)).ok).toBe(true);
  });

  it('a redaction no erasure accounts for is reported', async () => {
    const [eva] = await engine.query<{ seq: number }>(
      `SELECT seq FROM audit_log WHERE target = 'C2' ORDER BY seq LIMIT 1`,
    );
    await engine.exec(`UPDATE audit_log SET target = 'someone else' WHERE seq = ${eva!.seq}`);
    expect(await verifyAudit(engine)).toMatchObject({ ok: false, firstBad: { seq: eva!.seq } });
    await engine.exec(`DELETE FROM audit_salts WHERE seq = ${eva!.seq}`);
    const r = await verifyAudit(engine);
    expect(r).toMatchObject({ ok: false, firstBad: { seq: eva!.seq } });
    expect(r.firstBad?.reason).toMatch(/no erasure lists it/);
  });
});
