import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { DuckDbEngine, setSetting } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/** Privacy by construction (issue 19): what a viewer can and cannot learn about one person. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => engine.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const post = async (path: string, role: string, body: unknown): Promise<{ status: number; body: any }> => {
  const res = await ctx.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

describe('viewers and personal fields', () => {
  it('the e-mail oracle fails for a viewer: no count filtered on e-mail', async () => {
    const r = await post('/api/segments/count', 'viewer', { expression: "email starts with 'j'" });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/personal fields \(email\)/);
    expect(r.body.count).toBeUndefined();
  });

  it.each([
    "last_name = 'Jansen'",
    "first_name starts with 'a' and orders >= 1",
    "birth_date < '1970-01-01'",
    "street starts with 'Kerk'",
    "phone_e164 starts with '+31'",
    "customer_id = 'c1'",
  ])('refuses %s to a viewer, in counts and profiles', async (expression) => {
    expect((await post('/api/segments/count', 'viewer', { expression })).status).toBe(403);
    expect((await post('/api/segments/profile', 'viewer', { expression })).status).toBe(403);
  });

  it('an analyst may still filter on e-mail (and sees exact counts)', async () => {
    const r = await post('/api/segments/count', 'analyst', { expression: "email starts with 'c'" });
    expect(r.status).toBe(200);
    expect(typeof r.body.count).toBe('number');
  });

  it('lists no personal columns to a viewer', async () => {
    const res = await ctx.app.request('/api/segments/columns', {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    const names = ((await res.json()) as { columns: { name: string }[] }).columns.map((c) => c.name);
    expect(names).not.toContain('email');
    expect(names).not.toContain('last_name');
    expect(names).toContain('orders');
  });
});

describe('minimum cell size', () => {
  it('suppresses a viewer count under k (and a complement under k), with no figures', async () => {
    const small = await post('/api/segments/count', 'viewer', {
      expression: "orders = 0 and country = 'NL'",
    });
    const exact = await post('/api/segments/count', 'analyst', {
      expression: "orders = 0 and country = 'NL'",
    });
    expect(exact.body.count).toBeGreaterThan(0);
    expect(exact.body.count).toBeLessThan(10);
    expect(small.body).toMatchObject({ suppressed: true, count: null, share: null, minCellSize: 10 });
    const complement = await post('/api/segments/count', 'viewer', {
      expression: "not (orders = 0 and country = 'NL')",
    });
    expect(complement.body).toMatchObject({ suppressed: true, count: null });
    const big = await post('/api/segments/count', 'viewer', { expression: 'orders >= 1' });
    expect(big.body.suppressed).toBe(false);
    expect(big.body.count).toBeGreaterThanOrEqual(10);
  });

  it('suppresses a small segment’s profile entirely (revenue of one customer cannot be read)', async () => {
    const r = await post('/api/segments/profile', 'viewer', { expression: "orders = 0 and country = 'NL'" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      suppressed: true,
      size: null,
      revenueShare: null,
      averages: [],
      distinctions: [],
    });
  });

  it('follows the min_cell_size setting', async () => {
    await setSetting(engine, 'min_cell_size', '3');
    const r = await post('/api/segments/count', 'viewer', { expression: "orders = 0 and country = 'NL'" });
    const exact = await post('/api/segments/count', 'analyst', {
      expression: "orders = 0 and country = 'NL'",
    });
    expect(r.body.suppressed).toBe(exact.body.count < 3);
    await setSetting(engine, 'min_cell_size', '10');
  });
});

describe('per-role limits and bad input', () => {
  const get = (path: string, role: string) =>
    ctx.app.request(path, { headers: { authorization: `Bearer ${tokens[role]}` } });

  it('refuses a viewer rule query under the minSupport floor, not an analyst', async () => {
    const viewer = await get('/api/basket/rules?minSupport=0.00001', 'viewer');
    expect(viewer.status).toBe(400);
    expect(((await viewer.json()) as { error: { code: string } }).error.code).toBe('LIMIT_EXCEEDED');
    expect((await get('/api/basket/rules?minSupport=0.00001', 'analyst')).status).toBe(200);
  });

  it('shows a viewer no rule about fewer than k baskets', async () => {
    const body = (await (
      await get('/api/basket/rules?minSupport=0.001&minConfidence=0', 'viewer')
    ).json()) as {
      rules: { count: number }[];
    };
    for (const r of body.rules) expect(r.count).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['/api/overview?asOf=2026-02-30'],
    ['/api/profit?asOf=0000-00-00'],
    ['/api/rfm/movement?from=2026-02-30&to=2026-03-01'],
  ])('answers an impossible date in %s with 400, not 500', async (path) => {
    expect((await get(path, 'analyst')).status).toBe(400);
  });

  it.each([
    "last_order >= '2026-13-45'",
    "last_order >= '2026-02-30'",
    'orders > 99999999999999999999999',
    'last_order >= today - 999999999y',
    'last_order >= today - 99999y',
  ])('answers the segment value in %s with 400, not 500', async (expression) => {
    expect((await post('/api/segments/count', 'analyst', { expression })).status).toBe(400);
  });
});

describe('minimum cell size on the RFM grid', () => {
  it('a viewer sees no RFM cell or segment of 1 to k−1 customers; an analyst sees all', async () => {
    const get = async (role: string) =>
      (await (
        await ctx.app.request('/api/rfm?asOf=2026-06-24&bins=10', {
          headers: { authorization: `Bearer ${tokens[role]}` },
        })
      ).json()) as {
        cells: (number | null)[][];
        segments: { customers: number }[];
        suppressedSegments?: number;
      };
    const analyst = await get('analyst');
    const viewer = await get('viewer');
    const small = analyst.cells.flat().filter((n) => n !== null && n > 0 && n < 10).length;
    expect(small).toBeGreaterThan(0);
    expect(viewer.cells.flat().filter((n) => n !== null && n > 0 && n < 10)).toEqual([]);
    expect(viewer.cells.flat().filter((n) => n === null)).toHaveLength(small);
    for (const s of viewer.segments) expect(s.customers).toBeGreaterThanOrEqual(10);
    expect(viewer.segments.length + (viewer.suppressedSegments ?? 0)).toBe(analyst.segments.length);
  });
});
