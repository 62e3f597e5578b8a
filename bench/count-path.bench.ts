/**
 * Issue 19: where a count-as-you-type request spends its time at BENCH_CUSTOMERS (default 1,000,000, in a
 * datamart file), by
 * process CPU time (user + system, every thread: DuckDB's workers included) and by wall time, one client,
 * median of BENCH_REPEAT (default 15) per step:
 *   SELECT 1 · a session opened and closed · the token check · the setting read (k) · parse + compile
 *   (prepareSegment) · the bare count statement (and the one used before, for the ratio) · countSegment · the
 *   whole HTTP count as a viewer.
 * Then CPU per count at concurrency 8 (one burst of 8 × 6 typed expressions): on a 2-core machine, p95 at
 * concurrency 8 is bound by this figure (8 counts in flight share 2 cores).
 * Two rounds, each with the load average. Figures in bench/RESULTS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures } from '../src/analytics/features/index.js';
import { countSegment, prepareSegment } from '../src/analytics/segments/index.js';
import { authenticate } from '../src/services/http/auth.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, getNumberSetting, migrate } from '../src/store/index.js';
import { generateBenchShop } from './bench-shop.js';
import { median } from './util.js';

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
// A datamart file, as a server has (an in-memory database keeps its strings uncompressed: other figures).
const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-count-'));
const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
await migrate(engine);
await generateBenchShop(engine, { customers: N, orders: N * 3, catalog: false });
await buildFeatures(engine, { asOf: '2026-06-30' });
await engine.exec('CHECKPOINT');
const TYPED = [
  "gender = 'f'",
  "gender = 'f' and age >= 25",
  "gender = 'f' and age between 25 and 40",
  "gender = 'f' and age between 25 and 40 and orders >= 2",
  "gender = 'f' and age between 25 and 40 and orders >= 2 and last_order >= today - 90d",
  "gender = 'f' and age between 25 and 40 and orders >= 3 and country in ('NL', 'BE')",
];
const expr = TYPED[5]!;
const sqlText = String((await countSegment(engine, expr, { includeSql: true })).sql);
// The count as it was before 2026-12-08: one pass with count(*) FILTER (WHERE …) over every row.
const where = /WHERE (.*)\) AS n,/s.exec(sqlText)?.[1];
const oldSql =
  where && `SELECT count(*) FILTER (WHERE ${where}) AS n, count(*) AS total FROM customer_features f`;
const { app } = await createApp(engine, { log: () => undefined });
const viewer = (await createToken(engine, 'v', 'viewer')).token;
const headers = { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' };
const httpCount = async (expression: string) => {
  const res = await app.request('/api/segments/count', {
    method: 'POST',
    headers,
    body: JSON.stringify({ expression }),
  });
  if (res.status !== 200) throw new Error(`count answered ${res.status}: ${await res.text()}`);
  return res.text();
};

/** Median wall ms and median CPU ms (process-wide: every thread) of REPEAT calls. */
async function step(f: () => Promise<unknown>): Promise<string> {
  await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
  }
  return `${median(cpu).toFixed(1)} CPU / ${median(wall).toFixed(1)} wall`;
}

/** CPU ms per count over one burst of 8 concurrent clients typing the 6 expressions. */
async function burstCpu(): Promise<string> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (const e of TYPED) await httpCount(e);
    }),
  );
  const d = process.cpuUsage(c0);
  const n = 8 * TYPED.length;
  return `${((d.user + d.system) / 1000 / n).toFixed(1)} CPU ms per count (${((performance.now() - t0) / n).toFixed(1)} wall ms per count)`;
}

console.log(`N=${N}, repeat ${REPEAT}; figures are ms, median CPU (user+sys, all threads) / median wall`);
for (let round = 0; round < 2; round++) {
  const load0 = loadavg()[0]!.toFixed(1);
  const lines = [
    ['SELECT 1', await step(() => engine.query('SELECT 1'))],
    ['session open + close', await step(async () => (await engine.session()).close())],
    ['token check', await step(() => authenticate(engine, viewer))],
    ['setting read (k)', await step(() => getNumberSetting(engine, 'min_cell_size'))],
    ['prepareSegment (parse, catalog, compile)', await step(() => prepareSegment(engine, expr))],
    ['count statement', await step(() => engine.query(sqlText))],
    ...(oldSql
      ? [['count statement, before (FILTER over every row)', await step(() => engine.query(oldSql))]]
      : []),
    ['countSegment', await step(() => countSegment(engine, expr))],
    ['HTTP count (viewer, one client)', await step(() => httpCount(expr))],
    [
      'HTTP count, 6 typed expressions',
      await step(async () => {
        for (const e of TYPED) await httpCount(e);
      }),
    ],
    ['burst of 8 clients × 6', await burstCpu()],
  ];
  console.log(`round ${round} (load ${load0} → ${loadavg()[0]!.toFixed(1)})`);
  for (const [k, v] of lines) console.log(`  ${k}: ${v}`);
}
await engine.close();
rmSync(dir, { recursive: true, force: true });
