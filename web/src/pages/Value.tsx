import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { ClvResponse, ProfitResponse } from '../../../src/services/http/types.js';
import { runJob } from '../api.js';
import { Async, Chart, Kpi, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import { segmentLink } from './Segments.js';

type Profit = ProfitResponse;
type Clv = ClvResponse;

export function ValuePage() {
  const { t, money, num, pct, token, date, currency } = useApp();
  const [profit, retryProfit] = useApi<Profit>('/api/profit');
  const [clv, retryClv] = useApi<Clv>('/api/clv');
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pareto = useMemo(() => {
    if (profit.state !== 'ready') return null;
    const pts = [{ customerShare: 0, profitShare: 0 }, ...profit.data.pareto.points];
    return {
      x: { label: t('value.topCustomers'), tickFormat: (v: number) => pct(v) },
      y: { label: t('value.profitShare'), grid: true, tickFormat: (v: number) => pct(v) },
      marks: [
        Plot.line(pts, {
          x: 'customerShare',
          y: 'profitShare',
          stroke: '#2f7d4a',
          marker: 'circle',
          tip: true,
        }),
        Plot.ruleY([0, 1]),
      ],
    } satisfies Plot.PlotOptions;
  }, [profit, t, pct]);
  const histogram = useMemo(() => {
    if (clv.state !== 'ready') return null;
    return {
      // Ticks in the dashboard's language (1.200, not 1,200, in Dutch).
      x: { label: t('value.clv'), tickFormat: (v: number) => num(v) },
      y: { label: t('overview.customers'), grid: true, tickFormat: (v: number) => num(v) },
      marks: [
        Plot.rectY(clv.data.histogram, {
          x: 'bucket',
          y: 'customers',
          interval: clv.data.histogram[1]
            ? clv.data.histogram[1].bucket - (clv.data.histogram[0]?.bucket ?? 0)
            : 1,
          fill: '#3b6ea5',
          tip: true,
        }),
        Plot.ruleY([0]),
      ],
    } satisfies Plot.PlotOptions;
  }, [clv, t, num]);
  return (
    <section>
      <h1>{t('value.title')}</h1>
      <Async result={profit} retry={retryProfit}>
        {(d) => (
          <>
            <p className="muted">
              {t('value.base', {
                customers: num(d.customers),
                buyers: num(d.buyers),
                date: date(d.asOf),
                currency,
              })}
            </p>
            <div className="kpis">
              <Kpi
                label={t('overview.revenue')}
                value={money(d.totals.netRevenue)}
                hint={t('overview.revenueHint')}
              />
              <Kpi
                label={t('overview.grossSales')}
                value={money(d.totals.grossSales)}
                hint={t('overview.grossSalesHint')}
              />
              <Kpi label={t('value.cogs')} value={money(d.totals.cogs)} />
              <Kpi label={t('value.profit')} value={money(d.totals.profit)} hint={t('value.profitHint')} />
              <Kpi
                label={t('value.lossMakers')}
                value={num(d.pareto.negative.customers)}
                hint={t('value.lossMakersHint', { amount: money(d.pareto.negative.profit) })}
              />
            </div>
            <p className="muted">
              {t('value.costModel', {
                perOrder: money(d.cost.perOrder),
                shipping: money(d.cost.shippingPerOrder),
                perReturn: money(d.cost.perReturn),
                perContact: money(d.cost.perServiceContact),
              })}
            </p>
            <h2>{t('value.pareto')}</h2>
            {pareto && <Chart options={pareto} label={t('value.pareto')} />}
          </>
        )}
      </Async>
      <h2>{t('value.clvTitle')}</h2>
      {clv.state === 'error' ? (
        <div>
          <p className="muted">{t('value.noClv')}</p>
          <button
            type="button"
            disabled={running !== null}
            onClick={() => {
              setRunning('0%');
              setError(null);
              runJob('/api/clv/run', token, {}, (p) => setRunning(pct(p))).then(
                () => {
                  setRunning(null);
                  retryClv();
                },
                (e: Error) => {
                  setRunning(null);
                  setError(e.message);
                },
              );
            }}
          >
            {running ? `${t('value.running')} ${running}` : t('value.runClv')}
          </button>
          {error && <p className="error-text">{error}</p>}
        </div>
      ) : (
        <Async result={clv} retry={retryClv}>
          {(c) => (
            <>
              {histogram && <Chart options={histogram} label={t('value.clvTitle')} />}
              <Table
                caption={t('value.tiers')}
                columns={[
                  {
                    key: 'tier',
                    label: t('value.tier'),
                    render: (r) => (
                      <a href={segmentLink(`clv_tier = '${r.tier}'`)} title={t('common.makeSegment')}>
                        {r.label ?? r.tier}
                      </a>
                    ),
                  },
                  {
                    key: 'customers',
                    label: t('overview.customers'),
                    numeric: true,
                    render: (r) => num(r.customers),
                  },
                  { key: 'clv', label: t('value.clv'), numeric: true, render: (r) => money(r.clv) },
                  { key: 'minClv', label: t('value.minClv'), numeric: true, render: (r) => money(r.minClv) },
                  {
                    key: 'meanPAlive',
                    label: t('value.pAlive'),
                    numeric: true,
                    render: (r) => pct(r.meanPAlive),
                  },
                ]}
                rows={c.tiers}
              />
              <p className="muted">{t('value.clvBase', { date: date(c.asOf), currency })}</p>
              {c.negative.customers > 0 && (
                <p className="muted">
                  {t('value.negativeClv', {
                    customers: num(c.negative.customers),
                    amount: money(c.negative.clv),
                  })}
                </p>
              )}
            </>
          )}
        </Async>
      )}
    </section>
  );
}
