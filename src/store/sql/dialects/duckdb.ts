import { type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class DuckDbDialect extends BaseDialect {
  readonly name = 'duckdb';
  override readonly supportsCreateOrReplace = true;

  override dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`date_diff('day', CAST(${from} AS DATE), CAST(${to} AS DATE))`;
  }
  override toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE)`;
  }
  override quantile(x: SqlFragment, p: number): SqlFragment {
    return sql`quantile_cont(${x}, ${p})`;
  }
  override log1p(x: SqlFragment): SqlFragment {
    return sql`ln(1 + ${x})`;
  }
  override pathPrefix(path: SqlFragment, separator: string, depth: number): SqlFragment {
    return sql`array_to_string(list_slice(string_split(${path}, ${separator}), 1, CAST(${depth} AS INTEGER)), ${separator})`;
  }
}

export const duckdbDialect = new DuckDbDialect();
