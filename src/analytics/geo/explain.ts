/** Plain-words lines for the area results (English; the dashboard translates its own labels). */
import type { PenetrationCell, PotentialCell } from './core.js';

const int = (x: number) => Math.round(x).toLocaleString('en');
const pct = (x: number) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;

/** "NL 10… (12 areas): 4,120 households × 8.2% twins × 310 = 104,700 (96,000 not yet won)". */
export function describePotential(c: PotentialCell, value: number): string {
  return `${c.label}: ${int(c.households)} households × ${pct(c.twinRate)} twins × ${int(value)} = ${int(c.potential)} (${int(c.untapped)} not yet won)`;
}

/** "Amsterdam 1011AB: 31 per 1,000 households, index 140 (40% above the average)". */
export function describePenetration(c: PenetrationCell): string {
  if (c.penetration === null || c.index === null) return `${c.label}: no households in the area data`;
  const diff = Math.round(c.index - 100);
  return `${c.label}: ${(1000 * c.penetration).toFixed(1)} per 1,000 households, index ${Math.round(c.index)} (${diff === 0 ? 'the average' : `${Math.abs(diff)}% ${diff > 0 ? 'above' : 'below'} the average`})`;
}

/** "median_income of the segment's areas: index 112 against the national average (base 104)". */
export function describeProfile(measure: string, index: number | null, baseIndex: number | null): string {
  if (index === null) return `${measure}: not available in the area data`;
  return `${measure} where the segment lives: index ${Math.round(index)} against the national average (100)${baseIndex === null ? '' : `; all customers: ${Math.round(baseIndex)}`}`;
}
