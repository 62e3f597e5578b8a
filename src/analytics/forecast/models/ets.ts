/**
 * Exponential smoothing in state-space form (Hyndman, Koehler, Snyder & Grose 2002; Hyndman, Koehler, Ord &
 * Snyder 2008, "Forecasting with Exponential Smoothing"): additive or multiplicative error, no/additive/damped
 * trend, no/additive/multiplicative season. Parameters and initial states are fitted by maximum likelihood, the
 * way `forecast::ets` does: minimise n·log(Σε²) (+ 2·Σlog|ŷ| for multiplicative error) with Nelder–Mead inside
 * the "usual" bounds 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98; the model is chosen by AICc.
 *
 * Seasons are kept in a circular buffer: `seasons[j]` is the seasonal state for time indices ≡ j (mod m).
 */
import type { Rng } from '../../shared/rng.js';
import { seasonalFigure } from './decompose.js';
import { nelderMead } from './nelder-mead.js';
import { normalQuantile } from './normal.js';

export type EtsErrorType = 'A' | 'M';
export type EtsTrendType = 'N' | 'A' | 'Ad';
export type EtsSeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: EtsErrorType;
  trend: EtsTrendType;
  season: EtsSeasonType;
}

export interface EtsModel {
  spec: EtsSpec;
  /** `ETS(M,Ad,M)` */
  name: string;
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  initial: { level: number; slope: number; seasons: number[] };
  /** States after the last observation. */
  final: { level: number; slope: number; seasons: number[] };
  /** Number of observations fitted. */
  n: number;
  /** Residual variance (of relative errors for multiplicative error), Σε²/(n − k). */
  sigma2: number;
  logLik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Parameters counted in the information criteria (smoothing, initial states, σ). */
  k: number;
  /** In-sample one-step mean squared error, in the data's units. */
  mse: number;
  evaluations: number;
  converged: boolean;
}

const LOWER = [1e-4, 1e-4, 1e-4, 0.8];
const UPPER = [0.9999, 0.9999, 0.9999, 0.98];
const HUGE = 1e10;

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/** Parses `ETS(M,Ad,M)` or `MAdM`-style names; null when not one. */
export function parseEtsName(name: string): EtsSpec | null {
  const m = /^(?:ETS\()?([AM]),?(N|A|Ad),?([NAM])\)?$/.exec(name.trim());
  if (!m) return null;
  return { error: m[1] as EtsErrorType, trend: m[2] as EtsTrendType, season: m[3] as EtsSeasonType };
}

interface Layout {
  hasTrend: boolean;
  hasSeason: boolean;
  damped: boolean;
  m: number;
  /** Offsets in the parameter vector. */
  iBeta: number;
  iGamma: number;
  iPhi: number;
  iLevel: number;
  iSlope: number;
  iSeason: number;
  size: number;
}

function layoutOf(spec: EtsSpec, period: number, fitSeasons = true): Layout {
  const hasTrend = spec.trend !== 'N';
  const hasSeason = spec.season !== 'N';
  const damped = spec.trend === 'Ad';
  const m = hasSeason ? period : 1;
  let i = 1;
  const iBeta = hasTrend ? i++ : -1;
  const iGamma = hasSeason ? i++ : -1;
  const iPhi = damped ? i++ : -1;
  const iLevel = i++;
  const iSlope = hasTrend ? i++ : -1;
  const iSeason = hasSeason && fitSeasons ? i : -1;
  if (iSeason >= 0) i += m - 1;
  return { hasTrend, hasSeason, damped, m, iBeta, iGamma, iPhi, iLevel, iSlope, iSeason, size: i };
}

/** Where `runFilter` leaves its by-products: [Σε², Σ(y − ŷ)², final level, final slope]. */
const SSE = 0;
const SSE_DATA = 1;
const LEVEL = 2;
const SLOPE = 3;

