/**
 * Shared by the ingest benches: one side run as a whole child process (bench/ingest-child.ts), and rounds
 * of several sides interleaved (A B A B …) with per-round ratios against the floor, medians and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './util.js';

export interface Run {
  /** The whole process, measured around it. */
  wallSeconds: number;
  /** The measured step inside the process. */
  seconds: number;
  cpuSeconds: number;
  /** The whole process (user + system, all threads): start-up, modules, open, load, close. */
  processCpuSeconds: number;
  peakRssMiB: number;
  rows: number;
  summary?: Record<string, unknown>;
  /** One-minute load average when the run started. */
  load: number;
}

/** Runs `bench/ingest-child.ts ARGS…` in its own process (INGEST_TRACE: its statement trace is shown). */
export function child(args: string[]): Run {
  const load = loadavg()[0] ?? 0;
  const start = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', CLIENTELE_NO_PROGRESS: '1' },
      maxBuffer: 1 << 24,
    },
  );
  const wallSeconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  if (process.env.INGEST_TRACE && r.stderr) process.stderr.write(`${args[0]}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<Run, 'wallSeconds' | 'load'>;
  return { ...out, wallSeconds, load };
}

/**
 * `rounds` rounds of every side in the given order, printing each round (with each side's ratio to the
 * floor's run of the same round), then each side's medians and the per-round ratios with their median.
 */
export function interleaved(
  sides: readonly string[],
  rounds: number,
  run: (side: string) => Run,
): Record<string, Run[]> {
  const runs: Record<string, Run[]> = Object.fromEntries(sides.map((x) => [x, []]));
  const fmt = (r: Run) =>
    `${r.wallSeconds.toFixed(2)} s wall / ${r.processCpuSeconds.toFixed(2)} s CPU (in-process ${r.seconds.toFixed(2)} s / ${r.cpuSeconds.toFixed(2)} s), RSS ${r.peakRssMiB.toFixed(0)} MiB, load ${r.load.toFixed(1)}`;
  console.log(`${rounds} rounds of ${sides.join(', ')}, whole processes, in this order each round`);
  const others = sides.filter((x) => x !== 'floor');
  for (let i = 0; i < rounds; i++) {
    for (const side of sides) runs[side]!.push(run(side));
    console.log(`round ${i + 1}: ${sides.map((x) => `${x} ${fmt(runs[x]!.at(-1)!)}`).join(' | ')}`);
    if (runs.floor && others.length) {
      const f = runs.floor.at(-1)!;
      console.log(
        `  ${others
          .map((x) => {
            const a = runs[x]!.at(-1)!;
            return `${x}/floor ${(a.wallSeconds / f.wallSeconds).toFixed(2)}× wall, ${(a.processCpuSeconds / f.processCpuSeconds).toFixed(2)}× CPU`;
          })
          .join('; ')}`,
      );
    }
  }
  for (const side of sides) {
    const r = runs[side]!;
    console.log(
      `median ${side}: ${median(r.map((x) => x.wallSeconds)).toFixed(2)} s wall, ${median(r.map((x) => x.processCpuSeconds)).toFixed(2)} s CPU (in-process ${median(r.map((x) => x.seconds)).toFixed(2)} s / ${median(r.map((x) => x.cpuSeconds)).toFixed(2)} s); peak RSS max ${Math.max(...r.map((x) => x.peakRssMiB)).toFixed(0)} MiB`,
    );
  }
  if (runs.floor) {
    for (const side of others) {
      const wall = runs[side]!.map((x, k) => x.wallSeconds / runs.floor![k]!.wallSeconds);
      const cpu = runs[side]!.map((x, k) => x.processCpuSeconds / runs.floor![k]!.processCpuSeconds);
      console.log(
        `${side} / floor per round: ${wall.map((x) => x.toFixed(2)).join(', ')} wall (median ${median(wall).toFixed(2)}×); ${cpu.map((x) => x.toFixed(2)).join(', ')} CPU (median ${median(cpu).toFixed(2)}×)`,
      );
    }
  }
  console.log(
    `load average now ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  return runs;
}
