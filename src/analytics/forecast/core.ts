/**
 * Forecasting on typed arrays: one series in, point forecasts with a prediction interval and an honest
 * rolling-origin backtest out. Pure: no I/O, no clock; randomness (simulated intervals) from the given rng.
 *
 * Methods: `ets` (automatic state-space exponential smoothing, AICc selection), `theta`, `snaive` (seasonal
 * naive), and `combination`, the equal-weight mean of ETS and Theta (the kind of simple combination that
 * beat most single methods in the M3 and M4 competitions).
 */
import type { Rng } from '../shared/rng.js';
import { accuracy, maseScale } from './models/accuracy.js';
import { type CalendarFit, calendarMultiplier, fitCalendar } from './models/calendar.js';
import {
  autoEts,
  type EtsFitOptions,
  type EtsModel,
  etsForecast,
  etsPointForecast,
  type IntervalForecast,
} from './models/ets.js';
import { naiveForecast } from './models/naive.js';
import { fitTheta, type ThetaModel, thetaForecast } from './models/theta.js';

export type ForecastMethod = 'ets' | 'theta' | 'snaive' | 'combination';
export const FORECAST_METHODS: readonly ForecastMethod[] = ['combination', 'ets', 'theta', 'snaive'];

export interface ForecastCoreOptions {
  /** Observations per seasonal cycle: 12 monthly, 52 weekly, 4 quarterly, 1 none. */
  period: number;
  horizon: number;
  /** Coverage of the prediction interval, 0–1. */
  level: number;
  method: ForecastMethod;
  /** Sample paths for simulated intervals (default 5000, as `forecast::forecast.ets`). */
  paths?: number;
  /**
   * Fast mode for many series: ETS keeps its initial seasonal states at the decomposition values, has a budget
   * of 1,000 evaluations and no restart; simulated intervals use 1,000 paths.
   */
  fast?: boolean;
  /**
   * Point forecasts only (default false): the intervals are left NaN and never simulated. The backtest scores
   * point forecasts, so it skips them; the rng given is then not drawn from.
   */
  pointOnly?: boolean;
  /**
   * Calendar effects (daily and weekly series): regressors per event covering the series and the horizon
   * (index t from the series' first period), and the short cycle for the baseline (7 days, 1 week). The effects
   * are estimated from the observations given (so a backtest window sees only its own past).
   */
  calendar?: { x: readonly Float64Array[]; lag: number };
}

export interface SeriesForecast {
  method: ForecastMethod;
  /** The model(s) behind it, e.g. `ETS(M,A,M) + Theta`. */
  model: string;
  mean: number[];
  lower: number[];
  upper: number[];
  level: number;
  intervals: 'analytic' | 'simulated' | 'mixed';
  /** The fitted ETS model when one was used (parameters, AICc). */
  ets: EtsModel | null;
  theta: ThetaModel | null;
  /** The calendar effects applied (multiplicative factors per event), or null. */
  calendar: CalendarFit | null;
  warnings: string[];
}

/**
 * ETS in fast mode: initial seasonal states at the decomposition values, 1,000 evaluations, no restart, and the
 * simplex stops when its spread in −2·log L is below 1e-5 relative (R's `optim` default is 1e-8). −2·log L is
 * in the tens or hundreds for these series, so the tolerance is a few thousandths of a unit of AICc, far below
 * any difference that decides a model; it halves the evaluations (bench/RESULTS.md: same mean MASE to 0.3%).
 * The multiplicative-error likelihood takes one logarithm of a running product instead of one per observation.
 */
export const FAST_ETS = {
  initialSeasons: 'heuristic',
  restarts: 0,
  maxEvaluations: 1000,
  reltol: 1e-5,
  productLog: true,
} as const satisfies EtsFitOptions;

