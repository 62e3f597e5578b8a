import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { ForecastResponse } from '../../../src/services/http/types.js';
import { Async, Chart, Table } from '../components.js';
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
