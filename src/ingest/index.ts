/**
 * The ingest layer's public entry: import a source into the datamart (stage → profile → map → load),
 * or run the loader on an already staged source.
 */
export {
  type DatabaseSourceSpec,
  type DryRunDescription,
  describeStaged,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type ImportSpec,
  importSource,
} from './import-source.js';
export type { ConflictRule } from './load/customers.js';
export { type FieldSpec, IMPORT_ORDER, TARGETS, targetFields } from './load/fields.js';
export {
  type LoadOptions,
  type LoadProgress,
  type LoadSummary,
  loadStaged,
  writeRejects,
} from './load/load.js';
export { type MergeReport, mergeReport } from './load/merge-report.js';
export { loadRawTable, parseRawTableName, type RawColumn } from './load/raw-table.js';
export {
  MAGENTO_TARGETS,
  type MagentoOptions,
  type MagentoTarget,
  magentoSql,
  stageMagento,
} from './mysql/magento.js';
export { importMagento, type MagentoImportOptions } from './mysql/magento-import.js';
export { type MySqlSourceOptions, stageMySql } from './mysql/stage.js';
export { type PostgresSourceOptions, stagePostgres } from './postgres/stage.js';
export type { ColumnMapping, LoadResult, Mapping, ParseOptions, StagedSource } from './types.js';
