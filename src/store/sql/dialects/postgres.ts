import { type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class PostgresDialect extends BaseDialect {
  readonly name = 'postgres';
  override toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS TEXT)`;
  }
}

export const postgresDialect = new PostgresDialect();
