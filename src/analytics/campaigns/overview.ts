/**
 * One row per campaign for the dashboard: the funnel (sent, delivered, opens, clicks, counted in SQL up to
 * asOf) next to the evaluation against the holdout (lift with interval). Conversions, orders and revenue have
 * ONE definition, the evaluation's (`CAMPAIGN_OUTCOME`): orders a sent contact placed within `horizonDays` of
 * their send, net revenue by the revenue module's rule, so the totals, the table, the CLI and the API agree.
 */
import type { Engine } from '../../store/index.js';
import { sql } from '../../store/index.js';
import { evaluateCampaigns } from './index.js';

export interface CampaignOverviewRow {
  campaignId: string;
  name: string | null;
  channel: string | null;
  startDate: string | null;
  keywords: string[];
  sent: number;
  delivered: number;
  opens: number;
  clicks: number;
  /** Sent contacts who ordered within the window (the evaluation's treated conversions). */
  conversions: number;
  /** Their orders and net revenue within the window (the revenue rule: after discounts, returns, cancellations). */
  orders: number;
  revenue: number;
  /** Evaluation against the holdout (null without one). */
  control: number;
  rate: number | null;
  controlRate: number | null;
  lift: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  revenueLift: number | null;
  revenueCiLow: number | null;
  revenueCiHigh: number | null;
  incrementalRevenue: number | null;
  cost: number | null;
  roi: number | null;
}

/** What "conversion", "orders" and "revenue" mean everywhere in campaign evaluation (page, CLI, API). */
export interface CampaignOutcome {
  /** Whose outcomes: the contacts sent the campaign (treated) against the holdout (control). */
  base: 'sent contacts against the holdout';
  /** Outcome window after each contact's send time, in days. */
  windowDays: number;
  conversion: string;
  revenue: string;
}

export function campaignOutcome(windowDays: number): CampaignOutcome {
  return {
    base: 'sent contacts against the holdout',
    windowDays,
    conversion: `a contact with at least one non-cancelled order within ${windowDays} days of their send`,
    revenue: `net revenue of those orders (after discounts, returns and cancellations: the revenue module's rule)`,
  };
}

export interface CampaignOverview {
  asOf: string;
  horizonDays: number;
  outcome: CampaignOutcome;
  campaigns: CampaignOverviewRow[];
  warnings: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Every campaign's funnel and lift, newest first. */
export async function campaignOverview(
  engine: Engine,
  options: { asOf: string; horizonDays?: number },
): Promise<CampaignOverview> {
  const horizonDays = options.horizonDays ?? 14;
  const evaluation = await evaluateCampaigns(engine, { asOf: options.asOf, horizonDays, bootstrap: 500 });
  const d = engine.dialect;
  // The funnel up to the end of asOf, as the evaluation (sends after asOf are not counted anywhere).
  const end = sql`CAST(${d.addDays(d.dateParam(options.asOf), sql`1`)} AS TIMESTAMP)`;
  const funnel = await engine.query(sql`SELECT campaign_id,
      ${d.countDistinct(sql`CASE WHEN event_type = 'sent' THEN customer_id END`)} AS sent,
      ${d.countDistinct(sql`CASE WHEN event_type = 'delivered' THEN customer_id END`)} AS delivered_raw,
      ${d.countDistinct(sql`CASE WHEN event_type = 'bounce' THEN customer_id END`)} AS bounced,
      ${d.countDistinct(sql`CASE WHEN event_type IN ('open', 'click') THEN customer_id END`)} AS opens,
      ${d.countDistinct(sql`CASE WHEN event_type = 'click' THEN customer_id END`)} AS clicks
    FROM campaign_events WHERE event_time < ${end} GROUP BY campaign_id`);
  const byId = new Map(funnel.map((f) => [String(f.campaign_id), f]));
  const campaigns = evaluation.groups.map((g): CampaignOverviewRow => {
    const id = g.key.campaign ?? '';
    const f = byId.get(id);
    const control = g.arms.find((a) => a.isControl) ?? null;
    const treated = g.arms.find((a) => !a.isControl) ?? null;
    const delivered = num(f?.delivered_raw) || Math.max(0, num(f?.sent) - num(f?.bounced));
    return {
      campaignId: id,
      name: g.campaign?.name ?? null,
      channel: g.campaign?.channel ?? null,
      startDate: g.campaign?.startDate ?? null,
      keywords: g.campaign?.keywords ?? [],
      sent: num(f?.sent),
      delivered,
      opens: num(f?.opens),
      clicks: num(f?.clicks),
      conversions: treated?.conversions ?? 0,
      orders:
        treated?.ordersPerContact === null || !treated ? 0 : Math.round(treated.ordersPerContact * treated.n),
      revenue: treated?.valuePerContact === null || !treated ? 0 : treated.valuePerContact * treated.n,
      control: control?.n ?? 0,
      rate: treated?.rate ?? null,
      controlRate: control?.rate ?? null,
      lift: treated?.lift ?? null,
      ciLow: treated?.ciLow ?? null,
      ciHigh: treated?.ciHigh ?? null,
      pValue: treated?.pValue ?? null,
      revenueLift: treated?.valueLift ?? null,
      revenueCiLow: treated?.valueCiLow ?? null,
      revenueCiHigh: treated?.valueCiHigh ?? null,
      incrementalRevenue: treated?.incrementalValue ?? null,
      cost: treated?.cost ?? null,
      roi: treated?.roi ?? null,
    };
  });
  campaigns.sort(
    (a, b) =>
      (b.startDate ?? '').localeCompare(a.startDate ?? '') || a.campaignId.localeCompare(b.campaignId),
  );
  return {
    asOf: options.asOf,
    horizonDays,
    outcome: campaignOutcome(horizonDays),
    campaigns,
    warnings: evaluation.warnings,
  };
}
