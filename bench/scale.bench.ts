/**
 * Issue 17 scale figures: the pipeline's stages at N order lines on DuckDB and on ClickHouse (in-process
 * through chdb), each engine in its own child process so CPU time and peak RSS are its own.
 *
 * The data is generated once in DuckDB SQL from hashes (deterministic; N/20 customers, N/3.3 orders, 2,000
 * products, 5 campaign events and half a service contact per customer) and written as Parquet. Stages, each
 * timed (wall and process CPU: user + sys of every thread) with its own peak RSS (VmHWM reset through
 * /proc/self/clear_refs before each stage):
 *
 * - import: the Parquet files bulk-loaded into the datamart's tables (the path the ClickHouse import sends
 *   validated rows by; the DuckDB import's own stages are measured in ingest.bench.ts);
 * - features: `customer_features` (buildFeatures); rfm: `customer_rfm` (buildRfm);
 * - segments: `segment count` of a 3-condition expression (median of 3);
 * - clv summary: the BG/NBD per-customer summary (frequency, recency, age, mean spend) aggregated in SQL;
 * - basket summary: the item dictionary and the encoded (basket, item) pairs counted in SQL.
 *
 * Opt-in by size: `BENCH_SCALE_LINES` (default 1,000,000; 10,000,000 and 100,000,000 were run for
 * RESULTS.md), `BENCH_SCALE_ENGINES` (default `duckdb,chdb`; chdb is skipped with a message when absent).
 *   nice -n 5 env BENCH_SCALE_LINES=10000000 node bench/run.mjs scale
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSource, encodedPairsSql, itemDictionarySql } from '../src/analytics/basket/sql.js';
import { summarySql } from '../src/analytics/clv/sql.js';
import { buildFeatures } from '../src/analytics/features/index.js';
import { buildRfm } from '../src/analytics/rfm/index.js';
import { countSegment } from '../src/analytics/segments/index.js';
import {
  TABLES as DATAMART,
  DuckDbEngine,
  hasParquetTransfer,
  ident,
  migrate,
  openDatamart,
  sql,
  stringLiteral,
} from '../src/store/index.js';
import { cpuSecondsSince, median, peakRssMiB } from './util.js';

const LINES = Number(process.env.BENCH_SCALE_LINES ?? 1_000_000);
const CUSTOMERS = Math.max(1000, Math.round(LINES / 20));
const ORDERS = Math.round(LINES / 3.3);
const AS_OF = '2026-06-30';
const TABLES = [
  'customers',
  'products',
  'orders',
  'order_lines',
  'campaigns',
  'campaign_events',
  'service_contacts',
];

interface Stage {
  stage: string;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  detail?: string;
}

/** Resets this process's peak RSS (VmHWM) so the next stage's peak is its own (Linux). */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux or not allowed: peaks then accumulate over the stages (said in the output).
  }
}

async function stage(name: string, fn: () => Promise<string | undefined>): Promise<Stage> {
  resetPeakRss();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const detail = await fn();
  const out = {
    stage: name,
    wallSeconds: (performance.now() - start) / 1000,
    cpuSeconds: cpuSecondsSince(cpu),
    peakRssMiB: await peakRssMiB(),
    ...(detail ? { detail } : {}),
  };
  console.error(
    `  ${name}: ${out.wallSeconds.toFixed(1)} s wall, ${out.cpuSeconds.toFixed(1)} s CPU, ${out.peakRssMiB.toFixed(0)} MiB${detail ? ` (${detail})` : ''}`,
  );
  return out;
}

