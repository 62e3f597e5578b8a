/**
 * Issue 18 (fast pages): every dashboard page's first-screen API calls, timed as the dashboard makes them
 * (the calls of one page in parallel; the page's time is its slowest call), first visit (nothing cached: a new
 * server without start-up warm-up, so the Risk page ranks the buyers on its first visit) and second visit.
 * Target: every page under 1 s on the demo and under 2 s at 1 M customers.
 *
 * Data: a synthetic shop generated in DuckDB SQL (as bench/http.bench.ts: BENCH_CUSTOMERS customers, 3 orders
 * each on average), features and RFM built, and a churn model (GBDT, 60 trees at most) trained on a 5,000-
 * buyer sample and saved, as the Risk page needs one. Or BENCH_DB=path to time an existing datamart (a copy is
 * opened; e.g. the 5,000-customer demo from `clientele demo`).
 *
 * Figures: wall ms and process CPU ms (user + sys, all threads) of each page; median of BENCH_ROUNDS second
 * visits. Env: BENCH_CUSTOMERS (default 1,000,000), BENCH_DB, BENCH_ROUNDS (default 3).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeatures, FEATURES_TABLE } from '../src/analytics/features/index.js';
import { saveModel, trainModel } from '../src/analytics/predict/index.js';
import { buildRfm } from '../src/analytics/rfm/index.js';
import { trainJson } from '../src/services/cli/commands/predict.js';
import { createApp, createToken } from '../src/services/http/index.js';
import { DuckDbEngine, migrate, setSetting } from '../src/store/index.js';
import { generateBenchShop } from './bench-shop.js';
import { cpuSecondsSince, median, peakRssMiB, time } from './util.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const AS_OF = '2026-06-30';

/** A churn model on a buyer sample (label: no order in the last 180 days), saved as the Risk page's model. */
async function churnModel(engine: DuckDbEngine): Promise<void> {
  await engine.exec(`CREATE OR REPLACE TABLE bench_churn AS
    SELECT * EXCLUDE (last_order), CASE WHEN recency_days > 180 THEN 1 ELSE 0 END AS label
    FROM ${FEATURES_TABLE} WHERE last_order IS NOT NULL USING SAMPLE 5000 ROWS (reservoir, 7)`);
  const trained = await trainModel(engine, {
    table: 'bench_churn',
    target: 'label',
    idColumn: 'customer_id',
    exclude: ['recency_days', 'postcode', 'rfm_segment', 'r_score', 'rfm_score'],
    folds: 2,
    name: 'churn_risk',
    asOf: AS_OF,
    params: { gbdt: { trees: 60 } },
  });
  await saveModel(engine, trained.model, trainJson(trained));
}

type Call = string | { post: string; body: unknown };

