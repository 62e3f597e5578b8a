/**
 * The report's recommendations: pure rules over the gathered figures, each with the evidence (the figures
 * themselves, typed so the renderer formats them per locale). No I/O, no clock.
 */
import type { CampaignOverviewRow } from '../../analytics/campaigns/index.js';
import type { ReportData, RiskSection } from './data.js';
import type { TextKey } from './i18n.js';

/** A value to format: the renderer turns each kind into the locale's notation. */
export type Figure =
  | { kind: 'count'; value: number }
  | { kind: 'money'; value: number }
  | { kind: 'percent'; value: number }
  | { kind: 'points'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'field'; value: string }
  | { kind: 'text'; value: string };

export interface Phrase {
  key: TextKey;
  values: Record<string, Figure>;
}

export interface Recommendation {
  /** Stable id of the rule that fired (winBack, protect, highRisk, repeat, review, nurture, scale, stop, bestGroup). */
  id: string;
  title: Phrase;
  evidence: Phrase[];
}

const count = (value: number): Figure => ({ kind: 'count', value });
const money = (value: number): Figure => ({ kind: 'money', value });
const percent = (value: number): Figure => ({ kind: 'percent', value });
const points = (value: number): Figure => ({ kind: 'points', value });
const name = (value: string): Figure => ({ kind: 'name', value });

/** True when most buyers are in the high band, so the band does not single anyone out. */
export function bandIsBroad(risk: RiskSection): boolean {
  const high = risk.bands.find((b) => b.band === 'high')?.customers ?? 0;
  return risk.scored > 0 && high / risk.scored > 0.5;
}

/** Segments whose customers bought a lot and have gone quiet, in the order worth acting on. */
const WIN_BACK = ["Can't lose them", 'At risk'];
const NEW_BUYERS = ['New', 'Promising'];

function overviewRecommendations(data: ReportData): Recommendation[] {
  const out: Recommendation[] = [];
  const segments = data.rfm?.segments ?? [];
  const revenue = data.overview.kpis.revenue;
  // Win back: the quiet segment that holds the most value.
  const winBack = segments
    .filter((s) => WIN_BACK.includes(s.segment) && s.customers > 0)
    .sort((a, b) => b.valueShare - a.valueShare)[0];
  if (winBack) {
    const evidence: Phrase[] = [
      {
        key: 'rec.winBack.evidence',
        values: {
          revenueShare: percent(winBack.valueShare),
          meanValue: money(winBack.meanValue),
          recency: count(winBack.meanRecencyDays),
        },
      },
    ];
    const atRisk = data.risk?.bySegment.find((s) => s.segment === winBack.segment);
    if (data.risk && atRisk && atRisk.customers > 0)
      evidence.push(
        bandIsBroad(data.risk)
          ? // Most buyers in the high band: their mean risk against all buyers' says more than the band.
            {
              key: 'rec.winBack.meanRisk',
              values: { risk: percent(atRisk.meanScore), all: percent(data.risk.meanScore) },
            }
          : { key: 'rec.winBack.risk', values: { share: percent(atRisk.high / atRisk.customers) } },
      );
    out.push({
      id: 'winBack',
      title: {
        key: 'rec.winBack.title',
        values: { customers: count(winBack.customers), segment: name(winBack.segment) },
      },
      evidence,
    });
  }
  // Protect the gold tier: few customers, much of next year's value.
  const clv = data.clv;
  const gold = clv?.tiers.find((t) => t.tier === 'gold');
  if (clv && gold && gold.customers > 0) {
    const scored = clv.tiers.reduce((s, t) => s + t.customers, 0);
    // Share of the predicted value, as the Value page: over the summed CLV of every tier.
    const total = clv.tiers.reduce((s, t) => s + t.clv, 0);
    out.push({
      id: 'protect',
      title: { key: 'rec.protect.title', values: { customers: count(gold.customers) } },
      evidence: [
        {
          key: 'rec.protect.evidence',
          values: {
            share: percent(gold.customers / scored),
            valueShare: percent(total > 0 ? gold.clv / total : 0),
            amount: money(gold.clv),
          },
        },
      ],
    });
  }
  // High churn risk: who they are worth and the reason the model gives most often. When most buyers are in
  // the high band (a shop whose customers order rarely), the band says little: the riskiest tenth instead.
  const risk = data.risk;
  const high = risk?.bands.find((b) => b.band === 'high');
  if (risk && high && high.customers > 0) {
    const counts = new Map<string, number>();
    for (const row of risk.top) {
      const first = row.reasons[0];
      if (first) counts.set(first.feature, (counts.get(first.feature) ?? 0) + 1);
    }
    const common = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const reason: Figure = common ? { kind: 'field', value: common } : { kind: 'text', value: '–' };
    if (!bandIsBroad(risk))
      out.push({
        id: 'highRisk',
        title: { key: 'rec.highRisk.title', values: { customers: count(high.customers) } },
        evidence: [
          {
            key: 'rec.highRisk.evidence',
            values: {
              amount: money(high.revenue),
              share: percent(revenue > 0 ? high.revenue / revenue : 0),
              reason,
            },
          },
        ],
      });
    else if (risk.topDecile.customers > 0)
      out.push({
        id: 'topRisk',
        title: { key: 'rec.topRisk.title', values: { customers: count(risk.topDecile.customers) } },
        evidence: [
          {
            key: 'rec.topRisk.evidence',
            values: {
              score: percent(risk.topDecile.minScore),
              amount: money(risk.topDecile.revenue),
              share: percent(revenue > 0 ? risk.topDecile.revenue / revenue : 0),
              reason,
            },
          },
        ],
      });
  }
  // Campaigns: repeat the one that brought the most extra revenue with a lift clearly above zero; rethink
  // the largest one without a measurable effect.
  const rows = data.campaigns?.rows ?? [];
  const best = rows
    .filter((c) => (c.ciLow ?? 0) > 0)
    .sort((a, b) => (b.incrementalRevenue ?? 0) - (a.incrementalRevenue ?? 0))[0];
  if (best)
    out.push({
      id: 'repeat',
      title: { key: 'rec.repeat.title', values: { name: name(best.name ?? best.campaignId) } },
      evidence: [campaignEvidence('rec.repeat.evidence', best)],
    });
  const unclear = rows
    .filter((c) => (c.ciLow ?? 0) <= 0 && (c.ciHigh ?? 0) >= 0)
    .sort((a, b) => b.sent - a.sent)[0];
  if (unclear)
    out.push({
      id: 'review',
      title: { key: 'rec.review.title', values: { name: name(unclear.name ?? unclear.campaignId) } },
      evidence: [campaignEvidence('rec.review.evidence', unclear)],
    });
  // New buyers: the second order.
  const fresh = segments.filter((s) => NEW_BUYERS.includes(s.segment) && s.customers > 0);
  const freshCustomers = fresh.reduce((s, x) => s + x.customers, 0);
  if (freshCustomers > 0) {
    const recency = fresh.reduce((s, x) => s + x.meanRecencyDays * x.customers, 0) / freshCustomers;
    out.push({
      id: 'nurture',
      title: { key: 'rec.nurture.title', values: { customers: count(freshCustomers) } },
      evidence: [{ key: 'rec.nurture.evidence', values: { recency: count(recency) } }],
    });
  }
  return out;
}

