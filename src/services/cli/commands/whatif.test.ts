import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { seedShop } from '../../../../test/support/shop.js';
import { DuckDbEngine } from '../../../store/index.js';

/**
 * The fixed shop, with Home on promotion every fourth week (price × 0.8, quantity × 2: an elasticity of
 * ln 2 / ln 0.8 ≈ −3.1); the other categories never change a price.
 */
let db: string;
beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'clientele-whatif-')), 'shop.duckdb');
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await engine.exec(`UPDATE order_lines SET unit_price = unit_price * 0.8, quantity = quantity * 2
    WHERE sku IN (SELECT sku FROM products WHERE category_path LIKE 'Home%')
      AND order_id IN (SELECT order_id FROM orders WHERE (date_diff('day', DATE '1970-01-05', order_date) // 7) % 4 = 0)`);
  await engine.close();
});

const cli = cliOn(() => db);

describe('clientele whatif', () => {
  it('simulates a price cut (a negative --price-change as its own argument) with intervals', async () => {
    const r = await cli('whatif', '--category', 'Home', '--price-change', '-10%', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json.supported).toBe(true);
    expect(r.json.priceChange).toBeCloseTo(-0.1, 12);
    expect(r.json.elasticity.lower).toBeLessThan(-2.5);
    expect(r.json.elasticity.upper).toBeGreaterThan(-3.7);
    expect(r.json.simulated.units.value).toBeGreaterThan(r.json.baseline.units * 1.3);
    const human = await cli('whatif', '--category', 'Home', '--price-change', '-10%');
    expect(human.stdout).toMatch(/Home: a price change of -10 % moves units by \+/);
    expect(human.stdout).toMatch(/net revenue/);
  });

  it('says plainly when prices never moved, and rejects a call without a question', async () => {
    const r = await cli('whatif', '--category', 'Women', '--price-change', '+5%');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Women: the data cannot support an answer: prices hardly moved/);
    const bad = await cli('whatif', '--category', 'Women');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/expected --price-change/);
  });

  it('lists elasticities and the break-even per acquisition quarter', async () => {
    const e = await cli('whatif', '--elasticities', '--json');
    expect(
      e.json.categories.map((c: { category: string; supported: boolean }) => [c.category, c.supported]),
    ).toEqual([
      ['Home', true],
      ['Men', false],
      ['Women', false],
    ]);
    const b = await cli('whatif', '--break-even', 'cohort', '--json');
    expect(b.exitCode).toBe(0);
    expect(b.json.rows[0].group).toBe('2025-Q1');
  });
});
