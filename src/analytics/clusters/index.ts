/**
 * Customer clustering: k-means (k-means++ seeding, n_init restarts) on standardised, log-transformed
 * features, k chosen by silhouette on a sample (or given), k-prototypes when categorical attributes are
 * included; every cluster profiled and named from its most distinguishing features. Assignments are
 * written by SQL (`customer_clusters`) from the fitted model.
 */
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { ident, sql, tableExists } from '../../store/index.js';
import { describeFeatureTable, FEATURES_TABLE, featureTableAsOf } from '../features/index.js';
import { machineThreads } from '../shared/pool.js';
import { createRng } from '../shared/rng.js';
import {
  applyScaling,
  chooseTransforms,
  fitScaling,
  type KMeansOptions,
  type KMeansResult,
  nameClusters,
  sampleIndices,
  silhouette,
  type Transform,
} from './core.js';
import type { ClusterState } from './explain.js';
import { kMeansMany } from './parallel.js';
import { type ClusterParams, parseParams } from './params.js';
import { clusterInputSql, MISSING, scoreSql } from './sql.js';

export {
  analyseBehaviours,
  type BehaviourAnalysis,
  type BehaviourRule,
  parseBehaviourRules,
} from './behaviours.js';
export {
  adjustedRandIndex,
  applyScaling,
  assign,
  chooseTransforms,
  FEATURE_WORDS,
  fitScaling,
  type KMeansOptions,
  type KMeansResult,
  kMeans,
  nameClusters,
  type Scaling,
  sampleIndices,
  silhouette,
  skewness,
  type Transform,
} from './core.js';
export { type ClusterState, explainCluster } from './explain.js';
export { type FitJob, kMeansMany } from './parallel.js';
export { type ClusterParams, DEFAULT_FEATURES, defaults, parseParams } from './params.js';
export { clusterInputSql, scoreSql } from './sql.js';

/** The table that `clusterCustomers` writes. */
export const CLUSTERS_TABLE = 'customer_clusters';
/** The latest saved run's summary (one row: as_of, ran_at, summary as JSON), read back by `latestClusterRun`. */
export const CLUSTER_RUNS_TABLE = 'cluster_runs';

export interface ClusterProfile {
  cluster: number;
  name: string;
  size: number;
  share: number;
  /** Per feature: mean in the cluster and in the base (original units), and the centre in SDs (z). */
  features: { feature: string; mean: number | null; baseMean: number | null; z: number }[];
  /** Per categorical attribute: the cluster's most common value and its share vs the base. */
  modes: { attribute: string; value: string; share: number; baseShare: number }[];
}

export interface ClusterResult {
  asOf: string;
  params: ClusterParams;
  customers: number;
  k: number;
  chosenBy: 'user' | 'silhouette';
  /** Silhouette per candidate k (on a sample); with --k, the chosen k's only. */
  silhouettes: { k: number; silhouette: number }[];
  inertia: number;
  iterations: number;
  converged: boolean;
  transforms: { feature: string; transform: Transform }[];
  clusters: ClusterProfile[];
  /** The fitted model (JSON-safe). */
  state: ClusterState;
  /** Rows written to customer_clusters (null when not saved). */
  saved: number | null;
  warnings: string[];
}

