import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

let engine: DuckDbEngine;
let app: Awaited<ReturnType<typeof createApp>>['app'];
const tokens: Record<string, string> = {};
const logged: string[] = [];

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO customers (customer_id, first_name, last_name, email, city, country, source, load_id)
      VALUES ('c1', 'Anna', 'de Vries', 'anna@example.nl', 'Utrecht', 'NL', 't', 1),
             ('c2', 'Bruno', 'Klein', 'bruno@example.de', 'Köln', 'DE', 't', 1);
    INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id)
      VALUES ('p1', 'Dress', 'Women > Clothing', 50, 20, 't', 1);
    INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
      VALUES ('o1', 'c1', DATE '2026-01-05', 100, 't', 1), ('o2', 'c2', DATE '2026-02-07', 50, 't', 1);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, source, load_id)
      VALUES ('o1', 1, 'p1', 2, 50, 't', 1), ('o2', 1, 'p1', 1, 50, 't', 1);
  `);
  ({ app } = await createApp(engine, { log: (l) => logged.push(l) }));
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const json = (res: Response): Promise<any> => res.json();

const get = (path: string, role?: string) =>
  app.request(path, { headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });

describe('HTTP API', () => {
  it('answers /healthz without a token', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true });
  });

  it('refuses a call without a token (401) and with an unknown token (401)', async () => {
    const none = await get('/api/overview');
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('UNAUTHORIZED');
    const bad = await app.request('/api/overview', { headers: { authorization: 'Bearer cl_nope' } });
    expect(bad.status).toBe(401);
  });

  it('serves aggregates (over at least k customers) to a viewer but denies personal data (403)', async () => {
    const ov = await get('/api/overview?asOf=2026-03-01', 'analyst');
    expect(ov.status).toBe(200);
    const body = await json(ov);
    expect(body.kpis).toMatchObject({
      customers: 2,
      orders: 2,
      revenue: 150,
      margin: 90,
      active: 2,
      lapsed: 0,
    });
    expect(body.byMonth).toEqual([
      { month: '2026-01-01', orders: 1, customers: 1, revenue: 100, margin: 60 },
      { month: '2026-02-01', orders: 1, customers: 1, revenue: 50, margin: 30 },
    ]);
    // 2026-01-05 is a Monday, 2026-02-07 a Saturday.
    expect(body.byWeekday).toEqual([
      { weekday: 1, orders: 1, customers: 1, revenue: 100 },
      { weekday: 6, orders: 1, customers: 1, revenue: 50 },
    ]);
    // A viewer sees the same page with every figure about fewer than k (10) customers withheld.
    const viewed = await json(await get('/api/overview?asOf=2026-03-01', 'viewer'));
    expect(viewed.kpis).toMatchObject({ customers: null, orders: null, revenue: null, suppressed: true });
    expect(viewed.byMonth).toEqual([]);
    expect(viewed.byWeekday).toEqual([]);
    const list = await get('/api/customers', 'viewer');
    expect(list.status).toBe(403);
    expect((await json(list)).error.code).toBe('FORBIDDEN');
    expect((await get('/api/customers/c1', 'viewer')).status).toBe(403);
  });

  it('pages and sorts customers on the server for an analyst', async () => {
    const res = await get('/api/customers?sort=revenue&dir=desc&limit=1', 'analyst');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.total).toBe(2);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0].customer_id).toBe('c1');
  });

  it('rejects invalid query values with 400 naming the field', async () => {
    const res = await get('/api/customers?limit=0', 'analyst');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.details.fields).toContain('query.limit');
  });

  it('returns 404 for an unknown customer and audits every single-customer read', async () => {
    expect((await get('/api/customers/zzz', 'analyst')).status).toBe(404);
    const res = await get('/api/customers/c1', 'analyst');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.profile.email).toBe('anna@example.nl');
    expect(body.timeline[0].kind).toBe('order');
    const audit = await engine.query(
      `SELECT action, target, token_name FROM audit_log WHERE action = 'customer.read'`,
    );
    expect(audit).toEqual([{ action: 'customer.read', target: 'c1', token_name: 'analyst' }]);
  });

  it('lets only an admin manage tokens; an analyst cannot act as admin', async () => {
    const denied = await app.request('/api/tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'admin' }),
    });
    expect(denied.status).toBe(403);
    const invalid = await app.request('/api/tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'boss' }),
    });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).error.details.fields).toContain('body.role');
    const created = await app.request('/api/tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'crm-sync', role: 'viewer' }),
    });
    expect(created.status).toBe(200);
    const { token, id } = await json(created);
    expect(token).toMatch(/^cl_[0-9a-f]{32}$/);
    const stored = await engine.query(`SELECT token_hash FROM api_tokens WHERE name = 'crm-sync'`);
    expect(JSON.stringify(stored)).not.toContain(token);
    const del = await app.request(`/api/tokens/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(del.status).toBe(200);
    expect((await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
  });

  it('returns 404 for an unknown job id', async () => {
    const res = await get('/api/jobs/nope', 'analyst');
    expect(res.status).toBe(404);
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/customers/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
    expect(doc.paths['/api/customers'].get.parameters.map((p: { name: string }) => p.name)).toContain(
      'limit',
    );
    expect(
      doc.paths['/api/tokens'].post.requestBody.content['application/json'].schema.properties.role.enum,
    ).toEqual(['viewer', 'analyst', 'admin']);
  });

  it('hides internal errors behind a request id and logs the stack', async () => {
    const { app: app2 } = await createApp(engine, {
      log: (l) => logged.push(l),
      routes: [
        {
          method: 'get',
          path: '/api/boom',
          summary: 'boom',
          tag: 't',
          role: 'public',
          async handler() {
            throw new Error('secret internals');
          },
        },
      ],
    });
    const res = await app2.request('/api/boom');
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body.error.message).not.toContain('secret');
    expect(
      logged.some((l) => l.includes(body.error.details.requestId) && l.includes('secret internals')),
    ).toBe(true);
  });

  it('serves status to a viewer, the audit log only to an admin, and lists and cancels jobs for an analyst', async () => {
    const status = await json(await get('/api/status', 'viewer'));
    expect(status.tables.find((t: { name: string }) => t.name === 'customers').rows).toBe(2);
    expect((await get('/api/audit', 'analyst')).status).toBe(403);
    const audit = await json(await get('/api/audit?limit=5', 'admin'));
    expect(Array.isArray(audit.entries)).toBe(true);
    expect((await get('/api/audit?limit=0', 'admin')).status).toBe(400);
    expect((await get('/api/jobs', 'viewer')).status).toBe(403);
    const { app: app2, jobs } = await createApp(engine, { log: () => undefined });
    let release: () => void = () => undefined;
    const job = jobs.start(
      'test.wait',
      (control) =>
        new Promise((resolve) => {
          release = () => resolve(null);
          control.signal.addEventListener('abort', () => resolve(null));
        }),
    );
    const listed = await json(
      await app2.request('/api/jobs', { headers: { authorization: `Bearer ${tokens.analyst}` } }),
    );
    expect(listed.jobs.map((j: { id: string }) => j.id)).toContain(job.id);
    const cancelled = await json(
      await app2.request(`/api/jobs/${job.id}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.analyst}` },
      }),
    );
    expect(cancelled.status).toBe('cancelled');
    release();
    expect((await jobs.wait(job.id)).status).toBe('cancelled');
  });

  it('pages rejected rows for an analyst, filtered by load, and denies them to a viewer', async () => {
    await engine.exec(`INSERT INTO rejects VALUES
      (7, 'a.csv', 'orders', 12, 'order_date', '31/02/2026', 'expected a date', 'rejected', NULL),
      (8, 'b.csv', 'customers', 3, 'email', 'x@', 'expected an e-mail address', 'rejected', NULL)`);
    expect((await get('/api/rejects', 'viewer')).status).toBe(403);
    const all = await json(await get('/api/rejects', 'analyst'));
    expect(all.total).toBe(2);
    const one = await json(await get('/api/rejects?loadId=8', 'analyst'));
    expect(one.rows).toEqual([
      expect.objectContaining({ line: 3, column_name: 'email', reason: 'expected an e-mail address' }),
    ]);
  });
});
