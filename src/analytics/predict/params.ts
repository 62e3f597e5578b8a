/**
 * Settings of the predictive models, known before seeing data. `parsePredictParams` validates an untyped
 * object (CLI flags, HTTP body, config file) and reports every bad field at once.
 */
import { type Issue, inputErrorFromIssues } from '../../errors.js';

export type ModelKind = 'gbdt' | 'logistic';

export interface GbdtParams {
  /** Boosting rounds (maximum when early stopping is on). */
  trees: number;
  learningRate: number;
  /** Leaves per tree (best-first growth). */
  maxLeaves: number;
  /** Maximum depth; 0 = unlimited (the leaf count limits the tree). */
  maxDepth: number;
  /** Fewest training rows in a leaf. */
  minSamplesLeaf: number;
  /** Smallest hessian sum in a leaf (XGBoost's min_child_weight). */
  minChildWeight: number;
  /** L2 penalty on leaf values. */
  l2: number;
  /** Smallest loss reduction for a split. */
  minGainToSplit: number;
  /** Bins per numeric feature, 2–255 (one more holds missing values). */
  maxBins: number;
  /** Fraction (0–1] of rows drawn for each tree. */
  rowSubsample: number;
  /** Fraction (0–1] of features drawn for each tree. */
  featureSubsample: number;
  /** Stop when the validation loss has not improved for `patience` trees, and keep the best iteration. */
  earlyStopping: boolean;
  /** Fraction of the training rows held out (stratified) for early stopping. */
  validationFraction: number;
  patience: number;
  /**
   * Trees fitted and kept before early stopping may stop; the best iteration is chosen among the later ones.
   * A 10% validation set of a few hundred rows is noisy: without a floor it could stop after 2–5 trees, tying
   * many customers at one score (issue 18).
   */
  minTrees: number;
  /** Smoothing added to hessian sums when ordering categories by gradient. */
  catSmooth: number;
  /** Rows sampled to place the bin edges. */
  binSampleSize: number;
}

export interface LogisticParams {
  /** Penalty strength λ ≥ 0 on the mean log-loss scale. */
  lambda: number;
  /** 0 = L2 (ridge), 1 = L1 (lasso), between = elastic net. */
  l1Ratio: number;
  maxIterations: number;
}

export interface PredictParams {
  model: ModelKind;
  seed: number;
  gbdt: GbdtParams;
  logistic: LogisticParams;
}

export const gbdtDefaults: Readonly<GbdtParams> = Object.freeze({
  trees: 200,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  l2: 0,
  minGainToSplit: 0,
  maxBins: 255,
  rowSubsample: 1,
  featureSubsample: 1,
  earlyStopping: true,
  validationFraction: 0.1,
  patience: 10,
  minTrees: 30,
  catSmooth: 10,
  binSampleSize: 200_000,
});

export const logisticDefaults: Readonly<LogisticParams> = Object.freeze({
  lambda: 1e-4,
  l1Ratio: 0,
  maxIterations: 100,
});

export const defaults: Readonly<PredictParams> = Object.freeze({
  model: 'gbdt',
  seed: 1,
  gbdt: gbdtDefaults,
  logistic: logisticDefaults,
});

type Rule = { min: number; max: number; integer?: boolean; minExclusive?: boolean };

const GBDT_RULES: Record<keyof GbdtParams, Rule | 'boolean'> = {
  trees: { min: 1, max: 100_000, integer: true },
  learningRate: { min: 0, max: 1, minExclusive: true },
  maxLeaves: { min: 2, max: 4096, integer: true },
  maxDepth: { min: 0, max: 64, integer: true },
  minSamplesLeaf: { min: 1, max: 1e9, integer: true },
  minChildWeight: { min: 0, max: 1e9 },
  l2: { min: 0, max: 1e9 },
  minGainToSplit: { min: 0, max: 1e9 },
  maxBins: { min: 2, max: 255, integer: true },
  rowSubsample: { min: 0, max: 1, minExclusive: true },
  featureSubsample: { min: 0, max: 1, minExclusive: true },
  earlyStopping: 'boolean',
  validationFraction: { min: 0, max: 0.9, minExclusive: true },
  patience: { min: 1, max: 10_000, integer: true },
  minTrees: { min: 0, max: 100_000, integer: true },
  catSmooth: { min: 0, max: 1e9 },
  binSampleSize: { min: 100, max: 1e9, integer: true },
};

