import type { ParseOptions } from './types.js';

/**
 * How database sources hand their values to the loader. Every value is staged as the server's own text
 * form; these declarations tell the loader how to read that text, so no profiling (type guessing) is
 * needed. Timestamps are normalised on the way in to `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (see
 * `normaliseTimestamp`), so one strptime format covers every row whatever its fractional digits.
 */
export const TIMESTAMP_FORMAT = '%Y-%m-%d %H:%M:%S.%f';
export const DATE_FORMAT = '%Y-%m-%d';

export const DECLARED = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  date: { type: 'date', dateFormat: DATE_FORMAT },
  timestamp: { type: 'timestamp', dateFormat: TIMESTAMP_FORMAT },
} as const satisfies Record<string, ParseOptions>;

const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,6})?(?:[+-]00(?::?00)?|Z)?$/;

/**
 * Brings a server's timestamp text to `YYYY-MM-DD HH:MM:SS.ffffff`. Input is the session's UTC text
 * (`2024-03-01 09:30:00`, `… 09:30:00.25`, `… 09:30:00+00`). Text of any other shape (`infinity`,
 * a year past 9999, a non-UTC offset) is returned unchanged, so the loader rejects that row with the
 * original value rather than a silently altered one.
 */
export function normaliseTimestamp(text: string): string {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return text;
  const fraction = (m[3] ?? '.').slice(1).padEnd(6, '0');
  return `${m[1]} ${m[2]}.${fraction}`;
}
