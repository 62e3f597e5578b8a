import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../analytics/shared/field-labels.js';
import type { ReportData } from './data.js';
import { TEXT } from './i18n.js';
import { recommend } from './recommend.js';
import { renderReport } from './render.js';

const campaign = (id: string, name: string, lift: number, low: number, high: number, extra: number) => ({
  campaignId: id,
  name,
  channel: 'email',
  startDate: '2026-05-02',
  keywords: [],
  sent: 1000,
  delivered: 990,
  opens: 400,
  clicks: 80,
  conversions: 60,
  orders: 70,
  revenue: 7000,
  control: 100,
  rate: 0.06 + lift,
  controlRate: 0.06,
  lift,
  ciLow: low,
  ciHigh: high,
  pValue: 0.01,
  revenueLift: 2.5,
  revenueCiLow: 0.5,
  revenueCiHigh: 4.5,
  incrementalRevenue: extra,
  cost: null,
  roi: null,
});

/** A small hand-made report: every section filled, names chosen so they read the same in every language. */
function sampleData(lang: ReportData['lang'] = 'en', kind: ReportData['kind'] = 'overview'): ReportData {
  const months = Array.from({ length: 26 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 4 + i, 1)).toISOString().slice(0, 10);
    return { month: d, orders: 100 + i, customers: 80 + i, revenue: 10000 + 500 * i, margin: 4000 };
  });
  const c1 = campaign('EM-1', 'Zomer 2026', 0.04, 0.02, 0.06, 12425);
  const c2 = campaign('EM-2', 'Kwartaal 2026', 0.011, -0.012, 0.035, -2455);
  return {
    kind,
    lang,
    currency: 'EUR',
    overview: {
      asOf: '2026-06-30',
      activeDays: 365,
      kpis: {
        customers: 4437,
        prospects: 561,
        buyers: 4351,
        orders: 11141,
        revenue: 1527292.67,
        grossSales: 1923509.01,
        discounts: 63445.43,
        returns: 332770.91,
        margin: 713673.55,
        active: 2893,
        lapsed: 1458,
      },
      byMonth: months,
      byWeekday: [],
    },
    rfm: {
      asOf: '2026-06-30',
      scored: 1000,
      segments: [
        {
          segment: 'Champions',
          customers: 300,
          share: 0.3,
          meanRecencyDays: 12,
          meanFrequency: 6,
          meanValue: 1255,
          valueShare: 0.5,
        },
        {
          segment: 'At risk',
          customers: 312,
          share: 0.312,
          meanRecencyDays: 543,
          meanFrequency: 2.3,
          meanValue: 309,
          valueShare: 0.18,
        },
        {
          segment: "Can't lose them",
          customers: 88,
          share: 0.088,
          meanRecencyDays: 510,
          meanFrequency: 7,
          meanValue: 982,
          valueShare: 0.12,
        },
        {
          segment: 'New',
          customers: 300,
          share: 0.3,
          meanRecencyDays: 30,
          meanFrequency: 1,
          meanValue: 110,
          valueShare: 0.2,
        },
      ],
    },
    clv: {
      modelId: 'bgnbd+gammagamma',
      asOf: '2026-06-30',
      tiers: [
        { tier: 'gold', customers: 50, clv: 90000, minClv: 195, meanPAlive: 0.82 },
        { tier: 'standard', customers: 950, clv: 60000, minClv: -31, meanPAlive: 0.8 },
      ],
      histogram: [],
      negative: { customers: 14, clv: -79 },
    },
    risk: {
      modelId: 'churn_risk',
      asOf: '2026-06-30',
      auc: 0.77,
      baselineAuc: 0.69,
      aucGain: 0.08,
      barelyBeatsBaseline: false,
      scored: 1000,
      bands: [
        { band: 'high', customers: 200, revenue: 97000 },
        { band: 'medium', customers: 300, revenue: 45000 },
        { band: 'low', customers: 500, revenue: 10000 },
      ],
      top: [
        {
          customerId: 'C0000316',
          score: 0.96,
          revenue: 420,
          reasons: [{ feature: 'recency_days', text: '<reason>' }],
        },
      ],
      topDecile: { customers: 100, revenue: 40000, minScore: 0.9 },
      valuable: [],
      meanScore: 0.4,
      bySegment: [{ segment: 'At risk', customers: 312, high: 156, meanScore: 0.6 }],
    },
    campaigns: { asOf: '2026-06-29', horizonDays: 14, total: 2, rows: [c1, c2] },
    campaign:
      kind === 'campaign'
        ? {
            asOf: '2026-06-29',
            horizonDays: 14,
            row: c1,
            by: 'country',
            groups: [
              {
                group: 'NL',
                treated: 800,
                control: 80,
                rate: 0.1,
                controlRate: 0.05,
                lift: 0.05,
                ciLow: 0.01,
                ciHigh: 0.09,
              },
              {
                group: 'BE',
                treated: 200,
                control: 20,
                rate: 0.06,
                controlRate: 0.06,
                lift: 0,
                ciLow: -0.05,
                ciHigh: 0.05,
              },
            ],
          }
        : null,
  };
}

