/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) in Hyndman & Billah's (2003) form: simple exponential
 * smoothing plus a drift of half the slope of a straight line through the data,
 *   ŷ_{n+h} = ℓ_n + (b/2)·((h − 1) + (1 − (1 − α)^n)/α),
 * on data seasonally adjusted by classical multiplicative decomposition when the lag-m autocorrelation is
 * significant at 90% (as `forecast::thetaf` and the M3/M4 benchmark). Intervals are those of SES,
 * σ²(1 + (h − 1)α²), reseasonalised with the point forecast.
 */
import { isSeasonal, seasonalFigure } from './decompose.js';
import { fitEts, type IntervalForecast } from './ets.js';
import { normalQuantile } from './normal.js';

export interface ThetaModel {
  alpha: number;
  /** Final SES level (seasonally adjusted units). */
  level: number;
  /** Half the least-squares slope. */
  drift: number;
  sigma2: number;
  n: number;
  period: number;
  /** Multiplicative seasonal figure per cycle position (time index mod m), or null when not seasonal. */
  seasonal: number[] | null;
}

/**
 * `seasonal`: force the seasonal adjustment on (true) or off (false) instead of the autocorrelation test (the
 * combination passes the ETS selection's verdict: the 90% test misses smooth seasons in short series).
 */
export function fitTheta(
  y: ArrayLike<number>,
  period: number,
  options: { seasonal?: boolean } = {},
): ThetaModel | null {
  const n = y.length;
  if (n < 3) return null;
  let positive = true;
  for (let t = 0; t < n; t++) if (!(y[t]! > 0)) positive = false;
  let figure: Float64Array | null = null;
  const seasonal = options.seasonal ?? isSeasonal(y, period);
  if (positive && period > 1 && n >= 2 * period && seasonal) {
    figure = seasonalFigure(y, period, 'multiplicative');
    if (figure.some((v) => !(Math.abs(v) > 1e-4))) figure = null;
  }
  const adjusted = new Float64Array(n);
  for (let t = 0; t < n; t++) adjusted[t] = figure ? y[t]! / figure[t % period]! : y[t]!;
  const ses = fitEts(adjusted, { error: 'A', trend: 'N', season: 'N' }, 1);
  if (!ses) return null;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < n; t++) {
    sx += t;
    sy += adjusted[t]!;
    sxx += t * t;
    sxy += t * adjusted[t]!;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return {
    alpha: Math.max(1e-10, ses.alpha),
    level: ses.final.level,
    drift: slope / 2,
    sigma2: ses.sigma2,
    n,
    period,
    seasonal: figure ? Array.from(figure) : null,
  };
}

export function thetaForecast(model: ThetaModel, h: number, level: number): IntervalForecast {
  const { alpha, n } = model;
  const mean = new Float64Array(h);
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  const z = normalQuantile(0.5 + level / 2);
  const tail = (1 - (1 - alpha) ** n) / alpha;
  for (let i = 0; i < h; i++) {
    const s = model.seasonal ? model.seasonal[(n + i) % model.period]! : 1;
    const f = model.level + model.drift * (i + tail);
    const se = Math.sqrt(model.sigma2 * (1 + i * alpha * alpha));
    mean[i] = f * s;
    lower[i] = (f - z * se) * s;
    upper[i] = (f + z * se) * s;
  }
  return { mean, lower, upper, intervals: 'analytic' };
}