/** One engine's run (in a child process): load the Parquet files, then every stage. */
async function child(engineName: string, dir: string): Promise<void> {
  const db = engineName === 'chdb' ? `chdb:${join(dir, 'ch')}` : join(dir, 'bench.duckdb');
  const engine = await openDatamart({ db });
  const stages: Stage[] = [];
  try {
    stages.push(
      await stage('import', async () => {
        for (const t of TABLES) {
          const file = join(dir, `${t}.parquet`);
          if (hasParquetTransfer(engine)) await engine.importParquet(t, file);
          else
            await engine.exec(
              sql`INSERT INTO ${ident(t)} SELECT * FROM read_parquet(${stringLiteral(file)})`,
            );
        }
        const [n] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM order_lines');
        return `${n?.n} order lines`;
      }),
    );
    stages.push(
      await stage('features', async () => `${(await buildFeatures(engine, { asOf: AS_OF })).rows} customers`),
    );
    stages.push(await stage('rfm', async () => `${(await buildRfm(engine, { asOf: AS_OF })).rows} rows`));
    stages.push(
      await stage('segments count', async () => {
        const times: number[] = [];
        let count = 0;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          count = (await countSegment(engine, "gender = 'f' and age between 25 and 40 and orders >= 2"))
            .count;
          times.push((performance.now() - t) / 1000);
        }
        return `${count} customers, median ${median(times).toFixed(2)} s of 3`;
      }),
    );
    stages.push(
      await stage('clv summary', async () => {
        const [r] = await engine.query<{ n: number; x: number }>(
          sql`SELECT count(*) AS n, sum(x) AS x FROM (${summarySql(engine.dialect, { calibrationEnd: AS_OF, unit: 'week' })}) s`,
        );
        return `${r?.n} customers, ${r?.x} repeat purchases`;
      }),
    );
    stages.push(
      await stage('basket summary', async () => {
        const d = engine.dialect;
        const [items] = await engine.query<{ n: number }>(
          sql`SELECT count(*) AS n FROM (${itemDictionarySql(d, defaultSource)}) i`,
        );
        const [pairs] = await engine.query<{ n: number; b: number }>(
          sql`SELECT count(*) AS n, count(DISTINCT basket) AS b FROM (${encodedPairsSql(d, defaultSource, 1)}) p`,
        );
        return `${items?.n} items, ${pairs?.b} baskets, ${pairs?.n} pairs`;
      }),
    );
  } finally {
    await engine.close();
  }
  process.stdout.write(`${JSON.stringify({ engine: engineName, stages })}\n`);
}

