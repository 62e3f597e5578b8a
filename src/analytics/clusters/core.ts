/**
 * Clustering maths on typed arrays: transforms and standardisation, k-means (Lloyd) with k-means++ seeding,
 * k-prototypes for mixed numeric + categorical data (Huang 1998), silhouette on a sample, the adjusted Rand
 * index, and descriptive names from the most distinguishing features. Pure and deterministic by seed.
 *
 * Data layout: row-major `Float64Array` of n × d (row i at [i·d, (i+1)·d)); categorical data as
 * `Int32Array` codes, n × c.
 */
import { createRng, type Rng } from '../shared/rng.js';

export type Transform = 'none' | 'log1p';

export interface Scaling {
  features: string[];
  transforms: Transform[];
  /** Mean of each transformed feature (missing values are replaced by it). */
  means: number[];
  /** Standard deviation of each transformed feature (1 when constant). */
  stds: number[];
}

/** Sample skewness of the finite values; 0 for fewer than 3 values or no spread. */
export function skewness(values: ArrayLike<number | null>): number {
  let n = 0;
  let mean = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    n++;
    mean += (v - mean) / n;
  }
  if (n < 3) return 0;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const dlt = v - mean;
    m2 += dlt * dlt;
    m3 += dlt * dlt * dlt;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/** log1p for non-negative features whose skewness exceeds `threshold` (default 1), else none. */
export function chooseTransforms(columns: readonly ArrayLike<number | null>[], threshold = 1): Transform[] {
  return columns.map((col) => {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v !== null && v !== undefined && Number.isFinite(v) && v < min) min = v;
    }
    return min >= 0 && skewness(col) > threshold ? 'log1p' : 'none';
  });
}

function applyTransform(v: number, t: Transform): number {
  return t === 'log1p' ? Math.log1p(v) : v;
}

/** Fits the scaling (transform, then mean 0 / sd 1) and returns the standardised matrix. */
export function fitScaling(
  features: readonly string[],
  columns: readonly ArrayLike<number | null>[],
  transforms: readonly Transform[],
): { scaling: Scaling; data: Float64Array; n: number; d: number; missing: number } {
  const d = columns.length;
  const n = d ? columns[0]!.length : 0;
  const means: number[] = [];
  const stds: number[] = [];
  for (let j = 0; j < d; j++) {
    const col = columns[j]!;
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const raw = col[i];
      if (raw === null || raw === undefined || !Number.isFinite(raw)) continue;
      const v = applyTransform(raw, transforms[j]!);
      count++;
      const delta = v - mean;
      mean += delta / count;
      m2 += delta * (v - mean);
    }
    means.push(count ? mean : 0);
    const sd = count ? Math.sqrt(m2 / count) : 0;
    stds.push(sd > 0 ? sd : 1);
  }
  const scaling: Scaling = { features: [...features], transforms: [...transforms], means, stds };
  const { data, missing } = applyScaling(scaling, columns);
  return { scaling, data, n, d, missing };
}

/** Standardises columns with a fitted scaling; missing values become 0 (the mean). */
export function applyScaling(
  scaling: Scaling,
  columns: readonly ArrayLike<number | null>[],
): { data: Float64Array; missing: number } {
  const d = columns.length;
  const n = d ? columns[0]!.length : 0;
  const data = new Float64Array(n * d);
  let missing = 0;
  for (let j = 0; j < d; j++) {
    const col = columns[j]!;
    const t = scaling.transforms[j]!;
    const m = scaling.means[j]!;
    const s = scaling.stds[j]!;
    for (let i = 0; i < n; i++) {
      const raw = col[i];
      if (raw === null || raw === undefined || !Number.isFinite(raw)) {
        missing++;
        data[i * d + j] = 0;
      } else data[i * d + j] = (applyTransform(raw, t) - m) / s;
    }
  }
  return { data, missing };
}

export interface KMeansOptions {
  k: number;
  /** Restarts; the run with the lowest cost wins. */
  nInit: number;
  maxIter: number;
  /** Stop when the total squared centre shift is below tol × mean feature variance (as scikit-learn). */
  tol: number;
  /** k-means++ seeds from a random sample of at most this many points (all when n is smaller). */
  seedSample: number;
  /** Categorical codes (n × c) for k-prototypes; empty for plain k-means. */
  categorical?: { codes: Int32Array; c: number; gamma: number };
}

