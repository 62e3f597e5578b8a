/**
 * GBDT fit against the real peers (issue 20 item 4): our GBDT, scikit-learn 1.2.1's
 * HistGradientBoostingClassifier and xgboost 1.7.4 (`hist`), one thread each (OMP_NUM_THREADS=1), on the same
 * rows, the same folds and the same hyperparameters as far as they map (bench/gbdt_peers.py lists how):
 * 200 trees, learning rate 0.1, 31 leaves grown best-first, no depth limit, 255 bins, 20 rows per leaf, no L2,
 * no early stopping. Data: Telco churn, Bank Marketing bank-full (without `duration`) and Hillstrom visit
 * (treated arms), 5-fold stratified (seed 42), one fit per fold; and the synthetic 1,000,000 × 30 set of
 * bench/gbdt-sim.ts, one 90/10 fit. Each tool runs as its own process (ours: bench/gbdt-fit-child.ts),
 * interleaved (ours, sklearn, xgboost, then rotated), GBDT_PEERS_PAIRS rounds (default 3); each reports its own
 * fit seconds (fits only: no reading, slicing or scoring) and the pooled out-of-fold AUC. The synthetic set's
 * rounds use seeds 1, 2, 3 … (ours: bin sample; sklearn: random_state, its bin sample), so its AUCs are
 * "over seeds"; the real sets are below every tool's bin-sample size, so their fits do not depend on the seed.
 * Env: GBDT_PEERS_SETS (telco,bank,hillstrom,synthetic), GBDT_PEERS_ROWS (synthetic rows, default 1000000),
 *   GBDT_PEERS_SYNTH_PAIRS (rounds for the synthetic set, default GBDT_PEERS_PAIRS), GBDT_PEERS_TREES (200),
 *   GBDT_PEERS_DIR (an existing folder to write the matrices to and keep, e.g. for profiling the child).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTable, parsePredictParams } from '../src/analytics/predict/index.js';
import type { FeatureFrame } from '../src/analytics/predict/models/frame.js';
import { stratifiedFolds } from '../src/analytics/predict/models/validation.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { DuckDbEngine } from '../src/store/index.js';
import type { PeerMeta } from './gbdt-fit-child.js';
import { synthetic } from './gbdt-sim.js';
import { type ProcessRun, PYTHON, wholeProcess } from './peers.js';
import { median } from './util.js';

const HERE = import.meta.dirname;
const DATA = join(HERE, '..', '..', 'shared', 'data');
const SETS = (process.env.GBDT_PEERS_SETS ?? 'telco,bank,hillstrom,synthetic').split(',');
const PAIRS = Number(process.env.GBDT_PEERS_PAIRS ?? 3);
const SYNTH_PAIRS = Number(process.env.GBDT_PEERS_SYNTH_PAIRS ?? PAIRS);
const ROWS = Number(process.env.GBDT_PEERS_ROWS ?? 1_000_000);
const TREES = Number(process.env.GBDT_PEERS_TREES ?? 200);

const probe = spawnSync(PYTHON, ['-c', 'import sklearn, xgboost'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(
    `gbdt-peers: skipped, ${PYTHON} lacks scikit-learn or xgboost (apt-get install python3-sklearn python3-xgboost).`,
  );
  process.exit(0);
}

const gbdt = parsePredictParams({ gbdt: { trees: TREES, earlyStopping: false } }).gbdt;
const params = { ...gbdt, tolerance: 1e-7 };
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface Answer {
  auc: number;
  folds: number[];
  fitSeconds: number;
  fitCpu: number;
  modelHash?: string;
}
type Run = ProcessRun & { answer: Answer };
const TOOLS = ['clientele', 'sklearn', 'xgboost'] as const;
type Tool = (typeof TOOLS)[number];

/** Writes the frame as the matrix the three processes read; returns the file names. */
function writeMatrix(
  dir: string,
  name: string,
  frame: FeatureFrame,
  y: ArrayLike<number>,
  fold: ArrayLike<number>,
  testFolds: number[],
) {
  const p = frame.columns.length;
  const n = frame.rows;
  const buf = new Float64Array(n * (p + 2));
  for (let i = 0; i < n; i++) {
    buf[i * (p + 2)] = fold[i] as number;
    buf[i * (p + 2) + 1] = y[i] as number;
  }
  frame.columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) {
      let v: number;
      if (c.kind === 'numeric') v = c.values[i] as number;
      else v = (c.codes[i] as number) < 0 ? Number.NaN : (c.codes[i] as number);
      buf[i * (p + 2) + 2 + j] = v;
    }
  });
  const matrix = join(dir, `${name}.f64`);
  const meta = join(dir, `${name}.json`);
  writeFileSync(matrix, new Uint8Array(buf.buffer));
  const m: PeerMeta = {
    categorical: frame.columns.map((c) => c.kind === 'categorical'),
    levels: frame.columns.map((c) => (c.kind === 'categorical' ? c.levels.length : 0)),
    testFolds,
    params,
  };
  writeFileSync(meta, JSON.stringify(m));
  return { matrix, meta };
}

