export {
  type AuditActor,
  type AuditEntry,
  type AuditVerifyResult,
  appendAudit,
  ensureAuditLog,
  redactAudit,
  verifyAudit,
  withAuditLock,
} from './audit.js';
export { type BulkColumn, writeColumns } from './bulk.js';
export { ClickHouseEngine } from './clickhouse/engine.js';
export { withDuckDbCopy } from './duckdb-copy.js';
export { DuckDbEngine, type DuckDbEngineOptions } from './duckdb-engine.js';
export {
  type Columns,
  type Engine,
  hasParquetTransfer,
  type ParquetTransfer,
  type Query,
  type Row,
  runDdl,
} from './engine.js';
export { applySuppressions, type EraseResult, eraseCustomer } from './erase.js';
export {
  type DbLocation,
  type OpenDatamartOptions,
  openDatamart,
  openEngine,
  parseDbLocation,
  requireDuckDb,
  resolveDbPath,
} from './open.js';
export { closeMySql, connectMySql, type MySqlSessionOptions, mysqlError } from './remote/mysql.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  describeConnection,
  type RemoteConnectionOptions,
  redactPassword,
} from './remote/options.js';
export { connectPostgres, postgresError, type RemoteErrorContext } from './remote/postgres.js';
export { type WriteBackOptions, type WriteBackResult, writeBack } from './remote/write-back.js';
export {
  openSqlConsole,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
  type SandboxQueryOptions,
  type SandboxResult,
  type SqlConsole,
  SqlSandbox,
  sandboxConfig,
} from './sandbox.js';
export {
  CANONICAL_TABLES,
  type CanonicalTable,
  CHANNELS,
  EVENT_TYPES,
  isInitialised,
  migrate,
  NATURAL_KEYS,
  SCHEMA_VERSION,
  TABLE_DDL,
  TABLES,
  tableExists,
} from './schema.js';
export type { ColumnDef, ColumnType, DdlStatement, Dialect, TableDef } from './sql/dialect.js';
export { clickhouseDialect } from './sql/dialects/clickhouse.js';
export {
  ClickHouseClusterDialect,
  type ClickHouseTopology,
  DEFAULT_SHARDING_KEY,
  LOCAL_SUFFIX,
  parseTopology,
} from './sql/dialects/clickhouse-cluster.js';
export { duckdbDialect } from './sql/dialects/duckdb.js';
export { mysqlDialect } from './sql/dialects/mysql.js';
export { postgresDialect } from './sql/dialects/postgres.js';
export {
  empty,
  ident,
  identPart,
  join,
  quoteIdent,
  raw,
  SqlFragment,
  sql,
  stringLiteral,
} from './sql/sql.js';
export {
  applyRetention,
  assertNotSystemTable,
  ensureSystemTables,
  getNumberSetting,
  getSetting,
  isSystemTable,
  type RetentionResult,
  SETTING_DEFAULTS,
  type SettingKey,
  SYSTEM_TABLES,
  type SystemTable,
  setSetting,
} from './system-tables.js';