export interface KMeansResult {
  k: number;
  /** k × d numeric centres (standardised units). */
  centers: Float64Array;
  /** k × c modes (k-prototypes only). */
  modes: Int32Array;
  labels: Int32Array;
  /** Sum of squared distances to the assigned centre (plus γ × mismatches for k-prototypes). */
  inertia: number;
  iterations: number;
  converged: boolean;
}

/**
 * k-means (Lloyd) with k-means++ seeding (greedy, 2 + ⌊ln k⌋ candidates per step as scikit-learn), n_init
 * restarts; with `categorical` it is k-prototypes: cost = squared Euclidean distance + γ × mismatching
 * categories, modes as categorical centres. An emptied cluster is re-seeded with the point farthest from
 * its centre.
 */
export function kMeans(
  data: Float64Array,
  n: number,
  d: number,
  options: KMeansOptions,
  rng: Rng,
): KMeansResult {
  checkK(options.k, n);
  const tol = featureTolerance(data, n, d, options.tol);
  let best: KMeansResult | null = null;
  for (let run = 0; run < options.nInit; run++) {
    const r = lloyd(data, n, d, options, rng.fork(), tol);
    if (!best || r.inertia < best.inertia) best = r;
  }
  return best!;
}

function checkK(k: number, n: number): void {
  if (k < 1 || k > n) throw new RangeError(`k must be within 1…${n}, got ${k}`);
}

/**
 * The seeds of `nInit` runs: what `rng.fork()` would draw for each, in order (`createRng(seed)` is that fork),
 * so runs can go to other threads and still give `kMeans`'s result.
 */
export function runSeeds(rng: Rng, nInit: number): number[] {
  return Array.from({ length: nInit }, () => rng.int(2 ** 32));
}

/** One k-means run from its seed (as drawn by `runSeeds`); `tolerance` from `kMeansTolerance`. */
export function kMeansRun(
  data: Float64Array,
  n: number,
  d: number,
  options: KMeansOptions,
  seed: number,
  tolerance: number,
): KMeansResult {
  checkK(options.k, n);
  return lloyd(data, n, d, options, createRng(seed), tolerance);
}

/** k-means++ seeds (greedy, on a sample of at most `seedSample` points), as a run of `kMeans` draws them. */
export function kMeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  seedSample: number,
  rng: Rng,
): Float64Array {
  checkK(k, n);
  return seedPlusPlus(data, n, d, k, seedSample, rng);
}

/** Lloyd's iterations (with Hamerly's bounds) from given k × d centres (not changed); for benches and peers. */
export function kMeansFromCenters(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  maxIter: number,
  tolerance: number,
): KMeansResult {
  const k = centers.length / d;
  checkK(k, n);
  return hamerly(data, n, d, k, Float64Array.from(centers), tolerance, maxIter);
}

/** The best of several runs: lowest inertia, the earliest run on a tie (as `kMeans`). */
export function bestRun(runs: readonly KMeansResult[]): KMeansResult {
  let best = runs[0]!;
  for (const r of runs) if (r.inertia < best.inertia) best = r;
  return best;
}

/** The stopping threshold of a fit: `tol` × the mean feature variance of the data. */
export function kMeansTolerance(data: Float64Array, n: number, d: number, tol: number): number {
  return featureTolerance(data, n, d, tol);
}

function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  o: KMeansOptions,
  rng: Rng,
  tol: number,
): KMeansResult {
  const k = o.k;
  const cat = o.categorical;
  const c = cat?.c ?? 0;
  const centers = seedPlusPlus(data, n, d, k, o.seedSample, rng, cat);
  if (!cat && k > 1) return hamerly(data, n, d, k, centers, tol, o.maxIter);
  const modes = new Int32Array(k * c);
  if (cat) {
    // Modes start from the categories of the seed points' nearest rows: take each centre's nearest point.
    for (let j = 0; j < k; j++) {
      const i = nearestPoint(data, n, d, centers, j);
      for (let t = 0; t < c; t++) modes[j * c + t] = cat.codes[i * c + t]!;
    }
  }
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  for (; iterations < o.maxIter; ) {
    iterations++;
    assign(data, n, d, centers, k, labels, dist, cat, modes);
    clusterSums(data, n, d, labels, sums, counts);
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Re-seed an empty cluster with the point farthest from its centre.
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
        const from = labels[far]!;
        counts[from]!--;
        for (let t = 0; t < d; t++) {
          sums[from * d + t]! -= data[far * d + t]!;
          sums[j * d + t] = data[far * d + t]!;
        }
        counts[j] = 1;
        labels[far] = j;
        dist[far] = 0;
      }
    }
    let shift = 0;
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < d; t++) {
        const v = sums[j * d + t]! / counts[j]!;
        const delta = v - centers[j * d + t]!;
        shift += delta * delta;
        centers[j * d + t] = v;
      }
    }
    let modeChanged = false;
    if (cat) modeChanged = updateModes(cat, labels, n, k, modes);
    if (shift <= tol && !modeChanged) {
      converged = true;
      break;
    }
  }
  assign(data, n, d, centers, k, labels, dist, cat, modes);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i]!;
  return { k, centers, modes, labels, inertia, iterations, converged };
}

