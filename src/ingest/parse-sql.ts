/**
 * Text → typed value, in SQL. Every staged column is VARCHAR; these expressions turn one text column
 * into its typed value according to its {@link ParseOptions}, yielding NULL (never an error) when the
 * text does not parse, so the loader can tell "blank" from "unparseable" and reject the row with a
 * reason instead of failing the whole load.
 *
 * The loader's usual pattern, per column:
 *   value        = parseValueSql(d, col, opts)
 *   is missing   = isBlankSql(d, col, opts)
 *   is bad       = isUnparseableSql(d, col, opts)   -- not blank, but no value came out
 */
import { type Dialect, join, type SqlFragment, sql, stringLiteral } from '../store/index.js';
import type { ParseOptions } from './types.js';

/** Texts read as `true` by default (compared after trimming and lower-casing), in our five languages. */
export const DEFAULT_TRUE_VALUES: readonly string[] = [
  'true',
  't',
  'yes',
  'y',
  '1',
  'ja',
  'j',
  'waar',
  'oui',
  'vrai',
  'wahr',
  'да',
  'д',
  'истина',
];

/** Texts read as `false` by default. */
export const DEFAULT_FALSE_VALUES: readonly string[] = [
  'false',
  'f',
  'no',
  'n',
  '0',
  'nee',
  'onwaar',
  'non',
  'faux',
  'nein',
  'falsch',
  'нет',
  'н',
  'ложь',
];

/**
 * The `dateFormat` of an Excel serial date: a plain number of days since 1899-12-30 (`45292` = 2024-01-01),
 * as a workbook holds a date cell that has lost its date format. Set by the mapper for `.xlsx` sources.
 */
export const EXCEL_SERIAL_DATE = 'excel-serial';

/** Default separator of list values (keywords, tags). */
export const DEFAULT_LIST_SEPARATOR = '|';

/** The engine type a parsed column has, in DuckDB's spelling (the staging engine). */
export function sqlTypeOf(options: ParseOptions): string {
  switch (options.type) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'list':
      return 'VARCHAR[]';
  }
}

/**
 * The text trimmed, with '' and the `nullValues` (compared case-insensitively) turned into NULL.
 * Every other expression here starts from this one.
 */
