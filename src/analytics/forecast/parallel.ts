/**
 * Forecast + backtest of many series, in this thread or spread over worker threads. Each job carries its own
 * seeds, so a series gets the same forecast whichever thread runs it and however many there are.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRng } from '../shared/rng.js';
import {
  type BacktestResult,
  backtestCore,
  type ForecastCoreOptions,
  forecastCore,
  type SeriesForecast,
} from './core.js';

export interface SeriesJob {
  y: Float64Array;
  options: ForecastCoreOptions;
  /** Backtest origins (0: none). */
  origins: number;
  /** Seeds of the forecast's and the backtest's random numbers (what `rng.fork()` would have drawn). */
  forecastSeed: number;
  backtestSeed: number;
}

export interface SeriesOutcome {
  forecast: SeriesForecast;
  backtest: BacktestResult | null;
}

/** Runs one job in this thread. */
export function runJob(job: SeriesJob): SeriesOutcome {
  const forecast = forecastCore(job.y, job.options, createRng(job.forecastSeed));
  const backtest =
    job.origins > 0
      ? backtestCore(job.y, { ...job.options, origins: job.origins }, createRng(job.backtestSeed))
      : null;
  return { forecast, backtest };
}

/** With `threads` 0 (automatic), at least this many series go to worker threads. */
export const AUTO_THREADS_MIN_SERIES = 200;

/** The threads `runJobs` uses: `threads` when given (≥ 1); for 0, two where there are two cores and enough series. */
export function resolveThreads(threads: number, series: number, cores = availableParallelism()): number {
  if (threads >= 1) return threads;
  return cores >= 2 && series >= AUTO_THREADS_MIN_SERIES ? 2 : 1;
}

/**
 * Runs the jobs on `threads` threads (1: this one; 0: automatic, see `resolveThreads`). Workers take contiguous slices; if a worker cannot start
 * (e.g. the TypeScript sources run without tsx at hand), its slice runs here instead, with the same results,
 * and a warning says so.
 */
export async function runJobs(
  jobs: readonly SeriesJob[],
  threads: number,
): Promise<{ outcomes: SeriesOutcome[]; warnings: string[] }> {
  const n = Math.max(1, Math.min(resolveThreads(threads, jobs.length), jobs.length));
  if (n <= 1) return { outcomes: jobs.map(runJob), warnings: [] };
  const size = Math.ceil(jobs.length / n);
  const slices = Array.from({ length: n }, (_, i) => jobs.slice(i * size, (i + 1) * size));
  const warnings: string[] = [];
  const parts = await Promise.all(
    slices.map((slice) =>
      runInWorker(slice).catch((error: Error) => {
        warnings.push(`a worker thread could not run (${error.message}): its series ran in the main thread`);
        return slice.map(runJob);
      }),
    ),
  );
  return { outcomes: parts.flat(), warnings };
}

function runInWorker(jobs: readonly SeriesJob[]): Promise<SeriesOutcome[]> {
  // From the compiled package the worker is worker.js; from the sources (tsx, vitest) worker.ts, loaded after
  // registering tsx's loader in the worker (a worker does not inherit the parent's loader hooks).
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url);
  return new Promise((resolve, reject) => {
    const worker = fromSources
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData: jobs },
        )
      : new Worker(url, { workerData: jobs });
    worker.once('message', (outcomes: SeriesOutcome[]) => {
      resolve(outcomes);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`forecast worker exited with code ${code}`));
    });
  });
}
