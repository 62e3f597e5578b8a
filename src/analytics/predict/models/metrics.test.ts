import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.js';
import { calibrate, fitIsotonic, fitPlatt } from './calibration.js';
import { atThreshold, auc, brier, calibrationCurve, liftByDecile, logLoss } from './metrics.js';
import { stratifiedFolds, timeSplit } from './validation.js';

describe('metrics', () => {
  it('AUC counts tied scores as half', () => {
    // Pairs (pos, neg): (0.8,0.2) win, (0.8,0.5) win, (0.5,0.2) win, (0.5,0.5) tie → 3.5 / 4.
    expect(auc([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2])).toBeCloseTo(0.875, 12);
    expect(auc([1, 0], [0.1, 0.9])).toBe(0);
    expect(auc([1, 1], [0.1, 0.9])).toBeNaN();
  });

  it('log-loss and Brier score on a hand example', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(brier([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });

  it('precision and recall at a threshold', () => {
    const m = atThreshold([1, 1, 0, 0, 1], [0.9, 0.4, 0.7, 0.1, 0.6], 0.5);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.flagged).toBeCloseTo(0.6, 12);
  });

  it('lift by decile: a perfect ranking captures all positives in the top deciles', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    const s = Array.from({ length: 100 }, (_, i) => 1 - i / 100);
    const rows = liftByDecile(y, s);
    expect(rows[0]?.lift).toBeCloseTo(5, 12);
    expect(rows[1]?.cumulativeGain).toBeCloseTo(1, 12);
    expect(rows[9]?.cumulativeLift).toBeCloseTo(1, 12);
  });

  it('calibration curve bins predictions and reports observed rates', () => {
    const bins = calibrationCurve([0, 1, 1, 1], [0.05, 0.05, 0.95, 0.95], 10);
    expect(bins).toEqual([
      { from: 0, to: 0.1, rows: 2, meanPredicted: 0.05, observedRate: 0.5 },
      { from: 0.9, to: 1, rows: 2, meanPredicted: 0.95, observedRate: 1 },
    ]);
  });
});

describe('calibration', () => {
  it('Platt scaling recovers a known slope and offset', () => {
    const rng = createRng(1);
    const m: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = rng.normal() * 2;
      m.push(x);
      y.push(rng.next() < 1 / (1 + Math.exp(-(0.5 * x - 1))) ? 1 : 0);
    }
    const c = fitPlatt(m, y);
    expect(c.kind === 'platt' && c.a).toBeCloseTo(0.5, 1);
    expect(c.kind === 'platt' && c.b).toBeCloseTo(-1, 1);
  });

  it('isotonic calibration is monotone and pools violators', () => {
    const c = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    expect(c).toEqual({ kind: 'isotonic', x: [1, 3, 4], y: [0, 0.5, 1] });
    expect(calibrate(c, 2.5)).toBe(0.5);
    expect(calibrate(c, 0)).toBe(0);
    expect(calibrate(c, 9)).toBe(1);
  });
});

describe('validation splits', () => {
  it('stratified folds keep the class balance in every fold', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const folds = stratifiedFolds(y, 5, createRng(1));
    for (let f = 0; f < 5; f++) {
      const members = y.filter((_, i) => folds[i] === f);
      expect(members).toHaveLength(20);
      expect(members.filter((v) => v === 1)).toHaveLength(6);
    }
  });

  it('time split trains on the past only', () => {
    const { train, test } = timeSplit(['2024-01-05', '2024-03-01', '2024-02-10', '2024-04-01'], '2024-03-01');
    expect(Array.from(train)).toEqual([0, 2]);
    expect(Array.from(test)).toEqual([1, 3]);
  });
});
