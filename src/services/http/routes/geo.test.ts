import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../../test/support/shop.js';
import { buildFeatures } from '../../../analytics/features/index.js';
import { FIELD_LABELS } from '../../../analytics/shared/field-labels.js';
import { DuckDbEngine } from '../../../store/index.js';
import { createApp } from '../app.js';
import { createToken } from '../auth.js';

let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  // One area per postcode and country the shop uses (about two customers each: every area is a small cell).
  await engine.exec(`INSERT INTO area_data (country, postcode, region, households, median_income, latitude, longitude, source, load_id)
    SELECT c, (1000 + i)::VARCHAR, 'R' || (i % 3), 500 + i, 30000 + 100 * i, 50 + i / 100, 4 + i / 100, 'fixture', 1
    FROM range(0, 90) t(i), (VALUES ('NL'), ('DE'), ('FR'), ('BE')) v(c)`);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => engine.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const call = async (
  path: string,
  role: string,
  body?: unknown,
  lang?: string,
): Promise<{ status: number; body: any }> => {
  const res = await ctx.app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tokens[role]}`,
      'content-type': 'application/json',
      ...(lang ? { 'accept-language': lang } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
};

describe('geo routes', () => {
  it('a viewer cannot lower the minimum cell size below the setting', async () => {
    const r = await call('/api/geo/penetration?minCellSize=1', 'viewer');
    expect(r.status).toBe(200);
    expect(r.body.minCellSize).toBe(10);
    expect(r.body.cells.length).toBeGreaterThan(0);
    for (const c of r.body.cells) expect(c.customers).toBeGreaterThanOrEqual(10);
    const a = await call('/api/geo/penetration?minCellSize=1', 'analyst');
    expect(a.body.minCellSize).toBe(1);
    expect(a.body.cells.some((c: { level: string }) => c.level === 'area')).toBe(true);
  });

  it('ranks areas by potential and profiles a segment, with small cells merged', async () => {
    const p = await call(`/api/geo/potential?seed=${encodeURIComponent('orders >= 7')}`, 'viewer');
    expect(p.status).toBe(200);
    for (const c of p.body.cells) expect(c.known).toBeGreaterThanOrEqual(10);
    const potentials = p.body.cells.map((c: { potential: number }) => c.potential);
    expect(potentials).toEqual([...potentials].sort((x: number, y: number) => y - x));
    const prof = await call(`/api/geo/profile?segment=${encodeURIComponent('orders >= 7')}`, 'viewer');
    expect(prof.status).toBe(200);
    expect(
      prof.body.measures.find((m: { measure: string }) => m.measure === 'median_income').index,
    ).toBeGreaterThan(0);
  });

  it('refuses a personal field in a viewer’s segment', async () => {
    const r = await call(
      `/api/geo/penetration?segment=${encodeURIComponent("email starts with 'c'")}`,
      'viewer',
    );
    expect(r.status).toBe(403);
  });

  it('finds lookalikes for analysts only', async () => {
    expect((await call('/api/lookalike', 'viewer', { seed: 'orders >= 7' })).status).toBe(403);
    const r = await call('/api/lookalike', 'analyst', { seed: 'orders >= 7', target: 'orders >= 1', top: 5 });
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(5);
    expect(r.body.features.map((f: { name: string }) => f.name)).not.toContain('orders');
  });

  it('labels features and drivers in the request’s language', async () => {
    const body = { seed: 'orders >= 7', target: 'orders >= 1', top: 5 };
    const fr = (await call('/api/lookalike', 'analyst', body, 'fr-BE,fr;q=0.9')).body;
    const en = (await call('/api/lookalike', 'analyst', body)).body;
    expect(fr.features.length).toBeGreaterThan(0);
    fr.features.forEach((f: { name: string; label: string }, i: number) => {
      expect(f.label).toBe(FIELD_LABELS[f.name]?.label.fr);
      expect(en.features[i].label).toBe(FIELD_LABELS[f.name]?.label.en);
    });
    expect(fr.drivers.length).toBeGreaterThan(0);
    for (const d of fr.drivers) {
      expect(d.label).not.toMatch(/_/);
      expect(d.text).toContain(d.label.charAt(0).toUpperCase() + d.label.slice(1));
      expect(d.text).toMatch(/base de départ/);
    }
  });
});
