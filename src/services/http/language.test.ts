import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/**
 * Issue 18: server-written text in the caller's language (`?lang=` or Accept-Language): the field dictionary,
 * segment columns' labels, and the rest of what the server writes. English stays as it was.
 */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
let token: string;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  ctx = await createApp(engine, { log: () => undefined });
  token = (await createToken(engine, 'analyst', 'analyst')).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
async function get(path: string, language?: string): Promise<{ status: number; body: any }> {
  const res = await ctx.app.request(path, {
    headers: { authorization: `Bearer ${token}`, ...(language ? { 'accept-language': language } : {}) },
  });
  return { status: res.status, body: await res.json() };
}

describe('the field dictionary over HTTP', () => {
  it('serves labels, units and descriptions in the asked language', async () => {
    const en = await get('/api/fields');
    const nl = await get('/api/fields?lang=nl');
    const ru = await get('/api/fields', 'ru-RU,ru;q=0.9,en;q=0.5');
    expect(en.body.lang).toBe('en');
    expect(nl.body.lang).toBe('nl');
    expect(ru.body.lang).toBe('ru');
    const field = (r: typeof en, name: string) =>
      r.body.fields.find((f: { name: string }) => f.name === name);
    expect(field(en, 'repeat_order_days')).toMatchObject({ label: 'repeat purchases', unit: 'count' });
    expect(field(nl, 'repeat_order_days')).toMatchObject({ label: 'herhaalaankopen', unitLabel: 'aantal' });
    expect(field(ru, 'consent_email').label).toBe('согласие на e-mail');
    expect(field(nl, 'account_age_days').description).toBe(
      'dagen van het aanmaken van het account tot de peildatum',
    );
    // The feature table's own share columns are described too.
    expect(en.body.fields.some((f: { name: string }) => f.name.startsWith('share_cat_'))).toBe(true);
  });

  it('labels the segment builder’s columns in the caller’s language', async () => {
    const nl = await get('/api/segments/columns', 'nl');
    const recency = nl.body.columns.find((c: { name: string }) => c.name === 'recency_days');
    expect(recency.label).toBe('dagen sinds de laatste bestelling');
    const en = await get('/api/segments/columns');
    expect(en.body.columns.find((c: { name: string }) => c.name === 'recency_days').label).toBe(
      'days since the last order',
    );
  });
});
