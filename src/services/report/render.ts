/**
 * The pure renderer: report data → one self-contained HTML page (inline CSS and SVG, no script, no external
 * fetch), in the data's language, laid out for the screen and for A4 paper.
 */
import { fieldLabel } from '../../analytics/shared/field-labels.js';
import { barChart, COLOURS, columnChart, escapeHtml, intervalChart } from './charts.js';
import type { ReportData } from './data.js';
import { type Formats, formats, nameOf, type TextKey, text } from './i18n.js';
import { bandIsBroad, type Figure, type Phrase, type Recommendation, recommend } from './recommend.js';

const STYLE = `
@page { size: A4; margin: 14mm 13mm 16mm; }
* { box-sizing: border-box; }
body { font-family: Helvetica, Arial, sans-serif; color: #1f2933; margin: 0 auto; max-width: 190mm; font-size: 10.5pt; line-height: 1.4; padding: 8mm 0; }
.scroll { overflow-x: auto; }
@media print { body { padding: 0; max-width: none; } .scroll { overflow: visible; } }
header { border-bottom: 3px solid ${COLOURS.primary}; padding-bottom: 6px; margin-bottom: 14px; }
h1 { font-size: 21pt; margin: 0 0 2px; color: ${COLOURS.primary}; }
h2 { font-size: 14pt; margin: 18px 0 6px; color: ${COLOURS.primary}; border-bottom: 1px solid #d9e2ec; padding-bottom: 2px; }
h3 { font-size: 11pt; margin: 12px 0 4px; }
.meta { color: #52606d; font-size: 9.5pt; margin: 0; }
section { break-inside: auto; }
.keep { break-inside: avoid; }
h2, h3 { break-after: avoid; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; margin: 8px 0; }
.kpi { border: 1px solid #d9e2ec; border-radius: 6px; padding: 7px 9px; break-inside: avoid; min-width: 0; overflow-wrap: anywhere; }
.kpi .label { font-size: 8.5pt; color: #52606d; text-transform: uppercase; letter-spacing: .03em; }
.kpi .value { font-size: 15pt; font-weight: bold; margin: 2px 0; white-space: nowrap; }
.kpi .base { font-size: 8pt; color: #52606d; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9.5pt; }
th, td { padding: 3px 6px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; font-size: 8.5pt; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
table[data-section="campaigns"] td:first-child { min-width: 38mm; }
.recs { list-style: none; padding: 0; margin: 6px 0; counter-reset: rec; }
.recs li { border-left: 4px solid ${COLOURS.secondary}; background: #fdf8f0; padding: 6px 10px; margin: 0 0 8px; break-inside: avoid; counter-increment: rec; }
.recs .title { font-weight: bold; font-size: 11pt; }
.recs .title::before { content: counter(rec) ". "; color: ${COLOURS.secondary}; }
.recs .evidence { margin: 2px 0 0; color: #323f4b; }
.recs .evidence b { font-weight: 600; color: #52606d; }
.note { color: #52606d; font-size: 9pt; margin: 4px 0; }
.warn { border-left: 4px solid ${COLOURS.bad}; background: #fbeeed; padding: 4px 8px; font-size: 9.5pt; }
.chart { display: block; margin: 4px 0 8px; }
.works { color: ${COLOURS.good}; font-weight: 600; }
.hurts { color: ${COLOURS.bad}; font-weight: 600; }
.unclear { color: #52606d; }
footer { margin-top: 18px; border-top: 1px solid #d9e2ec; padding-top: 6px; font-size: 8.5pt; color: #52606d; break-inside: avoid; }
footer p { margin: 0 0 3px; }
table[data-section="campaigns"], table[data-section="groups"], table[data-section="top-risks"], table[data-section="valuable-risks"] { font-size: 8.5pt; }
table[data-section="campaigns"] td:nth-child(2), table[data-section="campaigns"] td:last-child, table[data-section="groups"] td:last-child { white-space: nowrap; }
/* Last, so it wins over the rules above on a phone. */
@media screen and (max-width: 640px) { body { padding: 4mm; } .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } .kpi .value { white-space: normal; font-size: 13pt; } }
`;

