/**
 * The HTTP API and `clientele serve` on ClickHouse (chdb): the main routes give the same answers as on DuckDB,
 * and the service's own tables (tokens, audit chain, settings) work without in-place updates or rowids.
 * A small demo shop is imported into both engines through the real import path, and the demo steps the
 * dashboard's pages read (profiles: features, RFM and clusters; the churn model; CLV) run on each.
 *
 * chdb is never a dependency (DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`.
 * Without it the suite is skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AS_OF, type DemoResult, generateDemo } from '../src/demo/index.js';
import { importSource, withImportBatch } from '../src/ingest/index.js';
import { serveDatamart } from '../src/services/cli/commands/serve.js';
import { DEMO_STEPS } from '../src/services/cli/demo-steps.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { type Engine, getSetting, openDatamart, setSetting, sql, verifyAudit } from '../src/store/index.js';
import { differences } from './support/differences.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: HTTP API on ClickHouse suite skipped (npm install --no-save chdb@3.4.0)',
  );

const SEED = 11;
const CUSTOMERS = 90;
const STEPS = ['profiles', 'predict', 'clv'];
const silent = { line: () => undefined, table: () => undefined } as never;

type App = Awaited<ReturnType<typeof createApp>>['app'];
interface Side {
  engine: Engine;
  app: App;
  token: string;
}

async function call(
  side: Side,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await side.app.request(path, {
    ...init,
    headers: { authorization: `Bearer ${side.token}`, 'content-type': 'application/json', ...init.headers },
  });
  return { status: res.status, body: await res.json() };
}

describe.skipIf(!chdb)('the HTTP API on ClickHouse (chdb) answers as on DuckDB', () => {
  let dir: string;
  let demo: DemoResult;
  const sides: Record<'duckdb' | 'clickhouse', Side> = {} as never;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-serve-'));
    demo = await generateDemo({
      customers: CUSTOMERS,
      seed: SEED,
      outDir: join(dir, 'data'),
      asOf: DEFAULT_AS_OF,
    });
    const engines = {
      duckdb: await openDatamart({ db: ':memory:' }),
      clickhouse: await openDatamart({ db: `chdb:${join(dir, 'ch')}` }),
    };
    for (const [name, engine] of Object.entries(engines) as [keyof typeof engines, Engine][]) {
      await withImportBatch(engine, async (target) => {
        for (const f of demo.manifest.files)
          await importSource(
            target,
            {
              path: resolve(demo.outDir, f.file),
              target: f.target,
              format: f.format,
              ...(f.sheet ? { sheet: f.sheet } : {}),
            },
            { source: f.source, ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}) },
          );
      });
      const ctx = { asOf: demo.manifest.asOf, seed: SEED, manifest: demo.manifest, out: silent };
      for (const step of DEMO_STEPS.filter((s) => STEPS.includes(s.id))) await step.run(engine, ctx);
      const { app } = await createApp(engine, {});
      const { token } = await createToken(engine, 'test admin', 'admin');
      sides[name] = { engine, app, token };
    }
  }, 600_000);

  afterAll(async () => {
    await sides.duckdb?.engine.close();
    await sides.clickhouse?.engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same overview, segment count, RFM, CLV, churn ranking and customer 360', async () => {
    const [someone] = await sides.duckdb.engine.query<{ id: string }>(
      'SELECT customer_id AS id FROM customer_features WHERE orders >= 2 ORDER BY customer_id LIMIT 1',
    );
    const [model] = (await call(sides.duckdb, '/api/predict/models')).body.models as { id: string }[];
    expect(model?.id).toBeTruthy();
    const requests: [string, RequestInit?][] = [
      [`/api/overview?asOf=${DEFAULT_AS_OF}`],
      ['/api/segments/count', { method: 'POST', body: JSON.stringify({ expression: 'orders >= 2' }) }],
      [`/api/rfm?asOf=${DEFAULT_AS_OF}`],
      ['/api/clv'],
      [`/api/predict/models/${model?.id}/top?limit=10`],
      [`/api/customers/${someone?.id}`],
    ];
    for (const [path, init] of requests) {
      const a = await call(sides.duckdb, path, init);
      const b = await call(sides.clickhouse, path, init);
      expect(a.status, path).toBe(200);
      expect(b.status, `${path}: ${JSON.stringify(b.body).slice(0, 300)}`).toBe(200);
      expect(differences(a.body, b.body, 1e-9, path)).toEqual([]);
    }
    // Figures that are really there, not two empty answers.
    const overview = (await call(sides.clickhouse, `/api/overview?asOf=${DEFAULT_AS_OF}`)).body;
    expect(overview.kpis.orders).toBeGreaterThan(0);
    expect(overview.byMonth.length).toBeGreaterThan(1);
  });

  it('erases a person the same way (rows deleted or pseudonymised per table), the audit chain still verifying', async () => {
    const [someone] = await sides.duckdb.engine.query<{ id: string }>(
      'SELECT customer_id AS id FROM orders GROUP BY customer_id HAVING count(*) >= 2 ORDER BY customer_id LIMIT 1',
    );
    const path = `/api/customers/${someone?.id}`;
    // Read first, so that the erasure has an audit entry naming the person to redact.
    for (const side of [sides.duckdb, sides.clickhouse]) expect((await call(side, path)).status).toBe(200);
    const a = await call(sides.duckdb, path, { method: 'DELETE' });
    const b = await call(sides.clickhouse, path, { method: 'DELETE' });
    expect(b.status, JSON.stringify(b.body).slice(0, 300)).toBe(200);
    expect(b.body.tables).toEqual(a.body.tables);
    expect(b.body.tables).toContainEqual(
      expect.objectContaining({ table: 'orders', action: 'pseudonymised' }),
    );
    expect(b.body.tables).toContainEqual(expect.objectContaining({ table: 'audit_log', action: 'redacted' }));
    const ch = sides.clickhouse.engine;
    expect(
      await ch.query(sql`SELECT count(*) AS n FROM customers WHERE customer_id = ${someone?.id}`),
    ).toEqual([{ n: 0 }]);
    expect(await ch.query(sql`SELECT count(*) AS n FROM orders WHERE customer_id = ${someone?.id}`)).toEqual([
      { n: 0 },
    ]);
    expect((await call(sides.clickhouse, path)).status).toBe(404);
    expect(await verifyAudit(ch)).toMatchObject({ ok: true, redacted: expect.any(Number) });
    expect((await verifyAudit(ch)).redacted).toBeGreaterThan(0);
  });

  it('creates, lists and revokes tokens; a revoked token is refused', async () => {
    const ch = sides.clickhouse;
    const created = await call(ch, '/api/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'reader', role: 'viewer' }),
    });
    expect(created.status).toBe(200);
    const reader = { ...ch, token: created.body.token as string };
    expect((await call(reader, '/api/me')).status).toBe(200);
    expect((await call(ch, `/api/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await call(reader, '/api/me')).status).toBe(401);
    const listed = (await call(ch, '/api/tokens')).body.tokens as { id: string; revoked: boolean }[];
    expect(listed.find((t) => t.id === created.body.id)?.revoked).toBe(true);
    expect(listed.filter((t) => !t.revoked).length).toBe(1);
  });

  it('keeps a verifiable audit chain and reports an entry changed afterwards', async () => {
    const ch = sides.clickhouse.engine;
    const before = await verifyAudit(ch);
    expect(before).toMatchObject({ ok: true, firstBad: null });
    // Reads of one customer and the token calls above were audited: the chain has entries to check.
    expect(before.entries).toBeGreaterThanOrEqual(3);
    // Timestamps keep their milliseconds (the hash covers them): as many entries as on DuckDB verify.
    await ch.exec(ch.dialect.updateSql('audit_log', sql`action = 'tampered'`, sql`seq = 2`));
    expect((await verifyAudit(ch)).firstBad?.seq).toBe(2);
  });

  it('stores a setting twice (an upsert without ON CONFLICT) and reads the latest', async () => {
    const ch = sides.clickhouse.engine;
    await setSetting(ch, 'min_cell_size', '5');
    await setSetting(ch, 'min_cell_size', '7');
    expect(await getSetting(ch, 'min_cell_size')).toBe('7');
    expect((await ch.query(`SELECT * FROM settings WHERE key = 'min_cell_size'`)).length).toBe(1);
  });

  it('serves the dashboard and API over HTTP from the chdb datamart', async () => {
    const lines: string[] = [];
    const server = await serveDatamart(sides.clickhouse.engine, { port: '0' }, (l) => lines.push(l));
    try {
      const token = /#token=(\S+)/.exec(lines.join('\n'))?.[1];
      expect(token).toBeTruthy();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const res = await fetch(`${server.url}/api/overview?asOf=${DEFAULT_AS_OF}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { kpis: { customers: number } }).kpis.customers).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
