import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type {
  CohortsResponse,
  ForecastResponse,
  SalesCubeRowDto,
  SalesMeasuresDto,
  SalesResponse,
} from '../../../src/services/http/types.js';
import { Async, Chart, Kpi, Table } from '../components.js';
import { useApi, useApp } from '../context.js';

type Forecast = ForecastResponse;
type Series = Forecast['series'][number];

/** The Sales page: net-revenue forecasts with their interval band and backtest. */
export function SalesPage() {
  const { t } = useApp();
  const [by, setBy] = useState('total');
  const [frequency, setFrequency] = useState('month');
  const [method, setMethod] = useState('combination');
  const horizon = frequency === 'month' ? 12 : 13;
  const [result, retry] = useApi<Forecast>(
    `/api/forecast?by=${by}&frequency=${frequency}&method=${method}&horizon=${horizon}`,
  );
  return (
    <section>
      <h1>{t('sales.title')}</h1>
      <SalesCubeSection />
      <h2>{t('forecast.title')}</h2>
      <div className="controls">
        <label>
          {t('forecast.by')}{' '}
          <select value={by} onChange={(e) => setBy(e.target.value)} data-testid="forecast-by">
            {(['total', 'category', 'channel', 'region'] as const).map((b) => (
              <option key={b} value={b}>
                {t(`forecast.by.${b}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('forecast.frequency')}{' '}
          <select value={frequency} onChange={(e) => setFrequency(e.target.value)}>
            <option value="month">{t('forecast.month')}</option>
            <option value="week">{t('forecast.week')}</option>
          </select>
        </label>{' '}
        <label>
          {t('forecast.method')}{' '}
          <select value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="combination">ETS + Theta</option>
            <option value="ets">ETS</option>
            <option value="theta">Theta</option>
            <option value="snaive">{t('forecast.snaive')}</option>
          </select>
        </label>
      </div>
      <Async result={result} retry={retry}>
        {(d) => <ForecastBody d={d} />}
      </Async>
      <CohortSection />
    </section>
  );
}

function ForecastBody({ d }: { d: Forecast }) {
  const { t, money, num, date } = useApp();
  const [picked, setPicked] = useState<string | null>(null);
  const current = d.series.find((s) => s.series === picked) ?? d.series[0];
  const verdict = (s: Series) => t(`forecast.verdict.${s.backtest.verdict}`);
  if (!current) return <p className="muted">{t('common.noData')}</p>;
  return (
    <>
      <p className="muted">
        {t('forecast.measure', { date: date(d.asOf), level: Math.round(d.level * 100) })}
      </p>
      {d.series.length > 1 && (
        <label>
          {t('forecast.series')}{' '}
          <select
            value={current.series}
            onChange={(e) => setPicked(e.target.value)}
            data-testid="forecast-series"
          >
            {d.series.map((s) => (
              <option key={s.series} value={s.series}>
                {s.series}
              </option>
            ))}
          </select>
        </label>
      )}
      <ForecastChart s={current} level={d.level} />
      <p data-testid="forecast-verdict">
        {current.model}: {verdict(current)}
        {current.backtest.mase !== null &&
          ` (MASE ${num(current.backtest.mase, 2)} / ${num(current.backtest.benchmarkMase ?? 0, 2)})`}
      </p>
      <Table
        caption={t('forecast.table')}
        columns={[
          { key: 'series', label: t('forecast.series') },
          { key: 'model', label: t('forecast.model') },
          {
            key: 'next',
            label: t('forecast.next'),
            numeric: true,
            render: (s: Series) => money(s.forecast[0]?.forecast ?? 0),
          },
          {
            key: 'interval',
            label: t('forecast.interval', { level: Math.round(d.level * 100) }),
            numeric: true,
            render: (s: Series) =>
              `${money(s.forecast[0]?.lower ?? 0)} – ${money(s.forecast[0]?.upper ?? 0)}`,
          },
          {
            key: 'mase',
            label: t('forecast.mase'),
            numeric: true,
            render: (s: Series) => (s.backtest.mase === null ? '' : num(s.backtest.mase, 2)),
          },
          {
            key: 'naive',
            label: t('forecast.naiveMase'),
            numeric: true,
            render: (s: Series) =>
              s.backtest.benchmarkMase === null ? '' : num(s.backtest.benchmarkMase, 2),
          },
          { key: 'verdict', label: t('forecast.verdict'), render: verdict },
        ]}
        rows={d.series}
        onRowClick={(s) => setPicked(s.series)}
      />
      {d.warnings.map((w) => (
        <p key={w} className="muted">
          {w}
        </p>
      ))}
    </>
  );
}

function ForecastChart({ s, level }: { s: Series; level: number }) {
  const { t, num } = useApp();
  const options = useMemo(() => {
    const actual = s.history.map((h) => ({ date: new Date(`${h.date}T00:00:00Z`), value: h.value }));
    const last = actual[actual.length - 1];
    const ahead = s.forecast.map((f) => ({ ...f, date: new Date(`${f.date}T00:00:00Z`) }));
    // The forecast line starts at the last actual value so the two lines join.
    const line = last ? [{ date: last.date, forecast: last.value }, ...ahead] : ahead;
    return {
      marginLeft: 72,
      x: { type: 'utc', label: t('forecast.date') },
      y: { label: t('forecast.amount'), grid: true, tickFormat: (v: number) => num(v) },
      marks: [
        Plot.areaY(ahead, { x: 'date', y1: 'lower', y2: 'upper', fill: '#3b6ea5', fillOpacity: 0.2 }),
        Plot.lineY(actual, { x: 'date', y: 'value', stroke: '#333', tip: true }),
        Plot.lineY(line, { x: 'date', y: 'forecast', stroke: '#3b6ea5', strokeDasharray: '4,3', tip: true }),
        Plot.ruleY([0]),
      ],
    } satisfies Plot.PlotOptions;
  }, [s, t, num]);
  return (
    <Chart options={options} label={`${t('forecast.title')}: ${s.series} (${Math.round(level * 100)}%)`} />
  );
}

const DIMENSIONS = [
  'product',
  'category',
  'channel',
  'promo',
  'weekday',
  'hour',
  'region',
  'country',
  'segment',
] as const;

/** The sales cube: KPIs against the previous period and last year, a breakdown with shares, movers and a trend. */
function SalesCubeSection() {
  const { t } = useApp();
  const [by, setBy] = useState('category');
  const [grain, setGrain] = useState('day');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = `by=${by}&grain=${grain}${from ? `&from=${from}` : ''}${to ? `&to=${to}` : ''}`;
  const [result, retry] = useApi<SalesResponse>(`/api/sales?${query}`);
  return (
    <>
      <div className="controls">
        <label>
          {t('sales.by')}{' '}
          <select value={by} onChange={(e) => setBy(e.target.value)} data-testid="sales-by">
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {t(`sales.dim.${d}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('sales.grain')}{' '}
          <select value={grain} onChange={(e) => setGrain(e.target.value)}>
            <option value="day">{t('sales.day')}</option>
            <option value="week">{t('forecast.week')}</option>
            <option value="month">{t('forecast.month')}</option>
          </select>
        </label>{' '}
        <label>
          {t('sales.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>{' '}
        <label>
          {t('sales.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <Async result={result} retry={retry}>
        {(d) => <SalesCubeBody d={d} />}
      </Async>
    </>
  );
}

function SalesCubeBody({ d }: { d: SalesResponse }) {
  const { t, money, num, pct, date } = useApp();
  const change = (now: number | null, before: number | null) =>
    now === null || before === null || before === 0
      ? '–'
      : `${now >= before ? '+' : ''}${pct((now - before) / Math.abs(before))}`;
  const hint = (k: keyof SalesMeasuresDto) =>
    `${t('sales.vsPrevious')} ${change(d.totals.current[k], d.totals.previous[k])} · ${t('sales.vsLastYear')} ${change(d.totals.current[k], d.totals.lastYear[k])}`;
  const trend = useMemo(() => {
    const rows = d.trend.map((r) => ({
      period: new Date(`${r.period}T00:00:00Z`),
      revenue: r.revenue,
      key: r.key,
    }));
    return {
      marginLeft: 72,
      x: { type: 'utc', label: t('forecast.date') },
      y: { label: t('sales.revenue'), grid: true, tickFormat: (v: number) => num(v) },
      color: { legend: d.by !== null },
      marks: [Plot.lineY(rows, { x: 'period', y: 'revenue', stroke: 'key', tip: true }), Plot.ruleY([0])],
    } satisfies Plot.PlotOptions;
  }, [d, t, num]);
  const w = d.windows;
  const signed = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${pct(x)}`);
  return (
    <>
      <p className="muted" data-testid="sales-window">
        {t('sales.window', {
          from: date(w.current.from),
          to: date(w.current.to),
          pfrom: date(w.previous.from),
          pto: date(w.previous.to),
          lfrom: date(w.lastYear.from),
          lto: date(w.lastYear.to),
        })}
      </p>
      <div className="kpis">
        <Kpi label={t('sales.revenue')} value={money(d.totals.current.revenue)} hint={hint('revenue')} />
        <Kpi label={t('sales.orders')} value={num(d.totals.current.orders)} hint={hint('orders')} />
        <Kpi label={t('sales.customers')} value={num(d.totals.current.customers)} hint={hint('customers')} />
        <Kpi label={t('sales.units')} value={num(d.totals.current.units)} hint={hint('units')} />
        <Kpi label={t('sales.margin')} value={money(d.totals.current.margin ?? 0)} hint={hint('margin')} />
        <Kpi label={t('sales.aov')} value={money(d.totals.current.aov ?? 0)} hint={hint('aov')} />
      </div>
      <Chart options={trend} label={t('sales.trend')} />
      <Table
        caption={t(`sales.dim.${(d.by ?? 'category') as 'category'}`)}
        columns={[
          { key: 'key', label: t(`sales.dim.${(d.by ?? 'category') as 'category'}`) },
          {
            key: 'revenue',
            label: t('sales.revenue'),
            numeric: true,
            render: (r: SalesCubeRowDto) => money(r.current.revenue),
          },
          {
            key: 'share',
            label: t('sales.share'),
            numeric: true,
            render: (r: SalesCubeRowDto) => pct(r.share),
          },
          {
            key: 'prev',
            label: t('sales.vsPrevious'),
            numeric: true,
            render: (r: SalesCubeRowDto) => signed(r.changePct),
          },
          {
            key: 'ly',
            label: t('sales.vsLastYear'),
            numeric: true,
            render: (r: SalesCubeRowDto) => signed(r.changeLastYearPct),
          },
          {
            key: 'orders',
            label: t('sales.orders'),
            numeric: true,
            render: (r: SalesCubeRowDto) => num(r.current.orders),
          },
          {
            key: 'customers',
            label: t('sales.customers'),
            numeric: true,
            render: (r: SalesCubeRowDto) => num(r.current.customers),
          },
          {
            key: 'units',
            label: t('sales.units'),
            numeric: true,
            render: (r: SalesCubeRowDto) => num(r.current.units),
          },
          {
            key: 'margin',
            label: t('sales.margin'),
            numeric: true,
            render: (r: SalesCubeRowDto) => (r.current.margin === null ? '' : money(r.current.margin)),
          },
          {
            key: 'aov',
            label: t('sales.aov'),
            numeric: true,
            render: (r: SalesCubeRowDto) => (r.current.aov === null ? '' : money(r.current.aov)),
          },
        ]}
        rows={d.rows}
      />
      <p data-testid="sales-movers">
        {t('sales.risers')}: {d.movers.up.map((r) => `${r.key} (+${money(r.change)})`).join(', ') || '–'} ·{' '}
        {t('sales.fallers')}: {d.movers.down.map((r) => `${r.key} (${money(r.change)})`).join(', ') || '–'}
      </p>
      {d.warnings.map((x) => (
        <p key={x} className="muted">
          {x}
        </p>
      ))}
    </>
  );
}

/** Retention / value triangles as a heat map: cohorts down, months since the first order across. */
function CohortSection() {
  const { t, num, pct } = useApp();
  const [by, setBy] = useState('first_order_month');
  const [metric, setMetric] = useState('customers');
  const [result, retry] = useApi<CohortsResponse>(`/api/cohorts?by=${by}&metric=${metric}&periods=12`);
  return (
    <>
      <h2>{t('cohorts.title')}</h2>
      <div className="controls">
        <label>
          {t('cohorts.by')}{' '}
          <select value={by} onChange={(e) => setBy(e.target.value)} data-testid="cohorts-by">
            {(['first_order_month', 'first_channel', 'first_category', 'campaign'] as const).map((b) => (
              <option key={b} value={b}>
                {t(`cohorts.by.${b}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('cohorts.metric')}{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {(['customers', 'orders', 'revenue', 'margin'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`cohorts.metric.${m}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Async result={result} retry={retry}>
        {(d) => {
          const cells = d.cohorts.flatMap((c) =>
            c.rates.flatMap((v, age) => (v === null ? [] : [{ cohort: c.cohort, age, value: v }])),
          );
          const label = (v: number) => (d.metric === 'customers' ? pct(v) : num(v, 2));
          const options = {
            marginLeft: 96,
            padding: 0.05,
            x: { label: t('cohorts.age'), type: 'band' },
            y: { label: t('cohorts.cohort'), type: 'band', domain: d.cohorts.map((c) => c.cohort) },
            color: { type: 'linear', scheme: 'blues', legend: true, label: t(`cohorts.metric.${d.metric}`) },
            marks: [
              Plot.cell(cells, { x: 'age', y: 'cohort', fill: 'value', tip: true }),
              Plot.text(cells, {
                x: 'age',
                y: 'cohort',
                text: (c: { value: number }) => label(c.value),
                fontSize: 9,
                fill: (c: { value: number; age: number }) =>
                  c.age === 0 && d.metric === 'customers' ? 'white' : 'black',
              }),
            ],
          } satisfies Plot.PlotOptions;
          return (
            <>
              <p className="muted">{t('cohorts.note')}</p>
              {cells.length ? (
                <Chart options={options} label={t('cohorts.title')} />
              ) : (
                <p className="muted">{t('common.noData')}</p>
              )}
            </>
          );
        }}
      </Async>
    </>
  );
}
