import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';
import { FORECAST_METHODS, type ForecastMethod } from './core.js';

export type ForecastFrequency = 'day' | 'week' | 'month';
export type ForecastBy = 'total' | 'category' | 'channel' | 'region';

export const FREQUENCIES: readonly ForecastFrequency[] = ['month', 'week', 'day'];
export const FORECAST_BY: readonly ForecastBy[] = ['total', 'category', 'channel', 'region'];

/** Seasonal period per frequency: a year of months, a year of weeks, a week of days. */
export const PERIOD: Readonly<Record<ForecastFrequency, number>> = { month: 12, week: 52, day: 7 };

export interface ForecastParams {
  /** Data strictly before this date `YYYY-MM-DD` (default: the day after the last order / last date). */
  asOf: string | null;
  frequency: ForecastFrequency;
  /** Periods ahead. */
  horizon: number;
  /** Interval coverage 0–1 (default 0.95). */
  level: number;
  method: ForecastMethod;
  /** Rolling-origin backtest origins (0 = no backtest). */
  origins: number;
  /** Seed of the simulated intervals. */
  seed: number;
  /** At most this many series (largest by total value); the rest are summed into `(other)`. */
  maxSeries: number;
  /** Fast mode for many series (see `ForecastCoreOptions.fast`). */
  fast: boolean;
  /**
   * Calendar effects (December, Easter, Black Friday) for daily and weekly series: `auto` (default) uses them
   * when the history spans at least two years, `on` whenever the frequency is day or week, `off` never.
   */
  calendar: 'auto' | 'on' | 'off';
  /**
   * Worker threads for the series (1: this thread; the results are the same for any number). 0 (default):
   * automatic, two threads where the machine has two cores or more and there are at least
   * `AUTO_THREADS_MIN_SERIES` series (fewer would not repay starting the workers), else this thread.
   */
  threads: number;
}

export const defaults: Readonly<ForecastParams> = {
  asOf: null,
  frequency: 'month',
  horizon: 12,
  level: 0.95,
  method: 'combination',
  origins: 3,
  seed: 1,
  maxSeries: 20,
  fast: false,
  calendar: 'auto',
  threads: 0,
};

/** Validates forecast params, reporting every bad field at once. */
export function parseParams(input: unknown): ForecastParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const asOf = o.asOf ?? null;
  if (asOf !== null && !isIsoDate(asOf))
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(asOf)}` });
  const frequency = o.frequency ?? defaults.frequency;
  if (!FREQUENCIES.includes(frequency as ForecastFrequency))
    issues.push({
      where: 'frequency',
      message: `expected one of ${FREQUENCIES.join(', ')}, got ${JSON.stringify(frequency)}`,
    });
  const whole = (key: string, value: unknown, min: number, max: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      issues.push({
        where: key,
        message: `expected a whole number ${min}–${max}, got ${JSON.stringify(value)}`,
      });
  };
  const horizon = o.horizon ?? defaults.horizon;
  whole('horizon', horizon, 1, 520);
  const origins = o.origins ?? defaults.origins;
  whole('origins', origins, 0, 24);
  const seed = o.seed ?? defaults.seed;
  whole('seed', seed, 0, 2 ** 32 - 1);
  const maxSeries = o.maxSeries ?? defaults.maxSeries;
  whole('maxSeries', maxSeries, 1, 100_000);
  const level = o.level ?? defaults.level;
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    issues.push({
      where: 'level',
      message: `expected a coverage between 0 and 1 (e.g. 0.95), got ${JSON.stringify(level)}`,
    });
  const method = o.method ?? defaults.method;
  if (!FORECAST_METHODS.includes(method as ForecastMethod))
    issues.push({
      where: 'method',
      message: `expected one of ${FORECAST_METHODS.join(', ')}, got ${JSON.stringify(method)}`,
    });
  const fast = o.fast ?? defaults.fast;
  if (typeof fast !== 'boolean')
    issues.push({ where: 'fast', message: `expected true or false, got ${JSON.stringify(fast)}` });
  const threads = o.threads ?? defaults.threads;
  whole('threads', threads, 0, 64);
  const calendar = o.calendar ?? defaults.calendar;
  if (!['auto', 'on', 'off'].includes(calendar as string))
    issues.push({
      where: 'calendar',
      message: `expected auto, on or off, got ${JSON.stringify(calendar)}`,
    });
  if (issues.length) throw inputErrorFromIssues('Invalid forecast parameters', issues);
  return {
    asOf: asOf as string | null,
    frequency: frequency as ForecastFrequency,
    horizon: horizon as number,
    level: level as number,
    method: method as ForecastMethod,
    origins: origins as number,
    seed: seed as number,
    maxSeries: maxSeries as number,
    fast: fast as boolean,
    calendar: calendar as ForecastParams['calendar'],
    threads: threads as number,
  };
}
