import type { ColumnDef, ColumnType, TableDef } from '../dialect.js';
import { ident, join, raw, type SqlFragment, sql, stringLiteral } from '../sql.js';
import { BaseDialect, defaultLiteral } from './base.js';

const CLICKHOUSE_TYPES: Record<ColumnType, string> = {
  text: 'String',
  integer: 'Int32',
  bigint: 'Int64',
  double: 'Float64',
  boolean: 'Bool',
  // Date covers 1970–2149 only: birth dates need Date32 (1900–2299).
  date: 'Date32',
  timestamp: "DateTime64(6, 'UTC')",
  json: 'String',
  text_list: 'Array(String)',
};

/**
 * ClickHouse (the scale-out engine). Bound parameters use ClickHouse's typed `{pN:Type}` syntax;
 * the engine adapter supplies the values with their inferred types.
 */
export class ClickHouseDialect extends BaseDialect {
  readonly name = 'clickhouse';
  override readonly supportsFilterClause = false;
  override readonly supportsTransactions = false;
  override readonly preservesInsertionOrder = false;

  override columnType(type: ColumnType): string {
    return CLICKHOUSE_TYPES[type];
  }
  protected override columnSql(column: ColumnDef, table: TableDef): SqlFragment {
    const type = this.columnType(column.type);
    // Arrays cannot be Nullable: an absent list is the empty list. Every other column says its nullability
    // outright, so the session's data_type_default_nullable (on for ad-hoc tables) never changes the schema.
    const notNull = column.notNull || table.primaryKey === column.name || column.type === 'text_list';
    const typed = notNull ? type : `Nullable(${type})`;
    const fallback =
      column.default === undefined
        ? column.type === 'text_list'
          ? sql` DEFAULT []`
          : sql``
        : sql` DEFAULT ${defaultLiteral(column.default)}`;
    return sql`${ident(column.name)} ${raw(typed)}${raw(notNull ? ' NOT NULL' : '')}${fallback}`;
  }
  /** A MergeTree table sorted by the natural key: the primary index serves key lookups and joins. */
  override createTableSql(table: TableDef, name: string = table.name): SqlFragment {
    return this.mergeTreeSql(table, name, sql``, sql`MergeTree`);
  }
  /** The columns of a table's DDL, as `CREATE TABLE name (…)` lists them. */
  protected columnsSql(table: TableDef): SqlFragment {
    return join(table.columns.map((c) => this.columnSql(c, table)));
  }
  /** `CREATE TABLE` of a MergeTree-family table, with an `ON CLUSTER` clause (or none) after the name. */
  protected mergeTreeSql(table: TableDef, name: string, on: SqlFragment, engine: SqlFragment): SqlFragment {
    const columns = this.columnsSql(table);
    const keys = join(table.sortKey.map((k) => sql`${ident(k)}`));
    const order =
      table.sortKey.length === 0 ? sql`tuple()` : table.sortKey.length === 1 ? keys : sql`(${keys})`;
    // A key column that may hold NULL needs allow_nullable_key (the natural keys are NOT NULL; a few
    // derived tables key on a nullable id).
    const nullableKey = table.sortKey.some((k) => {
      const c = table.columns.find((x) => x.name === k);
      return c !== undefined && !c.notNull && table.primaryKey !== k && c.type !== 'text_list';
    });
    const settings = nullableKey ? sql` SETTINGS allow_nullable_key = 1` : sql``;
    return sql`CREATE TABLE IF NOT EXISTS ${ident(name)}${on} (${columns}) ENGINE = ${engine} ORDER BY ${order}${settings}`;
  }
  override currentSchema(): SqlFragment {
    return sql`currentDatabase()`;
  }
  override renameTableSql(from: string, to: string): SqlFragment {
    return sql`RENAME TABLE ${ident(from)} TO ${ident(to)}`;
  }
  /** One atomic metadata operation (needs the Atomic database engine, the default since 20.10). */
  override swapTablesSql(a: string, b: string): SqlFragment[] {
    return [sql`EXCHANGE TABLES ${ident(a)} AND ${ident(b)}`];
  }

