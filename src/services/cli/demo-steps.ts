import { clusterCustomers } from '../../analytics/clusters/index.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { buildRfm, rfmSummary } from '../../analytics/rfm/index.js';
import type { DemoManifest } from '../../demo/index.js';
import { type Engine, sql } from '../../store/index.js';
import { basketStep } from './demo-basket.js';
import { campaignsStep } from './demo-campaigns.js';
import { clvStep } from './demo-clv.js';
import { geoStep } from './demo-geo.js';
import { lifeEventsStep } from './demo-lifeevents.js';
import { predictStep } from './demo-predict.js';
import { pricingStep } from './demo-pricing.js';
import { reportStep } from './demo-report.js';
import { textsStep } from './demo-texts.js';
import type { Output } from './output.js';

/**
 * What `clientele demo` shows after importing the demo shop: one entry per analysis, run in this order.
 *
 * **To add your module to the demo, append an entry to `DEMO_STEPS`.** A step
 * - has a stable `id` (its key in the `--json` output's `steps` object) and a `title` (printed as a heading);
 * - reads the datamart through `engine` (it is already imported: every canonical table is filled) and
 *   uses `ctx.asOf` / `ctx.seed` instead of the clock or Math.random;
 * - prints a short, readable result with `ctx.out` (a table of ≤ 10 rows plus a line of interpretation),
 *   and returns a small JSON-friendly object with documented field names (it becomes `steps[id]`);
 * - stays fast: the whole demo must finish in well under 30 s for 5,000 customers on 2 cores.
 * The planted truths (affinities, campaign lifts, churn) are in `ctx.manifest.planted`; a step may
 * print what it found next to what was planted, which is the point of a demo.
 * A step that throws is reported as failed (with its message) and the demo exits with code 1.
 *
 * Example:
 * ```ts
 * { id: 'rfm', title: 'RFM segments', async run(engine, ctx) {
 *     const result = await rfmModule.fit(engine, { asOf: ctx.asOf });
 *     ctx.out.table(result.segments.slice(0, 10));
 *     return { segments: result.segments.length };
 * } }
 * ```
 */
export interface DemoStepContext {
  /** The demo's reference date (YYYY-MM-DD); all data lies before it. */
  asOf: string;
  seed: number;
  manifest: DemoManifest;
  /** Human output (prints nothing with --json). */
  out: Output;
  /**
   * The folder the demo's files were written to (a step may write its own output there; hidden truths such
   * as campaign_truth.csv lie there too).
   */
  outDir?: string;
}

export interface DemoStep {
  id: string;
  title: string;
  run(engine: Engine, ctx: DemoStepContext): Promise<Record<string, unknown>>;
}

const num = (v: unknown) => Number(v ?? 0);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Orders by weekday and the December peak: the seasonality planted in the data. */
const salesRhythm: DemoStep = {
  id: 'salesRhythm',
  title: 'Sales rhythm: weekdays and seasons',
  async run(engine, ctx) {
    const d = engine.dialect;
    const days = await engine.query(sql`SELECT ${d.isoDayOfWeek(sql`order_date`)} AS dow, count(*) AS orders,
        sum(total - shipping) AS revenue
      FROM orders WHERE status <> 'cancelled' GROUP BY dow ORDER BY dow`);
    const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const totalOrders = days.reduce((s, d) => s + num(d.orders), 0);
    const rows = days.map((d) => ({
      weekday: names[num(d.dow) - 1],
      orders: num(d.orders),
      share: round(num(d.orders) / totalOrders, 3),
      revenue: round(num(d.revenue)),
    }));
    const [m] = await engine.query(sql`SELECT
        ${d.countIf(sql`EXTRACT(MONTH FROM order_date) = 12`)} AS december,
        count(*) / 12.0 AS average_month FROM orders WHERE status <> 'cancelled'`);
    const weekendShare = rows
      .filter((r) => r.weekday === 'Sat' || r.weekday === 'Sun')
      .reduce((s, r) => s + r.share, 0);
    const decemberIndex = num(m?.average_month) > 0 ? num(m?.december) / num(m?.average_month) : 0;
    ctx.out.table(rows);
    ctx.out.line(
      `Weekend share ${(weekendShare * 100).toFixed(1)}% (2/7 = 28.6% if flat); December sells ${decemberIndex.toFixed(2)}× an average month.`,
    );
    return { weekdays: rows, weekendShare: round(weekendShare, 3), decemberIndex: round(decemberIndex, 2) };
  },
};

