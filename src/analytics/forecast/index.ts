import { InputError, NotFoundError } from '../../errors.js';
import { type Engine, ident, sql, tableExists, writeColumns } from '../../store/index.js';
import { defaultAsOf } from '../overview/index.js';
import { createRng } from '../shared/rng.js';
import {
  type BacktestResult,
  backtestCore,
  type ForecastCoreOptions,
  type ForecastMethod,
  forecastCore,
  type SeriesForecast,
} from './core.js';
import { explainForecast, type ForecastExplanation } from './explain.js';
import { calendarRegressors } from './models/calendar.js';
import { runJobs, type SeriesJob } from './parallel.js';
import {
  type ForecastBy,
  type ForecastFrequency,
  type ForecastParams,
  PERIOD,
  parseParams,
} from './params.js';
import { datamartSeriesSql, tableSeriesSql, tableSkippedSql } from './sql.js';

export {
  type BacktestOptions,
  type BacktestOrigin,
  type BacktestResult,
  FORECAST_METHODS,
  type ForecastMethod,
  type SeriesForecast,
} from './core.js';
export { explainForecast, type ForecastExplanation } from './explain.js';
export { type Accuracy, accuracy, maseScale } from './models/accuracy.js';
export {
  blackFriday,
  CALENDAR_EVENTS,
  type CalendarEvent,
  type CalendarFit,
  calendarMultiplier,
  calendarRegressors,
  easterSunday,
  fitCalendar,
} from './models/calendar.js';
export {
  autoEts,
  type EtsModel,
  type EtsSpec,
  etsCandidates,
  etsForecast,
  etsName,
  etsPointForecast,
  fitEts,
  parseEtsName,
  quantileSorted,
  simulateEts,
} from './models/ets.js';
export { meanForecast, naiveForecast } from './models/naive.js';
export { fitTheta, type ThetaModel, thetaForecast } from './models/theta.js';
export {
  defaults as forecastDefaults,
  FORECAST_BY,
  type ForecastBy,
  type ForecastFrequency,
  type ForecastParams,
  FREQUENCIES,
  PERIOD,
  parseParams as parseForecastParams,
} from './params.js';
export { periodStartSql } from './sql.js';

export interface SeriesOptions {
  period: number;
  horizon: number;
  method?: ForecastMethod;
  level?: number;
  seed?: number;
}

/**
 * Forecasts one series held in memory.
 *
 * @example
 * ```ts
 * const f = forecastSeries(monthlySales, { period: 12, horizon: 12 });
 * console.log(f.model, f.mean[0], f.lower[0], f.upper[0]);
 * ```
 */
export function forecastSeries(y: ArrayLike<number>, options: SeriesOptions): SeriesForecast {
  return forecastCore(y, coreOptions(options), createRng(options.seed ?? 1));
}

/** Rolling-origin backtest of one series in memory against seasonal naive (MASE, sMAPE). */
export function backtestSeries(
  y: ArrayLike<number>,
  options: SeriesOptions & { origins?: number },
): BacktestResult {
  return backtestCore(
    y,
    { ...coreOptions(options), origins: options.origins ?? 3 },
    createRng(options.seed ?? 1),
  );
}

function coreOptions(o: SeriesOptions): ForecastCoreOptions {
  return { period: o.period, horizon: o.horizon, method: o.method ?? 'combination', level: o.level ?? 0.95 };
}

export interface ForecastSeriesResult {
  series: string;
  model: string;
  method: ForecastMethod;
  intervals: SeriesForecast['intervals'];
  history: { date: string; value: number }[];
  forecast: { date: string; forecast: number; lower: number; upper: number }[];
  backtest: Omit<BacktestResult, 'origins' | 'method' | 'horizon'> & { origins: number };
  /** Calendar effects used (multiplicative factor per event: december, easter, black_friday), or null. */
  calendar: Record<string, number> | null;
  explanation: ForecastExplanation;
}

export interface ForecastResult {
  source: 'datamart' | 'table';
  /** What was summed: `net revenue` for the datamart, else the table's value column. */
  measure: string;
  by: string;
  asOf: string;
  frequency: ForecastFrequency;
  period: number;
  horizon: number;
  level: number;
  method: ForecastMethod;
  series: ForecastSeriesResult[];
  warnings: string[];
}

/**
 * Forecasts net revenue from the datamart, in total or per category, channel or region, by week or month.
 * Net revenue is the overview module's (`orderValuesSql`). Only whole periods before `asOf` are used.
 *
 * @example
 * ```ts
 * const r = await forecastSales(engine, { by: 'channel', frequency: 'month', horizon: 6 });
 * for (const s of r.series) console.log(s.series, s.model, s.backtest.verdict);
 * ```
 */
