import { z } from 'zod';
import {
  campaignOverview,
  engagementProfile,
  evaluateCampaigns,
  pressureReport,
} from '../../../analytics/campaigns/index.js';
import { dropSmallCells, isSmallCell } from '../../../analytics/shared/privacy.js';
import { ident, sql, tableExists } from '../../../store/index.js';
import { isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type {
  CampaignEngagementResponse,
  CampaignPressureResponse,
  CampaignSegmentsResponse,
  CampaignsResponse,
  CustomerCampaignsResponse,
} from '../types.js';
import { lastOrderDay } from './as-of.js';
import { isoDate } from './overview.js';

const horizonDays = z.coerce.number().int().min(1).max(365).default(14);

/**
 * Viewer privacy (docs/security.md): a figure about 1 to k−1 contacts is withheld (0 names nobody and stays).
 * Grid cells become null; groups (quadrants, segments, pressure classes and curve points) are left out and
 * counted in `suppressed…`.
 */
const smallCellsNull = (grid: number[][], k: number): (number | null)[][] =>
  grid.map((row) => row.map((n) => (n > 0 && isSmallCell(n, k) ? null : n)));
const smallCountNull = (n: number, k: number): number | null => (n > 0 && isSmallCell(n, k) ? null : n);

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
    async handler({ engine, query, caller }): Promise<CampaignSegmentsResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const r = await evaluateCampaigns(engine, {
        asOf,
        horizonDays: query.horizonDays,
        by: [query.by],
        campaigns: [query.campaign],
        bootstrap: 0,
      });
      const result: CampaignSegmentsResponse = {
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
      if (!isViewer(caller)) return result;
      // A segment whose sent or held-out contacts number 1 to k−1 would show their conversion: left out.
      const k = await minCellSize(engine);
      const { rows, suppressed } = dropSmallCells(
        result.rows,
        (x) => Math.min(x.treated || k, x.control || k),
        k,
      );
      // Warnings name segments; a viewer gets those of the segments shown only.
      const hidden = result.rows.filter((x) => !rows.includes(x)).map((x) => x.segment);
      return {
        ...result,
        rows,
        suppressedSegments: suppressed,
        warnings: result.warnings.filter((w) => !hidden.some((h) => w.includes(`${query.by} ${h}`))),
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
    async handler({ engine, query, caller }): Promise<CampaignPressureResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const r = await pressureReport(engine, {
        asOf,
        channel: query.channel,
        windowDays: query.windowDays,
        response: query.channel === 'email' ? 'open' : 'click',
      });
      const result: CampaignPressureResponse = {
        asOf: r.asOf,
        channel: r.channel,
        windowDays: r.windowDays,
        curve: r.curve,
        saturationSends: r.saturationSends,
        peakSends: r.peakSends,
        classes: r.classes,
        warnings: r.warnings,
      };
      if (!isViewer(caller)) return result;
      const k = await minCellSize(engine);
      // An empty class names nobody and stays; 1 to k−1 contacts (or sends in a curve point) are left out.
      const classes = dropSmallCells(result.classes, (c) => (c.contacts === 0 ? k : c.contacts), k);
      const curve = dropSmallCells(result.curve, (p) => p.n, k);
      return {
        ...result,
        classes: classes.rows,
        curve: curve.rows,
        suppressedClasses: classes.suppressed,
        suppressedPoints: curve.suppressed,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/campaigns/customer/:id',
    summary:
      "One customer's saved campaign profiles: engagement quadrant, interests, best send time, pressure (audited)",
    tag: 'campaigns',
    // One person's data: analysts and admins only (issue 19), like the customer page that shows it.
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, audit, caller }): Promise<CustomerCampaignsResponse> {
      await audit.record(caller, 'customer.read', params.id);
      const one = async (table: string) =>
        (await tableExists(engine, table))
          ? ((await engine.query(sql`SELECT * FROM ${ident(table)} WHERE customer_id = ${params.id}`))[0] ??
            null)
          : null;
      const e = await one('customer_engagement');
      const i = await one('customer_interests');
      const s = await one('customer_send_time');
      const p = await one('customer_pressure');
      const interests = i
        ? Object.entries(i)
            .filter(([k, v]) => k.startsWith('interest_') && typeof v === 'number' && v > 0.5)
            .map(([k, v]) => ({
              keyword: k.slice('interest_'.length).replaceAll('_', ' '),
              interest: v as number,
            }))
            .sort((a, b) => b.interest - a.interest)
            .slice(0, 5)
        : [];
      const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      return {
        customerId: params.id,
        engagement: e
          ? {
              quadrant: String(e.quadrant),
              openProbability: Number(e.open_probability),
              clickProbability: Number(e.click_probability),
              openTrend: Number(e.open_trend),
              declining: Number(e.declining) === 1,
              delivered: Number(e.delivered),
              opens: Number(e.opens),
              clicks: Number(e.clicks),
            }
          : null,
        interests,
        sendTime: s
          ? {
              bestIsoWeekday: n(s.best_iso_weekday),
              bestHour: n(s.best_hour),
              bestChannel: s.best_channel === null ? null : String(s.best_channel),
            }
          : null,
        pressure: p ? { class: String(p.pressure_class), recentSends: Number(p.recent_sends) } : null,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/campaigns/engagement',
    summary: 'E-mail engagement: RFO / RFC grids on opens and clicks, open × click quadrants, decline',
    tag: 'campaigns',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      windowDays: z.coerce.number().int().min(14).max(3650).default(365),
    }),
    async handler({ engine, query, caller }): Promise<CampaignEngagementResponse> {
      const asOf = query.asOf ?? (await lastOrderDay(engine));
      const r = await engagementProfile(engine, { asOf, windowDays: query.windowDays });
      const result: CampaignEngagementResponse = {
        asOf: r.asOf,
        contacts: r.contacts,
        openRate: r.openPrior.mean,
        clickRate: r.clickPrior.mean,
        quadrants: r.quadrants,
        rfo: r.rfo,
        rfc: r.rfc,
        declining: r.declining,
        warnings: r.warnings,
      };
      if (!isViewer(caller)) return result;
      const k = await minCellSize(engine);
      // As GET /api/rfm?kind=rfo|rfc: an empty quadrant stays; 1 to k−1 contacts are left out, grid cells null.
      const { rows, suppressed } = dropSmallCells(
        result.quadrants,
        (q) => (q.contacts === 0 ? k : q.contacts),
        k,
      );
      return {
        ...result,
        quadrants: rows.map((q) => ({ ...q, declining: smallCountNull(q.declining ?? 0, k) })),
        suppressedQuadrants: suppressed,
        rfo: smallCellsNull(r.rfo, k),
        rfc: smallCellsNull(r.rfc, k),
        declining: smallCountNull(r.declining, k),
      };
    },
  }),
];
