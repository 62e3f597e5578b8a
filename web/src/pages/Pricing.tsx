import * as Plot from '@observablehq/plot';
import { useState } from 'react';
import type {
  BreakEvenResponse,
  ElasticitiesResponse,
  RangeFigure,
  WhatIfResponse,
} from '../../../src/services/http/types.js';
import { Async, Chart } from '../components.js';
import { useApi, useApp } from '../context.js';

/** What-if on price: elasticities per category with intervals, a price-change simulator, and break-even. */
export function PricingPage() {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('pricing.title')}</h1>
      <p className="muted">{t('pricing.intro')}</p>
      <ElasticitySection />
      <BreakEvenSection />
    </section>
  );
}

function ElasticitySection() {
  const { t, num } = useApp();
  const [result, retry] = useApi<ElasticitiesResponse>('/api/pricing/elasticities');
  return (
    <Async result={result} retry={retry}>
      {(d) => {
        const shown = d.categories.filter((c) => c.supported);
        const options = {
          marginLeft: 100,
          x: { label: t('pricing.elasticity'), grid: true },
          y: { label: null, domain: shown.map((c) => c.category) },
          marks: [
            Plot.ruleX([0, -1], { stroke: '#bbb', strokeDasharray: '3,3' }),
            Plot.ruleY(shown, { y: 'category', x1: 'lower', x2: 'upper', stroke: '#3b6ea5', strokeWidth: 3 }),
            Plot.dot(shown, { y: 'category', x: 'elasticity', fill: '#1d3f66', r: 4, tip: true }),
          ],
        } satisfies Plot.PlotOptions;
        return (
          <>
            <h2>{t('pricing.elasticities')}</h2>
            <p className="muted">
              {t('pricing.elasticityNote', { from: d.from, to: d.to, level: Math.round(d.level * 100) })}
            </p>
            {shown.length > 0 && <Chart options={options} label={t('pricing.elasticities')} />}
            <table data-testid="pricing-elasticities">
              <thead>
                <tr>
                  <th>{t('pricing.category')}</th>
                  <th>{t('pricing.elasticity')}</th>
                  <th>{t('pricing.interval')}</th>
                  <th>{t('pricing.weeks')}</th>
                  <th>{t('pricing.priceMoves')}</th>
                  <th>{t('pricing.note')}</th>
                </tr>
              </thead>
              <tbody>
                {d.categories.map((c) => (
                  <tr key={c.category}>
                    <td>{c.category}</td>
                    <td>{c.supported ? num(c.elasticity, 2) : '–'}</td>
                    <td>{c.supported ? `${num(c.lower, 2)} … ${num(c.upper, 2)}` : '–'}</td>
                    <td>{num(c.weeks)}</td>
                    <td>{num(c.priceVariation * 100, 1)} %</td>
                    <td>{c.supported ? '' : t('pricing.unsupported')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <WhatIfSection categories={d.categories.map((c) => c.category)} />
          </>
        );
      }}
    </Async>
  );
}

function WhatIfSection({ categories }: { categories: string[] }) {
  const { t, num, money, pct } = useApp();
  const [category, setCategory] = useState(categories[0] ?? '');
  const [change, setChange] = useState('-10');
  const pctValue = Number(change);
  const valid = category !== '' && Number.isFinite(pctValue) && pctValue > -90 && pctValue <= 200;
  const [result, retry] = useApi<WhatIfResponse>(
    valid
      ? `/api/pricing/whatif?category=${encodeURIComponent(category)}&priceChange=${pctValue / 100}`
      : null,
  );
  const row = (label: string, base: number, f: RangeFigure, fmt: (v: number) => string) => (
    <tr key={label}>
      <td>{label}</td>
      <td>{fmt(base)}</td>
      <td>{fmt(f.value)}</td>
      <td>{pct(f.value / base - 1)}</td>
      <td>
        {fmt(f.lower)} … {fmt(f.upper)}
      </td>
    </tr>
  );
  return (
    <>
      <h2>{t('pricing.whatif')}</h2>
      <div className="controls">
        <label>
          {t('pricing.category')}{' '}
          <select
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            data-testid="whatif-category"
          >
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('pricing.priceChange')}{' '}
          <input
            value={change}
            onChange={(e) => setChange(e.target.value.replace(/[^\d.+-]/g, ''))}
            size={5}
            data-testid="whatif-change"
          />{' '}
          %
        </label>
      </div>
      {valid && (
        <Async result={result} retry={retry}>
          {(w) =>
            !w.supported || !w.simulated ? (
              <p className="error-text" data-testid="whatif-unsupported">
                {t('pricing.cannotAnswer', { reason: w.reason ?? '' })}
              </p>
            ) : (
              <>
                <p className="muted">
                  {t('pricing.baseline', {
                    from: w.baseline.from,
                    to: w.baseline.to,
                    elasticity: num(w.elasticity!.elasticity, 2),
                    level: Math.round(w.intervalLevel * 100),
                  })}
                </p>
                <table data-testid="whatif-result">
                  <thead>
                    <tr>
                      <th>{t('pricing.figure')}</th>
                      <th>{t('pricing.now')}</th>
                      <th>{t('pricing.simulated')}</th>
                      <th>{t('pricing.change')}</th>
                      <th>{t('pricing.interval')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {row(t('pricing.units'), w.baseline.units, w.simulated.units, (v) => num(v))}
                    {row(t('pricing.revenue'), w.baseline.revenue, w.simulated.revenue, money)}
                    {w.simulated.margin &&
                      w.baseline.cost !== null &&
                      row(
                        t('pricing.margin'),
                        w.baseline.revenue - w.baseline.cost,
                        w.simulated.margin,
                        money,
                      )}
                  </tbody>
                </table>
                {w.warnings.map((x) => (
                  <p key={x} className="muted">
                    {x}
                  </p>
                ))}
              </>
            )
          }
        </Async>
      )}
    </>
  );
}

function BreakEvenSection() {
  const { t, num, pct, money } = useApp();
  const [by, setBy] = useState<'cohort' | 'segment'>('cohort');
  const [result, retry] = useApi<BreakEvenResponse>(`/api/profit/break-even?by=${by}`);
  return (
    <>
      <h2>{t('pricing.breakEven')}</h2>
      <p className="muted">{t('pricing.breakEvenNote')}</p>
      <div className="controls">
        <label>
          {t('pricing.breakEvenBy')}{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as 'cohort' | 'segment')}>
            <option value="cohort">{t('pricing.by.cohort')}</option>
            <option value="segment">{t('pricing.by.segment')}</option>
          </select>
        </label>
      </div>
      <Async result={result} retry={retry}>
        {(d) => (
          <table data-testid="break-even">
            <thead>
              <tr>
                <th>{t(`pricing.by.${d.by}`)}</th>
                <th>{t('pricing.customers')}</th>
                <th>{t('pricing.profitable')}</th>
                <th>{t('pricing.atFirstOrder')}</th>
                <th>{t('pricing.medianDays')}</th>
                <th>{t('pricing.profitPerCustomer')}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.group}>
                  <td>{r.group}</td>
                  <td>{num(r.customers)}</td>
                  <td>{pct(r.profitableShare)}</td>
                  <td>{pct(r.profitableAtFirstOrder)}</td>
                  <td>{r.daysToProfit.median === null ? '–' : num(r.daysToProfit.median)}</td>
                  <td>{money(r.profitPerCustomer)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </>
  );
}
