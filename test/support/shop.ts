import type { DuckDbEngine } from '../../src/store/index.js';
import { migrate } from '../../src/store/index.js';

/** Fills a datamart with a small, fixed shop (deterministic: no clock, no randomness). */
export async function seedShop(engine: DuckDbEngine): Promise<void> {
  await migrate(engine);
  await engine.exec(`
    INSERT INTO customers (customer_id, first_name, last_name, email, gender, city, country, postcode,
                           consent_email, is_prospect, source, load_id)
    SELECT 'C' || lpad(i::VARCHAR, 4, '0'), ['Anna','Bruno','Chloé','Dirk','Elena','Frank'][1 + i % 6],
           ['de Vries','Klein','Martin','Jansen','Ivanova','Müller'][1 + (i * 7) % 6],
           'c' || i || '@example.com', CASE WHEN i % 2 = 0 THEN 'f' ELSE 'm' END,
           ['Utrecht','Köln','Lyon','Gent','Amsterdam'][1 + i % 5], ['NL','DE','FR','BE','NL'][1 + i % 5],
           (1000 + i % 90)::VARCHAR, i % 7 <> 0, i > 180, 'seed', 1
    FROM range(1, 201) t(i);
    INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id)
    SELECT 'P' || i, 'Product ' || i, ['Women > Clothing','Men > Clothing','Home > Kitchen'][1 + i % 3],
           10 + i * 3, 4 + i, 'seed', 1 FROM range(1, 21) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id)
    SELECT 'O' || i, 'C' || lpad((1 + (i * 37) % 180)::VARCHAR, 4, '0'),
           DATE '2025-01-01' + CAST((i * 13) % 540 AS INTEGER), ['web','app','store'][1 + i % 3], NULL, 'seed', 1
    FROM range(1, 1201) t(i);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id)
    SELECT 'O' || i, j, 'P' || (1 + (i * j * 7) % 20), 1 + (i + j) % 3, 10 + ((i * j * 7) % 20 + 1) * 3, 0, 'seed', 1
    FROM range(1, 1201) t(i), range(1, 3) u(j);
    INSERT INTO loads (load_id, source, target, format, started_at, status, read, loaded, rejected, duplicates)
    VALUES (1, 'seed.csv', 'orders', 'csv', TIMESTAMP '2026-06-30 10:00:00', 'done', 1201, 1200, 1, 0);
    INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind)
    VALUES (1, 'seed.csv', 'orders', 418, 'order_date', '31/02/2026', 'expected a date dd/mm/yyyy, got "31/02/2026"', 'rejected');
  `);
}