/**
 * Runs the filter over y from the given parameters and returns n·log(Σε²) + 2·Σlog|ŷ| (M error), or +∞ when the
 * states leave the admissible range; writes the final seasonal states into `seasons` (which holds the initial
 * ones on entry, one per cycle position) and Σε², Σ(y − ŷ)², the final level and slope into `out`.
 * Allocation-free: it runs thousands of times per fit. Each error × season kind has its own loop without
 * branches on the form; the arithmetic (and so every result) is that of the textbook recursion, in the same
 * order as the single general loop this replaced (the fixed-forecast test holds them to 1e-9).
 */
function runFilter(
  y: Float64Array,
  errorM: boolean,
  trendKind: number,
  seasonKind: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  seasons: Float64Array,
  sseFloor: number,
  out: Float64Array,
  productLog = false,
): number {
  // One straight-line loop per error × season kind, with the trend folded in (see below).
  const phiUse = trendKind === 2 ? phi : 1;
  const betaStar = trendKind !== 0 ? beta / alpha : 0;
  const b0 = trendKind !== 0 ? slope0 : 0;
  if (seasonKind !== 2) {
    // No or additive season; no season is the additive loop with m = 1, s = 0 and γ = 0, and no trend is
    // φ = 1, b = 0, β* = 0: every sum and product then reproduces the general loop's numbers exactly.
    if (seasonKind === 0) {
      seasons[0] = 0;
      return errorM
        ? filterAdditiveM(y, 1, alpha, betaStar, 0, phiUse, level0, b0, seasons, sseFloor, out, productLog)
        : filterAdditiveA(y, 1, alpha, betaStar, 0, phiUse, level0, b0, seasons, sseFloor, out);
    }
    return errorM
      ? filterAdditiveM(y, m, alpha, betaStar, gamma, phiUse, level0, b0, seasons, sseFloor, out, productLog)
      : filterAdditiveA(y, m, alpha, betaStar, gamma, phiUse, level0, b0, seasons, sseFloor, out);
  }
  return errorM
    ? filterMultiplicativeM(
        y,
        m,
        alpha,
        betaStar,
        gamma,
        phiUse,
        level0,
        b0,
        seasons,
        sseFloor,
        out,
        productLog,
      )
    : filterMultiplicativeA(y, m, alpha, betaStar, gamma, phiUse, level0, b0, seasons, sseFloor, out);
}

/** Additive error, additive (or no) season: Σε² only. */
function filterAdditiveA(
  y: Float64Array,
  m: number,
  alpha: number,
  betaStar: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  seasons: Float64Array,
  sseFloor: number,
  out: Float64Array,
): number {
  const n = y.length;
  let l = level0;
  let b = slope0;
  let sse = 0;
  let j = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const phib = phi * b;
    const q = l + phib;
    const s = seasons[j]!;
    const e = yt - (q + s);
    sse += e * e;
    const lNew = q + alpha * (yt - s - q);
    b = phib + betaStar * (lNew - l - phib);
    seasons[j] = s + gamma * (yt - q - s);
    l = lNew;
    if (++j === m) j = 0;
  }
  out[SSE] = sse;
  out[SSE_DATA] = sse;
  out[LEVEL] = l;
  out[SLOPE] = b;
  const lik = n * Math.log(Math.max(sse, sseFloor));
  return Number.isFinite(lik) ? lik : Number.POSITIVE_INFINITY;
}

/** Multiplicative error, additive (or no) season. */
function filterAdditiveM(
  y: Float64Array,
  m: number,
  alpha: number,
  betaStar: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  seasons: Float64Array,
  sseFloor: number,
  out: Float64Array,
  productLog: boolean,
): number {
  const n = y.length;
  let l = level0;
  let b = slope0;
  let sse = 0;
  let sseData = 0;
  let sumLog = 0;
  let prod = 1;
  let j = 0;
  let ok = true;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const phib = phi * b;
    const q = l + phib;
    const s = seasons[j]!;
    const f = q + s;
    const af = Math.abs(f);
    if (!(af > 1e-10)) {
      ok = false;
      break;
    }
    const d = yt - f;
    const e = d / f;
    if (productLog && af < 1e100) {
      prod *= af;
      if (prod > 1e200 || prod < 1e-200) {
        sumLog += Math.log(prod);
        prod = 1;
      }
    } else sumLog += Math.log(af);
    sse += e * e;
    sseData += d * d;
    const lNew = q + alpha * (yt - s - q);
    b = phib + betaStar * (lNew - l - phib);
    seasons[j] = s + gamma * (yt - q - s);
    l = lNew;
    if (++j === m) j = 0;
  }
  out[SSE] = sse;
  out[SSE_DATA] = sseData;
  out[LEVEL] = l;
  out[SLOPE] = b;
  if (!ok) return Number.POSITIVE_INFINITY;
  if (prod !== 1) sumLog += Math.log(prod);
  const lik = n * Math.log(Math.max(sse, sseFloor)) + 2 * sumLog;
  return Number.isFinite(lik) ? lik : Number.POSITIVE_INFINITY;
}

