import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, ident, join, sql } from '../../store/index.js';
import { createRng } from '../shared/rng.js';
import { fitCore, scoreCore } from './core.js';
import { alignFrame } from './models/frame.js';
import { parsePredictParams } from './params.js';
import { marginSql, scoreQuerySql } from './sql.js';
import { loadTable } from './table.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterAll(async () => {
  await engine.close();
});

/** A random table with every kind of column the loader reads: numbers, booleans, numbers as text, dates (ages to the row's as_of), text levels. */
async function randomTable(seed: number, n: number): Promise<string> {
  const rng = createRng(seed);
  const table = `t${seed}`;
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  await engine.exec(
    sql`CREATE TABLE ${ident(table)} (id VARCHAR, amount DOUBLE, active BOOLEAN, charges VARCHAR, signup DATE, plan VARCHAR, y VARCHAR, as_of DATE)`,
  );
  const rows = [];
  for (let i = 0; i < n; i++) {
    const amount = rng.next() < 0.15 ? null : Math.round(rng.normal() * 1000) / 10;
    const active = rng.next() < 0.1 ? null : rng.next() < 0.5;
    const charges = rng.next() < 0.1 ? ' ' : (rng.next() * 500).toFixed(2);
    const day = 1 + rng.int(28);
    const signup =
      rng.next() < 0.1
        ? null
        : `2023-${String(1 + rng.int(12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const plan = rng.next() < 0.1 ? null : ['basic', 'plus', 'pro', 'team', 'edu'][rng.int(5)];
    const m =
      (amount ?? 0) / 50 +
      (active ? 1 : -0.5) +
      (plan === 'pro' ? 1 : plan === 'edu' ? -1 : 0) +
      (signup && signup < '2023-06' ? 0.7 : 0);
    const y = rng.next() < 1 / (1 + Math.exp(-m)) ? 'yes' : 'no';
    // Each row's own as-of date: signup reaches the model as an age in days to it, in SQL as in TypeScript.
    const asOf = `2024-0${1 + rng.int(3)}-01`;
    rows.push(
      sql`(${`c${i}`}, ${amount}, ${active}, ${charges}, CAST(${signup} AS DATE), ${plan}, ${y}, CAST(${asOf} AS DATE))`,
    );
  }
  await engine.exec(sql`INSERT INTO ${ident(table)} VALUES ${join(rows)}`);
  return table;
}

describe('models compiled to SQL', () => {
  it('give the same scores as the TypeScript scorer (to 1e-9) on random data, for trees and logistic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('gbdt', 'logistic'),
        fc.integer({ min: 2, max: 12 }),
        async (seed, model, leaves) => {
          const table = await randomTable(seed, 150);
          const loaded = await loadTable(engine, table, { target: 'y' });
          expect(loaded.frame.columns.find((c) => c.name === 'signup')).toMatchObject({ origin: 'age' });
          const params = parsePredictParams({
            model,
            seed,
            gbdt: { trees: 6, maxLeaves: leaves, minSamplesLeaf: 3, earlyStopping: false },
            logistic: { lambda: 0.01 },
          });
          const fit = fitCore(loaded.frame, loaded.y, params, createRng(seed));
          const ts = scoreCore(fit.state, alignFrame(loaded.frame, fit.state.features).frame);
          const rows = await engine.query<{ customer_id: string; margin: number; score: number }>(
            sql`${scoreQuerySql(engine.dialect, fit.state, table, 'id')} ORDER BY CAST(substr(s.customer_id, 2) AS INTEGER)`,
          );
          expect(rows).toHaveLength(150);
          rows.forEach((r, i) => {
            expect(r.customer_id).toBe(loaded.ids[i]);
            expect(Math.abs(r.margin - (ts[i] as number))).toBeLessThan(1e-9);
            expect(Math.abs(r.score - 1 / (1 + Math.exp(-(ts[i] as number))))).toBeLessThan(1e-9);
          });
        },
      ),
      { numRuns: 8 },
    );
  });

  it('reads a plain-decimal threshold as a double, not a decimal', () => {
    const text = marginSql(engine.dialect, {
      kind: 'logistic',
      features: [{ name: 'x', kind: 'numeric' }],
      intercept: 0.1,
      terms: [],
    }).toString();
    expect(text).toBe('(1e-1)');
  });
});
