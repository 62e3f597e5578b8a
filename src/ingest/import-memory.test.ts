import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importMemoryLimit, importSource } from './import-source.js';
import { tempDatamart } from './load/test-support.js';

let db: Awaited<ReturnType<typeof tempDatamart>>;
beforeEach(async () => {
  db = await tempDatamart();
});
afterEach(async () => {
  await db.dispose();
});

const setting = async () =>
  (await db.engine.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]?.v;

describe('the import memory limit', () => {
  it('is a quarter of the machine, at most 1,200 MB and at least 256 MB', () => {
    expect(importMemoryLimit(24e9)).toBe('1200MB');
    expect(importMemoryLimit(4e9)).toBe('1000MB');
    expect(importMemoryLimit(5e8)).toBe('256MB');
  });

  it('holds while the import runs and the engine’s own setting comes back afterwards', async () => {
    const file = join(db.dir, 'customers.csv');
    writeFileSync(file, 'customer_id,email\nc1,a@example.com\nc2,b@example.com\n');
    for (const custom of [null, '3GB']) {
      if (custom) await db.engine.exec(`SET memory_limit = '${custom}'`);
      const before = await setting();
      const seen: (string | undefined)[] = [];
      const result = await importSource(
        db.engine,
        { path: file, target: 'customers' },
        {
          memoryLimit: '300MB',
          afterStep: async (step) => {
            if (step === 'start') seen.push(await setting());
          },
        },
      );
      expect(result).toMatchObject({ read: 2 });
      expect(seen).toEqual(['286.1 MiB']);
      // A default limit comes back exactly; one the caller set, as DuckDB shows it (one decimal).
      if (custom === null) expect(await setting()).toBe(before);
      else expect(Number.parseFloat((await setting()) ?? '')).toBeCloseTo(Number.parseFloat(before ?? ''), 0);
    }
  });
});
