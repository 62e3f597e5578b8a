import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import { ensureSystemTables, openDatamart, openSqlConsole, type SqlConsole } from '../index.js';
import { tokenize } from './sandbox.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: ClickHouse SQL console tests skipped (npm install --no-save chdb@3.4.0)',
  );

describe('tokenize (ClickHouse SQL)', () => {
  it('keeps words inside strings, quoted names and comments apart', () => {
    const words = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.text}`);
    expect(words("SELECT 'a;b\\'file(' -- file(\n, `x` /* outfile /* nested */ */ ; $h$ file( $h$")).toEqual([
      'word:SELECT',
      "string:a;b'file(",
      'punct:,',
      'quoted:x',
      'punct:;',
      'string: file( ',
    ]);
  });
});

describe.skipIf(!chdb)('the SQL console on ClickHouse (chdb) is read-only and sandboxed', () => {
  let dir: string;
  let engine: Engine;
  let console_: SqlConsole;
  const denied = (text: string) =>
    console_.query(text).then(
      () => null,
      (e: { code?: string }) => e.code,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-ch-console-'));
    engine = await openDatamart({ db: `chdb:${join(dir, 'ch')}` });
    await ensureSystemTables(engine);
    await engine.exec(
      `INSERT INTO customers (customer_id, first_name, source, load_id) VALUES ('c1', 'Anna', 't', 1), ('c2', 'Bruno', 't', 1), ('c3', 'Cleo', 't', 1)`,
    );
    // A second session on the same folder while the engine's stays open (as under `clientele serve`).
    console_ = await openSqlConsole(`chdb:${join(dir, 'ch')}`, { timeoutMs: 1000 });
  });
  afterAll(async () => {
    await console_?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a SELECT with the row limit pushed into it, and SHOW/DESCRIBE', async () => {
    const r = await console_.query('SELECT customer_id, first_name FROM customers ORDER BY customer_id', {
      maxRows: 2,
    });
    expect(r).toEqual({
      columns: ['customer_id', 'first_name'],
      rows: [
        { customer_id: 'c1', first_name: 'Anna' },
        { customer_id: 'c2', first_name: 'Bruno' },
      ],
      truncated: true,
    });
    expect((await console_.query('SELECT count(*) AS n FROM customers;')).rows).toEqual([{ n: 3 }]);
    expect((await console_.query("SELECT 'file(' AS x")).rows).toEqual([{ x: 'file(' }]);
    expect((await console_.query('SHOW TABLES')).rows.length).toBeGreaterThan(5);
  });

  it('refuses writes, DDL and setting changes (readonly = 1)', async () => {
    expect(await denied("INSERT INTO customers (customer_id, source, load_id) VALUES ('x', 't', 1)")).toBe(
      'SANDBOX_DENIED',
    );
    expect(await denied('CREATE TABLE x (a Int32) ENGINE = Memory')).toBe('SANDBOX_DENIED');
    expect(await denied('DROP TABLE customers')).toBe('SANDBOX_DENIED');
    expect(await denied('SET max_execution_time = 1000')).toBe('SANDBOX_DENIED');
    expect(await denied('SELECT 1 SETTINGS readonly = 0')).toBe('SANDBOX_DENIED');
    // A subquery's SETTINGS would lift readonly (ClickHouse applies them unchecked): refused as text.
    expect(await denied("SELECT * FROM (SELECT getSetting('readonly') AS r SETTINGS readonly = 0)")).toBe(
      'SANDBOX_DENIED',
    );
    expect(await denied('SELECT * FROM (SELECT 1 SETTINGS `max_execution_time` = 1000)')).toBe(
      'SANDBOX_DENIED',
    );
    // The settings table itself is readable.
    expect((await console_.query("SELECT count(*) AS n FROM settings s WHERE s.key = 'x'")).rows).toEqual([
      { n: 0 },
    ]);
    expect((await engine.query('SELECT count(*) AS n FROM customers'))[0]).toEqual({ n: 3 });
  });

  it('refuses to read files or reach other servers', async () => {
    for (const text of [
      "SELECT * FROM file('/etc/hostname', 'LineAsString')",
      "SELECT * FROM url('http://127.0.0.1:9/x', 'LineAsString')",
      "SELECT * FROM remote('127.0.0.1', system.one)",
      "SELECT * FROM s3('http://127.0.0.1:9/bucket/x.csv', 'LineAsString')",
      "SELECT * FROM executable('ls', 'LineAsString', 'x String')",
      // The scalar file() reads a file even with readonly = 1: refused before it reaches the engine.
      "SELECT file('/etc/hostname')",
      "SELECT `file` /* hidden */ ('/etc/hostname')",
    ])
      expect(await denied(text), text).toBe('SANDBOX_DENIED');
  });

  it('refuses INTO OUTFILE and a second statement (chdb would run them)', async () => {
    const out = join(dir, 'out.csv');
    expect(await denied(`SELECT * FROM customers INTO OUTFILE '${out}'`)).toBe('SANDBOX_DENIED');
    expect(existsSync(out)).toBe(false);
    expect(await denied(`SELECT 1; SELECT * FROM customers INTO OUTFILE '${out}'`)).toBe('SANDBOX_DENIED');
    expect(await denied('SELECT 1; SELECT 2')).toBe('INVALID_ARGUMENT');
    expect(existsSync(out)).toBe(false);
  });

  it('stops a query that runs past the time limit', async () => {
    expect(await denied('SELECT count(*) FROM numbers(100000000000) WHERE sipHash64(number) = 1')).toBe(
      'QUERY_TIMEOUT',
    );
  });
});
