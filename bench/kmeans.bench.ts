/**
 * k-means core on a 1,000,000 × 8 matrix (8 overlapping Gaussian clusters): our Lloyd with Hamerly's bounds
 * (the default for numeric data) vs the same algorithm without bounds vs scikit-learn's KMeans (Lloyd, one
 * run, k-means++) pinned to one thread. Prints wall and CPU seconds, iterations and inertia per side.
 * Sizes: KMEANS_BENCH_N (default 1,000,000), KMEANS_BENCH_K (default 8).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kMeans } from '../src/analytics/clusters/index.js';
import { createRng } from '../src/analytics/shared/rng.js';

const n = Number(process.env.KMEANS_BENCH_N ?? 1_000_000);
const k = Number(process.env.KMEANS_BENCH_K ?? 8);
const d = 8;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const rng = createRng(1);
const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 2));
const data = new Float64Array(n * d);
for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = centres[i % k]![t]! + rng.normal();

function run(label: string, categorical?: { codes: Int32Array; c: number; gamma: number }) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const fit = kMeans(
    data,
    n,
    d,
    { k, nInit: 1, maxIter: 300, tol: 1e-4, seedSample: 100_000, ...(categorical ? { categorical } : {}) },
    createRng(2),
  );
  const used = process.cpuUsage(cpu);
  const row = {
    side: label,
    wall: (performance.now() - wall) / 1000,
    cpu: (used.user + used.system) / 1e6,
    iterations: fit.iterations,
    inertia: fit.inertia,
  };
  console.log(JSON.stringify(row));
  return row;
}

console.log(`k-means ${n.toLocaleString('en')} × ${d}, k = ${k}, n_init = 1`);
const ours = run('clientele (Hamerly bounds)');
const plain = run('clientele (plain Lloyd)', { codes: new Int32Array(0), c: 0, gamma: 0 });
const dir = mkdtempSync(join(tmpdir(), 'clientele-kmeans-'));
try {
  const file = join(dir, 'x.bin');
  writeFileSync(file, data);
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%U %S',
      PYTHON,
      join(import.meta.dirname, 'sklearn_kmeans.py'),
      'bin',
      file,
      `${n}`,
      `${d}`,
      `${k}`,
      '1',
    ],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  );
  if (r.status !== 0) console.log(`scikit-learn not available: ${(r.stderr || '').trim().split('\n').pop()}`);
  else {
    const sk = JSON.parse(r.stdout.trim()) as { inertia: number; seconds: number; sklearn: string };
    const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    console.log(
      JSON.stringify({
        side: `scikit-learn ${sk.sklearn} (1 thread)`,
        fitSeconds: sk.seconds,
        processCpu: user! + sys!,
        inertia: sk.inertia,
      }),
    );
    console.log(
      `ours / scikit-learn fit wall: ${(ours.wall / sk.seconds).toFixed(2)}×; plain / Hamerly CPU: ${(plain.cpu / ours.cpu).toFixed(2)}×; inertia ratio ${(ours.inertia / sk.inertia).toFixed(5)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
