import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/** Issue 18: a segment's size over time through the API (list, history route, refresh job) and delete. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-01-31' });
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
async function call(
  method: string,
  path: string,
  role: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await ctx.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tokens[role]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('segment size history over HTTP', () => {
  it('records on create and on a feature refresh, serves the history, and deletes', async () => {
    expect(
      (await call('POST', '/api/segments', 'analyst', { name: 'buyers', expression: 'orders >= 1' })).status,
    ).toBe(200);
    const one = await call('GET', '/api/segments/buyers/history', 'viewer');
    expect(one.status).toBe(200);
    expect(one.body.history).toHaveLength(1);
    expect(one.body.history[0].asOf).toBe('2026-01-31');

    // Refresh the feature view to a later date through the API job: the new size joins the history.
    const job = await call('POST', '/api/features/build', 'analyst', { asOf: '2026-06-24' });
    const done = await ctx.jobs.wait(job.body.id);
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ segmentSizesRecorded: ['buyers'] });
    const two = await call('GET', '/api/segments/buyers/history', 'analyst');
    expect(two.body.history.map((h: { asOf: string }) => h.asOf)).toEqual(['2026-01-31', '2026-06-24']);
    expect(two.body.history[1].size).toBeGreaterThanOrEqual(two.body.history[0].size);

    // The list carries each segment's history for the small chart.
    const list = await call('GET', '/api/segments', 'analyst');
    expect(list.body.segments[0].history.map((h: { size: number }) => h.size)).toEqual(
      two.body.history.map((h: { size: number }) => h.size),
    );

    // Delete: admins only; then the segment and its history are gone.
    expect((await call('DELETE', '/api/segments/buyers', 'analyst')).status).toBe(403);
    expect((await call('DELETE', '/api/segments/buyers', 'admin')).body).toEqual({ deleted: 'buyers' });
    expect((await call('GET', '/api/segments/buyers/history', 'admin')).status).toBe(404);
    expect((await call('GET', '/api/segments', 'admin')).body.segments).toEqual([]);
  });
});
