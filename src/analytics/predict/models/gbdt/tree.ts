/**
 * Tree representations. `GrownTree` is the binned form used while boosting (splits on bin indices);
 * `TreeState` is the serialisable form on raw values (thresholds and category names) that scoring, TreeSHAP
 * and the SQL compiler read. Both use parallel arrays indexed by node id; node 0 is the root and a node with
 * feature −1 is a leaf.
 */
import type { FeatureSpec } from '../frame.js';
import type { BinnedData, FeatureBins } from './binning.js';

export interface GrownTree {
  feature: number[];
  bin: number[];
  missingLeft: boolean[];
  catLeft: (Uint8Array | null)[];
  left: number[];
  right: number[];
  value: number[];
  count: number[];
}

/** A fitted tree on raw feature values; JSON-safe. */
export interface TreeState {
  /** Feature index per node, −1 for a leaf. */
  feature: number[];
  /** Numeric splits: a value ≤ threshold goes left. 0 for leaves and categorical splits. */
  threshold: number[];
  /** Where a missing value goes (and, for categorical splits, a level not seen at fit time). */
  missingLeft: boolean[];
  /** Categorical splits: the levels that go left; null elsewhere. */
  categories: (string[] | null)[];
  left: number[];
  right: number[];
  /** Leaf output in log-odds (learning rate applied); 0 for internal nodes. */
  value: number[];
  /** Training rows that reached the node (the cover used by TreeSHAP). */
  cover: number[];
}

export function emptyGrownTree(): GrownTree {
  return { feature: [], bin: [], missingLeft: [], catLeft: [], left: [], right: [], value: [], count: [] };
}

/** Leaf value of one binned row. */
export function predictBinnedRow(tree: GrownTree, data: BinnedData, row: number): number {
  const stride = data.stride;
  const bins = data.bins;
  let node = 0;
  for (;;) {
    const f = tree.feature[node] as number;
    if (f < 0) return tree.value[node] as number;
    const b = bins[f * stride + row] as number;
    const cat = tree.catLeft[node];
    let goLeft: boolean;
    if (cat) goLeft = cat[b] === 1;
    else if (b === (data.info[f] as FeatureBins).missingBin) goLeft = tree.missingLeft[node] as boolean;
    else goLeft = b <= (tree.bin[node] as number);
    node = goLeft ? (tree.left[node] as number) : (tree.right[node] as number);
  }
}

/** Converts a binned tree to raw thresholds and level names. */
export function toTreeState(
  tree: GrownTree,
  info: readonly FeatureBins[],
  specs: readonly FeatureSpec[],
): TreeState {
  const nodes = tree.feature.length;
  const state: TreeState = {
    feature: [...tree.feature],
    threshold: new Array(nodes).fill(0),
    missingLeft: [...tree.missingLeft],
    categories: new Array(nodes).fill(null),
    left: [...tree.left],
    right: [...tree.right],
    value: [...tree.value],
    cover: [...tree.count],
  };
  for (let i = 0; i < nodes; i++) {
    const f = tree.feature[i] as number;
    if (f < 0) continue;
    const fi = info[f] as FeatureBins;
    const cat = tree.catLeft[i];
    if (cat) {
      const levels = specs[f]?.levels ?? [];
      const last = fi.valueBins - 1;
      const chosen: string[] = [];
      levels.forEach((level, code) => {
        if (cat[Math.min(code, last)] === 1) chosen.push(level);
      });
      state.categories[i] = chosen;
    } else {
      state.threshold[i] = fi.thresholds[tree.bin[i] as number] as number;
    }
  }
  return state;
}
