import type { BreakEvent, DetectedEvent } from './core.js';

const LABELS: Record<string, string> = {
  new_baby: 'baby products',
  moving: 'furnishing a home',
  wedding: 'wedding products',
};

const fmtP = (p: number) => (p < 1e-6 ? '< 0.000001' : p.toPrecision(2));

/** The evidence of an event in plain words (stored with the event; English, like other stored texts). */
export function evidenceText(
  e: DetectedEvent,
  date: (day: number) => string,
  windowDays: number | null,
): string {
  const expected = (e.expectedShare * e.m).toFixed(1);
  const since = `${e.ordersBefore} earlier order${e.ordersBefore === 1 ? '' : 's'} since ${date(e.firstDay)}`;
  if (e.type === 'channel_switch')
    return `From ${date(e.day)} on, ${e.k} of ${e.m} orders were placed by ${e.channel}, against ${e.hBefore} of ${since} (about ${expected} expected; p = ${fmtP(e.pValue)}).`;
  const what = LABELS[e.type] ?? e.type.replaceAll('_', ' ');
  const first = e.hBefore === 0 ? 'First purchase' : 'Burst of purchases';
  return `${first} in ${what} on ${date(e.day)}: ${e.k} of ${e.m} items in ${e.kOrders} orders over the next ${windowDays ?? '?'} days, against ${e.hBefore} of ${e.nBefore} items in ${since} (about ${expected} expected; p = ${fmtP(e.pValue)}).`;
}

/** The evidence of a frequency or spend break in plain words. */
export function breakEvidenceText(e: BreakEvent, date: (day: number) => string): string {
  const p = fmtP(e.pValue);
  if (e.type === 'frequency_up' || e.type === 'frequency_down')
    return `From ${date(e.day)} on, ${e.after.toFixed(1)} orders a year against ${e.before.toFixed(1)} before (${e.nBefore} orders since ${date(e.firstDay)}, ${e.nAfter} from then on; p = ${p}).`;
  return `From ${date(e.day)} on, a typical order day spends ${e.after.toFixed(2)} against ${e.before.toFixed(2)} before (${e.nBefore} orders before, ${e.nAfter} after; p = ${p}).`;
}
