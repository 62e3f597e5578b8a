import * as Plot from '@observablehq/plot';
import { useCallback, useMemo, useState } from 'react';
import type { VoiceResponse, VoiceTopicInfo } from '../../../src/services/http/types.js';
import { runJob } from '../api.js';
import { Async, Chart, Kpi, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import type { MessageKey } from '../i18n.js';

const KEYWORD_TOPICS = ['delivery', 'price', 'quality', 'service', 'returns', 'fit'];
const TEXT_LANGUAGES = ['en', 'nl', 'fr', 'de', 'ru', 'pt', 'und'];

/** Voice of the customer: what customers write, in their own languages (issue 16). */
export function TextsPage({ openCustomer }: { openCustomer?: (id: string) => void }) {
  const { t, num, token, pct } = useApp();
  const [result, retry] = useApi<VoiceResponse>('/api/texts');
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const analyze = () => {
    setRunning('0%');
    setError(null);
    runJob('/api/texts/analyze', token, {}, (p) => setRunning(pct(p))).then(
      () => {
        setRunning(null);
        retry();
      },
      (e: Error) => {
        setRunning(null);
        setError(e.message);
      },
    );
  };
  return (
    <section>
      <h1>{t('texts.title')}</h1>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            <p className="muted">
              {d.analysed > 0
                ? t('texts.intro', { analysed: num(d.analysed), texts: num(d.texts), date: d.asOf ?? '' })
                : t('texts.none', { texts: num(d.texts) })}
            </p>
            <button type="button" disabled={running !== null} onClick={analyze}>
              {running ? t('texts.running', { progress: running }) : t('texts.analyze')}
            </button>
            {error && <p className="error-text">{error}</p>}
            {d.analysed > 0 && <Voice d={d} openCustomer={openCustomer} />}
          </>
        )}
      </Async>
    </section>
  );
}