function campaignEvidence(key: TextKey, c: CampaignOverviewRow): Phrase {
  return {
    key,
    values: {
      lift: points(c.lift ?? 0),
      low: points(c.ciLow ?? 0),
      high: points(c.ciHigh ?? 0),
      amount: money(c.incrementalRevenue ?? 0),
      sent: count(c.sent),
    },
  };
}

function campaignRecommendations(data: ReportData): Recommendation[] {
  const e = data.campaign;
  if (!e) return [];
  const c = e.row;
  const title = name(c.name ?? c.campaignId);
  const out: Recommendation[] = [];
  if ((c.ciLow ?? 0) > 0)
    out.push({
      id: 'scale',
      title: { key: 'rec.scale.title', values: { name: title } },
      evidence: [campaignEvidence('rec.repeat.evidence', c)],
    });
  else if ((c.ciHigh ?? 0) < 0)
    out.push({
      id: 'stop',
      title: { key: 'rec.stop.title', values: { name: title } },
      evidence: [campaignEvidence('rec.review.evidence', c)],
    });
  else
    out.push({
      id: 'review',
      title: { key: 'rec.review.title', values: { name: title } },
      evidence: [campaignEvidence('rec.review.evidence', c)],
    });
  // The group where it worked best, when the interval there is clearly above zero.
  const bestGroup = e.groups
    .filter((g) => g.ciLow !== null && g.ciLow > 0 && g.lift !== null)
    .sort((a, b) => (b.ciLow ?? 0) - (a.ciLow ?? 0))[0];
  if (bestGroup)
    out.push({
      id: 'bestGroup',
      title: {
        key: 'rec.bestGroup.title',
        values: { field: { kind: 'field', value: e.by }, group: name(bestGroup.group) },
      },
      evidence: [
        {
          key: 'rec.bestGroup.evidence',
          values: {
            lift: points(bestGroup.lift ?? 0),
            low: points(bestGroup.ciLow ?? 0),
            high: points(bestGroup.ciHigh ?? 0),
            sent: count(bestGroup.treated),
          },
        },
      ],
    });
  return out;
}

/**
 * Recommendations with their evidence, most valuable first.
 *
 * @example
 * recommend(data).map((r) => r.id); // ['winBack', 'protect', 'highRisk', 'repeat', 'review', 'nurture']
 */
export function recommend(data: ReportData): Recommendation[] {
  return data.kind === 'campaign' ? campaignRecommendations(data) : overviewRecommendations(data);
}
