import { join, type SqlFragment, sql } from '../../store/index.js';
import type { ParseOptions } from '../types.js';

/**
 * Text → typed SQL for the loader. A blank text (empty, spaces, or one of `nullValues`) is NULL; a
 * non-blank text that does not parse is also NULL, and the loader turns that into a reject (it checks
 * `isBlankSql` to tell the two apart).
 */

/** TRUE when the text is missing: NULL, only spaces, or one of the `nullValues` (case-insensitive). */
export function isBlankSql(text: SqlFragment, options: Pick<ParseOptions, 'nullValues'> = {}): SqlFragment {
  const extra = (options.nullValues ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (extra.length === 0) return sql`(${text} IS NULL OR trim(${text}) = '')`;
  return sql`(${text} IS NULL OR trim(${text}) = '' OR lower(trim(${text})) IN (${join(extra.map((v) => sql`${v}`))}))`;
}

/** The SQL type a parsed value has. */
export function sqlType(type: ParseOptions['type']): string {
  switch (type) {
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
    default:
      return 'VARCHAR';
  }
}

const DEFAULT_TRUE = ['true', 't', 'yes', 'y', '1', 'ja', 'j', 'oui', 'wahr', 'да', 'x'];
const DEFAULT_FALSE = ['false', 'f', 'no', 'n', '0', 'nee', 'non', 'nein', 'falsch', 'нет'];

/** Parses trimmed, non-blank text into `options.type`; NULL when blank or unparseable. */
export function parseValueSql(text: SqlFragment, options: ParseOptions): SqlFragment {
  const t = sql`CASE WHEN ${isBlankSql(text, options)} THEN NULL ELSE trim(${text}) END`;
  switch (options.type) {
    case 'string':
      return t;
    case 'integer':
    case 'number': {
      const n = numberText(t, options);
      return options.type === 'integer'
        ? sql`CASE WHEN TRY_CAST(${n} AS DOUBLE) = round(TRY_CAST(${n} AS DOUBLE)) THEN TRY_CAST(TRY_CAST(${n} AS DOUBLE) AS BIGINT) END`
        : sql`TRY_CAST(${n} AS DOUBLE)`;
    }
    case 'boolean': {
      const yes = (options.trueValues ?? DEFAULT_TRUE).map((v) => sql`${v.toLowerCase()}`);
      const no = (options.falseValues ?? DEFAULT_FALSE).map((v) => sql`${v.toLowerCase()}`);
      return sql`CASE WHEN lower(${t}) IN (${join(yes)}) THEN true WHEN lower(${t}) IN (${join(no)}) THEN false END`;
    }
    case 'date':
      return options.dateFormat
        ? sql`CAST(try_strptime(${t}, ${options.dateFormat}) AS DATE)`
        : sql`TRY_CAST(${t} AS DATE)`;
    case 'timestamp':
      return options.dateFormat
        ? sql`try_strptime(${t}, ${options.dateFormat})`
        : sql`TRY_CAST(${t} AS TIMESTAMP)`;
    case 'list': {
      const sep = options.listSeparator ?? '|';
      return sql`list_filter(list_transform(string_split(${t}, ${sep}), x -> trim(x)), x -> x <> '')`;
    }
  }
}

function numberText(t: SqlFragment, options: ParseOptions): SqlFragment {
  let n = t;
  if (options.thousands) n = sql`replace(${n}, ${options.thousands}, '')`;
  if (options.decimal === ',') n = sql`replace(${n}, ',', '.')`;
  return n;
}
