import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { rfmSummary } from '../../../analytics/rfm/index.js';
import { DuckDbEngine, migrate } from '../../../store/index.js';
import { createApp } from '../../http/app.js';
import { createToken } from '../../http/auth.js';

let dir = '';
const cli = cliOn(() => join(dir, 'c.duckdb'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-campaign-'));
  const engine = await DuckDbEngine.open(join(dir, 'c.duckdb'));
  await migrate(engine);
  // 300 sent, 100 held out; 60 treated and 10 control contacts order within a week.
  await engine.exec(`
    INSERT INTO customers (customer_id, source, load_id) SELECT 'K' || i, 't', 1 FROM range(400) t(i);
    INSERT INTO campaigns (campaign_id, name, channel, keywords, cost, source, load_id)
      VALUES ('A', 'A', 'email', ['x'], 100, 't', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'A', 'K' || i, CASE WHEN i < 300 THEN 'sent' ELSE 'holdout' END, TIMESTAMP '2025-03-01 08:00:00', 't', 1
      FROM range(400) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, order_time, total, source, load_id)
      SELECT 'O' || i, 'K' || i, DATE '2025-03-03', TIMESTAMP '2025-03-03 10:00:00', 25, 't', 1
      FROM range(400) t(i) WHERE i < 60 OR (i >= 300 AND i < 310);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'A', 'K' || i, 'open', TIMESTAMP '2025-03-01 09:00:00', 't', 1 FROM range(100) t(i);
    INSERT INTO campaigns (campaign_id, name, channel, keywords, source, load_id) VALUES ('B', 'B', 'email', ['y'], 't', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'B', 'K' || i, 'sent', TIMESTAMP '2025-04-01 08:00:00', 't', 1 FROM range(300) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT CASE WHEN i < 20 THEN 'A' ELSE 'B' END, 'K' || i, 'click', TIMESTAMP '2025-04-01 09:00:00', 't', 1
      FROM range(40) t(i);
    CREATE TABLE exp AS SELECT CASE WHEN i % 2 = 0 THEN 'ctl' ELSE 'mail' END AS grp, (i % 5 = 0)::INT AS buy
      FROM range(200) t(i);
  `);
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clientele campaign evaluate', () => {
  it('prints arms with lift and interval as JSON', async () => {
    const r = await cli('campaign', 'evaluate', '--as-of', '2025-06-30', '--json');
    expect(r.exitCode).toBe(0);
    const treated = r.json.arms.find((a: { arm: string }) => a.arm === 'treated');
    expect(treated).toMatchObject({ group: { campaign: 'A' }, n: 300, conversions: 60 });
    expect(treated.lift).toBeCloseTo(0.2 - 0.1, 12);
    expect(treated.ciLow).toBeLessThan(treated.lift);
    expect(treated.ciHigh).toBeGreaterThan(treated.lift);
    expect(treated.incrementalValue).toBeCloseTo((300 * (60 * 25)) / 300 - (300 * (10 * 25)) / 100, 6);
    expect(treated.roi).toBeCloseTo((treated.incrementalValue - 100) / 100, 9);
    expect(r.json.notes[0]).toMatchObject({ verdict: 'works', pays: true });
  });

  it('evaluates an experiment table and explains a missing flag', async () => {
    const ok = await cli(
      'campaign',
      'evaluate',
      '--table',
      'exp',
      '--arm',
      'grp',
      '--control',
      'ctl',
      '--outcome',
      'buy',
      '--json',
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.json.arms.map((a: { arm: string }) => a.arm)).toEqual(['ctl', 'mail']);
    const bad = await cli('campaign', 'evaluate', '--table', 'exp', '--arm', 'grp');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--control, --outcome/);
    const human = await cli('campaign', 'evaluate', '--as-of', '2025-06-30');
    expect(human.stdout).toMatch(/treated/);
  });

  it('fits uplift learners on a table and lists targets', async () => {
    const r = await cli(
      'campaign',
      'uplift',
      '--table',
      'exp',
      '--arm',
      'grp',
      '--control',
      'ctl',
      '--outcome',
      'buy',
      '--top',
      '5',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    expect(r.json.learners.map((l: { learner: string }) => l.learner).sort()).toEqual([
      'random',
      'response',
      'transformed-outcome',
      'two-model',
    ]);
    expect(r.json.targets).toHaveLength(5);
  });
});