/** Per-cluster coordinate sums and sizes of the labelled points. */
function clusterSums(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    counts[l]!++;
    for (let t = 0; t < d; t++) sums[l * d + t]! += data[i * d + t]!;
  }
}

/** tol × the mean feature variance: the stopping threshold on the total squared centre shift (as scikit-learn). */
function featureTolerance(data: Float64Array, n: number, d: number, tol: number): number {
  // Welford's running mean and squared deviations per feature, all features in one pass over the rows.
  const m = new Float64Array(d);
  const m2 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const count = i + 1;
    for (let t = 0; t < d; t++) {
      const v = data[row + t]!;
      const delta = v - m[t]!;
      m[t]! += delta / count;
      m2[t]! += delta * (v - m[t]!);
    }
  }
  let variance = 0;
  for (let t = 0; t < d; t++) variance += m2[t]! / n;
  return tol * (d ? variance / d : 0);
}

/**
 * Lloyd's iterations with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): the same centres
 * and labels as plain Lloyd (up to exact ties), but a point whose distance to its centre is provably below
 * its distance to every other centre is not measured again. Per point an upper bound on the distance to
 * its centre and a lower bound on the distance to the second-closest; per centre half the distance to its
 * nearest other centre. After the first iterations most points are skipped.
 */
function hamerly(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  tol: number,
  maxIter: number,
): KMeansResult {
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  const previous = new Float64Array(k * d);
  const two = new Float64Array(2);

  for (let i = 0; i < n; i++) {
    labels[i] = nearestTwo(data, i * d, d, centers, k, two);
    upper[i] = Math.sqrt(two[0]!);
    lower[i] = Math.sqrt(two[1]!);
  }
  clusterSums(data, n, d, labels, sums, counts);
  let iterations = 0;
  let converged = false;
  let maxMove = 0;
  let maxMoveAt = -1;
  let secondMove = 0;
  while (iterations < maxIter) {
    iterations++;
    // New centres from the running sums; an emptied cluster takes the point farthest from its centre.
    if (counts.some((c) => c === 0)) {
      const dist = new Float64Array(n);
      assign(data, n, d, centers, k, labels, dist);
      for (let j = 0; j < k; j++) {
        if (counts[j] !== 0) continue;
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
        labels[far] = j;
        dist[far] = 0;
        clusterSums(data, n, d, labels, sums, counts);
      }
      // Labels changed outside the bounds: every point is measured again in the next pass.
      upper.fill(Number.POSITIVE_INFINITY);
      lower.fill(0);
    }
    previous.set(centers);
    let shift = 0;
    maxMove = 0;
    maxMoveAt = -1;
    secondMove = 0;
    for (let j = 0; j < k; j++) {
      let m = 0;
      for (let t = 0; t < d; t++) {
        const v = sums[j * d + t]! / counts[j]!;
        const delta = v - previous[j * d + t]!;
        m += delta * delta;
        centers[j * d + t] = v;
      }
      shift += m;
      moved[j] = Math.sqrt(m);
      if (moved[j]! > maxMove) {
        secondMove = maxMove;
        maxMove = moved[j]!;
        maxMoveAt = j;
      } else if (moved[j]! > secondMove) secondMove = moved[j]!;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
    halfDistances(centers, k, d, half);
    // One pass per point: the bounds follow the centres (the own centre moved by moved[a], any other by at
    // most the largest move); a point is measured again only when its bounds no longer prove its label.
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      const u = upper[i]! + moved[a]!;
      const l = lower[i]! - (a === maxMoveAt ? secondMove : maxMove);
      const bound = half[a]! > l ? half[a]! : l;
      lower[i] = l;
      if (u <= bound) {
        upper[i] = u;
        continue;
      }
      const row = i * d;
      const own = Math.sqrt(sqTo(data, row, centers, a * d, d));
      upper[i] = own;
      if (own <= bound) continue;
      const b = nearestTwo(data, row, d, centers, k, two);
      labels[i] = b;
      upper[i] = Math.sqrt(two[0]!);
      lower[i] = Math.sqrt(two[1]!);
      if (b !== a) {
        counts[a]!--;
        counts[b]!++;
        for (let t = 0; t < d; t++) {
          const v = data[row + t]!;
          sums[a * d + t]! -= v;
          sums[b * d + t]! += v;
        }
      }
    }
  }
  // Labels and cost against the final centres: the same pass once more, measuring every point's own centre.
  // When the loop ended by converging, the bounds have not followed the last move yet.
  if (converged) halfDistances(centers, k, d, half);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    const row = i * d;
    const s = sqTo(data, row, centers, a * d, d);
    if (converged) {
      const l = lower[i]! - (a === maxMoveAt ? secondMove : maxMove);
      const bound = half[a]! > l ? half[a]! : l;
      if (Math.sqrt(s) <= bound) {
        inertia += s;
        continue;
      }
    }
    labels[i] = nearestTwo(data, row, d, centers, k, two);
    inertia += two[0]!;
  }
  return { k, centers, modes: new Int32Array(0), labels, inertia, iterations, converged };
}