/** Multiplicative error, multiplicative season. */
function filterMultiplicativeM(
  y: Float64Array,
  m: number,
  alpha: number,
  betaStar: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  seasons: Float64Array,
  sseFloor: number,
  out: Float64Array,
  productLog: boolean,
): number {
  const n = y.length;
  let l = level0;
  let b = slope0;
  let sse = 0;
  let sseData = 0;
  let sumLog = 0;
  let prod = 1;
  let j = 0;
  let ok = true;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const phib = phi * b;
    const q = l + phib;
    const s = seasons[j]!;
    const f = q * s;
    const af = Math.abs(f);
    if (!(af > 1e-10) || !(s > 1e-10) || !(Math.abs(q) > 1e-10)) {
      ok = false;
      break;
    }
    const d = yt - f;
    const e = d / f;
    if (productLog && af < 1e100) {
      prod *= af;
      if (prod > 1e200 || prod < 1e-200) {
        sumLog += Math.log(prod);
        prod = 1;
      }
    } else sumLog += Math.log(af);
    sse += e * e;
    sseData += d * d;
    const lNew = q + alpha * (yt / s - q);
    b = phib + betaStar * (lNew - l - phib);
    seasons[j] = s + gamma * (yt / q - s);
    l = lNew;
    if (++j === m) j = 0;
  }
  out[SSE] = sse;
  out[SSE_DATA] = sseData;
  out[LEVEL] = l;
  out[SLOPE] = b;
  if (!ok) return Number.POSITIVE_INFINITY;
  if (prod !== 1) sumLog += Math.log(prod);
  const lik = n * Math.log(Math.max(sse, sseFloor)) + 2 * sumLog;
  return Number.isFinite(lik) ? lik : Number.POSITIVE_INFINITY;
}

/** Additive error, multiplicative season (not among the default candidates). */
function filterMultiplicativeA(
  y: Float64Array,
  m: number,
  alpha: number,
  betaStar: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  seasons: Float64Array,
  sseFloor: number,
  out: Float64Array,
): number {
  const n = y.length;
  let l = level0;
  let b = slope0;
  let sse = 0;
  let j = 0;
  let ok = true;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const phib = phi * b;
    const q = l + phib;
    const s = seasons[j]!;
    const e = yt - q * s;
    sse += e * e;
    if (!(s > 1e-10) || !(Math.abs(q) > 1e-10)) {
      ok = false;
      break;
    }
    const lNew = q + alpha * (yt / s - q);
    b = phib + betaStar * (lNew - l - phib);
    seasons[j] = s + gamma * (yt / q - s);
    l = lNew;
    if (++j === m) j = 0;
  }
  out[SSE] = sse;
  out[SSE_DATA] = sse;
  out[LEVEL] = l;
  out[SLOPE] = b;
  if (!ok) return Number.POSITIVE_INFINITY;
  const lik = n * Math.log(Math.max(sse, sseFloor));
  return Number.isFinite(lik) ? lik : Number.POSITIVE_INFINITY;
}

const TREND_KIND: Readonly<Record<EtsTrendType, number>> = { N: 0, A: 1, Ad: 2 };
const SEASON_KIND: Readonly<Record<EtsSeasonType, number>> = { N: 0, A: 1, M: 2 };

