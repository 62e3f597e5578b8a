import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/support/cli.js';
import { fitClvModels, predictClv } from '../../analytics/clv/index.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { buildTrainingSet, saveModel, trainModel } from '../../analytics/predict/index.js';
import { buildRfm } from '../../analytics/rfm/index.js';
import { LANGUAGES } from '../../analytics/shared/field-labels.js';
import { nameLabel } from '../../analytics/shared/server-text.js';
import { generateDemo } from '../../demo/index.js';
import { importSource } from '../../ingest/index.js';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { createApp, createToken } from '../http/index.js';
import { gatherReport, type ReportData, renderReport, TEXT } from './index.js';

/**
 * A small demo shop (customers, products, orders, campaigns with holdouts) with the analyses a report reads:
 * features and RFM, a CLV run and a churn model. Built once, file-backed so the CLI can open it too.
 */
const dir = mkdtempSync(join(tmpdir(), 'clientele-report-'));
const db = join(dir, 'report.duckdb');
const AS_OF = '2026-06-30';
const TARGETS = new Set(['customers', 'products', 'orders', 'order_lines', 'campaigns', 'campaign_events']);
let engine: DuckDbEngine;
let app: Awaited<ReturnType<typeof createApp>>['app'];
let token: string;
const reports = new Map<string, ReportData>();

beforeAll(async () => {
  engine = await DuckDbEngine.open(db);
  const data = join(dir, 'data');
  const { manifest } = await generateDemo({ customers: 300, seed: 5, outDir: data, asOf: AS_OF });
  await migrate(engine);
  for (const f of manifest.files) {
    if (!TARGETS.has(f.target)) continue;
    await importSource(
      engine,
      {
        path: resolve(data, f.file),
        target: f.target,
        format: f.format,
        ...(f.sheet ? { sheet: f.sheet } : {}),
      },
      { source: f.source, ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}) },
    );
  }
  await buildFeatures(engine, { asOf: AS_OF });
  await buildRfm(engine, { asOf: AS_OF });
  const [bg, gg] = await fitClvModels(engine, { calibrationEnd: AS_OF, unit: 'week' }, [
    'bgnbd',
    'gammagamma',
  ]);
  await predictClv(engine, { purchaseModel: bg!, spendModel: gg!, horizon: 52 });
  const set = await buildTrainingSet(engine, {
    cutoffs: ['2026-04-01'],
    label: { kind: 'churn', horizonDays: 90 },
    table: 'report_churn_set',
  });
  const trained = await trainModel(engine, {
    table: set.table,
    target: 'label',
    idColumn: 'customer_id',
    exclude: set.nonFeatures.filter((c) => c !== 'label' && c !== 'customer_id'),
    folds: 2,
    name: 'churn_risk',
    asOf: '2026-04-01',
    params: { seed: 1, gbdt: { trees: 15, maxLeaves: 4, minSamplesLeaf: 10 } },
  });
  await saveModel(engine, trained.model);
  app = (await createApp(engine, { log: () => undefined })).app;
  token = (await createToken(engine, 'analyst', 'analyst')).token;
  for (const lang of LANGUAGES) reports.set(lang, await gatherReport(engine, { lang }));
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = async (path: string, lang = 'en'): Promise<any> => {
  const res = await app.request(path, {
    headers: { authorization: `Bearer ${token}`, 'accept-language': lang },
  });
  expect(res.status, path).toBe(200);
  return res.json();
};

/**
 * Equal figures: the same keys, texts and counts, and sums equal up to the last bits of a double (the engine
 * adds in parallel, so two runs of one query may differ there).
 */
