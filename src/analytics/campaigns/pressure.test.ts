import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate, raw, sql } from '../../store/index.js';
import { type ContactPolicy, parsePolicy, policyReasonSql, pressureReport } from './index.js';

/**
 * Planted fatigue: 500 contacts over 13 months; in each month a contact gets 1–8 e-mails (varying month to
 * month, evenly spaced); the chance to open is the contact's own propensity (0.2–0.6) × 1 up to 4 e-mails in
 * the last 30 days, then × 0.55 per e-mail beyond: the planted saturation point is 4 sends in 30 days.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    CREATE TEMP TABLE plan AS
      SELECT i, m, 1 + hash(i * 100 + m) % 8 AS f, 0.2 + (hash(i) % 1000) / 2500.0 AS base
      FROM range(500) a(i), range(13) b(m);
    CREATE TEMP TABLE sends AS
      SELECT i, base, 'P' || m || '_' || j AS campaign_id,
        TIMESTAMP '2025-06-01 08:00:00' + INTERVAL (m * 30) DAY + INTERVAL (CAST(j * 30 * 24 / f AS INTEGER)) HOUR AS t
      FROM plan, range(8) c(j) WHERE j < f;
    CREATE TEMP TABLE scored AS
      SELECT *, count(*) OVER (PARTITION BY i ORDER BY t RANGE BETWEEN INTERVAL 30 DAY PRECEDING AND CURRENT ROW) AS k
      FROM sends;
    INSERT INTO campaigns (campaign_id, channel, source, load_id)
      SELECT DISTINCT campaign_id, 'email', 't', 1 FROM sends;
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT campaign_id, 'C' || i, 'sent', t, 't', 1 FROM scored;
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT campaign_id, 'C' || i, 'open', t + INTERVAL 2 HOUR, 't', 1 FROM scored
      WHERE (hash(i, campaign_id) % 100000) / 100000.0 < base * CASE WHEN k <= 4 THEN 1 ELSE pow(0.55, k - 4) END;
    INSERT INTO customers (customer_id, country, source, load_id)
      SELECT 'C' || i, CASE WHEN i % 2 = 0 THEN 'NL' ELSE 'BE' END, 't', 1 FROM range(500) a(i);
  `);
});
afterAll(async () => {
  await engine.close();
});

describe('pressureReport', () => {
  it('recovers the planted saturation point and classes the most-mailed contacts saturated', async () => {
    const r = await pressureReport(engine, { asOf: '2026-06-30', by: 'country', save: true });
    expect(r.saturationSends).not.toBeNull();
    expect(r.saturationSends!).toBeGreaterThanOrEqual(3);
    expect(r.saturationSends!).toBeLessThanOrEqual(5);
    const at = (k: number) => r.curve.find((p) => p.sends === k)!;
    // Flat up to 4 (no contact has a single send in 30 days here), then falling: the 8+ bucket's interval lies below the 1–4 rates.
    expect(Math.abs(at(2).adjustedRate - at(4).adjustedRate)).toBeLessThan(0.05);
    expect(at(8).ciHigh).toBeLessThan(at(2).ciLow);
    const sat = await engine.query(
      `SELECT min(recent_sends) AS lo FROM customer_pressure WHERE pressure_class = 'saturated'`,
    );
    expect(Number(sat[0]!.lo)).toBeGreaterThanOrEqual(r.saturationSends!);
    expect(r.classes.reduce((s, c) => s + c.contacts, 0)).toBe(500);
    expect(r.segments.reduce((s, c) => s + c.contacts, 0)).toBe(500);
  });

  it('saving computes the per-send window once (a scratch table, dropped after), with the same figures', async () => {
    const plain = await pressureReport(engine, { asOf: '2026-06-30' });
    const statements: string[] = [];
    const counting = new Proxy(engine, {
      get(target, prop, receiver) {
        if (prop === 'query' || prop === 'exec')
          return (q: { toString(): string }, ...rest: unknown[]) => {
            statements.push(String(q));
            return (target[prop] as (...a: unknown[]) => unknown).call(target, q, ...rest);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const saved = await pressureReport(counting, { asOf: '2026-06-30', save: true });
    expect(statements.filter((t) => t.includes('OVER (PARTITION BY customer_id')).length).toBe(1);
    // The same figures up to floating-point summation order.
    expect(saved.curve.map((p) => [p.sends, p.n])).toEqual(plain.curve.map((p) => [p.sends, p.n]));
    saved.curve.forEach((p, i) => {
      expect(p.adjustedRate).toBeCloseTo(plain.curve[i]!.adjustedRate, 9);
      expect(p.ciLow).toBeCloseTo(plain.curve[i]!.ciLow, 9);
    });
    expect(saved.saturationSends).toBe(plain.saturationSends);
    expect(saved.classes.map((c) => [c.class, c.contacts])).toEqual(
      plain.classes.map((c) => [c.class, c.contacts]),
    );
    const left = await engine.query(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '%scratch%'`,
    );
    expect(Number(left[0]!.n)).toBe(0);
  });
});

describe('contact policy', () => {
  it('rejects a policy with every problem listed', () => {
    expect(() => parsePolicy({ channels: { email: { max: -1 } }, extra: 1 })).toThrow(
      /extra[\s\S]*channels.email.max/,
    );
  });

  it('never lets a capped or too-recent contact through, and lets the others through', async () => {
    const e = await DuckDbEngine.open(':memory:');
    await migrate(e);
    await e.exec(`INSERT INTO campaigns (campaign_id, channel, source, load_id) VALUES
      ('E', 'email', 't', 1), ('S', 'sms', 't', 1), ('VIP', 'email', 't', 1)`);
    const sendAt = '2026-03-01 12:00:00';
    const at = Date.parse('2026-03-01T12:00:00Z');
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 * 24 }), fc.boolean()), { maxLength: 6 }), {
            minLength: 1,
            maxLength: 6,
          }),
          fc.record({
            max: fc.integer({ min: 0, max: 4 }),
            windowDays: fc.integer({ min: 1, max: 40 }),
            minGapHours: fc.integer({ min: 0, max: 72 }),
            total: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
          }),
          fc.boolean(),
          async (histories, cap, priority) => {
            await e.exec('DELETE FROM campaign_events');
            // Each history entry: hours before the send, e-mail (true) or SMS.
            const rows = histories.flatMap((h, c) =>
              h.map(
                ([hours, email], j) =>
                  `('${email ? 'E' : 'S'}', 'K${c}', 'sent', TIMESTAMP '${sendAt}' - INTERVAL ${hours} HOUR + INTERVAL ${j} SECOND)`,
              ),
            );
            if (rows.length)
              await e.exec(`INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
                SELECT *, 't', 1 FROM (VALUES ${rows.join(', ')})`);
            const policy: ContactPolicy = parsePolicy({
              channels: { email: { max: cap.max, windowDays: cap.windowDays, minGapHours: cap.minGapHours } },
              ...(cap.total === null ? {} : { total: { max: cap.total, windowDays: 30 } }),
              priorityCampaigns: ['VIP'],
            });
            const reason = policyReasonSql(e.dialect, policy, {
              channel: 'email',
              campaign: priority ? 'VIP' : 'NEW',
              sendAt,
              customerId: sql`k.id`,
            });
            const ids = histories.map((_, c) => `('K${c}')`).join(', ');
            const got = await e.query(
              sql`SELECT k.id, ${reason} AS reason FROM (SELECT * FROM (VALUES ${raw(ids)}) v(id)) k ORDER BY k.id`,
            );
            histories.forEach((h, c) => {
              const hoursAgo = h.map(([hours, email], j) => ({ age: hours - j / 3600, email }));
              const inWindow = hoursAgo.filter((x) => x.email && x.age <= cap.windowDays * 24).length;
              const inTotal = hoursAgo.filter((x) => x.age <= 30 * 24).length;
              const tooSoon = hoursAgo.some((x) => x.email && x.age < cap.minGapHours);
              const blocked =
                inWindow >= cap.max ||
                (cap.total !== null && inTotal >= cap.total) ||
                (cap.minGapHours > 0 && tooSoon);
              const r = got.find((g) => g.id === `K${c}`)?.reason ?? null;
              if (priority) expect(r).toBeNull();
              else if (blocked) expect(r).not.toBeNull();
              else expect(r).toBeNull();
            });
            void at;
          },
        ),
        { numRuns: 60, seed: 13 },
      );
    } finally {
      await e.close();
    }
  });
});
