/**
 * Forecasting many series end to end: N monthly series (default 10,000; FORECAST_SERIES=… to change) of 60
 * months in a DuckDB table → `forecastTable` (SQL aggregation per series and month, fit, 12-month forecast
 * with intervals, 3-origin backtest) → `writeForecast`. Baseline in the same run: seasonal naive through the
 * same pipeline, so the ratio is meaningful on a busy machine. Series: level × trend × multiplicative
 * season × noise, seeded; a quarter have no season, a tenth have a zero month.
 */
import { forecastTable, writeForecast } from '../src/analytics/forecast/index.js';
import { createRng } from '../src/analytics/shared/rng.js';
import { DuckDbEngine, writeColumns } from '../src/store/index.js';
import { cpuSecondsSince, time } from './util.js';

const N = Number(process.env.FORECAST_SERIES ?? 10_000);
const MONTHS = 60;
const METHOD = (process.env.FORECAST_METHOD ?? 'combination') as 'combination' | 'ets';
const THOROUGH = Number(process.env.FORECAST_THOROUGH ?? 300);
/** Worker threads for the forecasts (default 0: automatic, two on a machine with two or more cores). */
const THREADS = Number(process.env.FORECAST_THREADS ?? 0);

async function main(): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  const rng = createRng(2026);
  const series: string[] = [];
  const month: string[] = [];
  const value = new Float64Array(N * MONTHS);
  for (let s = 0; s < N; s++) {
    const level = 100 + 900 * rng.next();
    const trend = (rng.next() - 0.4) * 0.02;
    const amplitude = s % 4 === 0 ? 0 : 0.1 + 0.4 * rng.next();
    const phase = rng.int(12);
    const noise = 0.03 + 0.12 * rng.next();
    for (let t = 0; t < MONTHS; t++) {
      const season = 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 12);
      const zero = s % 10 === 0 && t === 30;
      const v = zero ? 0 : Math.max(0, level * (1 + trend) ** t * season * (1 + noise * rng.normal()));
      series.push(`s${String(s).padStart(5, '0')}`);
      month.push(`${2021 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-15`);
      value[s * MONTHS + t] = v;
    }
  }
  await writeColumns(engine, 'sales_raw', { series, month, value });
  await engine.exec(
    'CREATE TABLE sales AS SELECT series, CAST(month AS DATE) AS month, value FROM sales_raw',
  );
  const load = await import('node:fs').then((fs) => fs.readFileSync('/proc/loadavg', 'utf8').trim());
  console.log(
    `${N} monthly series × ${MONTHS} months, threads: ${THREADS || 'automatic (two on ≥ 2 cores)'}; load average before: ${load}`,
  );
  const run = async (method: 'snaive' | 'combination' | 'ets', fast: boolean, limit = N) => {
    const cpu = process.cpuUsage();
    const { seconds, result } = await time(async () => {
      const r = await forecastTable(engine, {
        table: 'sales',
        date: 'month',
        value: 'value',
        series: 'series',
        fast,
        frequency: 'month',
        horizon: 12,
        origins: 3,
        method,
        maxSeries: limit,
        asOf: '2026-01-01',
        threads: THREADS,
      });
      const rows = await writeForecast(engine, r, `fc_${method}_${fast ? 'fast' : 'thorough'}`);
      return { r, rows };
    });
    const verdicts: Record<string, number> = {};
    for (const s of result.r.series) verdicts[s.backtest.verdict] = (verdicts[s.backtest.verdict] ?? 0) + 1;
    const mase = result.r.series.map((s) => s.backtest.mase ?? Number.NaN).filter(Number.isFinite);
    const meanMase = mase.reduce((a, b) => a + b, 0) / mase.length;
    console.log(
      `${method}${fast ? ' --fast' : ''} (${result.r.series.length} series): ${seconds.toFixed(1)} s wall, ${cpuSecondsSince(cpu).toFixed(1)} s CPU, ${((seconds / result.r.series.length) * 1000).toFixed(2)} ms/series, ${result.rows} rows written; backtest mean MASE ${meanMase.toFixed(3)}; verdicts ${JSON.stringify(verdicts)}`,
    );
    return { seconds, meanMase };
  };
  const base = await run('snaive', false);
  const fast = await run(METHOD, true);
  console.log(
    `${METHOD} --fast / seasonal-naive pipeline time: ${(fast.seconds / base.seconds).toFixed(1)}×`,
  );
  if (THOROUGH > 0) {
    // The default (thorough) mode on the first THOROUGH series only (the rest summed into "(other)"), for the
    // per-series cost and the accuracy that --fast gives up.
    const thorough = await run(METHOD, false, THOROUGH);
    console.log(`thorough per series ≈ ${((thorough.seconds / THOROUGH) * 1000).toFixed(0)} ms`);
  }
  console.log(
    `load average after: ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`,
  );
  await engine.close();
}

await main();