describe('clientele campaign interests', () => {
  it('saves interest columns that segments can filter on', async () => {
    const r = await cli('campaign', 'interests', '--as-of', '2025-06-30', '--save', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.keywords.map((k: { column: string }) => k.column).sort()).toEqual([
      'interest_x',
      'interest_y',
    ]);
    expect((await cli('features', 'build', '--as-of', '2025-06-30')).exitCode).toBe(0);
    const seg = await cli('segment', 'count', 'interest_x > 0.55', '--json');
    expect(seg.exitCode).toBe(0);
    // K0–K19 clicked only A (keyword x), K20–K39 only B (y).
    expect(seg.json.count).toBe(20);
    // Best send time and channel are segment columns too once saved.
    expect((await cli('campaign', 'sendtime', '--as-of', '2025-06-30', '--save', '--json')).exitCode).toBe(0);
    const st = await cli(
      'segment',
      'count',
      "best_channel = 'email' and best_hour between 8 and 10",
      '--json',
    );
    expect(st.exitCode).toBe(0);
    expect(st.json.count).toBeGreaterThan(0);
  });
});

describe('clientele segment export --policy', () => {
  it('leaves out contacts over the cap, by reason, and reconciles the counts', async () => {
    const engine = await DuckDbEngine.open(join(dir, 'c.duckdb'));
    await engine.exec(`UPDATE customers SET consent_email = true, email = customer_id || '@example.com'`);
    await engine.close();
    writeFileSync(
      join(dir, 'policy.yaml'),
      'channels:\n  email: { max: 1, windowDays: 30, minGapHours: 24 }\n',
    );
    expect((await cli('features', 'build', '--as-of', '2025-06-30')).exitCode).toBe(0);
    expect((await cli('segment', 'create', 'all', 'orders >= 0')).exitCode).toBe(0);
    const out = join(dir, 'all.csv');
    const args = [
      'segment',
      'export',
      'all',
      '--channel',
      'email',
      '--out',
      out,
      '--policy',
      join(dir, 'policy.yaml'),
    ];
    const r = await cli(...args, '--send-at', '2025-04-10', '--json');
    expect(r.exitCode).toBe(0);
    // K0–K299 had campaign B on 2025-04-01 (1 send in 30 days: at the cap); K300–K399 were held out only.
    expect(r.json.excluded.policy).toEqual({ over_channel_cap: 300, over_total_cap: 0, too_soon: 0 });
    expect(r.json.exported).toBe(100);
    const x = r.json.excluded;
    expect(r.json.size).toBe(r.json.exported + x.noConsent + x.noAddress + x.unsubscribed + 300);
    expect(readFileSync(out, 'utf8')).not.toMatch(/K299,/);
    const vip = await cli(...args, '--send-at', '2025-04-10', '--campaign', 'VIP', '--json');
    expect(vip.json.exported).toBe(100);
    writeFileSync(join(dir, 'vip.yaml'), 'channels:\n  email: { max: 1 }\npriorityCampaigns: [VIP]\n');
    const vip2 = await cli(
      ...args.slice(0, -1),
      join(dir, 'vip.yaml'),
      '--send-at',
      '2025-04-10',
      '--campaign',
      'VIP',
      '--json',
    );
    expect(vip2.json.exported).toBe(400);
  });

  it('reports pressure classes', async () => {
    const r = await cli('pressure', '--as-of', '2025-06-30', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.classes.reduce((s: number, c: { contacts: number }) => s + c.contacts, 0)).toBe(300);
  });
});

describe('clientele rfm --kind rfo', () => {
  it('profiles the opens themselves, not purchase RFM', async () => {
    const r = await cli('rfm', '--kind', 'rfo', '--as-of', '2025-03-15', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.kind).toBe('rfo');
    expect(r.json.contacts).toBe(300);
    const q = Object.fromEntries(
      r.json.quadrants.map((x: { quadrant: string; contacts: number }) => [x.quadrant, x.contacts]),
    );
    // 100 of the 300 opened (no clicks): above the population open rate, so window shoppers; the rest dormant.
    expect(q).toEqual({ 'loyal readers': 0, 'window shoppers': 100, selective: 0, dormant: 200 });
    const human = await cli('rfm', '--kind', 'rfc', '--as-of', '2025-03-15');
    expect(human.stdout).toMatch(/RFC \(clicks\)/);
    expect(human.stdout).not.toMatch(/Champions/);
    const bad = await cli('rfm', '--kind', 'rfo', '--compare', '2025-01-01');
    expect(bad.exitCode).toBe(2);
  });

  it('gives the same figures as GET /api/rfm?kind=rfo and rfmSummary, with the same default date', async () => {
    const r = await cli('rfm', '--kind', 'rfo', '--json');
    expect(r.exitCode).toBe(0);
    const engine = await DuckDbEngine.open(join(dir, 'c.duckdb'));
    try {
      const { app } = await createApp(engine, { log: () => undefined });
      const { token } = await createToken(engine, 'analyst', 'analyst');
      const res = await app.request('/api/rfm?kind=rfo', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const api = await res.json();
      const lib = await rfmSummary(engine, { asOf: r.json.asOf, kind: 'rfo' });
      expect(r.json.asOf).toBe('2025-03-03'); // the last order date, as the API's default
      expect(api).toEqual(r.json);
      expect(JSON.parse(JSON.stringify(lib))).toEqual(r.json);
    } finally {
      await engine.close();
    }
  });
});
