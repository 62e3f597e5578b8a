import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DEFAULT_MIN_CELL_SIZE } from '../../analytics/shared/privacy.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

/** The seeded shop plus one campaign: 120 sent, 40 held out; 30 treated and 4 control contacts buy within a week. */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
let viewer = '';
let analyst = '';

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await engine.exec(`
    INSERT INTO campaigns (campaign_id, name, channel, start_date, keywords, cost, source, load_id)
      VALUES ('EM-1', 'Spring mail', 'email', DATE '2026-03-02', ['fashion'], 50, 't', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-1', 'C' || lpad(i::VARCHAR, 4, '0'), CASE WHEN i <= 120 THEN 'sent' ELSE 'holdout' END,
        TIMESTAMP '2026-03-02 08:00:00', 't', 1 FROM range(1, 161) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-1', 'C' || lpad(i::VARCHAR, 4, '0'), 'open', TIMESTAMP '2026-03-02 09:00:00', 't', 1 FROM range(1, 61) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, order_time, total, source, load_id)
      SELECT 'X' || i, 'C' || lpad(i::VARCHAR, 4, '0'), DATE '2026-03-04', TIMESTAMP '2026-03-04 10:00:00', 40, 't', 1
      FROM range(1, 161) t(i) WHERE i <= 30 OR i > 156;
  `);
  ctx = await createApp(engine, { log: () => undefined });
  viewer = (await createToken(engine, 'viewer', 'viewer')).token;
  analyst = (await createToken(engine, 'analyst', 'analyst')).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const get = async (path: string, token = viewer): Promise<{ status: number; body: any }> => {
  const res = await ctx.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
};

