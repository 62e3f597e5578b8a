import type { CategoryFit, ProductFit, WhatIfFigures } from './core.js';

const pct = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)} %`;

/** One sentence on an elasticity in plain words (English; the dashboard translates its own labels). */
export function describeElasticity(e: CategoryFit | ProductFit, level: number): string {
  const name = 'sku' in e ? e.sku : e.category;
  if ('supported' in e && !e.supported) return `${name}: no answer: ${e.reason}.`;
  return `${name}: a 1 % higher price changes units by ${e.elasticity.toFixed(2)} % (${Math.round(level * 100)} % interval ${e.lower.toFixed(2)} … ${e.upper.toFixed(2)}).`;
}

/** The what-if result in one sentence. */
export function describeWhatIf(
  name: string,
  priceChange: number,
  base: { units: number; revenue: number },
  f: WhatIfFigures,
): string {
  return `${name}: a price change of ${pct(priceChange, 0)} moves units by ${pct(f.units.value / base.units - 1)} (${pct(f.units.lower / base.units - 1)} … ${pct(f.units.upper / base.units - 1)}) and net revenue by ${pct(f.revenue.value / base.revenue - 1)} (${pct(f.revenue.lower / base.revenue - 1)} … ${pct(f.revenue.upper / base.revenue - 1)}).`;
}
