/**
 * Grows one histogram tree, best-first (leaf-wise, as LightGBM and scikit-learn's HistGradientBoosting):
 * the open leaf with the largest gain is split next until `maxLeaves` leaves or `maxDepth` is reached.
 * Row indices of each node are a contiguous range of one index array, partitioned stably in place, so
 * every range stays sorted and memory access stays sequential.
 */
import type { BinnedData } from './binning.js';
import {
  buildFullHistogram,
  buildHistogram,
  countBins,
  type HistogramLoops,
  subtractHistogram,
  typescriptLoops,
} from './histogram.js';
import { findBestSplit, type SplitCandidate, type SplitRules } from './split.js';
import { emptyGrownTree, type GrownTree } from './tree.js';
import { type Arena, arenaBytes, heapArena } from './wasm/kernels.js';

export interface GrowOptions extends SplitRules {
  maxLeaves: number;
  /** 0 = unlimited. */
  maxDepth: number;
  learningRate: number;
}

/** Buffers reused across trees so boosting allocates nothing per tree. */
export interface GrowWorkspace {
  histPool: Float64Array[];
  og: Float64Array;
  oh: Float64Array;
  tmp: Uint32Array;
  /** Bin counts over all rows (the count part of a full-data root histogram), computed on first use. */
  allCounts: Float64Array | null;
  /** The histogram loops; `histPool`, `og`, `oh`, the bins and the gradients come from the arena they read. */
  loops: HistogramLoops;
}

/** Bytes createWorkspace takes from its arena (for sizing one up front). */
export function workspaceBytes(rows: number, totalBins: number, maxLeaves: number): number {
  const hist: [number, number] = [totalBins * 3, 8];
  return arenaBytes(...Array.from({ length: maxLeaves + 1 }, () => hist), [rows, 8], [rows, 8]);
}

