/**
 * A worker thread of `pool.ts`: imports a task's module once, calls the named export with the task's
 * arguments and posts the result back, transferring the typed arrays among its top-level fields.
 */
import { parentPort } from 'node:worker_threads';

type Exports = Record<string, (...args: unknown[]) => unknown>;

const modules = new Map<string, Promise<Exports>>();
const port = parentPort!;

port.on('message', async (task: { id: number; module: string; fn: string; args: unknown[] }) => {
  try {
    let loading = modules.get(task.module);
    if (!loading) {
      loading = import(task.module) as Promise<Exports>;
      modules.set(task.module, loading);
    }
    const mod = await loading;
    const fn = mod[task.fn];
    if (typeof fn !== 'function')
      throw new Error(`${task.module}: expected an exported function ${task.fn}, found none`);
    const result = await fn(...task.args);
    port.postMessage({ id: task.id, result }, transferables(result));
  } catch (error) {
    port.postMessage({
      id: task.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
port.postMessage({ ready: true });

/** The (unshared) buffers of the typed arrays among a result's top-level fields, each once. */
function transferables(result: unknown): ArrayBuffer[] {
  if (result === null || typeof result !== 'object') return [];
  const values = ArrayBuffer.isView(result) ? [result] : Object.values(result as object);
  const out = new Set<ArrayBuffer>();
  for (const v of values)
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength)
      out.add(v.buffer);
  return [...out];
}
