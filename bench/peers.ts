/**
 * Running ours and a real peer side by side (issue 20): whole process, interleaved A B A B …, medians and the
 * ratio per pair, peak RSS and the load average. The peers' source is placed by bench/peers/setup.sh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { median } from './util.js';

export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const PEERS = join(import.meta.dirname, 'peers', 'src');

/** Whether bench/peers/setup.sh has placed the peers; when not, a comparison bench says so and stops (exit 0). */
export function requirePeers(bench: string): void {
  if (existsSync(join(PEERS, 'mlxtend')) && existsSync(join(PEERS, 'lifetimes'))) return;
  console.log(`${bench}: skipped, the peers are not placed (run bench/peers/setup.sh; see its header).`);
  process.exit(0);
}

/** The environment a peer script needs (PYTHONPATH to the placed sources, one thread for BLAS/OpenMP). */
export function peerEnv(threads = 1): NodeJS.ProcessEnv {
  if (!existsSync(join(PEERS, 'mlxtend'))) {
    throw new Error('The peers are not placed: run bench/peers/setup.sh first (see its header).');
  }
  const t = String(threads);
  return {
    ...process.env,
    PYTHONPATH: ['mlxtend', 'lifetimes', 'autograd'].map((p) => join(PEERS, p)).join(':'),
    OMP_NUM_THREADS: t,
    OPENBLAS_NUM_THREADS: t,
    MKL_NUM_THREADS: t,
  };
}

/** Our CLI, built (`npm run bench` builds first), as a whole process. */
export const CLI = join(import.meta.dirname, '..', 'dist', 'services', 'cli', 'main.js');

export interface ProcessRun {
  wall: number;
  /** User + system CPU seconds of the process (all threads): on a busy machine, the fairer measure. */
  cpu: number;
  rssMiB: number;
  stdout: string;
}

/** Runs a command as a whole process under /usr/bin/time: wall seconds and peak RSS. */
export function wholeProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRun {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M %U %S', command, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const m = /__TIME__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) {
    throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
  }
  return {
    wall: Number(m[1]),
    rssMiB: Number(m[2]) / 1024,
    cpu: Number(m[3]) + Number(m[4]),
    stdout: r.stdout,
  };
}

export interface Interleaved<A, B> {
  ours: (ProcessRun & { answer: A })[];
  peer: (ProcessRun & { answer: B })[];
  /** Peer wall ÷ our wall, per pair (above 1: we are faster). */
  ratios: number[];
  /** Peer CPU ÷ our CPU, per pair. */
  cpuRatios: number[];
  load: number[];
}

/** Runs ours and the peer alternately, `pairs` times each, ours first in odd pairs and second in even ones. */
export function interleave<A, B>(
  pairs: number,
  ours: () => ProcessRun & { answer: A },
  peer: () => ProcessRun & { answer: B },
): Interleaved<A, B> {
  const out: Interleaved<A, B> = { ours: [], peer: [], ratios: [], cpuRatios: [], load: [] };
  for (let i = 0; i < pairs; i++) {
    out.load.push(loadavg()[0]!);
    let a: ProcessRun & { answer: A };
    let b: ProcessRun & { answer: B };
    if (i % 2 === 0) {
      a = ours();
      b = peer();
    } else {
      b = peer();
      a = ours();
    }
    out.ours.push(a);
    out.peer.push(b);
    out.ratios.push(b.wall / a.wall);
    out.cpuRatios.push(b.cpu / a.cpu);
    console.log(
      `  pair ${i + 1}: ours ${a.wall.toFixed(2)} s wall / ${a.cpu.toFixed(2)} s CPU (${a.rssMiB.toFixed(0)} MiB), peer ${b.wall.toFixed(2)} s / ${b.cpu.toFixed(2)} s CPU (${b.rssMiB.toFixed(0)} MiB), ratio ${(b.wall / a.wall).toFixed(2)}× wall, ${(b.cpu / a.cpu).toFixed(2)}× CPU, load ${out.load[i]!.toFixed(1)}`,
    );
  }
  return out;
}

/** One line of medians for RESULTS.md. */
export function summary(name: string, r: Interleaved<unknown, unknown>): string {
  const m = (xs: number[]) => median(xs);
  return `${name}: ours median ${m(r.ours.map((x) => x.wall)).toFixed(2)} s wall, ${m(r.ours.map((x) => x.cpu)).toFixed(2)} s CPU, ${m(r.ours.map((x) => x.rssMiB)).toFixed(0)} MiB; peer ${m(r.peer.map((x) => x.wall)).toFixed(2)} s wall, ${m(r.peer.map((x) => x.cpu)).toFixed(2)} s CPU, ${m(r.peer.map((x) => x.rssMiB)).toFixed(0)} MiB; wall ratio per pair ${r.ratios.map((x) => `${x.toFixed(2)}×`).join(' ')} (median ${m(r.ratios).toFixed(2)}×), CPU ratio median ${m(r.cpuRatios).toFixed(2)}×; load ${r.load.map((x) => x.toFixed(1)).join('/')}`;
}
