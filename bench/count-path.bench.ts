/**
 * Issue 19: where a count-as-you-type request spends its time at BENCH_CUSTOMERS (default 1,000,000), one
 * client, median of 9 per step: the bare count statement, countSegment without the catalog cache (an engine
 * that cannot tell a tables version), countSegment with it, the whole HTTP request as a viewer, and SELECT 1.
 * Two rounds, each with the load average. Figures in bench/RESULTS.md.
 */
import { loadavg } from 'node:os';
import { buildFeatures } from '../src/analytics/features/index.js';
import { countSegment } from '../src/analytics/segments/index.js';
import { createApp, createToken } from '../src/services/http/index.js';
import type { Engine } from '../src/store/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const engine = await DuckDbEngine.open(':memory:');
await migrate(engine);
await engine.exec(`
    INSERT INTO customers (customer_id, gender, birth_date, country, postcode, consent_email, is_prospect, source, load_id)
    SELECT 'C' || i, CASE WHEN hash(i) % 2 = 0 THEN 'f' ELSE 'm' END,
           DATE '1950-01-01' + CAST(hash(i * 7) % 18000 AS INTEGER),
           ['NL', 'BE', 'DE', 'FR'][1 + CAST(hash(i * 3) % 4 AS INTEGER)], CAST(1000 + hash(i * 5) % 8000 AS VARCHAR),
           hash(i * 11) % 10 <> 0, false, 'bench', 1
    FROM range(${N}) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
    SELECT 'O' || i, 'C' || (hash(i) % ${N}), DATE '2024-07-01' + CAST(hash(i * 13) % 730 AS INTEGER),
           'web', 20 + hash(i * 19) % 200, 'bench', 1
    FROM range(${N * 3}) t(i);`);
await buildFeatures(engine, { asOf: '2026-06-30' });
const expr = "gender = 'f' and age between 25 and 40 and orders >= 3 and country in ('NL', 'BE')";
const nocache: Engine = {
  dialect: engine.dialect,
  location: engine.location,
  query: (q) => engine.query(q),
  queryColumns: (q) => engine.queryColumns(q),
  exec: (q) => engine.exec(q),
  transaction: (f) => engine.transaction(f),
  close: async () => undefined,
};
const sqlText = String((await countSegment(engine, expr, { includeSql: true })).sql);
const { app } = await createApp(engine, { log: () => undefined });
const viewer = (await createToken(engine, 'v', 'viewer')).token;
const headers = { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' };
const rows: string[] = [];
const med = async (f: () => Promise<unknown>) => {
  const xs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return xs[4]!.toFixed(1);
};
for (let round = 0; round < 2; round++) {
  rows.push(
    `round ${round} load ${loadavg()[0]!.toFixed(1)}: count SQL ${await med(() => engine.query(sqlText))} ms; ` +
      `countSegment without cache ${await med(() => countSegment(nocache, expr))} ms; with cache ${await med(() => countSegment(engine, expr))} ms; ` +
      `HTTP viewer count (one client) ${await med(async () => (await app.request('/api/segments/count', { method: 'POST', headers, body: JSON.stringify({ expression: expr }) })).text())} ms; ` +
      `SELECT 1 ${await med(() => engine.query('SELECT 1'))} ms`,
  );
}
console.log(`N=${N}`);
for (const r of rows) console.log(r);
