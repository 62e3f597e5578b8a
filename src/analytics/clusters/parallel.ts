/**
 * k-means restarts on worker threads (issue 20). Each restart carries the seed `rng.fork()` would have given
 * it and the best is chosen in restart order, so the result is `kMeans`'s, bit for bit, for any number of
 * threads. The data go to the workers once, in shared memory.
 */
import { moduleUrl, share, WorkerPool } from '../shared/pool.js';
import type { Rng } from '../shared/rng.js';
import { bestRun, type KMeansOptions, type KMeansResult, kMeans, kMeansTolerance, runSeeds } from './core.js';

/** Below this many points × restarts a fit stays in this thread (starting workers costs more). */
export const PARALLEL_MIN_WORK = 400_000;

/** One fit to run: data (n × d) and options, with the generator its restarts fork from. */
export interface FitJob {
  data: Float64Array;
  n: number;
  d: number;
  options: KMeansOptions;
  rng: Rng;
}

/**
 * Runs the fits (all their restarts at once) on `threads` threads; with 1 thread, or little work, in this
 * thread. Same results as `kMeans` on each job, in order. `stats.threads` tells how many threads ran them;
 * `stats.warning` is set when workers could not start and the fits ran here instead.
 */
export async function kMeansMany(
  jobs: readonly FitJob[],
  threads: number,
  stats: { threads?: number; warning?: string } = {},
): Promise<KMeansResult[]> {
  const work = jobs.reduce((s, j) => s + j.n * j.options.nInit, 0);
  const restarts = jobs.reduce((s, j) => s + j.options.nInit, 0);
  const count = Math.min(threads, restarts);
  stats.threads = 1;
  if (count <= 1 || work < PARALLEL_MIN_WORK)
    return jobs.map((j) => kMeans(j.data, j.n, j.d, j.options, j.rng));
  stats.threads = count;
  const tasks: unknown[][] = [];
  const shared = new Map<Float64Array, Float64Array>();
  for (const j of jobs) {
    if (j.options.k < 1 || j.options.k > j.n)
      throw new RangeError(`k must be within 1…${j.n}, got ${j.options.k}`);
    let data = shared.get(j.data);
    if (!data) {
      data = share(j.data);
      shared.set(j.data, data);
    }
    const cat = j.options.categorical;
    const options: KMeansOptions = cat
      ? { ...j.options, categorical: { ...cat, codes: share(cat.codes) } }
      : j.options;
    const tol = kMeansTolerance(j.data, j.n, j.d, j.options.tol);
    for (const seed of runSeeds(j.rng, j.options.nInit)) tasks.push([data, j.n, j.d, options, seed, tol]);
  }
  let pool: WorkerPool;
  try {
    pool = await WorkerPool.start(count);
  } catch (error) {
    // Same result in this thread, only slower: say so rather than fail.
    stats.threads = 1;
    stats.warning = `worker threads could not start (${(error as Error).message}); the restarts ran in one thread`;
    return jobs.map((j) => kMeans(j.data, j.n, j.d, j.options, j.rng));
  }
  try {
    const runs = await pool.run<KMeansResult>(moduleUrl(import.meta.url, './core'), 'kMeansRun', tasks);
    const out: KMeansResult[] = [];
    let at = 0;
    for (const j of jobs) {
      out.push(bestRun(runs.slice(at, at + j.options.nInit)));
      at += j.options.nInit;
    }
    return out;
  } finally {
    await pool.close();
  }
}