interface Ctx {
  data: ReportData;
  f: Formats;
  t(key: TextKey, values?: Record<string, string | number>): string;
}

function figure(ctx: Ctx, fig: Figure): string {
  const { f, data } = ctx;
  switch (fig.kind) {
    case 'count':
      return f.count(fig.value);
    case 'money':
      return f.money(fig.value);
    case 'percent':
      return f.percent(fig.value, fig.value < 0.1 ? 1 : 0);
    case 'points':
      return f.points(fig.value);
    case 'name':
      return nameOf(data.lang, fig.value);
    case 'field':
      return fieldLabel(fig.value, data.lang);
    case 'text':
      return fig.value;
  }
}

/** A phrase with its figures formatted; every part escaped. */
function phrase(ctx: Ctx, p: Phrase): string {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.values)) values[k] = figure(ctx, v);
  return escapeHtml(ctx.t(p.key, values));
}

function kpi(label: string, value: string, base: string): string {
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="base">${escapeHtml(base)}</div></div>`;
}

function table(head: { label: string; numeric?: boolean }[], rows: string[][], testId?: string): string {
  const th = head.map((h) => `<th${h.numeric ? ' class="n"' : ''}>${escapeHtml(h.label)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((cell, i) => `<td${head[i]?.numeric ? ' class="n"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('');
  // A wide table scrolls sideways on a phone instead of widening the page.
  return `<div class="scroll"><table${testId ? ` data-section="${testId}"` : ''}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function recommendations(ctx: Ctx, recs: Recommendation[]): string {
  const items = recs.length
    ? `<ol class="recs">${recs
        .map(
          (r) =>
            `<li data-rec="${escapeHtml(r.id)}"><div class="title">${phrase(ctx, r.title)}</div><p class="evidence"><b>${escapeHtml(ctx.t('rec.evidence'))}:</b> ${r.evidence.map((e) => phrase(ctx, e)).join(' ')}</p></li>`,
        )
        .join('')}</ol>`
    : `<p class="note">${escapeHtml(ctx.t('rec.none'))}</p>`;
  return `<section id="recommendations"><h2>${escapeHtml(ctx.t('section.recommendations'))}</h2><p class="note">${escapeHtml(ctx.t('rec.intro'))}</p>${items}</section>`;
}

function overviewSection(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const o = data.overview;
  const k = o.kpis;
  // asOf is exclusive (the day after the last order): the last day counted is the day before.
  const lastDay = new Date(`${o.asOf}T00:00:00Z`);
  lastDay.setUTCDate(lastDay.getUTCDate() - 1);
  const through = f.date(lastDay.toISOString().slice(0, 10));
  const cards = [
    kpi(t('kpi.customers'), f.count(k.customers), t('kpi.customers.base')),
    kpi(t('kpi.buyers'), f.count(k.buyers), t('kpi.buyers.base')),
    kpi(t('kpi.active'), f.count(k.active), t('kpi.active.base', { days: f.count(o.activeDays) })),
    kpi(
      t('kpi.revenue'),
      f.money(k.revenue),
      `${t('kpi.revenue.base', { date: through })}; ${t('kpi.gross', { amount: f.money(k.grossSales) })}`,
    ),
  ].join('');
  const months = o.byMonth.slice(-24);
  // The month of asOf's last day is partial when the data stops before its end.
  const lastMonth = months[months.length - 1];
  const partial = Boolean(
    lastMonth &&
      lastDay.getUTCMonth() === new Date(`${lastMonth.month}T00:00:00Z`).getUTCMonth() &&
      (() => {
        const next = new Date(lastDay);
        next.setUTCDate(next.getUTCDate() + 1);
        return next.getUTCDate() !== 1;
      })(),
  );
  const full = partial ? o.byMonth.slice(0, -1) : o.byMonth;
  const last12 = full.slice(-12).reduce((s, m) => s + m.revenue, 0);
  const prev12 = full.slice(-24, -12).reduce((s, m) => s + m.revenue, 0);
  const trendLine =
    full.length >= 24 && prev12 > 0
      ? `<p>${escapeHtml(t('overview.trendLine', { amount: f.money(last12), change: f.change(last12 / prev12 - 1) }))}</p>`
      : '';
  const chart = columnChart(
    months.map((m, i) => ({
      label: f.month(m.month),
      value: m.revenue,
      muted: partial && i === months.length - 1,
    })),
    { title: t('overview.trend'), formatValue: (v) => f.money(v), labelEvery: 3 },
  );
  return `<section id="overview"><h2>${escapeHtml(t('section.overview'))}</h2><div class="kpis" data-section="kpis">${cards}</div><h3>${escapeHtml(t('overview.trend'))}</h3>${chart}${partial ? `<p class="note">${escapeHtml(t('overview.partialMonth'))}</p>` : ''}${trendLine}</section>`;
}

function segmentsSection(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const title = `<h2>${escapeHtml(t('section.segments'))}</h2>`;
  if (!data.rfm)
    return `<section id="segments">${title}<p class="note">${escapeHtml(t('segments.none'))}</p></section>`;
  const segs = data.rfm.segments;
  const chart = barChart(
    segs.map((s) => ({ label: nameOf(data.lang, s.segment), values: [s.share, s.valueShare] })),
    {
      title: t('segments.chart'),
      series: [
        { name: t('legend.buyers'), colour: COLOURS.muted },
        { name: t('legend.revenue'), colour: COLOURS.primary },
      ],
      formatValue: (v) => f.percent(v, 0),
    },
  );
  const rows = segs.map((s) => [
    escapeHtml(nameOf(data.lang, s.segment)),
    escapeHtml(f.count(s.customers)),
    escapeHtml(f.percent(s.share)),
    escapeHtml(f.percent(s.valueShare)),
    escapeHtml(f.money(s.meanValue)),
    escapeHtml(f.count(s.meanRecencyDays)),
  ]);
  return `<section id="segments"><div class="keep">${title}<p class="note">${escapeHtml(t('segments.intro', { date: f.date(data.rfm.asOf) }))}</p>${chart}</div>${table(
    [
      { label: t('col.segment') },
      { label: t('col.customers'), numeric: true },
      { label: t('col.shareBuyers'), numeric: true },
      { label: t('col.shareRevenue'), numeric: true },
      { label: t('col.meanValue'), numeric: true },
      { label: t('col.recency'), numeric: true },
    ],
    rows,
    'segments',
  )}</section>`;
}

function valueSection(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const title = `<h2>${escapeHtml(t('section.value'))}</h2>`;
  const clv = data.clv;
  if (!clv) return `<section id="value">${title}<p class="note">${escapeHtml(t('value.none'))}</p></section>`;
  const scored = clv.tiers.reduce((s, x) => s + x.customers, 0);
  const total = clv.tiers.reduce((s, x) => s + x.clv, 0);
  const gold = clv.tiers.find((x) => x.tier === 'gold');
  const chart = barChart(
    clv.tiers.map((x) => ({ label: nameOf(data.lang, x.tier), values: [x.clv] })),
    {
      title: t('value.chart'),
      series: [{ name: t('col.value'), colour: COLOURS.primary }],
      formatValue: (v) => f.money(v),
    },
  );
  const rows = clv.tiers.map((x) => [
    escapeHtml(nameOf(data.lang, x.tier)),
    escapeHtml(f.count(x.customers)),
    escapeHtml(f.money(x.clv)),
    escapeHtml(f.money(x.minClv)),
    escapeHtml(f.percent(x.meanPAlive, 0)),
  ]);
  const goldLine = gold
    ? `<p>${escapeHtml(t('value.gold', { customers: f.count(gold.customers), share: f.percent(gold.customers / scored), valueShare: f.percent(total ? gold.clv / total : 0) }))}</p>`
    : '';
  const negative =
    clv.negative.customers > 0
      ? `<p class="note">${escapeHtml(t('value.negative', { customers: f.count(clv.negative.customers), amount: f.money(clv.negative.clv) }))}</p>`
      : '';
  return `<section id="value"><div class="keep">${title}<p class="note">${escapeHtml(t('value.intro', { date: f.date(clv.asOf) }))}</p>${goldLine}${chart}</div>${table(
    [
      { label: t('col.tier') },
      { label: t('col.customers'), numeric: true },
      { label: t('col.value'), numeric: true },
      { label: t('col.from'), numeric: true },
      { label: t('col.alive'), numeric: true },
    ],
    rows,
    'tiers',
  )}${negative}</section>`;
}

function riskSection(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const title = `<h2>${escapeHtml(t('section.risk'))}</h2>`;
  const r = data.risk;
  if (!r) return `<section id="risk">${title}<p class="note">${escapeHtml(t('risk.none'))}</p></section>`;
  const auc = r.auc === null ? '–' : f.number(r.auc, 2);
  const intro = r.barelyBeatsBaseline
    ? `<p class="warn">${escapeHtml(t('risk.weak', { auc, baseline: r.baselineAuc === null ? '–' : f.number(r.baselineAuc, 2) }))}</p>`
    : `<p class="note">${escapeHtml(t('risk.intro', { date: f.date(r.asOf), auc, gain: r.aucGain === null ? '–' : f.number(r.aucGain, 2) }))}</p>`;
  const bandKey = (b: string) => `band.${b}` as TextKey;
  const chart = barChart(
    r.bands.map((b) => ({ label: t(bandKey(b.band)), values: [b.customers] })),
    {
      title: t('risk.chart'),
      series: [{ name: t('col.customers'), colour: COLOURS.bad }],
      formatValue: (v) => f.count(v),
    },
  );
  const bands = table(
    [
      { label: t('col.band') },
      { label: t('col.customers'), numeric: true },
      { label: t('col.shareBuyers'), numeric: true },
      { label: t('col.revenueToDate'), numeric: true },
    ],
    r.bands.map((b) => [
      escapeHtml(t(bandKey(b.band))),
      escapeHtml(f.count(b.customers)),
      escapeHtml(f.percent(r.scored ? b.customers / r.scored : 0)),
      escapeHtml(f.money(b.revenue)),
    ]),
    'bands',
  );
  const riskTable = (rows: typeof r.top, id: string) =>
    table(
      [
        { label: t('col.customer') },
        { label: t('col.risk'), numeric: true },
        { label: t('col.revenueToDate'), numeric: true },
        { label: t('col.why') },
      ],
      rows.map((x) => [
        escapeHtml(x.customerId),
        escapeHtml(f.percent(x.score, 0)),
        escapeHtml(f.money(x.revenue)),
        escapeHtml(x.reasons.map((reason) => reason.text).join('; ')),
      ]),
      id,
    );
  const top = r.top.length ? `<h3>${escapeHtml(t('risk.top'))}</h3>${riskTable(r.top, 'top-risks')}` : '';
  const valuable = r.valuable.length
    ? `<h3>${escapeHtml(t('risk.valuable'))}</h3><p class="note">${escapeHtml(t('risk.valuableIntro', { customers: f.count(r.topDecile.customers), score: f.percent(r.topDecile.minScore, 0) }))}</p>${riskTable(r.valuable, 'valuable-risks')}`
    : '';
  const high = r.bands.find((b) => b.band === 'high')?.customers ?? 0;
  const broad = bandIsBroad(r)
    ? `<p class="note">${escapeHtml(t('risk.broad', { share: f.percent(high / r.scored, 0) }))}</p>`
    : '';
  return `<section id="risk"><div class="keep">${title}${intro}${chart}</div>${bands}${broad}${valuable}${top}</section>`;
}

function verdict(ctx: Ctx, low: number | null, high: number | null): string {
  if (low === null || high === null)
    return `<span class="unclear">${escapeHtml(ctx.t('verdict.noHoldout'))}</span>`;
  if (low > 0) return `<span class="works">${escapeHtml(ctx.t('verdict.works'))}</span>`;
  if (high < 0) return `<span class="hurts">${escapeHtml(ctx.t('verdict.hurts'))}</span>`;
  return `<span class="unclear">${escapeHtml(ctx.t('verdict.unclear'))}</span>`;
}

function campaignsSection(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const title = `<h2>${escapeHtml(t('section.campaigns'))}</h2>`;
  const c = data.campaigns;
  if (!c || c.rows.length === 0)
    return `<section id="campaigns">${title}<p class="note">${escapeHtml(t('campaigns.none'))}</p></section>`;
  const chart = intervalChart(
    c.rows.map((r) => ({
      label: r.name ?? r.campaignId,
      value: r.lift ?? 0,
      low: r.ciLow ?? 0,
      high: r.ciHigh ?? 0,
    })),
    { title: t('campaigns.chart'), formatValue: (v) => f.points(v) },
  );
  const rows = c.rows.map((r) => [
    escapeHtml(r.name ?? r.campaignId),
    escapeHtml(r.startDate ? f.shortDate(r.startDate) : '–'),
    escapeHtml(f.count(r.sent)),
    escapeHtml(r.rate === null ? '–' : f.percent(r.rate)),
    escapeHtml(r.controlRate === null ? '–' : f.percent(r.controlRate)),
    escapeHtml(f.points(r.lift ?? 0)),
    escapeHtml(`${f.points(r.ciLow ?? 0)} … ${f.points(r.ciHigh ?? 0)}`),
    escapeHtml(r.incrementalRevenue === null ? '–' : f.money(r.incrementalRevenue)),
    verdict(ctx, r.ciLow, r.ciHigh),
  ]);
  return `<section id="campaigns"><div class="keep">${title}<p class="note">${escapeHtml(t('campaigns.intro', { days: f.count(c.horizonDays), count: f.count(c.rows.length), total: f.count(c.total) }))}</p><h3>${escapeHtml(t('campaigns.chart'))}</h3>${chart}</div>${table(
    [
      { label: t('col.campaign') },
      { label: t('col.date') },
      { label: t('col.sent'), numeric: true },
      { label: t('col.rate'), numeric: true },
      { label: t('col.holdoutRate'), numeric: true },
      { label: t('col.lift'), numeric: true },
      { label: t('col.interval'), numeric: true },
      { label: t('col.incremental'), numeric: true },
      { label: t('col.verdict') },
    ],
    rows,
    'campaigns',
  )}</section>`;
}

function campaignEvaluation(ctx: Ctx): string {
  const { data, f, t } = ctx;
  const e = data.campaign;
  if (!e) return '';
  const c = e.row;
  const summary = t('campaign.summary', {
    sent: f.count(c.sent),
    name: c.name ?? c.campaignId,
    channel: nameOf(data.lang, c.channel ?? '–'),
    date: c.startDate ? f.date(c.startDate) : '–',
    control: f.count(c.control),
    days: f.count(e.horizonDays),
    rate: c.rate === null ? '–' : f.percent(c.rate),
    controlRate: c.controlRate === null ? '–' : f.percent(c.controlRate),
  });
  const extras = [
    c.revenueLift !== null
      ? t('campaign.revenueInterval', {
          lift: f.money(c.revenueLift, 2),
          low: f.money(c.revenueCiLow ?? 0, 2),
          high: f.money(c.revenueCiHigh ?? 0, 2),
        })
      : '',
    c.cost !== null && c.roi !== null
      ? t('campaign.roi', { cost: f.money(c.cost), roi: f.percent(c.roi, 0) })
      : '',
  ].filter(Boolean);
  const cards = [
    kpi(
      t('campaign.lift'),
      f.points(c.lift ?? 0),
      t('campaign.against', { rate: f.percent(c.rate ?? 0), controlRate: f.percent(c.controlRate ?? 0) }),
    ),
    kpi(t('campaign.interval'), `${f.points(c.ciLow ?? 0)} … ${f.points(c.ciHigh ?? 0)}`, ''),
    kpi(t('campaign.incremental'), c.incrementalRevenue === null ? '–' : f.money(c.incrementalRevenue), ''),
    kpi(t('col.verdict'), '', ''),
  ];
  cards[3] = `<div class="kpi"><div class="label">${escapeHtml(t('col.verdict'))}</div><div class="value">${verdict(ctx, c.ciLow, c.ciHigh)}</div><div class="base"></div></div>`;
  // RFM segments by their names in the report's language.
  const groupName = (g: string) => (e.by === 'rfm_segment' && g ? nameOf(data.lang, g) : g);
  const groups = e.groups.filter((g) => g.lift !== null && g.ciLow !== null && g.ciHigh !== null);
  const chart = groups.length
    ? intervalChart(
        groups.map((g) => ({
          label: groupName(g.group) || '–',
          value: g.lift ?? 0,
          low: g.ciLow ?? 0,
          high: g.ciHigh ?? 0,
        })),
        { title: t('section.bySegment'), formatValue: (v) => f.points(v) },
      )
    : '';
  const rows = e.groups.map((g) => [
    escapeHtml(groupName(g.group) || '–'),
    escapeHtml(f.count(g.treated)),
    escapeHtml(f.count(g.control)),
    escapeHtml(f.percent(g.rate)),
    escapeHtml(g.controlRate === null ? '–' : f.percent(g.controlRate)),
    escapeHtml(g.lift === null ? '–' : f.points(g.lift)),
    escapeHtml(g.ciLow === null || g.ciHigh === null ? '–' : `${f.points(g.ciLow)} … ${f.points(g.ciHigh)}`),
    verdict(ctx, g.ciLow, g.ciHigh),
  ]);
  const field = fieldLabel(e.by, data.lang);
  return `<section id="evaluation"><h2>${escapeHtml(t('section.summary'))}</h2><p>${escapeHtml(summary)}</p><div class="kpis" data-section="kpis">${cards.join('')}</div>${extras.length ? `<p class="note">${escapeHtml(extras.join('; '))}</p>` : ''}</section>${recommendations(ctx, recommend(data))}<section id="by-segment"><div class="keep"><h2>${escapeHtml(t('section.bySegment'))}</h2><p class="note">${escapeHtml(t('campaign.bySegmentIntro', { field }))}</p>${chart}</div>${table(
    [
      { label: field.charAt(0).toUpperCase() + field.slice(1) },
      { label: t('col.sent'), numeric: true },
      { label: t('col.holdout'), numeric: true },
      { label: t('col.rate'), numeric: true },
      { label: t('col.holdoutRate'), numeric: true },
      { label: t('col.lift'), numeric: true },
      { label: t('col.interval'), numeric: true },
      { label: t('col.verdict') },
    ],
    rows,
    'groups',
  )}</section>`;
}

/**
 * The report as one HTML document (UTF-8, inline CSS and SVG, no script).
 *
 * @example
 * const html = renderReport(await gatherReport(engine, { lang: 'de' }));
 */
export function renderReport(data: ReportData): string {
  const f = formats(data.lang, data.currency);
  const ctx: Ctx = { data, f, t: (key, values) => text(data.lang, key, values) };
  const t = ctx.t;
  const isCampaign = data.kind === 'campaign' && data.campaign;
  const title = isCampaign
    ? t('title.campaign', { name: data.campaign?.row.name ?? data.campaign?.row.campaignId ?? '' })
    : t('title.overview');
  const asOf = isCampaign ? (data.campaign?.asOf ?? data.overview.asOf) : data.overview.asOf;
  const shown = isCampaign
    ? asOf
    : (() => {
        const d = new Date(`${asOf}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() - 1);
        return d.toISOString().slice(0, 10);
      })();
  const meta = `${t('meta.asOf', { date: f.date(shown) })} · ${t('meta.currency', { currency: data.currency })}`;
  const body = isCampaign
    ? campaignEvaluation(ctx)
    : [
        overviewSection(ctx),
        recommendations(ctx, recommend(data)),
        segmentsSection(ctx),
        valueSection(ctx),
        riskSection(ctx),
        campaignsSection(ctx),
      ].join('');
  return `<!doctype html>
<html lang="${data.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="meta">${escapeHtml(meta)}</p></header>
${body}
<footer><p>${escapeHtml(t('footer.rule'))}</p><p>${escapeHtml(t('footer.made'))} · ${escapeHtml(meta)}</p></footer>
</body>
</html>
`;
}
