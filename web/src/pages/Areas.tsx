import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type {
  GeoPenetrationResponse,
  GeoPotentialResponse,
  GeoProfileResponse,
  LookalikeResponse,
} from '../../../src/services/http/types.js';
import { apiPost } from '../api.js';
import { Async, Chart, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import type { MessageKey } from '../i18n.js';

type Measure = 'penetration' | 'density' | 'potential';
type Level = 'area' | 'prefix' | 'region' | 'country';

interface MapCell {
  key: string;
  country: string;
  label: string;
  latitude: number;
  longitude: number;
  households: number;
  value: number;
  index: number | null;
}

const BAND_KEYS: Record<string, MessageKey> = {
  'very similar': 'geo.band.verySimilar',
  similar: 'geo.band.similar',
  'somewhat similar': 'geo.band.somewhat',
  'not similar': 'geo.band.not',
};

const MEASURE_KEYS: Record<string, MessageKey> = {
  median_income: 'geo.m.medianIncome',
  purchasing_power_index: 'geo.m.purchasingPower',
  urban_share: 'geo.m.urbanShare',
  mean_age: 'geo.m.meanAge',
};

/** Areas: penetration, segment density and potential on a map drawn from the area coordinates; twins. */
export function AreasPage() {
  const { t } = useApp();
  const [measure, setMeasure] = useState<Measure>('penetration');
  const [level, setLevel] = useState<Level>('area');
  const [draft, setDraft] = useState("rfm_segment = 'Champions'");
  const [segment, setSegment] = useState(draft);
  const q = (s: string) => encodeURIComponent(s);
  const path =
    measure === 'penetration'
      ? `/api/geo/penetration?level=${level}`
      : measure === 'density'
        ? `/api/geo/penetration?level=${level}&segment=${q(segment)}`
        : `/api/geo/potential?level=${level}&seed=${q(segment)}`;
  return (
    <section>
      <h1>{t('geo.title')}</h1>
      <p className="muted">{t('geo.intro')}</p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setSegment(draft);
        }}
      >
        <label>
          {t('geo.measure')}{' '}
          <select
            data-testid="geo-measure"
            value={measure}
            onChange={(e) => setMeasure(e.target.value as Measure)}
          >
            <option value="penetration">{t('geo.measure.penetration')}</option>
            <option value="density">{t('geo.measure.density')}</option>
            <option value="potential">{t('geo.measure.potential')}</option>
          </select>
        </label>{' '}
        <label>
          {t('geo.level')}{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            <option value="area">{t('geo.level.area')}</option>
            <option value="prefix">{t('geo.level.prefix')}</option>
            <option value="region">{t('geo.level.region')}</option>
            <option value="country">{t('geo.level.country')}</option>
          </select>
        </label>{' '}
        <label>
          {t('geo.segment')}{' '}
          <input
            data-testid="geo-segment"
            value={draft}
            size={36}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>{' '}
        <button type="submit">{t('geo.apply')}</button>
      </form>
      <MapView path={path} measure={measure} />
      <ProfileView segment={segment} />
      <TwinsView seed={segment} />
    </section>
  );
}

function MapView({ path, measure }: { path: string; measure: Measure }) {
  const { t, num, money } = useApp();
  const [result, retry] = useApi<GeoPenetrationResponse | GeoPotentialResponse>(path);
  return (
    <Async result={result} retry={retry}>
      {(d) => {
        const cells: MapCell[] = [];
        // Merged cells are named here, in the page's language: "NL 10… (12 areas)".
        const name = (c: (typeof d.cells)[number]) => {
          if (c.level === 'area') return c.label;
          const place = c.key.includes(':') ? c.key.slice(c.key.indexOf(':') + 1).replace('*', '…') : '';
          return t('geo.merged', {
            name:
              c.level === 'prefix' ? `${c.country} ${place}` : place ? `${place} (${c.country})` : c.country,
            areas: num(c.areas),
          });
        };
        for (const c of d.cells) {
          if (c.latitude === null || c.longitude === null) continue;
          const potential = 'potential' in c ? c.potential : null;
          const penetration = 'penetration' in c ? c.penetration : null;
          cells.push({
            key: c.key,
            country: c.country,
            label: name(c),
            latitude: c.latitude,
            longitude: c.longitude,
            households: c.households,
            value: potential ?? 1000 * (penetration ?? 0),
            index: 'index' in c ? c.index : null,
          });
        }
        return (
          <>
            <p className="muted">
              {t('geo.cells', { cells: num(d.cells.length), k: num(d.minCellSize) })}
              {d.suppressed.areas > 0 && ` ${t('geo.suppressed', { areas: num(d.suppressed.areas) })}`}
            </p>
            <AreaMap cells={cells} measure={measure} />
            <Table
              columns={[
                { key: 'label', label: t('geo.area') },
                {
                  key: 'households',
                  label: t('geo.households'),
                  numeric: true,
                  render: (r) => num(r.households),
                },
                {
                  key: 'value',
                  label: t(`geo.legend.${measure}`),
                  numeric: true,
                  render: (r) => (measure === 'potential' ? money(r.value) : num(r.value, 2)),
                },
                ...(measure === 'potential'
                  ? []
                  : [
                      {
                        key: 'index',
                        label: t('geo.index'),
                        numeric: true,
                        render: (r: MapCell) => (r.index === null ? '–' : num(r.index)),
                      },
                    ]),
              ]}
              rows={[...cells].sort((a, b) => b.value - a.value).slice(0, 10)}
            />
          </>
        );
      }}
    </Async>
  );
}

