/**
 * Predictive scoring benchmarks (issue 5):
 * 1. GBDT fit on 1,000,000 rows × 30 features (200 trees, 31 leaves, no early stopping), single-threaded, vs
 *    scikit-learn's HistGradientBoostingClassifier pinned to one thread (OMP_NUM_THREADS=1), same data,
 *    same 90/10 split; validation AUC of both.
 * 2. Scoring the 1M rows in SQL (the compiled CASE ensemble inside DuckDB, 1 thread) vs in TypeScript.
 * 3. Reference AUCs on Telco, Bank Marketing (without duration) and Hillstrom (visit, treated arms) against
 *    scikit-learn and xgboost on exactly our folds.
 * Needs Debian's python3-sklearn and python3-xgboost (/usr/bin/python3) for the comparisons.
 * 4. (part `seeds`, not in the default run) validation AUC of both on several synthetic data sets.
 * Env: PREDICT_BENCH_ROWS (default 1000000), PREDICT_BENCH_PARTS (fit,sql,reference,seeds; default
 *   fit,sql,reference), PREDICT_BENCH_SEEDS (5 data sets) and PREDICT_BENCH_SEEDS_ROWS (300000) for `seeds`,
 *   PREDICT_BENCH_FITS (seeds per tool and data set: 3 in `seeds`; in `fit`, 1 = the timed fits only),
 *   PREDICT_BENCH_TS=1 also fits with the TypeScript histogram loops (the fallback) for a before/after figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossValidate, loadTable, parsePredictParams } from '../src/analytics/predict/index.js';
import { fitGbdt } from '../src/analytics/predict/models/gbdt/boost.js';
import { predictGbdtMargin } from '../src/analytics/predict/models/gbdt/predict.js';
import { auc } from '../src/analytics/predict/models/metrics.js';
import { scoreQuerySql } from '../src/analytics/predict/sql.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { DuckDbEngine, sql, writeColumns } from '../src/store/index.js';
import { P, synthetic } from './gbdt-sim.js';
import { peakRssMiB, time } from './util.js';

const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const HERE = import.meta.dirname;
const DATA = join(HERE, '..', '..', 'shared', 'data');
const N = Number(process.env.PREDICT_BENCH_ROWS ?? 1_000_000);
const PARTS = (process.env.PREDICT_BENCH_PARTS ?? 'fit,sql,reference').split(',');
const dir = mkdtempSync(join(tmpdir(), 'clientele-predict-bench-'));

function python(args: string[]): Record<string, unknown> | null {
  const r = spawnSync(PY, [join(HERE, 'predict-reference.py'), ...args], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.log(`  (reference not run: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The bench's split: the first tenth of the rows validates, the rest trains (as predict-reference.py splits). */
function splitFrames(cols: Float64Array[], n: number) {
  const nv = Math.floor(n / 10);
  const frame = (from: number, to: number) => ({
    rows: to - from,
    columns: cols.map((v, f) => ({ kind: 'numeric' as const, name: `x${f}`, values: v.slice(from, to) })),
  });
  return { train: frame(nv, n), valid: frame(0, nv) };
}

/**
 * scikit-learn's HistGradientBoostingClassifier (200 trees, 31 leaves) on the same rows and split, once per
 * `random_state` in `seeds` (the rows are written to a file once); empty when scikit-learn is not available.
 */
function sklearnFits(cols: Float64Array[], y: Float64Array, n: number, seeds: number[]) {
  const file = join(dir, 'fit.f64');
  const buf = new Float64Array(n * (P + 1));
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < P; f++) buf[i * (P + 1) + f] = (cols[f] as Float64Array)[i] as number;
    buf[i * (P + 1) + P] = y[i] as number;
  }
  writeFileSync(file, new Uint8Array(buf.buffer));
  const fits: Record<string, unknown>[] = [];
  for (const seed of seeds) {
    const sk = python(['fit', String(n), String(P), '200', '31', String(seed), file]);
    if (!sk) break;
    fits.push(sk);
  }
  rmSync(file);
  return fits;
}