/** Half the distance from each centre to its nearest other centre. */
function halfDistances(centers: Float64Array, k: number, d: number, half: Float64Array): void {
  for (let j = 0; j < k; j++) {
    let m = Number.POSITIVE_INFINITY;
    for (let j2 = 0; j2 < k; j2++) {
      if (j2 === j) continue;
      const s = sqTo(centers, j * d, centers, j2 * d, d);
      if (s < m) m = s;
    }
    half[j] = Math.sqrt(m) / 2;
  }
}

/** Squared distance between the d values at `a[ra…]` and `b[rb…]`. */
function sqTo(a: Float64Array, ra: number, b: Float64Array, rb: number, d: number): number {
  if (d === 3) {
    const x = a[ra]! - b[rb]!;
    const y = a[ra + 1]! - b[rb + 1]!;
    const z = a[ra + 2]! - b[rb + 2]!;
    return x * x + y * y + z * z;
  }
  let s = 0;
  for (let t = 0; t < d; t++) {
    const x = a[ra + t]! - b[rb + t]!;
    s += x * x;
  }
  return s;
}

/**
 * The nearest centre of the point at `data[row…]` (the first on a tie); `out` gets the squared distances to
 * it and to the second nearest.
 */
function nearestTwo(
  data: Float64Array,
  row: number,
  d: number,
  centers: Float64Array,
  k: number,
  out: Float64Array,
): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  let secondD = Number.POSITIVE_INFINITY;
  if (d === 3) {
    const x0 = data[row]!;
    const x1 = data[row + 1]!;
    const x2 = data[row + 2]!;
    for (let j = 0, cj = 0; j < k; j++, cj += 3) {
      const a = x0 - centers[cj]!;
      const b = x1 - centers[cj + 1]!;
      const c = x2 - centers[cj + 2]!;
      const s = a * a + b * b + c * c;
      if (s < bestD) {
        secondD = bestD;
        bestD = s;
        best = j;
      } else if (s < secondD) secondD = s;
    }
  } else {
    for (let j = 0, cj = 0; j < k; j++, cj += d) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = data[row + t]! - centers[cj + t]!;
        s += x * x;
      }
      if (s < bestD) {
        secondD = bestD;
        bestD = s;
        best = j;
      } else if (s < secondD) secondD = s;
    }
  }
  out[0] = bestD;
  out[1] = secondD;
  return best;
}

function nearestPoint(data: Float64Array, n: number, d: number, centers: Float64Array, j: number): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const x = data[i * d + t]! - centers[j * d + t]!;
      s += x * x;
    }
    if (s < bestD) {
      bestD = s;
      best = i;
    }
  }
  return best;
}

