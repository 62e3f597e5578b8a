import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/**
 * Issue 18: the latest cluster run is kept in the datamart (`cluster_runs`), so the Clusters page shows it
 * after a reload and after a server restart (a new engine and app on the same file).
 */
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-cluster-runs-'));
  file = join(dir, 'mart.duckdb');
  const engine = await DuckDbEngine.open(file);
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve() {
  const engine = await DuckDbEngine.open(file);
  const ctx = await createApp(engine, { log: () => undefined });
  const analyst = (await createToken(engine, 'analyst', 'analyst')).token;
  const viewer = (await createToken(engine, 'viewer', 'viewer')).token;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await ctx.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
    return { status: res.status, body: (await res.json()) as any };
  };
  return { engine, ctx, analyst, viewer, call };
}

describe('the latest cluster run', () => {
  it('is none before the first run, and survives a new app instance on the same datamart', async () => {
    const first = await serve();
    expect((await first.call('GET', '/api/clusters/latest', first.analyst)).body).toEqual({ run: null });
    const started = await first.call('POST', '/api/clusters/run', first.analyst, { k: 3, seed: 7 });
    const done = await first.ctx.jobs.wait(started.body.id);
    expect(done.status).toBe('done');
    const ran = done.result as { k: number; customers: number; clusters: { name: string; size: number }[] };
    await first.engine.close();

    const second = await serve();
    const latest = await second.call('GET', '/api/clusters/latest', second.analyst);
    expect(latest.status).toBe(200);
    expect(latest.body.run).toMatchObject({ k: 3, customers: ran.customers, asOf: '2026-06-24' });
    expect(latest.body.run.clusters).toEqual(ran.clusters);
    expect(Number.isNaN(Date.parse(latest.body.run.ranAt))).toBe(false);
    // A newer run replaces it.
    const again = await second.call('POST', '/api/clusters/run', second.analyst, { k: 2, seed: 7 });
    await second.ctx.jobs.wait(again.body.id);
    expect((await second.call('GET', '/api/clusters/latest', second.analyst)).body.run.k).toBe(2);
    expect((await second.call('GET', '/api/clusters/latest', second.viewer)).status).toBe(403);
    await second.engine.close();
  });
});
