import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { openShop } from '../../../test/support/tiny-shop.js';
import { InputError } from '../../errors.js';
import { DuckDbEngine, join, sql } from '../../store/index.js';
import { engagementProfile } from '../campaigns/index.js';
import { featuresSql } from '../features/index.js';
import {
  buildRfm,
  CLASSIC_MAP,
  parseParams,
  parseSegmentMap,
  type RfmInput,
  rfmSummary,
  rfmTransitions,
  scoreCore,
  scoreSql,
  segmentOf,
} from './index.js';
import { rfmInputSql, statesSql } from './sql.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterAll(async () => {
  await engine.close();
});

const inputArb = fc
  .array(
    fc.record({
      recency: fc.integer({ min: 0, max: 40 }),
      frequency: fc.integer({ min: 1, max: 6 }),
      value: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 500, noNaN: true })),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => rows.map((r, i) => ({ customerId: `c${i}`, ...r })));

const scoringArb = fc.oneof(
  fc.record({ bins: fc.integer({ min: 2, max: 10 }), cuts: fc.constant({}) }),
  fc.constant({
    bins: 5,
    cuts: { recency: [3, 10, 20, 30], frequency: [2, 3, 4, 5], monetary: [5, 10, 50, 100] },
  }),
);

async function sqlScores(rows: readonly RfmInput[], scoring: { bins: number; cuts: object }) {
  await engine.exec(
    'CREATE OR REPLACE TABLE rfm_src (customer_id VARCHAR, recency_days INTEGER, orders INTEGER, revenue DOUBLE)',
  );
  await engine.exec(
    sql`INSERT INTO rfm_src VALUES ${join(rows.map((r) => sql`(${r.customerId}, ${r.recency}, ${r.frequency}, ${r.value})`))}`,
  );
  const params = { kind: 'rfm' as const, map: scoring.bins === 5 ? CLASSIC_MAP : [], ...scoring };
  const out = await engine.query<{
    customer_id: string;
    r_score: number;
    f_score: number;
    m_score: number;
    rfm_segment: string;
  }>(
    sql`SELECT customer_id, r_score, f_score, m_score, rfm_segment FROM (${scoreSql(engine.dialect, params, sql`rfm_src`)}) s`,
  );
  return new Map(out.map((o) => [o.customer_id, o]));
}

