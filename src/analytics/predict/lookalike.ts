/**
 * Lookalikes ("statistical twins"): which customers of a target population resemble a seed segment.
 * Classifier method: a seed-vs-population classifier (GBDT from 2,000 rows, ridge logistic below); a candidate's similarity is its out-of-fold probability of
 * being a seed member (never scored by a model that saw it), banded against the seed's own out-of-fold scores
 * (≥ the seed median: very similar; ≥ 25th percentile: similar; ≥ 10th: somewhat similar). Neighbour method:
 * mean distance to the k nearest seed members in standardised feature space. Both report the features that
 * drive similarity (classifier importance, and seed vs population means / level shares).
 */
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { sql } from '../../store/index.js';
import { FEATURES_TABLE } from '../features/index.js';
import { membersSql, prepareSegment } from '../segments/index.js';
import { createRng } from '../shared/rng.js';
import { fitCore, scoreCore } from './core.js';
import { globalImportance } from './index.js';
import { type FeatureFrame, takeRows } from './models/frame.js';
import { auc } from './models/metrics.js';
import { knnSimilarity, standardise } from './models/neighbours.js';
import { stratifiedFolds } from './models/validation.js';
import { parsePredictParams } from './params.js';
import { loadTable } from './table.js';

export type LookalikeMethod = 'classifier' | 'neighbours';

export interface LookalikeOptions {
  /** Segment expression of the seed (e.g. `rfm_segment = 'Champions'`). */
  seed: string;
  /** Segment expression of the population to search (default: everyone not in the seed). */
  target?: string;
  method?: LookalikeMethod;
  /** Neighbours per candidate (neighbour method), default 5. */
  k?: number;
  seedValue?: number;
  /** Rows returned, best first (default 100). */
  top?: number;
}

export interface LookalikeRow {
  customerId: string;
  similarity: number;
  band: 'very similar' | 'similar' | 'somewhat similar' | 'not similar';
}

export interface LookalikeResult {
  method: LookalikeMethod;
  seedSize: number;
  populationSize: number;
  /** Classifier: out-of-fold AUC of seed vs population (0.5 = the seed looks like everyone). */
  separation: number | null;
  bands: { band: LookalikeRow['band']; customers: number }[];
  drivers: { feature: string; importance: number; seedMean: number | null; populationMean: number | null }[];
  rows: LookalikeRow[];
  warnings: string[];
}

const NON_FEATURES = ['as_of', 'first_order', 'last_order', 'is_prospect'];

/**
 * Finds lookalikes of a seed segment in a target population, over the customer feature table.
 * @param engine the datamart with `customer_features` built
 * @param options seed and target segment expressions, method, neighbours, rows returned
 * @returns similarity per candidate with bands, the size of each band and the drivers
 * @throws InputError EMPTY_INPUT when the seed or the population is empty
 * @example
 * ```ts
 * const r = await findLookalikes(engine, { seed: "rfm_segment = 'Champions'", target: 'is_prospect = true' });
 * ```
 */
