import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../../test/support/shop.js';
import { DuckDbEngine } from '../../../store/index.js';
import { createApp } from '../app.js';
import { createToken } from '../auth.js';

/** The fixed shop plus one customer who, after two ordinary orders, buys baby clothes three times in a month. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await engine.exec(`
    INSERT INTO customers (customer_id, is_prospect, source, load_id) VALUES ('B1', false, 'seed', 1);
    INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id) VALUES ('BABY', 'Romper', 'Kids > Clothing > Baby', 19, 8, 'seed', 1);
    INSERT INTO orders (order_id, customer_id, order_date, channel, source, load_id) VALUES
      ('B1-1', 'B1', '2025-01-10', 'web', 'seed', 1), ('B1-2', 'B1', '2025-03-02', 'web', 'seed', 1),
      ('B1-3', 'B1', '2025-05-01', 'web', 'seed', 1), ('B1-4', 'B1', '2025-05-12', 'web', 'seed', 1),
      ('B1-5', 'B1', '2025-05-30', 'web', 'seed', 1);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id) VALUES
      ('B1-1', 1, 'P1', 1, 13, 0, 'seed', 1), ('B1-2', 1, 'P2', 1, 16, 0, 'seed', 1),
      ('B1-3', 1, 'BABY', 1, 19, 0, 'seed', 1), ('B1-3', 2, 'BABY', 1, 19, 0, 'seed', 1),
      ('B1-4', 1, 'BABY', 2, 19, 0, 'seed', 1), ('B1-5', 1, 'BABY', 1, 19, 0, 'seed', 1);`);
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => engine.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const call = async (path: string, role: string, body?: unknown): Promise<{ status: number; body: any }> => {
  const res = await ctx.app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
};

describe('life-event routes', () => {
  it('runs detection (analysts only) and shows the customer’s event with its evidence', async () => {
    expect((await call('/api/life-events/run', 'viewer', {})).status).toBe(403);
    const run = await call('/api/life-events/run', 'analyst', { asOf: '2026-06-30' });
    expect(run.status).toBe(200);
    expect(run.body.counts.new_baby).toBe(1);
    const b1 = await call('/api/customers/B1/life-events', 'analyst');
    expect(b1.body.events).toHaveLength(1);
    expect(b1.body.events[0]).toMatchObject({ customerId: 'B1', type: 'new_baby', date: '2025-05-01' });
    expect(b1.body.events[0].evidence).toMatch(
      /First purchase in baby products on 2025-05-01: 4 of 4 items in 3 orders/,
    );
    expect((await call('/api/customers/C0001/life-events', 'analyst')).body.events).toEqual([]);
    // The evidence follows the caller's language (Accept-Language), like other server-written text.
    const de = await ctx.app.request('/api/customers/B1/life-events', {
      headers: { authorization: `Bearer ${tokens.analyst}`, 'accept-language': 'de-DE,de;q=0.9' },
    });
    const deBody = (await de.json()) as { events: { evidence: string }[] };
    expect(deBody.events[0]!.evidence).toMatch(
      /^Erster Kauf bei Babyartikeln am 2025-05-01: 4 von 4 Artikeln in 3 Bestellungen/,
    );
  });
});