describe('RFM scoring', () => {
  it('SQL path and TypeScript reference give identical scores and segments on random tables', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, scoringArb, async (rows, scoring) => {
        const map = scoring.bins === 5 ? CLASSIC_MAP : [];
        const ts = scoreCore(rows, { ...scoring, map });
        const db = await sqlScores(rows, scoring);
        for (const t of ts) {
          const d = db.get(t.customerId)!;
          expect([d.r_score, d.f_score, d.m_score, d.rfm_segment]).toEqual([t.r, t.f, t.m, t.segment]);
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('scores stay in 1…bins and do not depend on row order', () => {
    fc.assert(
      fc.property(inputArb, scoringArb, fc.integer(), (rows, scoring, seed) => {
        const s = { ...scoring, map: CLASSIC_MAP };
        const a = scoreCore(rows, s);
        const shuffled = [...rows].sort((x, y) => hash(x.customerId, seed) - hash(y.customerId, seed));
        const b = new Map(scoreCore(shuffled, s).map((x) => [x.customerId, x]));
        for (const x of a) {
          for (const v of [x.r, x.f, x.m]) expect(v >= 1 && v <= scoring.bins).toBe(true);
          expect(b.get(x.customerId)).toEqual(x);
        }
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('a more recent purchase never lowers R', () => {
    fc.assert(
      fc.property(inputArb, scoringArb, fc.nat(), fc.nat(), (rows, scoring, pick, by) => {
        const s = { ...scoring, map: CLASSIC_MAP };
        const i = pick % rows.length;
        const before = scoreCore(rows, s)[i]!.r;
        const moved = rows.map((r, j) =>
          j === i ? { ...r, recency: Math.max(0, r.recency - (by % 20)) } : r,
        );
        expect(scoreCore(moved, s)[i]!.r).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('the classic map covers every (R, F) cell of a 5-bin grid', () => {
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++) expect(segmentOf({ r, f, m: 3 }, CLASSIC_MAP)).not.toBe('Unclassified');
    expect(segmentOf({ r: 5, f: 5, m: 1 }, CLASSIC_MAP)).toBe('Champions');
    expect(segmentOf({ r: 1, f: 1, m: 5 }, CLASSIC_MAP)).toBe('Lost');
  });

  it('quintiles by hand: 10 distinct recencies give two customers per score', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      customerId: `c${i}`,
      recency: i,
      frequency: 1,
      value: i,
    }));
    const out = scoreCore(rows, { bins: 5, cuts: {}, map: CLASSIC_MAP });
    expect(out.map((x) => x.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(out.map((x) => x.f)).toEqual(Array(10).fill(1));
    expect(out.map((x) => x.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('reads an edited map from YAML-like input and rejects bad params with every issue', () => {
    expect(parseSegmentMap({ segments: [{ name: 'Best', r: '4-5', f: 5 }] }, 5)).toEqual([
      { name: 'Best', r: [4, 5], f: [5, 5] },
    ]);
    try {
      parseParams({ asOf: '2024-13-01', bins: 11, kind: 'xyz', cuts: { recency: [3, 1] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const issues = (e as InputError).details.issues as { where: string }[];
      expect(issues.map((i) => i.where).sort()).toEqual(['asOf', 'bins', 'cuts.recency', 'kind']);
    }
  });
});

describe('RFM on the datamart', () => {
  it('summarises segments and counts non-buyers; transitions count every customer once', async () => {
    const shop = await openShop();
    try {
      const result = await rfmSummary(shop, { asOf: '2024-06-30' });
      expect(result.scored).toBe(3);
      expect(result.notScored).toBe(1);
      expect(result.segments.reduce((s, x) => s + x.customers, 0)).toBe(3);
      const t = await rfmTransitions(shop, { from: '2024-03-31', to: '2024-06-30' });
      expect(t.matrix.flat().reduce((a, b) => a + b, 0)).toBe(4);
      const noPurchase = t.states.indexOf('No purchase');
      // c2 and c3 had no purchase by 2024-03-31 and bought later; p1 never bought.
      expect(t.matrix[noPurchase]!.reduce((a, b) => a + b, 0)).toBe(3);
      expect(t.matrix[noPurchase]![noPurchase]).toBe(1);
    } finally {
      await shop.close();
    }
  });
});

describe('RFO / RFC: the engagement path, one meaning per number', () => {
  it('scores recency on the opens, not the orders, with the same figures as engagementProfile', async () => {
    const shop = await openShop();
    try {
      const rfo = await rfmSummary(shop, { asOf: '2024-06-30', kind: 'rfo' });
      expect(rfo.kind).toBe('rfo');
      // c1 and c2 had e-mail deliveries (c3 and p1 none): contacts, not buyers.
      expect(rfo.contacts).toBe(2);
      expect(rfo.rfo.flat().reduce((a, b) => a + b, 0)).toBe(2);
      // c1 last opened on 2024-03-02 09:00 (about 121 days before the end of 2024-06-30), but last ordered on 2024-06-08:
      // the recency of the one opener is that of the open.
      const openers = rfo.quadrants.filter((q) => q.meanOpenRecencyDays !== null);
      expect(openers.map((q) => [q.contacts, Math.round(q.meanOpenRecencyDays!)])).toEqual([[1, 121]]);
      const direct = await engagementProfile(shop, { asOf: '2024-06-30' });
      const { kind, ...same } = rfo;
      expect(same).toEqual(direct);
      const rfc = await rfmSummary(shop, { asOf: '2024-06-30', kind: 'rfc', bins: 3 });
      expect(rfc.rfc).toHaveLength(3);
      expect(rfc.rfc.flat().reduce((a, b) => a + b, 0)).toBe(2);
    } finally {
      await shop.close();
    }
  });

  it('refuses purchase-only settings and saved scores or movement for rfo / rfc', async () => {
    const shop = await openShop();
    try {
      await expect(
        rfmSummary(shop, { asOf: '2024-06-30', kind: 'rfo', map: CLASSIC_MAP } as never),
      ).rejects.toThrow(/purchase RFM only/);
      await expect(buildRfm(shop, { asOf: '2024-06-30', kind: 'rfc' })).rejects.toBeInstanceOf(InputError);
      await expect(
        rfmTransitions(shop, { from: '2024-03-31', to: '2024-06-30', kind: 'rfo' }),
      ).rejects.toThrow(/engagement profile/);
    } finally {
      await shop.close();
    }
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

describe('RFM movement on the lean input', () => {
  it('gives the same transition matrix as the full customer feature view', async () => {
    const e = await DuckDbEngine.open(':memory:');
    try {
      await seedShop(e);
      for (const asOf of ['2025-06-30', '2026-06-24']) {
        const p = parseParams({ asOf });
        const full = await e.query(
          sql`SELECT customer_id, state FROM (${statesSql(e.dialect, p, sql`(${featuresSql(e.dialect, { asOf, categories: [], channels: [] })})`)}) s ORDER BY 1`,
        );
        const lean = await e.query(
          sql`SELECT customer_id, state FROM (${statesSql(e.dialect, p, rfmInputSql(e.dialect, asOf))}) s ORDER BY 1`,
        );
        expect(lean.length).toBeGreaterThan(100);
        expect(lean).toEqual(full);
      }
    } finally {
      await e.close();
    }
  });
});