  /** A synchronous mutation (the session runs with `mutations_sync = 2`): for small bookkeeping tables. */
  override updateSql(table: string, assignments: SqlFragment, where: SqlFragment): SqlFragment {
    return sql`ALTER TABLE ${ident(table)} UPDATE ${assignments} WHERE ${where}`;
  }
  /** No unique keys: the key's row is deleted (a lightweight DELETE), then the new row inserted. */
  override upsertRowSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment[] {
    const value = values[columns.indexOf(key)];
    if (value === undefined) throw new Error(`upsertRowSql: key ${key} is not one of the columns`);
    return [
      sql`DELETE FROM ${ident(table)} WHERE ${ident(key)} = ${value}`,
      this.insertRowSql(table, columns, values),
    ];
  }
  override insertIfAbsentSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment {
    const value = values[columns.indexOf(key)];
    if (value === undefined) throw new Error(`insertIfAbsentSql: key ${key} is not one of the columns`);
    const list = join(columns.map((c) => sql`${ident(c)}`));
    return sql`INSERT INTO ${ident(table)} (${list}) SELECT ${join([...values])} WHERE ${value} NOT IN (SELECT ${ident(key)} FROM ${ident(table)})`;
  }
  override timestampParam(isoTimestamp: string | null): SqlFragment {
    return sql`parseDateTime64BestEffortOrNull(${isoTimestamp}, 6, 'UTC')`;
  }
  override currentTimestamp(): SqlFragment {
    return sql`now64(6, 'UTC')`;
  }
  /** `%f` gives the microseconds of a DateTime64(6): the first 23 characters keep the milliseconds. */
  override formatTimestampMillis(timestamp: SqlFragment): SqlFragment {
    return sql`substring(formatDateTime(toDateTime64(${timestamp}, 6, 'UTC'), '%Y-%m-%dT%H:%i:%S.%f'), 1, 23)`;
  }
  override sha256Hex(text: SqlFragment): SqlFragment {
    return sql`lower(hex(SHA256(${text})))`;
  }
  /** The sort key cannot be mutated: insert the rewritten rows, then delete the old ones. */
  override rewriteColumnSql(
    table: string,
    columns: readonly string[],
    column: string,
    value: SqlFragment,
    where: SqlFragment,
  ): SqlFragment[] {
    const list = join(columns.map((c) => sql`${ident(c)}`));
    const picked = join(columns.map((c) => (c === column ? value : sql`${ident(c)}`)));
    return [
      sql`INSERT INTO ${ident(table)} (${list}) SELECT ${picked} FROM ${ident(table)} WHERE ${where}`,
      sql`DELETE FROM ${ident(table)} WHERE ${where}`,
    ];
  }
  override containsText(text: SqlFragment, needle: SqlFragment): SqlFragment {
    return sql`(position(${text}, ${needle}) > 0)`;
  }