function runTool(tool: Tool, files: { matrix: string; meta: string }, seed: number): Run {
  const run =
    tool === 'clientele'
      ? wholeProcess(process.execPath, [
          '--import',
          'tsx',
          join(HERE, 'gbdt-fit-child.ts'),
          files.matrix,
          files.meta,
          String(seed),
        ])
      : wholeProcess(
          PYTHON,
          [join(HERE, 'gbdt_peers.py'), tool, files.matrix, files.meta, String(seed)],
          env,
        );
  return { ...run, answer: JSON.parse(run.stdout) as Answer };
}

function compare(name: string, files: { matrix: string; meta: string }, pairs: number, seeds: boolean) {
  console.log(`\n${name}: load ${loadavg()[0]!.toFixed(1)}`);
  const runs: Record<Tool, Run[]> = { clientele: [], sklearn: [], xgboost: [] };
  const ratios: Record<'sklearn' | 'xgboost', number[]> = { sklearn: [], xgboost: [] };
  const loads: number[] = [];
  for (let i = 0; i < pairs; i++) {
    loads.push(loadavg()[0]!);
    const order = [...TOOLS.slice(i % 3), ...TOOLS.slice(0, i % 3)];
    const seed = seeds ? i + 1 : 1;
    const round: Partial<Record<Tool, Run>> = {};
    for (const tool of order) round[tool] = runTool(tool, files, seed);
    for (const tool of TOOLS) runs[tool].push(round[tool] as Run);
    const ours = round.clientele as Run;
    ratios.sklearn.push((round.sklearn as Run).answer.fitCpu / ours.answer.fitCpu);
    ratios.xgboost.push((round.xgboost as Run).answer.fitCpu / ours.answer.fitCpu);
    console.log(
      `  round ${i + 1} (seed ${seed}, load ${loads[i]!.toFixed(1)}): ${TOOLS.map((t) => {
        const r = round[t] as Run;
        return `${t} fit ${r.answer.fitSeconds.toFixed(2)} s wall / ${r.answer.fitCpu.toFixed(2)} s CPU, AUC ${r.answer.auc.toFixed(4)}`;
      }).join(
        '; ',
      )}; sklearn/ours ${ratios.sklearn[i]!.toFixed(2)}×, xgboost/ours ${ratios.xgboost[i]!.toFixed(2)}× (fit CPU)${ours.answer.modelHash ? `; our model ${ours.answer.modelHash}` : ''}`,
    );
  }
  const med = (t: Tool, k: 'fitSeconds' | 'fitCpu') => median(runs[t].map((r) => r.answer[k]));
  console.log(
    `  medians: ${TOOLS.map((t) => `${t} ${med(t, 'fitSeconds').toFixed(2)} s wall / ${med(t, 'fitCpu').toFixed(2)} s CPU (process ${median(runs[t].map((r) => r.cpu)).toFixed(2)} s CPU, ${median(runs[t].map((r) => r.rssMiB)).toFixed(0)} MiB)`).join('; ')}`,
  );
  console.log(
    `  fit CPU ratio per round, sklearn ÷ ours: ${ratios.sklearn.map((x) => `${x.toFixed(2)}×`).join(' ')} (median ${median(ratios.sklearn).toFixed(2)}×); xgboost ÷ ours: ${ratios.xgboost.map((x) => `${x.toFixed(2)}×`).join(' ')} (median ${median(ratios.xgboost).toFixed(2)}×); above 1 = we are faster`,
  );
  console.log(
    `  AUC: ${TOOLS.map((t) => `${t} ${runs[t].map((r) => r.answer.auc.toFixed(4)).join('/')}`).join('; ')}; our model hashes ${[...new Set(runs.clientele.map((r) => r.answer.modelHash))].join(', ')}`,
  );
}

