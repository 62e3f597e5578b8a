import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { type AreaRow, geoPenetration, geoPotential, geoProfile, mergeCells } from './index.js';

/**
 * A hand-checkable fixture: five Dutch areas, fifteen people placed (plus one whose postcode matches no area),
 * four of them women (the seed) with revenue 100, 200, 300 and 400.
 *
 *   area     households  known  members  customers
 *   1011AB   1000        4      2        4
 *   1012CD   500         3      0        0 (3 prospects)
 *   2011EF   2000        5      1        5
 *   2012GH   100         1      1        1
 *   2013JK   300         2      0        2
 */
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  await engine.exec(`
    INSERT INTO area_data (country, postcode, area_name, region, population, households, median_income,
      purchasing_power_index, urban_share, mean_age, latitude, longitude, source, load_id) VALUES
      ('NL', '1011 AB', 'Centrum', 'Noord', 2000, 1000, 50000, 120, 1.0, 35, 52.37, 4.90, 'fixture', 1),
      ('NL', '1012 CD', 'Oost', 'Noord', 1000, 500, 40000, 100, 0.9, 40, 52.36, 4.93, 'fixture', 1),
      ('NL', '2011 EF', 'Haven', 'Zuid', 4000, 2000, 30000, 80, 0.8, 45, 51.92, 4.48, 'fixture', 1),
      ('NL', '2012 GH', 'Dorp', 'Zuid', 200, 100, 30000, 90, 0.2, 50, 51.90, 4.40, 'fixture', 1),
      ('NL', '2013 JK', 'Polder', 'Zuid', 600, 300, 35000, 95, 0.3, 48, 51.95, 4.45, 'fixture', 1);
    INSERT INTO customers (customer_id, gender, postcode, country, is_prospect, created_at, source, load_id)
    SELECT 'P' || lpad(i::VARCHAR, 2, '0'), g, pc, 'NL', prospect, TIMESTAMP '2025-01-01 00:00:00', 'fixture', 1
    FROM (VALUES
      (1, 'F', '1011AB', false), (2, 'F', '1011 ab', false), (3, 'M', '1011 AB', false), (4, 'M', '1011AB', false),
      (5, 'M', '1012 CD', true), (6, 'M', '1012 CD', true), (7, 'M', '1012CD', true),
      (8, 'F', '2011 EF', false), (9, 'M', '2011 EF', false), (10, 'M', '2011 EF', false), (11, 'M', '2011EF', false),
      (12, 'M', '2011 EF', false), (13, 'F', '2012 GH', false), (14, 'M', '2013 JK', false),
      (15, 'M', '2013 JK', false), (16, 'F', '9999 ZZ', false)
    ) t(i, g, pc, prospect);
    INSERT INTO orders (order_id, customer_id, order_date, channel, total, source, load_id) VALUES
      ('O1', 'P01', DATE '2026-01-10', 'web', 100, 'fixture', 1),
      ('O2', 'P02', DATE '2026-01-10', 'web', 200, 'fixture', 1),
      ('O3', 'P08', DATE '2026-01-10', 'web', 300, 'fixture', 1),
      ('O4', 'P13', DATE '2026-01-10', 'web', 400, 'fixture', 1),
      ('O5', 'P16', DATE '2026-01-10', 'web', 999, 'fixture', 1),
      ('O6', 'P03', DATE '2026-01-10', 'web', 50, 'fixture', 1);
  `);
  await buildFeatures(engine, { asOf: '2026-06-30' });
});
afterAll(async () => {
  await engine?.close();
});

describe('area potential', () => {
  it('ranks areas as the hand computation does', async () => {
    const r = await geoPotential(engine, {
      seed: "gender = 'F'",
      valueColumn: 'revenue',
      minCellSize: 3,
      smoothing: 2,
    });
    // value = (100 + 200 + 300 + 400) / 4 = 250 (P16 is not placed); overall rate = 4 placed members / 15 placed.
    expect(r.value).toBeCloseTo(250, 9);
    expect(r.overallRate).toBeCloseTo(4 / 15, 12);
    const prior = 2 * (4 / 15);
    // rate = (members + 2 × 4/15) / (known + 2); potential = households × rate × 250.
    const expected = [
      { key: 'NL:2011EF', potential: 2000 * ((1 + prior) / 7) * 250 }, // 109,523.8
      { key: 'NL:1011AB', potential: 1000 * ((2 + prior) / 6) * 250 }, // 105,555.6
      // 2012GH (1 known) and 2013JK (2 known) are under 3 alone: merged into the rest of prefix 20.
      { key: 'NL:20*', potential: 400 * ((1 + prior) / 5) * 250 }, // 30,666.7
      { key: 'NL:1012CD', potential: 500 * ((0 + prior) / 5) * 250 }, // 13,333.3
    ];
    expect(r.cells.map((c) => c.key)).toEqual(expected.map((e) => e.key));
    r.cells.forEach((c, i) => {
      expect(c.potential).toBeCloseTo(expected[i]?.potential as number, 6);
    });
    expect(r.cells[0]?.untapped).toBeCloseTo((2000 * ((1 + prior) / 7) - 1) * 250, 6);
    expect(r.cells[2]).toMatchObject({ level: 'prefix', areas: 2, households: 400, known: 3 });
    expect(r.unplaced).toEqual({ known: 1, customers: 1, members: 1 });
    expect(r.cells[0]?.text).toMatch(/households ×/);
  });

  it('joins area data given at a coarser granularity by postcode prefix', async () => {
    const coarse = await DuckDbEngine.open(':memory:');
    try {
      await migrate(coarse);
      await coarse.exec(`
        INSERT INTO area_data (country, postcode, region, households, median_income, source, load_id)
        VALUES ('NL', '10', 'Noord', 1500, 45000, 'f', 1), ('NL', '20', 'Zuid', 2400, 31000, 'f', 1);
        INSERT INTO customers (customer_id, postcode, country, is_prospect, created_at, source, load_id)
        SELECT 'C' || i, CASE WHEN i <= 3 THEN '1011 AB' ELSE '2013 JK' END, 'NL', false,
          TIMESTAMP '2025-01-01 00:00:00', 'f', 1 FROM range(1, 6) t(i);`);
      await buildFeatures(coarse, { asOf: '2026-06-30' });
      const r = await geoPenetration(coarse, { minCellSize: 1 });
      expect(r.cells.map((c) => [c.key, c.customers, c.households])).toEqual([
        ['NL:10', 3, 1500],
        ['NL:20', 2, 2400],
      ]);
      expect(r.unplaced.known).toBe(0);
    } finally {
      await coarse.close();
    }
  });
});

