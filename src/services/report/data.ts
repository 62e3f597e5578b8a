/**
 * Gathers the report's figures from the datamart through the analytics modules' own library functions (the
 * ones the HTTP routes call), so the report, the dashboard and the API show the same number for the same
 * datamart. Nothing here recomputes a figure another way; sections whose inputs are missing (no CLV run, no
 * churn model, no campaign with a holdout) come back null with the reason kept for the renderer.
 */
import {
  type CampaignOverviewRow,
  campaignOverview,
  evaluateCampaigns,
} from '../../analytics/campaigns/index.js';
import { type ClvSummary, clvSummary } from '../../analytics/clv/index.js';
import { FEATURES_TABLE, featureTableAsOf, latestOrderDate } from '../../analytics/features/index.js';
import { type Overview, overview } from '../../analytics/overview/index.js';
import {
  explainLoaded,
  getModel,
  loadTable,
  modelScoreboard,
  type PredictModel,
  scoreQuerySql,
} from '../../analytics/predict/index.js';
import { type RfmResult, rfmSummary } from '../../analytics/rfm/index.js';
import type { Language } from '../../analytics/shared/field-labels.js';
import { InputError, NotFoundError } from '../../errors.js';
import { type Engine, getSetting, ident, join, sql, tableExists } from '../../store/index.js';

export type ReportKind = 'overview' | 'campaign';

export interface ReportOptions {
  /** `overview` (default): the whole customer base; `campaign`: one campaign's evaluation. */
  kind?: ReportKind;
  /** The campaign id, for `kind: 'campaign'`. */
  campaign?: string;
  lang?: Language;
  /** ISO 4217 code of the datamart's money (default EUR, as the dashboard). */
  currency?: string;
  /** Campaign outcome window in days after the send (default 14, as the API). */
  horizonDays?: number;
  /** Customer column the campaign evaluation is broken down by (default country, as the API). */
  by?: string;
  /** The churn model (default: the newest model whose id names churn and that scores the feature table). */
  riskModel?: string;
  /** Rows in the top-risk list and in the most-valuable-at-risk list (default 5 each). */
  topRisks?: number;
  /** Campaigns shown in the overview report (newest first; default 12). */
  campaigns?: number;
}

export interface RiskSection {
  modelId: string;
  /** The feature table's as-of: the date every buyer was scored on. */
  asOf: string;
  auc: number | null;
  baselineAuc: number | null;
  aucGain: number | null;
  barelyBeatsBaseline: boolean;
  scored: number;
  /** The dashboard's bands: high ≥ 0.7, medium 0.3–0.7, low < 0.3. */
  bands: { band: 'high' | 'medium' | 'low'; customers: number; revenue: number }[];
  /** The highest risks (the Risk page's top list) with their net revenue to date and reasons. */
  top: { customerId: string; score: number; revenue: number; reasons: { feature: string; text: string }[] }[];
  /** The riskiest tenth's most valuable buyers (most net revenue to date first): who is worth a call. */
  valuable: {
    customerId: string;
    score: number;
    revenue: number;
    reasons: { feature: string; text: string }[];
  }[];
  /** Mean score over every buyer scored. */
  meanScore: number;
  /** The riskiest tenth of the buyers: how many, their net revenue to date, the lowest score among them. */
  topDecile: { customers: number; revenue: number; minScore: number };
  /** Buyers and high-band buyers per RFM segment of the feature table. */
  bySegment: { segment: string; customers: number; high: number; meanScore: number }[];
}

export interface CampaignSection {
  asOf: string;
  horizonDays: number;
  total: number;
  /** The newest campaigns with a holdout group, newest first. */
  rows: CampaignOverviewRow[];
}

export interface CampaignEvaluationSection {
  asOf: string;
  horizonDays: number;
  row: CampaignOverviewRow;
  by: string;
  groups: {
    group: string;
    treated: number;
    control: number;
    rate: number;
    controlRate: number | null;
    lift: number | null;
    ciLow: number | null;
    ciHigh: number | null;
  }[];
}

