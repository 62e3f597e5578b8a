import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { buildRfm } from '../../analytics/rfm/index.js';
import { createSegment } from '../../analytics/segments/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/**
 * Minimum cell size on every aggregate a viewer sees (issue 19): every viewer route of the API is called as an
 * analyst and as a viewer on a shop with small cells (a month, a channel and a first-order cohort of one
 * customer, a campaign's control group of 8 per country, a CLV tier of 3); the analyst sees the small cells, the
 * viewer sees none of 1 to k−1 customers, whatever the route.
 */
const K = 10;
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await engine.exec(`
    -- One customer alone in a month, a channel and a first-order cohort.
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
      VALUES ('LONE', 'C0005', DATE '2024-12-15', 'phone', 999, 't', 1);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id)
      VALUES ('LONE', 1, 'P1', 1, 999, 0, 't', 1);
    INSERT INTO campaigns (campaign_id, name, channel, start_date, keywords, cost, source, load_id)
      VALUES ('EM-1', 'Spring mail', 'email', DATE '2026-03-02', ['fashion'], 50, 't', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-1', 'C' || lpad(i::VARCHAR, 4, '0'), CASE WHEN i <= 120 THEN 'sent' ELSE 'holdout' END,
        TIMESTAMP '2026-03-02 08:00:00', 't', 1 FROM range(1, 161) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-1', 'C' || lpad(i::VARCHAR, 4, '0'), 'open', TIMESTAMP '2026-03-02 09:00:00', 't', 1
      FROM range(1, 61) t(i);
    CREATE TABLE clv_scores AS
      SELECT 'C' || lpad(i::VARCHAR, 4, '0') AS customer_id, 'm1' AS model_id, DATE '2026-06-24' AS as_of,
             (i * 10)::DOUBLE AS clv, 0.5 AS p_alive, CASE WHEN i <= 3 THEN 'top' ELSE 'rest' END AS tier
      FROM range(1, 41) t(i);
    -- One area per postcode and country (about two customers each: every area is a small cell).
    INSERT INTO area_data (country, postcode, region, households, median_income, latitude, longitude, source, load_id)
      SELECT c, (1000 + i)::VARCHAR, 'R' || (i % 3), 500 + i, 30000 + 100 * i, 50 + i / 100, 4 + i / 100, 'fixture', 1
      FROM range(0, 90) t(i), (VALUES ('NL'), ('DE'), ('FR'), ('BE')) v(c);
  `);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await buildRfm(engine, { asOf: '2026-06-24' });
  await createSegment(engine, {
    name: 'loyal-few',
    expression: 'orders >= 11',
    now: new Date('2026-06-24T12:00:00Z'),
  });
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => engine.close());

/** Keys that count customers (or contacts, members, treated or control customers) in a cell. */
const COUNT_KEYS = new Set([
  'customers',
  'buyers',
  'prospects',
  'active',
  'lapsed',
  'members',
  'contacts',
  'size',
  'treated',
  'control',
  'n',
  'declining',
]);
/** Keys holding grids of customer counts. */
const GRID_KEYS = new Set(['cells', 'matrix', 'rfo', 'rfc']);

const small = (v: unknown) => typeof v === 'number' && v > 0 && v < K;

/** Every count of 1 to k−1 customers in a response, as `path = value`. */
function smallCells(value: unknown, path = '$', countsOnly = false): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) =>
      countsOnly && small(v) ? [`${path}[${i}] = ${v}`] : smallCells(v, `${path}[${i}]`, countsOnly),
    );
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    COUNT_KEYS.has(key) && small(v)
      ? [`${path}.${key} = ${v}`]
      : smallCells(v, `${path}.${key}`, countsOnly || GRID_KEYS.has(key)),
  );
}

/** Cohort triangles of customer counts: each value is a count of active customers. */
function smallCohortCells(body: { cohorts?: { cohort: string; values: (number | null)[] }[] }): string[] {
  return (body.cohorts ?? []).flatMap((c) =>
    c.values.flatMap((v, i) => (small(v) ? [`cohort ${c.cohort}[${i}] = ${v}`] : [])),
  );
}

