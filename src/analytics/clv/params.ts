/** Settings of the CLV module, validated at the boundary (every bad field reported at once). */
import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { CLV_MODELS, type ClvModelKind } from './core.js';

export { CLV_MODELS, type ClvModelKind };
export const CLV_UNITS = ['day', 'week', 'month'] as const;
export type ClvUnit = (typeof CLV_UNITS)[number];

export interface ClvParams {
  /** bgnbd (Fader, Hardie & Lee 2005), pareto (Schmittlein et al. 1987), gammagamma (spend), sbg (retention). */
  model: ClvModelKind;
  /** Last day of the calibration period (inclusive), `YYYY-MM-DD`: the model's asOf. */
  calibrationEnd: string;
  /** Last day of the holdout period (inclusive), for validation; null for none. */
  holdoutEnd: string | null;
  /** Time unit of x, t_x, T and of every horizon. */
  unit: ClvUnit;
  /** L2 penalty on the natural parameters added to the mean negative log-likelihood (lifetimes' penalizer_coef). */
  penalizer: number;
  /** Iteration cap of the optimiser. */
  maxIterations: number;
  /** sbg only: customers still active at the start of period 0, 1, 2 … (first = cohort size); null = from the datamart. */
  survivors: number[] | null;
  /** sbg only, from the datamart: the cohort is customers whose first purchase is in [cohortStart, cohortStart + 1 unit). */
  cohortStart: string | null;
}

export const defaults: Readonly<ClvParams> = Object.freeze({
  model: 'bgnbd',
  calibrationEnd: '',
  holdoutEnd: null,
  unit: 'week',
  penalizer: 0,
  maxIterations: 1000,
  survivors: null,
  cohortStart: null,
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(v: unknown): v is string {
  return typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

/** Validates raw params (CLI flags, HTTP body, a saved model) and applies defaults. */
export function parseParams(input: unknown): ClvParams {
  const issues: Issue[] = [];
  if (typeof input !== 'object' || input === null)
    throw inputErrorFromIssues('CLV params: expected an object.', [
      { where: 'params', message: `expected an object, got ${JSON.stringify(input)}` },
    ]);
  const raw = input as Record<string, unknown>;
  const known = new Set(Object.keys(defaults));
  for (const key of Object.keys(raw))
    if (!known.has(key))
      issues.push({ where: key, message: `unknown setting; expected one of ${[...known].join(', ')}` });
  const p: ClvParams = { ...defaults, ...(raw as Partial<ClvParams>) };
  if (!CLV_MODELS.includes(p.model))
    issues.push({ where: 'model', message: `expected one of ${CLV_MODELS.join(', ')}, got "${p.model}"` });
  if (!CLV_UNITS.includes(p.unit))
    issues.push({ where: 'unit', message: `expected one of ${CLV_UNITS.join(', ')}, got "${p.unit}"` });
  const needsCalibration = !(p.model === 'sbg' && p.survivors !== null);
  if (needsCalibration && !isIsoDate(p.calibrationEnd))
    issues.push({
      where: 'calibrationEnd',
      message: `expected a date YYYY-MM-DD (the last day of the calibration period), got "${p.calibrationEnd}"`,
    });
  if (p.holdoutEnd !== null) {
    if (!isIsoDate(p.holdoutEnd))
      issues.push({ where: 'holdoutEnd', message: `expected a date YYYY-MM-DD, got "${p.holdoutEnd}"` });
    else if (isIsoDate(p.calibrationEnd) && p.holdoutEnd <= p.calibrationEnd)
      issues.push({
        where: 'holdoutEnd',
        message: `must be after calibrationEnd (${p.calibrationEnd}), got ${p.holdoutEnd}`,
      });
  }
  if (typeof p.penalizer !== 'number' || !Number.isFinite(p.penalizer) || p.penalizer < 0)
    issues.push({ where: 'penalizer', message: `expected a number ≥ 0, got ${JSON.stringify(p.penalizer)}` });
  if (!Number.isInteger(p.maxIterations) || p.maxIterations < 1)
    issues.push({
      where: 'maxIterations',
      message: `expected a whole number ≥ 1, got ${JSON.stringify(p.maxIterations)}`,
    });
  if (p.survivors !== null) {
    const s = p.survivors;
    if (!Array.isArray(s) || s.length < 2 || s.some((v) => !Number.isInteger(v) || v < 0))
      issues.push({
        where: 'survivors',
        message: `expected at least two whole numbers ≥ 0 (cohort size, then survivors per period), got ${JSON.stringify(s)}`,
      });
    else if (s.some((v, i) => i > 0 && v > s[i - 1]!))
      issues.push({
        where: 'survivors',
        message: `must not increase from one period to the next: ${s.join(', ')}`,
      });
  }
  if (p.cohortStart !== null && !isIsoDate(p.cohortStart))
    issues.push({ where: 'cohortStart', message: `expected a date YYYY-MM-DD, got "${p.cohortStart}"` });
  if (issues.length) throw inputErrorFromIssues('Invalid CLV settings:', issues);
  return p;
}
