/**
 * Staging of self-describing files (Parquet, JSON, NDJSON): DuckDB reads them with their own schema,
 * every column is copied as text, and the schema's type becomes the column's `declared` parse options,
 * so the profiler does not guess what the file already says. Text columns stay undeclared: exports
 * often keep dates and amounts as text, and the profiler reads those.
 */
import { InputError, QueryError } from '../errors.js';
import { type Engine, ident, join, raw, type SqlFragment, sql } from '../store/index.js';
import { countLines } from './csv/stage.js';
import { cleanupFn, createStructuralRejectsTable, stagingName } from './staging.js';
import type { ParseOptions, SourceFormat, StagedColumn, StagedSource } from './types.js';

export interface TypedFileOptions {
  /** Display name of the source (default: the path). */
  source?: string;
}

/** The parse options a DuckDB column type implies, and the SQL that turns the value into its text. */
export function declaredOf(duckType: string): {
  declared?: ParseOptions;
  toText: (c: SqlFragment) => SqlFragment;
} {
  const t = duckType.toUpperCase();
  const text = (c: SqlFragment) => sql`CAST(${c} AS VARCHAR)`;
  if (t === 'BOOLEAN') return { declared: { type: 'boolean' }, toText: text };
  if (/^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|U?HUGEINT)$/.test(t))
    return { declared: { type: 'integer' }, toText: text };
  if (/^(FLOAT|REAL|DOUBLE|DECIMAL.*)$/.test(t)) return { declared: { type: 'number' }, toText: text };
  if (t === 'DATE') return { declared: { type: 'date' }, toText: text };
  if (t === 'TIMESTAMP WITH TIME ZONE')
    return { declared: { type: 'timestamp' }, toText: (c) => sql`CAST(timezone('UTC', ${c}) AS VARCHAR)` };
  if (t.startsWith('TIMESTAMP'))
    return { declared: { type: 'timestamp' }, toText: (c) => sql`CAST(CAST(${c} AS TIMESTAMP) AS VARCHAR)` };
  if (t.endsWith('[]') && /^(VARCHAR|TEXT|STRING)\[\]$/.test(t))
    return { declared: { type: 'list', listSeparator: '|' }, toText: (c) => sql`array_to_string(${c}, '|')` };
  if (t === 'VARCHAR' || t === 'TEXT') return { toText: (c) => c };
  if (t.startsWith('STRUCT') || t.startsWith('MAP') || t.endsWith('[]') || t === 'JSON')
    return { declared: { type: 'string' }, toText: (c) => sql`CAST(to_json(${c}) AS VARCHAR)` };
  return { declared: { type: 'string' }, toText: text };
}

/**
 * Stages a Parquet, JSON (array of objects) or NDJSON file.
 *
 * `_line` is the record number (1-based). For NDJSON it is the line number when the file has no
 * blank lines (checked), else the record number, as `detected.lineNumbers` says.
 *
 * @throws InputError FILE_NOT_FOUND, PARSE_ERROR (DuckDB cannot read the file as that format).
 */
export async function stageTypedFile(
  engine: Engine,
  path: string,
  format: Extract<SourceFormat, 'parquet' | 'json' | 'ndjson'>,
  options: TypedFileOptions = {},
): Promise<StagedSource> {
  const where = options.source ?? path;
  const reader =
    format === 'parquet'
      ? sql`read_parquet(${path})`
      : format === 'ndjson'
        ? sql`read_ndjson(${path})`
        : sql`read_json(${path}, format = 'auto')`;
  const base = stagingName();
  const table = base;
  const rawTable = `${base}_raw`;
  const rejects = `${base}_rejects`;
  const cleanup = cleanupFn(engine, { views: [table], tables: [rawTable, rejects] });
  try {
    let schema: { column_name: string; column_type: string }[];
    try {
      schema = await engine.query(sql`DESCRIBE SELECT * FROM ${reader}`);
    } catch (error) {
      throw readError(error, where, format);
    }
    const columns: StagedColumn[] = [];
    const selects: SqlFragment[] = [];
    schema.forEach((s, i) => {
      const staged = `c${i + 1}`;
      const { declared, toText } = declaredOf(s.column_type);
      columns.push({ name: s.column_name, staged, ...(declared ? { declared } : {}) });
      selects.push(sql`${toText(sql`${ident(s.column_name)}`)} AS ${raw(`"${staged}"`)}`);
    });
    // rowid follows insertion order, and the readers insert in file order (preserve_insertion_order).
    try {
      await engine.exec(sql`CREATE TEMP TABLE ${ident(rawTable)} AS SELECT ${join(selects)} FROM ${reader}`);
    } catch (error) {
      throw readError(error, where, format);
    }
    const list = join(columns.map((c) => sql`${raw(`"${c.staged}"`)}`));
    await engine.exec(
      sql`CREATE TEMP VIEW ${ident(table)} AS SELECT CAST(rowid + 1 AS BIGINT) AS _line, ${list} FROM ${ident(rawTable)}`,
    );
    await createStructuralRejectsTable(engine, rejects);
    const [{ rows } = { rows: 0 }] = await engine.query<{ rows: number }>(
      sql`SELECT count(*) AS rows FROM ${ident(table)}`,
    );
    const detected: Record<string, string | number | boolean> = { format, columns: columns.length };
    if (format === 'ndjson') {
      const lines = await countLines(path);
      detected.lineNumbers = lines === rows ? 'source lines' : 'record numbers (the file has blank lines)';
    } else {
      detected.lineNumbers = 'record numbers';
    }
    return {
      table,
      columns,
      source: where,
      format,
      rowsRead: rows,
      structuralRejectsTable: rejects,
      structuralRejects: 0,
      detected,
      cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}

function readError(error: unknown, where: string, format: string): unknown {
  if (!(error instanceof QueryError)) return error;
  const first = ((error.cause as Error | undefined)?.message ?? error.message).split('\n')[0];
  const missing = /No files found|does not exist|No such file/i.test(first ?? '');
  return new InputError(
    missing
      ? `${where}: file not found. Check the path.`
      : `${where}: expected a ${format === 'ndjson' ? 'newline-delimited JSON' : format.toUpperCase()} file, but it could not be read: ${first}. Check the file, or pass --format.`,
    { file: where, format },
    { cause: error, code: missing ? 'FILE_NOT_FOUND' : 'PARSE_ERROR' },
  );
}
