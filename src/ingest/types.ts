/**
 * The contracts between the ingest stages. Every source (file or database) is first *staged*: copied
 * as text into a temporary engine table, streaming, never whole in memory. Then each column is
 * *profiled* in SQL (types, decimal comma, date format) and *mapped* to a canonical field, and finally
 * *loaded*: converted in SQL, validated, rejects kept, upserted by natural key in one transaction.
 *
 *   stage (csv/, excel/, parquet/, json/, postgres/, mysql/)  →  StagedSource
 *   profile + map (profile.ts, mapping/)                      →  Mapping
 *   load (load/)                                               →  LoadResult
 */
import type { CanonicalTable } from '../store/index.js';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet' | 'json' | 'ndjson' | 'postgres' | 'mysql' | 'baskets';

/** How to turn one text column into a typed value. Written by the profiler or a mapping file. */
export interface ParseOptions {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'list';
  /** Decimal separator for numbers (default '.'). */
  decimal?: '.' | ',';
  /** Thousands separator for numbers (default none). */
  thousands?: '' | '.' | ',' | ' ' | "'";
  /** strptime format for dates/timestamps, e.g. '%d/%m/%Y' or '%Y-%m-%d %H:%M:%S'. */
  dateFormat?: string;
  /** Texts read as true / false for booleans (compared case-insensitively). */
  trueValues?: string[];
  falseValues?: string[];
  /** Separator for list values (keywords, tags), default '|'. */
  listSeparator?: string;
  /** Texts that mean "no value" besides the empty string (e.g. 'NULL', 'n/a'), compared case-insensitively. */
  nullValues?: string[];
  /**
   * Characters stripped from both ends of a number before parsing (currency symbols and spaces,
   * e.g. '€$£ '). Set by the profiler when it sees '€ 12,50'; default none.
   */
  stripSymbols?: string;
}

export interface StagedColumn {
  /** The source's name for the column (header text, or `column_N` when the source has no header). */
  name: string;
  /** The VARCHAR column in the staging table that holds its text. */
  staged: string;
  /** Type known from the source itself (database column types, Parquet schema); skips inference. */
  declared?: ParseOptions;
}

/** A source copied as text into a temporary table of the engine. */
export interface StagedSource {
  /** Temporary table: one VARCHAR column per source column plus `_line BIGINT` (1-based source line). */
  table: string;
  columns: StagedColumn[];
  /** Display name: a file path, `postgres:crm.customers`, `xlsx:orders.xlsx#Sheet1`. */
  source: string;
  format: SourceFormat;
  /** Records read from the source, including the structurally broken ones. */
  rowsRead: number;
  /**
   * Temporary table (line BIGINT, reason VARCHAR, raw VARCHAR) of records that could not even be split
   * into columns (unterminated quote, wrong field count); they count as rejected.
   */
  structuralRejectsTable: string | null;
  structuralRejects: number;
  /**
   * The same records without `_line` (the direct CSV path: the text copy itself), in file order:
   * record k (0-based) sits on line `firstLine + k`. Whole-column scans (profiles, distinct values)
   * read this one when it is there; anything that needs `_line` reads `table`.
   */
  records?: { table: string; firstLine: number };
  /** What was detected (encoding, delimiter, quote, header, sheet …), for `import --dry-run`. */
  detected: Record<string, string | number | boolean>;
  /**
   * Frees the staged rows early, when a copy holds them (the direct CSV path): the loader calls it once
   * the rows are converted and no reject needs their raw text. `table` cannot be read afterwards.
   */
  releaseRows?(): Promise<void>;
  /** Drops the temporary tables. */
  cleanup(): Promise<void>;
}

/** One source column mapped onto a canonical field. */
export interface ColumnMapping {
  source: string;
  field: string;
  parse: ParseOptions;
  /** A constant from the mapping file (`language: { value: pt }`) instead of a source column. */
  constant?: string;
}

export interface Mapping {
  /** The canonical table, or 'raw' for `import --as NAME`. */
  target: CanonicalTable | 'raw';
  columns: ColumnMapping[];
  /** Source columns not mapped to any field (reported, kept in rejects' raw_row only). */
  unmapped: string[];
  /** How each mapping was decided: 'header synonym', 'mapping file', 'preset magento'. */
  reasons: Record<string, string>;
}

export interface LoadResult {
  loadId: number;
  source: string;
  target: string;
  format: SourceFormat;
  /** read = loaded + rejected + duplicates */
  read: number;
  loaded: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  seconds: number;
  warnings: string[];
}