/** Clusters the customers of the built feature table and (by default) saves the assignments. */
export async function clusterCustomers(
  engine: Engine,
  input: Partial<ClusterParams> = {},
  options: { save?: boolean; onProgress?: (step: string) => void; threads?: number } = {},
): Promise<ClusterResult> {
  const params = parseParams(input);
  // Restarts run on worker threads: the result is the same for any number (see parallel.ts).
  const threads = options.threads ?? machineThreads();
  const parallel: { warning?: string } = {};
  const asOf = await featureTableAsOf(engine);
  if (!asOf)
    throw new InputError(
      'The customer feature table has not been built. Run `clientele features build --as-of YYYY-MM-DD` first.',
      {},
      { code: 'NOT_FOUND' },
    );
  const known = new Map(
    (await describeFeatureTable(engine, FEATURES_TABLE)).map((c) => [c.name, c.kind] as const),
  );
  const issues = [
    ...params.features
      .filter((f) => known.get(f) !== 'number')
      .map((f) => `${f} (${known.has(f) ? `a ${known.get(f)} column` : 'unknown'})`),
    ...params.categorical.filter((f) => !known.has(f)).map((f) => `${f} (unknown)`),
  ];
  if (issues.length)
    throw new InputError(
      `Clustering: expected numeric feature columns of customer_features (and known categorical ones), got ${issues.join(', ')}. See docs/features.md.`,
      { issues },
      { code: 'INVALID_ARGUMENT' },
    );
  options.onProgress?.('loading');
  const cols = await engine.queryColumns(
    clusterInputSql(FEATURES_TABLE, params.features, params.categorical, params.buyersOnly),
  );
  const ids = (cols.customer_id ?? []) as string[];
  const n = ids.length;
  const warnings: string[] = [];
  const kMax = params.k ?? params.kMax;
  if (n < Math.max(kMax, 2) * 2)
    throw new InputError(
      `Clustering: ${n} customers are too few for ${kMax} clusters; expected at least ${kMax * 2}.`,
      { customers: n },
      { code: 'EMPTY_INPUT' },
    );
  const numericCols = params.features.map((f) => (cols[f] ?? []) as (number | null)[]);
  const transforms: Transform[] =
    params.transform === 'auto'
      ? chooseTransforms(numericCols)
      : numericCols.map((col) =>
          params.transform === 'log1p' && col.every((v) => v === null || v >= 0) ? 'log1p' : 'none',
        );
  const { scaling, data, d, missing } = fitScaling(params.features, numericCols, transforms);
  if (missing)
    warnings.push(
      `${missing} missing feature values were replaced by the feature mean (e.g. open rate of customers never e-mailed).`,
    );
  // Categorical codes.
  const categorical = params.categorical.map((column) => {
    const raw = (cols[column] ?? []) as unknown[];
    const values = [...new Set(raw.map((v) => (v === null || v === undefined ? MISSING : String(v))))].sort();
    const index = new Map(values.map((v, i) => [v, i]));
    return {
      column,
      values,
      codes: raw.map((v) => index.get(v === null || v === undefined ? MISSING : String(v))!),
    };
  });
  const c = categorical.length;
  const gamma = params.gamma ?? 0.5;
  const codes = new Int32Array(n * c);
  categorical.forEach((cat, t) => {
    cat.codes.forEach((code, i) => {
      codes[i * c + t] = code;
    });
  });
  const cat = c ? { codes, c, gamma } : undefined;
  const nInit = params.nInit === 'auto' ? (n <= 200_000 ? 10 : 3) : params.nInit;
  const rng = createRng(params.seed);
  const fitOptions = (k: number): KMeansOptions => ({
    k,
    nInit,
    maxIter: params.maxIter,
    tol: params.tol,
    seedSample: params.seedSample,
    ...(cat ? { categorical: cat } : {}),
  });

  // Choose k on a sample.
  const silhouettes: { k: number; silhouette: number }[] = [];
  let k = params.k ?? params.kMin;
  if (params.k === null) {
    const sampleIdx = sampleIndices(n, Math.min(n, params.selectionSample), rng.fork());
    const s = sampleIdx.length;
    const sData = new Float64Array(s * d);
    const sCodes = new Int32Array(s * c);
    sampleIdx.forEach((i, a) => {
      sData.set(data.subarray(i * d, (i + 1) * d), a * d);
      sCodes.set(codes.subarray(i * c, (i + 1) * c), a * c);
    });
    const sCat = cat ? { codes: sCodes, c, gamma } : undefined;
    const silIdx = sampleIndices(s, Math.min(s, params.silhouetteSample), rng.fork());
    let bestScore = Number.NEGATIVE_INFINITY;
    const candidates: number[] = [];
    for (let cand = params.kMin; cand <= Math.min(params.kMax, s - 1); cand++) candidates.push(cand);
    options.onProgress?.(`k = ${candidates.join(', ')}`);
    const fits = await kMeansMany(
      candidates.map((cand) => ({
        data: sData,
        n: s,
        d,
        options: { ...fitOptions(cand), ...(sCat ? { categorical: sCat } : {}) },
        rng: rng.fork(),
      })),
      threads,
      parallel,
    );
    candidates.forEach((cand, at) => {
      const score = silhouette(sData, d, fits[at]!.labels, cand, silIdx, sCat);
      silhouettes.push({ k: cand, silhouette: score });
      if (score > bestScore + 1e-12) {
        bestScore = score;
        k = cand;
      }
    });
  }
  options.onProgress?.(`fitting k = ${k}`);
  const [fit] = (await kMeansMany(
    [{ data, n, d, options: fitOptions(k), rng: rng.fork() }],
    threads,
    parallel,
  )) as [KMeansResult];
  if (parallel.warning) warnings.push(parallel.warning);
  if (!fit.converged)
    warnings.push(
      `k-means stopped after ${params.maxIter} iterations without converging; raise maxIter (--max-iter).`,
    );
  if (params.k !== null) {
    const silIdx = sampleIndices(n, Math.min(n, params.silhouetteSample), rng.fork());
    silhouettes.push({ k, silhouette: silhouette(data, d, fit.labels, k, silIdx, cat) });
  }
  const clusters = profiles(fit, params, numericCols, categorical, n, d, c);
  const names = nameClusters(
    params.features,
    clusters.map((p) => ({ z: p.features.map((f) => f.z), modes: p.modes })),
  );
  clusters.forEach((p, j) => {
    p.name = names[j]!;
  });
  const state: ClusterState = {
    scaling,
    centers: Array.from({ length: k }, (_, j) => Array.from(fit.centers.subarray(j * d, (j + 1) * d))),
    modes: Array.from({ length: k }, (_, j) => categorical.map((cc, t) => cc.values[fit.modes[j * c + t]!]!)),
    categorical: categorical.map((cc) => ({ column: cc.column, values: cc.values })),
    gamma,
    names,
  };
  const result: ClusterResult = {
    asOf,
    params,
    customers: n,
    k,
    chosenBy: params.k === null ? 'silhouette' : 'user',
    silhouettes,
    inertia: fit.inertia,
    iterations: fit.iterations,
    converged: fit.converged,
    transforms: params.features.map((feature, j) => ({ feature, transform: transforms[j]! })),
    clusters,
    state,
    saved: null,
    warnings,
  };
  if (options.save === false) return result;
  options.onProgress?.('saving');
  // The assignments and the run are one transaction: a failure in between leaves neither (the previous
  // run's assignments and summary stay together).
  return engine.transaction(async (tx) => {
    const saved = await writeAssignments(tx, state, params.buyersOnly, asOf);
    const done = { ...result, saved };
    await writeClusterRun(tx, done, new Date());
    return done;
  });
}