/** Each page's first-screen calls (web/src/pages), made in parallel as the dashboard does. */
function pages(firstCustomer: string): [string, Call[]][] {
  const typed = "orders >= 2 and country = 'NL'";
  return [
    ['overview', ['/api/overview']],
    [
      'segments',
      [
        '/api/segments/columns',
        '/api/segments',
        { post: '/api/segments/count', body: { expression: typed } },
        { post: '/api/segments/preview', body: { expression: typed } },
      ],
    ],
    ['rfm', ['/api/rfm?kind=rfm', '/api/rfm/movement?from=2025-12-30&to=2026-06-30']],
    ['clusters', ['/api/clusters/latest']],
    ['value', ['/api/profit', '/api/clv']],
    [
      'risk',
      [
        '/api/predict/models',
        '/api/predict/models/churn_risk',
        '/api/predict/models/churn_risk/top?limit=20',
      ],
    ],
    [
      'baskets',
      ['/api/basket/rules?minSupport=0.01&minConfidence=0.2&minLift=1&level=product&sort=lift&limit=100'],
    ],
    [
      'sales',
      [
        '/api/forecast?by=total&frequency=month&method=combination&horizon=12',
        '/api/sales?by=category&grain=day',
        '/api/cohorts?by=first_order_month&metric=customers&periods=12',
      ],
    ],
    ['pricing', ['/api/pricing/elasticities', '/api/profit/break-even?by=cohort']],
    ['areas', ['/api/geo/penetration?level=area']],
    ['campaigns', ['/api/campaigns?horizonDays=14']],
    ['texts', ['/api/texts']],
    ['customers', ['/api/customers?q=&sort=revenue&dir=desc&offset=0&limit=25']],
    [
      'customer 360',
      [
        `/api/customers/${encodeURIComponent(firstCustomer)}`,
        '/api/fields',
        `/api/customers/${encodeURIComponent(firstCustomer)}/scores`,
      ],
    ],
    ['imports', ['/api/status']],
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-pages-'));
  const path = join(dir, 'bench.duckdb');
  const given = process.env.BENCH_DB;
  if (given) {
    if (!existsSync(given)) throw new Error(`BENCH_DB ${given}: no such file`);
    copyFileSync(given, path);
  }
  const engine = await DuckDbEngine.open(path);
  try {
    let label = given ? `datamart ${given}` : `${CUSTOMERS.toLocaleString('en')} synthetic customers`;
    if (!given) {
      await migrate(engine);
      const gen = await time(() =>
        generateBenchShop(engine, { customers: CUSTOMERS, orders: CUSTOMERS * 3, catalog: true }),
      );
      const build = await time(async () => {
        await buildFeatures(engine, { asOf: AS_OF });
        await buildRfm(engine, { asOf: AS_OF });
      });
      const model = await time(() => churnModel(engine));
      console.log(
        `generated in ${gen.seconds.toFixed(1)} s; features + RFM ${build.seconds.toFixed(1)} s; churn model ${model.seconds.toFixed(1)} s`,
      );
    }
    const [first] = await engine.query<{ id: string }>(
      `SELECT CAST(customer_id AS VARCHAR) AS id FROM ${FEATURES_TABLE} WHERE last_order IS NOT NULL ORDER BY customer_id LIMIT 1`,
    );
    const [{ n }] = (await engine.query<{ n: number }>('SELECT count(*) AS n FROM customers')) as [
      { n: number },
    ];
    label += ` (${Number(n).toLocaleString('en')} customer records)`;
    // Measured, not cut off: the HTTP statement timeout (30 s by default) would answer 503 on a slow page.
    await setSetting(engine, 'request_timeout_ms', '600000');
    // A new server without warm-up: nothing cached in the process.
    const { app } = await createApp(engine, { log: () => undefined });
    const token = (await createToken(engine, 'bench', 'analyst')).token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const call = async (c: Call) => {
      const res =
        typeof c === 'string'
          ? await app.request(c, { headers })
          : await app.request(c.post, { method: 'POST', headers, body: JSON.stringify(c.body) });
      const body = await res.text();
      return { path: typeof c === 'string' ? c : c.post, status: res.status, body };
    };
    const visit = async (calls: Call[]) => {
      const cpu = process.cpuUsage();
      const t = await time(() => Promise.all(calls.map(call)));
      return { ms: t.seconds * 1000, cpuMs: cpuSecondsSince(cpu) * 1000, results: t.result };
    };
    console.log(
      `Pages on ${label}, load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    console.log('| page | calls | first visit ms (CPU ms) | second visit ms, median (CPU ms) | status |');
    console.log('|---|---:|---:|---:|---|');
    for (const [name, calls] of pages(first?.id ?? 'C1')) {
      const cold = await visit(calls);
      const warm: { ms: number; cpuMs: number }[] = [];
      for (let r = 0; r < ROUNDS; r++) warm.push(await visit(calls));
      const bad = cold.results.filter((r) => r.status !== 200).map((r) => `${r.path} ${r.status}`);
      console.log(
        `| ${name} | ${calls.length} | ${cold.ms.toFixed(0)} (${cold.cpuMs.toFixed(0)}) | ${median(warm.map((w) => w.ms)).toFixed(0)} (${median(warm.map((w) => w.cpuMs)).toFixed(0)}) | ${bad.length ? bad.join('; ') : 'ok'} |`,
      );
    }
    console.log(`peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
