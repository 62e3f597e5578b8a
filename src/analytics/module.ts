import type { Engine } from '../store/index.js';

/**
 * The contract every analytics module (rfm, segments, clv, churn, basket …) implements. See STYLE.md §5.
 * `fit` returns a new immutable envelope that round-trips through JSON exactly.
 */
export interface AnalyticsModule<P, S, R> {
  readonly name: string;
  readonly defaults: Readonly<P>;
  fit(engine: Engine, params?: Partial<P>): Promise<ModelEnvelope<P, S>>;
  score(engine: Engine, model: ModelEnvelope<P, S>): Promise<ScoreResult<R>>;
  explain(model: ModelEnvelope<P, S>, customer: CustomerFeatures): Explanation;
}

export interface ModelEnvelope<P, S> {
  module: string;
  /** score() refuses a mismatch with ModelError FORMAT_VERSION. */
  formatVersion: number;
  /** After defaults were applied. */
  params: P;
  /** Learned numbers only: no NaN, Date or bigint. */
  state: S;
  data: { asOf: string; rows: number; fingerprint: string };
  diagnostics: { converged: boolean; iterations: number; warnings: string[] };
}

/** Score rows keep customerId; a customer who cannot be scored gets `score: null` and a `reason`. */
export interface ScoreResult<R> {
  rows: R[];
  warnings: string[];
}

/** One customer's feature values, by feature-view column name. */
export type CustomerFeatures = Readonly<Record<string, number | string | boolean | null>>;

/** Data, not prose; the unit of `effect` is documented per module (log-odds, currency, bin index). */
export interface Explanation {
  score: number | null;
  baseline: number;
  contributions: { feature: string; value: number | string | boolean | null; effect: number }[];
  notes: string[];
}
