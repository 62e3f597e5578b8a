import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { RfmMovementResponse, RfmResponse } from '../../../src/services/http/types.js';
import { Async, Chart, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import { EngagementView } from './Campaigns.js';
import { segmentLink } from './Segments.js';

type RfmData = RfmResponse;
type Movement = RfmMovementResponse;

export function RfmPage() {
  const { t, num, pct, money } = useApp();
  const [kind, setKind] = useState('rfm');
  // RFO / RFC are scored on the opens and clicks themselves (issue 13): the engagement view, not RFM.
  const [result, retry] = useApi<RfmData>('/api/rfm?kind=rfm');
  return (
    <section>
      <h1>{t('rfm.title')}</h1>
      <label>
        {t('rfm.kind')}{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="rfm">RFM</option>
          <option value="rfo">RFO</option>
          <option value="rfc">RFC</option>
        </select>
      </label>
      {kind !== 'rfm' && (
        <EngagementView kind={kind === 'rfc' ? 'rfc' : 'rfo'} grid={(cells) => <RfmGrid cells={cells} />} />
      )}
      {kind === 'rfm' && (
        <Async result={result} retry={retry}>
          {(d) => (
            <>
              <p className="muted">
                {t('rfm.scored', { scored: num(d.scored), notScored: num(d.notScored), date: d.params.asOf })}
              </p>
              <h2>{t('rfm.grid')}</h2>
              <RfmGrid cells={d.cells} />
              <h2>{t('rfm.segments')}</h2>
              <Table
                columns={[
                  {
                    key: 'segment',
                    label: t('rfm.segment'),
                    render: (r) => (
                      <a
                        href={segmentLink(`rfm_segment = '${r.segment.replaceAll("'", "''")}'`)}
                        title={t('common.makeSegment')}
                        data-testid="rfm-segment-link"
                        data-segment={r.segment}
                      >
                        {r.label ?? r.segment}
                      </a>
                    ),
                  },
                  {
                    key: 'customers',
                    label: t('overview.customers'),
                    numeric: true,
                    render: (r) => num(r.customers),
                  },
                  { key: 'share', label: t('rfm.share'), numeric: true, render: (r) => pct(r.share) },
                  {
                    key: 'meanRecencyDays',
                    label: t('rfm.recency'),
                    numeric: true,
                    render: (r) => num(r.meanRecencyDays),
                  },
                  {
                    key: 'meanFrequency',
                    label: t('rfm.frequency'),
                    numeric: true,
                    render: (r) => num(r.meanFrequency, 1),
                  },
                  {
                    key: 'meanValue',
                    label: t('rfm.value'),
                    numeric: true,
                    render: (r) => (kind === 'rfm' ? money(r.meanValue) : num(r.meanValue, 1)),
                  },
                  {
                    key: 'valueShare',
                    label: t('rfm.valueShare'),
                    numeric: true,
                    render: (r) => pct(r.valueShare),
                  },
                ]}
                rows={d.segments}
              />
              <MovementView asOf={d.params.asOf} />
            </>
          )}
        </Async>
      )}
    </section>
  );
}

function RfmGrid({ cells }: { cells: (number | null)[][] }) {
  const { t } = useApp();
  const options = useMemo(() => {
    // A null cell holds too few customers to show (minimum cell size): drawn empty, labelled "<k".
    const data = cells.flatMap((row, r) => row.map((n, f) => ({ r: r + 1, f: f + 1, n, label: n ?? '–' })));
    return {
      height: 320,
      marginLeft: 50,
      x: { label: t('rfm.fScore'), type: 'band' },
      y: { label: t('rfm.rScore'), type: 'band', reverse: true },
      color: { scheme: 'blues', legend: true, label: t('overview.customers') },
      marks: [
        Plot.cell(data, { x: 'f', y: 'r', fill: 'n', tip: true, inset: 1 }),
        Plot.text(data, { x: 'f', y: 'r', text: 'label', fill: 'black' }),
      ],
    } satisfies Plot.PlotOptions;
  }, [cells, t]);
  return <Chart options={options} label={t('rfm.grid')} />;
}

function MovementView({ asOf }: { asOf: string }) {
  const { t } = useApp();
  const yearBefore = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
  const [from, setFrom] = useState(yearBefore);
  const [to, setTo] = useState(asOf);
  const [result, retry] = useApi<Movement>(`/api/rfm/movement?from=${from}&to=${to}`);
  return (
    <>
      <h2>{t('rfm.movement')}</h2>
      <label>
        {t('imports.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>{' '}
      <label>
        {t('imports.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <Async result={result} retry={retry}>
        {(m) => <MovementChart m={m} />}
      </Async>
    </>
  );
}

function MovementChart({ m }: { m: Movement }) {
  const { t, pct } = useApp();
  const options = useMemo(() => {
    const data = m.matrix.flatMap((row, i) => row.map((n, j) => ({ from: m.states[i], to: m.states[j], n })));
    return {
      height: 120 + m.states.length * 28,
      marginLeft: 140,
      marginBottom: 110,
      x: { label: t('rfm.to'), domain: m.states, tickRotate: -35 },
      y: { label: t('rfm.from'), domain: m.states },
      color: { scheme: 'oranges', type: 'sqrt', legend: true, label: t('overview.customers') },
      marks: [
        Plot.cell(data, { x: 'to', y: 'from', fill: 'n', tip: true, inset: 0.5 }),
        Plot.text(
          data.filter((d) => d.n === null || d.n > 0).map((d) => ({ ...d, n: d.n ?? '–' })),
          { x: 'to', y: 'from', text: 'n' },
        ),
      ],
    } satisfies Plot.PlotOptions;
  }, [m, t]);
  return (
    <>
      <p className="muted">{t('rfm.stayed', { share: pct(m.stayed) })}</p>
      <Chart options={options} label={t('rfm.movement')} />
    </>
  );
}
