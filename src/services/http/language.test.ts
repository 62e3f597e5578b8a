import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { saveModel, trainModel } from '../../analytics/predict/index.js';
import { buildRfm } from '../../analytics/rfm/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { trainJson } from '../cli/commands/predict.js';
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
  await buildRfm(engine, { asOf: '2026-06-24' });
  ctx = await createApp(engine, { log: () => undefined });
  token = (await createToken(engine, 'analyst', 'analyst')).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
async function get(
  path: string,
  language?: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await ctx.app.request(path, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(language ? { 'accept-language': language } : {}),
    },
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

describe('server-written names and messages in the caller’s language', () => {
  it('names RFM segments in nl and ru; en and the stored name stay as they were', async () => {
    const label = async (language?: string) => {
      const r = await get('/api/rfm', language);
      return Object.fromEntries(
        r.body.segments.map((s: { segment: string; label: string }) => [s.segment, s.label]),
      );
    };
    const en = await label();
    const nl = await label('nl');
    const ru = await label('ru');
    const some = Object.keys(en).find((k) => k === 'Champions' || k === 'Lost' || k === 'At risk') as string;
    expect(some).toBeDefined();
    expect(en[some]).toBe(some);
    expect(nl[some]).toBe({ Champions: 'Kampioenen', Lost: 'Verloren', 'At risk': 'Risico' }[some]);
    expect(ru[some]).toBe({ Champions: 'Чемпионы', Lost: 'Потерянные', 'At risk': 'Под угрозой' }[some]);
  });

  it('names CLV tiers in nl and ru', async () => {
    await engine.exec(`CREATE TABLE IF NOT EXISTS clv_scores (customer_id VARCHAR NOT NULL, model_id VARCHAR NOT NULL,
      as_of DATE NOT NULL, horizon DOUBLE, unit VARCHAR, x DOUBLE, t_x DOUBLE, "T" DOUBLE, p_alive DOUBLE,
      expected_purchases DOUBLE, p_no_purchase DOUBLE, expected_spend DOUBLE, margin_ratio DOUBLE, clv DOUBLE,
      tier VARCHAR)`);
    await engine.exec(`INSERT INTO clv_scores (customer_id, model_id, as_of, p_alive, clv, tier) VALUES
      ('c1', 'm', DATE '2026-06-24', 0.9, 500, 'gold'), ('c2', 'm', DATE '2026-06-24', 0.5, 20, 'standard')`);
    const tiers = async (language?: string) =>
      Object.fromEntries(
        (await get('/api/clv', language)).body.tiers.map((t: { tier: string; label: string }) => [
          t.tier,
          t.label,
        ]),
      );
    expect(await tiers()).toEqual({ gold: 'gold', standard: 'standard' });
    expect(await tiers('nl')).toEqual({ gold: 'goud', standard: 'standaard' });
    expect(await tiers('ru')).toEqual({ gold: 'золото', standard: 'стандарт' });
  });

  it('names churn bands of the top risks and of one customer’s scores', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE churn_train AS
      SELECT customer_id, as_of, recency_days, orders, revenue, CASE WHEN recency_days > 120 THEN 1 ELSE 0 END AS label
      FROM customer_features WHERE last_order IS NOT NULL`);
    const trained = await trainModel(engine, {
      table: 'churn_train',
      target: 'label',
      idColumn: 'customer_id',
      folds: 3,
      name: 'churn_risk',
      params: { seed: 1, gbdt: { trees: 20, maxLeaves: 4, minSamplesLeaf: 5 } },
    });
    await saveModel(engine, trained.model, trainJson(trained));
    const words = {
      high: ['high risk', 'hoog risico', 'высокий риск'],
      medium: ['medium risk', 'gemiddeld risico', 'средний риск'],
      low: ['low risk', 'laag risico', 'низкий риск'],
    } as const;
    for (const [i, language] of [undefined, 'nl', 'ru'].entries()) {
      const top = await get('/api/predict/models/churn_risk/top?limit=5', language);
      expect(top.status).toBe(200);
      for (const row of top.body.rows) {
        const band = row.score >= 0.7 ? 'high' : row.score >= 0.3 ? 'medium' : 'low';
        expect(row.band).toBe(band);
        expect(row.bandLabel).toBe(words[band][i]);
      }
      const one = await get(`/api/customers/${top.body.rows[0].customerId}/scores`, language);
      expect(one.body.scores[0].bandLabel).toBe(words[one.body.scores[0].band as 'high'][i]);
    }
  });

  it('writes API errors in nl and ru, and in English as before', async () => {
    const count = (language?: string) =>
      get('/api/segments/count', language, { method: 'POST', body: JSON.stringify({ expression: 'rec' }) });
    const en = await count();
    expect(en.status).toBe(400);
    expect(en.body.error.message).toContain('The segment expression cannot be used:');
    expect(en.body.error.message).toContain('expected a known column, found "rec"');
    const nl = await count('nl');
    expect(nl.body.error.message).toContain('De segmentexpressie kan niet worden gebruikt:');
    expect(nl.body.error.message).toContain('verwacht een bekende kolom, gevonden "rec"');
    const ru = await count('ru-RU');
    expect(ru.body.error.message).toContain('Выражение сегмента нельзя использовать:');
    // A route that does not exist, and a segment that does not (the fallback for a message no phrase reaches,
    // the code said in the language first, is tested in server-text.test.ts).
    expect((await get('/api/nope', 'nl')).body.error.message).toBe('Geen route GET /api/nope.');
    expect((await get('/api/nope')).body.error.message).toBe('No route GET /api/nope.');
    const missing = await get('/api/segments/no-such-segment', 'ru');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /^Segment "no-such-segment" не существует\. Известные сегменты:/,
    );
  });

  it('writes reject reasons of imports in nl and ru', async () => {
    await engine.exec(`INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind)
      VALUES (999, 'orders.csv', 'orders', 7, 'order_date', '2025-13-07',
        'column "order_date" → order_date: expected a date (%Y-%m-%d), found "2025-13-07"', 'rejected')`);
    const reason = async (language?: string) =>
      (await get('/api/rejects?loadId=999', language)).body.rows[0].reason;
    expect(await reason()).toBe(
      'column "order_date" → order_date: expected a date (%Y-%m-%d), found "2025-13-07"',
    );
    expect(await reason('nl')).toBe(
      'kolom "order_date" → order_date: verwacht een datum (%Y-%m-%d), gevonden "2025-13-07"',
    );
    expect(await reason('ru')).toBe(
      'столбец "order_date" → order_date: ожидалась дата (%Y-%m-%d), найдено "2025-13-07"',
    );
  });
});

describe('exports with a header row in plain labels', () => {
  it('writes the field dictionary’s labels in the caller’s language, and column names by default', async () => {
    const created = await ctx.app.request('/api/segments', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'labelled', expression: 'orders >= 1' }),
    });
    expect(created.status).toBe(200);
    const header = async (query: string, language?: string) => {
      const res = await ctx.app.request(`/api/segments/labelled/export?format=csv${query}`, {
        headers: { authorization: `Bearer ${token}`, ...(language ? { 'accept-language': language } : {}) },
      });
      expect(res.status).toBe(200);
      return (await res.text()).split('\r\n')[0];
    };
    expect(await header('')).toBe('customer_id,first_name,last_name,email');
    expect(await header('&fields=all')).toBe(
      'customer_id,first_name,last_name,email,phone,street,postcode,city,country',
    );
    expect(await header('&channel=sms&with=rfm_segment')).toBe('customer_id,first_name,phone,rfm_segment');
    expect(await header('&header=labels&fields=all', 'nl')).toBe(
      'klantnummer,voornaam,achternaam,e-mailadres,telefoonnummer,straat,postcode,woonplaats,land',
    );
    expect(await header('&header=labels&fields=all', 'ru')).toBe(
      'номер клиента,имя,фамилия,адрес e-mail,номер телефона,улица,почтовый индекс,город,страна',
    );
  });
});
