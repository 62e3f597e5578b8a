import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.js';
import { categoricalColumn, type FeatureFrame, numericColumn } from './frame.js';
import { fitGbdt, type GbdtOptions } from './gbdt/boost.js';
import { predictGbdtMargin } from './gbdt/predict.js';
import { auc } from './metrics.js';
import { gbdtShap } from './shap.js';

const OPTIONS: GbdtOptions = {
  trees: 20,
  learningRate: 0.3,
  maxLeaves: 8,
  maxDepth: 0,
  minSamplesLeaf: 5,
  minChildWeight: 1e-3,
  l2: 0,
  minGainToSplit: 0,
  catSmooth: 10,
  maxBins: 255,
  rowSubsample: 1,
  featureSubsample: 1,
  earlyStopping: false,
  validationFraction: 0.1,
  patience: 5,
  tolerance: 1e-7,
  binSampleSize: 200_000,
};

/** y = 1 when x0 > 0 xor x1 > 0 (noisy), x2 is noise. */
function xorData(n: number, seed: number): { frame: FeatureFrame; y: Float64Array } {
  const rng = createRng(seed);
  const x0: number[] = [];
  const x1: number[] = [];
  const x2: number[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x0.push(a);
    x1.push(b);
    x2.push(rng.normal());
    y[i] = a > 0 !== b > 0 ? (rng.next() < 0.9 ? 1 : 0) : rng.next() < 0.1 ? 1 : 0;
  }
  return {
    frame: { rows: n, columns: [numericColumn('x0', x0), numericColumn('x1', x1), numericColumn('x2', x2)] },
    y,
  };
}

