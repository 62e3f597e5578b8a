import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { type Dialect, ident, join, raw, type SqlFragment, sql } from '../../store/index.js';
import type { FeatureKind } from '../features/index.js';
import { type ColumnRef, type Expr, isValidDate, resolveToday, suggest, type Value } from './core.js';

/**
 * Where a whitelisted column lives: the feature table, the RFM table, the customers table or the stored model
 * scores (`customer_scores`, one column per model id, e.g. churn_risk) or the saved clusters
 * (`customer_clusters`: cluster, cluster_name), or the saved campaign profiles (`customer_engagement`:
 * quadrant, open_probability …; `customer_interests`: interest_<keyword>, top_interests).
 */
export type ColumnSource =
  | 'features'
  | 'rfm'
  | 'customers'
  | 'scores'
  | 'clusters'
  | 'engagement'
  | 'interests'
  | 'sendtime'
  | 'clv'
  | 'lifeevents';

export interface SegmentColumn {
  name: string;
  kind: FeatureKind;
  source: ColumnSource;
}

export interface CompileContext {
  dialect: Dialect;
  /** The date `today` stands for: the feature table's as_of. */
  asOf: string;
  /** The whitelist: only these columns can appear; anything else is an error. */
  columns: ReadonlyMap<string, SegmentColumn>;
  /** Allowed values of some text columns (e.g. rfm_segment): others are an error with suggestions. */
  knownValues?: ReadonlyMap<string, readonly string[]>;
}

export interface CompiledSegment {
  /** The condition, a boolean SQL expression over aliases f (features), r (RFM), cu (customers). */
  where: SqlFragment;
  /** The tables beyond customer_features that the condition needs. */
  joins: ColumnSource[];
}

/** The alias of each column source's table in a segment query (`f.orders`, `sc.churn_risk`). */
export const ALIAS: Readonly<Record<ColumnSource, string>> = {
  features: 'f',
  rfm: 'r',
  customers: 'cu',
  scores: 'sc',
  clusters: 'cl',
  engagement: 'eg',
  interests: 'ig',
  sendtime: 'st',
  clv: 'cv',
  lifeevents: 'le',
};
const OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);

/**
 * Compiles a parsed expression to a parameterised condition. Identifiers come only from the whitelist and
 * are quoted; every value is bound. All problems are collected and thrown together as one InputError,
 * before anything runs.
 */
export function compileSegment(expr: Expr, ctx: CompileContext): CompiledSegment {
  const issues: Issue[] = [];
  const joins = new Set<ColumnSource>();
  const where = compile(expr, ctx, issues, joins);
  if (issues.length) throw inputErrorFromIssues('The segment expression cannot be used:', issues);
  return { where, joins: [...joins].filter((j) => j !== 'features') };
}

function compile(e: Expr, ctx: CompileContext, issues: Issue[], joins: Set<ColumnSource>): SqlFragment {
  switch (e.type) {
    case 'and':
    case 'or':
      return sql`(${compile(e.left, ctx, issues, joins)} ${raw(e.type === 'and' ? 'AND' : 'OR')} ${compile(e.right, ctx, issues, joins)})`;
    case 'not':
      return sql`(NOT ${compile(e.expr, ctx, issues, joins)})`;
    default:
      break;
  }
  const column = lookup(e.column, ctx, issues, joins);
  if (!column) return sql`FALSE`;
  const ref = sql`${ident(`${ALIAS[column.source]}.${column.name}`)}`;
  const value = (v: Value) => bind(v, column, e.column, ctx, issues);
  switch (e.type) {
    case 'compare': {
      if (!OPS.has(e.op)) throw new Error(`unreachable operator ${e.op}`);
      if (column.kind === 'boolean' && e.op !== '=' && e.op !== '<>')
        issues.push(
          at(e.column, `${column.name} is yes/no: compare it with = or != true/false, not "${e.op}"`),
        );
      return sql`(${ref} ${raw(e.op)} ${value(e.value)})`;
    }
    case 'between':
      return sql`(${ref} ${raw(e.negated ? 'NOT BETWEEN' : 'BETWEEN')} ${value(e.low)} AND ${value(e.high)})`;
    case 'in':
      return sql`(${ref} ${raw(e.negated ? 'NOT IN' : 'IN')} (${join(e.values.map(value))}))`;
    case 'startsWith': {
      if (column.kind !== 'text')
        issues.push(at(e.column, `"starts with" needs a text column; ${column.name} is a ${column.kind}`));
      const parts = e.prefixes.map((p) => sql`substr(${ref}, 1, ${p.length}) = ${p}`);
      return sql`(${join(parts, ' OR ')})`;
    }
    case 'isNull':
      return sql`(${ref} ${raw(e.negated ? 'IS NOT NULL' : 'IS NULL')})`;
    case 'flag':
      if (column.kind !== 'boolean')
        issues.push(
          at(
            e.column,
            `a condition, e.g. ${column.name} > 0 or ${column.name} is not null (only yes/no columns stand alone); ${column.name} is a ${column.kind}`,
          ),
        );
      return sql`(${ref} = ${true})`;
  }
}

function lookup(
  ref: ColumnRef,
  ctx: CompileContext,
  issues: Issue[],
  joins: Set<ColumnSource>,
): SegmentColumn | null {
  const column = ctx.columns.get(ref.name);
  if (!column) {
    const hints = suggest(ref.name, [...ctx.columns.keys()]);
    issues.push(
      at(
        ref,
        `expected a known column, found "${ref.name}".${hints.length ? ` Did you mean ${hints.join(', ')}?` : ''} See docs/segments.md for the column list.`,
      ),
    );
    return null;
  }
  joins.add(column.source);
  return column;
}

