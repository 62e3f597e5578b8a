/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC, no time zones) and the date formats
 * the demo files use. Pure integer maths (Hinnant's civil-from-days), so no Date object and no clock.
 */

export interface Civil {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

export function civilFromDays(z0: number): Civil {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** 0 = Monday … 6 = Sunday (ISO order). 1970-01-01 was a Thursday. */
export function weekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** Parses `YYYY-MM-DD` into a day number; null when it is not a real date. */
export function parseIsoDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = daysFromCivil(year, month, day);
  const back = civilFromDays(n);
  return back.year === year && back.month === month && back.day === day ? n : null;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` */
export function isoDate(dayNumber: number): string {
  const c = civilFromDays(dayNumber);
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`;
}

/** `dd/mm/yyyy` or `dd.mm.yyyy` (European exports). */
export function europeanDate(dayNumber: number, separator: '/' | '.' | '-'): string {
  const c = civilFromDays(dayNumber);
  return `${pad2(c.day)}${separator}${pad2(c.month)}${separator}${c.year}`;
}

/** `YYYY-MM-DD HH:MM:SS` from a day number and seconds since midnight. */
export function isoTimestamp(dayNumber: number, secondOfDay: number): string {
  const s = Math.max(0, Math.min(86399, Math.floor(secondOfDay)));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return `${isoDate(dayNumber)} ${pad2(hh)}:${pad2(mm)}:${pad2(s % 60)}`;
}

/** `dd/mm/yyyy HH:MM` (European timestamp without seconds). */
export function europeanTimestamp(dayNumber: number, secondOfDay: number, separator: '/' | '.'): string {
  const s = Math.max(0, Math.min(86399, Math.floor(secondOfDay)));
  return `${europeanDate(dayNumber, separator)} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}`;
}
