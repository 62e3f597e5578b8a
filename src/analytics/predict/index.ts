/**
 * Predictive scoring: churn, campaign response and propensity models on any table of the datamart (the
 * customer feature view with a label from the training-set builder, or an imported table with a label
 * column), evaluated honestly against a one-feature baseline, stored as JSON, scored in TypeScript or inside
 * the engine as SQL, and explained per customer with exact TreeSHAP.
 */
import { createHash } from 'node:crypto';
import { InputError, ModelError, NotFoundError } from '../../errors.js';
import type { DuckDbEngine, Engine, TableDef, WriteBackResult } from '../../store/index.js';
import { ident, join, sql, writeBack, writeColumns } from '../../store/index.js';
import type { ModelEnvelope } from '../module.js';
import type { Language } from '../shared/field-labels.js';
import { createRng } from '../shared/rng.js';
import { explainCore, fitCore, type ModelState, scoreCore } from './core.js';
import { alignFrame, cellValue, type FeatureColumn, type FeatureFrame, takeRows } from './models/frame.js';
import {
  auc,
  type BinaryMetrics,
  binaryMetrics,
  type CalibrationBin,
  calibrationCurve,
  type DecileRow,
  liftByDecile,
  sigmoid,
  sigmoidAll,
} from './models/metrics.js';
import {
  chooseBaseline,
  crossValidate,
  type FoldResult,
  singleFeatureScores,
  stratifiedFolds,
} from './models/validation.js';
import { type PredictParams, parsePredictParams } from './params.js';
import { reasonSentence } from './reasons.js';
import { SCORES_TABLE } from './scores.js';
import { type LoadedTable, type LoadTableOptions, loadTable } from './table.js';
import { buildTrainingSet, type LabelSpec } from './training-set.js';

export {
  FIELD_LABELS,
  fieldLabel,
  LANGUAGES,
  type Language,
  parseLanguage,
} from '../shared/field-labels.js';
export { explainCore, fitCore, type ModelState, scoreCore } from './core.js';
export {
  findLookalikes,
  LOOKALIKE_BANDS,
  type LookalikeBand,
  type LookalikeDriver,
  type LookalikeFeature,
  type LookalikeMethod,
  type LookalikeOptions,
  type LookalikeResult,
  type LookalikeRow,
} from './lookalike.js';
export { type Calibration, calibrate, fitIsotonic, fitPlatt } from './models/calibration.js';
export { categoricalColumn, type FeatureFrame, type FeatureSpec, numericColumn } from './models/frame.js';
export { auc, brier, calibrationCurve, liftByDecile, logLoss } from './models/metrics.js';
export { crossValidate, stratifiedFolds, timeSplit } from './models/validation.js';
export {
  defaults,
  type GbdtParams,
  type LogisticParams,
  type ModelKind,
  type PredictParams,
  parsePredictParams,
} from './params.js';
export { durationWords, factWords, reasonSentence, strengthWords } from './reasons.js';
export {
  CUSTOMER_SCORES_TABLE,
  refreshCustomerScores,
  SCORES_TABLE,
  type StoredScore,
  storeScores,
  storeScoresFromSql,
} from './scores.js';
export { marginSql, probabilitySql, scoreQuerySql } from './sql.js';
export { type LoadedTable, type LoadTableOptions, loadTable, tableReferenceDate } from './table.js';
export {
  buildTrainingSet,
  type LabelSpec,
  PURCHASE_CYCLE_PERCENTILE,
  type PurchaseCycle,
  purchaseCycle,
  purchaseCycleWords,
  type TrainingSetOptions,
  type TrainingSetResult,
  trainingRowsSql,
} from './training-set.js';

export const MODULE = 'predict';
export const FORMAT_VERSION = 1;
/** Where `saveModel` keeps fitted models. */
export const MODELS_TABLE = 'predict_models';

/** What a fitted model keeps besides its numbers: where it came from and how its label was read. */
export interface PredictState {
  model: ModelState;
  source: { table: string; target: string | null; positive: string | null; idColumn: string | null };
}

export type PredictModel = ModelEnvelope<PredictParams, PredictState> & { id: string };

export interface TrainOptions extends LoadTableOptions {
  table: string;
  target: string;
  /** Model settings (validated); `model`, `seed`, `gbdt`, `logistic`. */
  params?: unknown;
  /** Stratified folds for the evaluation; 0 or 1 = no cross-validation. */
  folds?: number;
  /** The reference date recorded with the model (the data's as-of); default "unknown". */
  asOf?: string;
  /** Model id (default `<table>_<target>`, lower-cased). */
  name?: string;
  /** The baseline's single feature (default: the strongest single feature). */
  baselineFeature?: string;
  /** Progress callback: (step done, steps total). */
  onProgress?: (done: number, total: number) => void;
}

export interface MetricsSummary {
  auc: number;
  logLoss: number;
  brier: number;
  precision: number;
  recall: number;
  accuracy: number;
  threshold: number;
  topDecileLift: number;
}

