import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { bestSendTimes } from './index.js';

/**
 * Ten contacts open their e-mails on Wednesdays at 10:00 (hour of week 58), A opens thirty e-mails on
 * Tuesdays at 20:00 (44), B once on a Saturday at 03:00 (123). A also clicks every SMS and no e-mail.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO campaigns (campaign_id, channel, source, load_id)
      SELECT 'E' || j, 'email', 't', 1 FROM range(30) t(j) UNION ALL SELECT 'S' || j, 'sms', 't', 1 FROM range(5) t(j);
    -- 2025-10-01 is a Wednesday, 2025-09-30 a Tuesday, 2025-10-04 a Saturday.
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'E' || j, 'P' || i, ev, TIMESTAMP '2025-10-01 09:00:00' + INTERVAL (7 * j) DAY + CASE ev WHEN 'open' THEN INTERVAL 1 HOUR ELSE INTERVAL 0 HOUR END, 't', 1
      FROM range(10) a(i), range(30) b(j), (VALUES ('sent'), ('open')) e(ev) WHERE j < 3 + i;
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'E' || j, 'A', ev, TIMESTAMP '2025-09-30 19:00:00' + INTERVAL (7 * j) DAY + CASE ev WHEN 'open' THEN INTERVAL 1 HOUR ELSE INTERVAL 0 HOUR END, 't', 1
      FROM range(30) b(j), (VALUES ('sent'), ('open')) e(ev);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'S' || j, 'A', ev, TIMESTAMP '2025-11-04 19:00:00' + INTERVAL (7 * j) DAY, 't', 1
      FROM range(5) b(j), (VALUES ('sent'), ('click')) e(ev);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id) VALUES
      ('E0', 'B', 'sent', TIMESTAMP '2025-10-04 02:00:00', 't', 1),
      ('E0', 'B', 'open', TIMESTAMP '2025-10-04 03:00:00', 't', 1);
  `);
});
afterAll(async () => {
  await engine.close();
});

describe('bestSendTimes', () => {
  it('recovers a contact’s own hour with enough history and falls back to the population with little', async () => {
    const r = await bestSendTimes(engine, { asOf: '2026-06-30', save: true });
    const rows = await engine.query(
      'SELECT customer_id, best_hour_of_week, best_iso_weekday, best_hour, events, best_channel FROM customer_send_time ORDER BY 1',
    );
    const by = Object.fromEntries(rows.map((x) => [String(x.customer_id), x]));
    expect(Number(by.A!.best_hour_of_week)).toBe(44);
    expect([Number(by.A!.best_iso_weekday), Number(by.A!.best_hour)]).toEqual([2, 20]);
    expect(Number(by.B!.best_hour_of_week)).toBe(58);
    expect(r.populationBest).toBe(58);
    expect(Number(by.P9!.best_hour_of_week)).toBe(58);
    expect(by.A!.best_channel).toBe('sms');
    expect(r.population.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(r.bestHours.reduce((s, x) => s + x, 0)).toBe(12);
  });
});
