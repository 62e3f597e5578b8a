/**
 * Calendar effects for daily and weekly series: the weeks before Christmas (1–24 December), Easter (Good Friday
 * to Easter Monday) and Black Friday (the Friday after the fourth Thursday of November to Cyber Monday). These
 * move against a weekly or yearly season (Easter by weeks, Black Friday and Christmas by weekday), so the
 * seasonal models cannot learn them.
 *
 * Regressors: x[e][t] is the share of period t's days that fall in event e (0 or 1 for days, k/7 for weeks).
 * Effects are multiplicative and estimated from the past alone: for every past period touched by an event, the
 * ratio of its value to a baseline (the mean of the nearest untouched periods at the same point of the short
 * cycle: the same weekday for days, neighbouring weeks for weeks, up to two on each side), then
 * f_e − 1 = Σ_t x_t·(ratio_t − 1) / Σ_t x_t² (least squares of ratio − 1 on x through the origin). The series is
 * divided by 1 + Σ_e x[e][t]·(f_e − 1) before the forecast, and the forecast (and its interval) multiplied by it.
 */
export const CALENDAR_EVENTS = ['december', 'easter', 'black_friday'] as const;
export type CalendarEvent = (typeof CALENDAR_EVENTS)[number];

const DAY_MS = 86_400_000;

/** Easter Sunday of a year (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher), as a UTC day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Black Friday of a year: the day after the fourth Thursday of November, as a UTC day number. */
export function blackFriday(year: number): number {
  const first = Date.UTC(year, 10, 1) / DAY_MS;
  const weekday = new Date(first * DAY_MS).getUTCDay(); // 0 Sunday … 4 Thursday
  const firstThursday = first + ((4 - weekday + 7) % 7);
  return firstThursday + 21 + 1;
}

/** The event a day belongs to (at most one: Black Friday and Easter take precedence over December), or null. */
export function eventOfDay(dayNumber: number): CalendarEvent | null {
  const date = new Date(dayNumber * DAY_MS);
  const year = date.getUTCFullYear();
  const bf = blackFriday(year);
  if (dayNumber >= bf && dayNumber <= bf + 3) return 'black_friday';
  const easter = easterSunday(year);
  if (dayNumber >= easter - 2 && dayNumber <= easter + 1) return 'easter';
  if (date.getUTCMonth() === 11 && date.getUTCDate() <= 24) return 'december';
  return null;
}

/**
 * Regressors for periods starting at `starts` (ISO dates) of `days` days each (1 or 7): one row per event,
 * the share of each period's days in it.
 */
export function calendarRegressors(starts: readonly string[], days: number): Float64Array[] {
  const x = CALENDAR_EVENTS.map(() => new Float64Array(starts.length));
  starts.forEach((iso, t) => {
    const first = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS;
    for (let k = 0; k < days; k++) {
      const e = eventOfDay(first + k);
      if (e) x[CALENDAR_EVENTS.indexOf(e)]![t]! += 1 / days;
    }
  });
  return x;
}

export interface CalendarFit {
  /** Multiplicative effect per event (1 = none; events never seen in the data stay at 1). */
  factors: Record<CalendarEvent, number>;
  /** How many past periods each event touched (the evidence behind its factor). */
  occurrences: Record<CalendarEvent, number>;
}

/**
 * Estimates the effects from y (periods 0 … n − 1) and the regressors' first n columns; `lag` is the short cycle
 * (7 for days, 1 for weeks). Only positive values are used (ratios).
 */
export function fitCalendar(y: ArrayLike<number>, x: readonly Float64Array[], lag: number): CalendarFit {
  const n = y.length;
  const touched = (t: number) => x.some((row) => row[t]! > 0);
  const factors = {} as Record<CalendarEvent, number>;
  const occurrences = {} as Record<CalendarEvent, number>;
  CALENDAR_EVENTS.forEach((event, e) => {
    let sxr = 0;
    let sxx = 0;
    let count = 0;
    for (let t = 0; t < n; t++) {
      const xt = x[e]![t]!;
      if (!(xt > 0) || !(y[t]! > 0)) continue;
      // Baseline: up to two untouched periods on each side at the same point of the short cycle.
      let sum = 0;
      let used = 0;
      for (const dir of [-1, 1]) {
        let found = 0;
        for (let k = 1; k <= 8 && found < 2; k++) {
          const s = t + dir * k * lag;
          if (s < 0 || s >= n) break;
          if (touched(s) || !(y[s]! > 0)) continue;
          sum += y[s]!;
          used++;
          found++;
        }
      }
      if (used < 2) continue;
      const ratio = y[t]! / (sum / used);
      sxr += xt * (ratio - 1);
      sxx += xt * xt;
      count++;
    }
    // Never below a tenth of normal: a guard against a baseline polluted by a gap in the data.
    factors[event] = sxx > 0 ? Math.max(0.1, 1 + sxr / sxx) : 1;
    occurrences[event] = count;
  });
  return { factors, occurrences };
}

/** The calendar multiplier of period t: 1 + Σ_e x[e][t]·(f_e − 1). */
export function calendarMultiplier(fit: CalendarFit, x: readonly Float64Array[], t: number): number {
  let m = 1;
  CALENDAR_EVENTS.forEach((event, e) => {
    m += x[e]![t]! * (fit.factors[event] - 1);
  });
  return Math.max(0.1, m);
}
