/**
 * The sales cube on a synthetic shop generated in DuckDB SQL: SALES_LINES order lines (default 1,000,000; two
 * per order), 20 % as many customers, 500 products in 8 categories, 3 years. Builds the daily pre-aggregate
 * (timed), then times `salesCube` for every dimension over a 30-day window with its previous period and last
 * year (3 SQL queries each), SALES_ROUNDS warm rounds (default 3), p50 / p95; baseline in the same run: the
 * order-line path (no pre-aggregate) on SALES_RAW_DIMS dimensions (default 2: total, channel; one round).
 */
import { refreshSalesAggregates, salesCube } from '../src/analytics/sales/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { percentile, time } from './util.js';

const LINES = Number(process.env.SALES_LINES ?? 1_000_000);
const ORDERS = LINES / 2;
const CUSTOMERS = Math.max(1000, Math.round(LINES / 5));
const ROUNDS = Number(process.env.SALES_ROUNDS ?? 3);
const RAW_DIMS = Number(process.env.SALES_RAW_DIMS ?? 2);

async function main(): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const gen = await time(() =>
    engine.exec(`
    INSERT INTO customers (customer_id, region, country, source, load_id)
    SELECT 'C' || i, ['North','South','East','West'][1 + i % 4], ['NL','DE','FR','BE'][1 + (i * 7) % 4], 'b', 0 FROM range(${CUSTOMERS}) t(i);
    INSERT INTO products (sku, category_path, unit_cost, source, load_id)
    SELECT 'P' || i, ['Women','Men','Kids','Home','Beauty','Sports','Books','Electronics'][1 + i % 8] || ' > x', 2 + i % 40, 'b', 0 FROM range(500) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, order_time, channel, promo_code, discount, source, load_id)
    SELECT 'O' || i, 'C' || ((i * 7919) % ${CUSTOMERS}), DATE '2023-07-01' + CAST((i * 1097) % 1095 AS INTEGER),
           TIMESTAMP '2023-07-01 00:00:00' + INTERVAL (CAST((i * 1097) % 1095 AS INTEGER)) DAY + INTERVAL (i % 24) HOUR,
           ['web','app','store','phone'][1 + i % 4], CASE WHEN i % 9 = 0 THEN 'PROMO' || (i % 30) END, CASE WHEN i % 11 = 0 THEN 5 ELSE 0 END, 'b', 0
    FROM range(${ORDERS}) t(i);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id)
    SELECT 'O' || i, j, 'P' || ((i * 31 + j * 17) % 500), 1 + (i + j) % 3, 5 + (i * j) % 90, CASE WHEN j = 1 THEN 2 ELSE 0 END,
           CASE WHEN i % 37 = 0 THEN 1 ELSE 0 END, 'b', 0
    FROM range(${ORDERS}) t(i), range(1, 3) u(j);
    CREATE TABLE customer_rfm AS SELECT customer_id, ['Champions','Loyal','At risk','Lost'][1 + CAST(substr(customer_id, 2) AS INTEGER) % 4] AS rfm_segment FROM customers;`),
  );
  const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(
    `${LINES.toLocaleString('en')} order lines generated in ${gen.seconds.toFixed(1)} s; load average ${load}`,
  );
  const dims = [
    null,
    'product',
    'category',
    'channel',
    'promo',
    'weekday',
    'hour',
    'region',
    'country',
    'segment',
  ] as const;
  const refreshCpu = process.cpuUsage();
  const refresh = await time(() => refreshSalesAggregates(engine));
  const rc = process.cpuUsage(refreshCpu);
  console.log(
    `pre-aggregate built in ${refresh.seconds.toFixed(1)} s (${((rc.user + rc.system) / 1e6).toFixed(1)} s CPU): ${refresh.result.fact.toLocaleString('en')} fact rows, ${refresh.result.daily.toLocaleString('en')} daily rows`,
  );
  const window = { from: '2026-05-01', to: '2026-05-31', grain: 'day' } as const;
  const times: number[] = [];
  // CPU time of the whole process (DuckDB's threads included) per call: on a loaded machine the wall time
  // mostly measures the wait for a core.
  const cpus: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    for (const by of dims) {
      const cpu = process.cpuUsage();
      const { seconds, result } = await time(() => salesCube(engine, { by, ...window }));
      const c = process.cpuUsage(cpu);
      if (result.source !== 'pre-aggregate') throw new Error('the pre-aggregate was not used');
      if (round > 0) {
        times.push(seconds * 1000);
        cpus.push((c.user + c.system) / 1000);
      }
      if (round === ROUNDS)
        console.log(
          `  by ${by ?? 'total'}: ${(seconds * 1000).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`,
        );
    }
  }
  console.log(
    `salesCube, pre-aggregate, ${dims.length} dimensions × ${ROUNDS} warm rounds: wall p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms; CPU p50 ${percentile(cpus, 0.5).toFixed(0)} ms, p95 ${percentile(cpus, 0.95).toFixed(0)} ms; load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`,
  );
  const raw: number[] = [];
  for (const by of [null, 'channel', 'product', ...dims.slice(1)].slice(
    0,
    RAW_DIMS,
  ) as (typeof dims)[number][]) {
    const { seconds } = await time(() => salesCube(engine, { by, ...window, source: 'order lines' }));
    raw.push(seconds * 1000);
    console.log(`  order lines (baseline) by ${by ?? 'total'}: ${(seconds * 1000).toFixed(0)} ms`);
  }
  if (raw.length)
    console.log(
      `baseline, order-line path, ${raw.length} dimensions: p50 ${percentile(raw, 0.5).toFixed(0)} ms, max ${Math.max(...raw).toFixed(0)} ms; load after ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`,
    );
  await engine.close();
}

await main();
