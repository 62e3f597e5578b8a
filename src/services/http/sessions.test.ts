import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../../ingest/index.js';
import { DuckDbEngine, migrate, sql, verifyAudit } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';
import { defineRoute } from './route.js';

/**
 * Isolated sessions (issue 19): every request and job has its own connection and transaction, so a
 * revocation during an import stays revoked, a failing request cannot abort an import, and cancelling a
 * job interrupts its statement and rolls it back. The "import" is a test route: a job that holds a
 * transaction open until the test lets it go, so the interleaving is exact, not timed.
 */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};
let release: (outcome: 'commit' | 'fail') => void = () => undefined;
let inside: Promise<void> = Promise.resolve();
let slowStarted: Promise<void> = Promise.resolve();

const importLike = defineRoute({
  method: 'post',
  path: '/api/test/import',
  summary: 'test: a job holding a transaction open',
  tag: 'test',
  role: 'admin',
  async handler({ engine: db, jobs }) {
    let entered: () => void = () => undefined;
    inside = new Promise<void>((r) => {
      entered = r;
    });
    const outcome = new Promise<'commit' | 'fail'>((r) => {
      release = r;
    });
    return jobs.start('import', async () =>
      db.transaction(async (tx) => {
        await tx.exec(`INSERT INTO loads (load_id, source, target, format, started_at, status)
          VALUES (7, 'x.csv', 'customers', 'csv', current_timestamp, 'running')`);
        entered();
        if ((await outcome) === 'fail') throw new Error('the import failed');
        await tx.exec("UPDATE loads SET status = 'done' WHERE load_id = 7");
        return { ok: true };
      }),
    );
  },
});

const failing = defineRoute({
  method: 'get',
  path: '/api/test/fail',
  summary: 'test: a request whose SQL fails',
  tag: 'test',
  role: 'viewer',
  async handler({ engine: db }) {
    await db.query(`SELECT error('boom')`);
    return {};
  },
});

const slow = defineRoute({
  method: 'post',
  path: '/api/test/slow',
  summary: 'test: a job running one very long statement',
  tag: 'test',
  role: 'admin',
  async handler({ engine: db, jobs }) {
    let started: () => void = () => undefined;
    slowStarted = new Promise<void>((r) => {
      started = r;
    });
    return jobs.start('slow', async () =>
      db.transaction(async (tx) => {
        await tx.exec(`INSERT INTO meta VALUES ('slow', 'started')`);
        started();
        await tx.query('SELECT count(*) AS n FROM range(1000000000000) a WHERE hash(a.range) = 42');
        await tx.exec(`INSERT INTO meta VALUES ('slow2', 'finished')`);
      }),
    );
  },
});

/**
 * A real import (the upload's `importSource`) whose upsert is done but not committed: the job holds the
 * import's transaction open until the test lets it go.
 */
