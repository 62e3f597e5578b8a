import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from './import-source.js';
import { tempDatamart } from './load/test-support.js';

/**
 * Issue 12: a valid file in which fewer than half the values of a date or a number column are
 * corrupted loads with exactly the corrupted rows rejected (the format is decided by the values that
 * parse, never given up for the whole column).
 */

let db: Awaited<ReturnType<typeof tempDatamart>>;
let n = 0;
beforeAll(async () => {
  db = await tempDatamart();
});
afterAll(async () => {
  await db.dispose();
});

const pad = (x: number) => String(x).padStart(2, '0');
/** Values that are no date in either day/month order, and no amount. */
const BAD_DATES = ['31/02/2025', '00/06/2024', '32/13/2024', 'n/a', 'soon', '2024/99/99'];
const BAD_AMOUNTS = ['n/a', 'N/A', 'abc', '?', '12,34,5x'];

const row = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 12 }),
  year: fc.integer({ min: 1995, max: 2025 }),
  cents: fc.integer({ min: 0, max: 9_999_999 }),
});

const file = fc
  .record({
    rows: fc.array(row, { minLength: 4, maxLength: 40 }),
    column: fc.constantFrom('date' as const, 'amount' as const),
    seed: fc.nat(),
    bad: fc.array(fc.nat(), { maxLength: 40 }),
  })
  .map(({ rows, column, seed, bad }) => {
    // Fewer than half of the rows corrupted, at positions picked by `bad`; row 0 stays valid and has a
    // day past 12, so the valid values decide day-first.
    const limit = Math.ceil(rows.length / 2) - 1;
    const corrupted = new Set(bad.map((b) => 1 + (b % (rows.length - 1))).slice(0, limit));
    return { rows, column, seed, corrupted };
  });

describe('majority formats (property)', () => {
  // Also with the formats profiled on the first 3 records only (as a big file's are): the loader's checks
  // keep the sample's format or profile every record, and the rows end the same.
  // (The sample runs on a `,`-separated file with decimal points, the formats a sample can keep.)
  it.each([
    ['every record', undefined],
    ['a 3-record sample', 3],
  ])('rejects exactly the corrupted rows of a date or number column (profile of %s)', async (_, sample) => {
    const sep = sample ? ',' : ';';
    let keptSample = 0;
    await fc.assert(
      fc.asyncProperty(file, async ({ rows, column, seed, corrupted }) => {
        n += 1;
        const lines = [['Bestelnummer', 'Klant', 'Datum', 'Bedrag'].join(sep)];
        let sum = 0;
        rows.forEach((r, i) => {
          const day = i === 0 ? 25 : r.day;
          let date = `${pad(day)}/${pad(r.month)}/${r.year}`;
          const euros = Math.floor(r.cents / 100);
          let amount = sample
            ? `${euros}.${pad(r.cents % 100)}`
            : `${String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${pad(r.cents % 100)}`;
          if (corrupted.has(i)) {
            if (column === 'date') date = BAD_DATES[(seed + i) % BAD_DATES.length]!;
            else amount = BAD_AMOUNTS[(seed + i) % BAD_AMOUNTS.length]!;
          } else sum += r.cents;
          if (amount.includes(sep)) amount = `"${amount}"`;
          lines.push([`p${n}-${i}`, `k${i % 5}`, date, amount].join(sep));
        });
        const path = joinPath(db.dir, `majority-${n}.csv`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        const r = await importSource(
          db.engine,
          { path, target: 'orders' },
          { maxRejectRate: 1, createCustomers: true, ...(sample ? { profileSampleRows: sample } : {}) },
        );
        if (r.dryRun) throw new Error('dry run');
        const [how] = await db.engine.query<{ reason: string }>(
          `SELECT json_extract_string(mapping, '$.reasons.Datum') AS reason FROM loads WHERE load_id = ${r.loadId}`,
        );
        if (how?.reason.includes('every value is checked as it loads')) keptSample++;
        const rejected = await db.engine.queryColumns(
          `SELECT line FROM rejects WHERE load_id = ${r.loadId} ORDER BY line`,
        );
        expect((rejected.line ?? []).map(Number)).toEqual(
          [...corrupted].sort((a, b) => a - b).map((i) => i + 2),
        );
        expect(r.loaded).toBe(rows.length - corrupted.size);
        const [got] = await db.engine.query<{ cents: number | null }>(
          `SELECT CAST(sum(round(total * 100)) AS BIGINT) AS cents FROM orders WHERE load_id = ${r.loadId}`,
        );
        expect(Number(got?.cents ?? 0)).toBe(sum);
      }),
      { numRuns: 25, seed: 12 },
    );
    // The sampled runs keep the sample's day/month/year format in some files (the rest of the file
    // fits it) and profile every record in others.
    if (sample) expect(keptSample).toBeGreaterThan(0);
  });
});
