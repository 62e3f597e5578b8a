import type { Explanation } from '../module.js';
import type { Scaling } from './core.js';

/** The learned numbers of a clustering: JSON-safe, enough to assign new customers (in TS or SQL). */
export interface ClusterState {
  scaling: Scaling;
  /** k × d centres in standardised units. */
  centers: number[][];
  /** k × c categorical modes (labels); empty rows without categorical attributes. */
  modes: string[][];
  categorical: { column: string; values: string[] }[];
  /** Weight of one categorical mismatch. */
  gamma: number;
  names: string[];
}

/**
 * Explains a customer's cluster: `score` is the cluster number, `baseline` 0, and each feature's `effect`
 * is the cluster centre in standard deviations from the base mean (what the cluster is about), with the
 * customer's own standardised value in `value`.
 */
export function explainCluster(
  state: ClusterState,
  cluster: number,
  standardised: readonly number[],
): Explanation {
  const center = state.centers[cluster] ?? [];
  return {
    score: cluster,
    baseline: 0,
    contributions: state.scaling.features
      .map((feature, j) => ({ feature, value: standardised[j] ?? null, effect: center[j] ?? 0 }))
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)),
    notes: [`cluster: ${state.names[cluster] ?? cluster}`],
  };
}
