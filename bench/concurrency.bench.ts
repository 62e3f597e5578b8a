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
 * With each phase: process CPU (user + system, all threads) per count, and memory: RSS at the baseline (after
 * the warm-up, once the server released what it freed), the peak during the phase, and RSS once the server has
 * been idle ~3 s after it (it releases DuckDB's freed pages after 1 s idle), with DuckDB's own count
 * (`duckdb_memory()`) and its memory limit.
 *
 * Env: BENCH_SIZES (default "100000,1000000"), BENCH_ROUNDS (default 3), BENCH_RUNS (default 3).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures } from '../src/analytics/features/index.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { generateBenchShop } from './bench-shop.js';
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
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

/** Starts a new peak (Linux: writing 5 to clear_refs resets VmHWM); false where it cannot. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** DuckDB's own accounting (MiB) and its memory limit, read on a session of its own. */
async function duckdbMemory(engine: DuckDbEngine): Promise<string> {
  const s = await engine.session();
  try {
    const [row] = await s.query<{ b: number; limit: string }>(
      `SELECT CAST(sum(memory_usage_bytes) AS BIGINT) AS b, current_setting('memory_limit') AS limit FROM duckdb_memory()`,
    );
    return `DuckDB ${(Number(row?.b ?? 0) / 2 ** 20).toFixed(0)} MiB (limit ${row?.limit})`;
  } finally {
    await s.close();
  }
}

/** Waits until the server has released memory after going idle (or 5 s), then ~2 s more. */
async function settle(releases: () => number, before: number): Promise<void> {
  for (let i = 0; i < 50 && releases() <= before; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
}

/** CPU ms per count over the phase. */
const cpuPerCount = (start: NodeJS.CpuUsage, bursts: Burst[]) => {
  const d = process.cpuUsage(start);
  const n = bursts.reduce((s, b) => s + b.latencies.length, 0);
  return n ? ((d.user + d.system) / 1000 / n).toFixed(1) : '–';
};

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
    await generateBenchShop(engine, { customers, orders: customers * 3, catalog: false });
    await buildFeatures(engine, { asOf: AS_OF });
    console.log(
      `${customers} customers: datamart and features in ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`,
    );
    const { app, jobs, memoryReleases } = await createApp(engine, { log: () => undefined });
    const viewer = (await createToken(engine, 'bench', 'viewer')).token;
    const admin = (await createToken(engine, 'bench-admin', 'admin')).token;
    const headers = { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' };
    await burst(app, headers); // warm-up
    await settle(memoryReleases, 0);
    const rssBase = rssMiB();
    const duckBase = await duckdbMemory(engine);
    const peaks = resetPeak();
    const alone: Burst[] = [];
    const loadAlone = load();
    let cpu0 = process.cpuUsage();
    for (let r = 0; r < RUNS; r++) alone.push(await burst(app, headers));
    console.log(
      `${summary(`  alone (load ${loadAlone} → ${load()})`, alone)}, CPU ${cpuPerCount(cpu0, alone)} ms per count`,
    );
    const peakAlone = await peakRssMiB();
    let releases = memoryReleases();
    await settle(memoryReleases, releases);
    const rssAfterAlone = rssMiB();
    const duckAfterAlone = await duckdbMemory(engine);

    // The import file, written by DuckDB (as many new customers as the datamart has).
    const csv = join(dir, 'new-customers.csv');
    await engine.exec(`COPY (SELECT 'N' || i AS customer_id, 'Name' || i AS first_name, 'n' || i || '@example.com' AS email,
      'NL' AS country FROM range(${customers}) t(i)) TO '${csv}' (HEADER, DELIMITER ',')`);
    if (peaks) resetPeak();
    t = performance.now();
    // The upload streams from the file on disk (as a browser or curl sends it): the bench holds no copy of
    // the file, so the memory measured is the server's.
    const upload = async () => {
      const boundary = 'clienteleBench7c1f';
      const enc = new TextEncoder();
      const head = enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\ncustomers\r\n--${boundary}\r\n` +
          `Content-Disposition: form-data; name="file"; filename="new-customers.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      );
      const tail = enc.encode(`\r\n--${boundary}--\r\n`);
      const file = createReadStream(csv)[Symbol.asyncIterator]();
      let state = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (state === 0) {
            state = 1;
            controller.enqueue(head);
            return;
          }
          const next = state === 1 ? await file.next() : { done: true, value: undefined };
          if (!next.done) controller.enqueue(new Uint8Array(next.value as Buffer));
          else if (state === 1) {
            state = 2;
            controller.enqueue(tail);
            controller.close();
          }
        },
      });
      return app.request('/api/imports', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${admin}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: 'half',
      } as RequestInit);
    };
    const started = await upload();
    const job = (await started.json()) as { id: string };
    const during: Burst[] = [];
    const loadDuring = load();
    cpu0 = process.cpuUsage();
    for (let r = 0; r < RUNS && jobs.get(job.id).status === 'running'; r++) {
      const b = await burst(app, headers);
      if (jobs.get(job.id).status === 'running') during.push(b);
    }
    const cpuDuring = cpuPerCount(cpu0, during);
    const done = await jobs.wait(job.id);
    console.log(
      `${summary(`  during a ${customers}-line import (load ${loadDuring} → ${load()})`, during)}, CPU ${cpuDuring} ms per count (with the import's) (import ${done.status} in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    const rssAtEnd = rssMiB();
    const peakImport = await peakRssMiB();
    releases = memoryReleases();
    await settle(memoryReleases, releases);
    console.log(
      `  memory: baseline RSS ${rssBase.toFixed(0)} MiB, ${duckBase}; bursts alone: peak ${peaks ? peakAlone.toFixed(0) : '?'} MiB, after ${rssAfterAlone.toFixed(0)} MiB (${duckAfterAlone}); ` +
        `import + bursts: peak ${peakImport.toFixed(0)} MiB, at its end ${rssAtEnd.toFixed(0)} MiB, after ${rssMiB().toFixed(0)} MiB (${await duckdbMemory(engine)}); releases ${memoryReleases()}`,
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const size of SIZES) await measure(size);
