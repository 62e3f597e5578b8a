/**
 * A small pool of worker threads for the numeric cores (issue 20): k-means runs, and open to FP-Growth
 * branches, BTYD likelihood sums or GBDT histograms. A task names a module and one of its exported functions;
 * a worker imports the module once and calls the function with the task's arguments. Results come back in
 * the order of the tasks whatever thread ran them, so a caller that combines them in that order gets the
 * same answer for any number of threads.
 *
 * Large inputs: put them in shared memory once with `share()` (a typed array over a SharedArrayBuffer is
 * seen by every worker without a copy). Typed arrays in a result (top-level fields) are transferred back,
 * not copied.
 *
 * ```ts
 * const pool = await WorkerPool.start(2);
 * try {
 *   const fits = await pool.run(moduleUrl(import.meta.url, './core'), 'kMeansRun', argsPerTask);
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Typed arrays the pool shares or transfers. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** A copy of `array` in shared memory (every worker reads it without a copy); as is when already shared. */
export function share<T extends NumericArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(array.byteLength));
  out.set(array as never);
  return out;
}

/** The threads this machine offers (`os.availableParallelism()`). */
export function machineThreads(): number {
  return availableParallelism();
}

/**
 * The URL of a sibling module for `WorkerPool.run`, e.g. `moduleUrl(import.meta.url, './core')`: core.js in
 * the built package, core.ts when running from the sources (tsx, vitest).
 */
export function moduleUrl(callerUrl: string, relative: string): string {
  return new URL(`${relative}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl).href;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class WorkerPool {
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { id: number; message: unknown }[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly slots: Slot[]) {
    for (const slot of slots) {
      slot.worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        slot.busy = false;
        this.pump();
        if (!p) return;
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.result);
      });
      slot.worker.on('error', (error) => this.fail(error));
      slot.worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a worker thread exited with code ${code}`));
      });
    }
  }

  /** Starts `threads` workers (at least 1) and waits until each is ready. */
  static async start(threads: number): Promise<WorkerPool> {
    const count = Math.max(1, Math.floor(threads));
    const slots = await Promise.all(
      Array.from({ length: count }, async () => ({ worker: await startWorker(), busy: false })),
    );
    return new WorkerPool(slots);
  }

  /** The number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Calls `fn` of the module at `module` (an absolute URL, see `moduleUrl`) once per entry of `argsPerTask`,
   * spread over the workers; resolves with the results in the order of `argsPerTask`.
   */
  run<T>(module: string, fn: string, argsPerTask: readonly (readonly unknown[])[]): Promise<T[]> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'));
    return Promise.all(
      argsPerTask.map(
        (args) =>
          new Promise<T>((resolve, reject) => {
            const id = this.nextId++;
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            this.queue.push({ id, message: { id, module, fn, args } });
            this.pump();
          }),
      ),
    );
  }

  /** Stops the workers (pending tasks fail). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('The worker pool was closed.'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.busy) continue;
      const task = this.queue.shift()!;
      slot.busy = true;
      slot.worker.postMessage(task.message);
    }
  }

  private fail(error: Error): void {
    this.queue.length = 0;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
  }
}

/**
 * One worker on pool-worker.js; from the sources (tsx, vitest) on pool-worker.ts after registering tsx's
 * loader in the worker (a worker does not inherit the parent's loader hooks). Resolves once it is ready.
 */
function startWorker(): Promise<Worker> {
  const url = moduleUrl(import.meta.url, './pool-worker');
  const worker = url.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`,
        { eval: true },
      )
    : new Worker(new URL(url));
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (m: { ready?: boolean }) => {
      worker.off('error', onError);
      if (m.ready) resolve(worker);
      else reject(new Error('a worker thread did not start'));
    });
  });
}