/** Forecasts one series. Falls back (and says so) when the data cannot support the method asked for. */
export function forecastCore(y: ArrayLike<number>, options: ForecastCoreOptions, rng: Rng): SeriesForecast {
  const { period, horizon: h, level, method } = options;
  const n = y.length;
  if (options.calendar && n >= 1) {
    // Forecast the calendar-adjusted series, then put the effects back on the forecast and its interval.
    const cal = options.calendar;
    const fit = fitCalendar(y, cal.x, cal.lag);
    const adjusted = Float64Array.from({ length: n }, (_, t) => y[t]! / calendarMultiplier(fit, cal.x, t));
    const inner = forecastCore(adjusted, { ...options, calendar: undefined }, rng);
    for (let i = 0; i < h; i++) {
      const mult = calendarMultiplier(fit, cal.x, n + i);
      inner.mean[i]! *= mult;
      inner.lower[i]! *= mult;
      inner.upper[i]! *= mult;
    }
    inner.calendar = fit;
    return inner;
  }
  const warnings: string[] = [];
  const benchmark = (): SeriesForecast => {
    const m = n >= period + 1 ? period : 1;
    if (m !== period)
      warnings.push(`${n} observations are fewer than one season (${period}) plus one: naive forecast`);
    const f = naiveForecast(y, m, h, level);
    return pack(level, 'snaive', m > 1 ? 'Seasonal naive' : 'Naive', f, null, null, warnings);
  };
  if (n < 1) throw new RangeError('forecastCore: an empty series cannot be forecast');
  if (method === 'snaive' || n < 4) {
    if (method !== 'snaive') warnings.push(`only ${n} observations: seasonal naive instead of ${method}`);
    return benchmark();
  }
  const fitOptions = options.fast ? FAST_ETS : {};
  const ets = method === 'theta' ? null : autoEts(y, period, fitOptions);
  // In the combination Theta follows ETS's (AICc) verdict on seasonality; alone it uses its own ACF test.
  const theta =
    method === 'ets'
      ? null
      : fitTheta(y, period, method === 'combination' && ets ? { seasonal: ets.spec.season !== 'N' } : {});
  const etsF = ets
    ? options.pointOnly
      ? pointsOnly(etsPointForecast(ets, h))
      : etsForecast(ets, h, level, rng, options.paths ?? (options.fast ? 1000 : 5000))
    : null;
  const thetaF = theta ? thetaForecast(theta, h, level) : null;
  if (method === 'ets' || (method === 'combination' && !thetaF)) {
    if (etsF && ets) return pack(level, 'ets', ets.name, etsF, ets, null, warnings);
  }
  if (method === 'theta' || (method === 'combination' && !etsF)) {
    if (thetaF && theta) {
      if (method !== 'theta') warnings.push('no ETS model could be fitted: Theta alone');
      return pack(level, 'theta', 'Theta', thetaF, null, theta, warnings);
    }
  }
  if (etsF && thetaF && ets && theta) {
    // Equal weights for the means; the interval bounds are averaged too (exact when the two forecast errors
    // are perfectly correlated, conservative otherwise).
    const mix = (a: Float64Array, b: Float64Array) => a.map((v, i) => (v + b[i]!) / 2);
    const f: IntervalForecast = {
      mean: mix(etsF.mean, thetaF.mean),
      lower: mix(etsF.lower, thetaF.lower),
      upper: mix(etsF.upper, thetaF.upper),
      intervals: etsF.intervals === 'analytic' ? 'analytic' : 'simulated',
    };
    const out = pack(level, 'combination', `${ets.name} + Theta`, f, ets, theta, warnings);
    if (etsF.intervals !== 'analytic') out.intervals = 'mixed';
    return out;
  }
  warnings.push(`${method} could not be fitted to these ${n} observations: seasonal naive instead`);
  return benchmark();
}

function pointsOnly(mean: Float64Array): IntervalForecast {
  const none = new Float64Array(mean.length).fill(Number.NaN);
  return { mean, lower: none, upper: none, intervals: 'analytic' };
}

