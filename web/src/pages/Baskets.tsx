import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { BasketRulesResponse } from '../../../src/services/http/types.js';
import { Async, Chart, Table } from '../components.js';
import { useApi, useApp } from '../context.js';

type Rules = BasketRulesResponse;

export function BasketsPage() {
  const { t, num, pct } = useApp();
  const [minSupport, setMinSupport] = useState('0.01');
  const [minConfidence, setMinConfidence] = useState('0.2');
  const [minLift, setMinLift] = useState('1');
  const [level, setLevel] = useState('product');
  const [sort, setSort] = useState('lift');
  const params = new URLSearchParams({ minSupport, minConfidence, minLift, level, sort, limit: '100' });
  const [result, retry] = useApi<Rules>(`/api/basket/rules?${params}`);
  return (
    <section>
      <h1>{t('baskets.title')}</h1>
      <div className="actions">
        <label>
          {t('baskets.minSupport')}{' '}
          <input
            type="number"
            step="0.001"
            min="0.0001"
            max="1"
            value={minSupport}
            onChange={(e) => setMinSupport(e.target.value)}
          />
        </label>
        <label>
          {t('baskets.minConfidence')}{' '}
          <input
            type="number"
            step="0.05"
            min="0"
            max="1"
            value={minConfidence}
            onChange={(e) => setMinConfidence(e.target.value)}
          />
        </label>
        <label>
          {t('baskets.minLift')}{' '}
          <input
            type="number"
            step="0.1"
            min="0"
            value={minLift}
            onChange={(e) => setMinLift(e.target.value)}
          />
        </label>
        <label>
          {t('baskets.level')}{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="product">{t('baskets.product')}</option>
            <option value="category">{t('baskets.category')}</option>
          </select>
        </label>
        <label>
          {t('baskets.sort')}{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value)}>
            {['lift', 'confidence', 'support', 'count'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            <p className="muted">
              {t('baskets.summary', {
                rules: num(d.count),
                baskets: num(d.transactions),
                seconds: num(d.seconds, 2),
              })}
            </p>
            {d.network.edges.length > 0 && <Network network={d.network} />}
            <Table
              columns={[
                { key: 'lhs', label: t('baskets.if'), render: (r) => r.lhs.join(' + ') },
                { key: 'rhs', label: t('baskets.then'), render: (r) => r.rhs.join(' + ') },
                { key: 'support', label: t('baskets.support'), numeric: true, render: (r) => pct(r.support) },
                {
                  key: 'confidence',
                  label: t('baskets.confidence'),
                  numeric: true,
                  render: (r) => pct(r.confidence),
                },
                { key: 'lift', label: t('baskets.lift'), numeric: true, render: (r) => num(r.lift, 2) },
                { key: 'count', label: t('baskets.count'), numeric: true, render: (r) => num(r.count) },
              ]}
              rows={d.rules}
            />
          </>
        )}
      </Async>
    </section>
  );
}

/** Items on a circle, pair rules as arrows whose width follows the lift. */
function Network({ network }: { network: Rules['network'] }) {
  const { t } = useApp();
  const options = useMemo(() => {
    const n = network.nodes.length;
    const pos = new Map(
      network.nodes.map((node, i) => [
        node,
        { x: Math.cos((2 * Math.PI * i) / n), y: Math.sin((2 * Math.PI * i) / n) },
      ]),
    );
    const links = network.edges.map((e) => ({
      ...e,
      x1: pos.get(e.source)!.x,
      y1: pos.get(e.source)!.y,
      x2: pos.get(e.target)!.x,
      y2: pos.get(e.target)!.y,
    }));
    const nodes = network.nodes.map((name) => ({ name, ...pos.get(name)! }));
    return {
      height: 420,
      inset: 60,
      x: { axis: null },
      y: { axis: null },
      marks: [
        Plot.arrow(links, {
          x1: 'x1',
          y1: 'y1',
          x2: 'x2',
          y2: 'y2',
          strokeWidth: (d: { lift: number }) => Math.min(6, d.lift),
          stroke: '#3b6ea5',
          strokeOpacity: 0.5,
          bend: true,
          insetEnd: 8,
          tip: true,
          title: (d: { source: string; target: string; lift: number }) =>
            `${d.source} → ${d.target} (lift ${d.lift.toFixed(2)})`,
        }),
        Plot.dot(nodes, { x: 'x', y: 'y', r: 6, fill: '#1f3b57' }),
        Plot.text(nodes, { x: 'x', y: 'y', text: 'name', dy: -12, fontSize: 11 }),
      ],
    } satisfies Plot.PlotOptions;
  }, [network]);
  return <Chart options={options} label={t('baskets.network')} />;
}
