/**
 * Calibration-vs-holdout validation report of a fitted purchase model (see models/validation.ts).
 */
import { InputError, ModelError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { predictPurchases } from './core.js';
import type { ClvModel } from './model-file.js';
import { type ValidationReport, validationReport } from './models/validation.js';
import { firstOffsetsSql, TIME_UNITS, trackingSql } from './sql.js';
import { loadCustomerSummary } from './summary-load.js';

export interface ClvReportOptions {
  /** Last day of the holdout period (inclusive); default: the model's holdoutEnd. */
  holdoutEnd?: string;
}

/**
 * Compares a bgnbd or pareto model's predictions for the holdout period with what customers actually did.
 *
 * @throws InputError when no holdout end is known; ModelError MODULE_MISMATCH for a spend or sBG model
 */
export async function clvReport(
  engine: Engine,
  model: ClvModel,
  options: ClvReportOptions = {},
): Promise<ValidationReport & { calibrationEnd: string; holdoutEnd: string; unit: string }> {
  if (model.state.model !== 'bgnbd' && model.state.model !== 'pareto')
    throw new ModelError(
      'MODULE_MISMATCH',
      `clv report: validation needs a purchase model (bgnbd or pareto), got ${model.state.model}.`,
    );
  const holdoutEnd = options.holdoutEnd ?? model.params.holdoutEnd;
  const calibrationEnd = model.params.calibrationEnd;
  if (!holdoutEnd)
    throw new InputError(
      'clv report: expected a holdout end date (--holdout-end YYYY-MM-DD, after the calibration end), got none.',
    );
  if (holdoutEnd <= calibrationEnd)
    throw new InputError(
      `clv report: the holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}.`,
    );
  const unit = model.params.unit;
  const unitDays = TIME_UNITS[unit];
  const dayMs = 86_400_000;
  const holdoutLength =
    (Date.parse(`${holdoutEnd}T00:00:00Z`) - Date.parse(`${calibrationEnd}T00:00:00Z`)) / dayMs / unitDays;
  const s = await loadCustomerSummary(engine, { calibrationEnd, holdoutEnd, unit });
  // Predictions once per distinct (x, t_x, T).
  const cache = new Map<string, number>();
  const predicted = new Float64Array(s.x.length);
  for (let i = 0; i < s.x.length; i++) {
    const key = `${s.x[i]}|${s.tx[i]}|${s.T[i]}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = predictPurchases(
        model.state,
        { x: s.x[i]!, tx: s.tx[i]!, T: s.T[i]!, meanSpend: null },
        holdoutLength,
      ).expectedPurchases;
      cache.set(key, v);
    }
    predicted[i] = v;
  }
  const offsets = await engine.queryColumns(firstOffsetsSql(engine.dialect, calibrationEnd));
  const track = await engine.queryColumns(
    trackingSql(engine.dialect, { calibrationEnd, unit, until: holdoutEnd }),
  );
  // ISO dates compare correctly as strings.
  const startDay = [...s.firstPurchase].sort()[0] ?? calibrationEnd;
  const daysTo = (d: string) => (Date.parse(`${d}T00:00:00Z`) - Date.parse(`${startDay}T00:00:00Z`)) / dayMs;
  const periods = Math.ceil((daysTo(holdoutEnd) + 1) / unitDays);
  const actual = new Float64Array(periods);
  const trackPeriods = (track.period ?? []) as number[];
  const trackRepeats = (track.repeats ?? []) as number[];
  trackPeriods.forEach((p, i) => {
    if (p >= 1 && p <= periods) actual[p - 1] = trackRepeats[i]!;
  });
  const report = validationReport(
    model.state,
    { x: s.x, tx: s.tx, T: s.T, xHoldout: s.xHoldout, predicted, holdoutLength },
    {
      actual,
      firstOffsets: Float64Array.from((offsets.offset_days ?? []) as number[], (d) => d / unitDays),
      firstCounts: Float64Array.from((offsets.customers ?? []) as number[]),
      calibrationPeriods: Math.floor((daysTo(calibrationEnd) + 1) / unitDays),
    },
  );
  return { ...report, calibrationEnd, holdoutEnd, unit };
}
