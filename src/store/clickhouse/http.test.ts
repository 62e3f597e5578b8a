/**
 * What the HTTP transport sends a ClickHouse server: the real `@clickhouse/client` against a local endpoint
 * that records each request and answers in ClickHouse's JSONCompact shape (no ClickHouse server runs on these
 * machines; `test/clickhouse-server.test.ts` runs the same engine against a real one when CLICKHOUSE_URL is set).
 * Checks that the output settings are explicit: 64-bit integers quoted and returned exactly, queries
 * read-only, the console strictly so with its limits, and requests timed out.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../sql/sql.js';
import { ClickHouseEngine } from './engine.js';
import { HttpTransport, parseClickHouseUrl } from './http.js';
import { ClickHouseSandbox } from './sandbox.js';

interface Seen {
  params: URLSearchParams;
  body: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];
/** The next answer's delay (ms) and body. */
let delayMs = 0;
let answer = JSON.stringify({
  meta: [
    { name: 'big', type: 'Int64' },
    { name: 'small', type: 'UInt64' },
    { name: 'neg', type: 'Nullable(Int64)' },
  ],
  data: [['9007199254740993', '5', '-3']],
});

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({ params: new URL(req.url ?? '/', 'http://x').searchParams, body });
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `clickhouse://clientele:secret@127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/shop`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the ClickHouse HTTP transport', () => {
  it('sends the session settings with every request, queries read-only, and keeps 64-bit integers exact', async () => {
    const engine = new ClickHouseEngine(new HttpTransport(parseClickHouseUrl(url)));
    seen.length = 0;
    const rows = await engine.query(sql`SELECT big, small, neg FROM t WHERE id = ${7}`);
    // 2^53 + 1 cannot be a JS number: it stays an exact string; small ones become numbers.
    expect(rows).toEqual([{ big: '9007199254740993', small: 5, neg: -3 }]);
    const q = seen[0]!.params;
    expect(q.get('database')).toBe('shop');
    expect(q.get('output_format_json_quote_64bit_integers')).toBe('1');
    expect(q.get('session_timezone')).toBe('UTC');
    expect(q.get('join_use_nulls')).toBe('1');
    expect(q.get('group_by_use_nulls')).toBe('1');
    expect(q.get('readonly')).toBe('2');
    expect(q.get('session_id')).toMatch(/^clientele-/);
    expect(q.get('param_p0')).toBe('7');
    expect(seen[0]!.body).toContain('{p0:Int64}');
    // A statement is not read-only, and belongs to the same session (temporary tables live on).
    answer = '';
    await engine.exec(sql`INSERT INTO t VALUES (${1})`);
    expect(seen[1]!.params.get('readonly')).toBeNull();
    expect(seen[1]!.params.get('session_id')).toBe(q.get('session_id'));
    await engine.close();
  });

  it('refuses statements on a read-only connection without sending them', async () => {
    const engine = new ClickHouseEngine(new HttpTransport({ ...parseClickHouseUrl(url), readOnly: true }));
    seen.length = 0;
    await expect(engine.exec('DROP TABLE t')).rejects.toThrow(/read-only/);
    expect(seen).toHaveLength(0);
    await engine.close();
  });

  it('runs the SQL console with readonly = 1 and its time and memory limits', async () => {
    answer = JSON.stringify({ meta: [{ name: 'n', type: 'UInt64' }], data: [['3']] });
    const parsed = parseClickHouseUrl(url);
    const sandbox = await ClickHouseSandbox.open(
      { kind: 'clickhouse', options: parsed },
      { timeoutMs: 5000 },
    );
    seen.length = 0;
    expect((await sandbox.query('SELECT count(*) AS n FROM orders')).rows).toEqual([{ n: 3 }]);
    const q = seen[0]!.params;
    expect(q.get('readonly')).toBe('1');
    expect(q.get('max_execution_time')).toBe('5');
    expect(Number(q.get('max_memory_usage'))).toBe(1024 ** 3);
    await sandbox.close();
  });

  it('stops a request that runs past the timeout (?timeout_ms=)', async () => {
    answer = JSON.stringify({ meta: [], data: [] });
    delayMs = 3000;
    const engine = new ClickHouseEngine(new HttpTransport(parseClickHouseUrl(`${url}?timeout_ms=300`)));
    try {
      await expect(engine.query('SELECT sleep(3)')).rejects.toThrow(/timeout/i);
    } finally {
      delayMs = 0;
      await engine.close();
    }
  });
});
