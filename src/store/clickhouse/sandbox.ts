import { InputError, QueryError } from '../../errors.js';
import { hintFor } from '../query-hints.js';
import type { SandboxOptions, SandboxQueryOptions, SandboxResult } from '../sandbox.js';
import { SANDBOX_DEFAULTS } from '../sandbox.js';
import { ChdbTransport } from './chdb.js';
import { type ClickHouseHttpOptions, HttpTransport } from './http.js';
import type { ClickHouseTransport } from './transport.js';
import { toPlainValue } from './values.js';

/**
 * The SQL console's sandbox on ClickHouse: user-written SQL runs on a connection of its own with
 * `readonly = 1`, which ClickHouse enforces itself:
 * - no INSERT, ALTER, CREATE, DROP, not even a temporary table;
 * - no setting can be changed, neither by `SET` nor by a query's `SETTINGS` clause (so the time and memory
 *   limits below hold);
 * - no table function that reaches outside the database: `file`, `url`, `s3`, `remote`, `mysql`,
 *   `postgresql`, `executable`, `hdfs`, `azureBlobStorage`, `iceberg` … all fail with "readonly mode".
 *
 * Four things `readonly = 1` lets through are refused before the query reaches the engine (checked on
 * chdb 3.4 / ClickHouse 26.7; tokens are read with quotes and comments skipped):
 * - the scalar function `file('/path')`, which reads any local file on chdb;
 * - `INTO OUTFILE`, which writes a local file on chdb;
 * - a `SETTINGS name = value` clause: in a subquery ClickHouse applies it without checking `readonly`, so
 *   `SELECT * FROM (SELECT … FROM url(…) SETTINGS readonly = 0)` would reach the network;
 * - more than one statement (chdb runs them all).
 *
 * chdb opens a second session on the datamart's folder in this process (its settings apart from the
 * engine's); a server gets its own HTTP connection whose every query carries the read-only settings.
 */
export class ClickHouseSandbox {
  private constructor(
    private readonly transport: ClickHouseTransport,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Opens the console on `chdb:DIR` or a server. The time limit is fixed here (ClickHouse's
   * `max_execution_time`, which a read-only session cannot change afterwards).
   */
  static async open(
    location: { kind: 'chdb'; dir: string } | { kind: 'clickhouse'; options: ClickHouseHttpOptions },
    options: SandboxOptions & { timeoutMs?: number } = {},
  ): Promise<ClickHouseSandbox> {
    const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
    const limits = sandboxSettings(options, timeoutMs);
    const transport =
      location.kind === 'chdb'
        ? await ChdbTransport.open(location.dir, { strict: true, settings: limits })
        : new HttpTransport({ ...location.options, readOnly: true, strict: limits });
    return new ClickHouseSandbox(transport, timeoutMs);
  }

  /**
   * Runs one read-only statement. A SELECT (or WITH … SELECT) is wrapped as `SELECT * FROM (…) LIMIT
   * maxRows + 1` so the engine stops early; SHOW, DESCRIBE, EXPLAIN and EXISTS are read up to the same limit.
   */
  async query(text: string, options: SandboxQueryOptions = {}): Promise<SandboxResult> {
    const maxRows = options.maxRows ?? SANDBOX_DEFAULTS.maxRows;
    const statement = text.trim().replace(/;+\s*$/, '');
    const tokens = tokenize(statement);
    refuseUnsandboxable(tokens);
    const first = tokens.find((t) => t.kind === 'word')?.text.toUpperCase();
    const runText =
      first === 'SELECT' || first === 'WITH'
        ? `SELECT * FROM (\n${statement}\n) AS console_query LIMIT ${maxRows + 1}`
        : statement;
    let result: Awaited<ReturnType<ClickHouseTransport['query']>>;
    try {
      result = await this.transport.query(runText, {});
    } catch (cause) {
      throw consoleError(cause as Error, statement, this.timeoutMs);
    }
    const columns = result.meta.map((m) => m.name);
    const rows = result.data.slice(0, maxRows).map((row) => {
      const out: Record<string, unknown> = {};
      result.meta.forEach((m, i) => {
        out[m.name] = toPlainValue(row[i], m.type);
      });
      return out;
    });
    return { columns, rows, truncated: result.data.length > maxRows };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

/** The limits the console's connection runs with, set before `readonly = 1` locks them. */
export function sandboxSettings(options: SandboxOptions, timeoutMs: number): Record<string, string | number> {
  return {
    max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)),
    max_memory_usage: bytes(options.memoryLimit ?? '1GB'),
    ...(options.threads ? { max_threads: options.threads } : {}),
  };
}

function bytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) return 1024 ** 3;
  const power = { '': 0, K: 1, M: 2, G: 3, T: 4 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * 1024 ** power);
}

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'punct';
  text: string;
}