  override placeholder(index: number, value: unknown): string {
    return `{p${index}:${clickHouseParamType(value)}}`;
  }
  override argMin(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`argMin(${value}, ${key})`;
  }
  override hashValues(values: readonly SqlFragment[]): SqlFragment {
    return sql`cityHash64(${join(values)})`;
  }
  override argMax(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`argMax(${value}, ${key})`;
  }
  override dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`dateDiff('day', toDate(${from}), toDate(${to}))`;
  }
  override dateParam(isoDate: string): SqlFragment {
    return sql`toDate(${isoDate})`;
  }
  override addDays(date: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`addDays(toDate(${date}), ${days})`;
  }
  override addDaysToTimestamp(timestamp: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`addDays(${timestamp}, ${days})`;
  }
  override truncToMonth(date: SqlFragment): SqlFragment {
    return sql`toStartOfMonth(${date})`;
  }
  override isoDayOfWeek(date: SqlFragment): SqlFragment {
    return sql`toDayOfWeek(${date})`;
  }
  override toDouble(x: SqlFragment): SqlFragment {
    return sql`toFloat64(${x})`;
  }
  override toBigInt(x: SqlFragment): SqlFragment {
    // toInt64 truncates (2.6 → 2); the other engines round.
    return sql`toInt64(round(${x}))`;
  }
  override toText(x: SqlFragment): SqlFragment {
    return sql`toString(${x})`;
  }
  override quantile(x: SqlFragment, p: number): SqlFragment {
    // quantileExact returns a data point (median of 1…10 = 6); quantileExactInclusive interpolates
    // linearly like percentile_cont / DuckDB's quantile_cont (5.5).
    return sql`quantileExactInclusive(${p})(${x})`;
  }
  override countDistinct(x: SqlFragment): SqlFragment {
    return sql`uniqExact(${x})`;
  }
  override countIf(condition: SqlFragment): SqlFragment {
    return sql`countIf(${condition})`;
  }
  override sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`sumIf(${x}, ${condition})`;
  }
  override safeDivide(numerator: SqlFragment, denominator: SqlFragment): SqlFragment {
    return sql`if((${denominator}) = 0, NULL, (${numerator}) / (${denominator}))`;
  }
  override roundTo(x: SqlFragment, digits: number): SqlFragment {
    const scale = raw(`1e${Math.trunc(digits)}`);
    return sql`(if((${x}) * ${scale} >= 0, floor((${x}) * ${scale} + 0.5), -floor(-(${x}) * ${scale} + 0.5)) / ${scale})`;
  }
  /** Through the shortest decimal text of the rounded double: a float-to-decimal cast truncates 24.24 to 24.2399. */
  override toDecimal(x: SqlFragment, scale: number): SqlFragment {
    const s = raw(String(Math.trunc(scale)));
    return sql`toDecimal64(toString(${this.roundTo(x, scale)}), ${s})`;
  }
  /** Tuples sort by their first element: the key, then the text. */
  override stringAggOrdered(value: SqlFragment, separator: string, key: SqlFragment): SqlFragment {
    return sql`arrayStringConcat(arrayMap(x -> x.2, arraySort(groupArray(tuple(${key}, ${value})))), ${stringLiteral(separator)})`;
  }
  override windowDaysPreceding(timestamp: SqlFragment, days: number): SqlFragment {
    // The offset must fit 32 bits: whole seconds (sub-second differences at the frame's edge are ignored).
    const seconds = Math.trunc(days) * 86_400;
    return sql`ORDER BY toUnixTimestamp(${timestamp}) RANGE BETWEEN ${raw(String(seconds))} PRECEDING AND CURRENT ROW`;
  }
  override log1p(x: SqlFragment): SqlFragment {
    return sql`log1p(${x})`;
  }
  override topLevelCategory(path: SqlFragment): SqlFragment {
    return sql`trimBoth(splitByChar('>', replaceRegexpAll(${path}, '\\s*[>/|]\\s*', '>'))[1])`;
  }
  override pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment {
    return sql`arrayStringConcat(arraySlice(splitByString(${separator}, ${path}), 1, ${depth}), ${separator})`;
  }
  override tryParseInteger(text: SqlFragment): SqlFragment {
    return sql`toInt64OrNull(${text})`;
  }
  override tryParseDouble(text: SqlFragment): SqlFragment {
    return sql`if(isFinite(toFloat64OrZero(${text})), toFloat64OrNull(${text}), NULL)`;
  }
  override tryParseDate(text: SqlFragment, format: string | null): SqlFragment {
    if (format === null) return sql`toDate32OrNull(${text})`;
    return sql`toDate32(parseDateTime64OrNull(${text}, 0, ${format.replaceAll('%M', '%i')}))`;
  }
  override tryParseTimestamp(text: SqlFragment, format: string | null): SqlFragment {
    if (format === null) return sql`parseDateTime64BestEffortOrNull(${text}, 6, 'UTC')`;
    return sql`parseDateTime64OrNull(${text}, 0, ${format.replaceAll('%M', '%i')})`;
  }
  override splitToList(text: SqlFragment, separator: string): SqlFragment {
    return sql`arrayFilter(x -> x != '', arrayMap(x -> trimBoth(x), splitByString(${separator}, ${text})))`;
  }
  override trimChars(text: SqlFragment, chars: string): SqlFragment {
    return sql`trimBoth(${text}, ${chars})`;
  }
}

export const clickhouseDialect = new ClickHouseDialect();

function clickHouseParamType(value: unknown): string {
  if (value === null || value === undefined) return 'Nullable(String)';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'bigint') return 'Int64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int64' : 'Float64';
  if (Array.isArray(value)) return `Array(${clickHouseParamType(value[0] ?? '')})`;
  return 'String';
}
