import type { ColumnType } from '../dialect.js';
import { type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class PostgresDialect extends BaseDialect {
  readonly name = 'postgres';
  override columnType(type: ColumnType): string {
    if (type === 'double') return 'DOUBLE PRECISION';
    if (type === 'text_list') return 'TEXT[]';
    return super.columnType(type);
  }
  override toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS TEXT)`;
  }
}

export const postgresDialect = new PostgresDialect();
