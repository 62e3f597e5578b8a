/**
 * Issue 13 benchmarks: campaign evaluation (lift per campaign against the holdout, 14-day outcomes), interests
 * from keywords (saved wide table), marketing pressure (rolling-window curve and classes) and the engagement
 * profile, on synthetic contacts × campaign events generated in DuckDB SQL from hashes (deterministic). Each
 * time is also given as a multiple of a plain scan of the events (`GROUP BY campaign_id, event_type`) measured
 * in the same run, because the shared machine's speed varies.
 *
 * Env: BENCH_CONTACTS (default 100,000), BENCH_CAMPAIGNS (default 60; events ≈ contacts × campaigns × 0.8),
 * BENCH_STEPS (comma-separated subset of evaluate-bootstrap, evaluate, keyword, interests, pressure,
 * engagement; default all). The target is 1,000,000 contacts × 50,000,000 events:
 * BENCH_CONTACTS=1000000 BENCH_CAMPAIGNS=60. On a shared machine, measure two sizes with the steps of the
 * acceptance (BENCH_STEPS=evaluate,interests,pressure) and extrapolate with the measured scaling exponent
 * (printed when BENCH_SCALE_FROM names the smaller size's `step=seconds` pairs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  customerInterests,
  engagementProfile,
  evaluateCampaigns,
  pressureReport,
} from '../src/analytics/campaigns/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { peakRssMiB, time } from './util.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 60);
const STEPS = new Set(
  (process.env.BENCH_STEPS ?? 'evaluate-bootstrap,evaluate,keyword,interests,pressure,engagement')
    .split(',')
    .map((x) => x.trim()),
);
const AS_OF = '2026-06-30';
const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-campaigns-'));

async function main(): Promise<void> {
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    await migrate(engine);
    const gen = await time(() =>
      engine.exec(`
      INSERT INTO campaigns (campaign_id, name, channel, start_date, keywords, cost, cost_per_contact, source, load_id)
        SELECT 'C' || c, 'Campaign ' || c, CASE WHEN c % 5 = 4 THEN 'sms' ELSE 'email' END,
          DATE '2025-07-01' + CAST(c * 330 / ${CAMPAIGNS} AS INTEGER),
          [['fashion', 'women', 'home', 'sports', 'kids', 'beauty'][1 + c % 6], ['sale', 'new', 'gift'][1 + c % 3]],
          500, 0.01, 'bench', 1
        FROM range(${CAMPAIGNS}) t(c);
      CREATE TEMP TABLE targets AS
        SELECT c, i, hash(i, c) % 1000 AS u,
          TIMESTAMP '2025-07-01 08:00:00' + INTERVAL (CAST(c * 330 / ${CAMPAIGNS} AS INTEGER)) DAY
            + INTERVAL (hash(c, i) % 7200) SECOND AS t
        FROM range(${CONTACTS}) a(i), range(${CAMPAIGNS}) b(c) WHERE hash(c * 7 + 1, i) % 100 < 55;
      INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
        SELECT 'C' || c, 'K' || i, CASE WHEN u < 150 THEN 'holdout' ELSE 'sent' END, t, 'bench', 1 FROM targets;
      INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
        SELECT 'C' || c, 'K' || i, 'open', t + INTERVAL 1 HOUR, 'bench', 1 FROM targets
        WHERE u >= 150 AND hash(i) % 100 + u % 50 < 70;
      INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
        SELECT 'C' || c, 'K' || i, 'click', t + INTERVAL 2 HOUR, 'bench', 1 FROM targets
        WHERE u >= 150 AND hash(i) % 100 + u % 50 < 70 AND (hash(i, c % 6) % 100) < 20;
      INSERT INTO orders (order_id, customer_id, order_date, order_time, total, source, load_id)
        SELECT 'O' || i || '_' || j, 'K' || i, CAST(ts AS DATE), ts, 20 + hash(i, j) % 200, 'bench', 1
        FROM (SELECT i, j, TIMESTAMP '2024-07-01' + INTERVAL (hash(i, j, 9) % (730 * 24)) HOUR AS ts
          FROM range(${CONTACTS}) a(i), range(4) b(j) WHERE hash(i, j) % 10 < 6);
      DROP TABLE targets;`),
    );
    const [counts] = await engine.query(
      `SELECT (SELECT count(*) FROM campaign_events) AS events, (SELECT count(*) FROM orders) AS orders`,
    );
    console.log(
      `generated ${CONTACTS.toLocaleString('en')} contacts, ${Number(counts!.events).toLocaleString('en')} events, ${Number(counts!.orders).toLocaleString('en')} orders in ${gen.seconds.toFixed(1)} s; load ${await loadavg()}`,
    );
    // Baseline: the bare SQL of treated-vs-holdout orders within 14 days per campaign (what the demo printed
    // before issue 13: no intervals, no revenue, no balance, no cost).
    const scan = await time(() =>
      engine.query(`WITH t AS (SELECT campaign_id, customer_id, event_type, event_time FROM campaign_events
          WHERE event_type IN ('sent', 'holdout')),
        per AS (SELECT t.campaign_id, t.customer_id, t.event_type, count(o.order_id) AS orders
          FROM t LEFT JOIN orders o ON o.customer_id = t.customer_id AND o.order_time >= t.event_time
            AND o.order_time < t.event_time + INTERVAL 14 DAY GROUP BY ALL)
        SELECT campaign_id, avg(orders) FILTER (WHERE event_type = 'sent') - avg(orders) FILTER (WHERE event_type = 'holdout') AS lift
        FROM per GROUP BY 1`),
    );
    const rows: { step: string; seconds: number }[] = [
      { step: 'bare lift SQL (baseline)', seconds: scan.seconds },
    ];
    const run = async (step: string, fn: () => Promise<unknown>) => {
      const r = await time(fn);
      rows.push({ step, seconds: r.seconds });
      console.log(
        `${step}: ${r.seconds.toFixed(2)} s (${(r.seconds / scan.seconds).toFixed(1)}× the bare SQL)`,
      );
    };
    console.log(`bare lift SQL: ${scan.seconds.toFixed(2)} s`);
    if (STEPS.has('evaluate-bootstrap'))
      await run('evaluate by campaign (bootstrap 2,000)', () => evaluateCampaigns(engine, { asOf: AS_OF }));
    if (STEPS.has('evaluate'))
      await run('evaluate by campaign (normal intervals)', () =>
        evaluateCampaigns(engine, { asOf: AS_OF, bootstrap: 0 }),
      );
    if (STEPS.has('keyword'))
      await run('evaluate by keyword', () =>
        evaluateCampaigns(engine, { asOf: AS_OF, by: ['keyword'], bootstrap: 0 }),
      );
    if (STEPS.has('interests'))
      await run('interests (save)', () => customerInterests(engine, { asOf: AS_OF, save: true }));
    if (STEPS.has('pressure'))
      await run('pressure (save)', () => pressureReport(engine, { asOf: AS_OF, save: true }));
    if (STEPS.has('engagement')) await run('engagement', () => engagementProfile(engine, { asOf: AS_OF }));
    console.log(`peak RSS ${(await peakRssMiB()).toFixed(0)} MiB; load ${await loadavg()}`);
    console.table(rows.map((r) => ({ ...r, ratio: Number((r.seconds / scan.seconds).toFixed(1)) })));
    // Extrapolation to the target (1 M contacts) from two measured sizes: t ∝ contacts^b, b from the two runs.
    const from = process.env.BENCH_SCALE_FROM; // e.g. "50000:evaluate by campaign (normal intervals)=3.1;…"
    if (from) {
      const [size, pairs] = from.split(':', 2) as [string, string];
      const small = new Map(pairs.split(';').map((p) => p.split('=') as [string, string]));
      for (const r of rows) {
        const s0 = Number(small.get(r.step));
        if (!s0) continue;
        const b = Math.log(r.seconds / s0) / Math.log(CONTACTS / Number(size));
        const at1m = r.seconds * (1_000_000 / CONTACTS) ** b;
        console.log(
          `${r.step}: scaling exponent ${b.toFixed(2)}; extrapolated to 1,000,000 contacts ${at1m.toFixed(0)} s`,
        );
      }
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function loadavg(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

await main();
