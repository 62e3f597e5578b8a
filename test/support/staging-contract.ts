import { expect, it } from 'vitest';
import { ConnectorError, InputError } from '../../src/errors.js';
import type { StagedSource } from '../../src/ingest/types.js';
import type { DuckDbEngine } from '../../src/store/index.js';
import { freePort } from './servers.js';

interface StageOptions {
  url: string;
  table?: string;
  query?: string;
  params?: readonly unknown[];
  batchRows?: number;
  onProgress?: (rowsStaged: number) => void;
}

/**
 * What every database connector's staging must do, whatever the server: the same behaviours asserted
 * against PostgreSQL and MariaDB. Each connector's own test file sets up the server's tables (a table
 * `many` with 5,000 rows `n`, `label`; an empty table `keep_me (x)`; the odd-named one-row table) and adds
 * the type-specific tests; this registers the shared `it`s inside the caller's `describe`.
 */
export interface StagingContract {
  /** The product name as the error messages say it: `PostgreSQL`, `MySQL`. */
  product: string;
  /** URL scheme: `postgres`, `mysql`. */
  scheme: string;
  /** The account the test URL logs in with. */
  user: string;
  stage(engine: DuckDbEngine, options: StageOptions): Promise<StagedSource>;
  engine(): DuckDbEngine;
  url(): string;
  /** A table name with quotes and spaces, holding one row. */
  oddTable: string;
  /** A missing table and the server error detail the connector reports for it. */
  missingTable: string;
  missingDetails: Record<string, unknown>;
  /** A query with two bound parameters over `many`, and the staged rows it must give. */
  paramQuery: { query: string; params: readonly unknown[]; rows: Record<string, unknown>[] };
  /** A statement that writes to `many`. */
  writeQuery: string;
}

export function stagingContractTests(c: StagingContract): void {
  it('quotes table names safely: odd characters work, injected SQL is just an unknown name', async () => {
    const staged = await c.stage(c.engine(), { url: c.url(), table: c.oddTable });
    expect(staged.rowsRead).toBe(1);
    await staged.cleanup();
    const attempt = c.stage(c.engine(), { url: c.url(), table: 'keep_me; DROP TABLE keep_me' });
    await expect(attempt).rejects.toThrow(/table "keep_me; DROP TABLE keep_me" was not found/);
    const again = await c.stage(c.engine(), { url: c.url(), table: 'keep_me' });
    expect(again.rowsRead).toBe(0);
    expect(again.columns.map((col) => col.name)).toEqual(['x']);
    await again.cleanup();
  });

  it('streams a large result in batches with consecutive line numbers', async () => {
    const progress: number[] = [];
    const staged = await c.stage(c.engine(), {
      url: c.url(),
      table: 'many',
      batchRows: 1000,
      onProgress: (n) => progress.push(n),
    });
    try {
      expect(staged.rowsRead).toBe(5000);
      expect(progress).toEqual([1000, 2000, 3000, 4000, 5000]);
      const [check] = await c.engine().query(
        `SELECT count(*) AS n, min(_line) AS lo, max(_line) AS hi, count(DISTINCT _line) AS d,
                  sum(CAST(c1 AS BIGINT)) AS total FROM ${staged.table}`,
      );
      expect(check).toEqual({ n: 5000, lo: 1, hi: 5000, d: 5000, total: 12_502_500 });
    } finally {
      await staged.cleanup();
    }
  });

  it('runs a query with bound parameters', async () => {
    const { query, params, rows } = c.paramQuery;
    const staged = await c.stage(c.engine(), { url: c.url(), query, params });
    try {
      expect(staged.source).toBe(`${c.scheme}:query`);
      const columns = Object.keys(rows[0]!).join(', ');
      expect(await c.engine().query(`SELECT ${columns} FROM ${staged.table} ORDER BY _line`)).toEqual(rows);
    } finally {
      await staged.cleanup();
    }
  });

  it('runs a query read-only: a statement that writes fails and changes nothing', async () => {
    const attempt = c.stage(c.engine(), { url: c.url(), query: c.writeQuery });
    await expect(attempt).rejects.toThrow(ConnectorError);
    await expect(attempt).rejects.toThrow(/READ ONLY transaction/);
    const staged = await c.stage(c.engine(), { url: c.url(), query: 'SELECT count(*) AS n FROM many' });
    expect(await c.engine().query(`SELECT c1 FROM ${staged.table}`)).toEqual([{ c1: '5000' }]);
    await staged.cleanup();
  });

  it('drops its temporary table on cleanup', async () => {
    const staged = await c.stage(c.engine(), { url: c.url(), table: 'keep_me' });
    await staged.cleanup();
    const rows = await c
      .engine()
      .query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${staged.table}'`);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('explains an unreachable server, a refused login and a missing table', async () => {
    const port = await freePort();
    const where = `${c.scheme}://u@127.0.0.1:${port}/x`;
    const refused = c.stage(c.engine(), { url: `${c.scheme}://u:secret@127.0.0.1:${port}/x`, table: 't' });
    await expect(refused).rejects.toThrow(ConnectorError);
    await expect(refused).rejects.toThrow(
      new RegExp(`${c.product} ${where}, connecting: connection refused`),
    );
    await expect(refused).rejects.not.toThrow(/secret/);

    const wrong = new URL(c.url());
    wrong.password = 'not-the-password';
    await expect(c.stage(c.engine(), { url: wrong.toString(), table: 'many' })).rejects.toThrow(
      new RegExp(`authentication failed for user "${c.user}"\\. Check the user name and password`),
    );

    const missing = c.stage(c.engine(), { url: c.url(), table: c.missingTable });
    await expect(missing).rejects.toThrow(
      new RegExp(`reading table "${c.missingTable}": table "${c.missingTable}" was not found`),
    );
    await expect(missing).rejects.toMatchObject({ code: 'CONNECTION_FAILED', details: c.missingDetails });
  });

  it('refuses to guess when given neither or both of table and query', async () => {
    await expect(c.stage(c.engine(), { url: c.url() })).rejects.toThrow(InputError);
    await expect(c.stage(c.engine(), { url: c.url(), table: 'a', query: 'SELECT 1' })).rejects.toThrow(
      /exactly one of a table \(--table\) or a query \(--query\), got both/,
    );
  });
}