export async function forecastSales(
  engine: Engine,
  input: Partial<ForecastParams> & { by?: ForecastBy } = {},
): Promise<ForecastResult> {
  const by = input.by ?? 'total';
  if (!['total', 'category', 'channel', 'region'].includes(by))
    throw new InputError(
      `forecast: --by expected one of total, category, channel, region, got ${JSON.stringify(by)}`,
    );
  const params = parseParams(input);
  const asOf = params.asOf ?? (await defaultAsOf(engine));
  const rows = await engine.query<{ series: string; period: string; value: number | null }>(
    datamartSeriesSql(engine.dialect, asOf, by, params.frequency),
  );
  return build('datamart', 'net revenue', by, asOf, params, rows, []);
}

export interface TableForecastOptions extends Partial<ForecastParams> {
  table: string;
  date: string;
  value: string;
  series?: string | null;
}

/** Forecasts `sum(value)` per period (and per `series` value) from any table. */
export async function forecastTable(engine: Engine, options: TableForecastOptions): Promise<ForecastResult> {
  const params = parseParams(options);
  if (!(await tableExists(engine, options.table)))
    throw new NotFoundError(
      `forecast: table ${JSON.stringify(options.table)} not found; expected an existing table (see \`clientele tables\`)`,
    );
  const d = engine.dialect;
  let asOf = params.asOf;
  if (!asOf) {
    const [row] = await engine.query<{ d: string | null }>(
      sql`SELECT ${d.addDays(sql`max(CAST(${ident(options.date)} AS DATE))`, sql`1`)} AS d FROM ${ident(options.table)}`,
    );
    asOf = row?.d ?? null;
    if (!asOf)
      throw new InputError(
        `forecast: table ${options.table} has no dates in column ${options.date}; expected at least two periods of data`,
      );
  }
  const warnings: string[] = [];
  const [skipped] = await engine.query<{ skipped: number }>(
    tableSkippedSql(options.table, options.date, options.value),
  );
  if (skipped && skipped.skipped > 0)
    warnings.push(`${skipped.skipped} rows with an empty ${options.date} or ${options.value} were left out`);
  const rows = await engine.query<{ series: string; period: string; value: number | null }>(
    tableSeriesSql(
      d,
      options.table,
      options.date,
      options.value,
      options.series ?? null,
      params.frequency,
      asOf,
    ),
  );
  return build('table', `sum(${options.value})`, options.series ?? 'total', asOf, params, rows, warnings);
}

/** The next period start after `iso` (UTC calendar arithmetic). */
export function nextPeriod(iso: string, frequency: ForecastFrequency): string {
  const t = new Date(`${iso}T00:00:00Z`);
  if (frequency === 'month') t.setUTCMonth(t.getUTCMonth() + 1);
  else t.setUTCDate(t.getUTCDate() + (frequency === 'week' ? 7 : 1));
  return t.toISOString().slice(0, 10);
}

