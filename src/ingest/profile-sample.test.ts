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
async function importBoth(content: string, sample = 3, createCustomers = false): Promise<number> {
  let passes = 0;
  for (const [db, sampleRows] of [
    [sampled, sample],
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
      { profileSampleRows: sampleRows, onProgress, ...(createCustomers ? { createCustomers } : {}) },
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

  it('keeps a sample’s month/day/year timestamps when the rest fit them, with the unmapped columns not profiled', async () => {
    // An Online-Retail-style export: m/d/yyyy H:MM, a description no field takes, two impossible dates.
    const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
    const rows = [
      '536365,A,WHITE MUG,6,12/1/2010 8:26,2.55,17850.0,United Kingdom',
      '536365,B,RED MUG,2,12/1/2010 8:26,3.39,17850.0,United Kingdom',
      '536366,A,WHITE MUG,1,12/13/2010 9:02,2.55,13047.0,France',
      '536367,C,"LAMP, 40 W",1,12/14/2010 10:15,7.95,,EIRE',
      '536368,A,WHITE MUG,3,1/15/2011 11:00,2.55,13047.0,France',
      '536369,B,RED MUG,1,2/30/2011 12:00,3.39,17850.0,United Kingdom',
      'C536370,A,WHITE MUG,-1,1/7/2011 13:00,2.55,17850.0,United Kingdom',
      '536371,C,"LAMP, 40 W",2,1/18/2011 14:00,7.95,13047.0,France',
      '536372,A,WHITE MUG,1,3/2/2011 15:30,2.55,,Germany',
      '536373,B,RED MUG,4,4/21/2011 16:45,3.39,12583.0,Germany',
      '536374,A,WHITE MUG,1,13/5/2011 09:00,2.55,12583.0,Germany',
      '536375,C,"LAMP, 40 W",1,5/2/2011 10:00,7.95,12583.0,Germany',
    ];
    const passes = await importBoth(`${[header, ...rows].join('\n')}\n`, 6, true);
    expect(passes).toBe(1);
    expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
    const [load] = await sampled.engine.query<{ reason: string; loaded: number; rejected: number }>(
      `SELECT json_extract_string(mapping, '$.reasons.InvoiceDate') AS reason, loaded, rejected FROM loads WHERE target = 'order_lines'`,
    );
    expect(load?.reason).toContain('%m/%d/%Y %H:%M');
    expect(load?.reason).toContain('in the first 6 records; every value is checked as it loads');
    expect(load).toMatchObject({ loaded: 10, rejected: 2 });
  });

  it('profiles every record when the rest of the file would choose another day/month order', async () => {
    // The first records fit only month-first; the many later ones only day-first.
    const first = ['O1,c1,1/13/2024,web,SKU1,1,10.50,0', 'O2,c2,1/14/2024,web,SKU1,1,10.50,0'];
    const later = ['O3,c3,13/1/2024,web,SKU1,1,10.50,0', 'O4,c1,14/1/2024,web,SKU1,1,10.50,0'];
    const later2 = ['O5,c2,15/1/2024,web,SKU1,1,10.50,0', 'O6,c3,16/2/2024,web,SKU1,1,10.50,0'];
    const passes = await importBoth(`${[HEADER, ...first, ...later, ...later2].join('\n')}\n`, 2);
    expect(passes).toBe(2);
    expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
    const [load] = await sampled.engine.query<{ reason: string }>(
      `SELECT json_extract_string(mapping, '$.reasons.order_date') AS reason FROM loads WHERE target = 'order_lines'`,
    );
    expect(load?.reason).toContain('%d/%m/%Y');
  });

  it('profiles every record when later dates carry a time of day the sample did not', async () => {
    const rows = [
      'O1,c1,13/1/2024,web,SKU1,1,10.50,0',
      'O2,c2,14/1/2024,web,SKU1,1,10.50,0',
      'O3,c3,15/1/2024 10:00,web,SKU1,1,10.50,0',
      'O4,c1,16/1/2024 11:00,web,SKU1,1,10.50,0',
      'O5,c2,17/1/2024 12:00,web,SKU1,1,10.50,0',
    ];
    const passes = await importBoth(`${[HEADER, ...rows].join('\n')}\n`, 2);
    expect(passes).toBe(2);
    expect(await contents(sampled.engine)).toEqual(await contents(full.engine));
  });
});