describe('histogram GBDT', () => {
  it('learns an interaction no single feature shows (XOR)', () => {
    const { frame, y } = xorData(2000, 1);
    const fit = fitGbdt(frame, y, OPTIONS, createRng(1));
    const test = xorData(1000, 2);
    expect(auc(test.y, predictGbdtMargin(fit.state, test.frame))).toBeGreaterThan(0.85);
  });

  it('gives the identical model for the same seed, with row and feature subsampling', () => {
    const { frame, y } = xorData(600, 3);
    const options = { ...OPTIONS, rowSubsample: 0.7, featureSubsample: 0.67, earlyStopping: true };
    const a = fitGbdt(frame, y, options, createRng(9));
    const b = fitGbdt(frame, y, options, createRng(9));
    expect(JSON.stringify(a.state)).toBe(JSON.stringify(b.state));
    const c = fitGbdt(frame, y, options, createRng(10));
    expect(JSON.stringify(c.state)).not.toBe(JSON.stringify(a.state));
  });

  it('round-trips through JSON and scores the same', () => {
    const { frame, y } = xorData(500, 4);
    const fit = fitGbdt(frame, y, OPTIONS, createRng(1));
    const copy = JSON.parse(JSON.stringify(fit.state));
    expect(Array.from(predictGbdtMargin(copy, frame))).toEqual(
      Array.from(predictGbdtMargin(fit.state, frame)),
    );
  });

  it('is invariant to a strictly monotone transform of a feature', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
        const { frame, y } = xorData(300, seed);
        const transformed: FeatureFrame = {
          rows: frame.rows,
          columns: frame.columns.map((c) =>
            c.kind === 'numeric' && c.name === 'x0'
              ? numericColumn(
                  'x0',
                  Array.from(c.values, (v) => Math.exp(3 * v) - 7),
                )
              : c,
          ),
        };
        const a = predictGbdtMargin(fitGbdt(frame, y, OPTIONS, createRng(seed)).state, frame);
        const b = predictGbdtMargin(fitGbdt(transformed, y, OPTIONS, createRng(seed)).state, transformed);
        for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 12);
      }),
      { numRuns: 5 },
    );
  });

  it('learns where missing values go from the data', () => {
    // Missing x means "high risk": the split must send NaN to the high side on its own.
    const n = 1000;
    const rng = createRng(5);
    const x: (number | null)[] = [];
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const missing = rng.next() < 0.3;
      const v = rng.normal();
      x.push(missing ? null : v);
      y[i] = missing ? (rng.next() < 0.8 ? 1 : 0) : v > 1 ? 1 : 0;
    }
    const frame = { rows: n, columns: [numericColumn('x', x)] };
    const fit = fitGbdt(frame, y, OPTIONS, createRng(1));
    const probe = { rows: 3, columns: [numericColumn('x', [null, -1, 2])] };
    const m = predictGbdtMargin(fit.state, probe);
    expect(m[0]).toBeGreaterThan(0.5);
    expect(m[1]).toBeLessThan(-1);
    expect(m[2]).toBeGreaterThan(0.5);
  });

  it('splits categorical features on sets of levels', () => {
    // Levels b and d are positive; a level-order threshold could not isolate them in one split.
    const n = 800;
    const rng = createRng(6);
    const levels = ['a', 'b', 'c', 'd'];
    const v: string[] = [];
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const l = levels[rng.int(4)] as string;
      v.push(l);
      y[i] = (l === 'b' || l === 'd') === rng.next() < 0.9 ? 1 : 0;
    }
    const frame = { rows: n, columns: [categoricalColumn('plan', v)] };
    const fit = fitGbdt(frame, y, { ...OPTIONS, trees: 1, maxLeaves: 2 }, createRng(1));
    const root = fit.state.trees[0];
    expect(root?.feature[0]).toBe(0);
    expect([...(root?.categories[0] ?? [])].sort().join(',')).toMatch(/^(a,c|b,d)$/);
  });

  it('stops early on the validation loss and keeps the best iteration', () => {
    const { frame, y } = xorData(1500, 7);
    const fit = fitGbdt(
      frame,
      y,
      { ...OPTIONS, trees: 500, learningRate: 0.5, earlyStopping: true, patience: 5 },
      createRng(1),
    );
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(500);
    const best = fit.validationLoss.indexOf(Math.min(...fit.validationLoss)) + 1;
    expect(fit.state.trees).toHaveLength(best);
  });

  it('with a floor of trees, fits and keeps at least that many, then picks the best later iteration', () => {
    // Issue 18: learning rate 0.5 overfits within a few trees, so plain early stopping keeps very few.
    const options = { ...OPTIONS, trees: 500, learningRate: 0.5, earlyStopping: true, patience: 5 };
    const { frame, y } = xorData(1500, 7);
    const plain = fitGbdt(frame, y, options, createRng(1));
    expect(plain.state.trees.length).toBeLessThan(25);
    const floored = fitGbdt(frame, y, { ...options, minTrees: 25 }, createRng(1));
    expect(floored.iterations).toBeGreaterThanOrEqual(25);
    const later = floored.validationLoss.slice(24);
    expect(floored.state.trees).toHaveLength(25 + later.indexOf(Math.min(...later)));
    // Fewer trees allowed than the floor: all of them are kept.
    const few = fitGbdt(frame, y, { ...options, trees: 10, minTrees: 25 }, createRng(1));
    expect(few.state.trees).toHaveLength(10);
  });

  it('SHAP contributions add up to margin − base value for every row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 16 }), (seed, leaves) => {
        const { frame, y } = xorData(200, seed);
        const withCat = {
          rows: frame.rows,
          columns: [
            ...frame.columns,
            categoricalColumn(
              'c',
              Array.from({ length: frame.rows }, (_, i) => (i % 3 === 0 ? null : `l${(i * 7) % 5}`)),
            ),
          ],
        };
        const fit = fitGbdt(
          withCat,
          y,
          { ...OPTIONS, maxLeaves: leaves, minSamplesLeaf: 3, trees: 8 },
          createRng(seed),
        );
        const margin = predictGbdtMargin(fit.state, withCat);
        const { base, values } = gbdtShap(fit.state, withCat);
        const p = withCat.columns.length;
        for (let i = 0; i < withCat.rows; i++) {
          let s = base;
          for (let f = 0; f < p; f++) s += values[i * p + f] as number;
          expect(s).toBeCloseTo(margin[i] as number, 9);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('gives a feature that is never split on zero SHAP value', () => {
    const { frame, y } = xorData(400, 8);
    const fit = fitGbdt(frame, y, { ...OPTIONS, trees: 3, maxLeaves: 4 }, createRng(1));
    const used = new Set(fit.state.trees.flatMap((t) => t.feature.filter((f) => f >= 0)));
    const { values } = gbdtShap(fit.state, frame);
    for (let f = 0; f < 3; f++) {
      if (used.has(f)) continue;
      for (let i = 0; i < frame.rows; i++) expect(values[i * 3 + f]).toBe(0);
    }
  });
});