/**
 * Validation AUCs of `k` fits of each tool on one data set, with different seeds (ours: the bin sample; theirs:
 * `random_state`, also the bin sample), so a gap between the tools can be told from seed noise.
 */
function aucsOverSeeds(
  cols: Float64Array[],
  y: Float64Array,
  n: number,
  k: number,
  split = splitFrames(cols, n),
  first: { ours: number[]; theirs: number[] } = { ours: [], theirs: [] },
) {
  const nv = Math.floor(n / 10);
  const { train, valid } = split;
  const params = parsePredictParams({ gbdt: { trees: 200, maxLeaves: 31, earlyStopping: false } }).gbdt;
  const ours = [...first.ours];
  for (let s = ours.length + 1; s <= k; s++) {
    const fit = fitGbdt(train, y.slice(nv), { ...params, tolerance: 1e-7 }, createRng(s));
    ours.push(auc(y.slice(0, nv), predictGbdtMargin(fit.state, valid)));
  }
  const seeds = Array.from({ length: k - first.theirs.length }, (_, i) => first.theirs.length + i);
  const fits = sklearnFits(cols, y, n, seeds);
  if (fits.length < seeds.length) return null;
  const theirs = [...first.theirs, ...fits.map((sk) => sk.auc as number)];
  return { ours, theirs };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (xs: number[]) => `${mean(xs).toFixed(4)} (${xs.map((x) => x.toFixed(4)).join(', ')})`;

/** Part `seeds`: validation AUC of both tools on several synthetic data sets, several seeds each. */
async function seedsBench(): Promise<void> {
  const rows = Number(process.env.PREDICT_BENCH_SEEDS_ROWS ?? 300_000);
  const sets = Number(process.env.PREDICT_BENCH_SEEDS ?? 5);
  const k = Number(process.env.PREDICT_BENCH_FITS ?? 3);
  console.log(
    `Validation AUC, ${sets} data sets of ${rows.toLocaleString('en')} rows, ${k} seeds per tool (200 trees, 31 leaves)`,
  );
  const diffs: number[] = [];
  for (let d = 1; d <= sets; d++) {
    const { cols, y } = synthetic(rows, 2026 + d);
    const r = aucsOverSeeds(cols, y, rows, k);
    if (!r) return;
    diffs.push(mean(r.ours) - mean(r.theirs));
    console.log(`  data set ${2026 + d}: clientele ${fmt(r.ours)}, scikit-learn ${fmt(r.theirs)}`);
  }
  const m = mean(diffs);
  const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(diffs.length - 1, 1));
  console.log(
    `  mean AUC difference clientele − scikit-learn per data set: ${m.toFixed(4)} (sd ${sd.toFixed(4)}, range ${Math.min(...diffs).toFixed(4)} … ${Math.max(...diffs).toFixed(4)})`,
  );
}