/**
 * ClickHouse SQL as tokens, with string literals (quotes doubled or backslash-escaped, heredocs `$x$…$x$`) and
 * comments (`--`, `#`, nested `/* … *\/`) set apart, so that a word inside a string or comment never counts.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && text[i + 1] === '-') i = lineEnd(i);
    else if (c === '#') i = lineEnd(i);
    else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let value = '';
      while (j < n) {
        const d = text[j]!;
        if (d === '\\' && j + 1 < n) {
          value += text[j + 1];
          j += 2;
        } else if (d === c && text[j + 1] === c) {
          value += c;
          j += 2;
        } else if (d === c) break;
        else {
          value += d;
          j++;
        }
      }
      out.push({ kind: c === "'" ? 'string' : 'quoted', text: value });
      i = j + 1;
    } else if (c === '$' && /^\$[A-Za-z0-9_]*\$/.test(text.slice(i))) {
      const tag = /^\$[A-Za-z0-9_]*\$/.exec(text.slice(i))![0];
      const close = text.indexOf(tag, i + tag.length);
      out.push({ kind: 'string', text: text.slice(i + tag.length, close < 0 ? n : close) });
      i = close < 0 ? n : close + tag.length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;

  function lineEnd(from: number): number {
    const end = text.indexOf('\n', from);
    return end < 0 ? n : end + 1;
  }
}

/** Refuses what `readonly = 1` does not stop (see the class comment), with a plain message. */
function refuseUnsandboxable(tokens: readonly Token[]): void {
  const refuse = (what: string) => {
    throw new InputError(
      `SQL console: ${what}. The console is read-only and sandboxed: it cannot read or write files, reach other servers or change settings. Use \`clientele import\` to load files.`,
      {},
      { code: 'SANDBOX_DENIED' },
    );
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    const name = t.kind === 'word' || t.kind === 'quoted' ? t.text.toLowerCase() : '';
    if (name === 'outfile') refuse('INTO OUTFILE writes a file');
    if (name === 'file' && next?.kind === 'punct' && next.text === '(') refuse('file() reads a local file');
    // `SETTINGS name = value` (a SETTINGS clause, not a table named settings): ClickHouse applies a
    // subquery's SETTINGS without checking readonly, so `(SELECT … SETTINGS readonly = 0)` would lift it.
    const after = tokens[k + 2];
    if (
      t.kind === 'word' &&
      name === 'settings' &&
      (next?.kind === 'word' || next?.kind === 'quoted') &&
      after?.kind === 'punct' &&
      after.text === '='
    )
      refuse('a SETTINGS clause changes settings');
  }
  const statements = tokens.filter((t) => t.kind === 'punct' && t.text === ';').length + 1;
  if (statements > 1)
    throw new InputError(
      `SQL console: expected one statement, got ${statements}. Send them one at a time.`,
      { statements },
      { code: 'INVALID_ARGUMENT' },
    );
}

function consoleError(cause: Error, text: string, timeoutMs: number): Error {
  const message = cause.message;
  if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(message)) {
    return new InputError(
      `SQL console: the query ran longer than ${timeoutMs} ms and was stopped. Narrow it (a WHERE, fewer joins) or raise --timeout.`,
      { timeoutMs },
      { code: 'QUERY_TIMEOUT', cause },
    );
  }
  if (/READONLY|readonly mode/i.test(message)) {
    return new InputError(
      `SQL console: ${message.split('\n')[0]}. The console is read-only and sandboxed: it cannot write, create tables, read files, reach other servers or change settings. Use \`clientele import\` to load files.`,
      {},
      { code: 'SANDBOX_DENIED', cause },
    );
  }
  if (/MEMORY_LIMIT_EXCEEDED/i.test(message)) {
    return new QueryError(`SQL console: ${message.split('\n')[0]}`, text, [], { cause });
  }
  const hint = hintFor(message);
  return new InputError(
    `SQL console: ${message}${hint ? ` (${hint})` : ''}`,
    { sql: text },
    { code: 'QUERY_FAILED', cause },
  );
}