/** Dots at the area coordinates (Mercator fitted to them): colour = the measure, size = households. */
function AreaMap({ cells, measure }: { cells: MapCell[]; measure: Measure }) {
  const { t, num } = useApp();
  const options = useMemo(() => {
    const top = [...cells].sort((a, b) => b.value - a.value).slice(0, 5);
    // Country codes at the household-weighted centre of their cells: orientation without a downloaded basemap.
    const byCountry = new Map<string, { lat: number; lon: number; w: number }>();
    for (const c of cells) {
      const g = byCountry.get(c.country) ?? { lat: 0, lon: 0, w: 0 };
      const w = Math.max(1, c.households);
      byCountry.set(c.country, { lat: g.lat + c.latitude * w, lon: g.lon + c.longitude * w, w: g.w + w });
    }
    const countries = [...byCountry].map(([country, g]) => ({
      country,
      latitude: g.lat / g.w,
      longitude: g.lon / g.w,
    }));
    return {
      height: 520,
      projection: {
        type: 'mercator',
        inset: 24,
        domain: { type: 'MultiPoint', coordinates: cells.map((c) => [c.longitude, c.latitude]) },
      },
      color: {
        type: 'sqrt',
        scheme: measure === 'potential' ? 'oranges' : 'blues',
        legend: true,
        label: t(`geo.legend.${measure}`),
      },
      r: { range: [3, 22] },
      marks: [
        Plot.graticule({ stroke: '#e5e7eb' }),
        Plot.text(countries, {
          x: 'longitude',
          y: 'latitude',
          text: 'country',
          fontSize: 40,
          fontWeight: 700,
          fill: '#9ca3af',
          fillOpacity: 0.35,
        }),
        Plot.dot(cells, {
          x: 'longitude',
          y: 'latitude',
          r: 'households',
          fill: 'value',
          fillOpacity: 0.85,
          stroke: '#374151',
          strokeWidth: 0.5,
          title: (c: MapCell) =>
            `${c.label}\n${t('geo.households')}: ${num(c.households)}\n${t(`geo.legend.${measure}`)}: ${num(c.value, 2)}`,
          tip: true,
        }),
        Plot.text(top, {
          x: 'longitude',
          y: 'latitude',
          text: 'label',
          dy: -16,
          fontSize: 11,
          fontWeight: 600,
          stroke: 'white',
          strokeWidth: 3,
          fill: '#111827',
        }),
      ],
    } as Plot.PlotOptions;
  }, [cells, measure, t, num]);
  return (
    <>
      <Chart options={options} label={t('geo.map', { measure: t(`geo.legend.${measure}`) })} />
      <p className="muted">{t('geo.size')}</p>
    </>
  );
}

function ProfileView({ segment }: { segment: string }) {
  const { t, num } = useApp();
  const [result, retry] = useApi<GeoProfileResponse>(
    `/api/geo/profile?segment=${encodeURIComponent(segment)}`,
  );
  return (
    <>
      <h2>{t('geo.profile')}</h2>
      <Async result={result} retry={retry}>
        {(d) =>
          d.suppressed ? (
            <p className="muted">{t('geo.profileSuppressed', { k: num(d.minCellSize) })}</p>
          ) : (
            <Table
              columns={[
                {
                  key: 'measure',
                  label: t('geo.profileMeasure'),
                  render: (r) =>
                    MEASURE_KEYS[r.measure] ? t(MEASURE_KEYS[r.measure] as MessageKey) : r.measure,
                },
                {
                  key: 'index',
                  label: t('geo.profileIndex'),
                  numeric: true,
                  render: (r) => (r.index === null ? '–' : num(r.index)),
                },
                {
                  key: 'baseIndex',
                  label: t('geo.profileBase'),
                  numeric: true,
                  render: (r) => (r.baseIndex === null ? '–' : num(r.baseIndex)),
                },
              ]}
              rows={d.measures}
            />
          )
        }
      </Async>
    </>
  );
}

