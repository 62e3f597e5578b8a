import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShop } from '../../../test/support/tiny-shop.js';
import type { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await openShop();
  await engine.exec('DELETE FROM customer_texts');
  await engine.exec(`INSERT INTO customer_texts (text_id, customer_id, kind, text_time, rating, body, source, load_id) VALUES
    ('t1', 'c1', 'review', TIMESTAMP '2024-07-01 00:00:00', 1, 'Très déçue : colis arrivé en retard et abîmé.', 'test', 1),
    ('t2', 'c2', 'review', TIMESTAMP '2024-06-01 00:00:00', 5, 'Sehr zufrieden, schnelle Lieferung!', 'test', 1)`);
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const json = (res: Response): Promise<any> => res.json();
const call = (method: string, path: string, role: string, body?: unknown) =>
  ctx.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tokens[role]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('texts endpoints', () => {
  it('analyses texts as an analyst job, then serves the voice of the customer; alerts only to analysts', async () => {
    const before = await json(await call('GET', '/api/texts', 'viewer'));
    expect(before).toMatchObject({ texts: 2, analysed: 0, asOf: '2024-07-01' });
    expect((await call('POST', '/api/texts/analyze', 'viewer', {})).status).toBe(403);
    const started = await json(await call('POST', '/api/texts/analyze', 'analyst', { clusters: 0 }));
    const done = await ctx.jobs.wait(started.id);
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ rows: 2, written: 2 });

    const v = await json(await call('GET', '/api/texts?valuablePercentile=0.5', 'analyst'));
    expect(v.analysed).toBe(2);
    expect(v.languages.map((l: { language: string }) => l.language).sort()).toEqual(['de', 'fr']);
    const delivery = v.keywordTopics.find((t: { topic: string }) => t.topic === 'delivery');
    expect(delivery.texts).toBe(2);
    expect(delivery.examples[0]).toMatchObject({ textId: 't1', customerId: 'c1' });
    expect(v.alerts.map((a: { customerId: string }) => a.customerId)).toEqual(['c1']);

    const viewer = await json(await call('GET', '/api/texts?valuablePercentile=0.5', 'viewer'));
    expect(viewer.alerts).toEqual([]);
    expect(viewer.keywordTopics[0].examples[0].customerId).toBeNull();

    const voice = await json(await call('GET', '/api/texts/customers/c1', 'analyst'));
    expect(voice).toMatchObject({ customerId: 'c1', texts: 1, shareNegative: 1 });
    expect(voice.topTopics.map((t: { topic: string }) => t.topic)).toEqual(['delivery', 'quality']);
    expect((await call('GET', '/api/texts/customers/c1', 'viewer')).status).toBe(403);

    const c360 = await json(await call('GET', '/api/customers/c1', 'analyst'));
    const text = c360.timeline.find((e: { kind: string }) => e.kind === 'text');
    expect(text.detail).toMatchObject({ sentiment_label: 'negative', language: 'fr' });
    expect(text.label).toMatch(/negative/);
  });

  it('rejects a bad query with 400', async () => {
    expect((await call('GET', '/api/texts?alertDays=0', 'viewer')).status).toBe(400);
  });
});
