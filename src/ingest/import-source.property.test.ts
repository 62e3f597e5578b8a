import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { importSource } from './import-source.js';
import { tempDatamart } from './load/test-support.js';

/**
 * Full cycle on arbitrary input: whatever bytes a file holds, `import` ends in a load whose counts
 * reconcile (read = loaded + rejected + duplicates, every reject kept) or in a clear user error —
 * never a crash, never a lost row.
 */

let db: Awaited<ReturnType<typeof tempDatamart>>;
let n = 0;
let loads = 0;
beforeAll(async () => {
  db = await tempDatamart();
});
afterAll(async () => {
  await db.dispose();
});

async function check(bytes: Uint8Array | string): Promise<void> {
  n += 1;
  const path = joinPath(db.dir, `input-${n}.csv`);
  writeFileSync(path, bytes);
  let result: Awaited<ReturnType<typeof importSource>>;
  try {
    result = await importSource(db.engine, { path, target: 'customers' });
  } catch (error) {
    // A clear error: a user error with a message, never an internal failure.
    if (!isUserError(error)) throw error;
    expect((error as Error).message.length).toBeGreaterThan(10);
    return;
  }
  if (result.dryRun) throw new Error('unexpected dry run');
  loads += 1;
  expect(result.read).toBe(result.loaded + result.rejected + result.duplicates);
  expect(result.loaded).toBe(result.inserted + result.updated + result.unchanged);
  const [kept] = await db.engine.query(
    `SELECT count(*) FILTER (WHERE kind = 'rejected') AS rejected, count(*) FILTER (WHERE kind = 'duplicate') AS duplicates
     FROM rejects WHERE load_id = ${result.loadId}`,
  );
  expect(kept).toEqual({ rejected: result.rejected, duplicates: result.duplicates });
}

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    ',',
    ';',
    '\n',
    '\r\n',
    'a@b.co',
    'A@B.CO',
    'f',
    'vrouw',
    'NL',
    '1990-01-01',
    '31/12/1990',
    'x',
  ),
);
const row = fc.array(cell, { minLength: 0, maxLength: 6 });

describe('import: arbitrary input (property)', () => {
  it('arbitrary bytes end in a reconciled load or a clear error', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), check), { numRuns: 25, seed: 42 });
  });

  it('a customers header with arbitrary rows ends in a reconciled load or a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), fc.constantFrom(',', ';'), async (rows, d) => {
        const text = [
          ['customer_id', 'email', 'gender', 'country', 'birth_date'].join(d),
          ...rows.map((r) => r.join(d)),
        ].join('\n');
        await check(text);
      }),
      { numRuns: 30, seed: 7 },
    );
    // The property ran through real loads, not only through errors.
    expect(loads).toBeGreaterThan(10);
  });
});