/** Initial states as `forecast::ets` starts them: classical decomposition of the first three years, a line through the first ten adjusted values. */
function initialStates(
  y: ArrayLike<number>,
  spec: EtsSpec,
  period: number,
): { level: number; slope: number; seasons: Float64Array } {
  const n = y.length;
  const hasSeason = spec.season !== 'N';
  const m = hasSeason ? period : 1;
  let seasons: Float64Array = new Float64Array(m);
  let adjusted: Float64Array;
  if (hasSeason) {
    const span = Math.min(n, 3 * m);
    const head = Array.prototype.slice.call(y, 0, span) as number[];
    seasons = seasonalFigure(head, m, spec.season === 'A' ? 'additive' : 'multiplicative');
    if (spec.season === 'M') for (let j = 0; j < m; j++) seasons[j] = Math.max(seasons[j]!, 1e-2);
    adjusted = new Float64Array(span);
    for (let t = 0; t < span; t++)
      adjusted[t] = spec.season === 'A' ? y[t]! - seasons[t % m]! : y[t]! / seasons[t % m]!;
  } else {
    seasons.fill(spec.season === 'M' ? 1 : 0);
    adjusted = Float64Array.from(y as ArrayLike<number>);
  }
  const maxn = Math.min(Math.max(10, 2 * m), adjusted.length);
  if (spec.trend === 'N') {
    let mean = 0;
    for (let t = 0; t < maxn; t++) mean += adjusted[t]! / maxn;
    return { level: mean, slope: 0, seasons };
  }
  // Least-squares line through (1, a_1) … (maxn, a_maxn); level at time 0 is the intercept.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < maxn; t++) {
    const x = t + 1;
    sx += x;
    sy += adjusted[t]!;
    sxx += x * x;
    sxy += x * adjusted[t]!;
  }
  const slope = maxn > 1 ? (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx) : 0;
  let level = (sy - slope * sx) / maxn;
  let b = slope;
  if (Math.abs(level + b) < 1e-8) {
    level *= 1 + 1e-3;
    b *= 1 - 1e-3;
  }
  return { level, slope: b, seasons };
}

export interface EtsFitOptions {
  /** Nelder–Mead evaluation budget (default 2000, as `forecast::ets`). */
  maxEvaluations?: number;
  /** Restarts from the best point with a fresh simplex, each with half the budget (default 1). */
  restarts?: number;
  /**
   * `fit` (default, as `forecast::ets`): the m − 1 free initial seasonal states are estimated with the rest;
   * `heuristic`: they stay at the classical-decomposition values, which leaves at most six values to the
   * optimiser (the fast mode for many series).
   */
  initialSeasons?: 'fit' | 'heuristic';
  /** Nelder–Mead's relative convergence tolerance on the objective (default 1e-8, as `optim`). */
  reltol?: number;
  /**
   * Σ log|ŷ| (multiplicative error) as the logarithm of a running product, taken when the product nears the
   * ends of the double range: one logarithm per series instead of one per observation. Equal to the sum of
   * logarithms up to rounding (the product's relative error is a few ulps per observation, smaller than the
   * sum's); not bit-identical, so it is off by default and on in fast mode.
   */
  productLog?: boolean;
}

