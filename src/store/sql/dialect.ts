import type { SqlFragment } from './sql.js';

/** Portable column types of the canonical schema; each dialect names them in its own DDL. */
export type ColumnType =
  | 'text'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'json'
  | 'text_list';

/** One column of a table definition. */
export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull?: boolean;
  /** A constant default (rendered as a literal). */
  readonly default?: string | number | boolean;
}

/** A table definition, rendered to DDL by {@link Dialect.createTableSql}. */
export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** A single-column primary key enforced by the engine where it can (DuckDB, PostgreSQL). */
  readonly primaryKey?: string;
  /**
   * Columns the rows are sorted and looked up by (the natural key's leading columns; NOT NULL): the
   * MergeTree `ORDER BY` on ClickHouse. Engines with ordinary heaps ignore it.
   */
  readonly sortKey: readonly string[];
  /** Rows belong to one customer (`customer_id`): a cluster shards them on that key. */
  readonly perCustomer?: boolean;
  /**
   * A big table whose rows carry no customer id (order lines): a cluster shards it on `cityHash64` of this
   * column instead of copying it to every host.
   */
  readonly shardColumn?: string;
}

/**
 * One DDL statement and where it runs: on the host the engine talks to, or on every host of a cluster
 * (ClickHouse without Keeper: the engine sends it to each host in turn).
 */
export interface DdlStatement {
  readonly sql: SqlFragment;
  readonly everyHost: boolean;
}

/**
 * What differs between engines, as named semantic helpers and capability flags.
 * Code outside `store/sql/dialects/` never checks which engine it runs on: it asks the dialect.
 */
export interface Dialect {
  /** For messages and snapshots only; never branch on it outside `store/sql/dialects/`. */
  readonly name: string;
  /** Placeholder text for bound parameter number `index` (0-based) holding `value`. */
  placeholder(index: number, value: unknown): string;

  // Capability flags.
  /** `count(*) FILTER (WHERE …)` is supported. */
  readonly supportsFilterClause: boolean;
  /** An exact `quantile_cont` aggregate is available. */
  readonly supportsQuantile: boolean;
  /** `CREATE OR REPLACE TABLE` is supported. */
  readonly supportsCreateOrReplace: boolean;
  /**
   * `transaction()` really rolls back (DuckDB, PostgreSQL). ClickHouse has no multi-statement transactions:
   * writers that must be all-or-nothing build a staging table and swap it in ({@link Dialect.swapTablesSql}).
   */
  readonly supportsTransactions: boolean;
  /**
   * `SELECT * FROM t` returns rows in the order they were written (DuckDB). ClickHouse reads parts and
   * granules in parallel: code that feeds rows to a seeded model orders them explicitly there.
   */
  readonly preservesInsertionOrder: boolean;

  // DDL.
  /** The schema (DuckDB, PostgreSQL) or database (ClickHouse) that unqualified table names resolve in. */
  currentSchema(): SqlFragment;
  /** `CREATE TABLE IF NOT EXISTS` for a definition, under `name` (default: the definition's name). */
  createTableSql(table: TableDef, name?: string): SqlFragment;
  /** `ALTER TABLE … ADD COLUMN` for one column of a definition (a migration of an existing table). */
  addColumnSql(table: TableDef, column: ColumnDef): SqlFragment;
  /** Renames a table (no other table of the new name exists). */
  renameTableSql(from: string, to: string): SqlFragment;
  /**
   * Statements that atomically swap the contents of two existing tables of the same columns (ClickHouse
   * `EXCHANGE TABLES`; elsewhere three renames inside the caller's transaction).
   */
  swapTablesSql(a: string, b: string): SqlFragment[];
  /**
   * Changes rows in place: `UPDATE table SET assignments WHERE where` (ClickHouse: a synchronous
   * `ALTER TABLE … UPDATE` mutation; meant for small bookkeeping tables such as tokens and the audit log).
   */
  updateSql(table: string, assignments: SqlFragment, where: SqlFragment): SqlFragment;
  /**
   * Statements that insert one row or, when a row with the same `key` exists, replace its other columns
   * (`ON CONFLICT … DO UPDATE`; ClickHouse, which has no unique keys: delete the key's row, then insert).
   * `values` holds one fragment per column, in the order of `columns`; `key` is one of the columns.
   */
  upsertRowSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment[];
  /**
   * Inserts one row unless a row with the same `key` exists (`ON CONFLICT DO NOTHING`). `values` holds one
   * fragment per column, in the order of `columns`.
   */
  insertIfAbsentSql(
    table: string,
    key: string,
    columns: readonly string[],
    values: readonly SqlFragment[],
  ): SqlFragment;
  /**
   * Statements that create a table from its definition (run them with `runDdl`). One statement on a single
   * host; on a ClickHouse cluster a per-customer table is a local table on every host plus a `Distributed`
   * table sharded on the customer, and any other table is a full copy on every host.
   */
  createTableStatements(table: TableDef, name?: string): DdlStatement[];
  /** Statements that drop a table made by {@link createTableStatements} (no error when it is absent). */
  dropTableStatements(table: TableDef, name?: string): DdlStatement[];
  /** Statements that swap two tables made by {@link createTableStatements} from the same definition. */
  swapTableStatements(table: TableDef, a: string, b: string): DdlStatement[];
  /** Statements that rename a table made by {@link createTableStatements} (no table of the new name exists). */
  renameTableStatements(table: TableDef, from: string, to: string): DdlStatement[];
  /**
   * The `IN` operator for a subquery over sharded tables that every shard must see whole (ClickHouse cluster:
   * `GLOBAL IN`, the subquery runs once and is broadcast); plain `IN` elsewhere.
   */
  broadcastIn(): SqlFragment;
  /** The join keyword for a join whose right side every shard must see whole (`GLOBAL JOIN` on a cluster). */
  broadcastJoin(kind?: 'INNER' | 'LEFT'): SqlFragment;