export interface EvaluationReport {
  folds: number;
  perFold: (MetricsSummary & {
    fold: number;
    trainRows: number;
    testRows: number;
    baselineAuc: number;
    trees?: number;
  })[];
  overall: MetricsSummary;
  meanAuc: number;
  sdAuc: number;
  baseline: { feature: string } & MetricsSummary;
  /** Overall AUC minus the baseline's: what the model adds. */
  aucGain: number;
  lift: DecileRow[];
  calibration: CalibrationBin[];
}

export interface TrainResult {
  model: PredictModel;
  evaluation: EvaluationReport | null;
  importance: FeatureImportance[];
  data: {
    rows: number;
    positives: number;
    features: string[];
    skipped: LoadedTable['skipped'];
    droppedRows: number;
  };
  warnings: string[];
}

export interface FeatureImportance {
  feature: string;
  /** Mean |contribution| in log-odds over the training rows (an evenly spaced sample of at most 1,000). */
  meanAbsEffect: number;
  share: number;
}

function summary(m: BinaryMetrics): MetricsSummary {
  return {
    auc: m.auc,
    logLoss: m.logLoss,
    brier: m.brier,
    precision: m.precision,
    recall: m.recall,
    accuracy: m.accuracy,
    threshold: m.threshold,
    topDecileLift: m.topDecileLift,
  };
}

/** Evaluation report from a cross-validation (pure). */
export function evaluationReport(
  cv: ReturnType<typeof crossValidate>,
  y: ArrayLike<number>,
  k: number,
): EvaluationReport {
  return {
    folds: k,
    perFold: cv.folds.map((f: FoldResult) => ({
      fold: f.fold,
      trainRows: f.trainRows,
      testRows: f.testRows,
      ...summary(f.metrics),
      baselineAuc: f.baseline.auc,
      ...(f.trees !== undefined ? { trees: f.trees } : {}),
    })),
    overall: summary(cv.overall),
    meanAuc: cv.meanAuc,
    sdAuc: cv.sdAuc,
    baseline: { feature: cv.baselineFeature, ...summary(cv.baselineOverall) },
    aucGain: cv.overall.auc - cv.baselineOverall.auc,
    lift: liftByDecile(y, cv.oof),
    calibration: calibrationCurve(y, cv.oof),
  };
}

/** A model whose cross-validated AUC beats its baseline's by less than this "barely beats" it. */
export const BARELY_BEATS_AUC_GAIN = 0.02;

/** The plain warning for a model that barely beats (or does not beat) its one-feature baseline, or null. */
export function barelyBeatsWarning(e: EvaluationReport): string | null {
  if (!(e.aucGain < BARELY_BEATS_AUC_GAIN)) return null;
  const f = e.baseline.feature;
  const versus = `AUC ${e.overall.auc.toFixed(3)} in cross-validation against ${e.baseline.auc.toFixed(3)} for "${f}" alone`;
  if (e.aucGain < 0)
    return `The model does not beat its baseline: ${versus} (${(-e.aucGain).toFixed(3)} less). Rank customers by "${f}" instead, or add better features before acting on these scores.`;
  return `The model barely beats its baseline: ${versus} (only ${e.aucGain.toFixed(3)} more). Ranking customers by "${f}" does nearly as well; add better features before acting on these scores.`;
}

/**
 * Trains a model on a table with a binary label column, cross-validates it (stratified k-fold, fixed seed)
 * against a one-feature baseline, then refits on all rows.
 * @param engine the datamart
 * @param options table, target column, params ({model, seed, gbdt, logistic}), folds (default 5)
 * @returns the model envelope (JSON-safe), the evaluation and the global feature importance
 * @throws InputError INVALID_INPUT (bad params, non-binary target), MISSING_COLUMN
 * @example
 * ```ts
 * const { model, evaluation } = await trainModel(engine, { table: 'telco', target: 'Churn', folds: 5 });
 * console.log(evaluation?.overall.auc, model.id);
 * ```
 */
export async function trainModel(engine: Engine, options: TrainOptions): Promise<TrainResult> {
  const params = parsePredictParams(options.params ?? {});
  const loaded = await loadTable(engine, options.table, options);
  return trainOnLoaded(loaded, params, options);
}

