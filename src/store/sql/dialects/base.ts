import type { ColumnDef, ColumnType, DdlStatement, Dialect, TableDef } from '../dialect.js';
import { ident, join, raw, type SqlFragment, sql, stringLiteral } from '../sql.js';

/** ANSI-ish names of the portable column types. */
const ANSI_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
  text_list: 'VARCHAR[]',
};

/** A constant default value as an SQL literal. */
export function defaultLiteral(value: string | number | boolean): SqlFragment {
  if (typeof value === 'string') return sql`${stringLiteral(value)}`;
  return sql`${raw(String(value))}`;
}

/** ANSI-ish defaults shared by the engines; each dialect overrides only what differs. */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: string;
  readonly supportsFilterClause: boolean = true;
  readonly supportsQuantile: boolean = true;
  readonly supportsCreateOrReplace: boolean = false;
  readonly supportsTransactions: boolean = true;
  readonly preservesInsertionOrder: boolean = true;

  /** The engine's name for a portable column type. */
  columnType(type: ColumnType): string {
    return ANSI_TYPES[type];
  }
  protected columnSql(column: ColumnDef, table: TableDef): SqlFragment {
    const key = table.primaryKey === column.name ? ' PRIMARY KEY' : column.notNull ? ' NOT NULL' : '';
    const fallback = column.default === undefined ? sql`` : sql` DEFAULT ${defaultLiteral(column.default)}`;
    return sql`${ident(column.name)} ${raw(this.columnType(column.type))}${raw(key)}${fallback}`;
  }
  currentSchema(): SqlFragment {
    return sql`current_schema()`;
  }
  createTableSql(table: TableDef, name: string = table.name): SqlFragment {
    return sql`CREATE TABLE IF NOT EXISTS ${ident(name)} (${join(table.columns.map((c) => this.columnSql(c, table)))})`;
  }
  addColumnSql(table: TableDef, column: ColumnDef): SqlFragment {
    return sql`ALTER TABLE ${ident(table.name)} ADD COLUMN ${this.columnSql(column, table)}`;
  }
  renameTableSql(from: string, to: string): SqlFragment {
    return sql`ALTER TABLE ${ident(from)} RENAME TO ${ident(to)}`;
  }
  swapTablesSql(a: string, b: string): SqlFragment[] {
    const parked = `${a}__swap`;
    return [this.renameTableSql(a, parked), this.renameTableSql(b, a), this.renameTableSql(parked, b)];
  }

  updateSql(table: string, assignments: SqlFragment, where: SqlFragment): SqlFragment {
    return sql`UPDATE ${ident(table)} SET ${assignments} WHERE ${where}`;
  }
  upsertRowSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment[] {
    const others = columns.filter((c) => c !== key);
    const set = join(others.map((c) => sql`${ident(c)} = excluded.${ident(c)}`));
    return [
      sql`${this.insertRowSql(table, columns, values)} ON CONFLICT (${ident(key)}) DO UPDATE SET ${set}`,
    ];
  }
  insertIfAbsentSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment {
    return sql`${this.insertRowSql(table, columns, values)} ON CONFLICT (${ident(key)}) DO NOTHING`;
  }
  protected insertRowSql(
    table: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment {
    return sql`INSERT INTO ${ident(table)} (${join(columns.map((c) => sql`${ident(c)}`))}) VALUES (${join([...values])})`;
  }
  createTableStatements(table: TableDef, name: string = table.name): DdlStatement[] {
    return [{ sql: this.createTableSql(table, name), everyHost: false }];
  }
  dropTableStatements(table: TableDef, name: string = table.name): DdlStatement[] {
    return [{ sql: sql`DROP TABLE IF EXISTS ${ident(name)}`, everyHost: false }];
  }
  swapTableStatements(_table: TableDef, a: string, b: string): DdlStatement[] {
    return this.swapTablesSql(a, b).map((s) => ({ sql: s, everyHost: false }));
  }
  renameTableStatements(_table: TableDef, from: string, to: string): DdlStatement[] {
    return [{ sql: this.renameTableSql(from, to), everyHost: false }];
  }
  broadcastIn(): SqlFragment {
    return sql`IN`;
  }
  broadcastJoin(kind: 'INNER' | 'LEFT' = 'INNER'): SqlFragment {
    return sql`${raw(kind)} JOIN`;
  }

  placeholder(index: number, _value?: unknown): string {
    return `$${index + 1}`;
  }
  dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`(CAST(${to} AS DATE) - CAST(${from} AS DATE))`;
  }
  dateParam(isoDate: string): SqlFragment {
    return sql`CAST(${isoDate} AS DATE)`;
  }
  timestampParam(isoTimestamp: string | null): SqlFragment {
    return sql`CAST(${isoTimestamp} AS TIMESTAMP)`;
  }
  currentTimestamp(): SqlFragment {
    return sql`current_timestamp`;
  }
  formatTimestampMillis(timestamp: SqlFragment): SqlFragment {
    return sql`to_char(${timestamp}, 'YYYY-MM-DD"T"HH24:MI:SS.MS')`;
  }
  writeOrder(_alias: string, fallback: SqlFragment): SqlFragment {
    return fallback;
  }
  sha256Hex(text: SqlFragment): SqlFragment {
    return sql`encode(sha256(convert_to(${text}, 'UTF8')), 'hex')`;
  }
  rewriteColumnSql(
    table: string,
    _columns: readonly string[],
    column: string,
    value: SqlFragment,
    where: SqlFragment,
  ): SqlFragment[] {
    return [this.updateSql(table, sql`${ident(column)} = ${value}`, where)];
  }
  containsText(text: SqlFragment, needle: SqlFragment): SqlFragment {
    return sql`(strpos(${text}, ${needle}) > 0)`;
  }
  addDays(date: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`(CAST(${date} AS DATE) + CAST(${days} AS INTEGER))`;
  }
  addDaysToTimestamp(timestamp: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`(${timestamp} + CAST(${days} AS INTEGER) * INTERVAL '1 day')`;
  }
  truncToMonth(date: SqlFragment): SqlFragment {
    return sql`CAST(date_trunc('month', ${date}) AS DATE)`;
  }
  isoDayOfWeek(date: SqlFragment): SqlFragment {
    return sql`CAST(extract(isodow FROM ${date}) AS INTEGER)`;
  }
  toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE PRECISION)`;
  }
  toBigInt(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS BIGINT)`;
  }
  toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS VARCHAR)`;
  }
  quantile(x: SqlFragment, p: number): SqlFragment {
    return sql`percentile_cont(${p}) WITHIN GROUP (ORDER BY ${x})`;
  }
  countDistinct(x: SqlFragment): SqlFragment {
    return sql`count(DISTINCT ${x})`;
  }
  countIf(condition: SqlFragment): SqlFragment {
    return sql`count(*) FILTER (WHERE ${condition})`;
  }
  sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`coalesce(sum(${x}) FILTER (WHERE ${condition}), 0)`;
  }
  safeDivide(numerator: SqlFragment, denominator: SqlFragment): SqlFragment {
    // A true division everywhere, as in DuckDB: PostgreSQL's `/` truncates integers (1 / 2 = 0) and
    // MySQL's rounds to 4 decimals (div_precision_increment).
    return sql`(${this.toDouble(numerator)} / NULLIF(${denominator}, 0))`;
  }
  roundTo(x: SqlFragment, digits: number): SqlFragment {
    return sql`round(${x}, ${raw(String(Math.trunc(digits)))})`;
  }
  toDecimal(x: SqlFragment, scale: number): SqlFragment {
    return sql`CAST(${x} AS DECIMAL(18, ${raw(String(Math.trunc(scale)))}))`;
  }
  stringAggOrdered(value: SqlFragment, separator: string, key: SqlFragment): SqlFragment {
    return sql`string_agg(${value}, ${stringLiteral(separator)} ORDER BY ${key})`;
  }
  windowDaysPreceding(timestamp: SqlFragment, days: number): SqlFragment {
    return sql`ORDER BY ${timestamp} RANGE BETWEEN INTERVAL ${raw(String(Math.trunc(days)))} DAY PRECEDING AND CURRENT ROW`;
  }
  log1p(x: SqlFragment): SqlFragment {
    return sql`ln(1 + ${x})`;
  }
  argMin(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`(array_agg(${value} ORDER BY ${key}))[1]`;
  }
  hashValues(values: readonly SqlFragment[]): SqlFragment {
    return sql`hashtext(concat_ws('|', ${join(values.map((v) => this.toText(v)))}))`;
  }
  argMax(value: SqlFragment, key: SqlFragment): SqlFragment {
    return sql`(array_agg(${value} ORDER BY ${key} DESC))[1]`;
  }
  greatest(a: SqlFragment, b: SqlFragment): SqlFragment {
    return sql`greatest(${a}, ${b})`;
  }
  least(a: SqlFragment, b: SqlFragment): SqlFragment {
    return sql`least(${a}, ${b})`;
  }
  topLevelCategory(path: SqlFragment): SqlFragment {
    return sql`trim(split_part(regexp_replace(${path}, '\\s*[>/|]\\s*', '>', 'g'), '>', 1))`;
  }
  pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment {
    return sql`array_to_string((string_to_array(${path}, ${separator}))[1:CAST(${depth} AS INTEGER)], ${separator})`;
  }

  // PostgreSQL-style defaults: no TRY_CAST, so casts are guarded by a regular expression.
  tryParseInteger(text: SqlFragment): SqlFragment {
    return sql`(CASE WHEN ${text} ~ '^[+-]?[0-9]+(\\.0*)?$' THEN CAST(CAST(${text} AS NUMERIC) AS BIGINT) END)`;
  }
  tryParseDouble(text: SqlFragment): SqlFragment {
    return sql`(CASE WHEN ${text} ~ '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN CAST(${text} AS DOUBLE PRECISION) END)`;
  }
  tryParseDate(text: SqlFragment, format: string | null): SqlFragment {
    if (format === null)
      return sql`(CASE WHEN ${text} ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN CAST(${text} AS DATE) END)`;
    return sql`CAST(${this.tryParseTimestamp(text, format)} AS DATE)`;
  }
  tryParseTimestamp(text: SqlFragment, format: string | null): SqlFragment {
    if (format === null)
      return sql`(CASE WHEN ${text} ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9:.]+)?(Z|[+-][0-9:]+)?$' THEN CAST(CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END)`;
    return sql`to_timestamp(${text}, ${strptimeToPostgres(format)})::timestamp`;
  }
  splitToList(text: SqlFragment, separator: string): SqlFragment {
    return sql`array_remove(ARRAY(SELECT trim(x) FROM unnest(string_to_array(${text}, ${separator})) AS x), '')`;
  }
  trimChars(text: SqlFragment, chars: string): SqlFragment {
    return sql`btrim(${text}, ${chars})`;
  }
  trimToNull(text: SqlFragment): SqlFragment {
    return sql`NULLIF(trim(${text}), '')`;
  }
}

/** Translates the strptime directives we emit into PostgreSQL's to_timestamp pattern. */
function strptimeToPostgres(format: string): string {
  const map: Record<string, string> = {
    '%Y': 'YYYY',
    '%m': 'MM',
    '%d': 'DD',
    '%H': 'HH24',
    '%M': 'MI',
    '%S': 'SS',
    '%y': 'YY',
    '%f': 'US',
    '%%': '%',
  };
  return format.replace(/%[a-zA-Z%]/g, (d) => map[d] ?? d);
}