function TwinsView({ seed }: { seed: string }) {
  const { t, num, pct, token, lang } = useApp();
  const [target, setTarget] = useState('is_prospect = true');
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'busy' }
    | { kind: 'done'; r: LookalikeResponse }
    | { kind: 'error'; message: string }
  >({ kind: 'idle' });
  const [name, setName] = useState('champion_twins');
  const run = (save?: string) => {
    setState({ kind: 'busy' });
    apiPost<LookalikeResponse>(
      '/api/lookalike',
      token,
      {
        seed,
        target,
        top: 10,
        ...(save ? { save } : {}),
      },
      lang,
    ).then(
      (r) => setState({ kind: 'done', r }),
      (e: Error) => setState({ kind: 'error', message: e.message }),
    );
  };
  return (
    <>
      <h2>{t('geo.twins')}</h2>
      <p className="muted">{t('geo.twins.intro')}</p>
      <label>
        {t('geo.twins.target')} <input value={target} size={30} onChange={(e) => setTarget(e.target.value)} />
      </label>{' '}
      <button type="button" onClick={() => run()} disabled={state.kind === 'busy'}>
        {t('geo.twins.find')}
      </button>{' '}
      <label>
        {t('geo.twins.name')} <input value={name} size={18} onChange={(e) => setName(e.target.value)} />
      </label>{' '}
      <button type="button" onClick={() => run(name)} disabled={state.kind === 'busy' || !name.trim()}>
        {t('geo.twins.save')}
      </button>
      {state.kind === 'busy' && (
        <p className="muted" aria-busy="true">
          {t('common.loading')}
        </p>
      )}
      {state.kind === 'error' && (
        <div className="error" role="alert">
          <strong>{t('common.error')}</strong>
          <p>{state.message}</p>
        </div>
      )}
      {state.kind === 'done' && (
        <div data-testid="twins">
          <p className="muted">
            {t('geo.twins.features', { features: state.r.features.map((f) => f.label).join(', ') })}
          </p>
          <Table
            columns={[
              { key: 'band', label: t('geo.twins.band'), render: (r) => t(BAND_KEYS[r.band] as MessageKey) },
              {
                key: 'minLift',
                label: t('geo.twins.lift'),
                numeric: true,
                render: (r) =>
                  r.maxLift === null
                    ? `≥ ${num(r.minLift, 1)}×`
                    : r.minLift
                      ? `${num(r.minLift, 1)}–${num(r.maxLift, 1)}×`
                      : `< ${num(r.maxLift, 1)}×`,
              },
              {
                key: 'customers',
                label: t('geo.twins.people'),
                numeric: true,
                render: (r) => num(r.customers),
              },
              {
                key: 'observedSeedRate',
                label: t('geo.twins.observed'),
                numeric: true,
                render: (r) => (r.observedSeedRate === null ? '–' : pct(r.observedSeedRate)),
              },
            ]}
            rows={state.r.bands}
          />
          {state.r.saved && (
            <p role="status">
              {t('geo.twins.saved', { name: state.r.saved.segment, members: num(state.r.saved.members) })}
            </p>
          )}
          <h3>{t('geo.twins.top')}</h3>
          <Table
            columns={[
              { key: 'customerId', label: t('geo.twins.person') },
              {
                key: 'similarity',
                label: t('geo.twins.rate'),
                numeric: true,
                render: (r) => pct(r.similarity),
              },
              { key: 'lift', label: t('geo.twins.lift'), numeric: true, render: (r) => `${num(r.lift, 2)}×` },
              { key: 'band', label: t('geo.twins.band'), render: (r) => t(BAND_KEYS[r.band] as MessageKey) },
            ]}
            rows={state.r.rows}
          />
          <h3>{t('geo.twins.drivers')}</h3>
          <ul>
            {state.r.drivers.map((d) => (
              <li key={d.feature}>
                {d.level !== null
                  ? t('geo.driver.level', {
                      feature: d.label,
                      level: d.level,
                      seed: pct(d.seedShare ?? 0),
                      others: pct(d.populationShare ?? 0),
                    })
                  : t('geo.driver.mean', {
                      feature: d.label,
                      ...(state.r.features.find((f) => f.name === d.feature)?.kind === 'yes/no'
                        ? { seed: pct(d.seedMean ?? 0), others: pct(d.populationMean ?? 0) }
                        : { seed: num(d.seedMean ?? 0, 2), others: num(d.populationMean ?? 0, 2) }),
                    })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
