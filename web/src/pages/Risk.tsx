import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useState } from 'react';
import type {
  CustomerScoresResponse,
  ModelDetailResponse,
  ModelListResponse,
  ModelTopResponse,
} from '../../../src/services/http/types.js';
import { Async, Chart, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import { segmentLink } from './Segments.js';

/** Score bands that open as segments (the score column is the model id in the segment language). */
const RISK_BANDS = [
  { band: 'high', expression: (id: string) => `${id} >= 0.7` },
  { band: 'medium', expression: (id: string) => `${id} >= 0.3 and ${id} < 0.7` },
  { band: 'low', expression: (id: string) => `${id} < 0.3` },
] as const;

type ModelDetail = ModelDetailResponse;

export function RiskPage({ openCustomer }: { openCustomer: (id: string) => void }) {
  const { t, num, pct } = useApp();
  const [models, retry] = useApi<ModelListResponse>('/api/predict/models');
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    if (models.state === 'ready' && !selected && models.data.models[0]) setSelected(models.data.models[0].id);
  }, [models, selected]);
  return (
    <section>
      <h1>{t('risk.title')}</h1>
      <Async result={models} retry={retry}>
        {(d) =>
          d.models.length === 0 ? (
            <p className="muted">{t('risk.noModels')}</p>
          ) : (
            <>
              <Table
                columns={[
                  { key: 'id', label: t('risk.model') },
                  { key: 'target', label: t('risk.target') },
                  { key: 'kind', label: t('risk.kind') },
                  { key: 'rows', label: t('imports.rows'), numeric: true, render: (r) => num(r.rows) },
                  {
                    key: 'auc',
                    label: 'AUC',
                    numeric: true,
                    render: (r) => (r.auc === null ? '' : num(r.auc, 3)),
                  },
                  {
                    key: 'baseline',
                    label: t('risk.baseline'),
                    render: (r) => (r.baseline ? `${r.baseline.feature} (${num(r.baseline.auc, 3)})` : ''),
                  },
                  {
                    key: 'aucGain',
                    label: t('risk.gain'),
                    numeric: true,
                    render: (r) =>
                      r.aucGain === null ? (
                        ''
                      ) : (
                        <span
                          className={r.verdict === 'barely beats its baseline' ? 'warning-text' : undefined}
                          title={r.verdict === 'barely beats its baseline' ? t('risk.barely') : undefined}
                        >
                          {`${r.aucGain >= 0 ? '+' : ''}${num(r.aucGain, 3)}`}
                        </span>
                      ),
                  },
                  {
                    key: 'calibrationError',
                    label: t('risk.calibrationError'),
                    numeric: true,
                    render: (r) => (r.calibrationError === null ? '' : pct(r.calibrationError)),
                  },
                  {
                    key: 'ageDays',
                    label: t('risk.age'),
                    numeric: true,
                    render: (r) => (r.ageDays === null ? '' : t('risk.ageDays', { days: num(r.ageDays) })),
                  },
                ]}
                rows={d.models}
                onRowClick={(r) => setSelected(r.id)}
              />
              {selected && <ModelView id={selected} openCustomer={openCustomer} />}
            </>
          )
        }
      </Async>
    </section>
  );
}

