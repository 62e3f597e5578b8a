/** The synthetic shop the HTTP, page, concurrency and count-path benches load: generated in SQL, deterministic. */
import type { DuckDbEngine } from '../src/store/index.js';

/**
 * Inserts `customers` customers and `orders` orders (one per random customer, over two years). With `catalog`,
 * also 500 products, one line per order and three channels; without it every order is a 'web' order and there
 * are no products or lines (enough for segment counts).
 */
export async function generateBenchShop(
  engine: DuckDbEngine,
  { customers, orders, catalog }: { customers: number; orders: number; catalog: boolean },
): Promise<void> {
  const channel = catalog ? `['web', 'app', 'store'][1 + CAST(hash(i * 17) % 3 AS INTEGER)]` : `'web'`;
  await engine.exec(`
    INSERT INTO customers (customer_id, gender, birth_date, country, postcode, consent_email, is_prospect, source, load_id)
    SELECT 'C' || i, CASE WHEN hash(i) % 2 = 0 THEN 'f' ELSE 'm' END,
           DATE '1950-01-01' + CAST(hash(i * 7) % 18000 AS INTEGER),
           ['NL', 'BE', 'DE', 'FR'][1 + CAST(hash(i * 3) % 4 AS INTEGER)], CAST(1000 + hash(i * 5) % 8000 AS VARCHAR),
           hash(i * 11) % 10 <> 0, false, 'bench', 1
    FROM range(${customers}) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
    SELECT 'O' || i, 'C' || (hash(i) % ${customers}), DATE '2024-07-01' + CAST(hash(i * 13) % 730 AS INTEGER),
           ${channel}, 20 + hash(i * 19) % 200, 'bench', 1
    FROM range(${orders}) t(i);
  `);
  if (!catalog) return;
  await engine.exec(`
    INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id)
    SELECT 'P' || i, 'Product ' || i, ['Women > Clothing', 'Men > Clothing', 'Home > Kitchen', 'Kids > Toys'][1 + i % 4],
           10 + i % 90, 5 + i % 40, 'bench', 1 FROM range(500) t(i);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, source, load_id)
    SELECT 'O' || i, 1, 'P' || (hash(i * 23) % 500), 1 + hash(i * 29) % 3, 10 + hash(i * 31) % 90, 'bench', 1
    FROM range(${orders}) t(i);
  `);
}
