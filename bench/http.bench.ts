/**
 * Issue 7 benchmarks, through the HTTP API in process (app.request, no network):
 * - count-as-you-type: POST /api/segments/count for each prefix-complete expression an analyst types,
 *   on 1,000,000 customers after the feature table is built (target p95 < 150 ms);
 * - first page load of the overview: GET / (the dashboard) + GET /api/overview, cold and warm.
 * Synthetic data is generated in DuckDB SQL from hashes (deterministic).
 *
 * Env: BENCH_CUSTOMERS (default 1,000,000), BENCH_ORDERS (default 3,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures } from '../src/analytics/features/index.js';
import { buildRfm } from '../src/analytics/rfm/index.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { generateBenchShop } from './bench-shop.js';
import { median, peakRssMiB, percentile, time } from './util.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 3_000_000);
const AS_OF = '2026-06-30';
const WEB_DIST = join(import.meta.dirname, '..', 'web', 'dist');

/** What an analyst types, one keystroke-completed condition at a time (each a valid expression). */
const TYPED = [
  "gender = 'f'",
  "gender = 'f' and age >= 25",
  "gender = 'f' and age between 25 and 40",
  "gender = 'f' and age between 25 and 40 and orders >= 2",
  "gender = 'f' and age between 25 and 40 and orders >= 2 and last_order >= today - 90d",
  "gender = 'f' and age between 25 and 40 and orders >= 2 and last_order >= today - 180d",
  "gender = 'f' and age between 25 and 40 and orders >= 3 and last_order >= today - 180d",
  "gender = 'f' and age between 25 and 40 and orders >= 3 and country in ('NL', 'BE')",
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-http-'));
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    await migrate(engine);
    const gen = await time(() =>
      generateBenchShop(engine, { customers: CUSTOMERS, orders: ORDERS, catalog: true }),
    );
    console.log(`generated ${CUSTOMERS} customers, ${ORDERS} orders in ${gen.seconds.toFixed(1)} s`);
    const build = await time(async () => {
      await buildFeatures(engine, { asOf: AS_OF });
      await buildRfm(engine, { asOf: AS_OF });
    });
    console.log(`feature table + RFM: ${build.seconds.toFixed(1)} s`);
    const { app } = await createApp(engine, { staticDir: WEB_DIST, log: () => undefined });
    const token = (await createToken(engine, 'bench', 'analyst')).token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const first = await time(async () => {
      const page = await app.request('/');
      await page.text();
      const res = await app.request('/api/overview', { headers });
      if (res.status !== 200) throw new Error(`overview: ${res.status} ${await res.text()}`);
      return res.json();
    });
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      warm.push(
        (await time(async () => (await app.request('/api/overview', { headers })).json())).seconds * 1000,
      );
    }
    console.log(
      `overview first load ${(first.seconds * 1000).toFixed(0)} ms (index.html + /api/overview); warm median ${median(warm).toFixed(0)} ms`,
    );

    const latencies: number[] = [];
    for (let round = 0; round < 8; round++) {
      for (const expression of TYPED) {
        const r = await time(async () => {
          const res = await app.request('/api/segments/count', {
            method: 'POST',
            headers,
            body: JSON.stringify({ expression }),
          });
          if (res.status !== 200) throw new Error(`count: ${res.status} ${await res.text()}`);
          return res.json();
        });
        if (round > 0) latencies.push(r.seconds * 1000);
      }
    }
    console.log(
      `count as you type (${latencies.length} requests, ${TYPED.length} expressions): p50 ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms (target < 150 ms)`,
    );
    console.log(`peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
