import type { ColumnType } from '../dialect.js';
import { raw, type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class PostgresDialect extends BaseDialect {
  readonly name = 'postgres';
  override columnType(type: ColumnType): string {
    if (type === 'double') return 'DOUBLE PRECISION';
    if (type === 'text_list') return 'TEXT[]';
    return super.columnType(type);
  }
  /** PostgreSQL rounds only NUMERIC to a number of decimals (half away from zero); back to a double. */
  override roundTo(x: SqlFragment, digits: number): SqlFragment {
    return sql`CAST(round(CAST(${x} AS NUMERIC), ${raw(String(Math.trunc(digits)))}) AS DOUBLE PRECISION)`;
  }
  override toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS TEXT)`;
  }
}

export const postgresDialect = new PostgresDialect();