/** A saved run: the result without the fitted model, and when it ran (ISO timestamp). */
export type SavedClusterRun = Omit<ClusterResult, 'state'> & { ranAt: string };

/**
 * Keeps `result` (without its fitted model) as the datamart's latest cluster run in `cluster_runs`, replacing
 * the one before, so the dashboard shows it after a reload or a server restart.
 */
export async function saveClusterRun(
  engine: Engine,
  result: ClusterResult,
  ranAt = new Date(),
): Promise<void> {
  await engine.transaction((tx) => writeClusterRun(tx, result, ranAt));
}

/** Replaces `cluster_runs` with `result`'s summary, inside the caller's transaction. */
async function writeClusterRun(tx: Engine, result: ClusterResult, ranAt: Date): Promise<void> {
  const { state: _state, ...summary } = result;
  const select = sql`SELECT ${tx.dialect.dateParam(result.asOf)} AS as_of, ${ranAt.toISOString()} AS ran_at, ${JSON.stringify(summary)} AS summary`;
  if (tx.dialect.supportsCreateOrReplace)
    await tx.exec(sql`CREATE OR REPLACE TABLE ${ident(CLUSTER_RUNS_TABLE)} AS ${select}`);
  else {
    await tx.exec(sql`DROP TABLE IF EXISTS ${ident(CLUSTER_RUNS_TABLE)}`);
    await tx.exec(sql`CREATE TABLE ${ident(CLUSTER_RUNS_TABLE)} AS ${select}`);
  }
}

