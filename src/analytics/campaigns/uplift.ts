/**
 * Uplift modelling on a randomised experiment table: who is moved by the treatment, not who responds anyway.
 * Learners on the predict module's GBDT / logistic models:
 * - two-model (T-learner): P(y | x, treated) − P(y | x, control), one classifier per arm;
 * - transformed outcome (class-variable transformation, Jaskowski & Jaroszewicz 2012): Z = 1 for treated
 *   responders and control non-responders; uplift = 2·P(Z = 1 | x) − 1, valid when both arms are equally
 *   likely, so the larger arm is subsampled (seeded) to the smaller one's size for this learner;
 * - response model (the usual targeting): P(y | x) fitted on the treated arm only — the yardstick.
 * All are fitted on a stratified two-thirds and compared on the held-out third by the Qini coefficient
 * (models/qini.ts), next to random targeting (Qini 0).
 */
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import {
  type FeatureFrame,
  fitCore,
  loadTable,
  type ModelKind,
  parsePredictParams,
  scoreCore,
} from '../predict/index.js';
import { createRng, type Rng } from '../shared/rng.js';
import { type CurvePoint, qini, thinCurve, type UpliftBin, upliftByBin } from './models/qini.js';

export interface UpliftOptions {
  table: string;
  /** Column naming each row's arm. */
  arm: string;
  /** Arm value of the control group. */
  control: string;
  /** Arm values counted as treated (default: every arm but the control). */
  treatment?: readonly string[];
  /** 0/1 outcome column. */
  outcome: string;
  /** Columns that are not features (other outcomes, ids measured after the treatment). */
  exclude?: readonly string[];
  /** Row identifier column for the target list (default: customer_id / id when unique, else row numbers). */
  idColumn?: string;
  /** Column to report observed and predicted uplift by (a segment). */
  by?: string;
  model?: ModelKind;
  /** Share of rows held out for the evaluation (default 1/3). */
  holdoutFraction?: number;
  /** How many rows the "target these" list holds. */
  top?: number;
  seed?: number;
}

export type LearnerName = 'two-model' | 'transformed-outcome' | 'response' | 'random';

export interface LearnerEvaluation {
  learner: LearnerName;
  qiniCoefficient: number;
  qiniNormalised: number;
  /** Incremental responders among the top 30% ranked, as a share of the held-out rows. */
  incrementalAt30: number;
  curve: CurvePoint[];
  deciles: UpliftBin[];
}

export interface UpliftTarget {
  id: string;
  uplift: number;
  pTreated: number;
  pControl: number;
  /** The response model's probability (what targeting by response would rank on). */
  response: number;
  inHoldout: boolean;
}

export interface UpliftSegment {
  segment: string;
  n: number;
  predicted: number;
  observed: number | null;
}

export interface UpliftResult {
  table: string;
  outcome: string;
  model: ModelKind;
  rows: number;
  trainRows: number;
  holdoutRows: number;
  treatedShare: number;
  features: string[];
  /** Held-out evaluation, best learner first (random last). */
  learners: LearnerEvaluation[];
  best: LearnerName;
  /** The `top` rows with the highest predicted uplift of the best learner (all rows scored). */
  targets: UpliftTarget[];
  /** Share of the uplift top list that the response model's top list (same size) also picks. */
  overlapWithResponse: number;
  segments: UpliftSegment[];
  warnings: string[];
}

const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

function subsetFrame(frame: FeatureFrame, index: ArrayLike<number>): FeatureFrame {
  const n = index.length;
  return {
    rows: n,
    columns: frame.columns.map((c) => {
      if (c.kind === 'numeric') {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[index[i]!]!;
        return { ...c, values };
      }
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = c.codes[index[i]!]!;
      return { ...c, codes };
    }),
  };
}

function columnText(frame: FeatureFrame, name: string): (string | null)[] | null {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) return null;
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v)));
  return Array.from(c.codes, (code) => (code < 0 ? null : c.levels[code]!));
}