/** Campaign lift measured against each campaign's random control group. */
const campaignLift: DemoStep = {
  id: 'campaignLift',
  title: 'Campaigns: lift against the control group (orders within 14 days)',
  async run(engine, ctx) {
    const rows = await engine.query(sql`WITH t AS (
        SELECT campaign_id, customer_id, event_type, event_time FROM campaign_events
        WHERE event_type IN ('sent', 'holdout')),
      per AS (SELECT t.campaign_id, t.customer_id, t.event_type, count(o.order_id) AS orders
        FROM t LEFT JOIN orders o ON o.customer_id = t.customer_id AND o.order_time >= t.event_time
          AND o.order_time < t.event_time + INTERVAL 14 DAY
        GROUP BY ALL)
      SELECT c.channel, count(DISTINCT per.campaign_id) AS campaigns,
        count(*) FILTER (WHERE event_type = 'sent') AS treated,
        count(*) FILTER (WHERE event_type = 'holdout') AS control,
        avg(orders) FILTER (WHERE event_type = 'sent') AS treated_rate,
        avg(orders) FILTER (WHERE event_type = 'holdout') AS control_rate
      FROM per JOIN campaigns c USING (campaign_id) GROUP BY ALL ORDER BY c.channel`);
    const planted = new Map(ctx.manifest.planted.campaigns.map((c) => [c.campaignId, c]));
    const plantedByChannel = new Map<string, { lift: number; n: number }>();
    for (const c of planted.values()) {
      const p = plantedByChannel.get(c.channel) ?? { lift: 0, n: 0 };
      plantedByChannel.set(c.channel, { lift: p.lift + c.trueLift, n: p.n + 1 });
    }
    const out = rows.map((r) => {
      const p = plantedByChannel.get(String(r.channel));
      return {
        channel: String(r.channel),
        campaigns: num(r.campaigns),
        treated: num(r.treated),
        control: num(r.control),
        treatedRate: round(num(r.treated_rate), 4),
        controlRate: round(num(r.control_rate), 4),
        lift: round(num(r.treated_rate) - num(r.control_rate), 4),
        plantedLift: p ? round(p.lift / p.n, 4) : null,
      };
    });
    ctx.out.table(out);
    ctx.out.line(
      'lift = extra orders per treated customer; plantedLift = the mean true lift the generator used.',
    );
    return { channels: out };
  },
};

/** The rejected rows, grouped by table and reason: the planted data-quality problems. */
const dataQuality: DemoStep = {
  id: 'dataQuality',
  title: 'Data quality: rejected rows by reason',
  async run(engine, ctx) {
    const rows =
      await engine.query(sql`SELECT target AS "table", reason, count(*) AS rows, min(line) AS "firstLine"
      FROM rejects GROUP BY ALL ORDER BY "table", rows DESC, reason`);
    const out = rows.map((r) => ({
      table: String(r.table),
      reason: String(r.reason),
      rows: num(r.rows),
      firstLine: num(r.firstLine),
    }));
    const short = (t: string) => (t.length > 100 ? `${t.slice(0, 99)}…` : t);
    ctx.out.table(
      out.map((r) => ({ ...r, reason: short(r.reason) })),
      { maxRows: 12 },
    );
    ctx.out.line(
      `${out.reduce((s, r) => s + r.rows, 0)} rows rejected and kept with their reasons (${ctx.manifest.planted.problems.length} problems were planted; rejected orders also orphan their lines).`,
    );
    return { rejects: out };
  },
};

/** The customer feature view, the RFM segment table and named clusters (issue 3). */
const profiles: DemoStep = {
  id: 'profiles',
  title: 'Customer profiles: RFM segments and clusters',
  async run(engine, ctx) {
    const features = await buildFeatures(engine, { asOf: ctx.asOf });
    await buildRfm(engine, { asOf: ctx.asOf });
    const rfm = await rfmSummary(engine, { asOf: ctx.asOf });
    const segments = rfm.segments.map((s) => ({
      segment: s.segment,
      customers: s.customers,
      share: round(s.share, 3),
      recencyDays: Math.round(s.meanRecencyDays),
      orders: round(s.meanFrequency, 1),
      revenue: round(s.meanValue, 0),
      revenueShare: round(s.valueShare, 3),
    }));
    ctx.out.line(
      `customer_features as of ${ctx.asOf}: ${features.rows} customers, ${features.buyers} with orders, ${features.columns.length} columns.`,
    );
    ctx.out.table(segments, { maxRows: 11 });
    const clusters = await clusterCustomers(engine, { seed: ctx.seed >>> 0, kMax: 6 });
    const named = clusters.clusters.map((c) => ({
      cluster: c.cluster,
      name: c.name,
      customers: c.size,
      share: round(c.share, 3),
    }));
    ctx.out.line(
      `\n${clusters.k} clusters (k chosen by silhouette ${round(clusters.silhouettes.find((x) => x.k === clusters.k)?.silhouette ?? 0, 3)}):`,
    );
    ctx.out.table(named);
    ctx.out.line('Try: clientele segment count "rfm_segment = \'At risk\' and email_open_rate > 0.2" --db …');
    return { buyers: features.buyers, rfm: segments, k: clusters.k, clusters: named };
  },
};

/** Every step the demo runs, in order. Append yours here (see the comment at the top of this file). */
export const DEMO_STEPS: readonly DemoStep[] = [
  dataQuality,
  salesRhythm,
  campaignLift,
  campaignsStep,
  profiles,
  basketStep,
  predictStep,
  clvStep,
  textsStep,
  geoStep,
  pricingStep,
  lifeEventsStep,
  // Last: the report reads what the steps before it computed (RFM, CLV, the churn model).
  reportStep,
];
