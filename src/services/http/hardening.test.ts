import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate, verifyAudit } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken, revokeSessionTokens } from './auth.js';

/** Attacks on the HTTP layer (issue 19): system tables, audit trail, headers, limits. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
let dir: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-harden-'));
  writeFileSync(join(dir, 'index.html'), '<html>dashboard</html>');
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`INSERT INTO customers (customer_id, first_name, email, source, load_id)
    VALUES ('c1', 'Anna', 'anna@example.nl', 't', 1), ('c2', 'Bruno', 'bruno@example.de', 't', 1)`);
  await engine.exec(
    `INSERT INTO rejects VALUES (1, 'f.csv', 'customers', 3, 'email', 'x@', 'bad e-mail', 'value', NULL)`,
  );
  ctx = await createApp(engine, { staticDir: dir, log: () => undefined });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });
const get = (path: string, role = 'viewer') => ctx.app.request(path, { headers: auth(role) });
const upload = (fields: Record<string, string>) => {
  const f = new FormData();
  f.set('file', new File(['logged_at,action\n2020-01-01,forged\n'], 'forged.csv', { type: 'text/csv' }));
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return ctx.app.request('/api/imports', { method: 'POST', headers: auth('admin'), body: f });
};

describe('protected system tables', () => {
  it.each(['audit_log', 'audit_salts', 'api_tokens', 'loads', 'rejects', 'settings', 'AUDIT_LOG'])(
    'an upload cannot replace %s (as)',
    async (name) => {
      const before = await engine.query('SELECT count(*) AS n FROM api_tokens');
      const res = await upload({ as: name });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /protected|datamart's own/,
      );
      expect(await engine.query('SELECT count(*) AS n FROM api_tokens')).toEqual(before);
      expect((await verifyAudit(engine)).ok).toBe(true);
    },
  );

  it.each(['audit_log', 'api_tokens', 'settings'])('an upload cannot target %s', async (name) => {
    expect((await upload({ target: name })).status).toBe(400);
  });
});

describe('the audit trail', () => {
  it('records every read of personal data: the customer list and the rejects', async () => {
    const count = async () =>
      (
        await engine.query<{ n: number }>(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'personal.read'`,
        )
      )[0]!.n;
    const before = await count();
    expect((await get('/api/customers?q=anna', 'analyst')).status).toBe(200);
    expect((await get('/api/rejects', 'analyst')).status).toBe(200);
    expect(await count()).toBe(before + 2);
    const [last] = await engine.query<{ target: string; details: string }>(
      `SELECT target, CAST(details AS VARCHAR) AS details FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    expect(last?.target).toBe('/api/rejects');
    const list = await engine.query<{ details: string }>(
      `SELECT CAST(details AS VARCHAR) AS details FROM audit_log WHERE target = '/api/customers'`,
    );
    expect(list[0]?.details).toContain('anna');
    expect((await verifyAudit(engine)).ok).toBe(true);
  });
});

describe('headers and unknown paths', () => {
  it('sends security headers, and no-store on API answers', async () => {
    const res = await get('/api/me');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await ctx.app.request('/');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('answers an unknown /api path with a JSON 404, not the dashboard', async () => {
    const res = await get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await ctx.app.request('/some/page')).status).toBe(200);
  });
});

describe('request body limits', () => {
  it('refuses a JSON body over 1 MiB with 413 before reading it', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), role: 'viewer' });
    const res = await ctx.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...auth('admin'), 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LIMIT_EXCEEDED');
  });

  it('refuses an upload over the server’s upload limit with 413, and loads nothing', async () => {
    const small = await createApp(engine, { log: () => undefined, maxBodyBytes: 4096 });
    const f = new FormData();
    f.set('file', new File([`customer_id\n${'c9\n'.repeat(4000)}`], 'big.csv', { type: 'text/csv' }));
    f.set('target', 'customers');
    const res = await small.app.request('/api/imports', { method: 'POST', headers: auth('admin'), body: f });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LIMIT_EXCEEDED');
    expect(await engine.query(`SELECT count(*) AS n FROM customers WHERE customer_id = 'c9'`)).toEqual([
      { n: 0 },
    ]);
    // A viewer may not upload at all (refused before the body is read).
    const tiny = new FormData();
    tiny.set('file', new File(['customer_id\nc9\n'], 'tiny.csv', { type: 'text/csv' }));
    const viewer = await small.app.request('/api/imports', {
      method: 'POST',
      headers: auth('viewer'),
      body: tiny,
    });
    expect(viewer.status).toBe(403);
  });
});

describe('tokens', () => {
  it('an expired token is refused', async () => {
    const t = await createToken(engine, 'short', 'admin', { expiresInDays: 1 });
    expect(t.expiresAt).not.toBeNull();
    const ok = await ctx.app.request('/api/me', { headers: { authorization: `Bearer ${t.token}` } });
    expect(ok.status).toBe(200);
    await engine.exec(`UPDATE api_tokens SET expires_at = TIMESTAMP '2000-01-01' WHERE token_id = '${t.id}'`);
    const late = await ctx.app.request('/api/me', { headers: { authorization: `Bearer ${t.token}` } });
    expect(late.status).toBe(401);
  });

  it('tokens expire after 90 days by default; 0 means never', async () => {
    const t = await createToken(engine, 'default', 'viewer');
    const days = (Date.parse(`${t.expiresAt}Z`) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    expect((await createToken(engine, 'forever', 'viewer', { expiresInDays: 0 })).expiresAt).toBeNull();
  });

  it('a session token left by a crashed server is revoked at the next start', async () => {
    const session = await createToken(engine, 'session old', 'admin', { session: true });
    const lasting = await createToken(engine, 'lasting', 'admin');
    expect(await revokeSessionTokens(engine)).toBeGreaterThanOrEqual(1);
    const res = await ctx.app.request('/api/me', { headers: { authorization: `Bearer ${session.token}` } });
    expect(res.status).toBe(401);
    const still = await ctx.app.request('/api/me', { headers: { authorization: `Bearer ${lasting.token}` } });
    expect(still.status).toBe(200);
  });
});

describe('viewers see no server paths', () => {
  it('shows load sources by file name only', async () => {
    await engine.exec(`INSERT INTO loads (load_id, source, target, format, status, started_at)
      VALUES (99, '/srv/secret/exports/klanten.csv', 'customers', 'csv', 'done', current_timestamp)`);
    const viewer = await (await get('/api/status')).json();
    expect(JSON.stringify(viewer)).not.toContain('/srv/secret');
    expect(JSON.stringify(viewer)).toContain('klanten.csv');
    const admin = await (await get('/api/status', 'admin')).json();
    expect(JSON.stringify(admin)).toContain('/srv/secret/exports/klanten.csv');
  });
});

describe('erasure over HTTP', () => {
  it('only an admin may erase; the person is gone and the audit names a hash', async () => {
    const del = (role: string) =>
      ctx.app.request('/api/customers/c2', { method: 'DELETE', headers: auth(role) });
    expect((await del('analyst')).status).toBe(403);
    const res = await del('admin');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { subject: string };
    expect(await engine.query(`SELECT * FROM customers WHERE customer_id = 'c2'`)).toEqual([]);
    const [entry] = await engine.query<{ target: string }>(
      `SELECT target FROM audit_log WHERE action = 'customer.erase' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry?.target).toBe(body.subject);
    expect((await del('admin')).status).toBe(404);
  });
});
