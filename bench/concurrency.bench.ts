/**
 * Issue 19 load benchmark, through the HTTP API in process (app.request, no network): 8 concurrent
 * count-as-you-type clients (POST /api/segments/count as a viewer), alone and while an upload's import runs
 * as a job. Since each request and job has its own DuckDB connection (isolated sessions), counts run in
 * parallel with each other and next to the import, and none may fail.
 *
 * Each size in BENCH_SIZES is measured in the same run (so a busy machine's figures can be compared with
 * each other): datamart and import file generated in SQL, features built, a warm-up burst, BENCH_RUNS bursts
 * alone (median of their p50 / p95 / p99), then bursts while an import of as many lines as customers runs
 * (median over the bursts that ended before the import did). The load average is printed with the figures.
 *
 * Env: BENCH_SIZES (default "100000,1000000"), BENCH_ROUNDS (default 3), BENCH_RUNS (default 3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures } from '../src/analytics/features/index.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { median, peakRssMiB, percentile } from './util.js';

const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = 8;
const AS_OF = '2026-06-30';

const TYPED = [
  "gender = 'f'",
  "gender = 'f' and age >= 25",
  "gender = 'f' and age between 25 and 40",
  "gender = 'f' and age between 25 and 40 and orders >= 2",
  "gender = 'f' and age between 25 and 40 and orders >= 2 and last_order >= today - 90d",
  "gender = 'f' and age between 25 and 40 and orders >= 3 and country in ('NL', 'BE')",
];

async function generate(engine: DuckDbEngine, CUSTOMERS: number): Promise<void> {
  await engine.exec(`
    INSERT INTO customers (customer_id, gender, birth_date, country, postcode, consent_email, is_prospect, source, load_id)
    SELECT 'C' || i, CASE WHEN hash(i) % 2 = 0 THEN 'f' ELSE 'm' END,
           DATE '1950-01-01' + CAST(hash(i * 7) % 18000 AS INTEGER),
           ['NL', 'BE', 'DE', 'FR'][1 + CAST(hash(i * 3) % 4 AS INTEGER)], CAST(1000 + hash(i * 5) % 8000 AS VARCHAR),
           hash(i * 11) % 10 <> 0, false, 'bench', 1
    FROM range(${CUSTOMERS}) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
    SELECT 'O' || i, 'C' || (hash(i) % ${CUSTOMERS}), DATE '2024-07-01' + CAST(hash(i * 13) % 730 AS INTEGER),
           'web', 20 + hash(i * 19) % 200, 'bench', 1
    FROM range(${CUSTOMERS * 3}) t(i);
  `);
}

/** 8 clients, each typing every expression ROUNDS times; returns the latencies in ms and the failures. */
async function burst(app: Awaited<ReturnType<typeof createApp>>['app'], headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let r = 0; r < ROUNDS; r++)
        for (const expression of TYPED) {
          const t0 = performance.now();
          const res = await app.request('/api/segments/count', {
            method: 'POST',
            headers,
            body: JSON.stringify({ expression }),
          });
          await res.text();
          latencies.push(performance.now() - t0);
          if (res.status !== 200) errors++;
        }
    }),
  );
  return { latencies, errors };
}

type Burst = { latencies: number[]; errors: number };

const load = () => loadavg()[0]!.toFixed(1);

/** Median over bursts of each burst's percentiles. */
function summary(label: string, bursts: Burst[]): string {
  const q = (p: number) => median(bursts.map((b) => percentile(b.latencies, p))).toFixed(0);
  const n = bursts.reduce((s, b) => s + b.latencies.length, 0);
  const errors = bursts.reduce((s, b) => s + b.errors, 0);
  return `${label}: ${bursts.length} bursts, ${n} counts, median p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, errors ${errors}`;
}

async function measure(customers: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-conc-'));
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    await migrate(engine);
    let t = performance.now();
    await generate(engine, customers);
    await buildFeatures(engine, { asOf: AS_OF });
    console.log(
      `${customers} customers: datamart and features in ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`,
    );
    const { app, jobs } = await createApp(engine, { log: () => undefined });
    const viewer = (await createToken(engine, 'bench', 'viewer')).token;
    const admin = (await createToken(engine, 'bench-admin', 'admin')).token;
    const headers = { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' };
    await burst(app, headers); // warm-up
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const alone: Burst[] = [];
    const loadAlone = load();
    for (let r = 0; r < RUNS; r++) alone.push(await burst(app, headers));
    console.log(summary(`  alone (load ${loadAlone} → ${load()})`, alone));
    const rssAfter = process.memoryUsage().rss / 2 ** 20;

    // The import file, written by DuckDB (as many new customers as the datamart has).
    const csv = join(dir, 'new-customers.csv');
    await engine.exec(`COPY (SELECT 'N' || i AS customer_id, 'Name' || i AS first_name, 'n' || i || '@example.com' AS email,
      'NL' AS country FROM range(${customers}) t(i)) TO '${csv}' (HEADER, DELIMITER ',')`);
    const form = new FormData();
    form.set('file', new File([readFileSync(csv)], 'new-customers.csv', { type: 'text/csv' }));
    form.set('target', 'customers');
    t = performance.now();
    const started = await app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    const job = (await started.json()) as { id: string };
    const during: Burst[] = [];
    const loadDuring = load();
    for (let r = 0; r < RUNS && jobs.get(job.id).status === 'running'; r++) {
      const b = await burst(app, headers);
      if (jobs.get(job.id).status === 'running') during.push(b);
    }
    const done = await jobs.wait(job.id);
    console.log(
      summary(`  during a ${customers}-line import (load ${loadDuring} → ${load()})`, during) +
        ` (import ${done.status} in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  RSS before the bursts ${rssBefore.toFixed(0)} MiB, after the bursts alone ${rssAfter.toFixed(0)} MiB, after the import ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(await peakRssMiB()).toFixed(0)} MiB`,
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const size of SIZES) await measure(size);
