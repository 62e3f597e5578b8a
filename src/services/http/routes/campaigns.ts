import { z } from 'zod';
import { campaignOverview, evaluateCampaigns, pressureReport } from '../../../analytics/campaigns/index.js';
import { defineRoute } from '../route.js';
import type { CampaignPressureResponse, CampaignSegmentsResponse, CampaignsResponse } from '../types.js';
import { lastOrderDay } from './as-of.js';
import { isoDate } from './overview.js';

const horizonDays = z.coerce.number().int().min(1).max(365).default(14);

export const campaignRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/campaigns',
    summary:
      'Campaigns: funnel (sent, opens, clicks, conversions, revenue) and lift against the holdout with its 95% interval',
    tag: 'campaigns',
    role: 'viewer',
    query: z.object({ asOf: isoDate.optional(), horizonDays }),
    async handler({ engine, query }): Promise<CampaignsResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      return campaignOverview(engine, { asOf, horizonDays: query.horizonDays });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/campaigns/segments',
    summary: "One campaign's lift by a customer attribute (uplift by segment)",
    tag: 'campaigns',
    role: 'viewer',
    query: z.object({
      campaign: z.string().min(1).max(200),
      by: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .max(64)
        .default('country'),
      asOf: isoDate.optional(),
      horizonDays,
    }),
    async handler({ engine, query }): Promise<CampaignSegmentsResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const r = await evaluateCampaigns(engine, {
        asOf,
        horizonDays: query.horizonDays,
        by: [query.by],
        campaigns: [query.campaign],
        bootstrap: 0,
      });
      return {
        campaignId: query.campaign,
        by: query.by,
        rows: r.groups.map((g) => {
          const c = g.arms.find((a) => a.isControl);
          const t = g.arms.find((a) => !a.isControl);
          return {
            segment: g.key[query.by] ?? '',
            treated: t?.n ?? 0,
            control: c?.n ?? 0,
            rate: t?.rate ?? 0,
            controlRate: c?.rate ?? null,
            lift: t?.lift ?? null,
            ciLow: t?.ciLow ?? null,
            ciHigh: t?.ciHigh ?? null,
            pValue: t?.pValue ?? null,
          };
        }),
        warnings: r.warnings,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/campaigns/pressure',
    summary: 'Marketing pressure: response against recent sends, saturation point, pressure classes',
    tag: 'campaigns',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      channel: z.string().min(1).max(40).default('email'),
      windowDays: z.coerce.number().int().min(1).max(365).default(30),
    }),
    async handler({ engine, query }): Promise<CampaignPressureResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const r = await pressureReport(engine, {
        asOf,
        channel: query.channel,
        windowDays: query.windowDays,
        response: query.channel === 'email' ? 'open' : 'click',
      });
      return {
        asOf: r.asOf,
        channel: r.channel,
        windowDays: r.windowDays,
        curve: r.curve,
        saturationSends: r.saturationSends,
        peakSends: r.peakSends,
        classes: r.classes,
        warnings: r.warnings,
      };
    },
  }),
];
