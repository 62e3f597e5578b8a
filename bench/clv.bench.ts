/**
 * CLV: fit BG/NBD, Gamma-Gamma and Pareto/NBD on 100k and 1M simulated customers, including the SQL summary.
 * Transactions come from the models' own simulators (seeded): CDNOW-like parameters, first purchases spread
 * over 12 weeks, calibration ending 39 weeks after the cohort start, purchases on whole days, spend from the
 * Gamma-Gamma model. Rows go into the orders table through the Appender; timings start after the load.
 * Target (issue 4): BG/NBD + Gamma-Gamma including the summary < 5 s for 1M customers.
 * Sizes: CLV_BENCH_SIZES=100000,1000000 (default); CLV_BENCH_PARETO=0 skips Pareto/NBD at 1M.
 */

import { loadavg } from 'node:os';
import { fitClv, fitClvModels } from '../src/analytics/clv/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { calibrationEnd, loadSimulatedOrders as load } from './clv-sim.js';
import { peakRssMiB, time as wallTime } from './util.js';

/** Wall and CPU seconds (this process, DuckDB's threads included). */
async function time<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; cpu: number; result: T }> {
  const c0 = process.cpuUsage();
  const r = await wallTime(fn);
  const c = process.cpuUsage(c0);
  return { ...r, cpu: (c.user + c.system) / 1e6 };
}
const secs = (t: { seconds: number; cpu: number }) => `${t.seconds.toFixed(2)} s (CPU ${t.cpu.toFixed(2)} s)`;

const sizes = (process.env.CLV_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
for (const customers of sizes) {
  const engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const loaded = await time(() => load(engine, customers));
  console.log(
    `clv ${customers.toLocaleString('en')} customers: ${loaded.result.toLocaleString('en')} orders simulated and loaded in ${loaded.seconds.toFixed(1)} s`,
  );
  const options = { calibrationEnd, unit: 'week' as const };
  const bg = await time(() => fitClv(engine, { ...options, model: 'bgnbd' }));
  const gg = await time(() => fitClv(engine, { ...options, model: 'gammagamma' }));
  const pair = await time(() => fitClvModels(engine, options, ['bgnbd', 'gammagamma']));
  const fmt = (p: Record<string, number>) =>
    Object.entries(p)
      .map(([k, v]) => `${k}=${v.toFixed(4)}`)
      .join(' ');
  console.log(
    `  BG/NBD     ${secs(bg)} (SQL summary + fit), ${bg.result.state.distinctRows.toLocaleString('en')} distinct rows, ${bg.result.diagnostics.iterations} iterations, LL ${bg.result.state.logLikelihood.toFixed(1)}, ${fmt(bg.result.state.params)}`,
  );
  console.log(
    `  Gamma-Gamma ${secs(gg)}, ${gg.result.state.customers.toLocaleString('en')} repeat customers, ${gg.result.diagnostics.iterations} iterations, ${fmt(gg.result.state.params)}`,
  );
  console.log(`  BG/NBD + Gamma-Gamma, two fitClv calls: ${(bg.seconds + gg.seconds).toFixed(2)} s`);
  console.log(
    `  BG/NBD + Gamma-Gamma, fitClvModels (one SQL summary): ${secs(pair)} (target < 5 s at 1M); same LL as two fitClv calls: BG/NBD ${pair.result[0]!.state.logLikelihood === bg.result.state.logLikelihood}, Gamma-Gamma ${pair.result[1]!.state.logLikelihood === gg.result.state.logLikelihood}`,
  );
  if (customers < 1_000_000 || process.env.CLV_BENCH_PARETO !== '0') {
    const pn = await time(() => fitClv(engine, { ...options, model: 'pareto' }));
    console.log(
      `  Pareto/NBD ${secs(pn)} (SQL summary + fit, analytic gradient), ${pn.result.state.distinctRows.toLocaleString('en')} distinct rows, ${pn.result.diagnostics.iterations} iterations, ${pn.result.state.evaluations} evaluations, LL ${pn.result.state.logLikelihood.toFixed(1)}, ${fmt(pn.result.state.params)}`,
    );
  }
  console.log(
    `  peak RSS so far ${(await peakRssMiB()).toFixed(0)} MiB; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  await engine.close();
}
