/**
 * How the ClickHouse engine reaches a ClickHouse: in-process through `chdb`, or over HTTP through
 * `@clickhouse/client`. The engine only speaks this small interface, so the connection is injectable
 * (tests hand it a chdb session; `--db clickhouse://…` hands it an HTTP client).
 */

/** One result in ClickHouse's `JSONCompact` shape: column names and types, then rows as arrays. */
export interface CompactResult {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

export interface ClickHouseTransport {
  /** For messages: `chdb:/data/ch` or `clickhouse://user@host:8123/db` (never the password). */
  readonly description: string;
  /** Runs a SELECT (read-only where the transport can enforce it) with `{pN:Type}` parameters bound. */
  query(text: string, params: Record<string, unknown>): Promise<CompactResult>;
  /** Runs a statement (DDL, INSERT … SELECT, SET) and discards any result. */
  command(text: string, params: Record<string, unknown>): Promise<void>;
  /** Appends the rows of a Parquet file (columns in table order) to `table`. */
  insertParquet(table: string, path: string): Promise<void>;
  /** Writes the result of a SELECT (our own constant SQL) to a local Parquet file, replacing it. */
  exportParquet(select: string, path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The session settings every connection runs with, so ClickHouse answers like the other engines:
 * - `join_use_nulls`: an outer join's missing side is NULL (ClickHouse's default fills in 0 and '').
 * - `aggregate_functions_null_for_empty`: sum/min/max over no rows is NULL, as in SQL.
 * - `data_type_default_nullable`: ad-hoc `CREATE TABLE (x DOUBLE)` columns accept NULL (the canonical
 *   schema states every column's nullability outright).
 * - `default_table_engine` + `create_table_empty_primary_key_by_default`: `CREATE TABLE … AS SELECT` (feature
 *   tables, scores) works without an ENGINE clause.
 * - `session_timezone = 'UTC'`: timestamps are read and written in UTC, as in DuckDB's TIMESTAMP.
 * - `output_format_json_quote_64bit_integers`: 64-bit integers come back as strings, converted by the
 *   engine to numbers where exact (|n| ≤ 2^53), else kept as strings, never silently rounded.
 * - `cast_keep_nullable`: `CAST(NULL AS …)` stays NULL.
 * - `prefer_column_name_to_alias`: in `sum(clv) AS clv … min(clv)`, `clv` is the column, as in SQL.
 * - `union/except/intersect_default_mode = 'DISTINCT'`: a bare `UNION` removes duplicates, as in SQL.
 * - `mutations_sync`: a lightweight `DELETE` is visible to the next statement.
 * - `group_by_use_nulls`: in `GROUPING SETS`/`ROLLUP`, the columns a set does not group by are NULL, as in
 *   SQL (ClickHouse's default fills in 0 and '', so the overview's total row looked like a month).
 */
export const SESSION_SETTINGS: Readonly<Record<string, string | number>> = {
  join_use_nulls: 1,
  aggregate_functions_null_for_empty: 1,
  data_type_default_nullable: 1,
  default_table_engine: 'MergeTree',
  create_table_empty_primary_key_by_default: 1,
  session_timezone: 'UTC',
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 0,
  cast_keep_nullable: 1,
  prefer_column_name_to_alias: 1,
  union_default_mode: 'DISTINCT',
  except_default_mode: 'DISTINCT',
  intersect_default_mode: 'DISTINCT',
  mutations_sync: 2,
  group_by_use_nulls: 1,
};