function Voice({ d, openCustomer }: { d: VoiceResponse; openCustomer?: (id: string) => void }) {
  const { t, num, pct, money, date } = useApp();
  /** A text language by its name in the page's language (`pt` → Portuguese), never its code. */
  const languageName = useCallback(
    (code: string | null) =>
      TEXT_LANGUAGES.includes(code ?? 'und') ? t(`texts.lang.${code ?? 'und'}` as MessageKey) : (code ?? ''),
    [t],
  );
  const sentiment = (v: number | null) => (v === null ? '—' : num(v, 2));
  const total = d.languages.reduce((s, l) => s + l.texts, 0);
  const mean = d.languages.reduce((s, l) => s + l.meanSentiment * l.texts, 0) / Math.max(total, 1);
  const negative = d.languages.reduce((s, l) => s + l.shareNegative * l.texts, 0) / Math.max(total, 1);
  const overTime = useMemo(
    () =>
      ({
        height: 300,
        x: { label: t('texts.month'), type: 'utc' },
        y: { label: t('texts.sentiment'), grid: true, domain: [-1, 1] },
        color: { legend: true },
        marks: [
          Plot.ruleY([0]),
          Plot.line(
            d.monthly.map((m) => ({
              ...m,
              language: languageName(m.language),
              date: new Date(`${m.month}-01T00:00:00Z`),
            })),
            { x: 'date', y: 'meanSentiment', stroke: 'language', marker: 'circle', tip: true },
          ),
        ],
      }) satisfies Plot.PlotOptions,
    [d.monthly, t, languageName],
  );
  const topicName = (name: string) =>
    KEYWORD_TOPICS.includes(name) ? t(`texts.topic.${name}` as MessageKey) : name;
  const topicColumns = (keyword: boolean) => [
    {
      key: 'topic',
      label: t('texts.topic'),
      render: (r: VoiceTopicInfo) =>
        keyword ? topicName(r.topic) : `${languageName(r.language)} · ${r.topic}`,
    },
    { key: 'texts', label: t('texts.texts'), numeric: true, render: (r: VoiceTopicInfo) => num(r.texts) },
    {
      key: 'meanSentiment',
      label: t('texts.sentiment'),
      numeric: true,
      render: (r: VoiceTopicInfo) => sentiment(r.meanSentiment),
    },
    {
      key: 'shareNegative',
      label: t('texts.shareNegative'),
      numeric: true,
      render: (r: VoiceTopicInfo) => pct(r.shareNegative),
    },
    {
      key: 'examples',
      label: t('texts.examples'),
      render: (r: VoiceTopicInfo) => (
        <ul className="examples">
          {r.examples.map((e) => (
            <li key={e.textId}>
              <span className={e.sentiment < 0 ? 'neg' : 'pos'}>{num(e.sentiment, 2)}</span> {e.text}
            </li>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <>
      <div className="kpis">
        <Kpi label={t('texts.texts')} value={num(total)} />
        <Kpi label={t('texts.sentiment')} value={num(mean, 2)} />
        <Kpi label={t('texts.shareNegative')} value={pct(negative)} />
        <Kpi label={t('texts.alertsKpi')} value={num(d.alerts.length)} />
      </div>
      <h2>{t('texts.overTime')}</h2>
      <Chart options={overTime} label={t('texts.overTime')} />
      <h2>{t('texts.languages')}</h2>
      <Table
        columns={[
          { key: 'language', label: t('texts.language'), render: (r) => languageName(r.language) },
          { key: 'texts', label: t('texts.texts'), numeric: true, render: (r) => num(r.texts) },
          {
            key: 'meanSentiment',
            label: t('texts.sentiment'),
            numeric: true,
            render: (r) => sentiment(r.meanSentiment),
          },
          {
            key: 'shareNegative',
            label: t('texts.shareNegative'),
            numeric: true,
            render: (r) => pct(r.shareNegative),
          },
        ]}
        rows={d.languages}
      />
      <h2>{t('texts.topics')}</h2>
      <Table columns={topicColumns(true)} rows={d.keywordTopics} />
      {d.discoveredTopics.length > 0 && (
        <>
          <h2>{t('texts.discovered')}</h2>
          <Table columns={topicColumns(false)} rows={d.discoveredTopics} />
        </>
      )}
      <h2>{t('texts.segments')}</h2>
      {d.segmentSource === 'all' && <p className="muted">{t('texts.segmentsHint')}</p>}
      <Table
        columns={[
          { key: 'segment', label: t('texts.segment') },
          { key: 'customers', label: t('texts.customers'), numeric: true, render: (r) => num(r.customers) },
          { key: 'texts', label: t('texts.texts'), numeric: true, render: (r) => num(r.texts) },
          {
            key: 'meanSentiment',
            label: t('texts.sentiment'),
            numeric: true,
            render: (r) => sentiment(r.meanSentiment),
          },
          {
            key: 'shareNegative',
            label: t('texts.shareNegative'),
            numeric: true,
            render: (r) => pct(r.shareNegative),
          },
          { key: 'trend', label: t('texts.trend'), numeric: true, render: (r) => sentiment(r.trend) },
          {
            key: 'topTopics',
            label: t('texts.topics'),
            render: (r) => r.topTopics.map(topicName).join(', '),
          },
        ]}
        rows={d.segments}
      />
      <h2>{t('texts.alerts')}</h2>
      {d.alerts.length === 0 ? (
        <p className="muted">{t('texts.alertsNone', { days: d.alertDays })}</p>
      ) : (
        <Table
          columns={[
            {
              key: 'customerId',
              label: t('texts.customer'),
              render: (r) =>
                openCustomer ? (
                  <button type="button" className="link" onClick={() => openCustomer(r.customerId)}>
                    {r.name || r.customerId}
                  </button>
                ) : (
                  r.name || r.customerId
                ),
            },
            { key: 'revenue', label: t('texts.revenue'), numeric: true, render: (r) => money(r.revenue) },
            { key: 'time', label: t('texts.date'), render: (r) => date(r.time) },
            {
              key: 'sentiment',
              label: t('texts.sentiment'),
              numeric: true,
              render: (r) => num(r.sentiment, 2),
            },
            { key: 'topics', label: t('texts.topics'), render: (r) => r.topics.map(topicName).join(', ') },
            { key: 'text', label: t('texts.text') },
          ]}
          rows={d.alerts}
        />
      )}
    </>
  );
}
