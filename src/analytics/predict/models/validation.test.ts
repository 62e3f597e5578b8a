import { describe, expect, it } from 'vitest';
import { parsePredictParams } from '../params.js';
import { categoricalColumn, type FeatureFrame, numericColumn } from './frame.js';
import { auc } from './metrics.js';
import { chooseBaseline, crossValidate, singleFeatureScores } from './validation.js';

// Eight rows in two fixed folds (even rows: fold 0, odd rows: fold 1), four positives.
const y = [1, 1, 1, 1, 0, 0, 0, 0];
const foldOf = [0, 1, 0, 1, 0, 1, 0, 1];
const frame: FeatureFrame = {
  rows: 8,
  columns: [
    // separates the classes in every fold
    numericColumn('good', [5, 6, 7, 8, 1, 2, 3, 4]),
    // fold 0 (rows 0 2 4 6): positives low; fold 1 (rows 1 3 5 7): positives high. Each fold's training
    // direction is the opposite of its test direction, so learned on the other fold it ranks every test pair
    // wrongly (AUC 0), although |AUC − 0.5| on all rows (0.5 away) would call it strong.
    numericColumn('flips', [1, 8, 2, 7, 3, 6, 4, 5]),
    // the same two levels with the same 50 % rate in both folds: carries nothing (AUC 0.5)
    categoricalColumn('level', ['x', 'x', 'y', 'y', 'x', 'x', 'y', 'y']),
    // a unique id per row: in training every level is pure, in test every level is unseen (base rate)
    categoricalColumn('id', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']),
  ],
};

describe('the baseline is chosen once, on the training folds', () => {
  it('scores each candidate on held-out folds as a hand computation gives', () => {
    const choice = chooseBaseline(frame, y, foldOf, 2);
    const byName = Object.fromEntries(choice.candidates.map((c) => [c.feature, c.foldAucs]));
    // good: fold 0 tests rows 0 2 4 6 = (5, 7 | 1, 3): every positive above every negative → 1; fold 1 too.
    expect(byName.good).toEqual([1, 1]);
    // flips: trained on fold 1 (positives 8, 7 > negatives 6, 5: direction +), tested on fold 0 where the
    // positives are 1, 2 and the negatives 3, 4 → 0 of 4 pairs right; symmetrically 0 on fold 1.
    expect(byName.flips).toEqual([0, 0]);
    // level: x and y have a training rate of 1/2 each → all test scores tie → 0.5.
    expect(byName.level).toEqual([0.5, 0.5]);
    // id: every test level is unseen → base rate for all → 0.5 (a per-row category cannot win).
    expect(byName.id).toEqual([0.5, 0.5]);
    expect(choice.feature).toBe('good');
    expect(choice.candidates.map((c) => c.feature)).toEqual(['good', 'level', 'id', 'flips']);
  });

  it('learns a test fold’s score from the other folds only', () => {
    const train = Int32Array.from([1, 3, 5, 7]);
    const test = Int32Array.from([0, 2, 4, 6]);
    const s = singleFeatureScores(frame.columns[1]!, y, train, test);
    expect(Array.from(s)).toEqual([1, 2, 3, 4]);
    expect(auc([1, 1, 0, 0], s)).toBe(0);
  });

  it('uses one baseline feature in every fold and reports its own cross-validated AUC', () => {
    const n = 60;
    const ys = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const big: FeatureFrame = {
      rows: n,
      columns: [
        numericColumn(
          'signal',
          ys.map((v, i) => v * 2 + ((i * 7) % 5) / 2),
        ),
        categoricalColumn(
          'postcode',
          ys.map((_, i) => `P${i}`),
        ),
      ],
    };
    const params = parsePredictParams({ model: 'logistic', seed: 3 });
    const cv = crossValidate(big, ys, params, 5);
    expect(cv.baselineFeature).toBe('signal');
    // The pooled out-of-fold AUC of the fixed one-feature baseline is what is reported: it is as strong as
    // "signal" really is (per-fold AUCs all high), not a per-fold mix.
    expect(cv.baselineOverall.auc).toBeGreaterThan(0.9);
    for (const f of cv.folds) expect(f.baseline.auc).toBeGreaterThan(0.9);
  });
});