/** The pure part of trainModel, for frames built elsewhere (training-set builder, lookalikes). */
export function trainOnLoaded(
  loaded: LoadedTable,
  params: PredictParams,
  options: Pick<TrainOptions, 'table' | 'folds' | 'asOf' | 'name' | 'baselineFeature' | 'onProgress'>,
): TrainResult {
  const { frame, y } = loaded;
  if (frame.rows < 10)
    throw new InputError(
      `Table "${options.table}": expected at least 10 labelled rows to train on, found ${frame.rows}.`,
      {},
      { code: 'EMPTY_INPUT' },
    );
  if (frame.columns.length === 0)
    throw new InputError(
      `Table "${options.table}": no usable feature columns (all excluded or skipped).`,
      { skipped: loaded.skipped },
      { code: 'EMPTY_INPUT' },
    );
  let positives = 0;
  for (const v of y) positives += v;
  if (positives === 0 || positives === frame.rows)
    throw new InputError(
      `Column "${loaded.target}": expected both label values among the rows, found only one.`,
      {},
    );
  const k = options.folds ?? 5;
  const warnings = [...loaded.warnings];
  const steps = (k > 1 ? k : 0) + 1;
  let evaluation: EvaluationReport | null = null;
  if (k > 1) {
    const cv = crossValidate(frame, y, params, k, {
      baselineFeature: options.baselineFeature,
      onFold: (done) => options.onProgress?.(done, steps),
    });
    warnings.push(...cv.warnings);
    evaluation = evaluationReport(cv, y, k);
    const barely = barelyBeatsWarning(evaluation);
    if (barely) warnings.push(barely);
  }
  const fit = fitCore(frame, y, params, createRng(params.seed));
  options.onProgress?.(steps, steps);
  for (const w of fit.warnings) if (!warnings.includes(w)) warnings.push(w);
  const id = (options.name ?? `${options.table}_${loaded.target}`).toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  const model: PredictModel = {
    id,
    module: MODULE,
    formatVersion: FORMAT_VERSION,
    params,
    state: {
      model: fit.state,
      source: {
        table: options.table,
        target: loaded.target,
        positive: loaded.positive,
        idColumn: loaded.idColumn,
      },
    },
    // The data's as-of: given, else the table's own reference date (its as_of / latest cutoff column).
    data: {
      asOf: options.asOf ?? loaded.referenceDate ?? 'unknown',
      rows: frame.rows,
      fingerprint: fingerprint(frame, y),
    },
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings: fit.warnings },
  };
  return {
    model,
    evaluation,
    importance: globalImportance(fit.state, frame),
    data: {
      rows: frame.rows,
      positives,
      features: frame.columns.map((c) => c.name),
      skipped: loaded.skipped,
      droppedRows: loaded.droppedRows,
    },
    warnings,
  };
}

/** Mean |contribution| per feature over (a deterministic sample of) the rows. */
export function globalImportance(
  state: ModelState,
  frame: FeatureFrame,
  maxRows = 1000,
): FeatureImportance[] {
  const aligned = alignFrame(frame, state.features).frame;
  const step = Math.max(1, Math.ceil(aligned.rows / maxRows));
  const rows = Int32Array.from({ length: Math.ceil(aligned.rows / step) }, (_, i) => i * step);
  const sample = takeRows(aligned, rows);
  const { values } = explainCore(state, sample);
  const p = state.features.length;
  const sums = new Float64Array(p);
  for (let i = 0; i < sample.rows; i++)
    for (let f = 0; f < p; f++) sums[f] = (sums[f] as number) + Math.abs(values[i * p + f] as number);
  const total = sums.reduce((a, b) => a + b, 0) || 1;
  return state.features
    .map((spec, f) => ({
      feature: spec.name,
      meanAbsEffect: (sums[f] as number) / Math.max(sample.rows, 1),
      share: (sums[f] as number) / total,
    }))
    .sort((a, b) => b.meanAbsEffect - a.meanAbsEffect);
}

function fingerprint(frame: FeatureFrame, y: Float64Array): string {
  const h = createHash('sha256');
  h.update(String(frame.rows));
  for (const c of frame.columns) {
    h.update(c.name);
    if (c.kind === 'numeric')
      h.update(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength));
    else {
      h.update(c.levels.join('\u0000'));
      h.update(new Uint8Array(c.codes.buffer, c.codes.byteOffset, c.codes.byteLength));
    }
  }
  h.update(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  return h.digest('hex').slice(0, 16);
}

/** Checks that a parsed JSON value is a predict model of this format. @throws ModelError */
export function checkModel(model: unknown): PredictModel {
  const m = model as Partial<PredictModel> | null;
  if (!m || typeof m !== 'object' || m.module !== MODULE)
    throw new ModelError(
      'MODULE_MISMATCH',
      `Expected a "${MODULE}" model, got ${m && typeof m === 'object' ? `a "${String(m.module)}" model` : 'something else'}.`,
      {},
    );
  if (m.formatVersion !== FORMAT_VERSION)
    throw new ModelError(
      'FORMAT_VERSION',
      `Model format ${String(m.formatVersion)} is not supported (expected ${FORMAT_VERSION}); retrain the model.`,
      {},
    );
  return m as PredictModel;
}

/** The saved-models table, rendered by each engine's dialect. */
const MODELS_TABLE_DEF: TableDef = {
  name: MODELS_TABLE,
  columns: [
    { name: 'model_id', type: 'text' },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'source_table', type: 'text' },
    { name: 'target', type: 'text' },
    { name: 'as_of', type: 'text' },
    { name: 'rows', type: 'bigint' },
    { name: 'model', type: 'json', notNull: true },
    { name: 'report', type: 'json' },
  ],
  primaryKey: 'model_id',
  sortKey: ['model_id'],
};

