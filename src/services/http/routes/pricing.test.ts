import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../../test/support/shop.js';
import { DuckDbEngine } from '../../../store/index.js';
import { createApp } from '../app.js';
import { createToken } from '../auth.js';

/** The fixed shop never changes a price: every answer must be "the data cannot support it", never a number. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
let token = '';
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  ctx = await createApp(engine, { log: () => undefined });
  token = (await createToken(engine, 'viewer', 'viewer')).token;
});
afterAll(async () => engine.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const get = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await ctx.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
};

describe('pricing routes', () => {
  it('elasticities: a shop whose prices never moved gets reasons, not numbers', async () => {
    const r = await get('/api/pricing/elasticities');
    expect(r.status).toBe(200);
    expect(r.body.categories.map((c: { category: string }) => c.category)).toEqual(['Home', 'Men', 'Women']);
    for (const c of r.body.categories) {
      expect(c.supported).toBe(false);
      expect(c.reason).toMatch(/prices hardly moved/);
    }
  });

  it('whatif: unsupported with the reason; bad requests are 400, unknown categories 404', async () => {
    const r = await get('/api/pricing/whatif?category=Home&priceChange=-0.1');
    expect(r.status).toBe(200);
    expect(r.body.supported).toBe(false);
    expect(r.body.simulated).toBeNull();
    expect(r.body.summary).toMatch(/cannot support an answer/);
    expect((await get('/api/pricing/whatif?category=Home&product=P1&priceChange=-0.1')).status).toBe(400);
    expect((await get('/api/pricing/whatif?category=Home&priceChange=-5')).status).toBe(400);
    expect((await get('/api/pricing/whatif?category=Garden&priceChange=-0.1')).status).toBe(404);
  });

  it('break-even per acquisition quarter', async () => {
    const r = await get('/api/profit/break-even?by=cohort');
    expect(r.status).toBe(200);
    expect(r.body.rows[0].group).toBe('2025-Q1');
    const total = r.body.rows.reduce((s: number, x: { customers: number }) => s + x.customers, 0);
    expect(total).toBe(180);
  });
});
