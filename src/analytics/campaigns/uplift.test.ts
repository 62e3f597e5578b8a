import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../store/index.js';
import { qini, upliftModels } from './index.js';

/**
 * A planted experiment (4,000 rows, arms 50/50 by hash): `a` drives the baseline response but not the effect,
 * `b` drives the effect only (treated rows with b = 1 respond 25 points more; b = 0 not at all). A response
 * model ranks by `a`; an uplift learner must rank by `b` and therefore beat it on the Qini coefficient.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await engine.exec(`CREATE TABLE exp AS
    WITH base AS (SELECT i, hash('arm' || i) % 2 AS t, hash('a' || i) % 2 AS a, hash('b' || i) % 2 AS b,
        (hash('y' || i) % 10000) / 10000.0 AS u, (hash('n' || i) % 100) / 100.0 AS noise FROM range(4000) r(i))
    SELECT 'R' || i AS row_id, CASE WHEN t = 1 THEN 'mail' ELSE 'none' END AS arm, a, b, noise,
      CASE WHEN u < 0.1 + 0.4 * a + 0.25 * t * b THEN 1 ELSE 0 END AS bought FROM base`);
});
afterAll(async () => {
  await engine.close();
});

describe('upliftModels', () => {
  it('finds the rows the treatment moves, where targeting by response does not', async () => {
    const r = await upliftModels(engine, {
      table: 'exp',
      arm: 'arm',
      control: 'none',
      outcome: 'bought',
      idColumn: 'row_id',
      by: 'b',
      top: 200,
    });
    expect(r.holdoutRows).toBeGreaterThan(1250);
    expect(r.holdoutRows).toBeLessThan(1420);
    const q = Object.fromEntries(r.learners.map((l) => [l.learner, l.qiniNormalised]));
    // Normalised by the perfect ranking of the realised outcomes, which no model can reach on noisy 0/1 data.
    expect(q['two-model']).toBeGreaterThan(0.06);
    expect(q['two-model']).toBeGreaterThan(2 * q.response!);
    expect(q['transformed-outcome']).toBeGreaterThan(2 * q.response!);
    expect(Math.abs(q.random!)).toBeLessThan(0.05);
    // The target list is made of b = 1 rows; observed uplift by segment shows the planted split.
    const b1 = await engine.query(`SELECT row_id FROM exp WHERE b = 1`);
    const plantedB1 = new Set(b1.map((x) => String(x.row_id)));
    expect(r.targets.filter((t) => plantedB1.has(t.id)).length / r.targets.length).toBeGreaterThan(0.9);
    const seg = Object.fromEntries(r.segments.map((s) => [s.segment, s]));
    expect(seg['1']!.observed!).toBeGreaterThan(0.15);
    expect(Math.abs(seg['0']!.observed!)).toBeLessThan(0.08);
    expect(seg['1']!.predicted).toBeGreaterThan(seg['0']!.predicted + 0.1);
  });

  it('is reproducible for a seed', async () => {
    const opts = { table: 'exp', arm: 'arm', control: 'none', outcome: 'bought', idColumn: 'row_id' };
    const a = await upliftModels(engine, { ...opts, seed: 3 });
    const b = await upliftModels(engine, { ...opts, seed: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('qini', () => {
  it('the perfect ranking scores 1, its reverse below 0, and a constant score 0', () => {
    const y = [1, 0, 1, 0, 0, 1, 0, 0];
    const t = [1, 1, 1, 1, 0, 0, 0, 0];
    const perfect = y.map((v, i) => (v ? (t[i] ? 1 : -1) : 0));
    expect(qini(perfect, y, t).qiniNormalised).toBeCloseTo(1, 12);
    expect(
      qini(
        perfect.map((s) => -s),
        y,
        t,
      ).qiniNormalised,
    ).toBeLessThan(0);
    expect(
      qini(
        y.map(() => 0),
        y,
        t,
      ).qiniCoefficient,
    ).toBeCloseTo(0, 12);
  });

  it('does not depend on the order of rows and ends at the overall incremental share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.boolean()), {
          minLength: 4,
          maxLength: 60,
        }),
        (rows) => {
          const score = rows.map((r) => r[0]);
          const y = rows.map((r) => (r[1] ? 1 : 0));
          const t = rows.map((r) => (r[2] ? 1 : 0));
          const a = qini(score, y, t);
          const rev = qini([...score].reverse(), [...y].reverse(), [...t].reverse());
          expect(a.qiniCoefficient).toBeCloseTo(rev.qiniCoefficient, 12);
          const nT = t.reduce((s: number, v) => s + v, 0);
          const nC = t.length - nT;
          const yT = y.filter((v, i) => v && t[i]).length;
          const yC = y.filter((v, i) => v && !t[i]).length;
          expect(a.totalIncremental).toBeCloseTo((yT - (nC ? (yC * nT) / nC : 0)) / t.length, 12);
        },
      ),
      { seed: 9 },
    );
  });
});
