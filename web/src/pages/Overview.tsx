import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { OverviewResponse } from '../../../src/services/http/types.js';
import { apiDownload } from '../api.js';
import { Async, Chart, Kpi } from '../components.js';
import { useApi, useApp } from '../context.js';
import { LOCALES } from '../i18n.js';

type OverviewData = OverviewResponse;

export function OverviewPage() {
  const { t, num, money, date } = useApp();
  const [result, retry] = useApi<OverviewData>('/api/overview');
  return (
    <section>
      <h1>{t('nav.overview')}</h1>
      <ReportButton />
      <Async result={result} retry={retry}>
        {(d) => <OverviewBody d={d} t={t} num={num} money={money} date={date} />}
      </Async>
    </section>
  );
}

/** Downloads the marketing report (GET /api/report, analysts) in the dashboard's language. */
function ReportButton() {
  const { t, token, lang } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <p className="report-link">
      <button
        type="button"
        data-testid="report-button"
        disabled={busy}
        title={t('overview.reportHint')}
        onClick={() => {
          setBusy(true);
          setError(null);
          apiDownload(`/api/report?lang=${lang}`, token, `clientele-report-${lang}.html`)
            .catch((e: Error) => setError(e.message))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? t('overview.reportBusy') : t('overview.report')}
      </button>{' '}
      <span className="muted">{t('overview.reportHint')}</span>
      {error && (
        <span className="error-text" role="alert" data-testid="report-error">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

function OverviewBody({
  d,
  t,
  num,
  money,
  date,
}: { d: OverviewData } & Pick<ReturnType<typeof useApp>, 't' | 'num' | 'money' | 'date'>) {
  const { lang } = useApp();
  const monthFormat = useMemo(
    () => new Intl.DateTimeFormat(LOCALES[lang], { month: 'short', year: '2-digit', timeZone: 'UTC' }),
    [lang],
  );
  const monthly = useMemo(() => {
    const rows = d.byMonth.flatMap((m) => [
      { month: new Date(`${m.month}T00:00:00Z`), value: m.revenue, series: t('overview.revenue') },
      ...(m.margin === null
        ? []
        : [{ month: new Date(`${m.month}T00:00:00Z`), value: m.margin, series: t('overview.margin') }]),
    ]);
    return {
      marginLeft: 64,
      x: { label: t('overview.month'), type: 'utc', tickFormat: (d: Date) => monthFormat.format(d) },
      y: { label: t('overview.amount'), grid: true, tickFormat: (v: number) => num(v) },
      color: { legend: true, label: t('overview.series') },
      marks: [
        Plot.lineY(rows, { x: 'month', y: 'value', stroke: 'series', tip: true }),
        Plot.dot(rows, { x: 'month', y: 'value', fill: 'series', r: 2 }),
      ],
    } satisfies Plot.PlotOptions;
  }, [d, t, num, monthFormat]);
  const weekday = useMemo(
    () =>
      ({
        x: {
          label: t('overview.weekday'),
          domain: [1, 2, 3, 4, 5, 6, 7].map((w) => t(`weekday.${w}` as 'weekday.1')),
        },
        y: { label: t('overview.orders'), grid: true },
        marks: [
          Plot.barY(
            d.byWeekday.map((w) => ({ day: t(`weekday.${w.weekday}` as 'weekday.1'), orders: w.orders })),
            { x: 'day', y: 'orders', fill: '#3b6ea5', tip: true },
          ),
          Plot.ruleY([0]),
        ],
      }) satisfies Plot.PlotOptions,
    [d, t],
  );
  if (d.kpis.orders === 0 && d.kpis.customers === 0) return <p className="muted">{t('common.noData')}</p>;
  return (
    <>
      <p className="muted">{t('overview.asOf', { date: date(d.asOf), days: d.activeDays })}</p>
      <div className="kpis">
        <Kpi
          label={t('overview.customers')}
          value={num(d.kpis.customers)}
          hint={t('overview.customersHint')}
        />
        <Kpi label={t('overview.buyers')} value={num(d.kpis.buyers)} hint={t('overview.buyersHint')} />
        <Kpi label={t('overview.orders')} value={num(d.kpis.orders)} hint={t('overview.ordersHint')} />
        <Kpi label={t('overview.revenue')} value={money(d.kpis.revenue)} hint={t('overview.revenueHint')} />
        <Kpi
          label={t('overview.grossSales')}
          value={money(d.kpis.grossSales)}
          hint={t('overview.grossSalesHint')}
        />
        <Kpi label={t('overview.margin')} value={money(d.kpis.margin)} hint={t('overview.marginHint')} />
        <Kpi label={t('overview.active')} value={num(d.kpis.active)} />
        <Kpi label={t('overview.lapsed')} value={num(d.kpis.lapsed)} />
        <Kpi label={t('overview.prospects')} value={num(d.kpis.prospects)} />
      </div>
      <h2>{t('overview.byMonth')}</h2>
      <Chart options={monthly} label={t('overview.byMonth')} />
      <h2>{t('overview.byWeekday')}</h2>
      <Chart options={weekday} label={t('overview.byWeekday')} />
    </>
  );
}