/** The datamart's latest saved cluster run, or null when none has been saved (or its table is unreadable). */
export async function latestClusterRun(engine: Engine): Promise<SavedClusterRun | null> {
  if (!(await tableExists(engine, CLUSTER_RUNS_TABLE))) return null;
  const [row] = await engine.query<{ ran_at: string; summary: string }>(
    sql`SELECT ran_at, summary FROM ${ident(CLUSTER_RUNS_TABLE)} ORDER BY ran_at DESC LIMIT 1`,
  );
  if (!row) return null;
  return { ...(JSON.parse(row.summary) as Omit<ClusterResult, 'state'>), ranAt: String(row.ran_at) };
}

function profiles(
  fit: KMeansResult,
  params: ClusterParams,
  numericCols: readonly (number | null)[][],
  categorical: readonly { column: string; values: string[]; codes: number[] }[],
  n: number,
  d: number,
  c: number,
): ClusterProfile[] {
  const k = fit.k;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[fit.labels[i]!]!++;
  return Array.from({ length: k }, (_, j) => {
    const features = params.features.map((feature, t) => {
      const col = numericCols[t]!;
      let sum = 0;
      let cnt = 0;
      let baseSum = 0;
      let baseCnt = 0;
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        baseSum += v;
        baseCnt++;
        if (fit.labels[i] === j) {
          sum += v;
          cnt++;
        }
      }
      return {
        feature,
        mean: cnt ? sum / cnt : null,
        baseMean: baseCnt ? baseSum / baseCnt : null,
        z: fit.centers[j * d + t]!,
      };
    });
    const modes = categorical.map((cc, t) => {
      const code = fit.modes[j * c + t]!;
      let inCluster = 0;
      let inBase = 0;
      for (let i = 0; i < n; i++) {
        if (cc.codes[i] !== code) continue;
        inBase++;
        if (fit.labels[i] === j) inCluster++;
      }
      return {
        attribute: cc.column,
        value: cc.values[code]!,
        share: sizes[j] ? inCluster / sizes[j]! : 0,
        baseShare: inBase / n,
      };
    });
    return {
      cluster: j,
      name: '',
      size: sizes[j]!,
      share: sizes[j]! / n,
      features,
      modes,
    } satisfies ClusterProfile;
  });
}

/** Writes customer_clusters (customer_id, cluster, cluster_name, as_of) from the model, in SQL. */
export async function saveAssignments(
  engine: Engine,
  state: ClusterState,
  buyersOnly: boolean,
  asOf: string,
): Promise<number> {
  return engine.transaction((tx) => writeAssignments(tx, state, buyersOnly, asOf));
}

/** Replaces customer_clusters inside the caller's transaction; returns its row count. */
async function writeAssignments(
  tx: Engine,
  state: ClusterState,
  buyersOnly: boolean,
  asOf: string,
): Promise<number> {
  const select = sql`SELECT s.*, ${tx.dialect.dateParam(asOf)} AS as_of FROM (${scoreSql(tx.dialect, state, FEATURES_TABLE, buyersOnly)}) s`;
  if (tx.dialect.supportsCreateOrReplace)
    await tx.exec(sql`CREATE OR REPLACE TABLE ${ident(CLUSTERS_TABLE)} AS ${select}`);
  else {
    await tx.exec(sql`DROP TABLE IF EXISTS ${ident(CLUSTERS_TABLE)}`);
    await tx.exec(sql`CREATE TABLE ${ident(CLUSTERS_TABLE)} AS ${select}`);
  }
  const [row] = await tx.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${ident(CLUSTERS_TABLE)}`);
  return Number(row?.n ?? 0);
}

/** @internal standardises raw columns with a model's scaling (for tests comparing TS and SQL assignment). */
export function standardise(state: ClusterState, columns: readonly (number | null)[][]): Float64Array {
  return applyScaling(state.scaling, columns).data;
}
