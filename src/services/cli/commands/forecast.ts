import {
  FORECAST_BY,
  FORECAST_METHODS,
  type ForecastBy,
  type ForecastFrequency,
  type ForecastMethod,
  type ForecastParams,
  type ForecastResult,
  FREQUENCIES,
  forecastSales,
  forecastTable,
  writeForecast,
} from '../../../analytics/forecast/index.js';
import { InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag, intFlag } from './analytics-args.js';

export const forecastCommand: Command = {
  name: 'forecast',
  summary: 'sales forecasts (ETS, Theta, combination) with intervals and a backtest against seasonal naive',
  usage: `Usage: clientele forecast [--by total|category|channel|region] [--frequency month|week] [--horizon H]
         [--method combination|ets|theta|snaive] [--level 0.95] [--origins 3] [--seed N] [--as-of DATE]
         [--max-series N] [--fast] [--calendar auto|on|off] [--threads N] [--to-table NAME] [--json]
       clientele forecast --table T --date COL --value COL [--series COL] [--frequency day|week|month] …

Without --table: net revenue from the datamart (as the overview defines it: order lines net of discounts and
returns, less order-level discounts beyond them; cancelled orders left out), in total or per top-level
category, channel or customer region, by month (default) or ISO week. With --table: sum(COL) per period of
--date, one series per value of --series. Only whole periods before --as-of are used.

Methods: combination (default: the mean of automatic ETS and Theta), ets (state-space exponential smoothing,
model chosen by AICc), theta, snaive (seasonal naive). Every series carries a rolling-origin backtest over
--origins origins (0 = none): MASE and sMAPE of the method and of seasonal naive, and a verdict (better,
similar, worse, insufficient) telling whether the forecast beats the naive benchmark.

--fast: for many series: ETS keeps its initial seasonal states at the decomposition values and gets a smaller
optimiser budget and a looser stopping rule (about 10× faster; see docs/forecast.md for the accuracy it costs).

--calendar: calendar effects for daily and weekly series (the weeks before Christmas, Easter, Black Friday
to Cyber Monday): estimated from past years as multiplicative factors, taken out before the forecast and put
back on it. auto (default): used when a series has at least two years of history; on: always for day/week;
off: never. The factors are in JSON as series[].calendar.

--threads N: forecast the series on N worker threads. Default (or 0): two on a machine with two or more cores
when there are 200 series or more, else one. The forecasts are the same for any N.

--to-table NAME writes series, date, forecast, lower, upper (and model, mase, smape, benchmark_mase, verdict).

JSON fields: source, measure, by, asOf, frequency, period, horizon, level, method, warnings,
  series[{series, model, method, intervals, history[{date, value}], forecast[{date, forecast, lower, upper}],
  backtest{mase, smape, benchmarkMase, benchmarkSmape, relativeMase, verdict, origins}, explanation,
  calendar{december, easter, black_friday} | null}], written

Examples:
  clientele forecast --horizon 6
  clientele forecast --by channel --frequency week --horizon 13 --to-table channel_forecast
  clientele forecast --table web_visits --date day --value visits --series site --frequency week --horizon 8`,
  options: {
    by: { type: 'string' },
    frequency: { type: 'string' },
    horizon: { type: 'string' },
    method: { type: 'string' },
    level: { type: 'string' },
    origins: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    'max-series': { type: 'string' },
    fast: { type: 'boolean' },
    calendar: { type: 'string' },
    threads: { type: 'string' },
    'to-table': { type: 'string' },
    table: { type: 'string' },
    date: { type: 'string' },
    value: { type: 'string' },
    series: { type: 'string' },
  },
  async run(ctx) {
    const params = forecastFlags(ctx);
    const table = str(ctx, 'table');
    const by = str(ctx, 'by');
    if (table) {
      if (by) throw argError('--by applies to the datamart; with --table use --series COL');
      if (!str(ctx, 'date') || !str(ctx, 'value'))
        throw argError('--table needs --date COL and --value COL (and optionally --series COL)');
    } else {
      if (str(ctx, 'date') || str(ctx, 'value') || str(ctx, 'series'))
        throw argError('--date, --value and --series need --table T');
      if (by && !FORECAST_BY.includes(by as ForecastBy))
        throw argError(`--by: expected one of ${FORECAST_BY.join(', ')}, got ${JSON.stringify(by)}`);
      if (params.frequency === 'day')
        throw argError('--frequency day is for --table; the datamart forecasts by week or month');
    }
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('forecast');
      const r = table
        ? await forecastTable(engine, {
            ...params,
            table,
            date: str(ctx, 'date')!,
            value: str(ctx, 'value')!,
            series: str(ctx, 'series') ?? null,
          })
        : await forecastSales(engine, { ...params, by: (by as ForecastBy | undefined) ?? 'total' });
      progress.done();
      const toTable = str(ctx, 'to-table');
      const written = toTable ? await writeForecast(engine, r, toTable) : null;
      print(ctx, r, toTable, written);
      return { ...r, written };
    } finally {
      await engine.close();
    }
  },
};

