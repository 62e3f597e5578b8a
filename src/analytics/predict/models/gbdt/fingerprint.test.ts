/**
 * Speed work on the GBDT must not change a single fitted bit (issue 20): these fingerprints (SHA-256 of the
 * fitted state's JSON) were recorded before that work, on data that exercises every path of the grower —
 * numeric features with missing values, many-level and two-level categoricals, row and feature subsampling,
 * early stopping, a depth limit, both histogram loop sets. A change to the fit's arithmetic or its order of
 * summation changes the hash.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/rng.js';
import type { FeatureFrame } from '../frame.js';
import { fitGbdt, type GbdtOptions } from './boost.js';

const BASE: GbdtOptions = {
  trees: 30,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
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

/** 5 numeric features (two with missing values), a 12-level and a 2-level categorical; a nonlinear label. */
function data(n: number): { frame: FeatureFrame; y: Float64Array } {
  const rng = createRng(77);
  const num = Array.from({ length: 5 }, () => new Float64Array(n));
  const many = new Int32Array(n);
  const two = new Int32Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 5; f++)
      (num[f] as Float64Array)[i] = f === 4 ? Math.round(rng.normal() * 3) : rng.normal();
    many[i] = rng.next() < 0.05 ? -1 : rng.int(12);
    two[i] = rng.int(2);
    const a = num[0]?.[i] as number;
    const b = num[1]?.[i] as number;
    const m =
      a + Math.sin(2 * b) + (many[i]! % 3 === 0 ? 0.8 : -0.2) + 0.4 * two[i]! * (num[2]?.[i] as number);
    y[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    if (rng.next() < 0.1) (num[2] as Float64Array)[i] = Number.NaN;
    if (rng.next() < 0.02) (num[3] as Float64Array)[i] = Number.NaN;
  }
  const levels = (k: number) => Array.from({ length: k }, (_, j) => `l${j}`);
  return {
    frame: {
      rows: n,
      columns: [
        ...num.map((values, f) => ({ kind: 'numeric' as const, name: `x${f}`, values })),
        { kind: 'categorical', name: 'many', codes: many, levels: levels(12) },
        { kind: 'categorical', name: 'two', codes: two, levels: levels(2) },
      ],
    },
    y,
  };
}

const hash = (state: unknown) =>
  createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 16);

describe('GBDT fingerprints (bit-identical models before and after speed work)', () => {
  const { frame, y } = data(6000);
  const cases: [string, Partial<GbdtOptions>, string][] = [
    ['defaults', {}, 'bf7bd22b40e8e4e1'],
    ['subsampling', { rowSubsample: 0.7, featureSubsample: 0.6 }, '37c3f883ce829f68'],
    ['early stopping, depth 3', { earlyStopping: true, maxDepth: 3, trees: 60 }, 'dd828be0f5ee97d4'],
    [
      'few rows per leaf, L2, 16 bins, bin sample',
      { minSamplesLeaf: 2, l2: 1, maxBins: 16, binSampleSize: 1000 },
      'fd4f83d3b8d4e43d',
    ],
  ];
  for (const [name, options, expected] of cases) {
    it(name, () => {
      const wasm = fitGbdt(frame, y, { ...BASE, ...options }, createRng(5));
      const ts = fitGbdt(frame, y, { ...BASE, ...options }, createRng(5), 'typescript');
      expect(hash(ts.state)).toBe(hash(wasm.state));
      expect(hash(wasm.state)).toBe(expected);
    });
  }
});