  // Semantic helpers. Arguments are SQL fragments (columns or expressions); results are fragments.
  /** Whole days from `from` to `to` (to − from), for DATE or TIMESTAMP inputs. */
  dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment;
  /** A bound ISO date string (`YYYY-MM-DD`) as a DATE value. */
  dateParam(isoDate: string): SqlFragment;
  /**
   * A bound ISO timestamp (`YYYY-MM-DDTHH:MM:SS.mmm`, UTC; null gives NULL) as a TIMESTAMP, keeping the
   * milliseconds (ClickHouse's `::TIMESTAMP` is a DateTime of whole seconds).
   */
  timestampParam(isoTimestamp: string | null): SqlFragment;
  /** The current time as a TIMESTAMP (UTC), for `created_at`-style columns. */
  currentTimestamp(): SqlFragment;
  /** A TIMESTAMP as ISO text to the millisecond, `YYYY-MM-DDTHH:MM:SS.mmm` (what the audit chain hashes). */
  formatTimestampMillis(timestamp: SqlFragment): SqlFragment;
  /**
   * An ORDER BY key that follows the order rows were written in, for tables of `alias`: DuckDB's `rowid`.
   * Engines without one (ClickHouse) order by `fallback`, a column that grows as rows are written.
   */
  writeOrder(alias: string, fallback: SqlFragment): SqlFragment;
  /** The SHA-256 of a text as 64 lower-case hex digits (NULL stays NULL). */
  sha256Hex(text: SqlFragment): SqlFragment;
  /**
   * Statements that set `column` to `value` (an expression over the row's own columns) in the rows matching
   * `where`: an `UPDATE` (ClickHouse, where the column may be in the sort key, which no mutation may change:
   * the rewritten rows are inserted, then the matching ones deleted, so `where` must not match a rewritten
   * row). `columns` lists every column of the table in order.
   */
  rewriteColumnSql(
    table: string,
    columns: readonly string[],
    column: string,
    value: SqlFragment,
    where: SqlFragment,
  ): SqlFragment[];
  /** Whether `text` contains `needle` (plain text, case-sensitive), as a boolean. */
  containsText(text: SqlFragment, needle: SqlFragment): SqlFragment;
  /** `date + days` as a DATE. */
  addDays(date: SqlFragment, days: SqlFragment): SqlFragment;
  /** A TIMESTAMP plus a whole number of days (`days` an integer expression or bound value), as a TIMESTAMP. */
  addDaysToTimestamp(timestamp: SqlFragment, days: SqlFragment): SqlFragment;
  /** First day of the month of a DATE/TIMESTAMP. */
  truncToMonth(date: SqlFragment): SqlFragment;
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  isoDayOfWeek(date: SqlFragment): SqlFragment;
  /** Cast to double precision. */
  toDouble(x: SqlFragment): SqlFragment;
  /** Cast to a 64-bit integer. */
  toBigInt(x: SqlFragment): SqlFragment;
  /** Cast to text. */
  toText(x: SqlFragment): SqlFragment;
  /** Continuous quantile aggregate (p in 0–1). */
  quantile(x: SqlFragment, p: number): SqlFragment;
  /** Exact distinct count aggregate. */
  countDistinct(x: SqlFragment): SqlFragment;
  /** Count of rows where `condition` holds, as an aggregate. */
  countIf(condition: SqlFragment): SqlFragment;
  /** Sum of `x` where `condition` holds, as an aggregate (0 when none). */
  sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment;
  /** Division that yields NULL instead of failing on a zero divisor. */
  safeDivide(numerator: SqlFragment, denominator: SqlFragment): SqlFragment;
  /**
   * `x` rounded to `digits` decimals, halves away from zero as DuckDB rounds a DOUBLE (`round(x * 10^d) / 10^d`).
   * ClickHouse's own `round` on floats rounds halves to even, so 0.125 would become 0.12 there.
   */
  roundTo(x: SqlFragment, digits: number): SqlFragment;
  /** A double as an exact DECIMAL(18, scale), rounded to the nearest (ClickHouse's own cast truncates). */
  toDecimal(x: SqlFragment, scale: number): SqlFragment;
  /** Aggregate: the texts `value` joined by `separator` in ascending order of the numeric `key`. */
  stringAggOrdered(value: SqlFragment, separator: string, key: SqlFragment): SqlFragment;
  /**
   * A window's `ORDER BY timestamp RANGE BETWEEN <days> days PRECEDING AND CURRENT ROW` (days a whole number):
   * ClickHouse takes only a 32-bit numeric offset, so it orders by whole seconds there.
   */
  windowDaysPreceding(timestamp: SqlFragment, days: number): SqlFragment;
  /** Natural logarithm of (1 + x). */
  log1p(x: SqlFragment): SqlFragment;
  /** Aggregate: the `value` of the row with the smallest `key` (ties: any one of them). */
  argMin(value: SqlFragment, key: SqlFragment): SqlFragment;
  /**
   * A 64-bit hash of several values, for fingerprints of a table's contents (cache keys): the value differs
   * between engines, never between two runs on one engine.
   */
  hashValues(values: readonly SqlFragment[]): SqlFragment;
  /** Aggregate: the `value` of the row with the largest `key` (ties: any one of them). */
  argMax(value: SqlFragment, key: SqlFragment): SqlFragment;
  /** Greatest of two values, NULLs ignored where the engine allows. */
  greatest(a: SqlFragment, b: SqlFragment): SqlFragment;
  /**
   * Least of two values, NULLs ignored where the engine allows. Unlike a `CASE` choosing between them, it
   * gives one type when they differ (ClickHouse: a count's UInt64 and a bound Int64 make a CASE a `Variant`,
   * which GROUP BY refuses; `least` makes it Int64).
   */
  least(a: SqlFragment, b: SqlFragment): SqlFragment;
  /**
   * The top level of a category path such as `Women > Shoes > Boots`, `Women/Shoes` or `Women|Shoes`
   * (separators `>`, `/`, `|`, surrounding spaces trimmed): `Women`. NULL stays NULL.
   */
  topLevelCategory(path: SqlFragment): SqlFragment;
  /**
   * The first `depth` levels of a delimited path, joined by the same separator
   * (`'Food > Dairy > Milk'`, `' > '`, 2 → `'Food > Dairy'`; the whole path when it is shorter).
   */
  pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment;

