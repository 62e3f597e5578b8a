/**
 * The ingest benchmark's second reference: DuckDB writing the same rows into the datamart's two tables with
 * the least SQL that gives the right result, and nothing checked — the floor under any import that keeps
 * `orders` and `order_lines` apart. One transaction: the file read once with read_csv's own type detection
 * into a temporary table, orders grouped (one row per order id), both tables inserted, `line_no` numbered
 * per order. No profiling, formats, rejects, references, duplicates or identity; customers are not looked up.
 */
import type { Engine } from '../src/store/index.js';
import { sql } from '../src/store/index.js';

export async function floorImport(engine: Engine, file: string): Promise<number> {
  await engine.exec(sql`CREATE TEMP TABLE floor_lines AS SELECT * FROM read_csv(${file})`);
  await engine.exec(sql`CREATE TEMP TABLE floor_orders AS
    SELECT order_id, any_value(customer_id) AS customer_id, any_value(order_date) AS order_date,
           any_value(channel) AS channel, any_value(promo_code) AS promo_code
    FROM floor_lines GROUP BY order_id`);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, channel, promo_code, source, load_id)
      SELECT order_id, customer_id, order_date, channel, promo_code, 'floor', 1 FROM floor_orders`);
    await tx.exec(sql`INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id)
      SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY rowid), sku, quantity, unit_price,
             discount, 'floor', 1
      FROM floor_lines`);
  });
  const [row] = await engine.query('SELECT count(*) AS n FROM order_lines');
  return Number(row?.n);
}

/**
 * The floor for the flat shop export of `bench/ingest-export.bench.ts` (InvoiceNo, StockCode, Description,
 * Quantity, InvoiceDate `m/d/yyyy H:MM`, UnitPrice, CustomerID `17850.0`, Country): the same least SQL as
 * {@link floorImport}, with only the conversions the two tables' types need (the date read with its
 * format, the float id made an integer id). Nothing is checked: lines with an impossible date load with the
 * first valid date of their invoice (an invoice with none gets 1970-01-01), guests and returns as they are,
 * and no customer is created.
 */
export async function floorExportImport(engine: Engine, file: string): Promise<number> {
  await engine.exec(sql`CREATE TEMP TABLE floor_lines AS SELECT * FROM read_csv(${file})`);
  await engine.exec(sql`CREATE TEMP TABLE floor_orders AS
    SELECT "InvoiceNo" AS order_id, any_value(CAST(CAST("CustomerID" AS BIGINT) AS VARCHAR)) AS customer_id,
           coalesce(any_value(CAST(try_strptime("InvoiceDate", '%m/%d/%Y %H:%M') AS DATE)), DATE '1970-01-01') AS order_date
    FROM floor_lines GROUP BY "InvoiceNo"`);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, source, load_id)
      SELECT order_id, customer_id, order_date, 'floor', 1 FROM floor_orders`);
    await tx.exec(sql`INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, source, load_id)
      SELECT "InvoiceNo", row_number() OVER (PARTITION BY "InvoiceNo" ORDER BY rowid), "StockCode", "Quantity",
             "UnitPrice", 'floor', 1
      FROM floor_lines`);
  });
  const [row] = await engine.query('SELECT count(*) AS n FROM order_lines');
  return Number(row?.n);
}
