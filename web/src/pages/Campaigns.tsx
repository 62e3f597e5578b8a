import * as Plot from '@observablehq/plot';
import { type ReactNode, useMemo, useState } from 'react';
import type {
  CampaignEngagementResponse,
  CampaignPressureResponse,
  CampaignSegmentsResponse,
  CampaignsResponse,
  CustomerCampaignsResponse,
} from '../../../src/services/http/types.js';
import { Async, Chart, Kpi, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import type { MessageKey } from '../i18n.js';

/** Pressure classes (API keys) shown as translated labels. */
const PRESSURE_CLASS_KEYS: Record<string, MessageKey> = {
  saturated: 'campaigns.class.saturated',
  'on target': 'campaigns.class.onTarget',
  'under-solicited': 'campaigns.class.underSolicited',
};

type CampaignRow = CampaignsResponse['campaigns'][number];

/** Campaigns (issue 13): funnel, lift against the holdout with its interval, lift by segment, pressure. */
export function CampaignsPage() {
  const { t } = useApp();
  const [horizon, setHorizon] = useState(14);
  const [result, retry] = useApi<CampaignsResponse>(`/api/campaigns?horizonDays=${horizon}`);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <section>
      <h1>{t('campaigns.title')}</h1>
      <label>
        {t('campaigns.horizon')}{' '}
        <select value={horizon} onChange={(e) => setHorizon(Number(e.target.value))}>
          {[7, 14, 30].map((d) => (
            <option key={d} value={d}>
              {t('campaigns.days', { days: String(d) })}
            </option>
          ))}
        </select>
      </label>
      <Async result={result} retry={retry}>
        {(d) => (
          <CampaignList
            d={d}
            selected={
              selected ?? (d.campaigns.find((c) => c.lift !== null) ?? d.campaigns[0])?.campaignId ?? null
            }
            onSelect={setSelected}
          />
        )}
      </Async>
      <Pressure />
    </section>
  );
}

function CampaignList({
  d,
  selected,
  onSelect,
}: {
  d: CampaignsResponse;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t, num, pct, money } = useApp();
  const points = (x: number | null) => (x === null ? '—' : num(x * 100, 2));
  // One outcome definition (d.outcome): the KPIs are the sums of the table's columns.
  const totals = d.campaigns.reduce(
    (s, c) => ({
      sent: s.sent + c.sent,
      conversions: s.conversions + c.conversions,
      revenue: s.revenue + c.revenue,
      incremental: s.incremental + (c.incrementalRevenue ?? 0),
    }),
    { sent: 0, conversions: 0, revenue: 0, incremental: 0 },
  );
  const days = String(d.outcome.windowDays);
  const selectedRow = d.campaigns.find((c) => c.campaignId === selected);
  const recent = d.campaigns.filter((c) => c.lift !== null).slice(0, 16);
  const liftChart = useMemo(
    () =>
      ({
        height: 40 + 22 * recent.length,
        marginLeft: 170,
        x: { label: t('campaigns.liftAxis'), grid: true },
        y: { label: null, domain: recent.map((c) => c.name ?? c.campaignId) },
        marks: [
          Plot.ruleX([0]),
          Plot.ruleY(recent, {
            y: (c: CampaignRow) => c.name ?? c.campaignId,
            x1: (c: CampaignRow) => (c.ciLow ?? 0) * 100,
            x2: (c: CampaignRow) => (c.ciHigh ?? 0) * 100,
            stroke: (c: CampaignRow) => ((c.ciLow ?? 0) > 0 ? 'works' : 'unclear'),
          }),
          Plot.dot(recent, {
            y: (c: CampaignRow) => c.name ?? c.campaignId,
            x: (c: CampaignRow) => (c.lift ?? 0) * 100,
            fill: (c: CampaignRow) => ((c.ciLow ?? 0) > 0 ? 'works' : 'unclear'),
            tip: true,
          }),
        ],
      }) satisfies Plot.PlotOptions,
    [recent, t],
  );
  return (
    <>
      <p className="muted">{t('campaigns.intro', { date: d.asOf, days })}</p>
      <p className="muted" data-testid="campaigns-outcome">
        {t('campaigns.outcome', { days, sent: num(totals.sent) })}
      </p>
      <div className="kpis">
        <Kpi label={t('campaigns.count')} value={num(d.campaigns.length)} />
        <Kpi label={t('campaigns.sent')} value={num(totals.sent)} />
        <Kpi label={t('campaigns.conversionsWithin', { days })} value={num(totals.conversions)} />
        <Kpi label={t('campaigns.revenueWithin', { days })} value={money(totals.revenue)} />
        <Kpi
          label={t('campaigns.incremental')}
          value={money(totals.incremental)}
          hint={t('campaigns.incrementalHint')}
        />
      </div>
      <h2>{t('campaigns.liftChart')}</h2>
      <Chart options={liftChart} label={t('campaigns.liftChart')} />
      <h2>{t('campaigns.list')}</h2>
      <Table
        caption={t('campaigns.listHint')}
        onRowClick={(r) => onSelect(r.campaignId)}
        columns={[
          {
            key: 'name',
            label: t('campaigns.campaign'),
            render: (r) =>
              r.campaignId === selected ? (
                <strong>{r.name ?? r.campaignId}</strong>
              ) : (
                (r.name ?? r.campaignId)
              ),
          },
          { key: 'channel', label: t('campaigns.channel') },
          { key: 'startDate', label: t('campaigns.date') },
          { key: 'sent', label: t('campaigns.sent'), numeric: true, render: (r) => num(r.sent) },
          { key: 'opens', label: t('campaigns.opens'), numeric: true, render: (r) => num(r.opens) },
          { key: 'clicks', label: t('campaigns.clicks'), numeric: true, render: (r) => num(r.clicks) },
          {
            key: 'conversions',
            label: t('campaigns.conversions'),
            numeric: true,
            render: (r) => num(r.conversions),
          },
          {
            key: 'revenue',
            label: t('campaigns.revenue'),
            numeric: true,
            render: (r) => money(r.revenue),
          },
          { key: 'control', label: t('campaigns.control'), numeric: true, render: (r) => num(r.control) },
          { key: 'lift', label: t('campaigns.lift'), numeric: true, render: (r) => points(r.lift) },
          {
            key: 'ci',
            label: t('campaigns.interval'),
            numeric: true,
            render: (r) => (r.ciLow === null ? '—' : `${points(r.ciLow)} … ${points(r.ciHigh)}`),
          },
          {
            key: 'incrementalRevenue',
            label: t('campaigns.incremental'),
            numeric: true,
            render: (r) => (r.incrementalRevenue === null ? '—' : money(r.incrementalRevenue)),
          },
          {
            key: 'roi',
            label: t('campaigns.roi'),
            numeric: true,
            render: (r) => (r.roi === null ? '—' : pct(r.roi)),
          },
        ]}
        rows={d.campaigns}
      />
      {selected && <Segments campaign={selected} name={selectedRow?.name ?? selected} />}
    </>
  );
}