function pack(
  level: number,
  method: ForecastMethod,
  model: string,
  f: IntervalForecast,
  ets: EtsModel | null,
  theta: ThetaModel | null,
  warnings: string[],
): SeriesForecast {
  return {
    method,
    model,
    mean: Array.from(f.mean),
    lower: Array.from(f.lower),
    upper: Array.from(f.upper),
    level,
    intervals: f.intervals,
    ets,
    theta,
    calendar: null,
    warnings,
  };
}

export interface BacktestOptions extends ForecastCoreOptions {
  /** Number of forecast origins (default 3). */
  origins?: number;
  /** Shortest training window allowed (default max(period + 2, 8): one season plus two). */
  minTrain?: number;
}

export interface BacktestOrigin {
  /** Observations the fit saw: y[0 … train − 1]. */
  train: number;
  forecast: number[];
  benchmark: number[];
  actual: number[];
}

export interface BacktestResult {
  method: ForecastMethod;
  horizon: number;
  origins: BacktestOrigin[];
  /** Mean MASE / sMAPE (%) of the method over the origins; null when no origin fits. */
  mase: number | null;
  smape: number | null;
  /** The same for seasonal naive. */
  benchmarkMase: number | null;
  benchmarkSmape: number | null;
  /** mase / benchmarkMase: below 1 the method beat seasonal naive. */
  relativeMase: number | null;
  /** `better` (relative MASE < 0.95), `similar`, `worse` (> 1.05), or `insufficient` data. */
  verdict: 'better' | 'similar' | 'worse' | 'insufficient';
}

/**
 * Rolling-origin evaluation (Tashman 2000): for each origin the method is fitted on y[0 … train − 1] only
 * (a copy: nothing later is reachable), forecasts the next `horizon` values, and is scored with MASE (scaled by
 * that training window's own lag-m differences) and sMAPE against seasonal naive from the same origin. The
 * last origin's window ends at the last observation; earlier ones step back ⌈horizon / origins⌉ each.
 */
export function backtestCore(y: ArrayLike<number>, options: BacktestOptions, rng: Rng): BacktestResult {
  const n = y.length;
  const h = options.horizon;
  const k = options.origins ?? 3;
  const minTrain = options.minTrain ?? Math.max(options.period + 2, 8);
  const step = Math.max(1, Math.ceil(h / k));
  const origins: BacktestOrigin[] = [];
  const scores: { mase: number; smape: number; bMase: number; bSmape: number }[] = [];
  for (let i = k - 1; i >= 0; i--) {
    const train = n - h - i * step;
    if (train < minTrain) continue;
    const history = Float64Array.from({ length: train }, (_, t) => y[t]!);
    const actual = Array.from({ length: h }, (_, j) => y[train + j]!);
    const f = forecastCore(history, { ...options, pointOnly: true }, rng.fork());
    const m = train > options.period ? options.period : 1;
    const b = naiveForecast(history, m, h, options.level);
    const scale = maseScale(history, m);
    const a = accuracy(actual, f.mean, scale);
    const ab = accuracy(actual, b.mean, scale);
    origins.push({ train, forecast: f.mean, benchmark: Array.from(b.mean), actual });
    if (Number.isFinite(a.mase) && Number.isFinite(ab.mase))
      scores.push({ mase: a.mase, smape: a.smape, bMase: ab.mase, bSmape: ab.smape });
  }
  const avg = (pick: (s: (typeof scores)[number]) => number) =>
    scores.length ? scores.reduce((s, x) => s + pick(x), 0) / scores.length : null;
  const mase = avg((s) => s.mase);
  const benchmarkMase = avg((s) => s.bMase);
  const relativeMase =
    mase !== null && benchmarkMase !== null && benchmarkMase > 0 ? mase / benchmarkMase : null;
  return {
    method: options.method,
    horizon: h,
    origins,
    mase,
    smape: avg((s) => s.smape),
    benchmarkMase,
    benchmarkSmape: avg((s) => s.bSmape),
    relativeMase,
    verdict:
      relativeMase === null
        ? 'insufficient'
        : relativeMase < 0.95
          ? 'better'
          : relativeMase > 1.05
            ? 'worse'
            : 'similar',
  };
}
