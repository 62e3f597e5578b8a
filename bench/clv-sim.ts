/**
 * Simulated CLV transactions shared by the CLV benches: customers drawn from the BG/NBD (CDNOW's r 0.243,
 * α 4.414, a 0.793, b 2.426) with Gamma-Gamma spend (6.25, 3.74, 15.44), first purchases over 12 weeks from
 * 2020-01-01, calibration ending 39 weeks after the cohort start, purchases on whole days; loaded into
 * `orders` through the Appender. Seeded: the same customers every run.
 */

import { join } from 'node:path';
import { simulateBgNbdCustomer, simulateSpend } from '../src/analytics/clv/models/simulate.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { DuckDbEngine, migrate, sql, writeColumns } from '../src/store/index.js';

export const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
export const spendTruth = { p: 6.25, q: 3.74, gamma: 15.44 };
const START = Date.UTC(2020, 0, 1);
export const calibrationEnd = new Date(START + 39 * 7 * 86_400_000 - 86_400_000).toISOString().slice(0, 10);

/** Simulates `customers` customers into `orders`; returns the number of orders. */
export async function loadSimulatedOrders(engine: DuckDbEngine, customers: number): Promise<number> {
  const rng = createRng(2024);
  const ids: string[] = [];
  const days = new Float64Array(customers * 4);
  const totals = new Float64Array(customers * 4);
  let n = 0;
  const push = (id: string, day: number, total: number) => {
    if (n === days.length) throw new Error('grow');
    ids.push(id);
    days[n] = day;
    totals[n] = total;
    n++;
  };
  for (let c = 0; c < customers; c++) {
    const id = `c${c}`;
    const first = rng.int(84);
    const T = (39 * 7 - 1 - first) / 7;
    const times = simulateBgNbdCustomer(rng, truth, T);
    const values = simulateSpend(rng, spendTruth, times.length + 1);
    push(id, first, values[0]!);
    for (let i = 0; i < times.length; i++) push(id, first + Math.floor(times[i]! * 7), values[i + 1]!);
  }
  await writeColumns(engine, '_sim', {
    customer_id: ids,
    day: days.subarray(0, n),
    total: totals.subarray(0, n),
  });
  await engine.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
    SELECT CAST(row_number() OVER () AS VARCHAR), customer_id, DATE '2020-01-01' + CAST(day AS INTEGER), total, 'sim', 0
    FROM _sim`);
  await engine.exec(sql`DROP TABLE _sim`);
  return n;
}

/**
 * A datamart file of `customers` simulated customers in `dir`, and the same orders as a transactions CSV for
 * the Python peers (`customer_id,date` and, with `amount`, the order total), written by DuckDB itself.
 */
export async function simulatedDatamart(
  dir: string,
  customers: number,
  options: { amount?: boolean } = {},
): Promise<{ db: string; csv: string; orders: number }> {
  const db = join(dir, 'datamart.duckdb');
  const csv = join(dir, 'transactions.csv');
  const engine = await DuckDbEngine.open(db);
  try {
    await migrate(engine);
    const orders = await loadSimulatedOrders(engine, customers);
    const amount = options.amount ? ', CAST(total AS DOUBLE) AS amount' : '';
    await engine.exec(
      `COPY (SELECT customer_id, CAST(order_date AS VARCHAR) AS date${amount} FROM orders ORDER BY customer_id, order_date)
       TO '${csv.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`,
    );
    return { db, csv, orders };
  } finally {
    await engine.close();
  }
}