function updateModes(
  cat: NonNullable<KMeansOptions['categorical']>,
  labels: Int32Array,
  n: number,
  k: number,
  modes: Int32Array,
): boolean {
  const { codes, c } = cat;
  let changed = false;
  for (let t = 0; t < c; t++) {
    let maxCode = 0;
    for (let i = 0; i < n; i++) if (codes[i * c + t]! > maxCode) maxCode = codes[i * c + t]!;
    const tally = new Int32Array(k * (maxCode + 1));
    for (let i = 0; i < n; i++) tally[labels[i]! * (maxCode + 1) + codes[i * c + t]!]!++;
    for (let j = 0; j < k; j++) {
      let bestCode = modes[j * c + t]!;
      let bestCount = -1;
      for (let v = 0; v <= maxCode; v++) {
        const cnt = tally[j * (maxCode + 1) + v]!;
        if (cnt > bestCount) {
          bestCount = cnt;
          bestCode = v;
        }
      }
      if (bestCount > 0 && bestCode !== modes[j * c + t]) {
        modes[j * c + t] = bestCode;
        changed = true;
      }
    }
  }
  return changed;
}

/** Assigns every point to its nearest centre (first on ties); `dist` gets the cost. */
export function assign(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
  cat?: KMeansOptions['categorical'],
  modes?: Int32Array,
): void {
  const c = cat?.c ?? 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = data[i * d + t]! - centers[j * d + t]!;
        s += x * x;
      }
      if (cat && modes) {
        let mismatch = 0;
        for (let t = 0; t < c; t++) if (cat.codes[i * c + t] !== modes[j * c + t]) mismatch++;
        s += cat.gamma * mismatch;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    labels[i] = best;
    dist[i] = bestD;
  }
}

/** Greedy k-means++ on a sample (numeric part only). */
function seedPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  sampleMax: number,
  rng: Rng,
  _cat?: KMeansOptions['categorical'],
): Float64Array {
  const idx = sampleIndices(n, Math.min(n, sampleMax), rng);
  const s = idx.length;
  // The sample's rows side by side, so the passes below read memory in order.
  const rows = new Float64Array(s * d);
  for (let a = 0; a < s; a++) rows.set(data.subarray(idx[a]! * d, idx[a]! * d + d), a * d);
  const centers = new Float64Array(k * d);
  let closest = new Float64Array(s);
  const first = rng.int(s);
  for (let t = 0; t < d; t++) centers[t] = rows[first * d + t]!;
  let pot = 0;
  for (let a = 0; a < s; a++) {
    closest[a] = sqTo(rows, a * d, centers, 0, d);
    pot += closest[a]!;
  }
  const trials = 2 + Math.floor(Math.log(k));
  let candidateDist = new Float64Array(s);
  let bestDist = new Float64Array(s);
  for (let j = 1; j < k; j++) {
    let bestCandidate = -1;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < trials; trial++) {
      let r = rng.next() * pot;
      let a = 0;
      for (; a < s - 1; a++) {
        r -= closest[a]!;
        if (r <= 0) break;
      }
      const ca = a * d;
      let p = 0;
      for (let b = 0; b < s; b++) {
        const own = closest[b]!;
        const to = sqTo(rows, b * d, rows, ca, d);
        const dd = own < to ? own : to;
        candidateDist[b] = dd;
        p += dd;
      }
      if (p < bestPot) {
        bestPot = p;
        bestCandidate = a;
        const swap = bestDist;
        bestDist = candidateDist;
        candidateDist = swap;
      }
    }
    for (let t = 0; t < d; t++) centers[j * d + t] = rows[bestCandidate * d + t]!;
    const swap = closest;
    closest = bestDist;
    bestDist = swap;
    pot = bestPot;
  }
  return centers;
}

function sqPoints(data: Float64Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const x = data[a * d + t]! - data[b * d + t]!;
    s += x * x;
  }
  return s;
}

/** `m` distinct indices from 0…n−1 in increasing order (Floyd's sampling when m < n). */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  if (m * 32 < n) {
    const chosen = new Set<number>();
    for (let j = n - m; j < n; j++) {
      const t = rng.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return Int32Array.from([...chosen].sort((a, b) => a - b));
  }
  // The same draws marked in a byte per index and read back in order (no set, no sort).
  const chosen = new Uint8Array(n);
  for (let j = n - m; j < n; j++) {
    const t = rng.int(j + 1);
    chosen[chosen[t] ? j : t] = 1;
  }
  const out = new Int32Array(m);
  for (let i = 0, o = 0; i < n; i++) if (chosen[i]) out[o++] = i;
  return out;
}

/**
 * Mean silhouette of the points in `sample` (indices), distances among the sample only (numeric squared
 * Euclidean → Euclidean; plus γ × mismatches for k-prototypes, as the cost). −1…1; higher is better.
 */
