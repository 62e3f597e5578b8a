import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFit } from '../../../../../../test/support/gbdt-sample-fit.js';
import { createRng } from '../../../../shared/rng.js';
import { categoricalColumn, type FeatureFrame, numericColumn } from '../../frame.js';
import { applyBins, fitBins } from '../binning.js';
import { fitGbdt, type GbdtOptions } from '../boost.js';
import { buildFullHistogram, buildHistogram, countBins, typescriptLoops } from '../histogram.js';
import { type Arena, arenaBytes, heapArena, wasmExp, wasmHistogramLoops } from './kernels.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..', '..');

/** A frame of `p` numeric features (10% missing) and one categorical, `n` rows. */
function frameOf(n: number, p: number, seed: number): { frame: FeatureFrame; y: Float64Array } {
  const rng = createRng(seed);
  const columns = Array.from({ length: p }, (_, f) =>
    numericColumn(
      `x${f}`,
      Array.from({ length: n }, () => (rng.next() < 0.1 ? null : rng.normal())),
    ),
  );
  const levels = ['a', 'b', 'c', 'd', 'e'];
  const cat = categoricalColumn(
    'c',
    Array.from({ length: n }, () => (rng.next() < 0.05 ? null : (levels[rng.int(5)] as string))),
  );
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = (columns[0]?.values[i] as number) || 0;
    const c = cat.codes[i] === 2 ? 1 : 0;
    y[i] = rng.next() < 1 / (1 + Math.exp(-(x0 + c - 0.3))) ? 1 : 0;
  }
  return { frame: { rows: n, columns: [...columns, cat] }, y };
}

