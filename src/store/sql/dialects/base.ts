import type { Dialect } from '../dialect.js';
import { type SqlFragment, sql } from '../sql.js';

/** ANSI-ish defaults shared by the engines; each dialect overrides only what differs. */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: string;
  readonly supportsFilterClause: boolean = true;
  readonly supportsQuantile: boolean = true;
  readonly supportsCreateOrReplace: boolean = false;

  placeholder(index: number, _value?: unknown): string {
    return `$${index + 1}`;
  }
  dateDiffDays(from: SqlFragment, to: SqlFragment): SqlFragment {
    return sql`(CAST(${to} AS DATE) - CAST(${from} AS DATE))`;
  }
  dateParam(isoDate: string): SqlFragment {
    return sql`CAST(${isoDate} AS DATE)`;
  }
  addDays(date: SqlFragment, days: SqlFragment): SqlFragment {
    return sql`(CAST(${date} AS DATE) + CAST(${days} AS INTEGER))`;
  }
  truncToMonth(date: SqlFragment): SqlFragment {
    return sql`CAST(date_trunc('month', ${date}) AS DATE)`;
  }
  isoDayOfWeek(date: SqlFragment): SqlFragment {
    return sql`CAST(extract(isodow FROM ${date}) AS INTEGER)`;
  }
  toDouble(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS DOUBLE PRECISION)`;
  }
  toBigInt(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS BIGINT)`;
  }
  toText(x: SqlFragment): SqlFragment {
    return sql`CAST(${x} AS VARCHAR)`;
  }
  quantile(x: SqlFragment, p: number): SqlFragment {
    return sql`percentile_cont(${p}) WITHIN GROUP (ORDER BY ${x})`;
  }
  countDistinct(x: SqlFragment): SqlFragment {
    return sql`count(DISTINCT ${x})`;
  }
  countIf(condition: SqlFragment): SqlFragment {
    return sql`count(*) FILTER (WHERE ${condition})`;
  }
  sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`coalesce(sum(${x}) FILTER (WHERE ${condition}), 0)`;
  }
  safeDivide(numerator: SqlFragment, denominator: SqlFragment): SqlFragment {
    return sql`(${numerator} / NULLIF(${denominator}, 0))`;
  }
  log1p(x: SqlFragment): SqlFragment {
    return sql`ln(1 + ${x})`;
  }
  greatest(a: SqlFragment, b: SqlFragment): SqlFragment {
    return sql`greatest(${a}, ${b})`;
  }
  topLevelCategory(path: SqlFragment): SqlFragment {
    return sql`trim(split_part(regexp_replace(${path}, '\\s*[>/|]\\s*', '>', 'g'), '>', 1))`;
  }
}
