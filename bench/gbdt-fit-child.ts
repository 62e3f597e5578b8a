/**
 * Our side of bench/gbdt-peers.bench.ts, run as its own process (as the peers are): reads the bench's matrix
 * (float64, row-major: fold, y, features; categorical features as integer codes, NaN = missing) and meta
 * JSON, fits our GBDT once per listed test fold on the other rows with the meta's hyperparameters, scores the
 * held-out rows and prints one JSON object: pooled out-of-fold AUC, per-fold AUC, the fit seconds (wall and
 * process CPU, fits only, as gbdt_peers.py times the peers) and a hash of the fitted models (bit-identity).
 * Usage: node --import tsx bench/gbdt-fit-child.ts MATRIX.f64 META.json SEED
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type FeatureColumn, type FeatureFrame, takeRows } from '../src/analytics/predict/models/frame.js';
import { fitGbdt, type GbdtOptions } from '../src/analytics/predict/models/gbdt/boost.js';
import { predictGbdtMargin } from '../src/analytics/predict/models/gbdt/predict.js';
import { auc } from '../src/analytics/predict/models/metrics.js';
import { createRng } from '../src/analytics/shared/rng.js';

export interface PeerMeta {
  categorical: boolean[];
  /** Level count of each categorical feature (codes 0..levels−1). */
  levels: number[];
  testFolds: number[];
  params: GbdtOptions;
}

const [matrix, metaPath, seedArg] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(metaPath as string, 'utf8')) as PeerMeta;
const p = meta.categorical.length;
const raw = readFileSync(matrix as string);
const data = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
const n = data.length / (p + 2);
const fold = new Int32Array(n);
const y = new Float64Array(n);
const columns: FeatureColumn[] = [];
for (let i = 0; i < n; i++) {
  fold[i] = data[i * (p + 2)] as number;
  y[i] = data[i * (p + 2) + 1] as number;
}
for (let j = 0; j < p; j++) {
  if (meta.categorical[j]) {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = data[i * (p + 2) + 2 + j] as number;
      codes[i] = Number.isNaN(v) ? -1 : v;
    }
    const levels = Array.from({ length: meta.levels[j] as number }, (_, k) => String(k));
    columns.push({ kind: 'categorical', name: `x${j}`, codes, levels });
  } else {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = data[i * (p + 2) + 2 + j] as number;
    columns.push({ kind: 'numeric', name: `x${j}`, values });
  }
}
const frame: FeatureFrame = { rows: n, columns };
const oof = new Float64Array(n).fill(Number.NaN);
const folds: number[] = [];
const hash = createHash('sha256');
let wall = 0;
let cpu = 0;
for (const f of meta.testFolds) {
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
  const train = takeRows(frame, Int32Array.from(tr));
  const test = takeRows(frame, Int32Array.from(te));
  const yt = Float64Array.from(tr, (i) => y[i] as number);
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitGbdt(train, yt, meta.params, createRng(Number(seedArg ?? 1)));
  const c = process.cpuUsage(c0);
  wall += (performance.now() - w0) / 1000;
  cpu += (c.user + c.system) / 1e6;
  hash.update(JSON.stringify(fit.state));
  const margin = predictGbdtMargin(fit.state, test);
  te.forEach((row, k) => {
    oof[row] = margin[k] as number;
  });
  folds.push(
    auc(
      Float64Array.from(te, (i) => y[i] as number),
      margin,
    ),
  );
}
const held = [...oof.keys()].filter((i) => !Number.isNaN(oof[i] as number));
console.log(
  JSON.stringify({
    auc: auc(
      Float64Array.from(held, (i) => y[i] as number),
      Float64Array.from(held, (i) => oof[i] as number),
    ),
    folds,
    fitSeconds: wall,
    fitCpu: cpu,
    modelHash: hash.digest('hex').slice(0, 16),
  }),
);