function bind(
  v: Value,
  column: SegmentColumn,
  ref: ColumnRef,
  ctx: CompileContext,
  issues: Issue[],
): SqlFragment {
  const bad = (expected: string, found: string) => {
    issues.push(at(ref, `${column.name} is ${expected}, got ${found}`));
    return sql`NULL`;
  };
  switch (column.kind) {
    case 'number':
      // Beyond ±1e15 a number is not a real count or amount, and DuckDB's BIGINT would overflow (a 500).
      if (v.type === 'number' && Number.isFinite(v.value) && Math.abs(v.value) <= 1e15)
        return sql`${v.value}`;
      return bad('a number: compare it with a number such as 30 (at most ±1e15)', describeValue(v));
    case 'boolean':
      if (v.type === 'boolean') return sql`${v.value}`;
      return bad('yes/no: compare it with true or false', describeValue(v));
    case 'date':
      if (v.type === 'date') return ctx.dialect.dateParam(v.value);
      if (v.type === 'today') {
        const day = resolveTodayOrNull(ctx.asOf, v.offset);
        if (day) return ctx.dialect.dateParam(day);
        return bad(
          'a date between the years 1000 and 9999: use a smaller offset such as today - 10y',
          'an offset too far',
        );
      }
      // A real calendar day only: '2026-02-30' would reach the engine and fail there (a 500).
      if (v.type === 'string' && isValidDate(v.value)) return ctx.dialect.dateParam(v.value);
      return bad("a date: use date 'YYYY-MM-DD' or today - 90d", describeValue(v));
    case 'text': {
      if (v.type !== 'string') return bad("text: put the value in single quotes, e.g. 'F'", describeValue(v));
      const known = ctx.knownValues?.get(column.name);
      if (known && !known.includes(v.value)) {
        const hints = suggest(
          v.value.toLowerCase(),
          known.map((k) => k.toLowerCase()),
        );
        const names = hints.map((h) => known.find((k) => k.toLowerCase() === h)!);
        issues.push(
          at(
            ref,
            `expected one of ${known.map((k) => `'${k}'`).join(', ')} for ${column.name}, got '${v.value}'.${names.length ? ` Did you mean '${names[0]}'?` : ''}`,
          ),
        );
      }
      return sql`${v.value}`;
    }
  }
}

/** `today ± offset` when it lands on a date between the years 1000 and 9999, else null. */
function resolveTodayOrNull(asOf: string, offset: Parameters<typeof resolveToday>[1]): string | null {
  try {
    const day = resolveToday(asOf, offset);
    return isValidDate(day) && day >= '1000-01-01' ? day : null;
  } catch {
    return null;
  }
}

function describeValue(v: Value): string {
  switch (v.type) {
    case 'number':
      return `the number ${v.value}`;
    case 'string':
      return `the text '${v.value}'`;
    case 'boolean':
      return `${v.value}`;
    case 'date':
      return `the date ${v.value}`;
    case 'today':
      return 'a date (today …)';
  }
}

function at(ref: ColumnRef, message: string): Issue {
  return { where: `position ${ref.pos + 1} (${ref.name})`, message };
}

/** `FROM customer_features f` plus the joins the condition needs. */
export function segmentFrom(
  joins: readonly ColumnSource[],
  tables: {
    features: string;
    rfm: string;
    scores?: string;
    clusters?: string;
    engagement?: string;
    interests?: string;
    sendtime?: string;
    clv?: string;
    lifeevents?: string;
  },
): SqlFragment {
  const parts = [sql`${ident(tables.features)} f`];
  if (joins.includes('rfm'))
    parts.push(sql`LEFT JOIN ${ident(tables.rfm)} r ON r.customer_id = f.customer_id`);
  if (joins.includes('customers')) parts.push(sql`LEFT JOIN customers cu ON cu.customer_id = f.customer_id`);
  if (joins.includes('scores'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.scores ?? 'customer_scores')} sc ON sc.customer_id = f.customer_id`,
    );
  if (joins.includes('clusters'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.clusters ?? 'customer_clusters')} cl ON cl.customer_id = f.customer_id`,
    );
  if (joins.includes('engagement'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.engagement ?? 'customer_engagement')} eg ON eg.customer_id = f.customer_id`,
    );
  if (joins.includes('interests'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.interests ?? 'customer_interests')} ig ON ig.customer_id = f.customer_id`,
    );
  if (joins.includes('sendtime'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.sendtime ?? 'customer_send_time')} st ON st.customer_id = f.customer_id`,
    );
  if (joins.includes('clv'))
    parts.push(sql`LEFT JOIN ${ident(tables.clv ?? 'customer_clv')} cv ON cv.customer_id = f.customer_id`);
  if (joins.includes('lifeevents'))
    parts.push(
      sql`LEFT JOIN ${ident(tables.lifeevents ?? 'customer_life_events')} le ON le.customer_id = f.customer_id`,
    );
  return join(parts, '\n  ');
}

/**
 * Size of a segment and of the base. On the feature table alone the size is a filtered scan (`WHERE`: the
 * engine pushes the conditions into the scan, half the CPU of a `count(*) FILTER (WHERE …)` over every row at
 * 1M customers) and the base a row count the engine reads from the table's metadata. With joined tables, one
 * scan counts both (a second pass over the joins would cost more than the filter saves).
 */
export function countSql(
  dialect: Dialect,
  compiled: CompiledSegment,
  tables: { features: string; rfm: string },
): SqlFragment {
  const from = segmentFrom(compiled.joins, tables);
  if (compiled.joins.length === 0)
    return sql`SELECT (SELECT count(*) FROM ${from} WHERE ${compiled.where}) AS n,
  (SELECT count(*) FROM ${from}) AS total`;
  return sql`SELECT ${dialect.countIf(compiled.where)} AS n, count(*) AS total
  FROM ${from}`;
}
