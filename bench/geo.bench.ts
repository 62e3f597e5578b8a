/**
 * Issue 14 benchmarks: lookalike scoring of 1,000,000 prospects (twins of a seed of customers, classifier) and the
 * area potential over 10,000 areas, each against a baseline measured in the same run: reading the same feature
 * columns out of DuckDB (lookalikes), and one DuckDB GROUP BY of the people per postcode (potential).
 *
 * The data are synthetic and made in DuckDB SQL from hashes (deterministic): `area_data` with BENCH_AREAS areas
 * over four countries, and a `customer_features` table written directly (the columns lookalikes and geo read:
 * demographics, area figures, orders, revenue) for BENCH_CUSTOMERS customers plus BENCH_PROSPECTS prospects.
 * Building the real feature view from orders is benchmarked in segments.bench.ts.
 *
 * Env: BENCH_PROSPECTS (default 1,000,000), BENCH_CUSTOMERS (200,000), BENCH_AREAS (10,000).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { geoPotential } from '../src/analytics/geo/index.js';
import { findLookalikes } from '../src/analytics/predict/index.js';
import { DuckDbEngine, migrate } from '../src/store/index.js';
import { peakRssMiB, time } from './util.js';

const PROSPECTS = Number(process.env.BENCH_PROSPECTS ?? 1_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200_000);
const AREAS = Number(process.env.BENCH_AREAS ?? 10_000);
const SEED = 'orders >= 6';
const TARGET = 'is_prospect = true';

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function generate(engine: DuckDbEngine): Promise<void> {
  await migrate(engine);
  await engine.exec(`
    INSERT INTO area_data (country, postcode, area_name, region, population, households, median_income,
      purchasing_power_index, urban_share, mean_age, latitude, longitude, source, load_id)
    SELECT ['NL', 'DE', 'FR', 'BE'][1 + i % 4], lpad((10000 + i)::VARCHAR, 5, '0'), 'Area ' || i, 'R' || (i % 40),
      2 * h, h, 30000 + (hash(i * 7) % 30000), 80 + (hash(i * 11) % 40), (hash(i * 13) % 100) / 100.0,
      30 + (hash(i * 17) % 25), 45 + (hash(i * 19) % 800) / 100.0, (hash(i * 23) % 1000) / 100.0, 'bench', 1
    FROM (SELECT i, 200 + hash(i) % 4000 AS h FROM range(0, ${AREAS}) t(i)) a`);
  // People: an area by hash; demographics by hash; customers' orders grow with income and area purchasing power.
  await engine.exec(`
    CREATE TABLE customer_features AS
    WITH p AS (
      SELECT i, i > ${CUSTOMERS} AS is_prospect, hash(i * 31) % ${AREAS} AS area, (hash(i * 37) % 6)::INTEGER AS income_level,
        18 + (hash(i * 41) % 60)::INTEGER AS age
      FROM range(1, ${CUSTOMERS + PROSPECTS + 1}) t(i))
    SELECT 'P' || lpad(p.i::VARCHAR, 8, '0') AS customer_id, DATE '2026-06-30' AS as_of, p.is_prospect,
      CASE WHEN p.is_prospect THEN 0 ELSE
        CAST(floor((hash(p.i * 43) % 1000) / 1000.0 * (1 + p.income_level) * (a.purchasing_power_index / 60.0)) AS INTEGER)
      END AS orders,
      CASE WHEN p.is_prospect THEN 0.0 ELSE (hash(p.i * 47) % 500) * (1 + p.income_level) END AS revenue,
      p.age, ['F', 'M'][1 + (hash(p.i * 53) % 2)::INTEGER] AS gender,
      ['<20k', '20-40k', '40-60k', '60-80k', '80-120k', '>120k'][1 + p.income_level] AS income_band,
      a.country, a.region, a.postcode, hash(p.i * 59) % 5 <> 0 AS consent_email,
      a.households AS area_households, a.median_income AS area_median_income,
      a.purchasing_power_index AS area_purchasing_power, a.urban_share AS area_urban_share,
      a.mean_age AS area_mean_age
    FROM p JOIN (SELECT row_number() OVER (ORDER BY postcode) - 1 AS n, * FROM area_data) a ON a.n = p.area`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-bench-geo-'));
  const engine = await DuckDbEngine.open(join(dir, 'bench.duckdb'));
  try {
    const gen = await time(() => generate(engine));
    console.log(
      `data: ${CUSTOMERS.toLocaleString('en')} customers + ${PROSPECTS.toLocaleString('en')} prospects, ${AREAS.toLocaleString('en')} areas, made in ${gen.seconds.toFixed(1)} s (load ${loadavg()})`,
    );

    const read = await time(() =>
      engine.queryColumns(
        'SELECT customer_id, age, gender, income_band, country, region, consent_email, area_households, area_median_income, area_purchasing_power, area_urban_share, area_mean_age FROM customer_features ORDER BY customer_id',
      ),
    );
    const look = await time(() => findLookalikes(engine, { seed: SEED, target: TARGET, top: 100 }));
    const r = look.result;
    console.log(
      `lookalike: ${r.populationSize.toLocaleString('en')} prospects scored in ${look.seconds.toFixed(1)} s; baseline (reading the same columns) ${read.seconds.toFixed(1)} s → ${(look.seconds / read.seconds).toFixed(1)}×; trained on ${r.trainingSize.toLocaleString('en')} rows; separation ${r.separation?.toFixed(3)}; features ${r.features.map((f) => f.name).join(', ')} (load ${loadavg()})`,
    );

    const group = await time(() =>
      engine.query('SELECT postcode, count(*) AS n FROM customer_features GROUP BY postcode'),
    );
    const pot = await time(() => geoPotential(engine, { seed: SEED, minCellSize: 10 }));
    console.log(
      `potential: ${pot.result.cells.length.toLocaleString('en')} cells of ${AREAS.toLocaleString('en')} areas in ${pot.seconds.toFixed(1)} s; baseline (GROUP BY postcode) ${group.seconds.toFixed(2)} s → ${(pot.seconds / group.seconds).toFixed(1)}×; suppressed ${pot.result.suppressed.areas} areas (load ${loadavg()})`,
    );
    console.log(`peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