async function build(
  source: ForecastResult['source'],
  measure: string,
  by: string,
  asOf: string,
  params: ForecastParams,
  rows: { series: string; period: string; value: number | null }[],
  warnings: string[],
): Promise<ForecastResult> {
  const { frequency, horizon, level, method } = params;
  const period = PERIOD[frequency];
  const bySeries = new Map<string, Map<string, number>>();
  let first: string | null = null;
  let dropped = 0;
  for (const r of rows) {
    const p = String(r.period).slice(0, 10);
    if (nextPeriod(p, frequency) > asOf) {
      dropped += Number(r.value ?? 0);
      continue;
    }
    if (first === null || p < first) first = p;
    const m = bySeries.get(r.series) ?? new Map<string, number>();
    m.set(p, (m.get(p) ?? 0) + Number(r.value ?? 0));
    bySeries.set(r.series, m);
  }
  if (dropped !== 0)
    warnings.push(`the last, incomplete ${frequency} before ${asOf} was left out (value ${round(dropped)})`);
  const calendar: string[] = [];
  if (first !== null)
    for (let p = first; nextPeriod(p, frequency) <= asOf; p = nextPeriod(p, frequency)) calendar.push(p);
  // Keep the largest series; sum the rest into "(other)" so nothing is lost.
  const totals = [...bySeries.entries()].map(([k, m]) => ({
    k,
    total: [...m.values()].reduce((s, v) => s + v, 0),
  }));
  totals.sort((a, b) => b.total - a.total || (a.k < b.k ? -1 : 1));
  if (totals.length > params.maxSeries) {
    const other = new Map<string, number>();
    for (const { k } of totals.slice(params.maxSeries - 1)) {
      for (const [p, v] of bySeries.get(k)!) other.set(p, (other.get(p) ?? 0) + v);
      bySeries.delete(k);
    }
    warnings.push(`${totals.length - params.maxSeries + 1} smaller series were summed into (other)`);
    bySeries.set('(other)', other);
  }
  const names = [...bySeries.keys()].sort();
  const rng = createRng(params.seed);
  const future: string[] = [];
  let p = calendar.length ? nextPeriod(calendar[calendar.length - 1]!, frequency) : asOf;
  for (let i = 0; i < horizon; i++) {
    future.push(p);
    p = nextPeriod(p, frequency);
  }
  // Collect the series first, then forecast them (on params.threads threads), then assemble in name order.
  const prepared: { name: string; dates: string[]; y: Float64Array }[] = [];
  const jobs: SeriesJob[] = [];
  for (const name of names) {
    const values = bySeries.get(name)!;
    // A series starts at its first period with data; later gaps are periods without sales (0).
    const start = calendar.findIndex((d) => values.has(d));
    const dates = calendar.slice(Math.max(0, start));
    const y = Float64Array.from(dates, (d) => values.get(d) ?? 0);
    if (y.length === 0) continue;
    const opts: ForecastCoreOptions = { period, horizon, level, method, fast: params.fast };
    // Calendar effects: daily and weekly series; by default only with two years of history to learn them from.
    const days = frequency === 'day' ? 1 : 7;
    if (
      frequency !== 'month' &&
      (params.calendar === 'on' || (params.calendar === 'auto' && y.length * days >= 730))
    )
      opts.calendar = { x: calendarRegressors([...dates, ...future], days), lag: days === 1 ? 7 : 1 };
    prepared.push({ name, dates, y });
    // The seeds rng.fork() would draw (next() · 2³² is the generator's 32-bit output), one per fork as before.
    const forecastSeed = rng.next() * 4294967296;
    const backtestSeed = params.origins > 0 ? rng.next() * 4294967296 : 0;
    jobs.push({ y, options: opts, origins: params.origins, forecastSeed, backtestSeed });
  }
  const { outcomes, warnings: threadWarnings } = await runJobs(jobs, params.threads);
  warnings.push(...threadWarnings);
  const series: ForecastSeriesResult[] = prepared.map(({ name, dates, y }, j) => {
    const { forecast: f, backtest: bt } = outcomes[j]!;
    return {
      series: name,
      model: f.model,
      method: f.method,
      intervals: f.intervals,
      history: dates.map((date, i) => ({ date, value: y[i]! })),
      forecast: future.map((date, i) => ({
        date,
        forecast: f.mean[i]!,
        lower: f.lower[i]!,
        upper: f.upper[i]!,
      })),
      backtest: {
        mase: bt?.mase ?? null,
        smape: bt?.smape ?? null,
        benchmarkMase: bt?.benchmarkMase ?? null,
        benchmarkSmape: bt?.benchmarkSmape ?? null,
        relativeMase: bt?.relativeMase ?? null,
        verdict: bt?.verdict ?? 'insufficient',
        origins: bt?.origins.length ?? 0,
      },
      explanation: explainForecast(f, bt),
      calendar: f.calendar ? { ...f.calendar.factors } : null,
    };
  });
  if (series.length === 0)
    warnings.push(`no complete ${frequency} of data before ${asOf}: nothing to forecast`);
  if (params.calendar === 'on' && frequency === 'month')
    warnings.push('calendar effects apply to daily and weekly series: not used for months');
  return { source, measure, by, asOf, frequency, period, horizon, level, method, series, warnings };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Writes a forecast as a table: `series, date, forecast, lower, upper`, plus the model and its backtest
 * (`model, mase, smape, benchmark_mase, verdict`) on every row. Replaces the table. Returns the row count.
 */
export async function writeForecast(engine: Engine, result: ForecastResult, table: string): Promise<number> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table))
    throw new InputError(
      `forecast: --to-table expected a plain table name (letters, digits, _), got ${JSON.stringify(table)}`,
    );
  const rows = result.series.flatMap((s) => s.forecast.map((f) => ({ s, f })));
  const num = (pick: (r: (typeof rows)[number]) => number | null) =>
    Float64Array.from(rows, (r) => pick(r) ?? Number.NaN);
  const tmp = `${table}__staging`;
  await writeColumns(engine, tmp, {
    series: rows.map((r) => r.s.series),
    date: rows.map((r) => r.f.date),
    forecast: num((r) => r.f.forecast),
    lower: num((r) => r.f.lower),
    upper: num((r) => r.f.upper),
    model: rows.map((r) => r.s.model),
    mase: num((r) => r.s.backtest.mase),
    smape: num((r) => r.s.backtest.smape),
    benchmark_mase: num((r) => r.s.backtest.benchmarkMase),
    verdict: rows.map((r) => r.s.backtest.verdict),
  });
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  await engine.exec(
    sql`CREATE TABLE ${ident(table)} AS SELECT series, CAST(date AS DATE) AS date, forecast, lower, upper, model, mase, smape, benchmark_mase, verdict FROM ${ident(tmp)} ORDER BY series, date`,
  );
  await engine.exec(sql`DROP TABLE ${ident(tmp)}`);
  return rows.length;
}
