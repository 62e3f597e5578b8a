/**
 * CLI start-up (issue 20, item 6): whole-process wall and CPU time (user + system, /usr/bin/time) of the built CLI for `clientele --help` and for a
 * small query (`clientele sql "select 1"` on an empty datamart), against the floor of starting Node at all
 * (`node -e 0`). Runs are interleaved (floor, help, sql, floor, help, sql ...) so load changes hit every kind
 * alike; medians and the load average are printed. Needs `npm run build` (`npm run bench` does it).
 *
 * Set CLI_BENCH_BASELINE to another build's dist folder (e.g. a copy of dist from an older commit, placed
 * inside the repository so its packages resolve: bench/data/cli-before) to interleave it too (A B A B) and
 * print the ratio per pair. CLI_BENCH_ROUNDS sets the number of rounds (default 7).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wholeProcess } from './peers.js';
import { median } from './util.js';

const root = join(import.meta.dirname, '..');
const main = (dist: string) => join(dist, 'services', 'cli', 'main.js');
const ours = join(root, 'dist');
const baseline = process.env.CLI_BENCH_BASELINE ? resolve(process.env.CLI_BENCH_BASELINE) : undefined;
const rounds = Number(process.env.CLI_BENCH_ROUNDS ?? 7);
for (const dist of [ours, baseline].filter((d): d is string => d !== undefined))
  if (!existsSync(main(dist)))
    throw new Error(`${main(dist)}: expected a built CLI, found none. Run npm run build.`);

const dir = mkdtempSync(join(tmpdir(), 'clientele-cli-startup-'));
const db = join(dir, 'bench.duckdb');

/** Runs one process to completion; returns its wall and CPU seconds, failing on unexpected output. */
function run(args: readonly string[], expect: string): { wall: number; cpu: number } {
  const r = wholeProcess(process.execPath, [...args], { ...process.env, NO_COLOR: '1' });
  if (!r.stdout.includes(expect))
    throw new Error(`node ${args.join(' ')}: stdout ${r.stdout.slice(0, 200)}, expected ${expect}`);
  return { wall: r.wall, cpu: r.cpu };
}

run([main(ours), 'init', '--db', db], '');
const cases: { label: string; args: string[]; expect: string }[] = [
  { label: 'node -e 0 (floor)', args: ['-e', '0'], expect: '' },
];
for (const [tag, dist] of [
  ['', ours],
  [' (baseline)', baseline],
] as const) {
  if (!dist) continue;
  cases.push(
    { label: `clientele --help${tag}`, args: [main(dist), '--help'], expect: 'Commands:' },
    {
      label: `clientele sql "select 1"${tag}`,
      args: [main(dist), 'sql', 'select 1 AS x', '--db', db, '--json'],
      expect: '"x": 1',
    },
  );
}

const load0 = loadavg()[0]!;
const times = cases.map(() => [] as number[]);
const cpuTimes = cases.map(() => [] as number[]);
run([main(ours), '--help'], 'Commands:'); // warm the file cache once
for (let r = 0; r < rounds; r++)
  cases.forEach((c, i) => {
    const t = run(c.args, c.expect);
    times[i]!.push(t.wall);
    cpuTimes[i]!.push(t.cpu);
  });
rmSync(dir, { recursive: true, force: true });

console.log(
  `${cpus().length} cores, Node ${process.version}, ${rounds} interleaved rounds, load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
);
const floor = median(times[0]!);
cases.forEach((c, i) => {
  const m = median(times[i]!);
  console.log(
    `${c.label.padEnd(36)} median ${m.toFixed(3)} s wall (min ${Math.min(...times[i]!).toFixed(3)}, max ${Math.max(...times[i]!).toFixed(3)}; ${(m / floor).toFixed(1)}× the floor), ${median(cpuTimes[i]!).toFixed(3)} s CPU (floor ${median(cpuTimes[0]!).toFixed(3)})`,
  );
});
if (baseline) {
  for (const [o, b] of [
    [1, 3],
    [2, 4],
  ] as const) {
    const ratios = times[o]!.map((t, r) => times[b]![r]! / t);
    const cpuRatios = cpuTimes[o]!.map((t, r) => cpuTimes[b]![r]! / t);
    console.log(
      `${cases[o]!.label}: baseline ÷ ours per round ${ratios.map((x) => x.toFixed(1)).join(', ')}; median ${median(ratios).toFixed(1)}× wall, ${median(cpuRatios).toFixed(1)}× CPU`,
    );
  }
}
