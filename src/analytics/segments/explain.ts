/**
 * What makes a segment different from the whole base: numeric averages and category shares compared,
 * ranked by standardised difference. Pure: the inputs are aggregates computed in SQL.
 */

export interface NumericStat {
  column: string;
  segmentMean: number | null;
  baseMean: number | null;
  baseStd: number | null;
}

export interface CategoryStat {
  column: string;
  value: string;
  segmentCount: number;
  baseCount: number;
}

export interface Distinction {
  attribute: string;
  /** For a category: the value (`gender = 'f'`); absent for numbers. */
  value?: string;
  /** Segment mean (numbers) or share of the segment with this value (categories). */
  segment: number;
  /** Base mean or share. */
  base: number;
  /** segment ÷ base (NULL when base is 0). */
  lift: number | null;
  /** Standardised difference: (segment − base) ÷ base standard deviation. Ranked by its size. */
  effect: number;
  /** The attribute appears in the segment's own definition (a distinction by construction). */
  inDefinition: boolean;
}

/** Ranks numeric and categorical distinctions; categories need ≥ 5 segment members to count. */
export function distinguishingAttributes(
  numeric: readonly NumericStat[],
  categories: readonly CategoryStat[],
  sizes: { segment: number; base: number },
  referenced: ReadonlySet<string>,
  limit = 10,
): Distinction[] {
  const out: Distinction[] = [];
  for (const n of numeric) {
    if (n.segmentMean === null || n.baseMean === null || !n.baseStd) continue;
    out.push({
      attribute: n.column,
      segment: n.segmentMean,
      base: n.baseMean,
      lift: n.baseMean !== 0 ? n.segmentMean / n.baseMean : null,
      effect: (n.segmentMean - n.baseMean) / n.baseStd,
      inDefinition: referenced.has(n.column),
    });
  }
  if (sizes.segment > 0 && sizes.base > 0) {
    for (const c of categories) {
      if (c.segmentCount < 5) continue;
      const pS = c.segmentCount / sizes.segment;
      const pB = c.baseCount / sizes.base;
      if (pB <= 0 || pB >= 1) continue;
      out.push({
        attribute: c.column,
        value: c.value,
        segment: pS,
        base: pB,
        lift: pS / pB,
        effect: (pS - pB) / Math.sqrt(pB * (1 - pB)),
        inDefinition: referenced.has(c.column),
      });
    }
  }
  return out
    .filter((d) => Number.isFinite(d.effect) && Math.abs(d.effect) > 1e-9)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.attribute.localeCompare(b.attribute))
    .slice(0, limit);
}