const LOGISTIC_RULES: Record<keyof LogisticParams, Rule> = {
  lambda: { min: 0, max: 1e6 },
  l1Ratio: { min: 0, max: 1 },
  maxIterations: { min: 1, max: 10_000, integer: true },
};

function checkNumber(where: string, v: unknown, rule: Rule, issues: Issue[]): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ where, message: `expected a number, got ${JSON.stringify(v)}` });
    return undefined;
  }
  const low = rule.minExclusive ? v <= rule.min : v < rule.min;
  if (low || v > rule.max || (rule.integer && !Number.isInteger(v))) {
    issues.push({
      where,
      message: `expected ${rule.integer ? 'a whole number' : 'a number'} in ${rule.minExclusive ? '(' : '['}${rule.min}, ${rule.max}], got ${v}`,
    });
    return undefined;
  }
  return v;
}

function parseSection<T extends object>(
  name: string,
  input: unknown,
  base: Readonly<T>,
  rules: Record<string, Rule | 'boolean'>,
  issues: Issue[],
): T {
  const out = { ...base } as Record<string, unknown>;
  if (input === undefined) return out as T;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ where: name, message: `expected an object, got ${JSON.stringify(input)}` });
    return out as T;
  }
  for (const [key, value] of Object.entries(input)) {
    const rule = rules[key];
    if (!rule) {
      issues.push({
        where: `${name}.${key}`,
        message: `unknown setting; known: ${Object.keys(rules).join(', ')}`,
      });
      continue;
    }
    if (rule === 'boolean') {
      if (typeof value === 'boolean') out[key] = value;
      else
        issues.push({
          where: `${name}.${key}`,
          message: `expected true or false, got ${JSON.stringify(value)}`,
        });
      continue;
    }
    const v = checkNumber(`${name}.${key}`, value, rule, issues);
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/**
 * Validates model settings; missing fields take the defaults.
 * @throws InputError (INVALID_INPUT) listing every bad field.
 */
export function parsePredictParams(input: unknown): PredictParams {
  const issues: Issue[] = [];
  const obj = (input ?? {}) as Record<string, unknown>;
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    throw inputErrorFromIssues('Invalid model settings.', [
      { where: 'params', message: 'expected an object' },
    ]);
  }
  let model: ModelKind = defaults.model;
  if (obj.model !== undefined) {
    if (obj.model === 'gbdt' || obj.model === 'logistic') model = obj.model;
    else
      issues.push({
        where: 'model',
        message: `expected "gbdt" or "logistic", got ${JSON.stringify(obj.model)}`,
      });
  }
  let seed = defaults.seed;
  if (obj.seed !== undefined) {
    const v = checkNumber('seed', obj.seed, { min: 0, max: 2 ** 32 - 1, integer: true }, issues);
    if (v !== undefined) seed = v;
  }
  for (const key of Object.keys(obj)) {
    if (!['model', 'seed', 'gbdt', 'logistic'].includes(key))
      issues.push({ where: key, message: 'unknown setting; known: model, seed, gbdt, logistic' });
  }
  const gbdt = parseSection('gbdt', obj.gbdt, gbdtDefaults, GBDT_RULES, issues);
  const logistic = parseSection('logistic', obj.logistic, logisticDefaults, LOGISTIC_RULES, issues);
  if (issues.length) throw inputErrorFromIssues('Invalid model settings: fix these and run again.', issues);
  return { model, seed, gbdt, logistic };
}
