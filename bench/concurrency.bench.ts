/**
 * Issue 19 load benchmark, through the HTTP API in process (app.request, no network): 8 concurrent
 * count-as-you-type clients (POST /api/segments/count as a viewer), alone and while an upload's import runs
 * as a job. Since each request and job has its own DuckDB connection (isolated sessions), counts run in
 * parallel with each other and next to the import, and none may fail.
 *
 * Env: BENCH_CUSTOMERS (default 1,000,000), BENCH_IMPORT_ROWS (default 1,000,000), BENCH_ROUNDS (default 5).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures } from '../src/analytics/features/index.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { peakRssMiB, percentile } from './util.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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

async function generate(engine: DuckDbEngine): Promise<void> {
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

function line(label: string, b: { latencies: number[]; errors: number }): string {
  const p = (q: number) => percentile(b.latencies, q).toFixed(0);
  return `${label}: ${b.latencies.length} counts, p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, errors ${b.errors}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-conc-'));
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    await migrate(engine);
    await generate(engine);
    await buildFeatures(engine, { asOf: AS_OF });
    const { app, jobs } = await createApp(engine, { log: () => undefined });
    const viewer = (await createToken(engine, 'bench', 'viewer')).token;
    const admin = (await createToken(engine, 'bench-admin', 'admin')).token;
    const headers = { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' };
    await burst(app, headers); // warm-up
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const alone = await burst(app, headers);
    console.log(line('alone', alone));

    const csv = join(dir, 'new-customers.csv');
    const rows = ['customer_id,first_name,email,country'];
    for (let i = 0; i < IMPORT_ROWS; i++) rows.push(`N${i},Name${i},n${i}@example.com,NL`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const form = new FormData();
    form.set('file', new File([readFileSync(csv)], 'new-customers.csv', { type: 'text/csv' }));
    form.set('target', 'customers');
    const started = await app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    const job = (await started.json()) as { id: string };
    const during = await burst(app, headers);
    const runningAtEnd = jobs.get(job.id).status === 'running';
    console.log(
      line(
        `during a ${IMPORT_ROWS}-line import${runningAtEnd ? '' : ' (ended before the burst did)'}`,
        during,
      ),
    );
    const done = await jobs.wait(job.id);
    console.log(`import job: ${done.status}`);
    const rssAfter = process.memoryUsage().rss / 2 ** 20;
    console.log(
      `RSS before the bursts ${rssBefore.toFixed(0)} MiB, after ${rssAfter.toFixed(0)} MiB, peak ${(await peakRssMiB()).toFixed(0)} MiB`,
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
