import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportProgress, importSource } from './import-source.js';
import { snapshot, tempDatamart } from './load/test-support.js';

/**
 * A big file's formats are profiled on its first records only; the loader then checks every value with
 * the full profile's own tests and profiles every record when one fails. Either way the datamart must
 * end exactly as after a profile of every record.
 */

const CUSTOMERS = 'customer_id,email\nc1,a@example.com\nc2,b@example.com\nc3,c@example.com\n';
const HEADER = 'order_id,customer_id,order_date,channel,sku,quantity,unit_price,discount';

function lines(last: string[]): string {
  const first = [
    'O1,c1,2024-01-05,web,SKU1,1,10.50,0',
    'O1,c1,2024-01-05,web,SKU2,2,3.25,0.5',
    'O2,c2,2024-01-06,store,SKU1,1,10.50,0',
    'O3,c3,2024-01-07,web,SKU3,1,7.00,0',
  ];
  return `${[HEADER, ...first, ...last].join('\n')}\n`;
}

let sampled: Awaited<ReturnType<typeof tempDatamart>>;
let full: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  sampled = await tempDatamart();
  full = await tempDatamart();
});
afterEach(async () => {
  await sampled.dispose();
  await full.dispose();
});

/** Imports the file into both datamarts (sample of 3 records vs every record); returns the profile passes. */
async function importBoth(content: string): Promise<number> {
  let passes = 0;
  for (const [db, sampleRows] of [
    [sampled, 3],
    [full, 1_000_000],
  ] as const) {
    // The same paths for both: rows record their source file.
    const customers = join(sampled.dir, 'customers.csv');
    const file = join(sampled.dir, 'lines.csv');
    writeFileSync(customers, CUSTOMERS);
    writeFileSync(file, content);
    await importSource(db.engine, { path: customers, target: 'customers' });
    const onProgress = (p: ImportProgress) => {
      if (db === sampled && p.phase === 'profile') passes++;
    };
    await importSource(
      db.engine,
      { path: file, target: 'order_lines' },
      { profileSampleRows: sampleRows, onProgress },
    );
  }
  return passes;
}

/** The datamart without the load log's timestamps and reasons (a sampled profile says it was one). */
async function contents(engine: (typeof sampled)['engine']) {
  const { loads: _loads, ...rest } = await snapshot(engine);
  const loads = await engine.query(
    `SELECT load_id, target, status, read, loaded, rejected, duplicates,
            CAST(json_extract(mapping, '$.columns') AS VARCHAR) AS columns FROM loads ORDER BY load_id`,
  );
  return { ...rest, loads };
}

describe('profiling a sample of a big file', () => {
  it('keeps the sample’s formats when every value fits them, and bad values are still rejected', async () => {
    const passes = await importBoth(
      lines(['O4,c1,2024-02-01,web,SKU4,abc,1.99,0', 'O5,c2,2024-02-02,app,SKU2,2,1e400,0']),
    );
    expect(passes).toBe(1);
    expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
    const [load] = await sampled.engine.query<{ reason: string }>(
      `SELECT json_extract_string(mapping, '$.reasons.unit_price') AS reason FROM loads WHERE target = 'order_lines'`,
    );
    expect(load?.reason).toContain('in the first 3 records; every value is checked as it loads');
    expect(
      (await sampled.engine.query<{ line: number }>(`SELECT line FROM rejects ORDER BY line`)).map(
        (r) => r.line,
      ),
    ).toEqual([6, 7]);
  });

  it('profiles every record when a later number holds a decimal comma', async () => {
    const passes = await importBoth(lines(['O4,c1,2024-02-01,web,SKU4,1,"1,99",0']));
    expect(passes).toBe(2);
    expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
  });

  it('profiles every record when a later date is not an ISO date, even one the cast accepts', async () => {
    for (const date of ['2024-02-01 10:00', '01/02/2024']) {
      await sampled.dispose();
      await full.dispose();
      sampled = await tempDatamart();
      full = await tempDatamart();
      const passes = await importBoth(lines([`O4,c1,${date},web,SKU4,1,1.99,0`]));
      expect(passes).toBe(2);
      expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
    }
  });
});
