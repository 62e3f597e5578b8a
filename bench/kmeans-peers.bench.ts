/**
 * k-means against scikit-learn (issue 20 items 2 and 8), whole process, interleaved A B, B A, … (KMEANS_PEERS_PAIRS
 * pairs, default 3), on the same data file: 1,000,000 × 3 (KMEANS_PEERS_N), 8 overlapping Gaussian clusters
 * (centres ~ N(0, 2²), unit spread), k = 8, tol 1e-4. Ours is the built package (bench/kmeans-child.mjs on dist/),
 * scikit-learn 1.2.1 is Debian's (/usr/bin/python3, bench/sklearn_kmeans.py) with OMP/OpenBLAS/MKL threads set.
 *
 * Cases (KMEANS_PEERS_CASES, comma-separated; default all):
 * - start: one run of Lloyd from the same k-means++ centres (ours draws them on all points and writes them; the
 *   peer starts from that file): the same work on both sides, so the iterations and inertia must agree.
 * - one: n_init = 10, max_iter 300, one thread each; each side its own k-means++ (ours on a 100,000-point sample,
 *   as the product does; scikit-learn on all points); the best inertia of each is compared.
 * - two: the same on two threads each (ours: restarts on two worker threads; scikit-learn: OpenMP).
 * - defaults: each product's defaults on a 1M-customer fit: ours n_init 3 (auto above 200,000), max_iter 100, all
 *   cores; scikit-learn KMeans() 1.2.1 (n_init 10, max_iter 300, all cores).
 * Prints per pair wall and CPU (whole process) and each side's own fit time, then the medians and ratios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/analytics/shared/rng.js';
import { type Interleaved, interleave, type ProcessRun, PYTHON, summary, wholeProcess } from './peers.js';
import { median } from './util.js';

const N = Number(process.env.KMEANS_PEERS_N ?? 1_000_000);
const PAIRS = Number(process.env.KMEANS_PEERS_PAIRS ?? 3);
const CASES = (process.env.KMEANS_PEERS_CASES ?? 'start,one,two,defaults').split(',');
const D = 3;
const K = 8;
const CHILD = join(import.meta.dirname, 'kmeans-child.mjs');
const PEER = join(import.meta.dirname, 'sklearn_kmeans.py');
const MACHINE = cpus().length;

interface Fit {
  seconds: number;
  cpu: number;
  inertia: number;
  iterations: number;
}

const probe = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(
    `kmeans-peers: skipped, ${PYTHON} has no scikit-learn (Debian: apt-get install python3-sklearn).`,
  );
  process.exit(0);
}
if (!existsSync(join(import.meta.dirname, '..', 'dist', 'analytics', 'clusters', 'parallel.js')))
  throw new Error('dist/ has no k-means: build first (npx tsc -p tsconfig.build.json, or npm run bench).');

const threadsEnv = (t: number): NodeJS.ProcessEnv => ({
  ...process.env,
  OMP_NUM_THREADS: String(t),
  OPENBLAS_NUM_THREADS: String(t),
  MKL_NUM_THREADS: String(t),
});

function ours(args: (string | number)[]): ProcessRun & { answer: Fit } {
  const run = wholeProcess(process.execPath, [CHILD, ...args.map(String)]);
  return { ...run, answer: JSON.parse(run.stdout.trim().split('\n').pop()!) as Fit };
}

function peer(args: (string | number)[], threads: number): ProcessRun & { answer: Fit } {
  const run = wholeProcess(PYTHON, [PEER, ...args.map(String)], threadsEnv(threads));
  return { ...run, answer: JSON.parse(run.stdout.trim().split('\n').pop()!) as Fit };
}

function report(name: string, r: Interleaved<Fit, Fit>, sameStart: boolean): void {
  const fitOurs = r.ours.map((x) => x.answer.seconds);
  const fitPeer = r.peer.map((x) => x.answer.seconds);
  const fitCpuOurs = r.ours.map((x) => x.answer.cpu);
  const fitCpuPeer = r.peer.map((x) => x.answer.cpu);
  const inertiaOurs = Math.min(...r.ours.map((x) => x.answer.inertia));
  const inertiaPeer = Math.min(...r.peer.map((x) => x.answer.inertia));
  const rel = (inertiaOurs - inertiaPeer) / inertiaPeer;
  console.log(summary(name, r));
  console.log(
    `  own fit time: ours median ${median(fitOurs).toFixed(2)} s wall / ${median(fitCpuOurs).toFixed(2)} s CPU, scikit-learn ${median(fitPeer).toFixed(2)} s / ${median(fitCpuPeer).toFixed(2)} s CPU; fit wall ratio per pair ${fitOurs.map((o, i) => `${(fitPeer[i]! / o).toFixed(2)}×`).join(' ')} (median ${median(fitOurs.map((o, i) => fitPeer[i]! / o)).toFixed(2)}×), fit CPU ratio median ${median(fitCpuOurs.map((o, i) => fitCpuPeer[i]! / o)).toFixed(2)}×`,
  );
  console.log(
    `  inertia: ours ${inertiaOurs.toFixed(3)}, scikit-learn ${inertiaPeer.toFixed(3)} (ours − peer) / peer = ${rel.toExponential(2)}; iterations ours ${r.ours.map((x) => x.answer.iterations).join('/')}, peer ${r.peer.map((x) => x.answer.iterations).join('/')}`,
  );
  const limit = sameStart ? 1e-6 : 1e-4;
  if (!(rel <= limit))
    console.log(`  WARNING: ours is above scikit-learn's inertia by more than ${limit} (relative)`);
}

const dir = mkdtempSync(join(tmpdir(), 'clientele-kmeans-peers-'));
try {
  const rng = createRng(1);
  const centres = Array.from({ length: K }, () => Array.from({ length: D }, () => rng.normal() * 2));
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++)
    for (let t = 0; t < D; t++) data[i * D + t] = centres[i % K]![t]! + rng.normal();
  const file = join(dir, 'x.bin');
  writeFileSync(file, data);
  console.log(
    `k-means ${N.toLocaleString('en')} × ${D}, k = ${K}, tol 1e-4; scikit-learn ${probe.stdout.trim()}; ${MACHINE} cores, load ${loadavg()[0]!.toFixed(1)}, Node ${process.version}, ${PAIRS} pairs`,
  );

  if (CASES.includes('start')) {
    console.log('same start: one run of Lloyd from the same k-means++ centres, one thread each');
    const r = interleave(
      PAIRS,
      () => ours(['start', file, N, D, K, 5, join(dir, 'centres.bin')]),
      () => peer(['bin', file, N, D, K, 1, 300, join(dir, 'centres.bin')], 1),
    );
    report('same start', r, true);
  }
  if (CASES.includes('one')) {
    console.log('n_init = 10, one thread each');
    const r = interleave(
      PAIRS,
      () => ours(['fit', file, N, D, K, 10, 1, 300, 100_000, 2]),
      () => peer(['bin', file, N, D, K, 10, 300], 1),
    );
    report('n_init 10, 1 thread', r, false);
  }
  if (CASES.includes('two')) {
    console.log('n_init = 10, two threads each');
    const r = interleave(
      PAIRS,
      () => ours(['fit', file, N, D, K, 10, 2, 300, 100_000, 2]),
      () => peer(['bin', file, N, D, K, 10, 300], 2),
    );
    report('n_init 10, 2 threads', r, false);
  }
  if (CASES.includes('defaults')) {
    console.log(`each product's defaults, ${MACHINE} threads each`);
    const r = interleave(
      PAIRS,
      () => ours(['fit', file, N, D, K, 3, MACHINE, 100, 100_000, 2]),
      () => peer(['bin', file, N, D, K, 10, 300], MACHINE),
    );
    report('defaults', r, false);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
