/**
 * Equivalence harness for forecast speed work: forecasts and backtests N bench-like series (fast mode) in memory
 * and either saves the means/intervals/MASE (SAVE=file) or compares them with a saved file (COMPARE=file),
 * printing CPU time and the largest relative difference.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { backtestCore, forecastCore } from '../src/analytics/forecast/core.js';
import { createRng } from '../src/analytics/shared/rng.js';

const N = Number(process.env.N ?? 300);
const FAST = !process.env.THOROUGH;
const rng = createRng(2026);
const all: number[][] = [];
for (let s = 0; s < N; s++) {
  const level = 100 + 900 * rng.next();
  const trend = (rng.next() - 0.4) * 0.02;
  const amplitude = s % 4 === 0 ? 0 : 0.1 + 0.4 * rng.next();
  const phase = rng.int(12);
  const noise = 0.03 + 0.12 * rng.next();
  const y: number[] = [];
  for (let t = 0; t < 60; t++) {
    const season = 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 12);
    const zero = s % 10 === 0 && t === 30;
    y.push(zero ? 0 : Math.max(0, level * (1 + trend) ** t * season * (1 + noise * rng.normal())));
  }
  all.push(y);
}
const cpu = process.cpuUsage();
const t0 = performance.now();
const out: { model: string; mean: number[]; lower: number[]; upper: number[]; mase: number | null }[] = [];
const r = createRng(1);
for (const y of all) {
  const opts = { period: 12, horizon: 12, level: 0.95, method: 'combination' as const, fast: FAST };
  const f = forecastCore(y, opts, r.fork());
  const bt = backtestCore(y, { ...opts, origins: 3 }, r.fork());
  out.push({ model: f.model, mean: f.mean, lower: f.lower, upper: f.upper, mase: bt.mase });
}
const c = process.cpuUsage(cpu);
console.log(
  `${N} series: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s CPU`,
);
if (process.env.SAVE) writeFileSync(process.env.SAVE, JSON.stringify(out));
if (process.env.COMPARE) {
  const base = JSON.parse(readFileSync(process.env.COMPARE, 'utf8')) as typeof out;
  let maxRel = 0;
  let maxMase = 0;
  let models = 0;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-9, Math.abs(b));
  out.forEach((o, i) => {
    const b = base[i]!;
    if (o.model !== b.model) models++;
    for (const k of ['mean', 'lower', 'upper'] as const)
      b[k].forEach((v, j) => {
        maxRel = Math.max(maxRel, rel(o[k][j]!, v));
      });
    if (b.mase !== null && o.mase !== null) maxMase = Math.max(maxMase, rel(o.mase, b.mase));
  });
  console.log(
    `different models: ${models}; max relative difference forecast/interval ${maxRel.toExponential(2)}, MASE ${maxMase.toExponential(2)}`,
  );
}
