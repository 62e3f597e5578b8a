import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  daysFromCivil,
  europeanDate,
  isoDate,
  isoTimestamp,
  parseIsoDay,
  weekday,
} from './calendar.js';
import { blackFriday } from './world.js';

describe('demo calendar', () => {
  it('agrees with Date for every day from 1900 to 2100', () => {
    const wrong: string[] = [];
    for (let d = daysFromCivil(1900, 1, 1); d <= daysFromCivil(2100, 12, 31); d++) {
      const js = new Date(d * 86400000);
      if (isoDate(d) !== js.toISOString().slice(0, 10) || weekday(d) !== (js.getUTCDay() + 6) % 7) {
        wrong.push(`${d}: ${isoDate(d)} ${weekday(d)}`);
      }
    }
    expect(wrong).toEqual([]);
    const c = civilFromDays(daysFromCivil(2024, 2, 29));
    expect(c).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('formats European dates and timestamps and refuses impossible ISO dates', () => {
    const d = daysFromCivil(2026, 6, 30);
    expect(europeanDate(d, '/')).toBe('30/06/2026');
    expect(europeanDate(d, '.')).toBe('30.06.2026');
    expect(isoTimestamp(d, 3600 * 13 + 62)).toBe('2026-06-30 13:01:02');
    expect(parseIsoDay('2026-06-30')).toBe(d);
    expect(parseIsoDay('2026-02-30')).toBeNull();
    expect(parseIsoDay('30/06/2026')).toBeNull();
  });

  it('finds Black Friday', () => {
    expect(isoDate(blackFriday(2024))).toBe('2024-11-29');
    expect(isoDate(blackFriday(2025))).toBe('2025-11-28');
  });
});
