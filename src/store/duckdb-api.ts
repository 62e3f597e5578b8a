/**
 * @duckdb/node-api, loaded with require(). It is a CommonJS package of about 180 files: imported from an ES
 * module, Node first scans every one of them for its named exports (cjs-module-lexer), which took ~170 ms of
 * CPU of every command that opens a datamart (issue 20, CLI start-up); require() loads the same package
 * without that scan. Import DuckDB's values from here; types may still come from '@duckdb/node-api'.
 */
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';

const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof Api;

export const BIGINT: typeof Api.BIGINT = api.BIGINT;
export const DOUBLE: typeof Api.DOUBLE = api.DOUBLE;
export const VARCHAR: typeof Api.VARCHAR = api.VARCHAR;
export const DuckDBBigIntType: typeof Api.DuckDBBigIntType = api.DuckDBBigIntType;
export const DuckDBDataChunk: typeof Api.DuckDBDataChunk = api.DuckDBDataChunk;
export const DuckDBInstance: typeof Api.DuckDBInstance = api.DuckDBInstance;
export const DuckDBTypeId: typeof Api.DuckDBTypeId = api.DuckDBTypeId;
export const DuckDBVarCharType: typeof Api.DuckDBVarCharType = api.DuckDBVarCharType;
export const JSDuckDBValueConverter: typeof Api.JSDuckDBValueConverter = api.JSDuckDBValueConverter;
export const StatementType: typeof Api.StatementType = api.StatementType;
export type DuckDBBigIntType = Api.DuckDBBigIntType;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export type DuckDBInstance = Api.DuckDBInstance;
export type DuckDBTypeId = Api.DuckDBTypeId;
export type DuckDBVarCharType = Api.DuckDBVarCharType;
export type StatementType = Api.StatementType;
export type {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBResultReader,
  DuckDBType,
  DuckDBValueConverter,
  JS,
} from '@duckdb/node-api';
