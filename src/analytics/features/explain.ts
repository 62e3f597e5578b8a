import type { CustomerFeatures } from '../module.js';
import { FEATURE_COLUMNS, type FeatureColumn } from './core.js';

/** One feature of one customer next to the base average, for profiles and the 360° view. */
export interface FeatureComparison {
  feature: string;
  group: FeatureColumn['group'] | 'share';
  value: number | string | boolean | null;
  /** Mean over the whole base (numbers only). */
  baseMean: number | null;
  /** value ÷ baseMean (numbers only, NULL when the mean is 0 or missing). */
  ratio: number | null;
}

/**
 * Compares a customer's features with base means: data, not prose. Share columns (`share_*`) are included;
 * text and date columns come back with `baseMean: null`.
 */
export function compareToBase(
  customer: CustomerFeatures,
  baseMeans: Readonly<Record<string, number | null>>,
): FeatureComparison[] {
  const groups = new Map(FEATURE_COLUMNS.map((c) => [c.name, c.group] as const));
  return Object.entries(customer)
    .filter(([name]) => name !== 'customer_id' && name !== 'as_of')
    .map(([feature, value]) => {
      const baseMean = baseMeans[feature] ?? null;
      const ratio =
        typeof value === 'number' && baseMean !== null && baseMean !== 0 ? value / baseMean : null;
      return { feature, group: groups.get(feature) ?? 'share', value, baseMean, ratio };
    });
}