export async function findLookalikes(engine: Engine, options: LookalikeOptions): Promise<LookalikeResult> {
  const method = options.method ?? 'classifier';
  const seedSeg = await prepareSegment(engine, options.seed);
  const seedIds = new Set(
    (await engine.query<{ id: string }>(membersSql(seedSeg.compiled, sql`f.customer_id AS id`))).map(
      (r) => r.id,
    ),
  );
  let targetIds: Set<string> | null = null;
  if (options.target) {
    const t = await prepareSegment(engine, options.target);
    targetIds = new Set(
      (await engine.query<{ id: string }>(membersSql(t.compiled, sql`f.customer_id AS id`))).map((r) => r.id),
    );
  }
  const loaded = await loadTable(engine, FEATURES_TABLE, { idColumn: 'customer_id', exclude: NON_FEATURES });
  const seedRows: number[] = [];
  const popRows: number[] = [];
  loaded.ids.forEach((id, i) => {
    if (seedIds.has(id)) seedRows.push(i);
    else if (!targetIds || targetIds.has(id)) popRows.push(i);
  });
  if (seedRows.length < 5 || popRows.length < 5)
    throw new InputError(
      `Lookalikes: expected at least 5 customers in the seed and in the population, found ${seedRows.length} and ${popRows.length}. Widen the segment expressions.`,
      { seed: seedRows.length, population: popRows.length },
      { code: 'EMPTY_INPUT' },
    );
  const seedFrame = takeRows(loaded.frame, seedRows);
  const popFrame = takeRows(loaded.frame, popRows);
  const warnings = [...loaded.warnings];
  let similarity: Float64Array;
  let seedScores: Float64Array;
  let separation: number | null = null;
  let importance: { feature: string; meanAbsEffect: number }[] = [];
  if (method === 'classifier') {
    const all = takeRows(loaded.frame, [...seedRows, ...popRows]);
    const y = Float64Array.from({ length: all.rows }, (_, i) => (i < seedRows.length ? 1 : 0));
    // Trees need data to be smooth; below a few thousand rows a ridge logistic ranks candidates more sensibly.
    const params = parsePredictParams({
      model: all.rows >= 2000 ? 'gbdt' : 'logistic',
      seed: options.seedValue ?? 1,
      gbdt: { trees: 100, maxLeaves: 15, minSamplesLeaf: 20 },
      logistic: { lambda: 0.01 },
    });
    const oof = outOfFold(all, y, params, 3);
    separation = auc(y, oof);
    seedScores = oof.slice(0, seedRows.length);
    similarity = oof.slice(seedRows.length);
    const fit = fitCore(all, y, params, createRng(params.seed));
    importance = globalImportance(fit.state, all, 500);
  } else {
    const { x: seedX, d } = standardise(seedFrame, loaded.frame);
    const { x: popX } = standardise(popFrame, loaded.frame);
    const maxSeed = 2000;
    const step = Math.max(1, Math.ceil(seedRows.length / maxSeed));
    const seedSample = step === 1 ? seedX : pickRows(seedX, d, step);
    if (step > 1)
      warnings.push(
        `The seed has ${seedRows.length} members; neighbours are searched among every ${step}th.`,
      );
    similarity = knnSimilarity(popX, seedSample, d, options.k ?? 5);
    // The seed's own scores: similarity to the other seed members (k + 1 neighbours, the nearest being itself).
    seedScores = knnSimilarity(seedX, seedSample, d, (options.k ?? 5) + 1);
    importance = meanDifferences(seedFrame, popFrame);
  }
  const sorted = [...seedScores].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  const [q50, q25, q10] = [q(0.5), q(0.25), q(0.1)];
  const bandOf = (s: number): LookalikeRow['band'] =>
    s >= q50 ? 'very similar' : s >= q25 ? 'similar' : s >= q10 ? 'somewhat similar' : 'not similar';
  const rows: LookalikeRow[] = popRows.map((r, i) => ({
    customerId: loaded.ids[r] as string,
    similarity: similarity[i] as number,
    band: bandOf(similarity[i] as number),
  }));
  rows.sort((a, b) => b.similarity - a.similarity || a.customerId.localeCompare(b.customerId));
  const bands = (['very similar', 'similar', 'somewhat similar', 'not similar'] as const).map((band) => ({
    band,
    customers: rows.filter((r) => r.band === band).length,
  }));
  const means = (frame: FeatureFrame, name: string): number | null => {
    const col = frame.columns.find((c) => c.name === name);
    if (col?.kind !== 'numeric') return null;
    let s = 0;
    let c = 0;
    for (const v of col.values)
      if (!Number.isNaN(v)) {
        s += v;
        c++;
      }
    return c ? s / c : null;
  };
  const drivers = importance.slice(0, 10).map((i) => ({
    feature: i.feature,
    importance: i.meanAbsEffect,
    seedMean: means(seedFrame, i.feature),
    populationMean: means(popFrame, i.feature),
  }));
  return {
    method,
    seedSize: seedRows.length,
    populationSize: popRows.length,
    separation,
    bands,
    drivers,
    rows: rows.slice(0, options.top ?? 100),
    warnings,
  };
}

function outOfFold(
  frame: FeatureFrame,
  y: Float64Array,
  params: ReturnType<typeof parsePredictParams>,
  k: number,
): Float64Array {
  const folds = stratifiedFolds(y, k, createRng(params.seed).fork());
  const out = new Float64Array(frame.rows);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < frame.rows; i++) (folds[i] === f ? test : train).push(i);
    const fit = fitCore(
      takeRows(frame, train),
      Float64Array.from(train, (i) => y[i] as number),
      params,
      createRng(params.seed + f),
    );
    const m = scoreCore(fit.state, takeRows(frame, test));
    test.forEach((row, j) => {
      out[row] = 1 / (1 + Math.exp(-(m[j] as number)));
    });
  }
  return out;
}

function pickRows(x: Float64Array, d: number, step: number): Float64Array {
  const n = x.length / d;
  const out = new Float64Array(Math.ceil(n / step) * d);
  for (let i = 0, o = 0; i < n; i += step, o += d) out.set(x.subarray(i * d, i * d + d), o);
  return out;
}

/** Standardised mean difference per numeric feature, as the neighbour method's drivers. */
function meanDifferences(
  seed: FeatureFrame,
  pop: FeatureFrame,
): { feature: string; meanAbsEffect: number }[] {
  const out: { feature: string; meanAbsEffect: number }[] = [];
  seed.columns.forEach((col, f) => {
    const other = pop.columns[f];
    if (col.kind !== 'numeric' || other?.kind !== 'numeric') return;
    const stats = (v: Float64Array) => {
      let s = 0;
      let ss = 0;
      let c = 0;
      for (const x of v)
        if (!Number.isNaN(x)) {
          s += x;
          ss += x * x;
          c++;
        }
      const m = c ? s / c : 0;
      return { m, v: c ? ss / c - m * m : 0 };
    };
    const a = stats(col.values);
    const b = stats(other.values);
    const sd = Math.sqrt((a.v + b.v) / 2) || 1;
    out.push({ feature: col.name, meanAbsEffect: Math.abs(a.m - b.m) / sd });
  });
  return out.sort((x, y) => y.meanAbsEffect - x.meanAbsEffect);
}
