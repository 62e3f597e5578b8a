import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMySqlDatabase,
  createPostgresDatabase,
  execMySql,
  execPostgres,
} from '../../../test/support/databases.js';
import { InputError } from '../../errors.js';
import { DuckDbEngine } from '../duckdb-engine.js';
import { sql } from '../sql/sql.js';
import { writeBack } from './write-back.js';

let engine: DuckDbEngine;
const urls = { postgres: '', mysql: '' };

beforeAll(async () => {
  urls.postgres = await createPostgresDatabase('writeback');
  urls.mysql = await createMySqlDatabase('writeback');
  await execPostgres(urls.postgres, ['CREATE SCHEMA analytics']);
  engine = await DuckDbEngine.open();
  await engine.exec(`
    CREATE TABLE scores AS SELECT * FROM (VALUES
      ('c1', 1, 9007199254740993::BIGINT, 0.125::DOUBLE, 12.34::DECIMAL(12,2), DATE '2024-02-29',
       TIMESTAMP '2024-03-01 09:30:00.25', TIMESTAMPTZ '2024-03-01 09:30:00+02', 'Zoë "Z" O''Brien', true,
       ['a', 'b']),
      ('c2', 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL)
    ) AS t(customer_id, segment, big, score, amount, since, seen, seen_tz, note, active, tags)`);
  await engine.exec(
    `CREATE TABLE many AS SELECT 'c' || i AS customer_id, i * 0.5 AS score FROM range(2500) r(i)`,
  );
});

afterAll(async () => {
  await engine?.close();
});

type Kind = 'postgres' | 'mysql';

/** Reads a target table back as text values, ordered by its first column. */
async function readBack(kind: Kind, table: string): Promise<Record<string, string | null>[]> {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: urls.postgres });
    await client.connect();
    try {
      const cols = await client.query(
        `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [table],
      );
      const list = cols.rows.map((r) => `"${r.attname}"::text AS "${r.attname}"`).join(', ');
      return (await client.query(`SELECT ${list} FROM ${table} ORDER BY 1`)).rows;
    } finally {
      await client.end();
    }
  }
  const conn = await mysql.createConnection({
    uri: urls.mysql,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    const [cols] = await conn.query(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
      [table],
    );
    const list = (cols as { c: string }[]).map((r) => `CAST(\`${r.c}\` AS CHAR) AS \`${r.c}\``).join(', ');
    const [rows] = await conn.query(`SELECT ${list} FROM \`${table}\` ORDER BY 1`);
    return rows as Record<string, string | null>[];
  } finally {
    await conn.end();
  }
}

