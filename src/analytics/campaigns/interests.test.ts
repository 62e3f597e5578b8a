import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { customerInterests, engagementProfile, keywordSlug, targetMatrix } from './index.js';

/**
 * Eight monthly campaigns alternate between the keywords {fashion, women} and {outdoor}; everybody gets all
 * of them. F clicks every fashion campaign and no outdoor one; O the reverse; X clicks everything (reactive,
 * no particular interest); N clicks nothing. Two silent contacts dilute the population rate.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO campaigns (campaign_id, channel, keywords, source, load_id)
      SELECT 'K' || j, 'email', CASE WHEN j % 2 = 0 THEN ['Fashion', 'women'] ELSE ['outdoor'] END, 't', 1 FROM range(8) t(j);
    CREATE TEMP TABLE who AS SELECT * FROM (VALUES ('F', 0), ('O', 1), ('X', 2), ('N', 3), ('S1', 3), ('S2', 3)) t(c, kind);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
    SELECT 'K' || j, c, ev, TIMESTAMP '2025-09-01 10:00:00' + INTERVAL (30 * j) DAY + CASE ev WHEN 'sent' THEN INTERVAL 0 MINUTE ELSE INTERVAL 30 MINUTE END, 't', 1
    FROM who, range(8) r(j), (VALUES ('sent'), ('open'), ('click')) e(ev)
    WHERE ev = 'sent' OR (kind = 0 AND j % 2 = 0) OR (kind = 1 AND j % 2 = 1) OR kind = 2;
  `);
});
afterAll(async () => {
  await engine.close();
});

describe('customerInterests', () => {
  it('finds each contact’s theme and tells interest from general reactivity', async () => {
    const r = await customerInterests(engine, { asOf: '2026-06-30', save: true });
    expect(r.keywords.map((k) => k.keyword).sort()).toEqual(['fashion', 'outdoor', 'women']);
    const rows = await engine.query(
      'SELECT customer_id, interest_fashion AS f, interest_outdoor AS o, top_interests FROM customer_interests ORDER BY 1',
    );
    const by = Object.fromEntries(rows.map((x) => [String(x.customer_id), x]));
    expect(Number(by.F!.f)).toBeGreaterThan(0.55);
    expect(Number(by.F!.o)).toBeLessThan(0.45);
    expect(String(by.F!.top_interests)).toMatch(/^fashion/);
    expect(Number(by.O!.o)).toBeGreaterThan(0.55);
    expect(Number(by.O!.f)).toBeLessThan(0.45);
    // Clicking everything is reactivity, not a preference: X's themes score alike, far from F's and O's split.
    expect(Math.abs(Number(by.X!.f) - Number(by.X!.o))).toBeLessThan(0.03);
    expect(Number(by.F!.f) - Number(by.F!.o)).toBeGreaterThan(0.15);
    expect(by.N!.top_interests).toBeNull();
  });

  it('keeps every interest inside (0, 1) for any response pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), async (clicks) => {
        const e = await DuckDbEngine.open(':memory:');
        try {
          await migrate(e);
          await e.exec(`INSERT INTO campaigns (campaign_id, channel, keywords, source, load_id)
            SELECT 'K' || j, 'email', [['a', 'b', 'c'][1 + j % 3]], 't', 1 FROM range(8) t(j)`);
          const values = clicks.flatMap((c, j) => [
            `('K${j}', 'P', 'sent', TIMESTAMP '2026-01-01' + INTERVAL ${j} DAY)`,
            `('K${j}', 'Q', 'sent', TIMESTAMP '2026-01-01' + INTERVAL ${j} DAY)`,
            `('K${j}', 'Q', 'click', TIMESTAMP '2026-01-01 01:00:00' + INTERVAL ${j} DAY)`,
            ...(c ? [`('K${j}', 'P', 'click', TIMESTAMP '2026-01-01 01:00:00' + INTERVAL ${j} DAY)`] : []),
          ]);
          await e.exec(`INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
            SELECT *, 't', 1 FROM (VALUES ${values.join(', ')})`);
          await customerInterests(e, { asOf: '2026-06-30', save: true });
          const cols = (await e.query(`SELECT * FROM customer_interests`)).flatMap((row) =>
            Object.entries(row)
              .filter(([k]) => k.startsWith('interest_'))
              .map(([, v]) => Number(v)),
          );
          for (const v of cols) {
            expect(v).toBeGreaterThan(0);
            expect(v).toBeLessThan(1);
          }
        } finally {
          await e.close();
        }
      }),
      { numRuns: 12, seed: 2 },
    );
  });

  it('crosses appetite for a new campaign’s keywords with reactivity', async () => {
    await customerInterests(engine, { asOf: '2026-06-30', save: true });
    await engagementProfile(engine, { asOf: '2026-06-30', save: true });
    const m = await targetMatrix(engine, { keywords: ['fashion'] });
    expect(m.cells.flat().reduce((s, n) => s + n, 0)).toBe(6);
    expect(m.targets).toHaveLength(m.targetCount);
    for (const t of m.targets) expect(['F', 'X']).toContain(t.customerId);
    await expect(targetMatrix(engine, { keywords: ['gardening'] })).rejects.toThrow(
      /fashion, outdoor, women|fashion/,
    );
  });

  it('saving reads the events once (the long form is kept in customer_interests_long), with the same scores', async () => {
    const before = await customerInterests(engine, { asOf: '2026-06-30' });
    const statements: string[] = [];
    const counting = new Proxy(engine, {
      get(target, prop, receiver) {
        if (prop === 'query' || prop === 'exec')
          return (q: { toString(): string }, ...rest: unknown[]) => {
            statements.push(String(q));
            return (target[prop] as (...a: unknown[]) => unknown).call(target, q, ...rest);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const saved = await customerInterests(counting, { asOf: '2026-06-30', save: true });
    expect(statements.filter((t) => t.includes('FROM campaign_events')).length).toBe(1);
    expect(rounded(saved.keywords)).toEqual(rounded(before.keywords));
    // Same scores; the last bit may differ with the engine's summation order (parallel sums).
    expect(saved.examples.length).toBe(before.examples.length);
    saved.examples.forEach((e, i) => {
      const b = before.examples[i]!;
      expect(e.customerId).toBe(b.customerId);
      expect(e.top.map((t) => t.keyword)).toEqual(b.top.map((t) => t.keyword));
      e.top.forEach((t, j) => {
        expect(t.interest).toBeCloseTo(b.top[j]!.interest, 12);
      });
    });
    expect(saved.contacts).toBe(before.contacts);
  });

  it('turns keywords into column names', () => {
    expect(keywordSlug('Black Friday')).toBe('black_friday');
    expect(keywordSlug('Déco/maison')).toBe('deco_maison');
  });
});

/** Numbers to 12 significant digits, deep: equal results whatever order the engine's parallel sums add in. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}
