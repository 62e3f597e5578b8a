/**
 * Stages any supported file, choosing the reader by `format`, the extension, or the first bytes.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import type { DuckDbEngine } from '../store/index.js';
import { type CsvStageOptions, stageCsv } from './csv/stage.js';
import { stageXlsx } from './excel/stage.js';
import { assertColumnLimit, assertRegularFile, checkJsonDepth } from './input-limits.js';
import { stageTypedFile } from './typed-file.js';
import type { SourceFormat, StagedSource } from './types.js';

export type FileFormat = Extract<SourceFormat, 'csv' | 'xlsx' | 'parquet' | 'json' | 'ndjson'>;

export interface StageFileOptions extends CsvStageOptions {
  /** The file's format; default from the extension, else from the first bytes. */
  format?: FileFormat;
  /** Excel: only this sheet. */
  sheet?: string;
}

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.tab': 'csv',
  '.txt': 'csv',
  '.dat': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
};

/**
 * Stages a file: CSV/TSV/TXT, Excel `.xlsx` (one staged source per sheet), Parquet, JSON or NDJSON.
 *
 * @param engine - the DuckDB engine that holds the temporary tables.
 * @param path - the file.
 * @param options - format, sheet and CSV overrides.
 * @returns the staged sources: one, or one per sheet of a workbook. Call `cleanup()` on each.
 * @throws InputError UNKNOWN_FORMAT for `.xls` and other unreadable formats, plus the readers' errors.
 * @example
 * ```ts
 * for (const staged of await stageFile(engine, 'export.xlsx')) {
 *   const profiles = await profileColumns(engine, staged);
 *   // …
 *   await staged.cleanup();
 * }
 * ```
 */
export async function stageFile(
  engine: DuckDbEngine,
  path: string,
  options: StageFileOptions = {},
): Promise<StagedSource[]> {
  await assertRegularFile(path);
  const format = options.format ?? (await detectFileFormat(path));
  if (format === 'json' || format === 'ndjson') await checkJsonDepth(path, options.source ?? path);
  const staged = await stageByFormat(engine, path, format, options);
  for (const s of staged) {
    try {
      assertColumnLimit(s.columns.length, s.source);
    } catch (error) {
      for (const x of staged) await x.cleanup();
      throw error;
    }
  }
  return staged;
}

async function stageByFormat(
  engine: DuckDbEngine,
  path: string,
  format: FileFormat,
  options: StageFileOptions,
): Promise<StagedSource[]> {
  switch (format) {
    case 'csv':
      return [await stageCsv(engine, path, options)];
    case 'xlsx':
      return stageXlsx(engine, path, {
        ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
        ...(options.header !== undefined ? { header: options.header } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
      });
    case 'parquet':
    case 'json':
    case 'ndjson':
      return [
        await stageTypedFile(
          engine,
          path,
          format,
          options.source !== undefined ? { source: options.source } : {},
        ),
      ];
  }
}

/** The format of a file from its extension, or its first bytes when the extension says nothing. */
export async function detectFileFormat(path: string): Promise<FileFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xls')
    throw new InputError(
      `${path}: expected .xlsx, found an old Excel .xls workbook, which cannot be read. Open it in Excel or LibreOffice and save it as .xlsx or CSV.`,
      { file: path },
      { code: 'UNKNOWN_FORMAT' },
    );
  if (ext === '.gz' || ext === '.zip')
    throw new InputError(
      `${path}: expected an uncompressed file, found a ${ext} archive. Unpack it first (gunzip / unzip) and import the file inside.`,
      { file: path },
      { code: 'UNKNOWN_FORMAT' },
    );
  const byExt = BY_EXTENSION[ext];
  const head = await readStart(path);
  if (byExt === 'json' || byExt === undefined) {
    const sniffed = sniffFormat(head);
    if (byExt === 'json') return sniffed === 'ndjson' ? 'ndjson' : 'json';
    return sniffed;
  }
  return byExt;
}

/** Reads up to 4 KiB from the start; a missing file yields an empty buffer (the stager reports it). */
async function readStart(path: string): Promise<Buffer> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new InputError(
      `${path}: file not found or not readable. Check the path.`,
      { file: path },
      { cause, code: 'FILE_NOT_FOUND' },
    );
  }
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function sniffFormat(head: Buffer): FileFormat {
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'xlsx';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) {
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.length > 1 && lines[1]!.trimStart().startsWith('{') && lines[0]!.trimEnd().endsWith('}')
      ? 'ndjson'
      : 'json';
  }
  return 'csv';
}
