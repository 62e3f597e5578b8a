import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { createRng, sampleBeta } from '../shared/rng.js';
import { engagementProfile, fitBetaBinomial, shrunkRate } from './index.js';

/**
 * Twelve monthly e-mails (2025-07-10 + 30·j, the last three inside the 90 recent days before 2026-06-30):
 * A opens all and clicks every other one (loyal reader); B opens all but one and never clicks (window
 * shopper); C opens three and clicks each (selective); D never opens (dormant); E got one e-mail and opened
 * it (few sends: shrunk); F opened the first nine and none of the recent three (declining); G's only e-mail
 * bounced (not delivered, not profiled).
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO campaigns (campaign_id, channel, source, load_id) SELECT 'M' || j, 'email', 't', 1 FROM range(12) t(j);
    INSERT INTO campaigns (campaign_id, channel, source, load_id) VALUES ('S1', 'sms', 't', 1);
    CREATE TEMP TABLE plan AS SELECT * FROM (VALUES
      ('A', 0, 11, [0,1,2,3,4,5,6,7,8,9,10,11], [0,2,4,6,8,10]),
      ('B', 0, 11, [1,2,3,4,5,6,7,8,9,10,11], []::INTEGER[]),
      ('C', 0, 11, [0,5,10], [0,5,10]),
      ('D', 0, 11, []::INTEGER[], []::INTEGER[]),
      ('E', 11, 11, [11], []::INTEGER[]),
      ('F', 0, 11, [0,1,2,3,4,5,6,7,8], []::INTEGER[])) t(c, j0, j1, opens, clicks);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
    SELECT 'M' || j, c, kind, TIMESTAMP '2025-07-10 09:00:00' + INTERVAL (30 * j) DAY
        + CASE kind WHEN 'sent' THEN INTERVAL 0 MINUTE WHEN 'open' THEN INTERVAL 60 MINUTE ELSE INTERVAL 70 MINUTE END, 't', 1
    FROM plan, range(12) r(j), (VALUES ('sent'), ('open'), ('click')) k(kind)
    WHERE j BETWEEN j0 AND j1 AND (kind = 'sent' OR (kind = 'open' AND list_contains(opens, j))
      OR (kind = 'click' AND list_contains(clicks, j)));
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
      ('M0', 'G', 'sent', TIMESTAMP '2025-07-10 09:00:00', 't', 1),
      ('M0', 'G', 'bounce', TIMESTAMP '2025-07-10 09:01:00', 't', 1),
      ('S1', 'D', 'sent', TIMESTAMP '2026-01-10 09:00:00', 't', 1),
      ('S1', 'D', 'click', TIMESTAMP '2026-01-10 09:05:00', 't', 1);
  `);
});
afterAll(async () => {
  await engine.close();
});

describe('engagementProfile', () => {
  it('places each planted contact in its quadrant, shrinks few sends and flags the decline', async () => {
    const r = await engagementProfile(engine, { asOf: '2026-06-30', save: true });
    expect(r.contacts).toBe(6);
    const rows = await engine.query(
      `SELECT customer_id, quadrant, delivered, opens, clicks, open_probability, declining, r_open, f_open
       FROM customer_engagement ORDER BY customer_id`,
    );
    const by = Object.fromEntries(rows.map((x) => [String(x.customer_id), x]));
    expect(by.A!.quadrant).toBe('loyal readers');
    expect(by.B!.quadrant).toBe('window shoppers');
    expect(by.C!.quadrant).toBe('selective');
    expect(by.D!.quadrant).toBe('dormant');
    expect([by.A!.delivered, by.A!.opens, by.A!.clicks].map(Number)).toEqual([12, 12, 6]);
    // D's SMS click is another channel: not an e-mail open.
    expect(Number(by.D!.opens)).toBe(0);
    // One opened e-mail is not a 100% open rate: E sits between the population and 1.
    const e = Number(by.E!.open_probability);
    expect(e).toBeGreaterThan(r.openPrior.mean);
    expect(e).toBeLessThan(0.95);
    expect(e).toBeCloseTo(shrunkRate(r.openPrior, 1, 1), 12);
    expect(Number(by.F!.declining)).toBe(1);
    expect(Number(by.A!.declining)).toBe(0);
    // RFO: A opened most recently (tied with B and E) and most often; D never opened, F stopped.
    expect(Math.max(...rows.map((x) => Number(x.r_open)))).toBe(Number(by.A!.r_open));
    expect(Math.max(...rows.map((x) => Number(x.f_open)))).toBe(Number(by.A!.f_open));
    expect(Number(by.D!.r_open)).toBe(1);
    expect(Number(by.F!.r_open)).toBeLessThan(Number(by.C!.r_open));
    expect(r.quadrants.reduce((s, q) => s + q.contacts, 0)).toBe(6);
    expect(r.rfo.flat().reduce((s, n) => s + n, 0)).toBe(6);
  });
});

describe('fitBetaBinomial', () => {
  it('recovers the prior of simulated contacts', () => {
    const rng = createRng(4);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const p = sampleBeta(rng, 2, 5);
      const n = 1 + rng.int(20);
      let k = 0;
      for (let j = 0; j < n; j++) if (rng.next() < p) k++;
      counts.set(`${n},${k}`, (counts.get(`${n},${k}`) ?? 0) + 1);
    }
    const prior = fitBetaBinomial(
      [...counts].map(([key, count]) => {
        const [n, k] = key.split(',').map(Number);
        return { n: n!, k: k!, count };
      }),
    );
    expect(prior.converged).toBe(true);
    expect(prior.mean).toBeGreaterThan(2 / 7 - 0.02);
    expect(prior.mean).toBeLessThan(2 / 7 + 0.02);
    expect(prior.strength).toBeGreaterThan(5);
    expect(prior.strength).toBeLessThan(9.5);
  });

  it('gives shrunk rates inside (0, 1), between the own rate and the population', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 3,
          maxLength: 30,
        }),
        (raw) => {
          const pairs = raw.map(([n, f]) => ({ n, k: Math.round(f * n), count: 1 }));
          const prior = fitBetaBinomial(pairs);
          for (const p of pairs) {
            const s = shrunkRate(prior, p.k, p.n);
            expect(s).toBeGreaterThan(0);
            expect(s).toBeLessThan(1);
            const own = p.k / p.n;
            expect(s).toBeGreaterThanOrEqual(Math.min(own, prior.mean) - 1e-9);
            expect(s).toBeLessThanOrEqual(Math.max(own, prior.mean) + 1e-9);
          }
        },
      ),
      { seed: 5, numRuns: 60 },
    );
  });
});