async function ensureModelsTable(engine: Engine): Promise<void> {
  await engine.exec(engine.dialect.createTableSql(MODELS_TABLE_DEF));
}

/**
 * Stores (or replaces) a model and its evaluation report in the datamart table `predict_models`.
 * @param engine the datamart
 * @param model a model from `trainModel`
 * @param report any JSON-safe report to keep with it (the CLI stores the train JSON)
 * @returns nothing; a model with the same id is replaced in one transaction
 * @throws QueryError QUERY_FAILED when the datamart cannot be written
 * @example
 * ```ts
 * await saveModel(engine, (await trainModel(engine, { table: 'telco', target: 'Churn' })).model);
 * ```
 */
export async function saveModel(engine: Engine, model: PredictModel, report?: unknown): Promise<void> {
  await ensureModelsTable(engine);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DELETE FROM ${ident(MODELS_TABLE)} WHERE model_id = ${model.id}`);
    await tx.exec(
      sql`INSERT INTO ${ident(MODELS_TABLE)} VALUES (${model.id}, ${model.state.model.kind}, ${model.state.source.table}, ${model.state.source.target}, ${model.data.asOf}, ${model.data.rows}, ${JSON.stringify(model)}, ${report === undefined ? null : JSON.stringify(report)})`,
    );
  });
}

/**
 * Reads a stored model and its report.
 * @param engine the datamart
 * @param id the model id (`trainModel`'s `name`, default `<table>_<target>`)
 * @returns the checked model envelope and its stored report (or null)
 * @throws NotFoundError NOT_FOUND when there is no model with that id; ModelError MODULE_MISMATCH / FORMAT_VERSION
 * @example
 * ```ts
 * const { model } = await getModel(engine, 'telco_churn');
 * ```
 */
export async function getModel(
  engine: Engine,
  id: string,
): Promise<{ model: PredictModel; report: unknown }> {
  await ensureModelsTable(engine);
  const rows = await engine.query<{ model: string; report: string | null }>(
    sql`SELECT CAST(model AS VARCHAR) AS model, CAST(report AS VARCHAR) AS report FROM ${ident(MODELS_TABLE)} WHERE model_id = ${id}`,
  );
  const row = rows[0];
  if (!row) {
    const known = await engine.query<{ model_id: string }>(
      sql`SELECT model_id FROM ${ident(MODELS_TABLE)} ORDER BY 1`,
    );
    throw new NotFoundError(
      `No model "${id}". Known models: ${known.map((k) => k.model_id).join(', ') || '(none)'}. Train one with clientele predict train.`,
      { id },
    );
  }
  return { model: checkModel(JSON.parse(row.model)), report: row.report ? JSON.parse(row.report) : null };
}

/**
 * Lists the stored models.
 * @param engine the datamart
 * @returns one row per model, ordered by id
 * @throws QueryError QUERY_FAILED
 * @example
 * ```ts
 * for (const m of await listModels(engine)) console.log(m.id, m.kind, m.asOf);
 * ```
 */
export async function listModels(
  engine: Engine,
): Promise<{ id: string; kind: string; table: string; target: string; asOf: string; rows: number }[]> {
  await ensureModelsTable(engine);
  const rows = await engine.query<{
    model_id: string;
    kind: string;
    source_table: string;
    target: string;
    as_of: string;
    rows: number;
  }>(
    sql`SELECT model_id, kind, source_table, target, as_of, rows FROM ${ident(MODELS_TABLE)} ORDER BY model_id`,
  );
  return rows.map((r) => ({
    id: r.model_id,
    kind: r.kind,
    table: r.source_table,
    target: r.target,
    asOf: r.as_of,
    rows: r.rows,
  }));
}

export interface ScoredRow {
  customerId: string;
  /** Probability of the positive label; null when the row could not be scored. */
  score: number | null;
  /** Log-odds. */
  margin: number | null;
  reason?: string;
}

/** Scores a loaded frame (TypeScript path). Rows are never dropped. */
export function scoreLoaded(
  model: PredictModel,
  loaded: Pick<LoadedTable, 'frame' | 'ids'>,
): { rows: ScoredRow[]; warnings: string[] } {
  const { frame, missing } = alignFrame(loaded.frame, model.state.model.features);
  const warnings: string[] = [];
  if (missing.length)
    warnings.push(
      `The data lacks ${missing.map((m) => `"${m}"`).join(', ')}; those features are treated as missing for every row.`,
    );
  const margin = scoreCore(model.state.model, frame);
  const rows: ScoredRow[] = loaded.ids.map((id, i) => {
    const m = margin[i] as number;
    return Number.isFinite(m)
      ? { customerId: id, score: sigmoid(m), margin: m }
      : { customerId: id, score: null, margin: null, reason: 'the model produced no finite score' };
  });
  return { rows, warnings };
}

/**
 * Scores every row of a table with a model (TypeScript path); no row is dropped: a row that cannot be scored
 * gets `score: null` and a `reason`.
 * @param engine the datamart
 * @param model the model (from `getModel` or `trainModel`)
 * @param table a table or view holding the model's feature columns
 * @param options id column (default: the model's) and an optional WHERE fragment
 * @returns rows `{customerId, score (0–1), margin (log-odds)}` and warnings
 * @throws InputError MISSING_COLUMN when a feature column is absent
 * @example
 * ```ts
 * const { rows } = await scoreTable(engine, model, 'telco');
 * await storeScores(engine, model.id, '2024-12-31', rows);
 * ```
 */
export async function scoreTable(
  engine: Engine,
  model: PredictModel,
  table: string,
  options: Omit<LoadTableOptions, 'target'> = {},
): Promise<{ rows: ScoredRow[]; warnings: string[] }> {
  const loaded = await loadTable(engine, table, {
    ...options,
    include: model.state.model.features.map((f) => f.name),
    idColumn: options.idColumn ?? model.state.source.idColumn ?? undefined,
  });
  return scoreLoaded(model, loaded);
}

export interface Reason {
  feature: string;
  value: number | string | null;
  /** Log-odds contribution. */
  effect: number;
  /** A sentence in the asked language: "no order for 6 months (raises the score strongly)". */
  text: string;
}

export interface ExplainedRow {
  customerId: string;
  score: number;
  margin: number;
  /** Base value: the model's expected log-odds. */
  baseline: number;
  reasons: Reason[];
}

/**
 * Per-row explanation: the top `top` contributions by size, as sentences in `lang` (effects kept in log-odds for
 * tools; the baseline plus all contributions equals the margin).
 * @param model the model
 * @param loaded rows from `loadTable` (frame and ids)
 * @param top reasons kept per row (1–100)
 * @param rows row indices to explain (default all; TreeSHAP costs about trees × leaves × depth² per row)
 * @param lang language of the reasons
 * @param currency ISO 4217 code of money in the reasons (the datamart's `currency` setting)
 * @returns one explained row per requested row, in request order
 * @throws nothing for valid input
 * @example
 * ```ts
 * const loaded = await loadTable(engine, 'telco', { include: model.state.model.features.map((f) => f.name) });
 * console.log(explainLoaded(model, loaded, 3, [0])[0]?.reasons.map((r) => r.text));
 * ```
 */
export function explainLoaded(
  model: PredictModel,
  loaded: Pick<LoadedTable, 'frame' | 'ids'>,
  top = 5,
  rows?: ArrayLike<number>,
  lang: Language = 'en',
  currency = 'EUR',
): ExplainedRow[] {
  const all = alignFrame(loaded.frame, model.state.model.features).frame;
  const frame = rows ? takeRows(all, rows) : all;
  const ids = rows ? Array.from(rows, (r) => loaded.ids[r] ?? String(r + 1)) : loaded.ids;
  const { base, values } = explainCore(model.state.model, frame);
  const margins = scoreCore(model.state.model, frame);
  const p = model.state.model.features.length;
  const out: ExplainedRow[] = [];
  for (let i = 0; i < frame.rows; i++) {
    const reasons: Reason[] = [];
    for (let f = 0; f < p; f++) {
      const effect = values[i * p + f] as number;
      if (effect === 0) continue;
      const col = frame.columns[f];
      if (!col) continue;
      const value = cellValue(col, i);
      const spec = model.state.model.features[f];
      const text = reasonSentence({ name: col.name, origin: spec?.origin }, value, effect, lang, currency);
      reasons.push({ feature: col.name, value, effect, text });
    }
    reasons.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.feature.localeCompare(b.feature));
    const m = margins[i] as number;
    out.push({
      customerId: ids[i] ?? String(i + 1),
      score: sigmoid(m),
      margin: m,
      baseline: base,
      reasons: reasons.slice(0, top),
    });
  }
  return out;
}

/** A reason in English words (see `reasonSentence` for other languages and date fields). */
export function reasonText(feature: string, value: number | string | null, effect: number): string {
  return reasonSentence({ name: feature }, value, effect, 'en');
}

/** Probabilities from margins (exported for the CLI). */
export function probabilities(margin: ArrayLike<number>): Float64Array {
  return sigmoidAll(margin);
}

/** Metrics of stored scores against known labels (e.g. a later period), for `predict report`. */
export function evaluateScores(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
): MetricsSummary & { lift: DecileRow[]; calibration: CalibrationBin[] } {
  return { ...summary(binaryMetrics(y, p)), lift: liftByDecile(y, p), calibration: calibrationCurve(y, p) };
}

export interface ScoreWriteBackOptions {
  /** The CRM database: PostgreSQL or MySQL/MariaDB. */
  target: 'postgres' | 'mysql';
  /** Its URL (`postgres://user:pw@host/db`, `mysql://user:pw@host/db`). */
  url: string;
  /** Target table, optionally schema-qualified; created when missing (default `customer_scores`). */
  table?: string;
  /**
   * `upsert` (default): rows keyed by (model_id, customer_id) are updated or inserted, other models' rows kept.
   * `replace`: the table holds exactly this run afterwards. `append`: rows are only inserted.
   */
  mode?: 'upsert' | 'replace' | 'append';
  /** Top reasons per customer written as reason_1 … reason_N (plain words, TreeSHAP); 0 = none. Default 3. */
  reasons?: number;
  /** The table the run scored (its rows are explained for the reasons). */
  sourceTable: string;
  /** Id column of the source table (default: the model's). */
  idColumn?: string;
  onProgress?: (rowsWritten: number) => void;
}