describe.each(['postgres', 'mysql'] as const)('writeBack to %s', (kind) => {
  const table = kind === 'postgres' ? 'analytics.scores' : 'scores';
  const target = () => ({ engine: kind, connection: { url: urls[kind] } });

  it('creates the table from the query types and writes every value exactly', async () => {
    const result = await writeBack(engine, 'SELECT * FROM scores', {
      ...target(),
      table,
      key: ['customer_id'],
    });
    expect(result).toMatchObject({ table, mode: 'replace', rows: 2, created: true });
    expect(result.columns.map((c) => c.type)).toEqual(
      kind === 'postgres'
        ? [
            'text',
            'integer',
            'bigint',
            'double precision',
            'numeric(12,2)',
            'date',
            'timestamp',
            'timestamptz',
            'text',
            'boolean',
            'jsonb',
          ]
        : [
            'VARCHAR(255)',
            'INT',
            'BIGINT',
            'DOUBLE',
            'DECIMAL(12,2)',
            'DATE',
            'DATETIME(6)',
            'DATETIME(6)',
            'TEXT',
            'BOOLEAN',
            'JSON',
          ],
    );
    const rows = await readBack(kind, table);
    expect(rows[0]).toEqual({
      customer_id: 'c1',
      segment: '1',
      big: '9007199254740993',
      score: '0.125',
      amount: '12.34',
      since: '2024-02-29',
      seen: kind === 'postgres' ? '2024-03-01 09:30:00.25' : '2024-03-01 09:30:00.250000',
      // Instants are written in UTC.
      seen_tz: kind === 'postgres' ? '2024-03-01 07:30:00+00' : '2024-03-01 07:30:00.000000',
      note: 'Zoë "Z" O\'Brien',
      active: kind === 'postgres' ? 'true' : '1',
      // jsonb prints its own canonical form; MariaDB keeps the JSON text as written.
      tags: kind === 'postgres' ? '["a", "b"]' : '["a","b"]',
    });
    expect(rows[1]).toMatchObject({
      customer_id: 'c2',
      big: null,
      since: null,
      tags: null,
      active: kind === 'postgres' ? 'false' : '0',
    });
  });

  it('replaces the rows on a second run and upserts by key', async () => {
    await writeBack(engine, sql`SELECT customer_id, score FROM many WHERE customer_id IN ('c1', 'c2')`, {
      ...target(),
      table: 'upserted',
      key: ['customer_id'],
    });
    const replaced = await writeBack(engine, `SELECT customer_id, score FROM many WHERE customer_id = 'c3'`, {
      ...target(),
      table: 'upserted',
    });
    expect(replaced.created).toBe(false);
    expect(await readBack(kind, 'upserted')).toEqual([{ customer_id: 'c3', score: '1.5' }]);
    await writeBack(
      engine,
      sql`SELECT customer_id, score * ${10} AS score FROM many WHERE customer_id IN ('c3', 'c4')`,
      { ...target(), table: 'upserted', mode: 'upsert', key: ['customer_id'] },
    );
    await writeBack(engine, `SELECT 'c0' AS customer_id, 0.0::DOUBLE AS score`, {
      ...target(),
      table: 'upserted',
      mode: 'append',
    });
    expect(await readBack(kind, 'upserted')).toEqual([
      // The column was created from DuckDB's DECIMAL(…,1).
      { customer_id: 'c0', score: '0.0' },
      { customer_id: 'c3', score: '15.0' },
      { customer_id: 'c4', score: '20.0' },
    ]);
  });

  it('writes in batches and reports progress', async () => {
    const progress: number[] = [];
    const result = await writeBack(engine, 'SELECT * FROM many', {
      ...target(),
      table: 'batched',
      batchRows: 1000,
      onProgress: (n) => progress.push(n),
    });
    expect(result.rows).toBe(2500);
    expect(progress).toEqual([1000, 2000, 2500]);
    const rows = await readBack(kind, 'batched');
    expect(rows).toHaveLength(2500);
    expect(rows.reduce((s, r) => s + Number(r.score), 0)).toBe(0.5 * ((2499 * 2500) / 2));
  });

  it('leaves the target exactly as it was when a batch fails half-way', async () => {
    const guarded = 'guarded';
    const ddl = `CREATE TABLE ${guarded} (customer_id VARCHAR(20) PRIMARY KEY, score DOUBLE PRECISION NOT NULL CHECK (score < 1000))`;
    if (kind === 'postgres')
      await execPostgres(urls.postgres, [ddl, `INSERT INTO ${guarded} VALUES ('old', 1)`]);
    else await execMySql(urls.mysql, [ddl, `INSERT INTO ${guarded} VALUES ('old', 1)`]);
    // Rows 0–1999 pass; row 2000 has score 1000 and breaks the CHECK in the third batch.
    const attempt = writeBack(engine, 'SELECT * FROM many', { ...target(), table: guarded, batchRows: 1000 });
    await expect(attempt).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    await expect(attempt).rejects.toThrow(/writing to table "guarded"/);
    expect(await readBack(kind, guarded)).toEqual([{ customer_id: 'old', score: '1' }]);
  });

  it('refuses an upsert without a key, and a key the query does not have', async () => {
    await expect(
      writeBack(engine, 'SELECT * FROM many', { ...target(), table: 'x', mode: 'upsert' }),
    ).rejects.toThrow(InputError);
    await expect(
      writeBack(engine, 'SELECT score FROM many', { ...target(), table: 'x', key: ['customer_id'] }),
    ).rejects.toThrow(/expected the key column\(s\) "customer_id" in the query result, found only "score"/);
  });
});