describe('penetration and profile', () => {
  it('gives customers per household with an index on the overall penetration', async () => {
    const r = await geoPenetration(engine, { minCellSize: 3 });
    // Customers: 1011AB 4, 1012CD 0, 2011EF 5, 2012GH 1, 2013JK 2 → 12 over 3,900 households.
    expect(r.total).toMatchObject({ count: 12, households: 3900 });
    const a = r.cells.find((c) => c.key === 'NL:1011AB');
    expect(a?.penetration).toBeCloseTo(4 / 1000, 12);
    expect(a?.index).toBeCloseTo((100 * (4 / 1000)) / (12 / 3900), 9);
  });

  it('profiles a segment against the national average for its country mix', async () => {
    const r = await geoProfile(engine, { segment: "gender = 'F'", minCellSize: 3 });
    const income = r.measures.find((m) => m.measure === 'median_income');
    // Members live in 1011AB (×2), 2011EF, 2012GH: (50000 + 50000 + 30000 + 30000) / 4 = 40000.
    // National: Σ income × households / Σ households = (50e6 + 20e6 + 60e6 + 3e6 + 10.5e6) / 3900.
    const national = (50000 * 1000 + 40000 * 500 + 30000 * 2000 + 30000 * 100 + 35000 * 300) / 3900;
    expect(income?.segment).toBeCloseTo(40000, 9);
    expect(income?.national).toBeCloseTo(national, 6);
    expect(income?.index).toBeCloseTo((100 * 40000) / national, 6);
  });
});

describe('small cells', () => {
  it('never shows a cell under the minimum, in any output', async () => {
    for (const minCellSize of [2, 3, 4, 5, 10]) {
      const pen = await geoPenetration(engine, { minCellSize });
      for (const c of pen.cells) expect(c.customers).toBeGreaterThanOrEqual(minCellSize);
      const seg = await geoPenetration(engine, { segment: "gender = 'F'", minCellSize });
      for (const c of seg.cells) expect(c.members).toBeGreaterThanOrEqual(minCellSize);
      const pot = await geoPotential(engine, { seed: "gender = 'F'", minCellSize });
      for (const c of pot.cells) expect(c.known).toBeGreaterThanOrEqual(minCellSize);
      const prof = await geoProfile(engine, { segment: "gender = 'F'", minCellSize });
      if (prof.suppressed) expect(prof.measures.every((m) => m.segment === null)).toBe(true);
      else expect(prof.members).toBeGreaterThanOrEqual(minCellSize);
    }
  });

  it('withholds the profile of a segment smaller than the minimum', async () => {
    const r = await geoProfile(engine, { segment: "gender = 'F'", minCellSize: 10 });
    expect(r.suppressed).toBe(true);
    expect(r.measures.every((m) => m.index === null && m.segment === null)).toBe(true);
  });

  it('merges upward so that shown cells reach the minimum and no area is counted twice (property)', () => {
    const row = fc.record({
      country: fc.constantFrom('NL', 'DE'),
      area: fc.stringMatching(/^[0-9]{4}$/),
      region: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }),
      households: fc.nat(5000),
      customers: fc.nat(30),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => `${r.country}${r.area}`, maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        (raw, min) => {
          const rows: AreaRow[] = raw.map((r) => ({
            ...r,
            areaName: null,
            latitude: null,
            longitude: null,
            known: r.customers,
            members: 0,
          }));
          const m = mergeCells(rows, (c) => c.customers, min, 'area', 2);
          for (const c of m.cells) expect(c.customers).toBeGreaterThanOrEqual(min);
          expect(m.cells.reduce((s, c) => s + c.areas, 0) + m.suppressed.areas).toBe(rows.length);
          const shown = m.cells.reduce((s, c) => s + c.customers, 0);
          const all = rows.reduce((s, r) => s + r.customers, 0);
          if (m.suppressed.count !== null) expect(shown + m.suppressed.count).toBe(all);
          else expect(all - shown).toBeLessThan(min);
        },
      ),
      { seed: 14, numRuns: 200 },
    );
  });
});
