import { randomBytes } from 'node:crypto';
import { AppError, NotFoundError } from '../../errors.js';
import type { JobInfo } from './types.js';

/** Passed to a job's body: report progress, and check whether the user cancelled. */
export interface JobControl {
  progress(fraction: number, message?: string): void;
  readonly signal: AbortSignal;
}

/** Long work (imports, model fits) runs in the background; clients poll `GET /api/jobs/:id`. */
export interface JobRunner {
  start(kind: string, body: (control: JobControl) => Promise<unknown>): JobInfo;
  get(id: string): JobInfo;
  list(): JobInfo[];
  cancel(id: string): JobInfo;
  /** Resolves when the job has ended (for tests and the CLI). */
  wait(id: string): Promise<JobInfo>;
}

export function createJobRunner(options: { keep?: number } = {}): JobRunner {
  const jobs = new Map<string, { info: JobInfo; controller: AbortController; done: Promise<void> }>();
  const keep = options.keep ?? 100;
  const find = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new NotFoundError(`No job with id "${id}". List jobs with GET /api/jobs.`, { id });
    return job;
  };
  return {
    start(kind, body) {
      const id = randomBytes(6).toString('hex');
      const controller = new AbortController();
      const info: JobInfo = {
        id,
        kind,
        status: 'running',
        progress: 0,
        message: '',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        result: null,
        error: null,
      };
      const control: JobControl = {
        progress(fraction, message) {
          info.progress = Math.max(0, Math.min(1, fraction));
          if (message !== undefined) info.message = message;
        },
        signal: controller.signal,
      };
      const done = body(control)
        .then(
          (result) => {
            if (info.status === 'running') {
              info.status = 'done';
              info.progress = 1;
              info.result = result ?? null;
            }
          },
          (error: unknown) => {
            if (info.status === 'cancelled') return;
            info.status = 'failed';
            info.error = {
              code: error instanceof AppError ? error.code : 'INTERNAL',
              message: error instanceof Error ? error.message : String(error),
              details: error instanceof AppError ? { ...error.details } : {},
            };
          },
        )
        .finally(() => {
          info.finishedAt = new Date().toISOString();
        });
      jobs.set(id, { info, controller, done });
      if (jobs.size > keep) {
        const oldest = [...jobs.values()].find((j) => j.info.status !== 'running');
        if (oldest) jobs.delete(oldest.info.id);
      }
      return info;
    },
    get: (id) => find(id).info,
    list: () => [...jobs.values()].map((j) => j.info).reverse(),
    cancel(id) {
      const job = find(id);
      if (job.info.status === 'running') {
        job.info.status = 'cancelled';
        job.controller.abort();
      }
      return job.info;
    },
    async wait(id) {
      const job = find(id);
      await job.done;
      return job.info;
    },
  };
}