const CASES: Record<string, { create: string; table: string; target: string; exclude: string[] }> = {
  telco: {
    create: `CREATE TABLE telco AS SELECT * FROM read_csv('${join(DATA, 'telco-churn', 'Telco-Customer-Churn.csv')}', all_varchar = true)`,
    table: 'telco',
    target: 'Churn',
    exclude: [],
  },
  bank: {
    create: `CREATE TABLE bank AS SELECT * FROM read_csv('${join(DATA, 'bank-marketing', 'bank-full.csv.gz')}', all_varchar = true)`,
    table: 'bank',
    target: 'y',
    exclude: ['duration'],
  },
  hillstrom: {
    create: `CREATE TABLE hillstrom AS SELECT * FROM read_csv('${join(DATA, 'hillstrom-email', 'hillstrom.csv.gz')}', all_varchar = true) WHERE segment <> 'No E-Mail'`,
    table: 'hillstrom',
    target: 'visit',
    exclude: ['conversion', 'spend'],
  },
};

const KEEP = process.env.GBDT_PEERS_DIR;
const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'gbdt-peers-'));
try {
  console.log(
    `GBDT fit vs scikit-learn HistGradientBoosting and xgboost hist, one thread each: ${TREES} trees, lr ${params.learningRate}, ${params.maxLeaves} leaves, ${params.maxBins} bins, ${params.minSamplesLeaf} rows per leaf, L2 ${params.l2}, no early stopping`,
  );
  const engine = await DuckDbEngine.open(':memory:');
  try {
    for (const key of SETS.filter((s) => s in CASES)) {
      const c = CASES[key]!;
      await engine.exec(c.create);
      const loaded = await loadTable(engine, c.table, { target: c.target, exclude: c.exclude });
      const fold = stratifiedFolds(loaded.y, 5, createRng(42).fork());
      const files = writeMatrix(dir, key, loaded.frame, loaded.y, fold, [0, 1, 2, 3, 4]);
      compare(
        `${key}: ${loaded.frame.rows.toLocaleString('en')} rows × ${loaded.frame.columns.length} features, 5-fold`,
        files,
        PAIRS,
        false,
      );
    }
  } finally {
    await engine.close();
  }
  if (SETS.includes('synthetic')) {
    const { cols, y } = synthetic(ROWS);
    const frame: FeatureFrame = {
      rows: ROWS,
      columns: cols.map((values, f) => ({ kind: 'numeric', name: `x${f}`, values })),
    };
    const nv = Math.floor(ROWS / 10);
    const fold = Int32Array.from({ length: ROWS }, (_, i) => (i < nv ? 0 : 1));
    const files = writeMatrix(dir, 'synthetic', frame, y, fold, [0]);
    compare(
      `synthetic: ${ROWS.toLocaleString('en')} rows × ${cols.length} features, one fit on 90%, AUC on the first 10%`,
      files,
      SYNTH_PAIRS,
      true,
    );
  }
} finally {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
