import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { saveModel, trainModel } from '../../analytics/predict/index.js';
import { DuckDbEngine, migrate, sql } from '../../store/index.js';
import { trainJson } from '../cli/commands/predict.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';

let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  ctx = await createApp(engine, { log: () => undefined });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
});
afterAll(async () => {
  await engine.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const json = (res: Response): Promise<any> => res.json();
const call = (method: string, path: string, role?: string, body?: unknown) =>
  ctx.app.request(path, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('feature, segment and RFM endpoints', () => {
  it('builds features as a background job an analyst may start but a viewer may not', async () => {
    expect((await call('POST', '/api/features/build', 'viewer', {})).status).toBe(403);
    const started = await json(await call('POST', '/api/features/build', 'analyst', { asOf: '2026-06-24' }));
    expect(started.status).toBe('running');
    const done = await ctx.jobs.wait(started.id);
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ asOf: '2026-06-24', features: 200 });
    const polled = await json(await call('GET', `/api/jobs/${started.id}`, 'analyst'));
    expect(polled.progress).toBe(1);
  });

  it('counts a segment for a viewer and lists the usable columns', async () => {
    const cols = await json(await call('GET', '/api/segments/columns', 'viewer'));
    expect(cols.columns.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['recency_days', 'orders']),
    );
    const all = await json(
      await call('POST', '/api/segments/count', 'viewer', { expression: 'orders >= 1' }),
    );
    const [row] = await engine.query<{ n: number }>(
      `SELECT count(DISTINCT customer_id) AS n FROM orders WHERE order_date <= DATE '2026-06-24'`,
    );
    expect(all.count).toBe(row!.n);
    expect(all.total).toBe(200);
    const narrower = await json(
      await call('POST', '/api/segments/count', 'viewer', { expression: "orders >= 6 and country = 'NL'" }),
    );
    expect(narrower.count).toBeLessThan(all.count);
  });

  it('previews a segment’s first members to an analyst, most net revenue first, never to a viewer', async () => {
    const expression = "orders >= 5 and country = 'NL'";
    expect((await call('POST', '/api/segments/preview', 'viewer', { expression })).status).toBe(403);
    const preview = await json(await call('POST', '/api/segments/preview', 'analyst', { expression }));
    const count = await json(await call('POST', '/api/segments/count', 'analyst', { expression }));
    expect(count.count).toBeGreaterThan(10);
    expect(preview.members.length).toBe(10);
    const revenue = preview.members.map((m: { revenue: number }) => m.revenue);
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));
    const [top] = await engine.query<{ id: string }>(
      `SELECT customer_id AS id FROM customer_features WHERE orders >= 5 AND country = 'NL' ORDER BY revenue DESC, customer_id LIMIT 1`,
    );
    expect(preview.members[0].customerId).toBe(top!.id);
    const [audit] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'personal.read'`,
    );
    expect(Number(audit!.n)).toBeGreaterThan(0);
  });

  it('answers a malformed expression with 400, its position and nothing run', async () => {
    const res = await call('POST', '/api/segments/count', 'viewer', {
      expression: 'orders >= 1; DROP TABLE customers',
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.message).toMatch(/position|column|expected/i);
    const [c] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM customers');
    expect(c!.n).toBe(200);
    const missing = await call('POST', '/api/segments/count', 'viewer', {});
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.details.fields).toContain('body.expression');
  });

  it('creates a segment (analyst only), profiles it for a viewer and 404s an unknown one', async () => {
    const body = { name: 'nl_buyers', expression: "country = 'NL' and orders >= 1" };
    expect((await call('POST', '/api/segments', 'viewer', body)).status).toBe(403);
    expect((await call('POST', '/api/segments', 'analyst', body)).status).toBe(200);
    const list = await json(await call('GET', '/api/segments', 'viewer'));
    expect(list.segments.map((s: { name: string }) => s.name)).toContain('nl_buyers');
    const profile = await json(await call('GET', '/api/segments/nl_buyers', 'viewer'));
    expect(profile.size).toBeGreaterThan(0);
    expect(profile.share).toBeCloseTo(profile.size / profile.total, 10);
    expect(JSON.stringify(profile)).not.toContain('@example.com');
    expect((await call('GET', '/api/segments/nope', 'viewer')).status).toBe(404);
    await call('POST', '/api/segments', 'analyst', { name: 'to_delete', expression: 'orders >= 1' });
    expect((await call('DELETE', '/api/segments/to_delete', 'analyst')).status).toBe(403);
    expect((await call('DELETE', '/api/segments/to_delete', 'admin')).status).toBe(200);
    expect((await call('GET', '/api/segments/to_delete', 'viewer')).status).toBe(404);
  });

  it('exports a segment for an analyst with consent applied and audits it; a viewer gets 403', async () => {
    expect(
      (await call('GET', '/api/segments/nl_buyers/export?format=csv&channel=email', 'viewer')).status,
    ).toBe(403);
    const res = await call('GET', '/api/segments/nl_buyers/export?format=csv&channel=email', 'analyst');
    expect(res.status).toBe(200);
    const text = await res.text();
    const counts = JSON.parse(res.headers.get('x-clientele-export') ?? '{}');
    expect(text.trim().split('\n').length - 1).toBe(counts.exported);
    expect(counts.size).toBe(
      counts.exported + counts.excluded.noConsent + counts.excluded.noAddress + counts.excluded.unsubscribed,
    );
    expect(counts.excluded.noConsent).toBeGreaterThan(0);
    const audit = await engine.query(`SELECT action, target FROM audit_log WHERE action = 'segment.export'`);
    expect(audit).toEqual([{ action: 'segment.export', target: 'nl_buyers' }]);
    const bad = await call('GET', '/api/segments/nl_buyers/export?format=pdf', 'analyst');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details.fields).toContain('query.format');
  });

  it('serves the RFM grid and segment movement to a viewer', async () => {
    const rfm = await json(await call('GET', '/api/rfm?asOf=2026-06-24', 'viewer'));
    expect(rfm.cells).toHaveLength(5);
    const cellTotal = rfm.cells.flat().reduce((a: number, b: number) => a + b, 0);
    expect(cellTotal).toBe(rfm.scored);
    expect(rfm.segments.reduce((a: number, s: { customers: number }) => a + s.customers, 0)).toBe(rfm.scored);
    const move = await json(await call('GET', '/api/rfm/movement?from=2026-01-01&to=2026-06-24', 'viewer'));
    expect(move.states.length).toBe(move.matrix.length);
    expect((await call('GET', '/api/rfm/movement?from=2026-01-01', 'viewer')).status).toBe(400);
  });

  it('imports an uploaded file through the normal import path (admin only)', async () => {
    const csv = 'customer_id;first_name;email\nU1;Ute;ute@example.de\nU2;Udo;not-an-email\n';
    const form = () => {
      const f = new FormData();
      f.set('file', new File([csv], 'new-customers.csv', { type: 'text/csv' }));
      f.set('target', 'customers');
      return f;
    };
    const denied = await ctx.app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.analyst}` },
      body: form(),
    });
    expect(denied.status).toBe(403);
    const res = await ctx.app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}` },
      body: form(),
    });
    expect(res.status).toBe(200);
    const job = await ctx.jobs.wait((await json(res)).id);
    expect(job.status).toBe('done');
    const result = job.result as { read: number; loaded: number; rejected: number; duplicates: number };
    expect(result.read).toBe(2);
    expect(result.read).toBe(result.loaded + result.rejected + result.duplicates);
    const noFile = await ctx.app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}` },
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
  });

  it('serves profitability: aggregates to a viewer, customer lists only to an analyst', async () => {
    const viewer = await json(await call('GET', '/api/profit?asOf=2026-06-24', 'viewer'));
    expect(viewer.totals.netRevenue).toBeGreaterThan(0);
    expect(viewer.top).toEqual([]);
    expect(viewer.pareto.points.length).toBeGreaterThan(0);
    const analyst = await json(await call('GET', '/api/profit?asOf=2026-06-24', 'analyst'));
    expect(analyst.top.length).toBeGreaterThan(0);
    expect(analyst.totals.profit).toBeCloseTo(viewer.totals.profit, 6);
    expect((await call('GET', '/api/profit?serviceContactCost=-1', 'viewer')).status).toBe(400);
  });

  it('runs CLV as a job and then serves its tiers and distribution (CDNOW sample)', async () => {
    // The fixed shop buys on a rigid cycle that BG/NBD cannot fit; the job fails and says what to try.
    const failed = await ctx.jobs.wait(
      (await json(await call('POST', '/api/clv/run', 'analyst', { calibrationEnd: '2026-06-24' }))).id,
    );
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('NOT_CONVERGED');
    expect(failed.error?.message).toMatch(/penalizer/);
    // Real purchase histories fit: the CDNOW sample loaded as orders.
    const cdnow = await DuckDbEngine.open(':memory:');
    try {
      await migrate(cdnow);
      const file = join(
        import.meta.dirname,
        '..',
        '..',
        '..',
        '..',
        'shared',
        'data',
        'cdnow',
        'CDNOW_sample.txt',
      );
      await cdnow.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
        SELECT 'o' || row_number() OVER (), p[2], strptime(p[3], '%Y%m%d')::DATE, CAST(p[5] AS DOUBLE), 'cdnow', 1
        FROM (SELECT string_split_regex(trim(line), '\\s+') AS p
              FROM read_csv(${file}, delim = '|', header = false, columns = {'line': 'VARCHAR'}))`);
      const app = await createApp(cdnow, { log: () => undefined });
      const admin = (await createToken(cdnow, 'a', 'admin')).token;
      const req = (method: string, path: string, body?: unknown) =>
        app.app.request(path, {
          method,
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      expect((await req('GET', '/api/clv')).status).toBe(404);
      const started = await json(await req('POST', '/api/clv/run', { calibrationEnd: '1997-09-30' }));
      const done = await app.jobs.wait(started.id);
      expect(done.error).toBeNull();
      const result = done.result as { customers: number; params: { bgnbd: { params: { r: number } } } };
      expect(result.customers).toBe(2357);
      const clv = await json(await req('GET', '/api/clv'));
      const customers = clv.tiers.reduce((a: number, t: { customers: number }) => a + t.customers, 0);
      expect(customers).toBe(2357);
      expect(clv.histogram.length).toBeGreaterThan(1);
    } finally {
      await cdnow.close();
    }
  });

  it('clusters customers as a job with named, profiled clusters', async () => {
    const started = await json(await call('POST', '/api/clusters/run', 'analyst', { k: 3 }));
    const done = await ctx.jobs.wait(started.id);
    expect(done.error).toBeNull();
    const result = done.result as {
      k: number;
      clusters: { name: string; size: number }[];
      customers: number;
    };
    expect(result.k).toBe(3);
    expect(result.clusters.reduce((a, c) => a + c.size, 0)).toBe(result.customers);
    expect(result.clusters.every((c) => c.name.length > 0)).toBe(true);
    expect((await call('POST', '/api/clusters/run', 'analyst', { k: 1 })).status).toBe(400);
  });

  it('mines association rules for a viewer, filtered and sorted, with a product network', async () => {
    const res = await json(
      await call('GET', '/api/basket/rules?minSupport=0.01&minConfidence=0.1&sort=lift&limit=5', 'viewer'),
    );
    expect(res.transactions).toBe(1200);
    expect(res.rules.length).toBeLessThanOrEqual(5);
    expect(res.count).toBeGreaterThanOrEqual(res.rules.length);
    for (let i = 1; i < res.rules.length; i++)
      expect(res.rules[i - 1].lift).toBeGreaterThanOrEqual(res.rules[i].lift);
    for (const r of res.rules) {
      expect(r.confidence).toBeGreaterThanOrEqual(0.1);
      expect(r.support).toBeGreaterThanOrEqual(0.01);
    }
    const [pair] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT l.order_id FROM order_lines l JOIN products p USING (sku) GROUP BY l.order_id
        HAVING bool_or(p.name = '${res.rules[0].lhs[0]}') AND bool_or(p.name = '${res.rules[0].rhs[0]}'))`,
    );
    if (res.rules[0].lhs.length === 1) expect(res.rules[0].count).toBe(pair!.n);
    expect((await call('GET', '/api/basket/rules?minSupport=0', 'viewer')).status).toBe(400);
  });

  it('gives an analyst next best offers with reasons for one customer, 404 for an unknown one', async () => {
    expect((await call('GET', '/api/customers/C0001/offers', 'viewer')).status).toBe(403);
    const res = await json(await call('GET', '/api/customers/C0001/offers', 'analyst'));
    expect(res.customerId).toBe('C0001');
    expect(res.offers.length).toBeGreaterThan(0);
    const owned = await engine.query<{ sku: string }>(
      `SELECT DISTINCT l.sku FROM order_lines l JOIN orders o USING (order_id) WHERE o.customer_id = 'C0001'`,
    );
    for (const o of res.offers) {
      expect(owned.map((r) => r.sku)).not.toContain(o.item);
      expect(o.reason.length).toBeGreaterThan(10);
    }
    expect((await call('GET', '/api/customers/NOPE/offers', 'analyst')).status).toBe(404);
  });

  it('serves model evaluations to a viewer and top risks and per-customer reasons to an analyst', async () => {
    expect((await json(await call('GET', '/api/predict/models', 'viewer'))).models).toEqual([]);
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
    const list = await json(await call('GET', '/api/predict/models', 'viewer'));
    expect(list.models[0]).toMatchObject({ id: 'churn_risk', target: 'label' });
    expect(list.models[0].auc).toBeGreaterThan(0.5);
    // The scoreboard: gain over the baseline, calibration error and age, with a verdict.
    const m = list.models[0];
    expect(m.aucGain).toBeCloseTo(m.auc - m.baseline.auc, 12);
    expect(m.calibrationError).toBeGreaterThanOrEqual(0);
    expect(m.calibrationError).toBeLessThan(0.5);
    expect(m.asOf).toBe('2026-06-24');
    expect(m.ageDays).toBe(0);
    expect(['barely beats its baseline', 'adds to its baseline']).toContain(m.verdict);
    const detail = await json(await call('GET', '/api/predict/models/churn_risk', 'viewer'));
    expect(detail.report.lift).toHaveLength(10);
    expect(detail.report.calibration.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/predict/models/nope', 'viewer')).status).toBe(404);
    expect((await call('GET', '/api/predict/models/churn_risk/top', 'viewer')).status).toBe(403);
    const top = await json(await call('GET', '/api/predict/models/churn_risk/top?limit=5', 'analyst'));
    expect(top.rows).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(top.rows[i - 1].score).toBeGreaterThanOrEqual(top.rows[i].score);
    const one = await json(await call('GET', `/api/customers/${top.rows[0].customerId}/scores`, 'analyst'));
    expect(one.scores[0].model).toBe('churn_risk');
    expect(one.scores[0].score).toBeCloseTo(top.rows[0].score, 10);
    const effects = one.scores[0].reasons.map((r: { effect: number }) => Math.abs(r.effect));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
    // Reasons are sentences with the strength in words, never log-odds or a raw number of days.
    for (const r of one.scores[0].reasons as { feature: string; text: string }[]) {
      expect(r.text).not.toMatch(/log-odds|=/);
      expect(r.text).toMatch(/\((raises|lowers) the score (slightly|moderately|strongly)\)$/);
      if (r.feature === 'recency_days') expect(r.text).toMatch(/^no order for \d+ (days?|months?|years?) /);
    }
    const dutch = await json(
      await ctx.app.request(`/api/customers/${top.rows[0].customerId}/scores`, {
        headers: { authorization: `Bearer ${tokens.analyst}`, 'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5' },
      }),
    );
    expect(dutch.scores[0].reasons[0].text).toMatch(/de score (licht|matig|sterk)\)$/);
  });
});
