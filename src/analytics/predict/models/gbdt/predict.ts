/**
 * Scoring a fitted ensemble on raw feature values (the same decisions the SQL compiler writes as CASE
 * expressions): numeric value ≤ threshold goes left, missing values follow the learned default, categorical
 * levels in the left set go left and levels unknown at fit time follow the missing-value direction.
 */
import type { FeatureColumn, FeatureFrame } from '../frame.js';
import type { GbdtState } from './boost.js';
import type { TreeState } from './tree.js';

interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  /** Per node, per level code: 1 when the level goes left (categorical splits only). */
  catLeft: (Uint8Array | null)[];
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

function compileTree(tree: TreeState, state: GbdtState): CompiledTree {
  const catLeft = tree.categories.map((cats, node) => {
    if (!cats) return null;
    const levels = state.features[tree.feature[node] as number]?.levels ?? [];
    const set = new Set(cats);
    return Uint8Array.from(levels, (l) => (set.has(l) ? 1 : 0));
  });
  return {
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    missingLeft: Uint8Array.from(tree.missingLeft, (b) => (b ? 1 : 0)),
    catLeft,
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    value: Float64Array.from(tree.value),
  };
}

/** The node path decision for one row at one internal node. */
export function goesLeft(
  tree: TreeState,
  node: number,
  column: FeatureColumn,
  row: number,
  levelsLeft?: Uint8Array | null,
): boolean {
  if (column.kind === 'numeric') {
    const v = column.values[row] as number;
    return Number.isNaN(v) ? (tree.missingLeft[node] as boolean) : v <= (tree.threshold[node] as number);
  }
  const c = column.codes[row] as number;
  if (c < 0) return tree.missingLeft[node] as boolean;
  if (levelsLeft) return levelsLeft[c] === 1;
  return (tree.categories[node] ?? []).includes(column.levels[c] as string);
}

/** Log-odds margins for every row of a frame already aligned to the model's features (see alignFrame). */
export function predictGbdtMargin(state: GbdtState, frame: FeatureFrame): Float64Array {
  const n = frame.rows;
  const out = new Float64Array(n).fill(state.baseScore);
  const cols = frame.columns;
  for (const t of state.trees) {
    const tree = compileTree(t, state);
    for (let r = 0; r < n; r++) {
      let node = 0;
      for (;;) {
        const f = tree.feature[node] as number;
        if (f < 0) break;
        const col = cols[f] as FeatureColumn;
        let left: boolean;
        if (col.kind === 'numeric') {
          const v = col.values[r] as number;
          left = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= (tree.threshold[node] as number);
        } else {
          const c = col.codes[r] as number;
          left = c < 0 ? tree.missingLeft[node] === 1 : (tree.catLeft[node] as Uint8Array)[c] === 1;
        }
        node = left ? (tree.left[node] as number) : (tree.right[node] as number);
      }
      out[r] = (out[r] as number) + (tree.value[node] as number);
    }
  }
  return out;
}