describe('campaign endpoints', () => {
  it('lists each campaign with its funnel and lift against the holdout', async () => {
    const r = await get('/api/campaigns?asOf=2026-06-30');
    expect(r.status).toBe(200);
    const c = r.body.campaigns[0];
    expect(c).toMatchObject({ campaignId: 'EM-1', name: 'Spring mail', sent: 120, control: 40, opens: 60 });
    // Rates include the shop's own orders in the window; the lift is what the holdout cannot explain.
    expect(c.lift).toBeGreaterThan(0.1);
    expect(c.ciLow).toBeLessThan(c.lift);
    expect(c.ciHigh).toBeGreaterThan(c.lift);
  });

  it("has one outcome definition: conversions, orders and revenue are the evaluation's (CLI / library), not event counts", async () => {
    const r = await get('/api/campaigns?asOf=2026-06-30&horizonDays=7');
    expect(r.status).toBe(200);
    expect(r.body.outcome).toMatchObject({ windowDays: 7, base: 'sent contacts against the holdout' });
    expect(r.body.outcome.revenue).toMatch(/net revenue/);
    const c = r.body.campaigns[0];
    expect(c.attributedRevenue).toBeUndefined();
    const { evaluateCampaigns } = await import('../../analytics/campaigns/index.js');
    const e = await evaluateCampaigns(engine, { asOf: '2026-06-30', horizonDays: 7, bootstrap: 0 });
    const treated = e.arms.find((a) => a.group.campaign === 'EM-1' && !a.isControl)!;
    // 30 of the 120 sent bought €40 within the week (no conversion event was imported: still 30, not 0).
    expect(c.conversions).toBe(treated.conversions);
    expect(c.conversions).toBeGreaterThanOrEqual(30);
    expect(c.orders).toBe(Math.round(treated.ordersPerContact! * treated.n));
    expect(c.revenue).toBeCloseTo(treated.valuePerContact! * treated.n, 6);
    expect(c.revenue).toBeGreaterThanOrEqual(30 * 40 - 1e-6);
    expect(c.incrementalRevenue).toBeCloseTo(treated.incrementalValue!, 6);
    expect(c.sent).toBe(treated.n);
  });

  it('breaks a campaign down by a customer attribute and rejects an unknown one', async () => {
    // An analyst sees every segment (a viewer gets those of at least k contacts: see below).
    const r = await get('/api/campaigns/segments?campaign=EM-1&by=country&asOf=2026-06-30', analyst);
    expect(r.status).toBe(200);
    expect(r.body.rows.reduce((s: number, x: { treated: number }) => s + x.treated, 0)).toBe(120);
    // A viewer sees no country whose treated or control group holds 1 to k−1 customers (8 held out each).
    const v = await get('/api/campaigns/segments?campaign=EM-1&by=country&asOf=2026-06-30');
    for (const row of v.body.rows as { treated: number; control: number }[]) {
      expect(row.treated).toBeGreaterThanOrEqual(DEFAULT_MIN_CELL_SIZE);
      expect(row.control === 0 || row.control >= DEFAULT_MIN_CELL_SIZE).toBe(true);
    }
    expect((await get('/api/campaigns/segments?campaign=EM-1&by=shoe_size')).status).toBe(400);
  });

  it("shows one customer's saved campaign profiles, and nulls before they are saved", async () => {
    expect((await get('/api/campaigns/customer/C0001')).status).toBe(403);
    const before = await get('/api/campaigns/customer/C0001', analyst);
    expect(before.status).toBe(200);
    expect(before.body.engagement).toBeNull();
    const { engagementProfile } = await import('../../analytics/campaigns/index.js');
    await engagementProfile(engine, { asOf: '2026-06-30', save: true });
    const after = await get('/api/campaigns/customer/C0001', analyst);
    expect(after.body.engagement).toMatchObject({ delivered: 1, opens: 1 });
  });

  it('profiles e-mail engagement (RFO/RFC on opens and clicks)', async () => {
    const r = await get('/api/campaigns/engagement?asOf=2026-06-30');
    expect(r.status).toBe(200);
    expect(r.body.contacts).toBe(120);
    expect(r.body.rfo.flat().reduce((s: number, n: number) => s + n, 0)).toBe(120);
  });

  it('GET /api/rfm?kind=rfo|rfc is the engagement profile: recency of opens, not orders, same figures', async () => {
    const rfo = await get('/api/rfm?kind=rfo&asOf=2026-06-30');
    expect(rfo.status).toBe(200);
    expect(rfo.body.kind).toBe('rfo');
    expect(rfo.body.segments).toBeUndefined();
    expect(rfo.body.contacts).toBe(120);
    // Every open was on 2026-03-02 09:00; the orders came on 2026-03-04 (118 days): the recency is the open's.
    const openers = rfo.body.quadrants.filter(
      (q: { meanOpenRecencyDays: number | null }) => q.meanOpenRecencyDays !== null,
    );
    expect(openers.reduce((s: number, q: { contacts: number }) => s + q.contacts, 0)).toBe(60);
    for (const q of openers) expect(q.meanOpenRecencyDays).toBe(121); // whole days to the end of 2026-06-30;
    // One meaning per number: the same quadrants and grid as /api/campaigns/engagement (the dashboard's source),
    // less what a viewer may not see (1 to k−1).
    const eng = await get('/api/campaigns/engagement?asOf=2026-06-30');
    const counts = (qs: { quadrant: string; contacts: number }[]) => qs.map((q) => [q.quadrant, q.contacts]);
    expect(counts(rfo.body.quadrants)).toEqual(
      counts(
        eng.body.quadrants.filter(
          (q: { contacts: number }) => q.contacts === 0 || q.contacts >= DEFAULT_MIN_CELL_SIZE,
        ),
      ),
    );
    expect(
      rfo.body.rfo.flat().filter((n: number | null) => n !== null && n >= DEFAULT_MIN_CELL_SIZE),
    ).toEqual(eng.body.rfo.flat().filter((n: number) => n >= DEFAULT_MIN_CELL_SIZE));
    const rfc = await get('/api/rfm?kind=rfc&asOf=2026-06-30&bins=3&windowDays=200');
    expect(rfc.status).toBe(200);
    expect(rfc.body).toMatchObject({ kind: 'rfc', windowDays: 200, contacts: 120 });
    expect(rfc.body.rfc).toHaveLength(3);
  });

  it('refuses engagement-only settings for rfm and movement for rfo / rfc', async () => {
    expect((await get('/api/rfm?kind=rfm&windowDays=200')).status).toBe(400);
    expect((await get('/api/rfm/movement?from=2026-01-01&to=2026-06-30&kind=rfo')).status).toBe(400);
    expect((await get('/api/rfm/movement?from=2026-01-01&to=2026-06-30')).status).toBe(200);
  });

  it('reports marketing pressure', async () => {
    const r = await get('/api/campaigns/pressure?asOf=2026-06-30');
    expect(r.status).toBe(200);
    expect(r.body.classes.reduce((s: number, c: { contacts: number }) => s + c.contacts, 0)).toBe(120);
    // Sends in the window: a whole count per non-empty class (null for an empty one), 1 within 30 days of the send.
    const near = await get('/api/campaigns/pressure?asOf=2026-03-20');
    for (const c of near.body.classes) expect(c.medianRecentSends).toBe(c.contacts ? 1 : null);
    expect(near.body.classes.some((c: { contacts: number }) => c.contacts > 0)).toBe(true);
  });

  it('withholds from a viewer every campaign group of 1 to k−1 contacts; an analyst sees them', async () => {
    const { setSetting } = await import('../../store/index.js');
    // Three contacts also clicked: a quadrant of 3 (under k = 10), next to two of 57 and 60.
    await engine.exec(`INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-1', 'C' || lpad(i::VARCHAR, 4, '0'), 'click', TIMESTAMP '2026-03-02 09:05:00', 't', 1
      FROM range(1, 4) t(i)`);
    const full = (await get('/api/campaigns/engagement?asOf=2026-06-30', analyst)).body;
    const k = 10;
    await setSetting(engine, 'min_cell_size', String(k));
    try {
      const small = (n: number | null) => n !== null && n > 0 && n < k;
      // Engagement: quadrants and RFO / RFC cells.
      const seen = (await get('/api/campaigns/engagement?asOf=2026-06-30')).body;
      const smallQuadrants = full.quadrants.filter((q: { contacts: number }) => small(q.contacts));
      expect(smallQuadrants.length).toBeGreaterThan(0);
      expect(seen.suppressedQuadrants).toBe(smallQuadrants.length);
      expect(seen.quadrants.map((q: { quadrant: string }) => q.quadrant)).toEqual(
        full.quadrants
          .filter((q: { contacts: number }) => !small(q.contacts))
          .map((q: { quadrant: string }) => q.quadrant),
      );
      for (const grid of ['rfo', 'rfc'] as const) {
        expect(seen[grid].flat().some(small)).toBe(false);
        expect(seen[grid].flat()).toEqual(full[grid].flat().map((n: number) => (small(n) ? null : n)));
      }
      expect(seen.declining === null || !small(seen.declining)).toBe(true);
      // Lift by segment: a segment with 1 to k−1 sent or held-out contacts is left out.
      const path = '/api/campaigns/segments?campaign=EM-1&by=country&asOf=2026-06-30';
      const segFull = (await get(path, analyst)).body.rows;
      const segSeen = (await get(path)).body;
      const tooSmall = (r: { treated: number; control: number }) => small(r.treated) || small(r.control);
      expect(segFull.some(tooSmall)).toBe(true);
      expect(segSeen.rows.map((r: { segment: string }) => r.segment)).toEqual(
        segFull
          .filter((r: { treated: number; control: number }) => !tooSmall(r))
          .map((r: { segment: string }) => r.segment),
      );
      expect(segSeen.suppressedSegments).toBe(segFull.filter(tooSmall).length);
      // Pressure: classes and curve points.
      const pFull = (await get('/api/campaigns/pressure?asOf=2026-03-20', analyst)).body;
      const pSeen = (await get('/api/campaigns/pressure?asOf=2026-03-20')).body;
      expect(pSeen.classes.some((c: { contacts: number }) => small(c.contacts))).toBe(false);
      expect(pSeen.suppressedClasses).toBe(
        pFull.classes.filter((c: { contacts: number }) => small(c.contacts)).length,
      );
      expect(pSeen.curve.some((p: { n: number }) => small(p.n))).toBe(false);
    } finally {
      await setSetting(engine, 'min_cell_size', '10');
    }
  });
});
