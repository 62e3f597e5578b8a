/**
 * Issue 3 benchmarks: building the customer feature view for 1,000,000 customers / 20,000,000 order lines,
 * `segment count` latency for a 3-condition expression on 1M customers (p50/p95 of 50 runs after the
 * feature table is built), k-means on 1M customers × 8 features (time, peak RSS) against scikit-learn on the
 * same standardised matrix, and k-means inertia on standardised RFM of the demo data against scikit-learn
 * (same k, n_init = 10). Synthetic data is generated in DuckDB SQL from hashes (deterministic).
 *
 * Env: BENCH_CUSTOMERS (default 1,000,000), BENCH_LINES (20,000,000), PYTHON (default /usr/bin/python3),
 * BENCH_PARTS (build,count,kmeans,demo).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseTransforms, clusterInputSql, fitScaling, kMeans } from '../src/analytics/clusters/index.js';
import { buildFeatures } from '../src/analytics/features/index.js';
import { buildRfm } from '../src/analytics/rfm/index.js';
import { countSegment } from '../src/analytics/segments/index.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { generateDemo } from '../src/demo/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { median, peakRssMiB, percentile, time } from './util.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const LINES = Number(process.env.BENCH_LINES ?? 20_000_000);
const ORDERS = Math.round(LINES / 3.3);
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const AS_OF = '2026-06-30';
/** Which parts to run: build,count,kmeans,demo (default all; count and kmeans need build). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'build,count,kmeans,demo').split(','));

const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-segments-'));
const results: Record<string, unknown> = { customers: CUSTOMERS, orderLines: LINES, orders: ORDERS };

async function main(): Promise<void> {
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    await migrate(engine);
    const gen = await time(() => generate(engine));
    console.log(
      `generated ${CUSTOMERS} customers, ${ORDERS} orders, ${LINES} lines in ${gen.seconds.toFixed(1)} s`,
    );

    const build = await time(() => buildFeatures(engine, { asOf: AS_OF }));
    const rssBuild = await peakRssMiB();
    console.log(
      `feature view: ${build.seconds.toFixed(1)} s, ${build.result.rows} rows, peak RSS ${rssBuild.toFixed(0)} MiB`,
    );
    const rfm = await time(() => buildRfm(engine, { asOf: AS_OF }));
    console.log(`customer_rfm: ${rfm.seconds.toFixed(1)} s`);
    results.featureBuildSeconds = build.seconds;
    results.rfmBuildSeconds = rfm.seconds;
    results.peakRssAfterBuildMiB = rssBuild;

    if (!PARTS.has('count')) return;
    const expression = "gender = 'f' and age between 25 and 40 and last_order >= today - 90d";
    for (let i = 0; i < 5; i++) await countSegment(engine, expression);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 50; i++) {
      const r = await time(() => countSegment(engine, expression));
      times.push(r.seconds * 1000);
      count = r.result.count;
    }
    results.count = { expression, count, p50Ms: median(times), p95Ms: percentile(times, 0.95) };
    console.log(
      `segment count "${expression}" = ${count}: p50 ${median(times).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`,
    );
    const rfmCount = [];
    for (let i = 0; i < 20; i++)
      rfmCount.push(
        (
          await time(() =>
            countSegment(engine, "rfm_segment in ('Champions', 'Loyal') and orders >= 3 and consent_email"),
          )
        ).seconds * 1000,
      );
    results.countWithRfm = { p50Ms: median(rfmCount), p95Ms: percentile(rfmCount, 0.95) };
    console.log(
      `segment count with an RFM join: p50 ${median(rfmCount).toFixed(1)} ms, p95 ${percentile(rfmCount, 0.95).toFixed(1)} ms`,
    );

    if (PARTS.has('kmeans')) await kmeansBench(engine);
  } finally {
    await engine.close();
  }
  if (PARTS.has('demo')) await demoInertia();
  console.log(JSON.stringify(results, null, 2));
  rmSync(dir, { recursive: true, force: true });
}

async function kmeansBench(engine: DuckDbEngine): Promise<void> {
  const features = [
    'recency_days',
    'orders',
    'revenue',
    'aov',
    'tenure_days',
    'promo_share',
    'return_rate',
    'email_open_rate',
  ];
  const cols = await engine.queryColumns(clusterInputSql('customer_features', features, [], false));
  const numeric = features.map((f) => cols[f] as (number | null)[]);
  const { data, n, d } = fitScaling(features, numeric, chooseTransforms(numeric));
  const rssBefore = await peakRssMiB();
  for (const nInit of [1, 3]) {
    const fit = await time(() =>
      kMeans(data, n, d, { k: 8, nInit, maxIter: 300, tol: 1e-4, seedSample: 100_000 }, createRng(1)),
    );
    const rss = await peakRssMiB();
    console.log(
      `k-means ${n} × ${d}, k = 8, n_init = ${nInit}: ${fit.seconds.toFixed(1)} s, ${fit.result.iterations} iterations (last run), inertia ${fit.result.inertia.toFixed(0)}, peak RSS ${rss.toFixed(0)} MiB`,
    );
    results[`kmeans_nInit${nInit}`] = {
      n,
      d,
      seconds: fit.seconds,
      inertia: fit.result.inertia,
      iterations: fit.result.iterations,
      peakRssMiB: rss,
      peakRssBeforeMiB: rssBefore,
    };
  }
  const bin = join(dir, 'x.f64');
  writeFileSync(bin, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  for (const nInit of [1, 3]) {
    const py = python(['bin', bin, String(n), String(d), '8', String(nInit)]);
    if (py) {
      const ours = results[`kmeans_nInit${nInit}`] as { seconds: number; inertia: number };
      console.log(
        `scikit-learn ${py.sklearn} KMeans n_init = ${nInit}: ${py.seconds.toFixed(1)} s, inertia ${py.inertia.toFixed(0)}; time ratio ours/sklearn ${(ours.seconds / py.seconds).toFixed(2)}, inertia ratio ${(ours.inertia / py.inertia).toFixed(4)}`,
      );
      results[`sklearn_nInit${nInit}`] = py;
    }
  }
}

/** Standardised RFM of the demo shop (5,000 customers, seed 42), k = 5, n_init = 10: inertia vs scikit-learn. */
async function demoInertia(): Promise<void> {
  const demoDir = join(dir, 'demo');
  await generateDemo({ customers: 5000, seed: 42, outDir: demoDir, asOf: AS_OF });
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const rows =
      await engine.queryColumns(`SELECT date_diff('day', max(od), DATE '${AS_OF}') AS recency, count(*) AS frequency, sum(tot) AS monetary
      FROM (SELECT customer_id, status, TRY_CAST(order_date AS DATE) AS od, TRY_CAST(total AS DOUBLE) AS tot
            FROM read_csv('${join(demoDir, 'orders.csv')}', header = true, all_varchar = true))
      WHERE status <> 'cancelled' AND od IS NOT NULL AND tot IS NOT NULL
      GROUP BY customer_id ORDER BY customer_id`);
    const columns = [rows.recency, rows.frequency, rows.monetary] as number[][];
    const n = columns[0]!.length;
    writeFileSync(
      join(dir, 'rfm.csv'),
      `recency,frequency,monetary\n${columns[0]!.map((_, i) => columns.map((c) => c[i]).join(',')).join('\n')}\n`,
    );
    const { data } = fitScaling(['recency', 'frequency', 'monetary'], columns, ['none', 'none', 'none']);
    for (const k of [4, 5, 6]) {
      const fit = kMeans(data, n, 3, { k, nInit: 10, maxIter: 300, tol: 1e-4, seedSample: n }, createRng(42));
      const py = python(['csv', join(dir, 'rfm.csv'), String(k), '10']);
      const ratio = py ? fit.inertia / py.inertia : null;
      console.log(
        `demo RFM (${n} buyers, standardised), k = ${k}, n_init = 10: ours ${fit.inertia.toFixed(2)}, scikit-learn ${py?.inertia.toFixed(2) ?? 'n/a'}, ratio ${ratio?.toFixed(4) ?? 'n/a'}`,
      );
      results[`demoRfm_k${k}`] = { n, ours: fit.inertia, sklearn: py?.inertia ?? null, ratio };
    }
  } finally {
    await engine.close();
  }
}

