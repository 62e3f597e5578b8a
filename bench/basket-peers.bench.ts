/**
 * Baskets from a file, end to end, against mlxtend (issue 20 item 3): `clientele basket rules --file` vs
 * mlxtend's TransactionEncoder + fpgrowth + association_rules on the same file, whole process, interleaved
 * A B A B (BASKET_PEERS_PAIRS pairs, default 3), one thread for the peer. Checks both find the same rules with a
 * one-item consequent (what arules and Clientele mine). Needs bench/peers/setup.sh.
 * Sizes: BASKET_PEERS_N baskets (default 1,000,000), BASKET_PEERS_SUPPORT (default 0.001), confidence 0.5.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/analytics/shared/rng.js';
import { CLI, interleave, PYTHON, peerEnv, requirePeers, summary, wholeProcess } from './peers.js';

requirePeers('basket-peers');

const N = Number(process.env.BASKET_PEERS_N ?? 1_000_000);
const SUPPORT = Number(process.env.BASKET_PEERS_SUPPORT ?? 0.001);
const CONFIDENCE = 0.5;
const PAIRS = Number(process.env.BASKET_PEERS_PAIRS ?? 3);
const ITEMS = 1000;

/** Zipf-like popularity over 1,000 products, 1 + Exp(3) items per basket (at most 20), 3% planted triples. */
function basketFile(n: number): string {
  const rng = createRng(42);
  const cum = new Float64Array(ITEMS);
  let total = 0;
  for (let i = 0; i < ITEMS; i++) cum[i] = total += 1 / (i + 1) ** 0.8;
  const draw = () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = ITEMS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lines: string[] = [];
  for (let t = 0; t < n; t++) {
    const size = Math.min(20, 1 + Math.floor(-Math.log(1 - rng.next()) * 3));
    const set = new Set<number>();
    while (set.size < size) set.add(draw());
    if (rng.next() < 0.03) {
      const j = rng.int(10);
      set.add(900 + 3 * j);
      set.add(901 + 3 * j);
      if (rng.next() < 0.9) set.add(902 + 3 * j);
    }
    lines.push([...set].map((i) => `product ${i}`).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'clientele-basket-peers-'));
try {
  const file = join(dir, 'baskets.csv');
  writeFileSync(file, basketFile(N));
  console.log(
    `basket rules from a file: ${N.toLocaleString('en')} baskets, support ${SUPPORT}, confidence ${CONFIDENCE}; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
  );
  const env = peerEnv(1);
  const r = interleave(
    PAIRS,
    () => {
      const run = wholeProcess(process.execPath, [
        CLI,
        'basket',
        'rules',
        '--file',
        file,
        '--min-support',
        String(SUPPORT),
        '--min-confidence',
        String(CONFIDENCE),
        '--json',
        '--limit',
        '1',
      ]);
      const j = JSON.parse(run.stdout) as { count: number; loadSeconds: number; mineSeconds: number };
      console.log(
        `    ours: ${j.count} rules, reading ${j.loadSeconds.toFixed(2)} s, mining ${j.mineSeconds.toFixed(2)} s`,
      );
      return { ...run, answer: j.count };
    },
    () => {
      const run = wholeProcess(
        PYTHON,
        [join(import.meta.dirname, 'peer_mlxtend.py'), file, String(SUPPORT), String(CONFIDENCE)],
        env,
      );
      const j = JSON.parse(run.stdout) as {
        rulesSingleRhs: number;
        readSeconds: number;
        mineSeconds: number;
      };
      console.log(
        `    mlxtend: ${j.rulesSingleRhs} rules with one consequent, reading ${j.readSeconds.toFixed(2)} s, mining ${j.mineSeconds.toFixed(2)} s`,
      );
      return { ...run, answer: j.rulesSingleRhs };
    },
  );
  const same = r.ours.every((o, i) => o.answer === r.peer[i]!.answer);
  console.log(summary('basket rules --file vs mlxtend', r));
  console.log(`same rules: ${same ? 'yes' : 'NO'} (${r.ours[0]!.answer} vs ${r.peer[0]!.answer})`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