function ModelView({ id, openCustomer }: { id: string; openCustomer: (id: string) => void }) {
  const { t, num, pct } = useApp();
  const [detail] = useApi<ModelDetail>(`/api/predict/models/${encodeURIComponent(id)}`);
  const [top] = useApi<ModelTopResponse>(`/api/predict/models/${encodeURIComponent(id)}/top?limit=20`);
  const charts = useMemo(() => {
    if (detail.state !== 'ready' || !detail.data.report) return null;
    const r = detail.data.report;
    const gains = [{ decile: 0, cumulativeGain: 0 }, ...r.lift];
    return {
      gains: {
        x: { label: t('risk.decile'), domain: [0, 10] },
        y: { label: t('risk.gain'), domain: [0, 1], grid: true, tickFormat: (v: number) => pct(v) },
        marks: [
          Plot.line(
            [
              { x: 0, y: 0 },
              { x: 10, y: 1 },
            ],
            { x: 'x', y: 'y', stroke: '#999', strokeDasharray: '4 3' },
          ),
          Plot.line(gains, {
            x: 'decile',
            y: 'cumulativeGain',
            stroke: '#2f7d4a',
            marker: 'circle',
            tip: true,
          }),
        ],
      } satisfies Plot.PlotOptions,
      lift: {
        x: { label: t('risk.decile') },
        y: { label: t('baskets.lift'), grid: true },
        marks: [
          Plot.barY(r.lift, { x: 'decile', y: 'lift', fill: '#3b6ea5', tip: true }),
          Plot.ruleY([1], { stroke: '#b7791f' }),
        ],
      } satisfies Plot.PlotOptions,
      calibration: {
        x: { label: t('risk.predicted'), domain: [0, 1] },
        y: { label: t('risk.observed'), domain: [0, 1], grid: true },
        marks: [
          Plot.line(
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
            { x: 'x', y: 'y', stroke: '#999', strokeDasharray: '4 3' },
          ),
          Plot.dot(r.calibration, {
            x: 'meanPredicted',
            y: 'observedRate',
            r: (d: { rows: number }) => Math.sqrt(d.rows),
            fill: '#805ad5',
            tip: true,
          }),
        ],
      } satisfies Plot.PlotOptions,
    };
  }, [detail, t, pct]);
  return (
    <>
      <h2>{t('risk.evaluation', { model: id })}</h2>
      <Async result={detail}>
        {(d) =>
          d.report && (
            <p className="muted">
              {t('risk.auc', {
                auc: num(d.report.auc ?? 0, 3),
                gain: num(d.report.aucGain ?? 0, 3),
                baseline: d.report.baseline?.feature ?? '–',
              })}
            </p>
          )
        }
      </Async>
      {charts && (
        <div className="cards">
          <Chart options={charts.gains} label={t('risk.gains')} />
          <Chart options={charts.lift} label={t('risk.liftChart')} />
          <Chart options={charts.calibration} label={t('risk.calibration')} />
        </div>
      )}
      {/^[a-z_][a-z0-9_]*$/.test(id) && (
        <p data-testid="risk-bands">
          {t('risk.bands')}{' '}
          {RISK_BANDS.map((b, i) => (
            <span key={b.band}>
              {i > 0 && ' · '}
              <a
                href={segmentLink(b.expression(id))}
                title={t('common.makeSegment')}
                data-testid="risk-band-link"
              >
                {t(`risk.band.${b.band}`)}
              </a>
            </span>
          ))}
        </p>
      )}
      <h2>{t('risk.top')}</h2>
      <Async result={top}>
        {(d) => (
          <Table
            columns={[
              { key: 'customerId', label: t('customers.id') },
              { key: 'score', label: t('risk.score'), numeric: true, render: (r) => pct(r.score) },
              { key: 'bandLabel', label: t('risk.band') },
              {
                key: 'reasons',
                label: t('risk.reasons'),
                render: (r) => r.reasons.map((x) => x.text).join('; '),
              },
            ]}
            rows={d.rows}
            onRowClick={(r) => openCustomer(r.customerId)}
          />
        )}
      </Async>
    </>
  );
}

export function CustomerScores({ id }: { id: string }) {
  const { t, pct } = useApp();
  const [result] = useApi<CustomerScoresResponse>(`/api/customers/${encodeURIComponent(id)}/scores`);
  return (
    <>
      <h2>{t('customer.scores')}</h2>
      <Async result={result}>
        {(d) =>
          d.scores.length === 0 ? (
            <p className="muted">{t('risk.noModels')}</p>
          ) : (
            <ul className="scores">
              {d.scores.map((s) => (
                <li key={s.model}>
                  <strong>{s.model}</strong>: {pct(s.score)} ({s.bandLabel})
                  <ul>
                    {s.reasons.map((r) => (
                      <li key={r.text} className="small">
                        {r.text}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