  // Text → typed value, for ingest. Each yields NULL (never an error) when the text does not parse.
  /** Text holding a plain integer (`-12`, `+5`, `3.0`) as a 64-bit integer, else NULL. */
  tryParseInteger(text: SqlFragment): SqlFragment;
  /** Text holding a plain decimal number with a dot (`-1.5e3`) as a finite double, else NULL. */
  tryParseDouble(text: SqlFragment): SqlFragment;
  /** Text as a DATE with a strptime `format` (`%d/%m/%Y`); `null` means ISO `YYYY-MM-DD`. */
  tryParseDate(text: SqlFragment, format: string | null): SqlFragment;
  /**
   * Text as a TIMESTAMP with a strptime `format`; `null` means ISO 8601, where a trailing `Z` or
   * `+hh:mm` offset is converted to UTC.
   */
  tryParseTimestamp(text: SqlFragment, format: string | null): SqlFragment;
  /** Text split on `separator` into a text array; items trimmed, empty items dropped. */
  splitToList(text: SqlFragment, separator: string): SqlFragment;
  /** Removes any of the characters in `chars` from both ends of the text. */
  trimChars(text: SqlFragment, chars: string): SqlFragment;
  /** The text with spaces trimmed from both ends (as the engine's `trim`), '' as NULL. */
  trimToNull(text: SqlFragment): SqlFragment;
}
