/**
 * Settings of the area analyses, known before seeing data. `parseParams` validates an untyped object (CLI flags,
 * HTTP query) and reports every bad field at once.
 */
import { type Issue, inputErrorFromIssues } from '../../errors.js';

/** Area levels, finest first: the area data's own granularity, a postcode prefix, the region, the country. */
export const GEO_LEVELS = ['area', 'prefix', 'region', 'country'] as const;
export type GeoLevel = (typeof GEO_LEVELS)[number];

export interface GeoParams {
  /** Finest level shown; cells below the minimum merge upward from there. */
  level: GeoLevel;
  /** Characters of the normalised postcode that make the `prefix` level (2: NL "10", DE "10", FR "75"). */
  prefixLength: number;
  /**
   * Smallest number of customers a shown cell may hold (privacy): smaller cells merge into the next level up
   * (area → prefix → region → country) or are suppressed. The shared viewer setting (issue 19) can feed it.
   */
  minCellSize: number;
  /** Pseudo-customers at the overall rate added to every cell's twin rate (empirical-Bayes smoothing). */
  smoothing: number;
  /** Feature column averaged over the seed as the value of one more twin (potential). */
  valueColumn: string;
}

export const defaults: Readonly<GeoParams> = Object.freeze({
  level: 'area',
  prefixLength: 2,
  minCellSize: 10,
  smoothing: 20,
  valueColumn: 'revenue',
});

/** Validates geo params, reporting every bad field at once. */
export function parseParams(input: unknown): GeoParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const level = o.level ?? defaults.level;
  if (!(GEO_LEVELS as readonly unknown[]).includes(level))
    issues.push({
      where: 'level',
      message: `expected one of ${GEO_LEVELS.join(', ')}, got ${JSON.stringify(level)}`,
    });
  const int = (key: keyof GeoParams, min: number, max: number) => {
    const v = o[key] ?? defaults[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      issues.push({ where: key, message: `expected a whole number ${min}–${max}, got ${JSON.stringify(v)}` });
    return v as number;
  };
  const prefixLength = int('prefixLength', 1, 8);
  const minCellSize = int('minCellSize', 1, 1_000_000);
  const smoothing = int('smoothing', 0, 1_000_000);
  const valueColumn = o.valueColumn ?? defaults.valueColumn;
  if (typeof valueColumn !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(valueColumn))
    issues.push({
      where: 'valueColumn',
      message: `expected a feature column name (lower case, digits, _), got ${JSON.stringify(valueColumn)}`,
    });
  if (issues.length) throw inputErrorFromIssues('Invalid area analysis settings.', issues);
  return {
    level: level as GeoLevel,
    prefixLength,
    minCellSize,
    smoothing,
    valueColumn: valueColumn as string,
  };
}
