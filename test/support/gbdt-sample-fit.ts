/**
 * A small seeded GBDT fit, run in process by tests and as a child process (`node --jitless --import tsx
 * test/support/gbdt-sample-fit.ts`), where it prints `{ kernel, model }` as JSON: how a test checks that a fit
 * without WebAssembly falls back to the TypeScript loops and grows the same model.
 */
import { pathToFileURL } from 'node:url';
import { numericColumn } from '../../src/analytics/predict/models/frame.js';
import {
  fitGbdt,
  type GbdtFitResult,
  type HistogramKernel,
} from '../../src/analytics/predict/models/gbdt/boost.js';
import { parsePredictParams } from '../../src/analytics/predict/params.js';
import { createRng } from '../../src/analytics/shared/rng.js';

export function sampleFit(kernel: HistogramKernel): GbdtFitResult {
  const rng = createRng(3);
  const n = 2_000;
  const x = Array.from({ length: 5 }, () => Array.from({ length: n }, () => rng.normal()));
  const y = Float64Array.from({ length: n }, (_, i) => {
    const m = (x[0]?.[i] as number) - 0.5 * (x[1]?.[i] as number) ** 2;
    return rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  });
  const frame = { rows: n, columns: x.map((v, f) => numericColumn(`x${f}`, v)) };
  const options = parsePredictParams({ gbdt: { trees: 10, maxLeaves: 8, earlyStopping: false } }).gbdt;
  return fitGbdt(frame, y, { ...options, tolerance: 1e-7 }, createRng(9), kernel);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fit = sampleFit('webassembly');
  console.log(JSON.stringify({ kernel: fit.kernel, model: fit.state }));
}