function expectSameFigures(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected))
      expectSameFigures((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** The page's visible text: tags, style and entities gone. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, ' ')
    .replace(/<title>[\s\S]*?<\/title>/, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ');
}

describe('clientele report on a demo datamart', () => {
  it('shows the same headline figures as the API for the same datamart', async () => {
    const data = reports.get('en')!;
    const overview = await api('/api/overview');
    expectSameFigures(data.overview.kpis, overview.kpis);
    expect(data.overview.asOf).toBe(overview.asOf);
    const rfm = await api('/api/rfm');
    // The API adds each segment's and tier's label in the caller's language; the figures are the same.
    expectSameFigures(
      data.rfm?.segments,
      rfm.segments.map(({ label: _label, ...s }: { label: string }) => s),
    );
    const clv = await api('/api/clv');
    expectSameFigures(
      data.clv?.tiers,
      clv.tiers.map(({ label: _label, ...t }: { label: string }) => t),
    );
    expectSameFigures(data.clv?.negative, clv.negative);
    const campaigns = await api('/api/campaigns');
    const shown = data.campaigns!.rows;
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) {
      const fromApi = campaigns.campaigns.find(
        (c: { campaignId: string }) => c.campaignId === row.campaignId,
      );
      expect(fromApi, row.campaignId).toBeDefined();
      // The engine sums in parallel: the same figure up to the last bits of a double.
      expect(row.sent).toBe(fromApi.sent);
      expect(row.lift).toBeCloseTo(fromApi.lift, 9);
      expect(row.ciLow).toBeCloseTo(fromApi.ciLow, 9);
      expect(row.ciHigh).toBeCloseTo(fromApi.ciHigh, 9);
      expect(row.incrementalRevenue).toBeCloseTo(fromApi.incrementalRevenue, 6);
    }
    // The top risks and their reasons: the Risk page's list, in the same order and words.
    const top = await api(`/api/predict/models/churn_risk/top?limit=${data.risk!.top.length}`);
    expect(data.risk!.top.map((r) => r.customerId)).toEqual(
      top.rows.map((r: { customerId: string }) => r.customerId),
    );
    expect(data.risk!.top[0]!.score).toBeCloseTo(top.rows[0].score, 12);
    expect(data.risk!.top.map((r) => r.reasons.map((x) => x.text))).toEqual(
      top.rows.map((r: { reasons: { text: string }[] }) => r.reasons.map((x) => x.text)),
    );
    expect(data.risk!.scored).toBe(top.scored);
    // And the page prints them, segment and tier names as the API labels them.
    const nl = renderReport(reports.get('nl')!);
    const nlRfm = await api('/api/rfm', 'nl');
    for (const seg of nlRfm.segments) expect(nl).toContain(`<td>${seg.label.replaceAll("'", '&#39;')}</td>`);
    const nlClv = await api('/api/clv', 'nl');
    for (const tier of nlClv.tiers) expect(nl).toContain(`<td>${tier.label}</td>`);
    const html = renderReport(data);
    expect(html).toContain(new Intl.NumberFormat('en-GB').format(overview.kpis.customers));
    expect(html).toContain(
      new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(
        overview.kpis.revenue,
      ),
    );
  });

  it('speaks nl, fr, de and ru with no English left over, no raw column key, log-odds or day number', () => {
    const english = reports.get('en')!;
    // Names are names: campaign names and customer ids come from the datamart as they are.
    const names = [
      ...(english.campaigns?.rows.map((c) => c.name ?? c.campaignId) ?? []),
      ...(english.risk?.top.map((r) => r.customerId) ?? []),
    ];
    // Every English phrase of the report of two words or more, cut at its placeholders, must be gone.
    for (const lang of LANGUAGES) {
      const data = reports.get(lang)!;
      let text = visibleText(renderReport(data));
      for (const n of names) text = text.replaceAll(n, ' ');
      expect(text, lang).not.toMatch(/log-odds|\blog odds\b/i);
      expect(text, lang).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
      // A date as a day count since 1970 (e.g. 20151) would be a raw day number.
      // (formatted numbers have group separators, so five digits in a row are a raw number).
      expect(text, lang).not.toMatch(/\b\d{5,}\b/);
      if (lang === 'en') continue;
      const leftovers: string[] = [];
      for (const [key, byLang] of Object.entries(TEXT)) {
        for (const piece of byLang.en.split(/\{\w+\}/)) {
          const p = piece.trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
          if (p.split(/\s+/).length >= 2 && text.includes(p)) leftovers.push(`${key}: "${p}"`);
        }
      }
      // Segment names: the API's labels (the same words as the dashboard), never the stored English key.
      for (const s of english.rfm?.segments ?? []) {
        const label = nameLabel('rfm_segment', s.segment, lang);
        if (label !== s.segment && text.includes(s.segment)) leftovers.push(`segment "${s.segment}"`);
      }
      // Reasons come from the predict module's sentences in the report's language.
      for (const row of english.risk?.top ?? [])
        for (const r of row.reasons) if (text.includes(r.text)) leftovers.push(`reason "${r.text}"`);
      expect(leftovers, lang).toEqual([]);
    }
  });

  it('formats numbers and dates per locale', () => {
    const kpis = reports.get('de')!.overview.kpis;
    const de = visibleText(renderReport(reports.get('de')!));
    expect(de).toContain(new Intl.NumberFormat('de-DE').format(kpis.customers));
    expect(de).toContain('29. Juni 2026');
    const fr = visibleText(renderReport(reports.get('fr')!));
    expect(fr).toContain('29 juin 2026');
    const ru = visibleText(renderReport(reports.get('ru')!));
    expect(ru).toContain('29 июня 2026');
  });

  it('writes the HTML from the CLI and evaluates one campaign by group', async () => {
    const out = join(dir, 'r.html');
    const r = await runCliCaptured(['report', '--lang', 'nl', '--out', out, '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ kind: 'overview', lang: 'nl', pdf: null });
    expect(r.json.sections).toEqual({ segments: true, value: true, risk: true, campaigns: true });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Aanbevelingen');
    const id = reports.get('en')!.campaigns!.rows[0]!.campaignId;
    const c = await runCliCaptured([
      'report',
      '--kind',
      'campaign',
      '--campaign',
      id,
      '--out',
      join(dir, 'c.html'),
      '--db',
      db,
      '--json',
    ]);
    expect(c.exitCode).toBe(0);
    const page = readFileSync(join(dir, 'c.html'), 'utf8');
    expect(page).toContain('Campaign evaluation');
    expect(page).toContain('data-section="groups"');
    // Issue 18: broken down by RFM segment (what marketing plans by), in the report's language.
    expect(c.json.by).toBe('rfm_segment');
    expect(page).toMatch(/<td>(Champions|Loyal|At risk|Hibernating|Lost|Promising|New)<\/td>/);
    const nl = await runCliCaptured([
      'report',
      '--kind',
      'campaign',
      '--campaign',
      id,
      '--lang',
      'nl',
      '--out',
      join(dir, 'c-nl.html'),
      '--db',
      db,
    ]);
    expect(nl.exitCode).toBe(0);
    const nlPage = readFileSync(join(dir, 'c-nl.html'), 'utf8');
    expect(nlPage).toMatch(
      /<td>(Kampioenen|Trouwe klanten|Risico|Slapend|Verloren|Nieuw|Veelbelovend)<\/td>/,
    );
    expect(nlPage).not.toMatch(/<td>(Champions|Loyal|Hibernating|Lost)<\/td>/);
    const bad = await runCliCaptured([
      'report',
      '--kind',
      'campaign',
      '--campaign',
      'NOPE',
      '--out',
      join(dir, 'x.html'),
      '--db',
      db,
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(
      /--campaign: expected a campaign with sent and holdout contacts .* got "NOPE"/,
    );
    const noOut = await runCliCaptured(['report', '--db', db]);
    expect(noOut.exitCode).toBe(2);
    expect(noOut.stderr).toMatch(/--out: expected the HTML file/);
  });

  it('serves the same page at GET /api/report to an analyst, not to a viewer', async () => {
    const res = await app.request('/api/report?lang=fr', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toBe(renderReport(reports.get('fr')!));
    const viewer = (await createToken(engine, 'viewer', 'viewer')).token;
    expect(
      (await app.request('/api/report', { headers: { authorization: `Bearer ${viewer}` } })).status,
    ).toBe(403);
  });
});
