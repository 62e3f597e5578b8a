/**
 * Excel `.xlsx` staging with exceljs's streaming WorkbookReader (never the in-memory Workbook): each
 * sheet (or the named one) becomes one staged source, appended to a temporary table in chunks of 2,048
 * rows through DuckDB's DataChunk appender. `_line` is the sheet row number. Date cells come back as
 * dates (the reader applies the cell's number format) and are staged as ISO text.
 */
import { stat } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { InputError } from '../../errors.js';
import {
  DuckDBBigIntType,
  DuckDBDataChunk,
  type DuckDBType,
  DuckDBVarCharType,
} from '../../store/duckdb-api.js';
import { type DuckDbEngine, ident, raw, sql } from '../../store/index.js';
import { columnNames, detectHeader } from '../csv/sniff.js';
import { cleanupFn, createStructuralRejectsTable, stagingName } from '../staging.js';
import type { StagedColumn, StagedSource } from '../types.js';

export interface XlsxStageOptions {
  /** Only this sheet (by name); default every sheet. */
  sheet?: string;
  /** Whether the first non-empty row is a header; default detected per sheet. */
  header?: boolean;
  /** Display name of the file (default: the path). */
  source?: string;
}

const CHUNK_ROWS = 2048;
/** Rows held back to detect the header and the width before appending starts. */
const HEAD_ROWS = 20;

/**
 * Stages the sheets of an `.xlsx` file.
 *
 * @returns one staged source per sheet read, in workbook order (empty sheets are skipped).
 * @throws InputError FILE_NOT_FOUND, NOT_FOUND-style INVALID_INPUT when the named sheet is missing
 *   (listing the sheets), PARSE_ERROR when the file is not a readable workbook.
 * @example
 * ```ts
 * const [orders] = await stageXlsx(engine, 'export.xlsx', { sheet: 'Orders' });
 * ```
 */
export async function stageXlsx(
  engine: DuckDbEngine,
  path: string,
  options: XlsxStageOptions = {},
): Promise<StagedSource[]> {
  const where = options.source ?? path;
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch (cause) {
    throw new InputError(
      `${where}: file not found or not readable. Check the path.`,
      { file: where },
      { cause, code: 'FILE_NOT_FOUND' },
    );
  }
  const out: StagedSource[] = [];
  const seen: string[] = [];
  // exceljs takes ~250 ms to load: loaded on first use, so commands that never touch Excel start faster.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      seen.push(name);
      if (options.sheet !== undefined && name !== options.sheet) {
        for await (const _ of sheet) void _; // a skipped sheet still has to be read through
        continue;
      }
      const staged = await stageSheet(engine, sheet as AsyncIterable<ExcelJS.Row>, name, where, options);
      if (staged) out.push(staged);
    }
  } catch (error) {
    for (const s of out) await s.cleanup().catch(() => undefined);
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${where}: expected an Excel .xlsx workbook, but it could not be read: ${(error as Error).message}. Save it again as .xlsx (not .xls), or export it as CSV.`,
      { file: where },
      { cause: error, code: 'PARSE_ERROR' },
    );
  }
  if (options.sheet !== undefined && out.length === 0 && !seen.includes(options.sheet))
    throw new InputError(
      `${where}: expected a sheet named "${options.sheet}", found ${seen.map((s) => `"${s}"`).join(', ') || 'no sheets'}. Pass --sheet with one of them.`,
      { file: where, sheets: seen },
    );
  return out;
}

async function stageSheet(
  engine: DuckDbEngine,
  rows: AsyncIterable<ExcelJS.Row>,
  sheetName: string,
  where: string,
  options: XlsxStageOptions,
): Promise<StagedSource | null> {
  const head: { line: number; values: (string | null)[] }[] = [];
  const iterator = rows[Symbol.asyncIterator]();
  for (;;) {
    if (head.length >= HEAD_ROWS) break;
    const next = await iterator.next();
    if (next.done) break;
    const values = rowValues(next.value);
    if (values.some((v) => v !== null)) head.push({ line: next.value.number, values });
  }
  if (head.length === 0) return null;
  const detected = detectHeader(head.map((r) => r.values.map((v) => v ?? '')));
  const header = options.header ?? detected.header;
  const width = Math.max(...head.map((r) => r.values.length));
  const names = columnNames(header ? head[0]!.values.map((v) => v ?? '') : null, width);
  const columns: StagedColumn[] = names.map((name, i) => ({ name, staged: `c${i + 1}` }));

  const base = stagingName();
  const table = base;
  const rejects = `${base}_rejects`;
  const cleanup = cleanupFn(engine, { tables: [table, rejects] });
  try {
    const defs = columns.map((c) => `"${c.staged}" VARCHAR`).join(', ');
    await engine.exec(sql`CREATE TEMP TABLE ${ident(table)} (_line BIGINT, ${raw(defs)})`);
    await createStructuralRejectsTable(engine, rejects);
    const appender = await engine.connection.createAppender(table, 'main', 'temp');
    const types: DuckDBType[] = [DuckDBBigIntType.instance, ...columns.map(() => DuckDBVarCharType.instance)];
    const buffer: (bigint | string | null)[][] = types.map(() => []);
    const wide: { line: number; values: (string | null)[] }[] = [];
    let count = 0;
    const flush = () => {
      if (buffer[0]!.length === 0) return;
      const chunk = DuckDBDataChunk.create(types, buffer[0]!.length);
      chunk.setColumns(buffer);
      appender.appendDataChunk(chunk);
      for (const col of buffer) col.length = 0;
    };
    const add = (line: number, values: (string | null)[]) => {
      if (values.length > width && values.slice(width).some((v) => v !== null)) {
        wide.push({ line, values });
        return;
      }
      buffer[0]!.push(BigInt(line));
      for (let i = 0; i < width; i++) buffer[i + 1]!.push(values[i] ?? null);
      count++;
      if (buffer[0]!.length >= CHUNK_ROWS) flush();
    };
    try {
      for (const r of head.slice(header ? 1 : 0)) add(r.line, r.values);
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const values = rowValues(next.value);
        if (values.some((v) => v !== null)) add(next.value.number, values);
      }
      flush();
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    for (const w of wide)
      await engine.exec(
        sql`INSERT INTO ${ident(rejects)} VALUES (${w.line}, ${`more cells than the ${width} columns of the sheet`}, ${JSON.stringify(w.values)})`,
      );
    return {
      table,
      columns,
      source: `xlsx:${where}#${sheetName}`,
      format: 'xlsx',
      rowsRead: count + wide.length,
      structuralRejectsTable: rejects,
      structuralRejects: wide.length,
      detected: {
        sheet: sheetName,
        header,
        headerReason: options.header === undefined ? detected.reason : 'given',
        columns: width,
      },
      cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}

/** A row's cells as text (1-based exceljs values → 0-based), NULL for empty cells. */
function rowValues(row: ExcelJS.Row): (string | null)[] {
  const values = row.values as unknown[];
  const out: (string | null)[] = [];
  for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}
