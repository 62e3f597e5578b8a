/**
 * CLV against the real `lifetimes` (issue 20 item 5): BG/NBD and Gamma-Gamma, `clientele clv fit` (the built
 * CLI, from its datamart: SQL summary + fit) vs lifetimes 0.11.3 (bench/peer_lifetimes.py: read the
 * transactions CSV, summary_data_from_transaction_data, fit), whole process, interleaved A B A B
 * (CLV_PEERS_PAIRS, default 3), one thread for the peer; each tool's own timing printed too (ours: summary + fit;
 * lifetimes: summary, fit), in wall and in CPU seconds (on a loaded machine the CPU figures are the fair ones). Same simulated customers as bench/clv.bench.ts (bench/clv-sim.ts).
 * Each pair also runs `clientele sql "select 1"` on the same datamart: the start-up floor every command pays.
 * Sizes: CLV_PEERS_SIZES (default 100000; 1000000 works); models: CLV_PEERS_MODELS (default bgnbd,gammagamma). Needs bench/peers/setup.sh.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrationEnd, simulatedDatamart } from './clv-sim.js';
import { CLI, interleave, PYTHON, peerEnv, requirePeers, summary, wholeProcess } from './peers.js';
import { median } from './util.js';

requirePeers('clv-peers');

const sizes = (process.env.CLV_PEERS_SIZES ?? '100000').split(',').map(Number);
const PAIRS = Number(process.env.CLV_PEERS_PAIRS ?? 3);
const MODELS = (process.env.CLV_PEERS_MODELS ?? 'bgnbd,gammagamma').split(',') as ('bgnbd' | 'gammagamma')[];
const env = peerEnv(1);

interface Ours {
  params: Record<string, number>;
  logLikelihood: number;
  seconds: number;
  cpuSeconds: number;
  customers?: number;
}
interface Peer {
  params: Record<string, number>;
  meanNegativeLogLikelihood: number;
  customers: number;
  seconds: { read: number; summary: number; fit: number };
  cpuSeconds: { read: number; summary: number; fit: number };
}

const fmt = (p: Record<string, number>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');

for (const customers of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'clv-peers-'));
  try {
    const { db, csv, orders } = await simulatedDatamart(dir, customers, { amount: true });
    console.log(
      `\nCLV vs lifetimes: ${customers.toLocaleString('en')} customers, ${orders.toLocaleString('en')} transactions, calibration end ${calibrationEnd}, weeks; load ${loadavg()[0]!.toFixed(1)}`,
    );
    for (const model of MODELS) {
      const ownOurs: number[] = [];
      const ownPeerFit: number[] = [];
      const ownOursCpu: number[] = [];
      const ownPeerFitCpu: number[] = [];
      let lastOurs: Ours | null = null;
      let lastPeer: Peer | null = null;
      const floor: number[] = [];
      const r = interleave(
        PAIRS,
        () => {
          // The floor of any command of ours on this datamart: Node, the CLI and DuckDB opening it, one query.
          floor.push(wholeProcess(process.execPath, [CLI, 'sql', 'select 1', '--json', '--db', db]).cpu);
          const run = wholeProcess(process.execPath, [
            CLI,
            'clv',
            'fit',
            '--model',
            model,
            '--calibration-end',
            calibrationEnd,
            '--unit',
            'week',
            '--json',
            '--db',
            db,
          ]);
          lastOurs = JSON.parse(run.stdout) as Ours;
          ownOurs.push(lastOurs.seconds);
          ownOursCpu.push(lastOurs.cpuSeconds);
          return { ...run, answer: lastOurs.params };
        },
        () => {
          const run = wholeProcess(
            PYTHON,
            [join(import.meta.dirname, 'peer_lifetimes.py'), csv, calibrationEnd, model],
            env,
          );
          lastPeer = JSON.parse(run.stdout) as Peer;
          ownPeerFit.push(lastPeer.seconds.fit);
          ownPeerFitCpu.push(lastPeer.cpuSeconds.fit);
          return { ...run, answer: lastPeer.params };
        },
      );
      const o = lastOurs as unknown as Ours;
      const p = lastPeer as unknown as Peer;
      const peerParams = Object.values(p.params);
      const maxRel = Object.values(o.params).reduce(
        (m, v, i) => Math.max(m, Math.abs(v - peerParams[i]!) / Math.abs(peerParams[i]!)),
        0,
      );
      console.log(
        `${model}: ours ${fmt(o.params)}; lifetimes ${fmt(p.params)}; largest relative difference ${maxRel.toExponential(2)}`,
      );
      console.log(
        `  own timing: ours (SQL summary + fit) median ${median(ownOurs).toFixed(2)} s; lifetimes fit alone median ${median(ownPeerFit).toFixed(2)} s (summary ${p.seconds.summary.toFixed(2)} s, read ${p.seconds.read.toFixed(2)} s) → ${(median(ownPeerFit) / median(ownOurs)).toFixed(1)}×`,
      );
      console.log(
        `  own CPU: ours (SQL summary + fit, DuckDB's threads included) median ${median(ownOursCpu).toFixed(2)} s; lifetimes fit alone median ${median(ownPeerFitCpu).toFixed(2)} s (summary ${p.cpuSeconds.summary.toFixed(2)} s) → ${(median(ownPeerFitCpu) / median(ownOursCpu)).toFixed(1)}×; per pair ${ownOursCpu.map((o, i) => `${(ownPeerFitCpu[i]! / o).toFixed(1)}×`).join(' ')}`,
      );
      console.log(`  ${summary(`${model} whole process`, r)}`);
      const floorCpu = median(floor);
      console.log(
        `  floor (\`clientele sql "select 1"\` on the same datamart): median ${floorCpu.toFixed(2)} s CPU; our ${model} process spends ${(median(r.ours.map((x) => x.cpu)) - floorCpu).toFixed(2)} s CPU above it; even at the floor the whole-process CPU ratio would be ${(median(r.peer.map((x) => x.cpu)) / floorCpu).toFixed(1)}×`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
