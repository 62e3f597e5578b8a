import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/support/cli.js';
import { DuckDbEngine, migrate, sql } from '../../store/index.js';
import { basketModule } from './module.js';
import { testShopSql } from './test-shop.js';

const dir = mkdtempSync(join(tmpdir(), 'clientele-basket-'));
const db = join(dir, 'shop.duckdb');
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(db);
  await migrate(engine);
  for (const s of testShopSql({ customers: 400, seed: 11, affinity: 0.8 })) await engine.exec(s);
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCliCaptured;

describe('basket module contract', () => {
  it('fits a model that round-trips through JSON and is identical when fitted twice', async () => {
    const a = await basketModule.fit(engine, { asOf: '2024-09-01', minSupport: 0.02 });
    const b = await basketModule.fit(engine, { asOf: '2024-09-01', minSupport: 0.02 });
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(b).toEqual(a);
    expect(a.state.rules.length).toBeGreaterThan(0);
  });

  it('scores every customer, and explain agrees with the top offer', async () => {
    const model = await basketModule.fit(engine, { asOf: '2024-09-01', minSupport: 0.02 });
    const scored = await basketModule.score(engine, model);
    const customers = await engine.query('SELECT count(*) AS n FROM customers');
    expect(scored.rows.length).toBe(Number(customers[0]!.n));
    const row = scored.rows.find((r) => r.history > 0)!;
    const owned = await engine.query(
      sql`SELECT DISTINCT l.sku FROM order_lines l JOIN orders o USING (order_id)
          WHERE o.customer_id = ${row.customerId} AND o.order_date < DATE '2024-09-01'`,
    );
    const features = Object.fromEntries(owned.map((r) => [String(r.sku), true]));
    const e = basketModule.explain(model, features);
    expect(e.score).toBeCloseTo(row.offers[0]!.probability, 12);
    expect(e.notes[1]).toBe(row.offers[0]!.reason);
  });

  it('refuses another module’s model and an empty datamart', async () => {
    const model = await basketModule.fit(engine, { asOf: '2024-09-01' });
    await expect(basketModule.score(engine, { ...model, module: 'clv' })).rejects.toMatchObject({
      code: 'MODULE_MISMATCH',
    });
    const empty = await DuckDbEngine.open(':memory:');
    await migrate(empty);
    await expect(basketModule.fit(empty, { asOf: '2024-09-01' })).rejects.toMatchObject({
      code: 'EMPTY_INPUT',
    });
    await empty.close();
  });
});

describe('clientele recommend and basket rules on the datamart', () => {
  it('recommends for one customer with reasons, and exports a segment to CSV', async () => {
    await engine.close();
    const one = await cli([
      'recommend',
      '--db',
      db,
      '--as-of',
      '2024-09-01',
      '--customer',
      'C00001',
      '--json',
    ]);
    expect(one.exitCode).toBe(0);
    const json = JSON.parse(one.stdout);
    expect(json.recommendations).toHaveLength(1);
    expect(json.recommendations[0].offers).toHaveLength(5);
    expect(json.recommendations[0].offers[0].reason).toMatch(/%/);
    const csv = join(dir, 'offers.csv');
    const seg = await cli([
      'recommend',
      '--db',
      db,
      '--as-of',
      '2024-09-01',
      '--segment-sql',
      "SELECT customer_id FROM customers WHERE customer_id < 'C00010'",
      '--out',
      csv,
    ]);
    expect(seg.exitCode).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,rank,item,label,probability,score,source,reason');
    expect(lines.length).toBe(1 + 10 * 5);
    const unknown = await cli(['recommend', '--db', db, '--as-of', '2024-09-01', '--customer', 'NOPE']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/"NOPE"/);
    engine = await DuckDbEngine.open(db);
  });

  it('evaluates on a holdout and mines rules from order lines with --json', async () => {
    await engine.close();
    const ev = await cli([
      'recommend',
      '--db',
      db,
      '--as-of',
      '2024-08-01',
      '--evaluate',
      '--horizon-days',
      '150',
      '--json',
    ]);
    expect(ev.exitCode).toBe(0);
    const r = JSON.parse(ev.stdout);
    expect(r.model.hitRate).toBeGreaterThan(r.popularity.hitRate);
    const rules = await cli([
      'basket',
      'rules',
      '--db',
      db,
      '--per',
      'customer',
      '--min-support',
      '0.02',
      '--min-confidence',
      '0.3',
      '--json',
    ]);
    expect(rules.exitCode).toBe(0);
    const rj = JSON.parse(rules.stdout);
    expect(rj.count).toBe(rj.rules.length);
    expect(
      rj.rules.some(
        (x: { lhs: string[]; rhs: string[] }) =>
          x.rhs[0] === 'Product P060' && x.lhs.includes('Product P030'),
      ),
    ).toBe(true);
    engine = await DuckDbEngine.open(db);
  });
});
