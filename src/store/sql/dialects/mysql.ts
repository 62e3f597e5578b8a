import { ident, join, raw, type SqlFragment, sql, stringLiteral } from '../sql.js';
import { BaseDialect } from './base.js';

export class MySqlDialect extends BaseDialect {
  readonly name = 'mysql';
  /** MySQL rounds a DOUBLE's halves to even; an exact DECIMAL rounds them away from zero, as DuckDB does. */
  override stringAggOrdered(value: SqlFragment, separator: string, key: SqlFragment): SqlFragment {
    return sql`GROUP_CONCAT(${value} ORDER BY ${key} SEPARATOR ${stringLiteral(separator)})`;
  }
  override roundTo(x: SqlFragment, digits: number): SqlFragment {
    return sql`(ROUND(CAST(${x} AS DECIMAL(65, 30)), ${raw(String(Math.trunc(digits)))}) + 0e0)`;
  }
  override readonly supportsFilterClause = false;
  override readonly supportsQuantile = false;

  override placeholder(_index: number, _value?: unknown): string {
    return '?';
  }
  override upsertRowSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment[] {
    const set = join(columns.filter((c) => c !== key).map((c) => sql`${ident(c)} = VALUES(${ident(c)})`));
    return [sql`${this.insertRowSql(table, columns, values)} ON DUPLICATE KEY UPDATE ${set}`];
  }
  override insertIfAbsentSql(
    table: string,
    _key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment {
    return sql`INSERT IGNORE INTO ${ident(table)} (${join(columns.map((c) => sql`${ident(c)}`))}) VALUES (${join([...values])})`;
  }
  override timestampParam(isoTimestamp: string | null): SqlFragment {
    return sql`CAST(REPLACE(${isoTimestamp}, 'T', ' ') AS DATETIME(3))`;
  }
  override formatTimestampMillis(timestamp: SqlFragment): SqlFragment {
    return sql`LEFT(DATE_FORMAT(${timestamp}, '%Y-%m-%dT%H:%i:%s.%f'), 23)`;
  }
  override sha256Hex(text: SqlFragment): SqlFragment {
    return sql`SHA2(${text}, 256)`;
  }
  override containsText(text: SqlFragment, needle: SqlFragment): SqlFragment {
    return sql`(LOCATE(${needle}, ${text}) > 0)`;
  }
  override dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`DATEDIFF(${to}, ${from})`;
  }
  override addDays(date: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`DATE_ADD(${date}, INTERVAL ${days} DAY)`;
  }
  override addDaysToTimestamp(timestamp: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`DATE_ADD(${timestamp}, INTERVAL ${days} DAY)`;
  }
  override truncToMonth(date: SqlFragment): SqlFragment {
    return sql`CAST(DATE_FORMAT(${date}, '%Y-%m-01') AS DATE)`;
  }
  override isoDayOfWeek(date: SqlFragment): SqlFragment {
    // Parenthesised: the helper's result is used inside larger expressions (`… * 10`).
    return sql`(WEEKDAY(${date}) + 1)`;
  }
  override toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE)`;
  }
  override toBigInt(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS SIGNED)`;
  }
  override toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS CHAR)`;
  }
  override argMin(value: SqlFragment, key: SqlFragment): SqlFragment {
    // No arg_min or array_agg: the first element of the values ordered by key.
    return sql`CAST(SUBSTRING_INDEX(GROUP_CONCAT(${value} ORDER BY ${key} SEPARATOR ','), ',', 1) AS DOUBLE)`;
  }
  override hashValues(values: readonly SqlFragment[]): SqlFragment {
    return sql`crc32(concat_ws('|', ${join(values)}))`;
  }
  override argMax(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`CAST(SUBSTRING_INDEX(GROUP_CONCAT(${value} ORDER BY ${key} DESC SEPARATOR ','), ',', 1) AS DOUBLE)`;
  }
  override countIf(condition: SqlFragment): SqlFragment {
    return sql`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  }
  override sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`coalesce(sum(CASE WHEN ${condition} THEN ${x} END), 0)`;
  }
  override topLevelCategory(path: SqlFragment): SqlFragment {
    return sql`trim(SUBSTRING_INDEX(REGEXP_REPLACE(${path}, '\\s*[>/|]\\s*', '>'), '>', 1))`;
  }
  override pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment {
    return sql`SUBSTRING_INDEX(${path}, ${separator}, ${depth})`;
  }
  override tryParseInteger(text: SqlFragment): SqlFragment {
    return sql`(CASE WHEN ${text} REGEXP '^[+-]?[0-9]+([.]0*)?$' THEN CAST(${text} AS SIGNED) END)`;
  }
  override tryParseDouble(text: SqlFragment): SqlFragment {
    return sql`(CASE WHEN ${text} REGEXP '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN CAST(${text} AS DOUBLE) END)`;
  }
  override tryParseDate(text: SqlFragment, format: string | null): SqlFragment {
    // STR_TO_DATE yields NULL on a mismatch and shares strptime's %Y %m %d directives.
    return sql`CAST(STR_TO_DATE(${text}, ${format ?? '%Y-%m-%d'}) AS DATE)`;
  }
  override tryParseTimestamp(text: SqlFragment, format: string | null): SqlFragment {
    if (format !== null) return sql`STR_TO_DATE(${text}, ${format.replaceAll('%M', '%i')})`;
    return sql`CAST(STR_TO_DATE(REPLACE(${text}, 'T', ' '), '%Y-%m-%d %H:%i:%s') AS DATETIME)`;
  }
  override splitToList(text: SqlFragment, separator: string): SqlFragment {
    // MySQL has no arrays: the list travels as a JSON array (items are not trimmed here).
    return sql`CAST(CONCAT('["', REPLACE(REPLACE(${text}, '"', '\\"'), ${separator}, '","'), '"]') AS JSON)`;
  }
  override trimChars(text: SqlFragment, chars: string): SqlFragment {
    // TRIM strips one string, not a set of characters: strip each character, twice over.
    let out = text;
    for (const c of [...chars, ...chars]) out = sql`TRIM(BOTH ${c} FROM ${out})`;
    return out;
  }
}

export const mysqlDialect = new MySqlDialect();