async function fitBench(): Promise<void> {
  console.log(
    `GBDT fit: ${N.toLocaleString('en')} rows × ${P} features, 200 trees, 31 leaves, lr 0.1, 255 bins, 1 thread`,
  );
  console.log(
    `  load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  const { cols, y } = synthetic(N);
  const nv = Math.floor(N / 10);
  const sub = (a: Float64Array, from: number, to: number) => a.slice(from, to);
  const { train, valid } = splitFrames(cols, N);
  const params = parsePredictParams({ gbdt: { trees: 200, maxLeaves: 31, earlyStopping: false } }).gbdt;
  const cpu0 = process.cpuUsage();
  const ours = await time(() => fitGbdt(train, sub(y, nv, N), { ...params, tolerance: 1e-7 }, createRng(1)));
  const ourCpu = process.cpuUsage(cpu0).user / 1e6;
  const ourAuc = auc(sub(y, 0, nv), predictGbdtMargin(ours.result.state, valid));
  console.log(
    `  clientele (${ours.result.kernel} histogram loops): ${ours.seconds.toFixed(1)} s wall, ${ourCpu.toFixed(1)} s CPU, validation AUC ${ourAuc.toFixed(4)}, peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`,
  );
  if (process.env.PREDICT_BENCH_TS === '1') {
    const tsCpu0 = process.cpuUsage();
    const ts = await time(() =>
      fitGbdt(train, sub(y, nv, N), { ...params, tolerance: 1e-7 }, createRng(1), 'typescript'),
    );
    const tsCpu = process.cpuUsage(tsCpu0).user / 1e6;
    const same = JSON.stringify(ts.result.state) === JSON.stringify(ours.result.state);
    console.log(
      `  clientele (typescript histogram loops): ${ts.seconds.toFixed(1)} s wall, ${tsCpu.toFixed(1)} s CPU, same model: ${same}; WebAssembly speed-up ${(tsCpu / ourCpu).toFixed(2)}× CPU`,
    );
  }
  const [sk] = sklearnFits(cols, y, N, [0]);
  if (sk) {
    const s = sk.seconds as number;
    console.log(
      `  scikit-learn HistGradientBoostingClassifier (OMP_NUM_THREADS=1): ${s.toFixed(1)} s wall, ${Number(sk.cpu).toFixed(1)} s CPU, validation AUC ${(sk.auc as number).toFixed(4)}`,
    );
    console.log(
      `  ratio clientele / scikit-learn: ${(ours.seconds / s).toFixed(2)}× wall, ${(ourCpu / Number(sk.cpu)).toFixed(2)}× CPU (target ≤ 1.5×; CPU time is the fairer figure on a shared machine)`,
    );
  }
  const k = Number(process.env.PREDICT_BENCH_FITS ?? 1);
  if (k > 1) {
    const r = sk
      ? aucsOverSeeds(cols, y, N, k, { train, valid }, { ours: [ourAuc], theirs: [sk.auc as number] })
      : null;
    if (r)
      console.log(
        `  validation AUC over ${k} seeds: clientele ${fmt(r.ours)}, scikit-learn ${fmt(r.theirs)}`,
      );
  }
  console.log(
    `  load average after the fits: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );

  if (!PARTS.includes('sql')) return;
  console.log(`Scoring ${N.toLocaleString('en')} rows with the 200-tree model`);
  const ts = await time(() => predictGbdtMargin(ours.result.state, train));
  console.log(
    `  TypeScript: ${ts.seconds.toFixed(2)} s (${(train.rows / ts.seconds / 1e6).toFixed(2)} M rows/s)`,
  );
  const engine = await DuckDbEngine.open(':memory:', { threads: 1 });
  try {
    const rows = train.rows;
    const columns: Record<string, Float64Array> = {
      customer_id: Float64Array.from({ length: rows }, (_, i) => i),
    };
    train.columns.forEach((c, f) => {
      columns[`x${f}`] = c.values;
    });
    await writeColumns(engine, 'customers_1m', columns);
    const q = scoreQuerySql(engine.dialect, ours.result.state, 'customers_1m', 'customer_id');
    const sqlCpu0 = process.cpuUsage();
    const inSql = await time(() => engine.query(sql`SELECT count(*) AS n, avg(score) AS mean FROM (${q}) q`));
    const sqlCpu = process.cpuUsage(sqlCpu0);
    const tsMean = ts.result.reduce((a, m) => a + 1 / (1 + Math.exp(-m)), 0) / rows;
    console.log(
      `  DuckDB SQL (1 thread): ${inSql.seconds.toFixed(2)} s wall, ${((sqlCpu.user + sqlCpu.system) / 1e6).toFixed(2)} s CPU (${(rows / inSql.seconds / 1e6).toFixed(2)} M rows/s), mean score ${Number(inSql.result[0]?.mean).toFixed(6)} (TypeScript ${tsMean.toFixed(6)})`,
    );
  } finally {
    await engine.close();
  }
}

interface RefCase {
  name: string;
  create: string;
  table: string;
  target: string;
  exclude: string[];
  gbdt: Record<string, unknown>;
}

