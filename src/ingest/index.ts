/**
 * The ingest layer's public entry: import a source into the datamart (stage → profile → map → load),
 * or run the loader on an already staged source.
 */

// Reading side (stage → profile → map → dry-run preview); importSource builds on these.
export { type CsvStageOptions, stageCsv } from './csv/stage.js';
export { stageXlsx, type XlsxStageOptions } from './excel/stage.js';
export {
  type DatabaseSourceSpec,
  type DryRunDescription,
  describeStaged,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type ImportSpec,
  importMemoryLimit,
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
export { type DryRunColumn, type ImportPreview, previewImport } from './mapping/dry-run.js';
export {
  detectTarget,
  fieldForHeader,
  fieldTypesFromHeaders,
  type HeaderMatch,
  type MapOptions,
  mapColumns,
  matchHeader,
  type PlanOptions,
  parseForField,
  planImport,
  type TargetDetection,
} from './mapping/map-columns.js';
export {
  type MappingFile,
  type MappingFileColumn,
  parseMappingFile,
  readMappingFile,
} from './mapping/mapping-file.js';
export { FIELD_SYNONYMS, headerKey, TABLE_SYNONYMS } from './mapping/synonyms.js';
export { importThroughMirror, withDuckDbImport, withImportBatch } from './mirror-import.js';
export {
  MAGENTO_TARGETS,
  type MagentoOptions,
  type MagentoTarget,
  magentoSql,
  stageMagento,
} from './mysql/magento.js';
export { importMagento, type MagentoImportOptions } from './mysql/magento-import.js';
export { type MySqlSourceOptions, stageMySql } from './mysql/stage.js';
export {
  describeParseOptions,
  isBlankSql,
  isUnparseableSql,
  parseValueSql,
  sqlTypeOf,
} from './parse-sql.js';
export { type PostgresSourceOptions, stagePostgres } from './postgres/stage.js';
export { ambiguousDateError, type ColumnProfile, type ProfileOptions, profileColumns } from './profile.js';
export { detectFileFormat, type FileFormat, type StageFileOptions, stageFile } from './stage-file.js';
export { stageTypedFile } from './typed-file.js';
export type { ColumnMapping, LoadResult, Mapping, ParseOptions, StagedSource } from './types.js';