/**
 * Writes a stored scoring run (model, asOf) to a table in the CRM database: model_id, as_of, customer_id,
 * score, margin and reason_1 … reason_N, so campaign tools can select on churn risk or response propensity
 * and see why. The run must be in `scores` already (`predict score` stores it first).
 * @param engine the datamart (DuckDB; the rows travel through it)
 * @param model the model that produced the run
 * @param asOf the run's as-of date
 * @param options target database, table, mode and number of reasons
 * @returns what writeBack wrote, plus the number of reason columns
 * @throws InputError INVALID_ARGUMENT for an unusable option; ConnectorError when the target refuses
 * @example
 * ```ts
 * await writeBackScores(engine, model, '2024-12-31', { target: 'postgres', url: 'postgres://crm@db/crm', sourceTable: 'customer_features' });
 * ```
 */
export async function writeBackScores(
  engine: DuckDbEngine,
  model: PredictModel,
  asOf: string,
  options: ScoreWriteBackOptions,
): Promise<WriteBackResult & { reasons: number }> {
  const reasons = options.reasons ?? 3;
  const reasonCols = Array.from({ length: reasons }, (_, k) => `reason_${k + 1}`);
  const temp = `predict_reasons_${model.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
  if (reasons > 0) {
    const loaded = await loadTable(engine, options.sourceTable, {
      include: model.state.model.features.map((f) => f.name),
      idColumn: options.idColumn ?? model.state.source.idColumn ?? undefined,
    });
    const explained = explainLoaded(model, loaded, reasons);
    const columns: Record<string, (string | null)[]> = { customer_id: explained.map((e) => e.customerId) };
    reasonCols.forEach((c, k) => {
      columns[c] = explained.map((e) => (Number.isFinite(e.margin) ? (e.reasons[k]?.text ?? null) : null));
    });
    await writeColumns(engine, temp, columns, { temporary: true });
  }
  const s = (c: string) => sql`${ident(`s.${c}`)}`;
  const picked = [
    sql`${s('model_id')} AS model_id`,
    sql`${s('as_of')} AS as_of`,
    sql`${s('customer_id')} AS customer_id`,
    sql`${s('score')} AS score`,
    sql`${s('margin')} AS margin`,
    ...reasonCols.map((c) => sql`${ident(`r.${c}`)} AS ${ident(c)}`),
  ];
  const from =
    reasons > 0
      ? sql`${ident(SCORES_TABLE)} s LEFT JOIN ${ident(temp)} r ON r.customer_id = s.customer_id`
      : sql`${ident(SCORES_TABLE)} s`;
  try {
    const result = await writeBack(
      engine,
      sql`SELECT ${join(picked)} FROM ${from} WHERE s.model_id = ${model.id} AND s.as_of = ${asOf}`,
      {
        engine: options.target,
        connection: { url: options.url },
        table: options.table ?? 'customer_scores',
        mode: options.mode ?? 'upsert',
        key: ['model_id', 'customer_id'],
        onProgress: options.onProgress,
      },
    );
    return { ...result, reasons };
  } finally {
    if (reasons > 0) await engine.exec(sql`DROP TABLE IF EXISTS ${ident(temp)}`);
  }
}

export interface BacktestOptions {
  /** The day the test window starts after (features of the scored customers are as of its end). */
  cutoff: string;
  /** The label (its window is the horizon both for training and for the test). */
  label: LabelSpec;
  /** Model settings (validated), as for `trainModel`. */
  params?: unknown;
  /** Columns never to use as features (keys and the label are always left out). */
  exclude?: readonly string[];
  /** Table the two stacked sets are written to (default `backtest_set`). */
  table?: string;
}

export interface BacktestResult {
  /** Features as of this day train the model; its labels come from (trainCutoff, cutoff]. */
  trainCutoff: string;
  /** Features as of this day are scored; the labels to beat come from (cutoff, cutoff + window]. */
  cutoff: string;
  windowDays: number;
  train: { rows: number; positives: number };
  test: { rows: number; positives: number };
  /** The next window's metrics of the model trained before it. */
  metrics: MetricsSummary;
  /** The one-feature baseline chosen on the training rows, judged on the same next window. */
  baseline: { feature: string; auc: number };
  aucGain: number;
  lift: DecileRow[];
  calibration: CalibrationBin[];
  /** The model trained on the earlier cutoff (for the leakage check and for scoring). */
  model: PredictModel;
  warnings: string[];
}

/** Days from a label's cutoff to the end of its window. */
function labelWindowDays(label: LabelSpec): number {
  return label.kind === 'response' ? label.sendWindowDays + label.windowDays : label.horizonDays;
}

function addDaysIso(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * An out-of-time backtest: the model is trained on the customers as they were one label window before
 * `cutoff` (labels from that window, which ends at `cutoff`), then scores the customers as of `cutoff` and is
 * judged on what they did in the next window. Nothing dated after `cutoff` reaches the training rows, so
 * the result is the accuracy one would have had by deploying the model at `cutoff`. Shown next to the
 * cross-validation, it tells whether the model holds up over time.
 * @throws InputError for a bad cutoff or label, EMPTY_INPUT when a side has no rows or one class only
 * @example
 * ```ts
 * const b = await backtestModel(engine, { cutoff: '2026-03-31', label: { kind: 'churn', horizonDays: 90 } });
 * console.log(b.metrics.auc, b.baseline.auc);
 * ```
 */
export async function backtestModel(engine: Engine, options: BacktestOptions): Promise<BacktestResult> {
  const params = parsePredictParams(options.params ?? {});
  const windowDays = labelWindowDays(options.label);
  const trainCutoff = addDaysIso(options.cutoff, -windowDays);
  const table = options.table ?? 'backtest_set';
  const set = await buildTrainingSet(engine, {
    cutoffs: [trainCutoff, options.cutoff],
    label: options.label,
    table,
  });
  const exclude = [...new Set([...set.nonFeatures.filter((c) => c !== 'label'), ...(options.exclude ?? [])])];
  const side = (day: string) =>
    loadTable(engine, table, {
      target: 'label',
      idColumn: 'customer_id',
      exclude,
      where: sql`cutoff = ${engine.dialect.dateParam(day)}`,
    });
  const train = await side(trainCutoff);
  const trained = trainOnLoaded(train, params, { table, folds: 0, asOf: trainCutoff, name: 'backtest' });
  const test = await loadTable(engine, table, {
    target: 'label',
    idColumn: 'customer_id',
    include: trained.model.state.model.features.map((f) => f.name),
    where: sql`cutoff = ${engine.dialect.dateParam(options.cutoff)}`,
    keepConstant: true,
  });
  let testPositives = 0;
  for (const v of test.y) testPositives += v;
  if (test.frame.rows === 0 || testPositives === 0 || testPositives === test.frame.rows)
    throw new InputError(
      `Backtest at ${options.cutoff}: expected customers of both outcomes in the next ${windowDays} days, found ${test.frame.rows} rows with ${testPositives} positives. Pick an earlier --cutoff.`,
      { rows: test.frame.rows, positives: testPositives },
      { code: 'EMPTY_INPUT' },
    );
  const p = probabilities(Float64Array.from(scoreLoaded(trained.model, test).rows, (r) => r.margin ?? 0));
  // The baseline: chosen on the training rows only, fitted there, judged on the next window.
  const foldOf = stratifiedFolds(train.y, 3, createRng(params.seed));
  const baselineFeature = chooseBaseline(train.frame, train.y, foldOf, 3).feature;
  const trainIndex = Int32Array.from({ length: train.frame.rows }, (_, i) => i);
  const testCol = test.frame.columns.find((c) => c.name === baselineFeature);
  const trainCol = train.frame.columns.find((c) => c.name === baselineFeature);
  let baselineAuc = 0.5;
  if (testCol && trainCol) {
    const merged = mergeForBaseline(trainCol, testCol);
    const scores = singleFeatureScores(
      merged.column,
      Float64Array.from({ length: merged.rows }, (_, i) =>
        i < train.frame.rows ? (train.y[i] as number) : 0,
      ),
      trainIndex,
      Int32Array.from({ length: test.frame.rows }, (_, i) => train.frame.rows + i),
    );
    baselineAuc = auc(test.y, scores);
  }
  const metrics = summary(binaryMetrics(test.y, p));
  const [last] = await engine.query<{ d: string | null }>(
    sql`SELECT ${engine.dialect.toText(sql`max(order_date)`)} AS d FROM orders`,
  );
  const warnings = [...trained.warnings];
  const windowEnd = addDaysIso(options.cutoff, windowDays);
  if (last?.d && last.d < windowEnd)
    warnings.push(
      `The test window (${options.cutoff} … ${windowEnd}) runs past the last order (${last.d}): its labels are incomplete. Pick a cutoff at least ${windowDays} days before the data ends.`,
    );
  return {
    trainCutoff,
    cutoff: options.cutoff,
    windowDays,
    train: { rows: train.frame.rows, positives: trained.data.positives },
    test: { rows: test.frame.rows, positives: testPositives },
    metrics,
    baseline: { feature: baselineFeature, auc: baselineAuc },
    aucGain: metrics.auc - baselineAuc,
    lift: liftByDecile(test.y, p),
    calibration: calibrationCurve(test.y, p),
    model: trained.model,
    warnings,
  };
}

/** One column holding the training rows then the test rows, test levels coded by the training levels. */
function mergeForBaseline(
  train: FeatureColumn,
  test: FeatureColumn,
): { column: FeatureColumn; rows: number } {
  const rows = (c: FeatureColumn) => (c.kind === 'numeric' ? c.values.length : c.codes.length);
  const n = rows(train) + rows(test);
  if (train.kind === 'numeric' && test.kind === 'numeric') {
    const values = new Float64Array(n);
    values.set(train.values, 0);
    values.set(test.values, train.values.length);
    return { column: { ...train, values }, rows: n };
  }
  if (train.kind === 'categorical' && test.kind === 'categorical') {
    const codes = new Int32Array(n);
    codes.set(train.codes, 0);
    const index = new Map(train.levels.map((l, i) => [l, i]));
    test.codes.forEach((c, i) => {
      codes[train.codes.length + i] = c < 0 ? -1 : (index.get(test.levels[c] as string) ?? -1);
    });
    return { column: { ...train, codes }, rows: n };
  }
  return { column: train, rows: rows(train) };
}

/** One model on the scoreboard: how much it adds to its baseline, how well calibrated, how old. */
export interface ScoreboardRow {
  id: string;
  kind: string;
  target: string;
  rows: number;
  /** The data's as-of the model was trained on. */
  asOf: string;
  auc: number | null;
  baseline: { feature: string; auc: number } | null;
  /** Cross-validated AUC minus the baseline's (null without an evaluation). */
  aucGain: number | null;
  /** Mean |predicted − observed| over the calibration bins, weighted by rows (0 = perfect; null without one). */
  calibrationError: number | null;
  /** Days from the model's as-of to the latest order in the datamart (null when either is unknown). */
  ageDays: number | null;
  /** A plain verdict: "barely beats its baseline", "adds to its baseline" or "no evaluation". */
  verdict: 'barely beats its baseline' | 'adds to its baseline' | 'no evaluation';
}

/** Weighted mean |meanPredicted − observedRate| of calibration bins. */
export function calibrationError(
  bins: readonly { rows: number; meanPredicted: number; observedRate: number }[],
): number | null {
  let rows = 0;
  let sum = 0;
  for (const b of bins) {
    rows += b.rows;
    sum += b.rows * Math.abs(b.meanPredicted - b.observedRate);
  }
  return rows ? sum / rows : null;
}

/**
 * The model scoreboard: every stored model with its cross-validated AUC, its gain over its one-feature
 * baseline, its calibration error and its age against the latest order, best gain first.
 * @example
 * ```ts
 * for (const m of await modelScoreboard(engine)) console.log(m.id, m.aucGain, m.ageDays);
 * ```
 */
export async function modelScoreboard(engine: Engine): Promise<ScoreboardRow[]> {
  const [last] = await engine.query<{ d: string | null }>(
    sql`SELECT ${engine.dialect.toText(sql`max(order_date)`)} AS d FROM orders`,
  );
  const out: ScoreboardRow[] = [];
  for (const m of await listModels(engine)) {
    const { report } = await getModel(engine, m.id);
    const r = report as {
      auc?: number | null;
      aucGain?: number | null;
      baseline?: { feature: string; auc: number } | null;
      calibration?: { rows: number; meanPredicted: number; observedRate: number }[];
    } | null;
    const gain = typeof r?.aucGain === 'number' ? r.aucGain : null;
    const asOf = m.asOf;
    const ageDays =
      last?.d && /^\d{4}-\d{2}-\d{2}$/.test(asOf)
        ? Math.round((Date.parse(`${last.d}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000)
        : null;
    out.push({
      id: m.id,
      kind: m.kind,
      target: m.target,
      rows: m.rows,
      asOf,
      auc: r?.auc ?? null,
      baseline: r?.baseline ? { feature: r.baseline.feature, auc: r.baseline.auc } : null,
      aucGain: gain,
      calibrationError: r?.calibration ? calibrationError(r.calibration) : null,
      ageDays,
      verdict:
        gain === null
          ? 'no evaluation'
          : gain < BARELY_BEATS_AUC_GAIN
            ? 'barely beats its baseline'
            : 'adds to its baseline',
    });
  }
  return out.sort(
    (a, b) =>
      (b.aucGain ?? Number.NEGATIVE_INFINITY) - (a.aucGain ?? Number.NEGATIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
}