const CASES: RefCase[] = [
  {
    name: 'Telco churn',
    create: `CREATE TABLE telco AS SELECT * FROM read_csv('${join(DATA, 'telco-churn', 'Telco-Customer-Churn.csv')}', all_varchar = true)`,
    table: 'telco',
    target: 'Churn',
    exclude: [],
    gbdt: { learningRate: 0.05, maxLeaves: 8, minSamplesLeaf: 40 },
  },
  {
    name: 'Bank Marketing bank-full (no duration)',
    create: `CREATE TABLE bank AS SELECT * FROM read_csv('${join(DATA, 'bank-marketing', 'bank-full.csv.gz')}', all_varchar = true)`,
    table: 'bank',
    target: 'y',
    exclude: ['duration'],
    gbdt: { learningRate: 0.05, maxLeaves: 31, l2: 1, featureSubsample: 0.8, patience: 20, trees: 400 },
  },
  {
    name: 'Hillstrom visit (treated arms)',
    create: `CREATE TABLE hillstrom AS SELECT * FROM read_csv('${join(DATA, 'hillstrom-email', 'hillstrom.csv.gz')}', all_varchar = true) WHERE segment <> 'No E-Mail'`,
    table: 'hillstrom',
    target: 'visit',
    exclude: ['conversion', 'spend'],
    gbdt: { learningRate: 0.05, maxLeaves: 15, minSamplesLeaf: 100, patience: 20 },
  },
];

async function referenceBench(): Promise<void> {
  console.log(
    'Reference AUC, 5-fold stratified CV (seed 42), the same folds for every tool (pooled out-of-fold AUC)',
  );
  const engine = await DuckDbEngine.open(':memory:');
  try {
    for (const c of CASES) {
      await engine.exec(c.create);
      const loaded = await loadTable(engine, c.table, { target: c.target, exclude: c.exclude });
      const gb = await time(() =>
        crossValidate(loaded.frame, loaded.y, parsePredictParams({ seed: 42, gbdt: c.gbdt }), 5),
      );
      const lr = await time(() =>
        crossValidate(loaded.frame, loaded.y, parsePredictParams({ seed: 42, model: 'logistic' }), 5),
      );
      const header = ['fold', 'y', ...loaded.frame.columns.map((col) => col.name)].join(',');
      const lines = [header];
      for (let i = 0; i < loaded.frame.rows; i++) {
        const cells = loaded.frame.columns.map((col) => {
          if (col.kind === 'numeric') {
            const v = col.values[i] as number;
            return Number.isNaN(v) ? '' : String(v);
          }
          const code = col.codes[i] as number;
          return code < 0 ? '' : String(code);
        });
        lines.push([gb.result.foldOf[i], loaded.y[i], ...cells].join(','));
      }
      const matrix = join(dir, `${c.table}.csv`);
      const meta = join(dir, `${c.table}.json`);
      writeFileSync(matrix, lines.join('\n'));
      writeFileSync(
        meta,
        JSON.stringify({
          categorical: loaded.frame.columns.map((col) => col.kind === 'categorical'),
          sklearn: { max_iter: 200, learning_rate: 0.1 },
          xgboost: { n_estimators: 200, learning_rate: 0.1, max_depth: 6 },
        }),
      );
      const ref = python(['cv', matrix, meta]) as Record<string, { auc: number }> | null;
      const best = ref ? Math.max(ref.sklearn?.auc ?? 0, ref.xgboost?.auc ?? 0) : Number.NaN;
      const ours = Math.max(gb.result.overall.auc, lr.result.overall.auc);
      console.log(
        `  ${c.name}: clientele GBDT ${gb.result.overall.auc.toFixed(4)} (${gb.seconds.toFixed(1)} s), clientele logistic ${lr.result.overall.auc.toFixed(4)}, scikit-learn HGB ${ref?.sklearn?.auc.toFixed(4) ?? 'n/a'}, xgboost ${ref?.xgboost?.auc.toFixed(4) ?? 'n/a'}; best ours − best reference = ${(ours - best).toFixed(4)}; baseline (${gb.result.baselineFeature}) ${gb.result.baselineOverall.auc.toFixed(4)}`,
      );
    }
  } finally {
    await engine.close();
  }
}

try {
  if (PARTS.includes('reference')) await referenceBench();
  if (PARTS.includes('fit')) await fitBench();
  if (PARTS.includes('seeds')) await seedsBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