/** Fits one ETS model by maximum likelihood; null when the data cannot support it (too short, or non-positive data for a multiplicative part). */
export function fitEts(
  data: ArrayLike<number>,
  spec: EtsSpec,
  period: number,
  options: EtsFitOptions = {},
): EtsModel | null {
  const y = data instanceof Float64Array ? data : Float64Array.from(data);
  const n = y.length;
  const heuristic = options.initialSeasons === 'heuristic';
  const L = layoutOf(spec, period, !heuristic);
  // Heuristic seasonal states were still estimated from the data: they count in the information criteria.
  const k = L.size + 1 + (heuristic && L.hasSeason ? L.m - 1 : 0);
  if (L.hasSeason && (period < 2 || n < period + 2)) return null;
  if (n <= k + 1) return null;
  if (spec.error === 'M' || spec.season === 'M') for (let t = 0; t < n; t++) if (!(y[t]! > 0)) return null;
  const init = initialStates(y, spec, period);
  const m = L.m;
  const x0 = new Float64Array(L.size);
  x0[0] = LOWER[0]! + (0.2 * (UPPER[0]! - LOWER[0]!)) / period;
  if (L.hasTrend) x0[L.iBeta] = LOWER[1]! + 0.1 * (Math.min(UPPER[1]!, x0[0]!) - LOWER[1]!);
  if (L.hasSeason) x0[L.iGamma] = LOWER[2]! + 0.05 * (Math.min(UPPER[2]!, 1 - x0[0]!) - LOWER[2]!);
  if (L.damped) x0[L.iPhi] = LOWER[3]! + 0.99 * (UPPER[3]! - LOWER[3]!);
  x0[L.iLevel] = init.level;
  if (L.hasTrend) x0[L.iSlope] = init.slope;
  if (L.iSeason >= 0) for (let j = 1; j < m; j++) x0[L.iSeason + j - 1] = init.seasons[j]!;
  const steps = new Float64Array(L.size);
  let scale = 0;
  for (let t = 0; t < Math.min(n, 2 * m + 10); t++) scale = Math.max(scale, Math.abs(y[t]!));
  for (let i = 0; i < L.size; i++) {
    if (i < L.iLevel) steps[i] = i === L.iPhi ? 0.02 : 0.05;
    else if (i === L.iLevel) steps[i] = 0.1 * Math.max(Math.abs(x0[i]!), 1e-3 * scale, 1e-8);
    else if (i === L.iSlope)
      steps[i] = 0.1 * Math.max(Math.abs(x0[i]!), 1e-3 * Math.abs(x0[L.iLevel]!), 1e-8);
    else steps[i] = spec.season === 'M' ? 0.02 : 0.1 * Math.max(Math.abs(x0[i]!), 1e-3 * scale, 1e-8);
  }
  const seasons = new Float64Array(m);
  const scratch = new Float64Array(4);
  const productLog = options.productLog ?? false;
  const errorM = spec.error === 'M';
  const trendKind = TREND_KIND[spec.trend];
  const seasonKind = SEASON_KIND[spec.season];
  // Relative errors (M) are unit-free; additive ones scale with the data.
  let meanAbs = 0;
  for (let t = 0; t < n; t++) meanAbs += Math.abs(y[t]!) / n;
  const sseFloor = n * (1e-9 * (spec.error === 'M' ? 1 : meanAbs)) ** 2 + Number.MIN_VALUE;
  const unpack = (x: Float64Array): boolean => {
    if (L.hasSeason && L.iSeason < 0) seasons.set(init.seasons);
    else if (L.hasSeason) {
      let sum = 0;
      for (let j = 1; j < m; j++) {
        seasons[j] = x[L.iSeason + j - 1]!;
        sum += seasons[j]!;
      }
      seasons[0] = spec.season === 'A' ? -sum : m - sum;
      if (spec.season === 'M') for (let j = 0; j < m; j++) if (!(seasons[j]! > 0)) return false;
    } else seasons[0] = 0;
    return true;
  };
  const objective = (x: Float64Array): number => {
    const alpha = x[0]!;
    if (!(alpha >= LOWER[0]! && alpha <= UPPER[0]!)) return HUGE;
    const beta = L.hasTrend ? x[L.iBeta]! : 0;
    if (L.hasTrend && !(beta >= LOWER[1]! && beta <= alpha && beta <= UPPER[1]!)) return HUGE;
    const gamma = L.hasSeason ? x[L.iGamma]! : 0;
    if (L.hasSeason && !(gamma >= LOWER[2]! && gamma <= 1 - alpha && gamma <= UPPER[2]!)) return HUGE;
    const phi = L.damped ? x[L.iPhi]! : 1;
    if (L.damped && !(phi >= LOWER[3]! && phi <= UPPER[3]!)) return HUGE;
    if (!unpack(x)) return HUGE;
    const lik = runFilter(
      y,
      errorM,
      trendKind,
      seasonKind,
      m,
      alpha,
      beta,
      gamma,
      phi,
      x[L.iLevel]!,
      L.hasTrend ? x[L.iSlope]! : 0,
      seasons,
      sseFloor,
      scratch,
      productLog,
    );
    return Number.isFinite(lik) ? lik : HUGE;
  };
  const budget = options.maxEvaluations ?? 2000;
  const reltol = options.reltol ?? 1e-8;
  let opt = nelderMead(objective, x0, { maxEvaluations: budget, steps, reltol });
  // A restart from the best point with a fresh simplex escapes a collapsed one (common in 10+ dimensions).
  for (let r = 0; r < (options.restarts ?? 1); r++) {
    const again = nelderMead(objective, opt.x, { maxEvaluations: budget / 2, steps, reltol });
    const evaluations = opt.evaluations + again.evaluations;
    opt = again.f <= opt.f ? { ...again, evaluations } : { ...opt, evaluations };
  }
  if (!(opt.f < HUGE)) return null;
  const x = opt.x;
  unpack(x);
  const initialSeasons = Array.from(seasons);
  const alpha = x[0]!;
  const beta = L.hasTrend ? x[L.iBeta]! : 0;
  const gamma = L.hasSeason ? x[L.iGamma]! : 0;
  const phi = L.damped ? x[L.iPhi]! : 1;
  const level0 = x[L.iLevel]!;
  const slope0 = L.hasTrend ? x[L.iSlope]! : 0;
  const lik = runFilter(
    y,
    errorM,
    trendKind,
    seasonKind,
    m,
    alpha,
    beta,
    gamma,
    phi,
    level0,
    slope0,
    seasons,
    sseFloor,
    scratch,
    productLog,
  );
  // -2 log L = lik + n·(log(2π/n) + 1), the constant `forecast::ets` adds.
  const logLik = -0.5 * (lik + n * (Math.log((2 * Math.PI) / n) + 1));
  const aic = -2 * logLik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
  const bic = -2 * logLik + Math.log(n) * k;
  return {
    spec,
    name: etsName(spec),
    period: m,
    alpha,
    beta,
    gamma,
    phi,
    initial: { level: level0, slope: slope0, seasons: initialSeasons },
    final: { level: scratch[LEVEL]!, slope: scratch[SLOPE]!, seasons: Array.from(seasons) },
    n,
    sigma2: scratch[SSE]! / Math.max(1, n - k),
    logLik,
    aic,
    aicc,
    bic,
    k,
    mse: scratch[SSE_DATA]! / n,
    evaluations: opt.evaluations,
    converged: opt.converged,
  };
}

