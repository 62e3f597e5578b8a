import { ident, join, type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class DuckDbDialect extends BaseDialect {
  readonly name = 'duckdb';
  override readonly supportsCreateOrReplace = true;

  /**
   * DuckDB's trim removes ' ' and non-ASCII spaces only; an ASCII text that neither starts nor ends with ' '
   * is its own trim, and skipping the call there halves the cost of cleaning every field of an import.
   */
  override trimToNull(text: SqlFragment): SqlFragment {
    return sql`(CASE WHEN ${text} = '' THEN NULL WHEN starts_with(${text}, ' ') OR ends_with(${text}, ' ') OR strlen(${text}) <> length(${text}) THEN NULLIF(trim(${text}), '') ELSE ${text} END)`;
  }

  override formatTimestampMillis(timestamp: SqlFragment): SqlFragment {
    return sql`strftime(${timestamp}, '%Y-%m-%dT%H:%M:%S.%g')`;
  }
  override writeOrder(alias: string, _fallback: SqlFragment): SqlFragment {
    return sql`${ident(alias)}.rowid`;
  }
  override sha256Hex(text: SqlFragment): SqlFragment {
    return sql`sha256(${text})`;
  }
  override containsText(text: SqlFragment, needle: SqlFragment): SqlFragment {
    return sql`contains(${text}, ${needle})`;
  }

  override dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`date_diff('day', CAST(${from} AS DATE), CAST(${to} AS DATE))`;
  }
  override toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE)`;
  }
  override quantile(x: SqlFragment, p: number): SqlFragment {
    return sql`quantile_cont(${x}, ${p})`;
  }
  override argMin(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`arg_min(${value}, ${key})`;
  }
  override hashValues(values: readonly SqlFragment[]): SqlFragment {
    return sql`hash(${join(values)})`;
  }
  override argMax(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`arg_max(${value}, ${key})`;
  }
  override log1p(x: SqlFragment): SqlFragment {
    return sql`ln(1 + ${x})`;
  }
  override pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment {
    return sql`array_to_string(list_slice(string_split(${path}, ${separator}), 1, CAST(${depth} AS INTEGER)), ${separator})`;
  }
  override tryParseInteger(text: SqlFragment): SqlFragment {
    // TRY_CAST rounds '1.5' to 2: a value is an integer only when its double equals its integer.
    return sql`(CASE WHEN TRY_CAST(${text} AS DOUBLE) = TRY_CAST(${text} AS BIGINT) THEN TRY_CAST(${text} AS BIGINT) END)`;
  }
  override tryParseDouble(text: SqlFragment): SqlFragment {
    // TRY_CAST accepts 'nan' and 'inf': a data file never means those, so they are no number.
    return sql`(CASE WHEN isfinite(TRY_CAST(${text} AS DOUBLE)) THEN TRY_CAST(${text} AS DOUBLE) END)`;
  }
  override tryParseDate(text: SqlFragment, format: string | null): SqlFragment {
    if (format === null || format === '%Y-%m-%d') return sql`TRY_CAST(${text} AS DATE)`;
    return sql`CAST(try_strptime(${text}, ${format}) AS DATE)`;
  }
  override tryParseTimestamp(text: SqlFragment, format: string | null): SqlFragment {
    if (format !== null) return sql`try_strptime(${text}, ${format})`;
    // A plain TIMESTAMP cast silently drops a '+02:00' offset: such values go through TIMESTAMPTZ.
    return sql`(CASE WHEN regexp_matches(${text}, '[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]+)?)? ?(Z|[+-][0-9][0-9](:?[0-9][0-9])?)$') THEN timezone('UTC', TRY_CAST(${text} AS TIMESTAMPTZ)) ELSE TRY_CAST(${text} AS TIMESTAMP) END)`;
  }
  override splitToList(text: SqlFragment, separator: string): SqlFragment {
    return sql`list_filter(list_transform(string_split(${text}, ${separator}), lambda x: trim(x)), lambda x: x <> '')`;
  }
  override trimChars(text: SqlFragment, chars: string): SqlFragment {
    return sql`trim(${text}, ${chars})`;
  }
}

export const duckdbDialect = new DuckDbDialect();
