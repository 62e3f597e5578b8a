/**
 * Life-event detection on a synthetic shop generated in DuckDB SQL: LIFE_CUSTOMERS customers (default
 * 1,000,000) with 1–6 orders each (3.5 on average) over 3 years, two lines per order from 400 products in 8
 * top-level categories (baby clothes and home furnishing among them), three channels, and one customer in 40
 * with a planted burst of baby purchases. Times `detectLifeEvents` end to end (candidates in SQL, tests in
 * TypeScript, both tables written) and, as a baseline in the same run, one plain SQL pass that joins every
 * order line to its product and groups by customer. Peak RSS and the load average are printed.
 */
import { readFileSync } from 'node:fs';
import { detectLifeEvents } from '../src/analytics/lifeevents/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { peakRssMiB, time } from './util.js';

const CUSTOMERS = Number(process.env.LIFE_CUSTOMERS ?? 1_000_000);

async function main(): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
  const gen = await time(() =>
    engine.exec(`
    INSERT INTO customers (customer_id, source, load_id) SELECT 'C' || i, 'b', 0 FROM range(${CUSTOMERS}) t(i);
    INSERT INTO products (sku, category_path, unit_cost, source, load_id)
    SELECT 'P' || i, ['Women > Clothing','Men > Clothing','Kids > Clothing > Baby','Home > Living > Lighting','Beauty > Skin',
      'Sports > Running','Books > Fiction','Electronics > Audio'][1 + i % 8], 2 + i % 40, 'b', 0 FROM range(400) t(i);
    CREATE TEMP TABLE o AS
      SELECT c.i AS cust, j AS n, 'O' || c.i || '-' || j AS order_id,
        CASE WHEN c.i % 40 = 0 AND j >= 3 THEN DATE '2025-06-01' + CAST(c.i % 300 + 20 * (j - 3) AS INTEGER)
          ELSE DATE '2023-07-01' + CAST((c.i * 7919 + j * 211) % 700 AS INTEGER) END AS d,
        ['web','store','phone'][1 + CASE WHEN (c.i * 13 + j) % 10 < 7 THEN c.i % 3 ELSE (c.i + j) % 3 END] AS channel
      FROM range(${CUSTOMERS}) c(i), range(0, 6) r(j) WHERE j <= (c.i * 2654435761) % 6;
    INSERT INTO orders (order_id, customer_id, order_date, channel, source, load_id)
      SELECT order_id, 'C' || cust, d, channel, 'b', 0 FROM o;
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id)
      SELECT order_id, k, CASE WHEN cust % 40 = 0 AND n >= 3 THEN 'P' || (2 + 8 * ((cust + k) % 50))
        ELSE 'P' || ((cust * 31 + n * 17 + k * 7) % 400) END, 1, 10 + (cust + k) % 50, 0, 0, 'b', 0
      FROM o, range(1, 3) u(k);
    DROP TABLE o;`),
  );
  const [counts] = await engine.query<{ orders: number; lines: number }>(
    'SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines',
  );
  console.log(
    `${CUSTOMERS.toLocaleString('en')} customers, ${Number(counts!.orders).toLocaleString('en')} orders, ${Number(counts!.lines).toLocaleString('en')} lines generated in ${gen.seconds.toFixed(1)} s; load ${load()}`,
  );
  const base = await time(() =>
    engine.query(`SELECT count(*) FROM (SELECT o.customer_id, count(*) AS n, max(p.category_path) AS c
      FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN products p ON p.sku = l.sku GROUP BY o.customer_id) x`),
  );
  const run = await time(() => detectLifeEvents(engine, { asOf: '2026-07-01' }));
  const r = run.result;
  console.log(
    `baseline (one join + group by over every line): ${base.seconds.toFixed(2)} s; detectLifeEvents: ${run.seconds.toFixed(2)} s (${(run.seconds / base.seconds).toFixed(1)}× the baseline), ${r.candidates.toLocaleString('en')} candidate days, ${r.events.toLocaleString('en')} events ${JSON.stringify(r.counts)}; ${((CUSTOMERS / run.seconds) | 0).toLocaleString('en')} customers/s; peak RSS ${(await peakRssMiB()).toFixed(0)} MiB; load ${load()}`,
  );
  await engine.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
