import { duckdbDialect, type SqlFragment } from '../../store/index.js';
import * as parse from '../parse-sql.js';
import type { ParseOptions } from '../types.js';

/**
 * Text → typed SQL for the loader, through the shared parse-sql helpers. The datamart (and staging) is
 * DuckDB, so the DuckDB dialect is used. A blank text is NULL; a non-blank text that does not parse is
 * also NULL, and the loader turns that into a reject (`isBlankSql` tells the two apart).
 */
export function parseValueSql(text: SqlFragment, options: ParseOptions): SqlFragment {
  return parse.parseValueSql(duckdbDialect, text, options);
}

/** {@link parseValueSql} for text already cleaned with the same options (see parse-sql.ts). */
export function parseCleanTextSql(clean: SqlFragment, options: ParseOptions): SqlFragment {
  return parse.parseCleanTextSql(duckdbDialect, clean, options);
}

export function cleanTextSql(text: SqlFragment, options: Pick<ParseOptions, 'nullValues'> = {}): SqlFragment {
  return parse.cleanTextSql(duckdbDialect, text, options);
}

export function isBlankSql(text: SqlFragment, options: Pick<ParseOptions, 'nullValues'> = {}): SqlFragment {
  return parse.isBlankSql(duckdbDialect, text, options);
}

export function sqlType(options: ParseOptions): string {
  return parse.sqlTypeOf(options);
}

export const describeParseOptions = parse.describeParseOptions;