/** Requests that give small cells on this shop; every other viewer route is called as it is. */
const CALLS: Record<string, { path: string; body?: unknown }[]> = {
  'GET /api/overview': [{ path: '/api/overview?asOf=2026-06-24&activeDays=30' }],
  'GET /api/sales': [
    { path: '/api/sales?by=channel&from=2024-12-01&to=2024-12-31&grain=month' },
    { path: '/api/sales?from=2024-12-01&to=2024-12-31&grain=day' },
  ],
  'GET /api/cohorts': [
    { path: '/api/cohorts?asOf=2026-06-01' },
    { path: '/api/cohorts?asOf=2026-06-01&metric=revenue' },
    { path: '/api/cohorts?asOf=2026-06-01&by=first_channel&metric=orders' },
  ],
  'GET /api/campaigns': [{ path: '/api/campaigns?asOf=2026-06-30' }],
  'GET /api/campaigns/segments': [
    { path: '/api/campaigns/segments?campaign=EM-1&by=country&asOf=2026-06-30' },
    { path: '/api/campaigns/segments?campaign=EM-1&by=gender&asOf=2026-06-30' },
  ],
  'GET /api/campaigns/engagement': [{ path: '/api/campaigns/engagement?asOf=2026-06-30' }],
  'GET /api/campaigns/pressure': [{ path: '/api/campaigns/pressure?asOf=2026-06-30' }],
  'GET /api/rfm': [
    { path: '/api/rfm?asOf=2026-06-24&bins=10' },
    { path: '/api/rfm?kind=rfo&asOf=2026-06-30' },
  ],
  'GET /api/rfm/movement': [{ path: '/api/rfm/movement?from=2025-06-24&to=2026-06-24' }],
  'GET /api/profit': [{ path: '/api/profit?asOf=2026-06-24' }],
  'GET /api/segments/:name': [{ path: '/api/segments/loyal-few' }],
  'GET /api/segments/:name/history': [{ path: '/api/segments/loyal-few/history' }],
  'GET /api/pricing/whatif': [{ path: '/api/pricing/whatif?priceChange=0.1&category=Women' }],
  'POST /api/segments/count': [{ path: '/api/segments/count', body: { expression: 'orders >= 11' } }],
  'POST /api/segments/profile': [
    { path: '/api/segments/profile', body: { expression: "orders >= 1 and gender = 'f' and city = 'Gent'" } },
  ],
  'GET /api/geo/penetration': [{ path: '/api/geo/penetration?level=area' }],
  'GET /api/geo/potential': [{ path: `/api/geo/potential?seed=${encodeURIComponent('orders >= 8')}` }],
  'GET /api/geo/profile': [{ path: `/api/geo/profile?segment=${encodeURIComponent('orders >= 8')}` }],
  'GET /api/basket/rules': [{ path: '/api/basket/rules?minSupport=0.001&minConfidence=0' }],
};

const call = async (role: string, c: { path: string; body?: unknown }) => {
  const res = await ctx.app.request(c.path, {
    method: c.body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tokens[role]}`,
      ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
};

describe('minimum cell size on every aggregate route a viewer may call', () => {
  it('no viewer route returns a cell of 1 to k−1 customers; an analyst sees the small cells', async () => {
    const viewerRoutes = ctx.routes.filter((r) => r.role === 'viewer' || r.role === 'public');
    const seenSmall: string[] = [];
    const checked: string[] = [];
    for (const route of viewerRoutes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const calls =
        CALLS[key] ?? (route.path.includes(':') || route.method !== 'get' ? [] : [{ path: route.path }]);
      expect(calls.length > 0 || /:id/.test(route.path), `${key}: give it a call in CALLS`).toBe(true);
      for (const c of calls) {
        const analyst = await call('analyst', c);
        const viewer = await call('viewer', c);
        // 404: nothing of that kind saved yet (a model); 400 EMPTY_INPUT / NOT_ENOUGH_DATA: the shop lacks
        // the data the analysis needs (its own tests cover it).
        const code = (viewer.body as { error?: { code?: string } }).error?.code ?? '';
        expect(
          viewer.status === 200 ||
            viewer.status === 404 ||
            (viewer.status === 400 && code !== 'INVALID_INPUT'),
          `${c.path}: ${JSON.stringify(viewer.body).slice(0, 300)}`,
        ).toBe(true);
        if (viewer.status !== 200) continue;
        checked.push(c.path);
        const analystSmall = [
          ...smallCells(analyst.body),
          ...(route.path === '/api/cohorts' ? smallCohortCells(analyst.body) : []),
        ];
        if (analystSmall.length) seenSmall.push(c.path);
        const viewerSmall = [
          ...smallCells(viewer.body),
          ...(route.path === '/api/cohorts' ? smallCohortCells(viewer.body) : []),
        ];
        expect(viewerSmall, `${c.path} shows a viewer small cells`).toEqual([]);
        // Counts suppressed the way /api/segments/count does it are null, never under k.
        if ('count' in viewer.body && viewer.body.count !== null)
          expect(viewer.body.count).toBeGreaterThanOrEqual(K);
      }
    }
    // The shop does have small cells where the new rules apply, so each rule was exercised.
    for (const path of [
      '/api/overview?asOf=2026-06-24&activeDays=30',
      '/api/sales?by=channel&from=2024-12-01&to=2024-12-31&grain=month',
      '/api/cohorts?asOf=2026-06-01&metric=revenue',
      '/api/campaigns/segments?campaign=EM-1&by=country&asOf=2026-06-30',
      '/api/clv',
      '/api/rfm?asOf=2026-06-24&bins=10',
    ])
      expect(seenSmall).toContain(path);
    expect(checked.length).toBeGreaterThanOrEqual(25);
  });

  it('a withheld cohort value is null for every metric, not only customer counts', async () => {
    const analyst = await call('analyst', { path: '/api/cohorts?asOf=2026-06-01&metric=revenue' });
    const viewer = await call('viewer', { path: '/api/cohorts?asOf=2026-06-01&metric=revenue' });
    type Row = { cohort: string; values: (number | null)[] };
    const lone = (b: { cohorts: Row[] }) => b.cohorts.find((c) => c.cohort === '2024-12-01');
    expect(lone(analyst.body as never)?.values[0]).toBe(999);
    expect(lone(viewer.body as never)?.values[0] ?? null).toBeNull();
  });

  it('one customer’s campaign profile is for analysts, not viewers', async () => {
    expect((await call('viewer', { path: '/api/campaigns/customer/C0001' })).status).toBe(403);
    expect((await call('analyst', { path: '/api/campaigns/customer/C0001' })).status).toBe(200);
  });
});
