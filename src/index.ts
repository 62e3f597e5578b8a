/**
 * Clientele's public library API. Everything not listed here is internal.
 *
 * @example
 * ```ts
 * import { openDatamart } from 'clientele';
 * const engine = await openDatamart({ db: 'shop.duckdb' });
 * const rows = await engine.query('SELECT count(*) AS n FROM customers');
 * await engine.close();
 * ```
 */

export {
  AppError,
  ConfigError,
  ConnectorError,
  type ErrorCode,
  InputError,
  type Issue,
  ModelError,
  NotFoundError,
  QueryError,
} from './errors.js';
export {
  CANONICAL_TABLES,
  type CanonicalTable,
  type Columns,
  type Dialect,
  DuckDbEngine,
  type Engine,
  ident,
  migrate,
  NATURAL_KEYS,
  type OpenDatamartOptions,
  openDatamart,
  type Row,
  SqlFragment,
  sql,
} from './store/index.js';
export { type DatamartStatus, datamartStatus } from './store/status.js';
