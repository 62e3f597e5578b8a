/**
 * Parity against a real ClickHouse server over HTTP (`--db clickhouse://…`), run when CLICKHOUSE_URL is set:
 *
 *   CLICKHOUSE_URL=clickhouse://default:@127.0.0.1:8123/default npx vitest run test/clickhouse-server.test.ts
 *
 * The suite creates a database of its own on that server (`clientele_test_<pid>_<time>`) and drops it at the
 * end. It imports a small demo shop into DuckDB and into the server through the real import path, runs every
 * demo step on both and compares (counts equal, figures within 1e-6, features and RFM within 1e-9), compares
 * the HTTP API's main routes, and checks the client's explicit output settings on the wire: 64-bit integers
 * exact, queries read-only, requests timed out, the SQL console strictly read-only.
 * Without CLICKHOUSE_URL it is skipped with a message (no ClickHouse server runs on the project's machines;
 * the chdb suites cover the same engine in-process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AS_OF, type DemoResult, generateDemo } from '../src/demo/index.js';
import { importSource, withImportBatch } from '../src/ingest/index.js';
import { DEMO_STEPS } from '../src/services/cli/demo-steps.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { ClickHouseEngine } from '../src/store/clickhouse/engine.js';
import { HttpTransport, parseClickHouseUrl } from '../src/store/clickhouse/http.js';
import { type Engine, openDatamart, openSqlConsole, verifyAudit } from '../src/store/index.js';
import { differences } from './support/differences.js';

const SERVER = process.env.CLICKHOUSE_URL;
if (!SERVER)
  console.warn(
    'CLICKHOUSE_URL is not set: the suite against a real ClickHouse server is skipped (set it to clickhouse://user:password@host:8123/database; a test database is created there and dropped)',
  );

const SEED = 7;
const CUSTOMERS = 120;
const silent = { line: () => undefined, table: () => undefined } as never;

/** The server URL with another database (the query string, e.g. ?timeout_ms=, kept). */
function withDatabase(text: string, database: string): string {
  const u = new URL(text);
  u.pathname = `/${database}`;
  return u.toString();
}

describe.skipIf(!SERVER)('a real ClickHouse server (CLICKHOUSE_URL) answers as DuckDB does', () => {
  const database = `clientele_test_${process.pid}_${Date.now()}`;
  let url: string;
  let dir: string;
  let demo: DemoResult;
  let admin: Engine;
  const engines: Record<'duckdb' | 'clickhouse', Engine> = {} as never;
  const steps: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    url = withDatabase(SERVER as string, database);
    admin = new ClickHouseEngine(new HttpTransport(parseClickHouseUrl(SERVER as string)));
    await admin.exec(`CREATE DATABASE IF NOT EXISTS ${database}`);
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-server-'));
    demo = await generateDemo({
      customers: CUSTOMERS,
      seed: SEED,
      outDir: join(dir, 'data'),
      asOf: DEFAULT_AS_OF,
    });
    engines.duckdb = await openDatamart({ db: ':memory:' });
    engines.clickhouse = await openDatamart({ db: url });
    for (const [name, engine] of Object.entries(engines)) {
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
      steps[name] = {};
      for (const step of DEMO_STEPS)
        (steps[name] as Record<string, unknown>)[step.id] = await step.run(engine, ctx);
    }
  }, 900_000);

  afterAll(async () => {
    await engines.duckdb?.close();
    await engines.clickhouse?.close();
    await admin?.exec(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same findings in every demo step, with the same features and RFM scores', async () => {
    expect(differences(steps.duckdb, steps.clickhouse, 1e-6)).toEqual([]);
    for (const table of ['customer_features', 'customer_rfm']) {
      const read = (e: Engine) => e.queryColumns(`SELECT * FROM "${table}" ORDER BY customer_id`);
      expect(differences(await read(engines.duckdb), await read(engines.clickhouse), 1e-9, table)).toEqual(
        [],
      );
    }
  });

  it('answers the HTTP API as DuckDB does, and keeps a verifiable audit chain', async () => {
    const apps = {
      duckdb: (await createApp(engines.duckdb, {})).app,
      clickhouse: (await createApp(engines.clickhouse, {})).app,
    };
    const tokens = {
      duckdb: (await createToken(engines.duckdb, 'test', 'admin')).token,
      clickhouse: (await createToken(engines.clickhouse, 'test', 'admin')).token,
    };
    const [someone] = await engines.duckdb.query<{ id: string }>(
      'SELECT customer_id AS id FROM customer_features WHERE orders >= 2 ORDER BY customer_id LIMIT 1',
    );
    for (const [path, init] of [
      [`/api/overview?asOf=${DEFAULT_AS_OF}`],
      ['/api/segments/count', { method: 'POST', body: JSON.stringify({ expression: 'orders >= 2' }) }],
      [`/api/rfm?asOf=${DEFAULT_AS_OF}`],
      ['/api/clv'],
      [`/api/customers/${someone?.id}`],
    ] as [string, RequestInit?][]) {
      const call = async (side: 'duckdb' | 'clickhouse') => {
        const res = await apps[side].request(path, {
          ...init,
          headers: { authorization: `Bearer ${tokens[side]}`, 'content-type': 'application/json' },
        });
        return { status: res.status, body: await res.json() };
      };
      const a = await call('duckdb');
      const b = await call('clickhouse');
      expect([a.status, b.status], path).toEqual([200, 200]);
      expect(differences(a.body, b.body, 1e-9, path)).toEqual([]);
    }
    expect(await verifyAudit(engines.clickhouse)).toMatchObject({ ok: true, firstBad: null });
  });

  it('sends explicit output settings: 64-bit integers exact, queries read-only, requests timed out', async () => {
    const engine = engines.clickhouse;
    expect(
      await engine.query('SELECT toInt64(9007199254740993) AS big, toUInt64(5) AS small, toInt64(-3) AS neg'),
    ).toEqual([{ big: '9007199254740993', small: 5, neg: -3 }]);
    const transport = new HttpTransport(parseClickHouseUrl(url));
    await expect(transport.query('CREATE TABLE never_made (a Int32) ENGINE = Memory', {})).rejects.toThrow(
      /readonly|READONLY/,
    );
    await transport.close();
    const slow = new ClickHouseEngine(
      new HttpTransport(parseClickHouseUrl(`${withDatabase(SERVER as string, database)}?timeout_ms=500`)),
    );
    await expect(slow.query('SELECT sleep(2)')).rejects.toThrow(/timeout/i);
    await slow.close();
  });

  it('runs the SQL console with readonly = 1 on the server', async () => {
    const console_ = await openSqlConsole(url, { timeoutMs: 10_000 });
    try {
      expect((await console_.query('SELECT count(*) AS n FROM customers')).rows[0]?.n).toBeGreaterThan(0);
      const denied = (text: string) =>
        console_.query(text).then(
          () => null,
          (e: { code?: string }) => e.code,
        );
      expect(await denied('DROP TABLE customers')).toBe('SANDBOX_DENIED');
      expect(await denied("SELECT * FROM url('http://127.0.0.1:9/x', 'CSV', 'a String')")).toBe(
        'SANDBOX_DENIED',
      );
      expect(await denied('SELECT 1 SETTINGS readonly = 0')).toBe('SANDBOX_DENIED');
    } finally {
      await console_.close();
    }
  });
});