describe('renderReport', () => {
  it('writes one self-contained page: inline CSS and SVG, no script, no external fetch', () => {
    const html = renderReport(sampleData());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=|href=/i);
  });

  it('shows each recommendation with its evidence, figures formatted per locale', () => {
    const en = renderReport(sampleData('en'));
    expect(en).toContain('Win back the 312 “At risk” customers');
    expect(en).toContain('They brought 18% of net revenue to date');
    expect(en).toContain('€1,527,293');
    const de = renderReport(sampleData('de'));
    expect(de).toContain('Die 312 Kunden in „Gefährdet“ zurückgewinnen');
    expect(de).toContain('1.527.293');
    expect(de).toContain('30. Juni 2026');
  });

  it('escapes names from the datamart', () => {
    const data = sampleData();
    if (data.campaigns?.rows[0]) data.campaigns.rows[0].name = '<b>Sale & more</b>';
    const html = renderReport(data);
    expect(html).toContain('&lt;b&gt;Sale &amp; more&lt;/b&gt;');
    expect(html).not.toContain('<b>Sale');
  });

  it('recommends from the figures: win back, protect gold, contact high risk, repeat and rethink campaigns', () => {
    expect(recommend(sampleData()).map((r) => r.id)).toEqual([
      'winBack',
      'protect',
      'highRisk',
      'repeat',
      'review',
      'nurture',
    ]);
    expect(recommend(sampleData('en', 'campaign')).map((r) => r.id)).toEqual(['scale', 'bestGroup']);
    // Most buyers in the high band: the band singles nobody out, so the riskiest tenth is named instead.
    const broad = sampleData();
    if (broad.risk) broad.risk.bands[0] = { band: 'high', customers: 900, revenue: 500000 };
    expect(recommend(broad).map((r) => r.id)).toContain('topRisk');
    expect(recommend(broad).map((r) => r.id)).not.toContain('highRisk');
    // …and a segment's risk is its mean score against all buyers', not a band nearly everyone is in.
    const winBack = (d: ReturnType<typeof sampleData>) =>
      recommend(d)
        .find((r) => r.id === 'winBack')
        ?.evidence.map((e) => e.key);
    expect(winBack(broad)).toEqual(['rec.winBack.evidence', 'rec.winBack.meanRisk']);
    expect(winBack(sampleData())).toEqual(['rec.winBack.evidence', 'rec.winBack.risk']);
    expect(renderReport(broad)).toContain('Their average churn risk is 60%, against 40% for all buyers.');
  });

  it('says which command fills a section whose inputs are missing, and writes the rest', () => {
    const data = { ...sampleData('fr'), clv: null, risk: null, campaigns: null };
    const html = renderReport(data);
    expect(html).toContain('clientele clv predict');
    expect(html).toContain('clientele predict train');
    expect(html).toContain('campaign_events');
    expect(html).toContain('Reconquérir les 312 clients « À risque »');
    expect(recommend(data).map((r) => r.id)).toEqual(['winBack', 'nurture']);
  });

  it('has every phrase in all five languages', () => {
    for (const [key, byLang] of Object.entries(TEXT))
      for (const lang of LANGUAGES) expect(byLang[lang], `${key} ${lang}`).toBeTruthy();
  });
});
