import * as Plot from '@observablehq/plot';
import { useEffect, useState } from 'react';
import type { ClusterLatestResponse, ClusterRunResult } from '../../../src/services/http/types.js';
import { runJob } from '../api.js';
import { Chart } from '../components.js';
import { useApi, useApp } from '../context.js';
import { segmentLink } from './Segments.js';

type ClusterRun = ClusterRunResult & { ranAt?: string };

export function ClustersPage() {
  const { t, token, num, pct } = useApp();
  const [run, setRun] = useState<ClusterRun | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [k, setK] = useState('');
  // The latest saved run (kept in the datamart), so a reload or a restart does not lose it.
  const [latest] = useApi<ClusterLatestResponse>('/api/clusters/latest');
  useEffect(() => {
    if (latest.state === 'ready' && latest.data.run) setRun((r) => r ?? latest.data.run);
  }, [latest]);
  const start = () => {
    setProgress(t('value.running'));
    setError(null);
    runJob<ClusterRun>('/api/clusters/run', token, k ? { k: Number(k) } : {}).then(
      (r) => {
        setRun(r);
        setProgress(null);
      },
      (e: Error) => {
        setError(e.message);
        setProgress(null);
      },
    );
  };
  return (
    <section>
      <h1>{t('clusters.title')}</h1>
      <div className="actions">
        <label>
          k{' '}
          <input
            value={k}
            onChange={(e) => setK(e.target.value.replace(/\D/g, ''))}
            size={3}
            placeholder={t('clusters.auto')}
          />
        </label>
        <button type="button" onClick={start} disabled={progress !== null}>
          {progress ?? t('clusters.run')}
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {run && (
        <>
          <p className="muted">
            {t('clusters.summary', { k: run.k, customers: num(run.customers), how: run.chosenBy })}
            {run.ranAt && (
              <>
                {' '}
                <span data-testid="cluster-ran-at">
                  {t('clusters.ranAt', { when: new Date(run.ranAt).toLocaleString() })}
                </span>
              </>
            )}
          </p>
          <div className="cards">
            {run.clusters.map((c) => (
              <article key={c.cluster} className="card">
                <h2>
                  {c.name} <span className="muted">{pct(c.share)}</span>
                </h2>
                <p>
                  <a
                    href={segmentLink(`cluster = ${c.cluster}`)}
                    title={t('common.makeSegment')}
                    data-testid="cluster-segment-link"
                  >
                    {t('clusters.makeSegment', { customers: num(c.size) })}
                  </a>
                </p>
                <Chart
                  label={c.name}
                  options={{
                    height: 200,
                    marginLeft: 130,
                    x: { label: t('clusters.z'), domain: [-2.5, 2.5] },
                    y: { label: null },
                    marks: [
                      Plot.barX([...c.features].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, 6), {
                        y: 'feature',
                        x: 'z',
                        fill: (d: { z: number }) => (d.z >= 0 ? '#2f7d4a' : '#b7791f'),
                        sort: { y: 'x', reverse: true },
                        tip: true,
                      }),
                      Plot.ruleX([0]),
                    ],
                  }}
                />
              </article>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