function python(args: string[]): { inertia: number; seconds: number; sklearn: string } | null {
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'sklearn_kmeans.py'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    console.log(
      `scikit-learn not available (${PYTHON}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); install python3-sklearn to compare.`,
    );
    return null;
  }
  return JSON.parse(r.stdout.trim());
}

async function generate(engine: DuckDbEngine): Promise<void> {
  const L = `'bench', 1`;
  await engine.exec(`
INSERT INTO customers (customer_id, gender, birth_date, income_band, postcode, country, consent_email, consent_sms, email, created_at, is_prospect, source, load_id)
SELECT 'C' || lpad(CAST(i AS VARCHAR), 7, '0'),
  CASE h % 2 WHEN 0 THEN 'f' ELSE 'm' END,
  DATE '1950-01-01' + CAST(h % 20000 AS INTEGER),
  ['low', 'middle', 'high', 'very high'][1 + CAST((h >> 8) % 4 AS INTEGER)],
  lpad(CAST(1000 + (h >> 12) % 9000 AS VARCHAR), 4, '0'), 'NL',
  (h >> 20) % 10 < 7, (h >> 24) % 10 < 3, 'c' || i || '@example.com',
  TIMESTAMP '2020-01-01' + to_days(CAST((h >> 28) % 2000 AS INTEGER)), false, ${L}
FROM (SELECT i, hash(i) AS h FROM range(${CUSTOMERS}) t(i));
INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id)
SELECT 'S' || i, 'Product ' || i,
  ['Women', 'Men', 'Kids', 'Home', 'Beauty', 'Sports', 'Books', 'Garden', 'Toys', 'Food'][1 + i % 10] || ' > Sub ' || (i % 7),
  5 + (i % 200), (5 + (i % 200)) * 0.55, ${L}
FROM range(2000) t(i);
INSERT INTO orders (order_id, customer_id, order_date, channel, promo_code, discount, total, status, source, load_id)
SELECT 'O' || i, 'C' || lpad(CAST((h % ${CUSTOMERS}) AS VARCHAR), 7, '0'),
  DATE '${AS_OF}' - CAST((h >> 20) % 1095 AS INTEGER),
  ['web', 'store', 'app', 'phone'][1 + CAST((h >> 32) % 4 AS INTEGER)],
  CASE WHEN (h >> 36) % 5 = 0 THEN 'PROMO' END, CASE WHEN (h >> 36) % 5 = 0 THEN 5 ELSE 0 END, NULL,
  CASE WHEN (h >> 40) % 50 = 0 THEN 'cancelled' ELSE 'completed' END, ${L}
FROM (SELECT i, hash(i * 31 + 7) AS h FROM range(${ORDERS}) t(i));
INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id)
SELECT 'O' || (j % ${ORDERS}), CAST(j // ${ORDERS} + 1 AS INTEGER), 'S' || (h % 2000), 1 + (h >> 16) % 3,
  5 + ((h % 2000) % 200), 0, CASE WHEN (h >> 24) % 20 = 0 THEN 1 ELSE 0 END, ${L}
FROM (SELECT j, hash(j * 17 + 3) AS h FROM range(${LINES}) t(j));
INSERT INTO campaigns (campaign_id, name, channel, start_date, source, load_id)
SELECT 'K' || i, 'Campaign ' || i, ['email', 'sms', 'post'][1 + i % 3], DATE '${AS_OF}' - CAST(30 * i AS INTEGER), ${L} FROM range(36) t(i);
INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
SELECT 'K' || (h % 36), 'C' || lpad(CAST(((h >> 8) % ${CUSTOMERS}) AS VARCHAR), 7, '0'),
  ['sent', 'sent', 'sent', 'sent', 'delivered', 'open', 'open', 'click', 'unsubscribe', 'conversion'][1 + CAST((h >> 40) % 10 AS INTEGER)],
  TIMESTAMP '${AS_OF}' - to_days(CAST((h >> 44) % 1000 AS INTEGER)), ${L}
FROM (SELECT i, hash(i * 13 + 5) AS h FROM range(${Math.round(CUSTOMERS * 5)}) t(i));
INSERT INTO service_contacts (contact_id, customer_id, contact_time, channel, satisfaction, source, load_id)
SELECT 'S' || i, 'C' || lpad(CAST((h % ${CUSTOMERS}) AS VARCHAR), 7, '0'), TIMESTAMP '${AS_OF}' - to_days(CAST((h >> 30) % 1000 AS INTEGER)),
  'phone', 1 + (h >> 20) % 5, ${L}
FROM (SELECT i, hash(i * 11 + 1) AS h FROM range(${Math.round(CUSTOMERS / 2)}) t(i));`);
}

await main();
