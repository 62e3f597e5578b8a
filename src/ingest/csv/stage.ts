/**
 * CSV/TSV staging: sniff the head in TypeScript, then let DuckDB's `read_csv` copy every record as text
 * into a temporary table with the real 1-based source line number of each record in `_line`.
 *
 * Two paths, chosen so the common case costs little more than a plain `read_csv`:
 * - direct: a UTF-8 file is copied as text by DuckDB's parallel `read_csv` into a temporary table,
 *   while a concurrent pass counts its physical lines. When lines = header + records (no blank line,
 *   no line break inside a quoted field, no broken record), record i sits on line header + i, and the
 *   copy keeps file order (insertion order is preserved), so `_line` is the copy's rowid + header + 1:
 *   a plain column at the scan, which lets every later statement (joins included) run in parallel.
 * - line-numbered copy: otherwise (or for Latin-1, Windows-1252, UTF-16 and whitespace-separated
 *   files) one streaming pass writes a temporary UTF-8 copy with each record prefixed by its start line,
 *   and DuckDB reads that. Broken records land in the structural rejects table with their line.
 */
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, QueryError } from '../../errors.js';
import { type Engine, empty, ident, raw, type SqlFragment, sql } from '../../store/index.js';
import { assertColumnLimit } from '../input-limits.js';
import { cleanupFn, createStructuralRejectsTable, stagingName } from '../staging.js';
import type { StagedColumn, StagedSource } from '../types.js';
import { rewriteWithLineNumbers } from './rewrite.js';
import { type CsvDialect, SNIFF_BYTES, type SniffOptions, sniffCsv } from './sniff.js';

export interface CsvStageOptions extends SniffOptions {
  /** Display name of the source (default: the path). */
  source?: string;
  /**
   * @internal `line-numbered` skips the direct path (tests compare both paths on the same file).
   * Default `auto`: direct when the file allows it.
   */
  readPath?: 'auto' | 'line-numbered';
  /**
   * @internal DuckDB's read buffer (and so its longest line) in bytes on the direct path: tests make it
   * small so that a small file is read by several threads at once.
   */
  bufferBytes?: number;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/**
 * Stages a CSV/TSV file as text in a temporary table of the DuckDB engine.
 *
 * @param engine - the DuckDB engine that will hold the temporary tables (one connection).
 * @param path - the file to read; it is streamed, never read whole into memory.
 * @param options - force the delimiter, quote, escape, header or encoding instead of detecting them.
 * @returns the staged source; `table` is a temporary view or table with `_line` plus one VARCHAR per column.
 * @throws InputError FILE_NOT_FOUND, EMPTY_INPUT, UNKNOWN_FORMAT (binary data).
 * @example
 * ```ts
 * const staged = await stageCsv(engine, 'klanten.csv');
 * // staged.detected → { encoding: 'windows-1252', delimiter: 'semicolon', header: true, … }
 * await staged.cleanup();
 * ```
 */
export async function stageCsv(
  engine: Engine,
  path: string,
  options: CsvStageOptions = {},
): Promise<StagedSource> {
  const where = options.source ?? path;
  const size = await fileSize(path, where);
  const head = await readHead(path, Math.min(size, SNIFF_BYTES));
  const dialect = sniffCsv(head, size <= SNIFF_BYTES, where, options);
  // Before any copy: 1,000 text columns took over 6 GB to stage (issue 19).
  assertColumnLimit(dialect.names.length, where);
  const base = stagingName();
  const columns: StagedColumn[] = dialect.names.map((name, i) => ({ name, staged: `c${i + 1}` }));

  if (
    options.readPath !== 'line-numbered' &&
    (dialect.encoding === 'utf-8' || dialect.encoding === 'utf-8-bom') &&
    dialect.delimiter !== 'whitespace'
  ) {
    const direct = await stageDirect(engine, path, dialect, columns, base, where, options.bufferBytes);
    if (direct) return direct;
  }
  return stageLineNumbered(engine, path, dialect, columns, base, where);
}

async function stageDirect(
  engine: Engine,
  path: string,
  dialect: CsvDialect,
  columns: StagedColumn[],
  base: string,
  where: string,
  bufferBytes: number | undefined,
): Promise<StagedSource | null> {
  const errors = `${base}_errors`;
  const scans = `${base}_scans`;
  const copy = `${base}_text`;
  const read = readCsvSql(
    path,
    dialect.delimiter,
    dialect,
    columns,
    dialect.header,
    { errors, scans },
    false,
    bufferBytes,
  );
  // One parallel pass copies every record as text (DuckDB validates each field as UTF-8 on the way)
  // beside the physical line count. With insertion order kept, the copy's rowids follow the file, so
  // record k (0-based) sits on line header + 1 + k whenever lines = header + records and nothing was
  // rejected; otherwise the copy is dropped and the line-numbered path takes over.
  const [copied, lines] = await Promise.all([
    inInsertionOrder(engine, () =>
      engine.exec(sql`CREATE TEMP TABLE ${ident(copy)} AS SELECT * FROM ${read}`),
    ).then(
      () => true,
      // DuckDB refuses some files outright (mixed line ends); the line-numbered path normalises them.
      (error: unknown) => {
        if (error instanceof QueryError) return false;
        throw error;
      },
    ),
    countLines(path),
  ]);
  const drop = cleanupFn(engine, { tables: [errors, scans, copy] });
  if (!copied) {
    await drop();
    return null;
  }
  const [counts] = await engine.query<{ rows: number; rejected: number }>(
    sql`SELECT (SELECT count(*) FROM ${ident(copy)}) AS rows, (SELECT count(*) FROM ${ident(errors)}) AS rejected`,
  );
  const counted = Number(counts?.rows ?? 0);
  const headerLines = dialect.header ? 1 : 0;
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(errors)}`);
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(scans)}`);
  if (Number(counts?.rejected ?? 0) > 0 || lines !== headerLines + counted) {
    await drop();
    return null;
  }
  const view = base;
  const rejects = `${base}_rejects`;
  // `_line` is computed from the rowid at the scan, so every statement over the view (joins included)
  // runs in parallel and still knows each record's line.
  await engine.exec(
    sql`CREATE TEMP VIEW ${ident(view)} AS SELECT CAST(rowid + ${raw(String(headerLines + 1))} AS BIGINT) AS _line, ${columnList(columns)} FROM ${ident(copy)}`,
  );
  await createStructuralRejectsTable(engine, rejects);
  return {
    table: view,
    columns,
    source: where,
    format: 'csv',
    rowsRead: counted,
    structuralRejectsTable: rejects,
    structuralRejects: 0,
    records: { table: copy, firstLine: headerLines + 1 },
    detected: detectedOf(dialect, 'direct'),
    releaseRows: cleanupFn(engine, { views: [view], tables: [copy] }),
    cleanup: cleanupFn(engine, { views: [view], tables: [copy, rejects] }),
  };
}

