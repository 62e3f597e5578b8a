import type { Explanation } from '../module.js';
import type { RfmScore } from './core.js';

/**
 * Explains one customer's RFM cell: `score` is the mean of the three scores, `baseline` the middle score
 * (bins + 1) / 2, and each contribution's `effect` is that score minus the baseline, in bin index units.
 */
export function explainScore(row: RfmScore, bins: number, thirdName = 'monetary'): Explanation {
  const baseline = (bins + 1) / 2;
  return {
    score: (row.r + row.f + row.m) / 3,
    baseline,
    contributions: [
      { feature: 'recency', value: row.recency, effect: row.r - baseline },
      { feature: 'frequency', value: row.frequency, effect: row.f - baseline },
      { feature: thirdName, value: row.value, effect: row.m - baseline },
    ],
    notes: [`segment: ${row.segment}`, `cell: ${row.r}${row.f}${row.m}`],
  };
}