export function silhouette(
  data: Float64Array,
  d: number,
  labels: Int32Array,
  k: number,
  sample: Int32Array,
  cat?: KMeansOptions['categorical'],
): number {
  const s = sample.length;
  if (k < 2 || s < 2) return 0;
  const sumTo = new Float64Array(k);
  const countIn = new Float64Array(k);
  for (let a = 0; a < s; a++) countIn[labels[sample[a]!]!]!++;
  let total = 0;
  for (let a = 0; a < s; a++) {
    sumTo.fill(0);
    const i = sample[a]!;
    for (let b = 0; b < s; b++) {
      if (a === b) continue;
      const jdx = sample[b]!;
      let sqd = sqPoints(data, i, jdx, d);
      if (cat) {
        let mismatch = 0;
        for (let t = 0; t < cat.c; t++)
          if (cat.codes[i * cat.c + t] !== cat.codes[jdx * cat.c + t]) mismatch++;
        sqd += cat.gamma * mismatch;
      }
      sumTo[labels[jdx]!]! += Math.sqrt(sqd);
    }
    const own = labels[i]!;
    if (countIn[own]! <= 1) continue; // silhouette of a singleton is 0
    const aMean = sumTo[own]! / (countIn[own]! - 1);
    let bMean = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++)
      if (j !== own && countIn[j]! > 0) bMean = Math.min(bMean, sumTo[j]! / countIn[j]!);
    const denom = Math.max(aMean, bMean);
    total += denom > 0 && Number.isFinite(bMean) ? (bMean - aMean) / denom : 0;
  }
  return total / s;
}

/** Adjusted Rand index of two labelings (Hubert & Arabie 1985): 1 = identical partitions, ≈0 = chance. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}|${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  let sumA = 0;
  for (const v of rows.values()) sumA += c2(v);
  let sumB = 0;
  for (const v of cols.values()) sumB += c2(v);
  const expected = (sumA * sumB) / c2(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Words for a feature being far below / far above the base, used in cluster names. */
export const FEATURE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  revenue: ['low-spend', 'high-spend'],
  revenue_365d: ['low recent spend', 'high recent spend'],
  gross_margin: ['low-margin', 'high-margin'],
  orders: ['one-off', 'frequent'],
  orders_365d: ['rarely buying', 'frequent this year'],
  order_days: ['one-off', 'frequent'],
  recency_days: ['recent', 'lapsed'],
  tenure_days: ['new', 'long-standing'],
  aov: ['small baskets', 'big baskets'],
  items: ['few items', 'many items'],
  mean_gap_days: ['quick repeaters', 'slow repeaters'],
  promo_share: ['full-price', 'discount driven'],
  return_rate: ['keeps purchases', 'high returns'],
  email_open_rate: ['e-mail silent', 'e-mail engaged'],
  email_click_rate: ['non-clickers', 'clickers'],
  email_opened: ['e-mail silent', 'e-mail engaged'],
  service_contacts: ['self-sufficient', 'service heavy'],
  age: ['younger', 'older'],
  area_median_income: ['lower-income areas', 'affluent areas'],
};

export interface CenterProfile {
  /** Per feature: (cluster mean − base mean) ÷ base sd, in standardised units. */
  z: readonly number[];
  /** Per categorical attribute: the mode's label and its share in the cluster and the base. */
  modes?: readonly { attribute: string; value: string; share: number; baseShare: number }[];
}

/**
 * A short descriptive name per cluster from its most distinguishing features (|z| ≥ 0.25, up to three,
 * largest first), e.g. "high-spend, lapsed, discount driven"; a categorical mode joins when it is at least
 * 1.5× as common as in the base. Names are made unique with a number.
 */
export function nameClusters(features: readonly string[], profiles: readonly CenterProfile[]): string[] {
  const names = profiles.map((p) => {
    const parts = p.z
      .map((z, j) => ({ z, j }))
      .filter((x) => Math.abs(x.z) >= 0.25)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.j - b.j)
      .slice(0, 3)
      .map(({ z, j }) => {
        const f = features[j]!;
        const words = FEATURE_WORDS[f];
        return words ? words[z > 0 ? 1 : 0] : `${z > 0 ? 'high' : 'low'} ${f.replaceAll('_', ' ')}`;
      });
    for (const m of p.modes ?? []) {
      if (parts.length < 4 && m.baseShare > 0 && m.share / m.baseShare >= 1.5)
        parts.push(`mostly ${m.attribute} ${m.value}`);
    }
    const unique = [...new Set(parts)];
    return unique.length ? unique.join(', ') : 'average';
  });
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}