/** The candidate models `forecast::ets` tries by default (no multiplicative trend; no additive error with multiplicative season). */
export function etsCandidates(y: ArrayLike<number>, period: number): EtsSpec[] {
  let positive = true;
  for (let t = 0; t < y.length; t++) if (!(y[t]! > 0)) positive = false;
  const seasonal = period > 1 && period <= 24 && y.length >= period + 2;
  const out: EtsSpec[] = [];
  for (const error of ['A', 'M'] as const)
    for (const trend of ['N', 'A', 'Ad'] as const)
      for (const season of ['N', 'A', 'M'] as const) {
        if (season !== 'N' && !seasonal) continue;
        if ((error === 'M' || season === 'M') && !positive) continue;
        if (error === 'A' && season === 'M') continue;
        out.push({ error, trend, season });
      }
  return out;
}

/** Fits every candidate and keeps the lowest AICc; null when none can be fitted. */
export function autoEts(
  y: ArrayLike<number>,
  period: number,
  options: EtsFitOptions & { candidates?: readonly EtsSpec[] } = {},
): EtsModel | null {
  let best: EtsModel | null = null;
  for (const spec of options.candidates ?? etsCandidates(y, period)) {
    const fit = fitEts(y, spec, period, options);
    if (fit && Number.isFinite(fit.aicc) && (best === null || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}

/** Point forecasts for horizons 1…h (the recursion with future errors set to 0). */
export function etsPointForecast(model: EtsModel, h: number): Float64Array {
  const { spec, phi } = model;
  const m = model.period;
  const out = new Float64Array(h);
  const l = model.final.level;
  const b = model.final.slope;
  let phiSum = 0;
  let phiPow = 1;
  for (let i = 0; i < h; i++) {
    if (spec.trend === 'A') phiSum = i + 1;
    else if (spec.trend === 'Ad') {
      phiPow *= phi;
      phiSum += phiPow;
    }
    let f = spec.trend === 'N' ? l : l + phiSum * b;
    const s = model.final.seasons[(model.n + i) % m] ?? 0;
    if (spec.season === 'A') f += s;
    else if (spec.season === 'M') f *= s;
    out[i] = f;
  }
  return out;
}

export interface IntervalForecast {
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** How the interval was obtained. */
  intervals: 'analytic' | 'simulated';
}

/**
 * Point forecasts and prediction intervals at `level` (0–1). Linear models (additive error, no multiplicative
 * season: class 1 of Hyndman et al. 2008, ch. 6) get the analytic variance σ²(1 + Σ_{j<h} c_j²) with
 * c_j = α + β·φ_j + γ·[j ≡ 0 mod m]; the others are simulated (`paths` sample paths with Gaussian errors).
 */
export function etsForecast(
  model: EtsModel,
  h: number,
  level: number,
  rng: Rng,
  paths = 5000,
): IntervalForecast {
  const mean = etsPointForecast(model, h);
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  const z = normalQuantile(0.5 + level / 2);
  const { spec } = model;
  if (spec.error === 'A' && spec.season !== 'M') {
    let sumC2 = 0;
    let phiJ = 0;
    let phiPow = 1;
    for (let i = 0; i < h; i++) {
      const se = Math.sqrt(model.sigma2 * (1 + sumC2));
      lower[i] = mean[i]! - z * se;
      upper[i] = mean[i]! + z * se;
      const j = i + 1;
      if (spec.trend === 'A') phiJ = j;
      else if (spec.trend === 'Ad') {
        phiPow *= model.phi;
        phiJ += phiPow;
      }
      const c =
        model.alpha +
        (spec.trend === 'N' ? 0 : model.beta * phiJ) +
        (spec.season === 'A' && j % model.period === 0 ? model.gamma : 0);
      sumC2 += c * c;
    }
    return { mean, lower, upper, intervals: 'analytic' };
  }
  const draws = simulateEts(model, h, paths, rng);
  const column = new Float64Array(paths);
  const lo = (1 - level) / 2;
  for (let i = 0; i < h; i++) {
    for (let p = 0; p < paths; p++) column[p] = draws[p * h + i]!;
    column.sort();
    lower[i] = quantileSorted(column, lo);
    upper[i] = quantileSorted(column, 1 - lo);
  }
  return { mean, lower, upper, intervals: 'simulated' };
}

/** Sample paths from the fitted model, row-major (path × horizon). */
export function simulateEts(model: EtsModel, h: number, paths: number, rng: Rng): Float64Array {
  const { spec, alpha, beta, gamma } = model;
  const m = model.period;
  const phi = spec.trend === 'Ad' ? model.phi : 1;
  const sigma = Math.sqrt(model.sigma2);
  const out = new Float64Array(paths * h);
  const seasons = new Float64Array(m);
  const trend = spec.trend !== 'N';
  for (let p = 0; p < paths; p++) {
    let l = model.final.level;
    let b = model.final.slope;
    for (let j = 0; j < m; j++) seasons[j] = model.final.seasons[j] ?? 0;
    for (let i = 0; i < h; i++) {
      const j = (model.n + i) % m;
      const phib = trend ? phi * b : 0;
      const q = l + phib;
      const s = seasons[j]!;
      const f = spec.season === 'A' ? q + s : spec.season === 'M' ? q * s : q;
      const e = sigma * rng.normal();
      const yt = spec.error === 'M' ? f * (1 + e) : f + e;
      out[p * h + i] = yt;
      const pAdj = spec.season === 'M' ? yt / s : spec.season === 'A' ? yt - s : yt;
      const lNew = q + alpha * (pAdj - q);
      if (trend) b = phib + (beta / alpha) * (lNew - l - phib);
      if (spec.season === 'A') seasons[j] = s + gamma * (yt - q - s);
      else if (spec.season === 'M') seasons[j] = s + gamma * (yt / q - s);
      l = lNew;
    }
  }
  return out;
}

/** Quantile of sorted values, linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
