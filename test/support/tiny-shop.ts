/**
 * A tiny hand-made shop in an in-memory DuckDB datamart, filled with plain SQL INSERTs, for analytics tests.
 * Every value is chosen so tests can check features by hand (see the comments).
 */
import { DuckDbEngine, migrate } from '../../src/store/index.js';

const L = `'test', 1`;

export async function openShop(path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  await migrate(engine);
  await engine.exec(`
INSERT INTO customers (customer_id, gender, birth_date, income_band, postcode, city, country, consent_email, consent_sms,
  email, phone_e164, first_name, last_name, created_at, is_prospect, source, load_id) VALUES
 ('c1', 'f', DATE '1990-06-15', 'high', '1011', 'Amsterdam', 'NL', true, false, 'ann@example.com', '+31600000001', 'Ann', 'A', TIMESTAMP '2023-01-01 10:00:00', false, ${L}),
 ('c2', 'm', DATE '1980-01-01', 'low', '3011', 'Rotterdam', 'NL', false, true, 'bob@example.com', '+31600000002', 'Bob', 'B', TIMESTAMP '2023-02-01 10:00:00', false, ${L}),
 ('c3', 'f', NULL, NULL, '9999', NULL, 'NL', true, true, NULL, NULL, 'Cat', 'C', NULL, false, ${L}),
 ('p1', NULL, NULL, NULL, NULL, NULL, NULL, true, NULL, 'p@example.com', NULL, 'Pia', 'P', TIMESTAMP '2024-01-01 00:00:00', true, ${L});
INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id) VALUES
 ('s1', 'Dress', 'Women > Dresses', 50, 20, ${L}),
 ('s2', 'Shirt', 'Men > Shirts', 30, 10, ${L}),
 ('s3', 'Mug', 'Home', 10, NULL, ${L});
INSERT INTO orders (order_id, customer_id, order_date, channel, promo_code, discount, total, status, source, load_id) VALUES
 ('o1', 'c1', DATE '2024-01-10', 'web', NULL, 0, 100, 'completed', ${L}),
 ('o2', 'c1', DATE '2024-03-10', 'web', 'SPRING', 5, 55, 'completed', ${L}),
 ('o3', 'c1', DATE '2024-06-08', 'store', NULL, 0, 30, 'completed', ${L}),
 ('o4', 'c2', DATE '2024-05-01', 'store', NULL, 0, 40, 'completed', ${L}),
 ('o5', 'c2', DATE '2024-05-02', 'store', NULL, 0, 10, 'cancelled', ${L}),
 ('o6', 'c3', DATE '2024-06-30', 'web', NULL, 0, 25, 'completed', ${L});
INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
 ('o1', 1, 's1', 2, 50, 0, 1, ${L}),
 ('o2', 1, 's1', 1, 50, 0, 0, ${L}),
 ('o2', 2, 's3', 1, 10, 0, 0, ${L}),
 ('o3', 1, 's2', 1, 30, 0, 0, ${L}),
 ('o4', 1, 's2', 1, 30, 0, 0, ${L}),
 ('o4', 2, 's3', 1, 10, 0, 0, ${L});
INSERT INTO area_data (country, postcode, area_name, population, median_income, source, load_id) VALUES
 ('NL', '1011', 'Centrum', 10000, 42000, ${L});
INSERT INTO campaigns (campaign_id, name, channel, start_date, source, load_id) VALUES
 ('k1', 'Spring mail', 'email', DATE '2024-03-01', ${L}),
 ('k2', 'Summer mail', 'email', DATE '2024-06-01', ${L}),
 ('k3', 'Catalog', 'post', DATE '2024-02-01', ${L});
INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
 ('k1', 'c1', 'sent', TIMESTAMP '2024-03-01 08:00:00', ${L}),
 ('k1', 'c1', 'open', TIMESTAMP '2024-03-01 09:00:00', ${L}),
 ('k1', 'c1', 'open', TIMESTAMP '2024-03-02 09:00:00', ${L}),
 ('k1', 'c1', 'click', TIMESTAMP '2024-03-01 09:01:00', ${L}),
 ('k2', 'c1', 'sent', TIMESTAMP '2024-06-01 08:00:00', ${L}),
 ('k1', 'c2', 'sent', TIMESTAMP '2024-03-01 08:00:00', ${L}),
 ('k1', 'c2', 'unsubscribe', TIMESTAMP '2024-03-03 08:00:00', ${L}),
 ('k3', 'c1', 'sent', TIMESTAMP '2024-02-01 08:00:00', ${L});
INSERT INTO service_contacts (contact_id, customer_id, contact_time, channel, reason, satisfaction, source, load_id) VALUES
 ('s1', 'c2', TIMESTAMP '2024-05-03 12:00:00', 'phone', 'late delivery', 2, ${L}),
 ('s2', 'c2', TIMESTAMP '2024-06-30 23:59:00', 'chat', 'refund', 4, ${L});
`);
  return engine;
}

/** Rows dated after 2024-06-30 (the usual asOf in tests): none of them may change features as of that day. */
export async function addFutureRows(engine: DuckDbEngine): Promise<void> {
  await engine.exec(`
INSERT INTO customers (customer_id, gender, created_at, is_prospect, source, load_id) VALUES
 ('c9', 'x', TIMESTAMP '2024-07-01 00:00:00', false, ${L});
INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id) VALUES
 ('s9', 'Lamp', 'Lighting > Lamps', 99, 50, ${L});
INSERT INTO orders (order_id, customer_id, order_date, channel, promo_code, discount, total, status, source, load_id) VALUES
 ('f1', 'c1', DATE '2024-07-01', 'app', 'X', 3, 96, 'completed', ${L}),
 ('f2', 'c9', DATE '2024-08-01', 'web', NULL, 0, 99, 'completed', ${L}),
 ('f3', 'c2', DATE '2025-01-01', 'phone', NULL, 0, 99, 'completed', ${L});
INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, returned_quantity, source, load_id) VALUES
 ('f1', 1, 's9', 1, 99, 0, 1, ${L}),
 ('f2', 1, 's9', 1, 99, 0, 0, ${L}),
 ('f3', 1, 's1', 2, 50, 1, 0, ${L});
INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
 ('k2', 'c1', 'open', TIMESTAMP '2024-07-01 00:00:00', ${L}),
 ('k2', 'c1', 'unsubscribe', TIMESTAMP '2024-07-02 00:00:00', ${L}),
 ('k2', 'c3', 'sent', TIMESTAMP '2024-07-01 00:00:00', ${L});
INSERT INTO service_contacts (contact_id, customer_id, contact_time, channel, reason, satisfaction, source, load_id) VALUES
 ('s9', 'c1', TIMESTAMP '2024-07-01 00:00:00', 'phone', 'x', 1, ${L});
INSERT INTO customer_texts (text_id, customer_id, kind, text_time, rating, body, source, load_id) VALUES
 ('t9', 'c1', 'review', TIMESTAMP '2024-07-01 00:00:00', 1, 'bad', ${L});
`);
}