/**
 * Runs `fn` with DuckDB's `preserve_insertion_order` on (its default), so that a parallel
 * `CREATE TABLE … AS SELECT … FROM read_csv(…)` stores the records in file order; restores the
 * caller's setting afterwards.
 */
async function inInsertionOrder(engine: Engine, fn: () => Promise<void>): Promise<void> {
  const [row] = await engine.query<{ on: boolean }>(
    `SELECT current_setting('preserve_insertion_order') AS on`,
  );
  if (row?.on === true) return fn();
  await engine.exec('SET preserve_insertion_order = true');
  try {
    await fn();
  } finally {
    await engine.exec('SET preserve_insertion_order = false');
  }
}

async function stageLineNumbered(
  engine: Engine,
  path: string,
  dialect: CsvDialect,
  columns: StagedColumn[],
  base: string,
  where: string,
): Promise<StagedSource> {
  const copy = join(tmpdir(), `clientele-${base}.csv`);
  const table = base;
  const rejects = `${base}_rejects`;
  const errors = `${base}_errors`;
  const scans = `${base}_scans`;
  const cleanup = cleanupFn(engine, { tables: [table, rejects, errors, scans], files: [copy] });
  try {
    let used = dialect;
    let note: string | undefined;
    let written: Awaited<ReturnType<typeof rewriteWithLineNumbers>>;
    try {
      written = await rewriteWithLineNumbers(path, copy, used);
    } catch (error) {
      // The head was valid UTF-8 but a later byte is not: such files are Windows-1252 in practice.
      if (!(error instanceof TypeError) || !used.encoding.startsWith('utf-8')) throw error;
      used = { ...dialect, encoding: 'windows-1252' };
      note = 'not valid UTF-8 after the first bytes: read as Windows-1252';
      written = await rewriteWithLineNumbers(path, copy, used);
    }
    const read = readCsvSql(copy, written.delimiter, used, columns, false, { errors, scans }, true);
    try {
      await engine.exec(sql`CREATE TEMP TABLE ${ident(table)} AS SELECT * FROM ${read}`);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      const reason = (error.cause as Error | undefined)?.message?.split('\n')[0] ?? error.message;
      throw new InputError(
        `${where}: expected a delimited text file (${detectedOf(used, '').delimiter}-separated), but it could not be split into records: ${reason}. Check the file, or pass --delimiter / --quote.`,
        { file: where },
        { cause: error, code: 'PARSE_ERROR' },
      );
    }
    await createStructuralRejectsTable(engine, rejects);
    await engine.exec(sql`INSERT INTO ${ident(rejects)} ${structuralRejectsSql(errors, written.delimiter)}`);
    const [counts] = await engine.query<{ rows: number; rejected: number }>(
      sql`SELECT (SELECT count(*) FROM ${ident(table)}) AS rows, (SELECT count(*) FROM ${ident(rejects)}) AS rejected`,
    );
    await engine.exec(sql`DROP TABLE IF EXISTS ${ident(errors)}`);
    await engine.exec(sql`DROP TABLE IF EXISTS ${ident(scans)}`);
    const rows = counts?.rows ?? 0;
    const rejected =
      (counts?.rejected ?? 0) +
      (await rejectLostRecords(engine, table, rejects, written, rows + (counts?.rejected ?? 0), where));
    const detected = detectedOf(used, 'line-numbered copy');
    if (note) detected.encodingNote = note;
    return {
      table,
      columns,
      source: where,
      format: 'csv',
      rowsRead: rows + rejected,
      structuralRejectsTable: rejects,
      structuralRejects: rejected,
      detected,
      cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    if (error instanceof TypeError)
      throw new InputError(
        `${where}: expected text in ${dialect.encoding}, found bytes that are not. Pass the right encoding (--encoding latin1, windows-1252, utf-8).`,
        { file: where },
        { cause: error },
      );
    throw error;
  }
}

/**
 * DuckDB's reader skips a record longer than its buffer (about 32 MB) without a word (issue 19: "read 3,
 * loaded 3", the row gone). Every record the rewrite wrote must be staged or rejected: a long record that
 * is neither becomes a structural reject with its line; any other gap is an error, never a silent loss.
 * @returns the rejects added.
 */
async function rejectLostRecords(
  engine: Engine,
  table: string,
  rejects: string,
  written: { records: number; longRecords: { line: number; chars: number }[] },
  accounted: number,
  where: string,
): Promise<number> {
  let missing = written.records - accounted;
  if (missing <= 0) return 0;
  let added = 0;
  for (const long of written.longRecords) {
    const [seen] = await engine.query<{ n: number }>(
      sql`SELECT (SELECT count(*) FROM ${ident(table)} WHERE _line = ${long.line})
               + (SELECT count(*) FROM ${ident(rejects)} WHERE line = ${long.line}) AS n`,
    );
    if (Number(seen?.n ?? 0) > 0) continue;
    const mb = (long.chars / 1e6).toFixed(1);
    await engine.exec(
      sql`INSERT INTO ${ident(rejects)} VALUES (${long.line}, ${`the record is ${mb} million characters long, over the reader's limit of about 32 MB per record; shorten the field (or split the text) and import the line again`}, ${''})`,
    );
    added++;
    if (--missing === 0) break;
  }
  if (missing > 0) {
    throw new InputError(
      `${where}: expected ${written.records} records from the reader, found ${written.records - missing}; ${missing} could not be accounted for. Nothing was loaded. Check the file for very long lines or binary data.`,
      { file: where, records: written.records, missing },
      { code: 'PARSE_ERROR' },
    );
  }
  return added;
}

function columnList(columns: StagedColumn[]): SqlFragment {
  return sql`${raw(columns.map((c) => `"${c.staged}"`).join(', '))}`;
}

/**
 * `read_csv(...)` reading every column as text; `lineColumn` adds the leading `_line BIGINT` column.
 * `rejects` names the tables that collect broken records; `bufferBytes` sets DuckDB's read buffer.
 */
function readCsvSql(
  path: string,
  delimiter: string,
  dialect: CsvDialect,
  columns: StagedColumn[],
  header: boolean,
  rejects: { errors: string; scans: string } | null,
  lineColumn: boolean,
  bufferBytes?: number,
): SqlFragment {
  const buffer =
    bufferBytes === undefined
      ? empty
      : sql`, buffer_size = ${raw(String(Math.floor(bufferBytes)))}, max_line_size = ${raw(String(Math.floor(bufferBytes / 2)))}`;
  // Column names are our own c1…cN, never header text, so this literal cannot carry user input.
  const spec = [
    ...(lineColumn ? [`'_line': 'BIGINT'`] : []),
    ...columns.map((c) => `'${c.staged}': 'VARCHAR'`),
  ];
  const store = rejects
    ? sql`, store_rejects = true, rejects_table = ${rejects.errors}, rejects_scan = ${rejects.scans}`
    : empty;
  return sql`read_csv(${path}, auto_detect = false, columns = ${raw(`{${spec.join(', ')}}`)}, header = ${raw(header ? 'true' : 'false')},
    delim = ${delimiter}, quote = ${dialect.quote}, escape = ${dialect.escape}${store},
    strict_mode = true, null_padding = false${raw(lineColumn ? `, new_line = '\\n'` : '')}${buffer})`;
}

/** One structural reject per broken record, with the line from the record's prefix and a plain reason. */
function structuralRejectsSql(errors: string, delimiter: string): SqlFragment {
  const expected = sql`TRY_CAST(regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1) AS BIGINT) - 1`;
  const found = sql`TRY_CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS BIGINT) - 1`;
  const text = sql`ltrim(coalesce(csv_line, ''), chr(10) || chr(13))`;
  return sql`SELECT min(line) AS line, string_agg(DISTINCT reason, '; ') AS reason, first(raw) AS raw FROM (
    SELECT line_byte_position,
      TRY_CAST(split_part(${text}, ${delimiter}, 1) AS BIGINT) AS line,
      CASE error_type
        WHEN 'TOO MANY COLUMNS' THEN 'too many fields: expected ' || ${expected} || ', found ' || ${found} || '. Check the delimiter and the quotes on this line'
        WHEN 'MISSING COLUMNS' THEN 'too few fields: expected ' || ${expected} || ', found ' || ${found} || '. Check the delimiter and the quotes on this line'
        WHEN 'UNQUOTED VALUE' THEN 'a quoted field is not closed, or text follows its closing quote'
        WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the record is longer than the maximum line size (an unclosed quote?)'
        WHEN 'INVALID UNICODE' THEN 'the line is not valid text in the detected encoding'
        WHEN 'INVALID ENCODING' THEN 'the line is not valid text in the detected encoding'
        ELSE lower(error_type) || ': ' || error_message
      END AS reason,
      CASE WHEN strpos(${text}, ${delimiter}) > 0 THEN substr(${text}, strpos(${text}, ${delimiter}) + 1) ELSE ${text} END AS raw
    FROM ${ident(errors)}
  ) GROUP BY line_byte_position ORDER BY min(line)`;
}

function detectedOf(dialect: CsvDialect, path: string): Record<string, string | number | boolean> {
  return {
    encoding: dialect.encoding,
    delimiter:
      dialect.delimiter === 'whitespace'
        ? 'whitespace'
        : (DELIMITER_NAMES[dialect.delimiter] ?? dialect.delimiter),
    quote: dialect.quote,
    escape: dialect.escape === dialect.quote ? 'doubled quote' : dialect.escape,
    header: dialect.header,
    headerReason: dialect.headerReason,
    columns: dialect.names.length,
    readPath: path,
    ...(dialect.renamed ? { renamedHeaders: dialect.renamed.join('; ') } : {}),
  };
}

async function fileSize(path: string, where: string): Promise<number> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile())
      throw new InputError(
        `${where}: expected a file, found a ${s.isDirectory() ? 'folder' : 'special file'}.`,
        {
          file: where,
        },
      );
    size = s.size;
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw new InputError(
      `${where}: file not found or not readable (${(cause as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`,
      { file: where },
      { cause, code: 'FILE_NOT_FOUND' },
    );
  }
  if (size === 0)
    throw new InputError(
      `${where}: the file is empty. Export it again, with at least a header line.`,
      { file: where },
      {
        code: 'EMPTY_INPUT',
      },
    );
  return size;
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Physical lines up to the last line with content (trailing empty lines are not counted; they
 * shift no record). A file with only CR line ends counts as one line, which sends it to the
 * line-numbered path, where CR line ends are handled.
 */
export async function countLines(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    let total = 0;
    let beforeLastContent = -1;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      let j = bytesRead - 1;
      while (j >= 0 && (buf[j] === 10 || buf[j] === 13)) j--;
      let p = buf.indexOf(10, 0);
      let inContent = 0;
      let after = 0;
      while (p !== -1 && p < bytesRead) {
        if (p <= j) inContent++;
        else after++;
        p = buf.indexOf(10, p + 1);
      }
      if (j >= 0) beforeLastContent = total + inContent;
      total += inContent + after;
    }
    return beforeLastContent + 1;
  } finally {
    await fh.close();
  }
}