export function cleanTextSql(
  dialect: Dialect,
  text: SqlFragment,
  options: Pick<ParseOptions, 'nullValues'> = {},
): SqlFragment {
  const trimmed = dialect.trimToNull(text);
  const nulls = (options.nullValues ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (nulls.length === 0) return trimmed;
  return sql`(CASE WHEN lower(trim(${text})) IN (${join(nulls.map((v) => sql`${v}`))}) THEN NULL ELSE ${trimmed} END)`;
}

/** True when the text holds no value: NULL, blank, or one of `nullValues`. */
export function isBlankSql(
  dialect: Dialect,
  text: SqlFragment,
  options: Pick<ParseOptions, 'nullValues'> = {},
): SqlFragment {
  return sql`(${cleanTextSql(dialect, text, options)} IS NULL)`;
}

/**
 * The typed value of a text column, or NULL when the text is blank or does not parse.
 *
 * @param dialect - the engine the expression runs on (staging is DuckDB).
 * @param text - a VARCHAR expression, usually a staged column: sql`${ident(col.staged)}`.
 * @param options - how to read it (from the profiler, a declared type or a mapping file).
 * @returns an SQL expression of type {@link sqlTypeOf}(options).
 * @example
 * ```ts
 * parseValueSql(duckdbDialect, sql`"Bedrag"`, { type: 'number', decimal: ',', thousands: '.' })
 * // '1.234,50' → 1234.5; 'abc' → NULL; '' → NULL
 * ```
 */
export function parseValueSql(dialect: Dialect, text: SqlFragment, options: ParseOptions): SqlFragment {
  return parseCleanTextSql(dialect, cleanTextSql(dialect, text, options), options);
}

/**
 * {@link parseValueSql} for text that is already cleaned by {@link cleanTextSql} with the same
 * options (trimmed, blanks and null markers NULL): lets a query clean each column once.
 */
export function parseCleanTextSql(dialect: Dialect, clean: SqlFragment, options: ParseOptions): SqlFragment {
  switch (options.type) {
    case 'string':
      return clean;
    case 'integer':
      return dialect.tryParseInteger(numberTextSql(dialect, clean, options));
    case 'number':
      return dialect.tryParseDouble(numberTextSql(dialect, clean, options));
    case 'boolean':
      return booleanSql(clean, options);
    case 'date':
      if (options.dateFormat === EXCEL_SERIAL_DATE) return excelSerialDateSql(dialect, clean);
      return dialect.tryParseDate(clean, options.dateFormat ?? null);
    case 'timestamp':
      return dialect.tryParseTimestamp(clean, options.dateFormat ?? null);
    case 'list':
      return dialect.splitToList(clean, options.listSeparator ?? DEFAULT_LIST_SEPARATOR);
  }
}

/** An Excel serial day number (1 … 2958465: 1900-01-01 … 9999-12-31, a fraction of a day dropped) as a date. */
function excelSerialDateSql(dialect: Dialect, clean: SqlFragment): SqlFragment {
  const days = dialect.tryParseDouble(clean);
  return sql`(CASE WHEN ${days} >= 1 AND ${days} < 2958466 THEN CAST(DATE '1899-12-30' + CAST(floor(${days}) AS INTEGER) AS DATE) END)`;
}

/** True when the text holds something (not blank) that does not parse with `options`. */
export function isUnparseableSql(dialect: Dialect, text: SqlFragment, options: ParseOptions): SqlFragment {
  if (options.type === 'string' || options.type === 'list') return sql`false`;
  return sql`(NOT ${isBlankSql(dialect, text, options)} AND ${parseValueSql(dialect, text, options)} IS NULL)`;
}

/** A short human description of the parse options, for dry-run output and reject reasons. */
export function describeParseOptions(options: ParseOptions): string {
  switch (options.type) {
    case 'integer':
    case 'number': {
      const parts = [`decimal '${options.decimal ?? '.'}'`];
      if (options.thousands) parts.push(`thousands '${options.thousands}'`);
      if (options.stripSymbols) parts.push(`ignoring '${options.stripSymbols.trim()}'`);
      return `${options.type === 'integer' ? 'an integer' : 'a number'} (${parts.join(', ')})`;
    }
    case 'date':
      if (options.dateFormat === EXCEL_SERIAL_DATE) return 'a date (an Excel serial day number)';
      return `a date (${options.dateFormat ?? '%Y-%m-%d'})`;
    case 'timestamp':
      return `a timestamp (${options.dateFormat ?? 'ISO 8601'})`;
    case 'boolean':
      return `a boolean (${(options.trueValues ?? ['yes', 'true', '1']).slice(0, 3).join('/')} or ${(options.falseValues ?? ['no', 'false', '0']).slice(0, 3).join('/')})`;
    case 'list':
      return `a list separated by '${options.listSeparator ?? DEFAULT_LIST_SEPARATOR}'`;
    case 'string':
      return 'text';
  }
}

/**
 * Accountants' negatives: `(12,50)` → `-12,50` (symbols inside the brackets stripped too), and the
 * Unicode minus sign `−` → `-`. Only on columns read with `stripSymbols` (the profiler sets it when it
 * sees either), so plain number columns pay nothing.
 */
export function negativeParensSql(text: SqlFragment, symbols: string): SqlFragment {
  return sql`(CASE WHEN starts_with(${text}, '(') AND ends_with(${text}, ')') THEN '-' || trim(substr(${text}, 2, length(${text}) - 2), ${symbols}) WHEN starts_with(${text}, ${'\u2212'}) THEN '-' || substr(${text}, 2) ELSE ${text} END)`;
}

/** Removes currency symbols, thousands separators and a decimal comma so the engine can cast. */
function numberTextSql(dialect: Dialect, clean: SqlFragment, options: ParseOptions): SqlFragment {
  let t = clean;
  if (options.stripSymbols)
    t = negativeParensSql(dialect.trimChars(t, options.stripSymbols), options.stripSymbols);
  const thousands = options.thousands ?? '';
  if (thousands !== '') {
    t = sql`replace(${t}, ${thousands}, '')`;
    // A space as thousands separator is often a no-break space (U+00A0, U+202F) in exports.
    if (thousands === ' ') t = sql`replace(replace(${t}, ${'\u00a0'}, ''), ${'\u202f'}, '')`;
  }
  if ((options.decimal ?? '.') === ',') t = sql`replace(${t}, ',', '.')`;
  return t;
}

/**
 * A constant text as an SQL literal, not a parameter: a statement over many columns repeats its word lists and
 * messages per column, and DuckDB plans a statement with parameters twice (at prepare and again once their
 * types are known): a 64-column profile with 1,664 parameters took twice the CPU of the same with literals.
 * A text holding a NUL character (no SQL literal can) or a backslash (an escape in some engines' literals)
 * stays a parameter.
 */
export function textSql(text: string): SqlFragment {
  return /[\0\\]/.test(text) ? sql`${text}` : sql`${stringLiteral(text)}`;
}

function booleanSql(clean: SqlFragment, options: ParseOptions): SqlFragment {
  const lower = (xs: readonly string[]) => xs.map((v) => textSql(v.trim().toLowerCase()));
  const yes = lower(options.trueValues ?? DEFAULT_TRUE_VALUES);
  const no = lower(options.falseValues ?? DEFAULT_FALSE_VALUES);
  return sql`(CASE WHEN lower(${clean}) IN (${join(yes)}) THEN true WHEN lower(${clean}) IN (${join(no)}) THEN false END)`;
}