function shuffle(rng: Rng, items: number[]): number[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Stratified (arm × outcome) split: returns a holdout flag per row. */
function splitHoldout(rng: Rng, treated: Uint8Array, y: Float64Array, fraction: number): Uint8Array {
  const holdout = new Uint8Array(treated.length);
  for (const t of [0, 1])
    for (const label of [0, 1]) {
      const rows = shuffle(
        rng,
        Array.from({ length: treated.length }, (_, i) => i).filter((i) => treated[i] === t && y[i] === label),
      );
      const k = Math.round(rows.length * fraction);
      for (let j = 0; j < k; j++) holdout[rows[j]!] = 1;
    }
  return holdout;
}

function evaluate(
  learner: LearnerName,
  score: Float64Array,
  y: Float64Array,
  treated: Uint8Array,
): LearnerEvaluation {
  const q = qini(score, y, treated);
  const at30 = q.points.find((p) => p.fraction >= 0.3) ?? q.points[q.points.length - 1]!;
  return {
    learner,
    qiniCoefficient: q.qiniCoefficient,
    qiniNormalised: q.qiniNormalised,
    incrementalAt30: at30.qini,
    curve: thinCurve(q.points, 51),
    deciles: upliftByBin(score, y, treated),
  };
}

/**
 * Fits two-model and transformed-outcome uplift learners and a response model on two thirds of an experiment
 * table, compares them on the held-out third by the Qini coefficient, and lists the rows to target.
 *
 * @throws NotFoundError for an unknown table; InputError for unknown columns, a non-binary outcome, an arm
 *   value that is not there, or an arm too small to fit.
 * @example
 * const r = await upliftModels(engine, { table: 'hillstrom', arm: 'segment', control: 'No E-Mail',
 *   outcome: 'visit', exclude: ['conversion', 'spend'] });
 */
export async function upliftModels(engine: Engine, options: UpliftOptions): Promise<UpliftResult> {
  const seed = options.seed ?? 42;
  const model = options.model ?? 'logistic';
  const fraction = options.holdoutFraction ?? 1 / 3;
  if (!(fraction > 0.05 && fraction < 0.95))
    throw new InputError(`holdoutFraction: expected a share between 0.05 and 0.95, got ${fraction}.`);
  const loaded = await loadTable(engine, options.table, {
    target: options.outcome,
    exclude: [...(options.exclude ?? [])],
    ...(options.idColumn ? { idColumn: options.idColumn } : {}),
  });
  const armText = columnText(loaded.frame, options.arm);
  if (!armText)
    throw new InputError(
      `Table "${options.table}": expected the arm column "${options.arm}" among the columns read (it may have been skipped as an identifier).`,
      {},
      { code: 'MISSING_COLUMN' },
    );
  const arms = [...new Set(armText.filter((a): a is string => a !== null))];
  const treatment = options.treatment?.length ? options.treatment : arms.filter((a) => a !== options.control);
  const unknown = [options.control, ...treatment].filter((a) => !arms.includes(a));
  if (unknown.length)
    throw new InputError(
      `Table "${options.table}", column "${options.arm}": expected the arm value(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}, found ${arms.map((a) => JSON.stringify(a)).join(', ')}.`,
      { arms },
    );
  const byText = options.by ? columnText(loaded.frame, options.by) : null;
  if (options.by && !byText)
    throw new InputError(
      `Table "${options.table}": expected the column "${options.by}" for --by.`,
      {},
      { code: 'MISSING_COLUMN' },
    );
  // Rows in the compared arms only; the arm column is not a feature.
  const rows: number[] = [];
  for (let i = 0; i < armText.length; i++) {
    const a = armText[i] ?? null;
    if (a === options.control || (a !== null && treatment.includes(a))) rows.push(i);
  }
  const frameAll = subsetFrame(
    { rows: loaded.frame.rows, columns: loaded.frame.columns.filter((c) => c.name !== options.arm) },
    rows,
  );
  const n = rows.length;
  const y = Float64Array.from(rows, (i) => loaded.y[i]!);
  const treated = Uint8Array.from(rows, (i) => (armText[i] === options.control ? 0 : 1));
  const ids = rows.map((i) => loaded.ids[i]!);
  const nTreated = treated.reduce((s, t) => s + t, 0);
  if (nTreated < 50 || n - nTreated < 50)
    throw new InputError(
      `Table "${options.table}": expected at least 50 rows in each of the treated and control arms to fit uplift models, found ${nTreated} treated and ${n - nTreated} control.`,
      {},
      { code: 'EMPTY_INPUT' },
    );
  const rng = createRng(seed);
  const holdout = splitHoldout(rng.fork(), treated, y, fraction);
  const trainIdx = (pred: (i: number) => boolean) =>
    Array.from({ length: n }, (_, i) => i).filter((i) => !holdout[i] && pred(i));
  const params = parsePredictParams({
    model,
    seed,
    gbdt: { learningRate: 0.05, maxLeaves: 7, minSamplesLeaf: 400, l2: 10 },
  });
  const fitArm = (idx: number[], labels: Float64Array) =>
    fitCore(subsetFrame(frameAll, idx), labels, params, rng.fork());
  const labelsOf = (idx: number[], f: (i: number) => number) => Float64Array.from(idx, f);
  const tIdx = trainIdx((i) => treated[i] === 1);
  const cIdx = trainIdx((i) => treated[i] === 0);
  const modelT = fitArm(
    tIdx,
    labelsOf(tIdx, (i) => y[i]!),
  );
  const modelC = fitArm(
    cIdx,
    labelsOf(cIdx, (i) => y[i]!),
  );
  // Transformed outcome: balance the arms by subsampling the larger one (seeded).
  const small = Math.min(tIdx.length, cIdx.length);
  const balanced = [
    ...shuffle(rng.fork(), [...tIdx]).slice(0, small),
    ...shuffle(rng.fork(), [...cIdx]).slice(0, small),
  ].sort((a, b) => a - b);
  const modelZ = fitArm(
    balanced,
    labelsOf(balanced, (i) => (treated[i] ? y[i]! : 1 - y[i]!)),
  );
  const warnings = [...modelT.warnings, ...modelC.warnings, ...modelZ.warnings];
  const all = Array.from({ length: n }, (_, i) => i);
  const pT = Float64Array.from(scoreCore(modelT.state, frameAll), sigmoid);
  const pC = Float64Array.from(scoreCore(modelC.state, frameAll), sigmoid);
  const pZ = Float64Array.from(scoreCore(modelZ.state, frameAll), sigmoid);
  const twoModel = Float64Array.from(all, (i) => pT[i]! - pC[i]!);
  const transformed = Float64Array.from(all, (i) => 2 * pZ[i]! - 1);
  const response = pT;
  const hIdx = all.filter((i) => holdout[i]);
  const pick = (a: Float64Array) => Float64Array.from(hIdx, (i) => a[i]!);
  const yH = pick(y);
  const tH = Uint8Array.from(hIdx, (i) => treated[i]!);
  const randomScore = Float64Array.from(hIdx, () => rng.next());
  const evaluated = [
    evaluate('two-model', pick(twoModel), yH, tH),
    evaluate('transformed-outcome', pick(transformed), yH, tH),
    evaluate('response', pick(response), yH, tH),
  ].sort((a, b) => b.qiniCoefficient - a.qiniCoefficient);
  evaluated.push(evaluate('random', randomScore, yH, tH));
  const best = evaluated.find(
    (e) => e.learner === 'two-model' || e.learner === 'transformed-outcome',
  )!.learner;
  const upliftScore = best === 'two-model' ? twoModel : transformed;
  const top = Math.min(options.top ?? 100, n);
  const byUplift = [...all].sort((a, b) => upliftScore[b]! - upliftScore[a]! || a - b).slice(0, top);
  const byResponse = new Set([...all].sort((a, b) => response[b]! - response[a]! || a - b).slice(0, top));
  const targets = byUplift.map((i) => ({
    id: ids[i]!,
    uplift: upliftScore[i]!,
    pTreated: pT[i]!,
    pControl: pC[i]!,
    response: response[i]!,
    inHoldout: holdout[i] === 1,
  }));
  const responseEval = evaluated.find((e) => e.learner === 'response')!;
  const bestEval = evaluated.find((e) => e.learner === best)!;
  if (bestEval.qiniCoefficient <= responseEval.qiniCoefficient)
    warnings.push(
      `On the held-out rows the response model ranks at least as well as the uplift learners (Qini ${responseEval.qiniCoefficient.toFixed(5)} vs ${bestEval.qiniCoefficient.toFixed(5)}): the treatment effect hardly varies with these features, so targeting by response is as good here.`,
    );
  if (bestEval.qiniCoefficient <= 0)
    warnings.push('The best uplift learner is no better than random targeting on the held-out rows.');
  const segments: UpliftSegment[] = [];
  if (byText) {
    const groups = new Map<string, number[]>();
    for (const i of hIdx) {
      const s = byText[rows[i]!] ?? '(missing)';
      groups.set(s, [...(groups.get(s) ?? []), i]);
    }
    for (const [segment, idx] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      const nt = idx.filter((i) => treated[i]).length;
      const yt = idx.filter((i) => treated[i] && y[i]).length;
      const yc = idx.filter((i) => !treated[i] && y[i]).length;
      segments.push({
        segment,
        n: idx.length,
        predicted: idx.reduce((s, i) => s + upliftScore[i]!, 0) / idx.length,
        observed: nt && idx.length - nt ? yt / nt - yc / (idx.length - nt) : null,
      });
    }
  }
  return {
    table: options.table,
    outcome: options.outcome,
    model,
    rows: n,
    trainRows: n - hIdx.length,
    holdoutRows: hIdx.length,
    treatedShare: nTreated / n,
    features: frameAll.columns.map((c) => c.name),
    learners: evaluated,
    best,
    targets,
    overlapWithResponse: top ? byUplift.filter((i) => byResponse.has(i)).length / top : 0,
    segments,
    warnings: [...loaded.warnings, ...warnings],
  };
}
