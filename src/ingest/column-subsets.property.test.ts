import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { CANONICAL_TABLES } from '../store/index.js';
import { importSource } from './import-source.js';
import { TARGETS } from './load/fields.js';
import { tempDatamart } from './load/test-support.js';

/**
 * Issue 12: any subset of a table's fields (only the keys, one column, anything) loads or gives a clear
 * user error, for every target table: never an engine crash such as `Parser Error … WHEN THEN 'update'`.
 */

let db: Awaited<ReturnType<typeof tempDatamart>>;
let n = 0;
beforeAll(async () => {
  db = await tempDatamart();
});
afterAll(async () => {
  await db.dispose();
});

/** A plausible value for a field type (and a few implausible ones). */
function value(type: string, k: number): string {
  switch (type) {
    case 'integer':
    case 'number':
      return ['1', '2.5', '0', 'n/a', '7'][k % 5]!;
    case 'date':
      return ['2024-01-05', '2023-12-31', 'bad', '2024-02-01'][k % 4]!;
    case 'timestamp':
      return ['2024-01-05 10:00:00', '2023-12-31T08:00:00Z', '2024-02-01'][k % 3]!;
    case 'boolean':
      return ['yes', 'no', 'ja'][k % 3]!;
    case 'list':
      return ['a|b', 'c'][k % 2]!;
    default:
      return [`v${k % 3}`, 'email', 'NL', 'f', 'open'][k % 5]!;
  }
}

describe('column subsets (property)', () => {
  it('loads or fails with a user error for any subset of any table’s fields', async () => {
    const table = fc.constantFrom(...CANONICAL_TABLES);
    const input = table.chain((t) =>
      fc.record({
        table: fc.constant(t),
        // Only the keys, one field, or any subset.
        fields: fc.oneof<fc.Arbitrary<string[]>[]>(
          fc.constant([...new Set(TARGETS[t].keys.map((k) => (k === 'line_no' ? 'order_id' : k)))]),
          fc.constantFrom(...TARGETS[t].fields.map((f) => [f.field])),
          fc.subarray(
            TARGETS[t].fields.map((f) => f.field),
            { minLength: 1 },
          ),
        ),
        rows: fc.integer({ min: 1, max: 4 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ table, fields, rows }) => {
        n += 1;
        const types = new Map(TARGETS[table].fields.map((f) => [f.field, f.type]));
        const lines = [fields.join(',')];
        for (let r = 0; r < rows; r++)
          lines.push(fields.map((f: string, i: number) => value(types.get(f) ?? 'string', r + i)).join(','));
        const path = joinPath(db.dir, `subset-${n}.csv`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        try {
          const result = await importSource(db.engine, { path, target: table }, { maxRejectRate: 1 });
          if (result.dryRun) throw new Error('dry run');
          expect(result.read).toBe(result.loaded + result.rejected + result.duplicates);
        } catch (error) {
          if (!isUserError(error)) throw error;
          expect((error as Error).message).toMatch(/expected/i);
        }
      }),
      { numRuns: 60, seed: 1212 },
    );
  });
});
