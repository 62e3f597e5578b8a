import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { share, WorkerPool } from './pool.js';

const TASKS = pathToFileURL(join(import.meta.dirname, '../../../test/fixtures/pool/tasks.ts')).href;

describe('worker pool', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.start(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs tasks on its worker threads and returns the results in task order', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => Float64Array.of(i, i + 0.5));
    const out = await pool.run<{ threadId: number; doubled: Float64Array }>(
      TASKS,
      'double',
      inputs.map((x) => [x]),
    );
    expect(out.map((r) => Array.from(r.doubled))).toEqual(inputs.map((x) => [x[0]! * 2, x[1]! * 2]));
    expect(out[0]!.doubled).toBeInstanceOf(Float64Array);
    const threads = new Set(out.map((r) => r.threadId));
    expect(threads.has(threadId)).toBe(false);
    expect(threads.size).toBe(2);
  });

  it('shares typed arrays put in shared memory instead of copying them', async () => {
    const values = share(Float64Array.from({ length: 101 }, (_, i) => (i < 100 ? i : 0)));
    expect(values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [sum] = await pool.run<number>(TASKS, 'sumInto', [[values, 100]]);
    expect(sum).toBe(4950);
    expect(values[100]).toBe(4950);
  });

  it("rejects with the task's error and keeps working", async () => {
    await expect(pool.run(TASKS, 'fail', [['no luck']])).rejects.toThrow(/no luck/);
    await expect(pool.run(TASKS, 'missing', [[]])).rejects.toThrow(/expected an exported function missing/);
    const [r] = await pool.run<{ doubled: Float64Array }>(TASKS, 'double', [[Float64Array.of(1)]]);
    expect(Array.from(r!.doubled)).toEqual([2]);
  });
});
