// Our side of bench/kmeans-peers.bench.ts as a whole process on the built package (dist/): reads a raw
// float64 row-major matrix, fits k-means and prints one JSON line (fit wall and CPU seconds, inertia,
// iterations, threads used).
//   node bench/kmeans-child.mjs fit FILE N D K N_INIT THREADS MAX_ITER SEED_SAMPLE SEED
//   node bench/kmeans-child.mjs start FILE N D K SEED CENTRES_OUT   k-means++ seeds (on all points) written to
//                                             CENTRES_OUT, then one run of Lloyd from them, timed alone (as the peer)
import { readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/analytics/', import.meta.url);
const { kMeansFromCenters, kMeansPlusPlus, kMeansTolerance } = await import(
  new URL('clusters/core.js', dist).href
);
const { kMeansMany } = await import(new URL('clusters/parallel.js', dist).href);
const { createRng } = await import(new URL('shared/rng.js', dist).href);

const [mode, file, ...rest] = process.argv.slice(2);
const buf = readFileSync(file);
const data = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
const num = rest.map(Number);
let wall = performance.now();
let cpu = process.cpuUsage();
let fit;
let threads = 1;
if (mode === 'fit') {
  const [n, d, k, nInit, threadCount, maxIter, seedSample, seed] = num;
  const stats = {};
  [fit] = await kMeansMany(
    [{ data, n, d, options: { k, nInit, maxIter, tol: 1e-4, seedSample }, rng: createRng(seed) }],
    threadCount,
    stats,
  );
  threads = stats.threads;
} else if (mode === 'start') {
  const [n, d, k, seed] = num;
  const centres = kMeansPlusPlus(data, n, d, k, n, createRng(seed));
  writeFileSync(rest[4], centres);
  // Time Lloyd only, as the peer's fit from given centres.
  wall = performance.now();
  cpu = process.cpuUsage();
  fit = kMeansFromCenters(data, n, d, centres, 300, kMeansTolerance(data, n, d, 1e-4));
} else throw new Error(`expected mode fit or start, got ${mode}`);
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    seconds: (performance.now() - wall) / 1000,
    cpu: (used.user + used.system) / 1e6,
    inertia: fit.inertia,
    iterations: fit.iterations,
    threads,
  }),
);