/** Bins, gradients and a sorted subset of rows, allocated from `arena`. */
function setUp(frame: FeatureFrame, arena: Arena, seed: number, keep: number) {
  const info = fitBins(frame, 255, 200_000, createRng(1));
  const data = applyBins(frame, info, arena);
  const rng = createRng(seed);
  const n = frame.rows;
  const grad = arena.f64(n);
  const hess = arena.f64(n);
  const idx = arena.u32(n);
  const og = arena.f64(n);
  const oh = arena.f64(n);
  const hist = arena.f64(data.totalBins * 3);
  for (let i = 0; i < n; i++) {
    grad[i] = rng.normal();
    hess[i] = rng.next();
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (rng.next() < keep) idx[count++] = i;
  return { data, grad, hess, idx, count, og, oh, hist };
}

/** The bytes of a float array, so that a comparison is bitwise (−0 ≠ 0). */
function bits(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('WebAssembly histogram loops', () => {
  it('give bit-identical histograms to the TypeScript loops, at the root and on row subsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1_000 }),
        (n, p, nf, keep, seed) => {
          const { frame } = frameOf(n, p, seed);
          const wasm = wasmHistogramLoops(1 << 20);
          if (!wasm) throw new Error('WebAssembly is not available in this test run.');
          const js = setUp(frame, heapArena, seed, keep);
          const wa = setUp(frame, wasm.arena, seed, keep);
          // A random subset of the features (the trees' feature subsampling), in increasing order.
          const pick = createRng(seed + 1);
          const all = Array.from({ length: js.data.features }, (_, f) => f).filter(() => pick.next() < 0.8);
          const features = Int32Array.from(all.length ? all.slice(0, nf) : [0]);
          const counts = countBins(js.data);
          buildFullHistogram(js.data, features, js.grad, js.hess, js.hist, counts, typescriptLoops);
          buildFullHistogram(wa.data, features, wa.grad, wa.hess, wa.hist, counts, wasm.loops);
          expect(bits(wa.hist)).toEqual(bits(js.hist));
          // A node: the rows idx[a..b) (sorted, as partitioning keeps them).
          const [a, b] = [Math.floor(js.count / 3), js.count];
          buildHistogram(
            js.data,
            features,
            js.idx,
            a,
            b,
            js.grad,
            js.hess,
            js.og,
            js.oh,
            js.hist,
            typescriptLoops,
          );
          buildHistogram(
            wa.data,
            features,
            wa.idx,
            a,
            b,
            wa.grad,
            wa.hess,
            wa.og,
            wa.oh,
            wa.hist,
            wasm.loops,
          );
          expect(bits(wa.hist)).toEqual(bits(js.hist));
          expect(bits(wa.oh.subarray(0, b - a))).toEqual(bits(js.oh.subarray(0, b - a)));
          expect(js.hist.some((v) => v !== 0) || b === a).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('grow the identical model as the TypeScript loops (subsampling, missing values, a categorical)', () => {
    const { frame, y } = frameOf(3_000, 7, 11);
    const options: GbdtOptions = {
      trees: 15,
      learningRate: 0.2,
      maxLeaves: 15,
      maxDepth: 0,
      minSamplesLeaf: 10,
      minChildWeight: 1e-3,
      l2: 1,
      minGainToSplit: 0,
      catSmooth: 10,
      maxBins: 64,
      rowSubsample: 0.8,
      featureSubsample: 0.7,
      earlyStopping: true,
      validationFraction: 0.1,
      patience: 5,
      tolerance: 1e-7,
      binSampleSize: 200_000,
    };
    const wasm = fitGbdt(frame, y, options, createRng(5), 'webassembly');
    const js = fitGbdt(frame, y, options, createRng(5), 'typescript');
    expect(wasm.kernel).toBe('webassembly');
    expect(js.kernel).toBe('typescript');
    expect(wasm.state.trees.length).toBeGreaterThan(3);
    expect(JSON.stringify(wasm.state)).toBe(JSON.stringify(js.state));
    expect(wasm.validationLoss).toEqual(js.validationLoss);
  });

  it('refuse arrays from outside their memory, and an arena refuses to overrun its size', () => {
    const wasm = wasmHistogramLoops(arenaBytes([100, 8], [100, 8]));
    if (!wasm) throw new Error('WebAssembly is not available in this test run.');
    const bins = new Uint8Array(8);
    const idx = new Uint32Array(8);
    const own = wasm.arena.f64(8);
    expect(() => wasm.loops.indexed1(bins, 0, idx, 0, 8, own, own, own, 0)).toThrow(
      /outside the WebAssembly arena/,
    );
    // 65,536 bytes of memory are reserved (one page): a second 64 KiB request overruns it.
    wasm.arena.f64(8_000);
    expect(() => wasm.arena.u8(65_536)).toThrow(/sizing bug/);
  });

  it('are not offered for more memory than wasm32 addresses (the fit then uses TypeScript)', () => {
    expect(wasmHistogramLoops(2 ** 32 + 1)).toBeNull();
  });

  it('fall back to the TypeScript loops where WebAssembly is off (node --jitless), with the same model', () => {
    const child = spawnSync(
      process.execPath,
      ['--jitless', '--import', 'tsx', join('test', 'support', 'gbdt-sample-fit.ts')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout) as { kernel: string; model: unknown };
    const here = sampleFit('webassembly');
    expect(here.kernel).toBe('webassembly');
    expect(out.kernel).toBe('typescript');
    expect(out.model).toEqual(JSON.parse(JSON.stringify(here.state)));
  });
});

describe("the kernels' e^x", () => {
  it('equals Math.exp bit for bit (margins, wide arguments, random bit patterns, edge cases)', () => {
    const exp = wasmExp();
    expect(exp).not.toBeNull();
    const f = exp as (x: number) => number;
    const rng = createRng(9);
    const words = new Uint32Array(2);
    const asDouble = new Float64Array(words.buffer);
    const args: number[] = [0, -0, 1, -1, 2, -2, 0.5, -0.5, Infinity, -Infinity, Number.NaN, 709.78, 709.79];
    args.push(-745.13, -745.14, -708.5, -720, 1e-300, -1e-300, 0.34657359027997264, 1.0397207708399179);
    for (let i = 0; i < 200_000; i++) args.push((rng.next() - 0.5) * 60);
    for (let i = 0; i < 50_000; i++) args.push((rng.next() - 0.5) * 1500);
    for (let i = 0; i < 50_000; i++) args.push((rng.next() - 0.5) * 1e-6);
    for (let i = 0; i < 100_000; i++) {
      words[0] = Math.floor(rng.next() * 2 ** 32);
      words[1] = Math.floor(rng.next() * 2 ** 32);
      args.push(asDouble[0] as number);
    }
    const bad = args.filter((x) => !Object.is(f(x), Math.exp(x)));
    expect(bad).toEqual([]);
  });
});