function str(ctx: CommandContext, flag: string): string | undefined {
  const v = ctx.values[flag];
  return typeof v === 'string' ? v : undefined;
}

function argError(message: string): InputError {
  return new InputError(`forecast: ${message}.`, {}, { code: 'INVALID_ARGUMENT' });
}

function forecastFlags(ctx: CommandContext): Partial<ForecastParams> {
  const out: Partial<ForecastParams> = {};
  const frequency = str(ctx, 'frequency');
  if (frequency !== undefined) {
    if (!FREQUENCIES.includes(frequency as ForecastFrequency))
      throw argError(
        `--frequency: expected one of ${FREQUENCIES.join(', ')}, got ${JSON.stringify(frequency)}`,
      );
    out.frequency = frequency as ForecastFrequency;
  }
  const method = str(ctx, 'method');
  if (method !== undefined) {
    if (!FORECAST_METHODS.includes(method as ForecastMethod))
      throw argError(
        `--method: expected one of ${FORECAST_METHODS.join(', ')}, got ${JSON.stringify(method)}`,
      );
    out.method = method as ForecastMethod;
  }
  const level = str(ctx, 'level');
  if (level !== undefined) {
    const x = Number(level);
    if (!(x > 0 && x < 1))
      throw argError(
        `--level: expected a coverage between 0 and 1 such as 0.95, got ${JSON.stringify(level)}`,
      );
    out.level = x;
  }
  const horizon = intFlag(ctx, 'horizon', 1, 520);
  if (horizon !== undefined) out.horizon = horizon;
  const origins = intFlag(ctx, 'origins', 0, 24);
  if (origins !== undefined) out.origins = origins;
  const seed = intFlag(ctx, 'seed', 0, 2 ** 32 - 1);
  if (seed !== undefined) out.seed = seed;
  const maxSeries = intFlag(ctx, 'max-series', 1, 100_000);
  if (maxSeries !== undefined) out.maxSeries = maxSeries;
  const asOf = ctx.values['as-of'];
  if (asOf !== undefined) out.asOf = dateFlag(asOf, 'as-of');
  if (ctx.values.fast === true) out.fast = true;
  const threads = intFlag(ctx, 'threads', 0, 64);
  if (threads !== undefined) out.threads = threads;
  const calendar = ctx.values.calendar;
  if (calendar !== undefined) {
    if (!['auto', 'on', 'off'].includes(calendar as string))
      throw new InputError(
        `forecast: --calendar expected auto, on or off, got ${JSON.stringify(calendar)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    out.calendar = calendar as 'auto' | 'on' | 'off';
  }
  return out;
}

function print(
  ctx: CommandContext,
  r: ForecastResult,
  toTable: string | undefined,
  written: number | null,
): void {
  const pctLevel = Math.round(r.level * 100);
  ctx.out.line(
    `Forecast of ${r.measure} by ${r.frequency}${r.by === 'total' ? '' : ` per ${r.by}`}, ${r.horizon} ahead, data before ${r.asOf}; ${pctLevel}% intervals`,
  );
  ctx.out.table(
    r.series.map((s) => ({
      series: s.series,
      model: s.model,
      next: round(s.forecast[0]?.forecast),
      lower: round(s.forecast[0]?.lower),
      upper: round(s.forecast[0]?.upper),
      mase: round(s.backtest.mase, 3),
      naiveMase: round(s.backtest.benchmarkMase, 3),
      smape: round(s.backtest.smape, 1),
      verdict: s.backtest.verdict,
    })),
  );
  ctx.out.line('verdict: backtest MASE vs seasonal naive (better/worse = more than 5% apart)');
  const shown = r.series.slice(0, 5);
  ctx.out.table(
    shown.flatMap((s) =>
      s.forecast.map((f) => ({
        series: s.series,
        date: f.date,
        forecast: round(f.forecast),
        lower: round(f.lower),
        upper: round(f.upper),
      })),
    ),
    { maxRows: 60 },
  );
  if (r.series.length > shown.length)
    ctx.out.line(`(${r.series.length - shown.length} more series: use --json or --to-table)`);
  if (toTable)
    ctx.out.line(
      `Wrote ${written} rows to ${toTable} (series, date, forecast, lower, upper, model, mase, smape, benchmark_mase, verdict)`,
    );
  for (const s of r.series.slice(0, 20))
    if (s.calendar)
      ctx.out.line(
        `Calendar effects (${s.series}): ${Object.entries(s.calendar)
          .map(([event, f]) => `${event} ×${f.toFixed(2)}`)
          .join(', ')}`,
      );
  for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
  for (const s of r.series)
    for (const w of s.explanation.notes.slice(0, -1)) ctx.out.line(`Warning (${s.series}): ${w}`);
}

function round(x: number | null | undefined, digits = 2): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