/** Writes the synthetic shop as Parquet files, generated in DuckDB SQL. */
async function generate(dir: string): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const L = `'bench' AS source, 1 AS load_id`;
    const cid = (x: string) => `'C' || lpad(CAST((${x}) AS VARCHAR), 8, '0')`;
    await engine.exec(`SET preserve_insertion_order = false;
CREATE TABLE customers AS SELECT ${cid('i')} AS customer_id, NULL::VARCHAR AS first_name, NULL::VARCHAR AS last_name,
  'c' || i || '@example.com' AS email, 'c' || i || '@example.com' AS email_norm, NULL::VARCHAR AS phone, NULL::VARCHAR AS phone_norm,
  DATE '1950-01-01' + CAST(h % 20000 AS INTEGER) AS birth_date, CASE h % 2 WHEN 0 THEN 'f' ELSE 'm' END AS gender,
  ['low', 'middle', 'high', 'very high'][1 + CAST((h >> 8) % 4 AS INTEGER)] AS income_band, NULL::VARCHAR AS occupation,
  NULL::VARCHAR AS education, NULL::VARCHAR AS street, lpad(CAST(1000 + (h >> 12) % 9000 AS VARCHAR), 4, '0') AS postcode,
  NULL::VARCHAR AS city, NULL::VARCHAR AS region, 'NL' AS country, (h >> 20) % 10 < 7 AS consent_email,
  (h >> 24) % 10 < 3 AS consent_sms, NULL::BOOLEAN AS consent_phone, NULL::BOOLEAN AS consent_post,
  TIMESTAMP '2020-01-01' + to_days(CAST((h >> 28) % 2000 AS INTEGER)) AS created_at, false AS is_prospect,
  NULL::VARCHAR AS signup_source, ${L}
FROM (SELECT i, hash(i) AS h FROM range(${CUSTOMERS}) t(i));`);
    // Column order must match the datamart's: read it from a migrated DuckDB and select in that order.
    const shape = await DuckDbEngine.open(':memory:');
    await migrate(shape);
    const columnsOf = async (t: string) =>
      (
        await shape.query<{ c: string }>(
          sql`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${t} ORDER BY ordinal_position`,
        )
      ).map((r) => r.c);
    await engine.exec(`
CREATE TABLE products AS SELECT 'S' || i AS sku, 'Product ' || i AS name,
  ['Women', 'Men', 'Kids', 'Home', 'Beauty', 'Sports', 'Books', 'Garden', 'Toys', 'Food'][1 + i % 10] || ' > Sub ' || (i % 7) AS category_path,
  5 + (i % 200) AS price, (5 + (i % 200)) * 0.55 AS unit_cost, ${L} FROM range(2000) t(i);
CREATE TABLE orders AS SELECT 'O' || i AS order_id, ${cid(`h % ${CUSTOMERS}`)} AS customer_id,
  DATE '${AS_OF}' - CAST((h >> 20) % 1095 AS INTEGER) AS order_date,
  ['web', 'store', 'app', 'phone'][1 + CAST((h >> 32) % 4 AS INTEGER)] AS channel,
  CASE WHEN (h >> 36) % 5 = 0 THEN 'PROMO' END AS promo_code, CASE WHEN (h >> 36) % 5 = 0 THEN 5 ELSE 0 END AS discount,
  CASE WHEN (h >> 40) % 50 = 0 THEN 'cancelled' ELSE 'completed' END AS status, ${L}
FROM (SELECT i, hash(i * 31 + 7) AS h FROM range(${ORDERS}) t(i));
CREATE TABLE order_lines AS SELECT 'O' || (j % ${ORDERS}) AS order_id, CAST(j // ${ORDERS} + 1 AS INTEGER) AS line_no,
  'S' || (h % 2000) AS sku, 1 + (h >> 16) % 3 AS quantity, 5 + ((h % 2000) % 200) AS unit_price, 0 AS discount,
  CASE WHEN (h >> 24) % 20 = 0 THEN 1 ELSE 0 END AS returned_quantity, ${L}
FROM (SELECT j, hash(j * 17 + 3) AS h FROM range(${LINES}) t(j));
CREATE TABLE campaigns AS SELECT 'K' || i AS campaign_id, 'Campaign ' || i AS name, ['email', 'sms', 'post'][1 + i % 3] AS channel,
  DATE '${AS_OF}' - CAST(30 * i AS INTEGER) AS start_date, ${L} FROM range(36) t(i);
CREATE TABLE campaign_events AS SELECT 'K' || (h % 36) AS campaign_id, ${cid(`(h >> 8) % ${CUSTOMERS}`)} AS customer_id,
  ['sent', 'sent', 'sent', 'sent', 'delivered', 'open', 'open', 'click', 'unsubscribe', 'conversion'][1 + CAST((h >> 40) % 10 AS INTEGER)] AS event_type,
  TIMESTAMP '${AS_OF}' - to_days(CAST((h >> 44) % 1000 AS INTEGER)) AS event_time, ${L}
FROM (SELECT i, hash(i * 13 + 5) AS h FROM range(${CUSTOMERS * 5}) t(i));
CREATE TABLE service_contacts AS SELECT 'S' || i AS contact_id, ${cid(`h % ${CUSTOMERS}`)} AS customer_id,
  TIMESTAMP '${AS_OF}' - to_days(CAST((h >> 30) % 1000 AS INTEGER)) AS contact_time, 'phone' AS channel,
  1 + (h >> 20) % 5 AS satisfaction, ${L}
FROM (SELECT i, hash(i * 11 + 1) AS h FROM range(${Math.round(CUSTOMERS / 2)}) t(i));`);
    for (const t of TABLES) {
      const have = new Set(
        (
          await engine.query<{ c: string }>(
            sql`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${t}`,
          )
        ).map((r) => r.c),
      );
      const cols = await columnsOf(t);
      // Every datamart column, in order: generated ones by name, the rest NULL cast to the datamart's type.
      const types = await shape.query<{ c: string; t: string }>(
        sql`SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = ${t} ORDER BY ordinal_position`,
      );
      const defaults = new Map(DATAMART[t]!.columns.map((c) => [c.name, c.default]));
      const missing = (c: string) => {
        const d = defaults.get(c);
        return d === undefined ? 'NULL' : typeof d === 'string' ? `'${d}'` : String(d);
      };
      const list = cols
        .map((c, i) => `CAST(${have.has(c) ? `"${c}"` : missing(c)} AS ${types[i]!.t}) AS "${c}"`)
        .join(', ');
      await engine.exec(`COPY (SELECT ${list} FROM ${t}) TO '${join(dir, `${t}.parquet`)}' (FORMAT parquet)`);
    }
    await shape.close();
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const [mode, engineName, dirArg] = process.argv.slice(2);
  if (mode === '--child') return child(String(engineName), String(dirArg));
  const engines = (process.env.BENCH_SCALE_ENGINES ?? 'duckdb,chdb').split(',');
  const specifier = 'chdb';
  const haveChdb = await import(specifier).then(
    () => true,
    () => false,
  );
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-scale-'));
  try {
    const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `scale bench: ${LINES} order lines, ${ORDERS} orders, ${CUSTOMERS} customers; load ${load()}`,
    );
    const gen = performance.now();
    await generate(dir);
    console.log(`generated and written as Parquet in ${((performance.now() - gen) / 1000).toFixed(1)} s`);
    const results: { engine: string; stages: Stage[] }[] = [];
    for (const name of engines) {
      if (name === 'chdb' && !haveChdb) {
        console.log('chdb is not installed: ClickHouse skipped (npm install --no-save chdb@3.4.0)');
        continue;
      }
      const work = join(dir, name);
      mkdirSync(work, { recursive: true });
      for (const t of TABLES) copyFileSync(join(dir, `${t}.parquet`), join(work, `${t}.parquet`));
      console.log(`${name} (load ${load()}):`);
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', import.meta.filename, '--child', name, work],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 1 << 24,
          env: { ...process.env, TZ: 'UTC' },
        },
      );
      if (r.status !== 0) {
        console.log(`${name} failed (exit ${r.status})`);
        continue;
      }
      results.push(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'));
      rmSync(work, { recursive: true, force: true });
    }
    const [duck, ch] = [results.find((r) => r.engine === 'duckdb'), results.find((r) => r.engine === 'chdb')];
    console.log(
      `\n| stage | DuckDB wall / CPU s | DuckDB peak RSS MiB | chdb wall / CPU s | chdb peak RSS MiB | chdb/DuckDB wall |`,
    );
    console.log(`|---|---|---|---|---|---|`);
    for (const s of (duck ?? ch)?.stages ?? []) {
      const a = duck?.stages.find((x) => x.stage === s.stage);
      const b = ch?.stages.find((x) => x.stage === s.stage);
      const cell = (x?: Stage) => (x ? `${x.wallSeconds.toFixed(1)} / ${x.cpuSeconds.toFixed(1)}` : 'n/a');
      const rss = (x?: Stage) => (x ? x.peakRssMiB.toFixed(0) : 'n/a');
      const ratio = a && b ? (b.wallSeconds / a.wallSeconds).toFixed(2) : 'n/a';
      console.log(`| ${s.stage} | ${cell(a)} | ${rss(a)} | ${cell(b)} | ${rss(b)} | ${ratio} |`);
    }
    console.log(`load at end ${load()}`);
    console.log(JSON.stringify({ lines: LINES, orders: ORDERS, customers: CUSTOMERS, results }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