function Segments({ campaign, name }: { campaign: string; name: string }) {
  const { t, num } = useApp();
  const [by, setBy] = useState('country');
  const [result, retry] = useApi<CampaignSegmentsResponse>(
    `/api/campaigns/segments?campaign=${encodeURIComponent(campaign)}&by=${by}`,
  );
  const points = (x: number | null) => (x === null ? '—' : num(x * 100, 2));
  return (
    <>
      <h2>{t('campaigns.bySegment', { campaign: name })}</h2>
      <label>
        {t('campaigns.segmentBy')}{' '}
        <select value={by} onChange={(e) => setBy(e.target.value)}>
          {['country', 'gender', 'income_band', 'region'].map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            {(d.suppressedSegments ?? 0) > 0 && (
              <p className="muted" data-testid="campaigns-suppressed">
                {t('campaigns.suppressed', { count: num(d.suppressedSegments ?? 0) })}
              </p>
            )}
            <Table
              columns={[
                { key: 'segment', label: t('campaigns.segment') },
                { key: 'treated', label: t('campaigns.sent'), numeric: true, render: (r) => num(r.treated) },
                {
                  key: 'control',
                  label: t('campaigns.control'),
                  numeric: true,
                  render: (r) => num(r.control),
                },
                { key: 'rate', label: t('campaigns.rate'), numeric: true, render: (r) => points(r.rate) },
                { key: 'lift', label: t('campaigns.lift'), numeric: true, render: (r) => points(r.lift) },
                {
                  key: 'ci',
                  label: t('campaigns.interval'),
                  numeric: true,
                  render: (r) => (r.ciLow === null ? '—' : `${points(r.ciLow)} … ${points(r.ciHigh)}`),
                },
              ]}
              rows={d.rows}
            />
          </>
        )}
      </Async>
    </>
  );
}

function Pressure() {
  const { t, num } = useApp();
  const [result, retry] = useApi<CampaignPressureResponse>('/api/campaigns/pressure');
  const points = (x: number) => num(x * 100, 1);
  return (
    <>
      <h2>{t('campaigns.pressure')}</h2>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            <p className="muted">
              {d.saturationSends === null
                ? t('campaigns.noSaturation', { days: String(d.windowDays) })
                : t('campaigns.saturation', { sends: String(d.saturationSends), days: String(d.windowDays) })}
            </p>
            <Table
              columns={[
                { key: 'sends', label: t('campaigns.recentSends'), numeric: true },
                { key: 'n', label: t('campaigns.deliveries'), numeric: true, render: (r) => num(r.n) },
                {
                  key: 'adjustedRate',
                  label: t('campaigns.response'),
                  numeric: true,
                  render: (r) => points(r.adjustedRate),
                },
                {
                  key: 'ci',
                  label: t('campaigns.interval'),
                  numeric: true,
                  render: (r) => `${points(r.ciLow)} … ${points(r.ciHigh)}`,
                },
              ]}
              rows={d.curve}
            />
            <Table
              columns={[
                {
                  key: 'class',
                  label: t('campaigns.pressureClass'),
                  render: (r) => (PRESSURE_CLASS_KEYS[r.class] ? t(PRESSURE_CLASS_KEYS[r.class]!) : r.class),
                },
                {
                  key: 'contacts',
                  label: t('campaigns.contacts'),
                  numeric: true,
                  render: (r) => num(r.contacts),
                },
                {
                  key: 'medianRecentSends',
                  label: t('campaigns.medianSends', { days: String(d.windowDays) }),
                  numeric: true,
                  render: (r) => (r.medianRecentSends === null ? '—' : num(r.medianRecentSends)),
                },
                {
                  key: 'meanResponse',
                  label: t('campaigns.response'),
                  numeric: true,
                  render: (r) => (r.contacts === 0 ? '—' : points(r.meanResponse)),
                },
              ]}
              rows={d.classes}
            />
          </>
        )}
      </Async>
    </>
  );
}