let dir = '';
let importHeld: Promise<void> = Promise.resolve();
let releaseImport: (outcome: 'commit' | 'fail') => void = () => undefined;
/** The ids the next real import loads: `${importPrefix}1`, `${importPrefix}2`. */
let importPrefix = 'R';
const realImport = defineRoute({
  method: 'post',
  path: '/api/test/real-import',
  summary: 'test: a real import held open after its upsert',
  tag: 'test',
  role: 'admin',
  async handler({ engine: db, jobs }) {
    let held: () => void = () => undefined;
    importHeld = new Promise<void>((r) => {
      held = r;
    });
    const outcome = new Promise<'commit' | 'fail'>((r) => {
      releaseImport = r;
    });
    const path = join(dir, `customers-${importPrefix}.csv`);
    writeFileSync(
      path,
      `customer_id,first_name,email\n${importPrefix}1,Rita,rita@example.nl\n${importPrefix}2,Rob,rob@example.nl\n`,
    );
    return jobs.start('import', async () =>
      db.transaction(async (tx) => {
        const result = await importSource(tx, { path, target: 'customers' });
        held();
        if ((await outcome) === 'fail') throw new Error('the import failed after its upsert');
        return result;
      }),
    );
  },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-sessions-'));
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  ctx = await createApp(engine, { log: () => undefined, routes: [importLike, failing, slow, realImport] });
  for (const role of ['viewer', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, token: string) =>
  ctx.app.request(path, { method, headers: { authorization: `Bearer ${token}` } });

describe('isolated sessions', () => {
  it('a token revoked during an import stays revoked when the import rolls back', async () => {
    const victim = await createToken(engine, 'leaked', 'admin');
    const job = (await (await call('POST', '/api/test/import', tokens.admin!)).json()) as { id: string };
    await inside;
    const revoke = await call('DELETE', `/api/tokens/${victim.id}`, tokens.admin!);
    expect(revoke.status).toBe(200);
    release('fail');
    expect((await ctx.jobs.wait(job.id)).status).toBe('failed');
    expect((await call('GET', '/api/me', victim.token)).status).toBe(401);
    const audit = await engine.query(
      sql`SELECT 1 FROM audit_log WHERE action = 'token.revoke' AND target = ${victim.id}`,
    );
    expect(audit).toHaveLength(1);
    expect(await engine.query('SELECT * FROM loads WHERE load_id = 7')).toHaveLength(0);
  });

  it('a failing request does not abort a running import', async () => {
    const job = (await (await call('POST', '/api/test/import', tokens.admin!)).json()) as { id: string };
    await inside;
    expect((await call('GET', '/api/test/fail', tokens.viewer!)).status).toBe(500);
    expect((await call('GET', '/api/me', tokens.viewer!)).status).toBe(200);
    release('commit');
    expect((await ctx.jobs.wait(job.id)).status).toBe('done');
    expect(await engine.query(`SELECT status FROM loads WHERE load_id = 7`)).toEqual([{ status: 'done' }]);
  });

  it('during a real import’s upsert: a revocation answers and stays revoked; a failing viewer request aborts nothing', async () => {
    const victim = await createToken(engine, 'leaked-during-upsert', 'admin');
    const job = (await (await call('POST', '/api/test/real-import', tokens.admin!)).json()) as { id: string };
    await importHeld;
    expect((await call('DELETE', `/api/tokens/${victim.id}`, tokens.admin!)).status).toBe(200);
    expect((await call('GET', '/api/me', victim.token)).status).toBe(401);
    expect((await call('GET', '/api/test/fail', tokens.viewer!)).status).toBe(500);
    // The import is still alive and its upsert still pending: it commits.
    releaseImport('commit');
    const done = await ctx.jobs.wait(job.id);
    expect(done.status).toBe('done');
    expect(
      await engine.query(`SELECT customer_id FROM customers WHERE customer_id IN ('R1', 'R2') ORDER BY 1`),
    ).toEqual([{ customer_id: 'R1' }, { customer_id: 'R2' }]);
    expect((await call('GET', '/api/me', victim.token)).status).toBe(401);
    expect(
      await engine.query(
        sql`SELECT 1 FROM audit_log WHERE action = 'token.revoke' AND target = ${victim.id}`,
      ),
    ).toHaveLength(1);
    // And when that import fails after its upsert, the revocation made meanwhile still holds.
    const second = await createToken(engine, 'leaked-again', 'admin');
    const job2 = (await (await call('POST', '/api/test/real-import', tokens.admin!)).json()) as {
      id: string;
    };
    await importHeld;
    expect((await call('DELETE', `/api/tokens/${second.id}`, tokens.admin!)).status).toBe(200);
    releaseImport('fail');
    expect((await ctx.jobs.wait(job2.id)).status).toBe('failed');
    expect((await call('GET', '/api/me', second.token)).status).toBe(401);
  });

  it('cancelling a real import after its upsert rolls it back: the job ends cancelled and nothing is loaded', async () => {
    importPrefix = 'K';
    const job = (await (await call('POST', '/api/test/real-import', tokens.admin!)).json()) as { id: string };
    await importHeld;
    expect((await call('POST', `/api/jobs/${job.id}/cancel`, tokens.admin!)).status).toBe(200);
    // The import would carry on to its commit; the cancelled session refuses it and rolls back.
    releaseImport('commit');
    expect((await ctx.jobs.wait(job.id)).status).toBe('cancelled');
    expect(await engine.query(`SELECT * FROM customers WHERE customer_id IN ('K1', 'K2')`)).toEqual([]);
    expect(await engine.query(`SELECT * FROM loads WHERE source LIKE '%customers-K.csv'`)).toEqual([]);
    importPrefix = 'R';
  });

  it('a transaction open or rolled back on the app’s root connection takes no token check or audit entry with it', async () => {
    const victim = await createToken(engine, 'revoked-while-root-busy', 'admin');
    // Whoever holds the engine the app was built on (a CLI command, a migration) has a transaction open.
    await engine.exec('BEGIN TRANSACTION');
    await engine.exec(`INSERT INTO meta VALUES ('root-work', 'pending')`);
    try {
      expect((await call('DELETE', `/api/tokens/${victim.id}`, tokens.admin!)).status).toBe(200);
      expect((await call('GET', '/api/me', victim.token)).status).toBe(401);
    } finally {
      await engine.exec('ROLLBACK');
    }
    expect((await call('GET', '/api/me', victim.token)).status).toBe(401);
    expect(
      await engine.query(
        sql`SELECT 1 FROM audit_log WHERE action = 'token.revoke' AND target = ${victim.id}`,
      ),
    ).toHaveLength(1);
    expect((await verifyAudit(engine)).ok).toBe(true);
  });

  it('cancelling a job interrupts its statement and rolls back its transaction', async () => {
    const job = (await (await call('POST', '/api/test/slow', tokens.admin!)).json()) as { id: string };
    await slowStarted;
    // Without the interrupt the statement would run for hours and this test would time out.
    const cancelled = await call('POST', `/api/jobs/${job.id}/cancel`, tokens.admin!);
    expect(cancelled.status).toBe(200);
    const done = await ctx.jobs.wait(job.id);
    expect(done.status).toBe('cancelled');
    expect(await engine.query(`SELECT * FROM meta WHERE key IN ('slow', 'slow2')`)).toEqual([]);
  });
});

describe('request time limit', () => {
  it('interrupts a request past its limit with 503 QUERY_TIMEOUT, and the server carries on', async () => {
    const slowRead = defineRoute({
      method: 'get',
      path: '/api/test/slow-read',
      summary: 'test: a request running one very long statement',
      tag: 'test',
      role: 'viewer',
      async handler({ engine: db }) {
        return db.query('SELECT count(*) AS n FROM range(1000000000000) a WHERE hash(a.range) = 42');
      },
    });
    const limited = await createApp(engine, {
      log: () => undefined,
      routes: [slowRead],
      requestTimeoutMs: 300,
    });
    const headers = { authorization: `Bearer ${tokens.viewer}` };
    const res = await limited.app.request('/api/test/slow-read', { headers });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('QUERY_TIMEOUT');
    expect((await limited.app.request('/api/me', { headers })).status).toBe(200);
  });
});
