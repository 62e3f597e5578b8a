import { type Issue, inputErrorFromIssues } from '../../errors.js';

/** Settings of customer clustering. */
export interface ClusterParams {
  /** Numeric feature-view columns to cluster on. */
  features: readonly string[];
  /** Categorical columns (k-prototypes when non-empty), e.g. gender, income_band. */
  categorical: readonly string[];
  /** Number of clusters; null = choose by silhouette within kMin…kMax. */
  k: number | null;
  kMin: number;
  kMax: number;
  /** Restarts per fit; 'auto' = 10 up to 200,000 customers, else 3. */
  nInit: number | 'auto';
  maxIter: number;
  tol: number;
  seed: number;
  /** Transforms: 'auto' = log1p on non-negative features with skewness > 1; 'none'; or 'log1p' for all non-negative. */
  transform: 'auto' | 'none' | 'log1p';
  /** k-means++ seeds from a sample of this many points. */
  seedSample: number;
  /** Points used to choose k (fits on a sample of this size). */
  selectionSample: number;
  /** Points used for each silhouette. */
  silhouetteSample: number;
  /** Weight of one categorical mismatch against squared standardised distance; null = 0.5. */
  gamma: number | null;
  /** Cluster only customers with at least one order (default), or everyone in the feature view. */
  buyersOnly: boolean;
}

export const DEFAULT_FEATURES = [
  'recency_days',
  'orders',
  'revenue',
  'aov',
  'tenure_days',
  'promo_share',
  'return_rate',
  'email_open_rate',
] as const;

export const defaults: Readonly<ClusterParams> = {
  features: DEFAULT_FEATURES,
  categorical: [],
  k: null,
  kMin: 2,
  kMax: 8,
  nInit: 'auto',
  maxIter: 100,
  tol: 1e-4,
  seed: 42,
  transform: 'auto',
  seedSample: 100_000,
  selectionSample: 20_000,
  silhouetteSample: 2_000,
  gamma: null,
  buyersOnly: true,
};

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Validates clustering params over defaults, reporting every bad field at once. */
export function parseParams(input: Partial<ClusterParams> = {}): ClusterParams {
  const p = {
    ...defaults,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
  } as ClusterParams;
  const issues: Issue[] = [];
  const int = (key: keyof ClusterParams, min: number, max: number) => {
    const v = p[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      issues.push({ where: key, message: `expected a whole number ${min}–${max}, got ${JSON.stringify(v)}` });
  };
  if (!Array.isArray(p.features) || p.features.length === 0 || p.features.some((f) => !NAME.test(f)))
    issues.push({
      where: 'features',
      message: `expected one or more column names, got ${JSON.stringify(p.features)}`,
    });
  if (!Array.isArray(p.categorical) || p.categorical.some((f) => !NAME.test(f)))
    issues.push({
      where: 'categorical',
      message: `expected column names, got ${JSON.stringify(p.categorical)}`,
    });
  if (p.k !== null) int('k', 1, 50);
  int('kMin', 2, 50);
  int('kMax', 2, 50);
  if (p.kMax < p.kMin)
    issues.push({ where: 'kMax', message: `expected kMax ≥ kMin (${p.kMin}), got ${p.kMax}` });
  if (p.nInit !== 'auto') int('nInit', 1, 100);
  int('maxIter', 1, 10_000);
  int('seed', 0, 2 ** 32 - 1);
  int('seedSample', 100, 10_000_000);
  int('selectionSample', 100, 10_000_000);
  int('silhouetteSample', 50, 20_000);
  if (!(p.tol >= 0)) issues.push({ where: 'tol', message: `expected a number ≥ 0, got ${p.tol}` });
  if (!['auto', 'none', 'log1p'].includes(p.transform))
    issues.push({
      where: 'transform',
      message: `expected auto, none or log1p, got ${JSON.stringify(p.transform)}`,
    });
  if (p.gamma !== null && !(p.gamma >= 0))
    issues.push({ where: 'gamma', message: `expected a number ≥ 0, got ${p.gamma}` });
  if (issues.length) throw inputErrorFromIssues('Clustering settings are not valid:', issues);
  return p;
}
