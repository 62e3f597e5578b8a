import { type SqlFragment, sql } from '../sql.js';
import { BaseDialect } from './base.js';

export class MySqlDialect extends BaseDialect {
  readonly name = 'mysql';
  override readonly supportsFilterClause = false;
  override readonly supportsQuantile = false;

  override placeholder(_index: number, _value?: unknown): string {
    return '?';
  }
  override dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`DATEDIFF(${to}, ${from})`;
  }
  override addDays(date: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`DATE_ADD(${date}, INTERVAL ${days} DAY)`;
  }
  override truncToMonth(date: SqlFragment): SqlFragment {
    return sql`CAST(DATE_FORMAT(${date}, '%Y-%m-01') AS DATE)`;
  }
  override isoDayOfWeek(date: SqlFragment): SqlFragment {
    return sql`WEEKDAY(${date}) + 1`;
  }
  override toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE)`;
  }
  override toBigInt(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS SIGNED)`;
  }
  override toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS CHAR)`;
  }
  override countIf(condition: SqlFragment): SqlFragment {
    return sql`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  }
  override sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`coalesce(sum(CASE WHEN ${condition} THEN ${x} END), 0)`;
  }
  override topLevelCategory(path: SqlFragment): SqlFragment {
    return sql`trim(SUBSTRING_INDEX(REGEXP_REPLACE(${path}, '\\s*[>/|]\\s*', '>'), '>', 1))`;
  }
}

export const mysqlDialect = new MySqlDialect();