/** Customer 360 block: the customer's engagement, interests, best send time and pressure (saved profiles). */
export function CustomerCampaigns({ id }: { id: string }) {
  const { t, pct } = useApp();
  const [result] = useApi<CustomerCampaignsResponse>(`/api/campaigns/customer/${encodeURIComponent(id)}`);
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return (
    <>
      <h2>{t('customer.campaigns')}</h2>
      <Async result={result}>
        {(d) =>
          !d.engagement && !d.sendTime && d.interests.length === 0 ? (
            <p className="muted">{t('customer.campaignsNone')}</p>
          ) : (
            <dl className="profile" data-testid="customer-campaigns">
              {d.engagement && (
                <div>
                  <dt>{t('customer.engagement')}</dt>
                  <dd>
                    {d.engagement.quadrant} · {t('customer.openProbability')}{' '}
                    {pct(d.engagement.openProbability)}
                    {d.engagement.declining ? ` · ${t('customer.declining')}` : ''}
                  </dd>
                </div>
              )}
              {d.interests.length > 0 && (
                <div>
                  <dt>{t('customer.interests')}</dt>
                  <dd>{d.interests.map((i) => `${i.keyword} ${pct(i.interest)}`).join(', ')}</dd>
                </div>
              )}
              {d.sendTime && d.sendTime.bestHour !== null && (
                <div>
                  <dt>{t('customer.sendTime')}</dt>
                  <dd>
                    {days[(d.sendTime.bestIsoWeekday ?? 1) - 1]}{' '}
                    {String(d.sendTime.bestHour).padStart(2, '0')}:00
                    {d.sendTime.bestChannel ? ` · ${d.sendTime.bestChannel}` : ''}
                  </dd>
                </div>
              )}
              {d.pressure && (
                <div>
                  <dt>{t('campaigns.pressureClass')}</dt>
                  <dd>
                    {PRESSURE_CLASS_KEYS[d.pressure.class]
                      ? t(PRESSURE_CLASS_KEYS[d.pressure.class]!)
                      : d.pressure.class}
                  </dd>
                </div>
              )}
            </dl>
          )
        }
      </Async>
    </>
  );
}

/** RFO / RFC (the RFM page's other kinds): the grid of opens or clicks and the open × click quadrants. */
export function EngagementView({
  kind,
  grid,
}: {
  kind: 'rfo' | 'rfc';
  grid: (cells: (number | null)[][]) => ReactNode;
}) {
  const { t, num, pct } = useApp();
  const [result, retry] = useApi<CampaignEngagementResponse>('/api/campaigns/engagement');
  return (
    <Async result={result} retry={retry}>
      {(d) => (
        <>
          <p className="muted">
            {t('campaigns.engagementIntro', {
              contacts: num(d.contacts),
              open: pct(d.openRate),
              click: pct(d.clickRate),
              declining: d.declining === null ? '—' : num(d.declining),
            })}
          </p>
          <h2>{kind === 'rfo' ? t('campaigns.rfoGrid') : t('campaigns.rfcGrid')}</h2>
          {grid(kind === 'rfo' ? d.rfo : d.rfc)}
          <h2>{t('campaigns.quadrants')}</h2>
          <Table
            columns={[
              { key: 'quadrant', label: t('campaigns.quadrant') },
              {
                key: 'contacts',
                label: t('campaigns.contacts'),
                numeric: true,
                render: (r) => num(r.contacts),
              },
              { key: 'share', label: t('rfm.share'), numeric: true, render: (r) => pct(r.share) },
              {
                key: 'meanOpenProbability',
                label: t('campaigns.openProbability'),
                numeric: true,
                render: (r) => pct(r.meanOpenProbability),
              },
              {
                key: 'meanClickProbability',
                label: t('campaigns.clickProbability'),
                numeric: true,
                render: (r) => pct(r.meanClickProbability),
              },
              {
                key: 'declining',
                label: t('campaigns.declining'),
                numeric: true,
                render: (r) => (r.declining === null ? '—' : num(r.declining)),
              },
            ]}
            rows={d.quadrants}
          />
        </>
      )}
    </Async>
  );
}
