/**
 * Basket mining benchmark (issue 6): FP-Growth + rules on 100k and 1,000,000 synthetic baskets with planted
 * rules (which must be found) at support 0.001, with time and peak RSS; then `clientele basket rules --json`
 * on an order table imported with `clientele import --format baskets`. Each case runs in its own process so
 * its peak RSS is its own. Usage: npm run bench -- basket
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { fromEncodedPairs, mineRules, type Transactions } from '../src/analytics/basket/index.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { runCli } from '../src/services/cli/main.js';
import { peakRssMiB, time } from './util.js';

const ITEMS = 1000;
/** Planted: {A, B} ⇒ C (10 rules, each in 0.3% of baskets, confidence ~0.9) and {D} ⇒ E (10 rules, 0.25% each, ~0.85). */
const PAIRS = Array.from({ length: 10 }, (_, k) => ({ a: 900 + 3 * k, b: 901 + 3 * k, c: 902 + 3 * k }));
const SINGLES = Array.from({ length: 10 }, (_, k) => ({ d: 860 + 2 * k, e: 861 + 2 * k }));

/** Synthetic baskets: Zipf-like popularity over 1,000 items, 1 + Poisson(3) items, plus the planted rules. */
function generate(n: number, seed: number): string[][] | { basket: Uint32Array; item: Uint32Array } {
  const rng = createRng(seed);
  const cum = new Float64Array(ITEMS);
  let total = 0;
  for (let i = 0; i < ITEMS; i++) {
    total += 1 / (i + 1) ** 0.8;
    cum[i] = total;
  }
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
  const poisson = (mean: number) => {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = rng.next();
    while (u > s) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  const basket: number[] = [];
  const item: number[] = [];
  for (let t = 0; t < n; t++) {
    const items = new Set<number>();
    const size = 1 + poisson(3);
    while (items.size < size) items.add(draw());
    if (rng.next() < 0.03) {
      const p = PAIRS[rng.int(PAIRS.length)]!;
      items.add(p.a);
      items.add(p.b);
      if (rng.next() < 0.9) items.add(p.c);
    }
    if (rng.next() < 0.025) {
      const s = SINGLES[rng.int(SINGLES.length)]!;
      items.add(s.d);
      if (rng.next() < 0.85) items.add(s.e);
    }
    for (const i of items) {
      basket.push(t);
      item.push(i);
    }
  }
  return { basket: Uint32Array.from(basket), item: Uint32Array.from(item) };
}

/** Dense ids by descending frequency, as the engine encodes them. */
function encode(n: number, pairs: { basket: Uint32Array; item: Uint32Array }): Transactions {
  const counts = new Uint32Array(ITEMS);
  for (const i of pairs.item) counts[i]!++;
  const order = Array.from({ length: ITEMS }, (_, i) => i).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const rank = new Uint32Array(ITEMS);
  order.forEach((old, r) => {
    rank[old] = r;
  });
  const item = pairs.item.map((i) => rank[i]!);
  return fromEncodedPairs(
    n,
    pairs.basket,
    item,
    order.map((i) => `i${i}`),
  );
}

function plantedFound(rules: { lhs: string[]; rhs: string[] }[]): { found: number; of: number } {
  const have = new Set(rules.map((r) => `${[...r.lhs].sort().join(',')}=>${r.rhs.join(',')}`));
  const want = [
    ...PAIRS.map((p) => `${[`i${p.a}`, `i${p.b}`].sort().join(',')}=>i${p.c}`),
    ...SINGLES.map((s) => `i${s.d}=>i${s.e}`),
  ];
  return { found: want.filter((w) => have.has(w)).length, of: want.length };
}

async function child(kind: string): Promise<void> {
  if (kind.startsWith('mine-')) {
    const n = Number(kind.slice(5));
    const pairs = generate(n, 20261122) as { basket: Uint32Array; item: Uint32Array };
    const tx = encode(n, pairs);
    const cpu = process.cpuUsage();
    const run = await time(() => mineRules(tx, { minSupport: 0.001, minConfidence: 0.5 }));
    const used = process.cpuUsage(cpu);
    const planted = plantedFound(run.result.rules);
    console.log(
      JSON.stringify({
        case: `mine+rules ${n.toLocaleString('en')} baskets`,
        seconds: run.seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        peakRssMiB: await peakRssMiB(),
        itemsets: run.result.itemsets,
        rules: run.result.rules.length,
        planted: `${planted.found}/${planted.of}`,
      }),
    );
    if (planted.found !== planted.of) process.exitCode = 1;
    return;
  }
  // cli-N: import N baskets as orders, then time `clientele basket rules --json` on the order table.
  const n = Number(kind.slice(4));
  const dir = mkdtempSync(join(os.tmpdir(), 'clientele-basket-bench-'));
  try {
    const pairs = generate(n, 20261122) as { basket: Uint32Array; item: Uint32Array };
    const lines: string[][] = Array.from({ length: n }, () => []);
    pairs.basket.forEach((t, k) => {
      lines[t]!.push(`i${pairs.item[k]}`);
    });
    const file = join(dir, 'baskets.txt');
    writeFileSync(file, `${lines.map((l) => l.join(',')).join('\n')}\n`);
    const db = join(dir, 'bench.duckdb');
    const quiet = { stdout: () => undefined, stderr: (s: string) => process.stderr.write(s) };
    const imported = await time(() =>
      runCli(
        [
          'import',
          file,
          '--format',
          'baskets',
          '--order-date',
          '2026-01-01',
          '--db',
          db,
          '--create',
          '--json',
        ],
        quiet,
      ),
    );
    let out = '';
    const cpu = process.cpuUsage();
    const mined = await time(() =>
      runCli(['basket', 'rules', '--db', db, '--min-support', '0.001', '--min-confidence', '0.5', '--json'], {
        stdout: (s) => (out += s),
        stderr: quiet.stderr,
      }),
    );
    const json = JSON.parse(out);
    const planted = plantedFound(json.rules);
    console.log(
      JSON.stringify({
        case: `CLI basket rules on ${n.toLocaleString('en')} imported orders`,
        seconds: mined.seconds,
        cpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpu)),
        reported: { seconds: json.seconds, loadSeconds: json.loadSeconds, mineSeconds: json.mineSeconds },
        importSeconds: imported.seconds,
        peakRssMiB: await peakRssMiB(),
        rules: json.count,
        planted: `${planted.found}/${planted.of}`,
      }),
    );
    if (planted.found !== planted.of) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parent(): void {
  const cases = ['mine-100000', 'mine-1000000', 'cli-100000'];
  let failed = false;
  for (const c of cases) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', c], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(r.stdout);
    if (r.status !== 0) failed = true;
  }
  const { loadavg, cpus } = os;
  console.log(
    `machine: ${process.platform} ${process.arch}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[2] === 'child') await child(process.argv[3]!);
else parent();
