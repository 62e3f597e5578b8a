import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from './duckdb-engine.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import { sql } from './sql/sql.js';

describe('migrate', () => {
  it('leaves a current DuckDB datamart untouched and still repairs an older one', async () => {
    const engine = await DuckDbEngine.open(':memory:');
    try {
      expect(await migrate(engine)).toBe(true);
      // Current: nothing to do, no write transaction (faster start-up for every command).
      expect(await migrate(engine)).toBe(false);
      // A datamart from before a column was added: the column comes back.
      await engine.exec(sql`ALTER TABLE customers DROP COLUMN signup_source`);
      expect(await migrate(engine)).toBe(true);
      const cols = await engine.query<{ c: string }>(
        sql`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'signup_source'`,
      );
      expect(cols).toHaveLength(1);
      expect(await migrate(engine)).toBe(false);
      // Another schema version: migrated (and the version recorded).
      await engine.exec(sql`UPDATE meta SET value = '1' WHERE key = 'schema_version'`);
      expect(await migrate(engine)).toBe(true);
      const [v] = await engine.query<{ value: string }>(
        sql`SELECT value FROM meta WHERE key = 'schema_version'`,
      );
      expect(v?.value).toBe(String(SCHEMA_VERSION));
    } finally {
      await engine.close();
    }
  });
});