export interface ReportData {
  kind: ReportKind;
  lang: Language;
  currency: string;
  overview: Overview;
  rfm: { asOf: string; scored: number; segments: RfmResult['segments'] } | null;
  clv: ClvSummary | null;
  risk: RiskSection | null;
  campaigns: CampaignSection | null;
  campaign: CampaignEvaluationSection | null;
}

/** A section that cannot be built because its inputs are missing (not found) is left out; other errors stop. */
async function optional<T>(build: () => Promise<T | null>): Promise<T | null> {
  try {
    return await build();
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** The Risk page's score bands (its "open as a segment" links use the same cut points). */
const BANDS = [
  { band: 'high', test: (score: number) => score >= 0.7 },
  { band: 'medium', test: (score: number) => score >= 0.3 && score < 0.7 },
  { band: 'low', test: (score: number) => score < 0.3 },
] as const;

async function featureColumns(engine: Engine): Promise<Set<string>> {
  const rows = await engine.query<{ column_name: string }>(
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${FEATURES_TABLE}`,
  );
  return new Set(rows.map((r) => r.column_name));
}

async function churnModel(engine: Engine, wanted: string | undefined): Promise<PredictModel | null> {
  const have = await featureColumns(engine);
  if (have.size === 0) return null;
  const board = await modelScoreboard(engine);
  const candidates = wanted ? board.filter((m) => m.id === wanted) : board.filter((m) => /churn/i.test(m.id));
  if (wanted && candidates.length === 0)
    throw new InputError(
      `report --risk-model: expected one of the saved models (${board.map((m) => m.id).join(', ') || 'none'}), got "${wanted}". List them with clientele predict list.`,
      { model: wanted },
      { code: 'INVALID_ARGUMENT' },
    );
  for (const c of [...candidates].sort((a, b) => b.asOf.localeCompare(a.asOf) || a.id.localeCompare(b.id))) {
    const { model } = await getModel(engine, c.id);
    if (model.state.model.features.every((f) => have.has(f.name))) return model;
  }
  return null;
}

/** The churn section: bands over every buyer and the top list with reasons, scored as the Risk page does. */
async function riskSection(
  engine: Engine,
  options: ReportOptions,
  lang: Language,
): Promise<RiskSection | null> {
  const model = await churnModel(engine, options.riskModel);
  const asOf = await featureTableAsOf(engine);
  if (!model || !asOf) return null;
  const board = (await modelScoreboard(engine)).find((m) => m.id === model.id);
  const scoring = scoreQuerySql(engine.dialect, model.state.model, FEATURES_TABLE, 'customer_id');
  // rfm_segment is in the feature table once RFM scores were saved; without it there is no per-segment split.
  const segment = (await featureColumns(engine)).has('rfm_segment')
    ? sql`f.rfm_segment`
    : sql`CAST(NULL AS VARCHAR)`;
  const buyers = sql`(SELECT q.customer_id, q.score, f.revenue, ${segment} AS rfm_segment FROM (${scoring}) q JOIN ${ident(FEATURES_TABLE)} f
      ON ${engine.dialect.toText(sql`f.customer_id`)} = q.customer_id WHERE f.last_order IS NOT NULL) b`;
  // Scored once inside the database by the compiled model (as the Risk page ranks), then counted here: the
  // scoring is the expensive part, and one row per buyer is small.
  const scored = await engine.query<{
    customer_id: string;
    score: number;
    revenue: number | null;
    rfm_segment: string | null;
  }>(sql`SELECT customer_id, score, revenue, rfm_segment FROM ${buyers} ORDER BY score DESC, customer_id`);
  const bands = BANDS.map((b) => {
    const rows = scored.filter((r) => b.test(r.score));
    return {
      band: b.band,
      customers: rows.length,
      revenue: rows.reduce((s, r) => s + Number(r.revenue ?? 0), 0),
    };
  });
  const limit = options.topRisks ?? 5;
  const ids = scored.slice(0, limit).map((t) => t.customer_id);
  // The riskiest tenth: ntile(10)'s first tile, ceil(n / 10) rows.
  const tenth = scored.slice(0, Math.ceil(scored.length / 10));
  const segments = new Map<string, { customers: number; high: number; sum: number }>();
  for (const r of scored) {
    if (r.rfm_segment === null) continue;
    const s = segments.get(r.rfm_segment) ?? { customers: 0, high: 0, sum: 0 };
    s.customers++;
    s.sum += r.score;
    if (r.score >= 0.7) s.high++;
    segments.set(r.rfm_segment, s);
  }
  const valuableRows = [...tenth]
    .sort(
      (a, b) => Number(b.revenue ?? 0) - Number(a.revenue ?? 0) || (a.customer_id < b.customer_id ? -1 : 1),
    )
    .slice(0, limit);
  const valuableIds = valuableRows.map((r) => r.customer_id);
  const revenueOf = new Map(
    [...scored.slice(0, limit), ...valuableRows].map((r) => [r.customer_id, Number(r.revenue ?? 0)]),
  );
  const explainIds = [...new Set([...ids, ...valuableIds])];
  const explained = explainIds.length
    ? explainLoaded(
        model,
        await loadTable(engine, FEATURES_TABLE, {
          idColumn: 'customer_id',
          include: model.state.model.features.map((f) => f.name),
          where: sql`last_order IS NOT NULL AND CAST(customer_id AS VARCHAR) IN (${join(explainIds.map((id) => sql`${id}`))})`,
          keepConstant: true,
        }),
        3,
        undefined,
        lang,
        options.currency,
      )
    : [];
  const byId = new Map(explained.map((e) => [e.customerId, e]));
  const rowsOf = (list: string[]) =>
    list.flatMap((id) => {
      const e = byId.get(id);
      return e
        ? [
            {
              customerId: id,
              score: e.score,
              revenue: revenueOf.get(id) ?? 0,
              reasons: e.reasons.map((r) => ({ feature: r.feature, text: r.text })),
            },
          ]
        : [];
    });
  return {
    modelId: model.id,
    asOf,
    auc: board?.auc ?? null,
    baselineAuc: board?.baseline?.auc ?? null,
    aucGain: board?.aucGain ?? null,
    barelyBeatsBaseline: board?.verdict === 'barely beats its baseline',
    scored: bands.reduce((s, b) => s + b.customers, 0),
    bands,
    top: rowsOf(ids),
    valuable: rowsOf(valuableIds),
    meanScore: scored.length ? scored.reduce((sum, r) => sum + r.score, 0) / scored.length : 0,
    topDecile: {
      customers: tenth.length,
      revenue: tenth.reduce((s, r) => s + Number(r.revenue ?? 0), 0),
      minScore: tenth[tenth.length - 1]?.score ?? 0,
    },
    bySegment: [...segments.entries()]
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([segment, v]) => ({
        segment,
        customers: v.customers,
        high: v.high,
        meanScore: v.sum / v.customers,
      })),
  };
}

/** The campaigns the overview route lists, newest first, with a holdout group (a measured lift). */
async function campaignSection(
  engine: Engine,
  asOf: string,
  options: ReportOptions,
): Promise<{ section: CampaignSection; all: CampaignOverviewRow[] }> {
  const horizonDays = options.horizonDays ?? 14;
  const r = await campaignOverview(engine, { asOf, horizonDays });
  const measured = r.campaigns.filter((c) => c.lift !== null && c.ciLow !== null && c.ciHigh !== null);
  return {
    section: {
      asOf: r.asOf,
      horizonDays: r.horizonDays,
      total: r.campaigns.length,
      rows: measured.slice(0, options.campaigns ?? 12),
    },
    all: r.campaigns,
  };
}

/**
 * Reads every figure the report shows. The same functions and default dates as the API routes: overview as of
 * the day after the last order, RFM as of the feature table, campaigns as of the last order day, CLV from
 * the latest `clv_scores` run, churn scored on the feature table.
 *
 * @throws InputError for an unknown campaign or risk model; NotFoundError when the datamart has no orders
 * @example
 * const data = await gatherReport(engine, { lang: 'nl' });
 * data.overview.kpis.revenue; // the same as GET /api/overview
 */
export async function gatherReport(engine: Engine, given: ReportOptions = {}): Promise<ReportData> {
  // Money in the datamart's `currency` setting unless the caller names one.
  const options = { ...given, currency: given.currency ?? (await getSetting(engine, 'currency')) };
  const kind = options.kind ?? 'overview';
  const lang = options.lang ?? 'en';
  const lastOrder = await latestOrderDate(engine);
  if (!lastOrder)
    throw new NotFoundError(
      'report: the datamart has no orders yet. Import orders first (clientele import).',
    );
  if (kind === 'campaign' && !options.campaign)
    throw new InputError(
      'report --kind campaign: expected --campaign ID (the campaign to evaluate), got none. List the campaigns with clientele campaign list.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const ov = await overview(engine);
  const featuresAsOf = (await featureTableAsOf(engine)) ?? lastOrder;
  const rfm = await optional(async () => {
    const r = await rfmSummary(engine, { asOf: featuresAsOf });
    return r.scored > 0 ? { asOf: featuresAsOf, scored: r.scored, segments: r.segments } : null;
  });
  const clv = await optional(() => clvSummary(engine));
  const risk = await optional(() => riskSection(engine, options, lang));
  const campaigns = await optional(() => campaignSection(engine, lastOrder, options));
  let campaign: CampaignEvaluationSection | null = null;
  if (kind === 'campaign') {
    const id = options.campaign as string;
    const row = campaigns?.all.find((c) => c.campaignId === id);
    if (!row || row.lift === null)
      throw new InputError(
        `report --campaign: expected a campaign with sent and holdout contacts up to ${lastOrder}, got "${id}"${row ? ' (it has no holdout group)' : ''}. Known: ${
          (campaigns?.all ?? [])
            .slice(0, 8)
            .map((c) => c.campaignId)
            .join(', ') || 'none'
        }${(campaigns?.all.length ?? 0) > 8 ? ', …' : ''}.`,
        { campaign: id },
        { code: 'INVALID_ARGUMENT' },
      );
    // By RFM segment (what marketing plans by) when the datamart has RFM scores, else by country.
    const by = options.by ?? ((await tableExists(engine, 'customer_rfm')) ? 'rfm_segment' : 'country');
    const horizonDays = options.horizonDays ?? 14;
    // The same call as GET /api/campaigns/segments.
    const r = await evaluateCampaigns(engine, {
      asOf: lastOrder,
      horizonDays,
      by: [by],
      campaigns: [id],
      bootstrap: 0,
    });
    campaign = {
      asOf: lastOrder,
      horizonDays,
      row,
      by,
      groups: r.groups.map((g) => {
        const c = g.arms.find((a) => a.isControl);
        const t = g.arms.find((a) => !a.isControl);
        return {
          group: g.key[by] ?? '',
          treated: t?.n ?? 0,
          control: c?.n ?? 0,
          rate: t?.rate ?? 0,
          controlRate: c?.rate ?? null,
          lift: t?.lift ?? null,
          ciLow: t?.ciLow ?? null,
          ciHigh: t?.ciHigh ?? null,
        };
      }),
    };
  }
  return {
    kind,
    lang,
    currency: options.currency,
    overview: ov,
    rfm,
    clv,
    risk,
    campaigns: campaigns?.section ?? null,
    campaign,
  };
}