export function createWorkspace(
  data: BinnedData,
  maxLeaves: number,
  arena: Arena = heapArena,
  loops: HistogramLoops = typescriptLoops,
): GrowWorkspace {
  const size = data.totalBins * 3;
  return {
    histPool: Array.from({ length: maxLeaves + 1 }, () => arena.f64(size)),
    og: arena.f64(data.rows),
    oh: arena.f64(data.rows),
    tmp: new Uint32Array(data.rows),
    allCounts: null,
    loops,
  };
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

/**
 * Grows a tree on rows idx[0..count) with gradients `grad`/`hess` (indexed by row). `idx` is partitioned in
 * place; on return `leafRanges` lists [node, start, end] for each leaf so the caller can add leaf values to
 * the rows it grew on without walking the tree.
 */
export function growTree(
  data: BinnedData,
  grad: Float64Array,
  hess: Float64Array,
  idx: Uint32Array,
  count: number,
  fullRows: boolean,
  features: Int32Array,
  options: GrowOptions,
  ws: GrowWorkspace,
): { tree: GrownTree; leafRanges: number[] } {
  const tree = emptyGrownTree();
  const pool = [...ws.histPool];
  const newNode = (c: number): number => {
    tree.feature.push(-1);
    tree.bin.push(0);
    tree.missingLeft.push(false);
    tree.catLeft.push(null);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    tree.count.push(c);
    return tree.feature.length - 1;
  };
  const histOf = (start: number, end: number, natural: boolean): Float64Array => {
    const hist = pool.pop() as Float64Array;
    const { og, oh } = ws;
    if (natural) {
      ws.allCounts ??= countBins(data);
      buildFullHistogram(data, features, grad, hess, hist, ws.allCounts, ws.loops);
    } else {
      buildHistogram(data, features, idx, start, end, grad, hess, og, oh, hist, ws.loops);
    }
    return hist;
  };
  const canSplit = (start: number, end: number, depth: number): boolean =>
    end - start >= 2 * options.minSamplesLeaf && (options.maxDepth <= 0 || depth < options.maxDepth);

  let g0 = 0;
  let h0 = 0;
  for (let i = 0; i < count; i++) {
    const r = idx[i] as number;
    g0 += grad[r] as number;
    h0 += hess[r] as number;
  }
  const root = newNode(count);
  const open: OpenLeaf[] = [];
  const leaves: OpenLeaf[] = [];
  const rootHist = histOf(0, count, fullRows);
  const rootLeaf: OpenLeaf = {
    node: root,
    start: 0,
    end: count,
    depth: 0,
    g: g0,
    h: h0,
    hist: rootHist,
    split: null,
  };
  if (canSplit(0, count, 0)) rootLeaf.split = findBestSplit(data, rootHist, features, g0, h0, count, options);
  open.push(rootLeaf);
  let leafCount = 1;

  while (leafCount < options.maxLeaves) {
    let bi = -1;
    let bestGain = -1;
    for (let i = 0; i < open.length; i++) {
      const s = open[i]?.split;
      if (s && s.gain > bestGain) {
        bestGain = s.gain;
        bi = i;
      }
    }
    if (bi < 0) break;
    const leaf = open[bi] as OpenLeaf;
    open.splice(bi, 1);
    const split = leaf.split as SplitCandidate;
    const nLeft = partition(data, idx, ws.tmp, leaf.start, leaf.end, split);
    const mid = leaf.start + nLeft;
    const f = split.feature;
    tree.feature[leaf.node] = f;
    tree.bin[leaf.node] = split.bin;
    tree.missingLeft[leaf.node] = split.missingLeft;
    tree.catLeft[leaf.node] = split.catLeft;
    const ln = newNode(nLeft);
    const rn = newNode(leaf.end - mid);
    tree.left[leaf.node] = ln;
    tree.right[leaf.node] = rn;
    leafCount++;

    const depth = leaf.depth + 1;
    const left: OpenLeaf = {
      node: ln,
      start: leaf.start,
      end: mid,
      depth,
      g: split.gLeft,
      h: split.hLeft,
      hist: leaf.hist,
      split: null,
    };
    const right: OpenLeaf = {
      node: rn,
      start: mid,
      end: leaf.end,
      depth,
      g: leaf.g - split.gLeft,
      h: leaf.h - split.hLeft,
      hist: leaf.hist,
      split: null,
    };
    // After the last split the children are never split again: their histograms would go unused.
    const more = leafCount < options.maxLeaves;
    if (more && (canSplit(left.start, left.end, depth) || canSplit(right.start, right.end, depth))) {
      // Build the smaller child, derive the larger one by subtraction in the parent's buffer.
      const [small, large] = nLeft <= leaf.end - mid ? [left, right] : [right, left];
      small.hist = histOf(small.start, small.end, false);
      subtractHistogram(data, features, leaf.hist as Float64Array, small.hist);
      large.hist = leaf.hist;
      for (const child of [left, right]) {
        if (canSplit(child.start, child.end, depth))
          child.split = findBestSplit(
            data,
            child.hist as Float64Array,
            features,
            child.g,
            child.h,
            child.end - child.start,
            options,
          );
      }
    } else {
      left.hist = null;
      right.hist = null;
      pool.push(leaf.hist as Float64Array);
    }
    for (const child of [left, right]) {
      if (child.split) open.push(child);
      else {
        leaves.push(child);
        if (child.hist) pool.push(child.hist);
        child.hist = null;
      }
    }
  }
  for (const l of open) leaves.push(l);
  const leafRanges: number[] = [];
  for (const l of leaves) {
    const v = -(l.g / (l.h + options.l2)) * options.learningRate;
    tree.value[l.node] = Number.isFinite(v) ? v : 0;
    leafRanges.push(l.node, l.start, l.end);
  }
  return { tree, leafRanges };
}

/** Stable in-place partition of idx[start..end) by the split; returns the number of rows going left. */
function partition(
  data: BinnedData,
  idx: Uint32Array,
  tmp: Uint32Array,
  start: number,
  end: number,
  split: SplitCandidate,
): number {
  const f = split.feature;
  const col = data.bins.subarray(f * data.stride, f * data.stride + data.rows);
  const missingBin = data.info[f]?.missingBin ?? -1;
  let w = start;
  let t = 0;
  const cat = split.catLeft;
  // Branch-free: both buffers are written and only one cursor advances, so a 50/50 split costs no
  // branch mispredictions.
  if (cat) {
    for (let i = start; i < end; i++) {
      const r = idx[i] as number;
      const l = cat[col[r] as number] as number;
      idx[w] = r;
      tmp[t] = r;
      w += l;
      t += 1 - l;
    }
  } else {
    const bin = split.bin;
    const ml = split.missingLeft ? 1 : 0;
    for (let i = start; i < end; i++) {
      const r = idx[i] as number;
      const b = col[r] as number;
      const l = b === missingBin ? ml : +(b <= bin); // the missing test is rarely true: predictable
      idx[w] = r;
      tmp[t] = r;
      w += l;
      t += 1 - l;
    }
  }
  idx.set(tmp.subarray(0, t), w);
  return w - start;
}
