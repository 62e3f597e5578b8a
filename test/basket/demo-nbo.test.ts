/**
 * Next best offer on the demo shop's planted cross-sell affinities (src/demo/README.md: tent → sleeping
 * bag, printer → ink, dress → belt in the same basket; espresso machine → beans, smartphone → case as
 * follow-ups). The demo's orders and order lines are read straight into a datamart (the importer has its
 * own tests), the model learns before a cut-off date and is scored on the next 180 days against the
 * best sellers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  daysBefore,
  evaluateHoldout,
  fitNbo,
  parseNboParams,
  recommendFor,
} from '../../src/analytics/basket/index.js';
import { DEFAULT_AS_OF, generateDemo } from '../../src/demo/index.js';
import { DuckDbEngine, migrate, sql } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-nbo-'));
let engine: DuckDbEngine;

beforeAll(async () => {
  await generateDemo({ customers: 3000, seed: 42, outDir: dir, asOf: DEFAULT_AS_OF });
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const orders = join(dir, 'orders.csv');
  const lines = join(dir, 'order_lines.csv');
  // The demo plants bad rows for the importer; rows that do not parse are simply skipped here.
  await engine.exec(sql`INSERT INTO orders (order_id, customer_id, order_date, status, source, load_id)
    SELECT order_id, customer_id, TRY_CAST(order_date AS DATE), coalesce(status, 'completed'), 'demo', 1
    FROM read_csv(${orders}, header = true, all_varchar = true)
    WHERE TRY_CAST(order_date AS DATE) IS NOT NULL AND customer_id IS NOT NULL`);
  await engine.exec(sql`INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, returned_quantity, source, load_id)
    SELECT order_id, TRY_CAST(line_no AS INTEGER), sku, TRY_CAST(quantity AS DOUBLE),
      TRY_CAST(replace(unit_price, ',', '.') AS DOUBLE), coalesce(TRY_CAST(returned_quantity AS DOUBLE), 0), 'demo', 1
    FROM read_csv(${lines}, header = true, all_varchar = true, delim = ';')
    WHERE TRY_CAST(quantity AS DOUBLE) > 0 AND TRY_CAST(line_no AS INTEGER) IS NOT NULL
      AND TRY_CAST(replace(unit_price, ',', '.') AS DOUBLE) IS NOT NULL`);
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('next best offer on the demo shop', () => {
  it('beats the best sellers on hit rate@5 and precision@5 over a 180-day holdout', async () => {
    const r = await evaluateHoldout(
      engine,
      parseNboParams({ asOf: daysBefore(DEFAULT_AS_OF, 180), k: 5 }),
      180,
    );
    expect(r.customers).toBeGreaterThan(200);
    expect(r.model.hitRate).toBeGreaterThan(r.popularity.hitRate);
    expect(r.model.precision).toBeGreaterThan(r.popularity.precision);
  });

  it('offers espresso beans to an espresso-machine owner, with the reason', async () => {
    const params = parseNboParams({ asOf: DEFAULT_AS_OF, k: 5 });
    const fitted = await fitNbo(engine, params);
    const machine = fitted.state.items.indexOf('HKC-001');
    const beans = fitted.state.items.indexOf('HCT-001');
    const owner = [...fitted.owned.entries()].find(
      ([, items]) => items.includes(machine) && !items.includes(beans),
    );
    expect(owner).toBeDefined();
    const [rec] = recommendFor(fitted, [owner![0]], params);
    const offer = rec!.offers.find((o) => o.item === 'HCT-001');
    expect(offer).toBeDefined();
    expect(offer!.reason).toMatch(/bought .*HKC-001.*; \d+% of/);
  });
});
