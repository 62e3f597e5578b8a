import { describe, expect, it } from 'vitest';
import { barelyBeatsWarning, calibrationError, type EvaluationReport, trainOnLoaded } from './index.js';
import { parsePredictParams } from './params.js';
import { frameFromColumns } from './table.js';

const report = (auc: number, baselineAuc: number) =>
  ({
    overall: { auc },
    baseline: { feature: 'recency_days', auc: baselineAuc },
    aucGain: auc - baselineAuc,
  }) as EvaluationReport;

describe('honest model reports', () => {
  it('warns in plain words when a model barely beats its baseline, and only then', () => {
    expect(barelyBeatsWarning(report(0.75, 0.74))).toBe(
      'The model barely beats its baseline: AUC 0.750 in cross-validation against 0.740 for "recency_days" alone (only 0.010 more). Ranking customers by "recency_days" does nearly as well; add better features before acting on these scores.',
    );
    expect(barelyBeatsWarning(report(0.7, 0.72))).toMatch(
      /^The model does not beat its baseline: .*\(0\.020 less\)/,
    );
    expect(barelyBeatsWarning(report(0.8, 0.74))).toBeNull();
  });

  it('measures calibration error as the row-weighted mean gap between predicted and observed rates', () => {
    expect(
      calibrationError([
        { rows: 30, meanPredicted: 0.1, observedRate: 0.2 },
        { rows: 10, meanPredicted: 0.8, observedRate: 0.6 },
      ]),
    ).toBeCloseTo((30 * 0.1 + 10 * 0.2) / 40, 12);
    expect(calibrationError([])).toBeNull();
  });

  it('records the training table’s own reference date as the model’s as-of, not "unknown"', () => {
    const n = 40;
    const rows = Array.from({ length: n }, (_, i) => i);
    const loaded = frameFromColumns(
      {
        customer_id: rows.map((i) => `C${i}`),
        cutoff: rows.map((i) => (i < 20 ? '2026-01-01' : '2026-03-31')),
        last_order: rows.map((i) => `2025-${String(1 + (i % 12)).padStart(2, '0')}-15`),
        label: rows.map((i) => (i % 12 < 5 ? 'yes' : 'no')),
      },
      { target: 'label' },
    );
    const { model } = trainOnLoaded(loaded, parsePredictParams({ model: 'logistic' }), {
      table: 'set',
      folds: 0,
    });
    expect(model.data.asOf).toBe('2026-03-31');
    expect(model.state.model.features).toEqual([
      { name: 'last_order', kind: 'numeric', origin: 'age', reference: 'cutoff' },
    ]);
  });
});
