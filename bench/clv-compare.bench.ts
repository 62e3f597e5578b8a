/**
 * BG/NBD side by side: `clientele clv fit --model bgnbd --json` (the built CLI, as a user runs it) and a
 * lifetimes-style reference in SciPy (`bench/clv-reference.py`: NOT the lifetimes package, which cannot be
 * installed here; it follows BetaGeoFitter's documented method: summary from transactions, weighted grouped
 * rows, Nelder–Mead on log-parameters), on the same simulated transactions (bench/clv-sim.ts).
 * Both are timed end to end from the transactions: clientele from its datamart (SQL summary + fit), the
 * reference from a CSV export of the same orders (reading + summary + fit). Wall and CPU seconds are of the
 * child processes (GNU time), so start-up costs are included; each tool's own fit timing is printed too.
 * Sizes: CLV_COMPARE_SIZES=100000 (default; 1000000 also works); needs python3 with numpy and scipy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrationEnd, simulatedDatamart } from './clv-sim.js';

const sizes = (process.env.CLV_COMPARE_SIZES ?? '100000').split(',').map(Number);
const here = import.meta.dirname;
const cliMain = join(here, '..', 'dist', 'services', 'cli', 'main.js');

interface Timed {
  stdout: string;
  wall: number;
  cpu: number;
}

/** Runs a command under GNU time; wall and user+system CPU seconds of the child. */
function timed(command: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %U %S', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m)
    throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr?.slice(-2000)}`);
  return { stdout: r.stdout, wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

const fmt = (p: Record<string, number>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');

for (const customers of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'clv-compare-'));
  try {
    const { db, csv, orders } = await simulatedDatamart(dir, customers);
    console.log(
      `clv compare: ${customers.toLocaleString('en')} customers, ${orders.toLocaleString('en')} transactions, calibration end ${calibrationEnd}, weeks`,
    );

    const ours = timed(process.execPath, [
      cliMain,
      'clv',
      'fit',
      '--model',
      'bgnbd',
      '--calibration-end',
      calibrationEnd,
      '--unit',
      'week',
      '--json',
      '--db',
      db,
    ]);
    const o = JSON.parse(ours.stdout) as {
      params: Record<string, number>;
      logLikelihood: number;
      iterations: number;
      seconds: number;
      distinctRows: number;
    };
    console.log(
      `  clientele clv fit --model bgnbd --json: ${fmt(o.params)}; LL ${o.logLikelihood.toFixed(2)}; ${o.iterations} iterations (L-BFGS, analytic gradient); ${o.distinctRows.toLocaleString('en')} distinct rows; seconds ${o.seconds.toFixed(2)} (its own: SQL summary + fit); process ${ours.wall.toFixed(2)} s wall, ${ours.cpu.toFixed(2)} s CPU`,
    );

    // Grouped rows with weights (a careful lifetimes user), then one row per customer (lifetimes' default).
    for (const [method, ...extra] of [['nelder-mead'], ['bfgs'], ['bfgs', '--ungrouped']] as const) {
      const ref = timed('python3', [
        join(here, 'clv-reference.py'),
        csv,
        calibrationEnd,
        '--method',
        method,
        ...extra,
      ]);
      const p = JSON.parse(ref.stdout) as {
        params: Record<string, number>;
        logLikelihood: number;
        iterations: number;
        evaluations: number;
        converged: boolean;
        distinctRows: number;
        seconds: { summary: number; fit: number; total: number };
      };
      console.log(
        `  lifetimes-style reference in SciPy (${[method, ...extra].join(' ')}; not lifetimes itself): ${fmt(p.params)}; LL ${p.logLikelihood.toFixed(2)} (ours − ref ${(o.logLikelihood - p.logLikelihood).toFixed(3)}); ${p.iterations} iterations, ${p.evaluations} evaluations, converged ${p.converged}; ${p.distinctRows.toLocaleString('en')} distinct rows; seconds ${p.seconds.total.toFixed(2)} (its own: summary ${p.seconds.summary.toFixed(2)} + fit ${p.seconds.fit.toFixed(2)}); process ${ref.wall.toFixed(2)} s wall, ${ref.cpu.toFixed(2)} s CPU; ratio (process wall) ${(ref.wall / ours.wall).toFixed(1)}×, (own seconds) ${(p.seconds.total / o.seconds).toFixed(1)}×`,
      );
    }
    console.log(
      `  load average ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
