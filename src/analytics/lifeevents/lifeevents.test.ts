import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../test/support/demo-datamart.js';
import { englishWordsIn } from '../../../test/support/english-words.js';
import type { DemoManifest } from '../../demo/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { countSegment } from '../segments/index.js';
import {
  binomialUpperTail,
  customerLifeEvents,
  detect,
  detectBreaks,
  detectLifeEvents,
  findLifeEvents,
  type LifeEventResult,
} from './index.js';

/**
 * The demo plants new babies, moves and channel switches (src/demo/life-events.ts) on top of its usual noise
 * (customers who prefer Kids or Home, random channels): detection must find them with precision and recall of
 * at least 0.8 for each type, and date most of them within a month.
 */
let engine: DuckDbEngine;
let manifest: DemoManifest;
let result: LifeEventResult;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  manifest = await seedDemo(engine, { customers: 5000, seed: 42 });
  result = await detectLifeEvents(engine, { asOf: '2026-06-30' });
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

describe('life events on the demo shop', () => {
  it('finds each planted type with precision and recall ≥ 0.8, dated within 30 days', async () => {
    const found = await engine.query<{ customer_id: string; event_type: string; event_date: string }>(
      'SELECT customer_id, event_type, CAST(event_date AS VARCHAR) AS event_date FROM life_events',
    );
    for (const type of ['new_baby', 'moving', 'channel_switch']) {
      const planted = new Map(
        manifest.planted.lifeEvents.events.filter((e) => e.type === type).map((e) => [e.customerId, e.date]),
      );
      const got = found.filter((f) => f.event_type === type);
      const hits = got.filter((f) => planted.has(f.customer_id));
      const precision = hits.length / got.length;
      const recall = hits.length / planted.size;
      expect(planted.size, type).toBeGreaterThan(40);
      expect(precision, `${type} precision`).toBeGreaterThanOrEqual(0.8);
      expect(recall, `${type} recall`).toBeGreaterThanOrEqual(0.8);
      const onTime = hits.filter(
        (f) =>
          Math.abs(Date.parse(f.event_date) - Date.parse(planted.get(f.customer_id)!)) <= 30 * 86_400_000,
      );
      expect(onTime.length / hits.length, `${type} dated`).toBeGreaterThanOrEqual(0.8);
    }
    expect(result.counts.new_baby).toBe(found.filter((f) => f.event_type === 'new_baby').length);
  });

  it('breaks in frequency: a flagged slowdown is a planted leaver (who slows down before leaving)', async () => {
    const leavers = new Set(manifest.planted.churn.complaints.leaverIds);
    const down = await engine.query<{ customer_id: string }>(
      `SELECT customer_id FROM life_events WHERE event_type = 'frequency_down'`,
    );
    expect(down.length).toBeGreaterThan(10);
    const precision = down.filter((d) => leavers.has(d.customer_id)).length / down.length;
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });

  it('is usable in segments and in the Customer 360: latest event and days since it', async () => {
    const [row] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM customer_life_events WHERE life_event = 'new_baby' AND new_baby_days <= 365`,
    );
    expect(Number(row!.n)).toBeGreaterThan(10);
    const seg = await countSegment(engine, "life_event = 'new_baby' and life_event_days <= 365");
    expect(seg.count).toBe(Number(row!.n));
    const moved = await countSegment(engine, 'moving_days <= 90');
    expect(moved.count).toBeGreaterThan(0);
    const someone = manifest.planted.lifeEvents.events.find((e) => e.type === 'moving')!;
    const events = await customerLifeEvents(engine, someone.customerId);
    expect(events.map((e) => e.type)).toContain('moving');
    expect(events.find((e) => e.type === 'moving')!.evidence).toMatch(
      /furnishing a home on \d{4}-\d{2}-\d{2}: \d+ of \d+ items/,
    );
  });
});

describe('the test behind it', () => {
  it('binomial tail: exact small cases', () => {
    expect(binomialUpperTail(3, 3, 0.1)).toBeCloseTo(0.001, 12);
    expect(binomialUpperTail(1, 2, 0.5)).toBeCloseTo(0.75, 12);
    expect(binomialUpperTail(0, 5, 0.3)).toBe(1);
  });

  it('does not flag a customer whose history already has the category, and corrects for many candidate days', () => {
    const base = { customerId: 'a', type: 'new_baby', m: 4, k: 3, kOrders: 3, ordersBefore: 5, firstDay: 0 };
    const o = {
      alpha: 0.001,
      minHistoryOrders: 1,
      minEventOrders: 2,
      minWindowShare: 0,
      priorOrders: 10,
      shares: new Map([['new_baby', 0.02]]),
      skipUsual: false,
    };
    expect(detect([{ ...base, day: 100, nBefore: 10, hBefore: 0 }], o)).toHaveLength(1);
    expect(detect([{ ...base, day: 100, nBefore: 10, hBefore: 6 }], o)).toHaveLength(0);
    // The same burst seen from 40 candidate days: Bonferroni lifts p above alpha.
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...base,
      day: 100 + i,
      nBefore: 10,
      hBefore: 0,
      k: 2,
    }));
    expect(detect(many, o)).toHaveLength(0);
  });

  it('frequency breaks: a customer who buys monthly, then stops, is flagged; a steady one is not', () => {
    const o = { alpha: 0.001, asOfDay: 1000, minSpanDays: 90, minAfter: 4, minRatio: 1.5 };
    const cand = (customerId: string, day: number, nBefore: number, nAfter: number) => ({
      customerId,
      day,
      firstDay: 0,
      nBefore,
      nAfter,
      dBefore: nBefore,
      dAfter: nAfter,
      sBefore: 0,
      sAfter: 0,
      qBefore: 0,
      qAfter: 0,
    });
    // 'slow': 20 orders in the first 600 days, 1 in the last 400; 'steady': one order every 50 days.
    const slow = [cand('slow', 600, 20, 1)];
    const steady = Array.from({ length: 16 }, (_, i) => cand('steady', 100 + 50 * i, 2 + i, 19 - i));
    const found = detectBreaks([...slow, ...steady], o);
    expect(found.map((e) => [e.customerId, e.type])).toEqual([['slow', 'frequency_down']]);
  });

  it('gives the evidence in the asked language: no English left in nl, fr, de, ru', async () => {
    const one = await engine.query<{ customer_id: string; event_type: string }>(
      `SELECT min(customer_id) AS customer_id, event_type FROM life_events GROUP BY event_type ORDER BY event_type`,
    );
    expect(one.map((r) => r.event_type)).toEqual(
      expect.arrayContaining(['channel_switch', 'frequency_down', 'moving', 'new_baby']),
    );
    for (const { customer_id: id, event_type: type } of one) {
      const en = (await customerLifeEvents(engine, id)).find((e) => e.type === type)!;
      expect(englishWordsIn(en.evidence).length, en.evidence).toBeGreaterThan(3);
      for (const lang of ['nl', 'fr', 'de', 'ru'] as const) {
        const e = (await customerLifeEvents(engine, id, lang)).find((x) => x.type === type)!;
        expect(englishWordsIn(e.evidence), `${lang}: ${e.evidence}`).toEqual([]);
        // The figures are carried over: the dates and the p-value of the English sentence.
        for (const figure of en.evidence.match(/\d{4}-\d{2}-\d{2}|p = [^)]+/g) ?? [])
          expect(e.evidence).toContain(figure);
      }
    }
  });

  it('gives the same events when the customers are taken in batches (bounded memory for large shops)', async () => {
    const whole = await findLifeEvents(engine, { asOf: '2026-06-30' });
    const batched = await findLifeEvents(engine, { asOf: '2026-06-30', batchCustomers: 700 });
    expect(whole.events.length).toBeGreaterThan(100);
    expect(batched.events).toEqual(whole.events);
    expect(batched.candidates).toBe(whole.candidates);
  });
});
