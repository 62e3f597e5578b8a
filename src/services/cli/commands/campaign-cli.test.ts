import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { DuckDbEngine, migrate } from '../../../store/index.js';

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
    CREATE TABLE exp AS SELECT CASE WHEN i % 2 = 0 THEN 'ctl' ELSE 'mail' END AS grp, (i % 5 = 0)::INT AS buy
      FROM range(100) t(i);
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
});
