/**
 * Compiles fitted models to SQL so scores are computed inside the engine: a tree ensemble becomes a sum of
 * nested CASE expressions, a logistic model a linear expression, both wrapped in the logistic function.
 * Engines plan a left-deep chain of 200 CASE terms in time quadratic in its depth (DuckDB took 35 s to plan
 * `t1 + t2 + … + t200` before reading a row), so sums are written as balanced trees, and `scoreQuerySql`
 * reads every feature once in an inner projection, gives each tree its own column and adds the columns.
 * The SQL reads each source column the way `table.ts` read it for training (numbers stored as text parsed,
 * booleans as 1/0, dates as days before the row's reference date, text levels compared as text) and makes the same decisions
 * as the TypeScript scorer, so the two agree to rounding (property-tested to 1e-9).
 */
import type { Dialect, SqlFragment } from '../../store/index.js';
import { ident, join, raw, sql } from '../../store/index.js';
import type { ModelState } from './core.js';
import type { FeatureSpec } from './models/frame.js';
import type { GbdtState } from './models/gbdt/boost.js';
import type { TreeState } from './models/gbdt/tree.js';
import type { LogisticState } from './models/logistic.js';

/**
 * A model's number as a SQL literal in exponent form, which every engine reads as a double (a plain decimal
 * such as 0.1 would be a DECIMAL in DuckDB and PostgreSQL). Only finite numbers from a fitted model arrive here.
 */
function num(x: number): SqlFragment {
  if (!Number.isFinite(x)) throw new TypeError(`sql.ts: non-finite model number ${x}`);
  const text = x.toExponential();
  return sql`${raw(x < 0 ? `(${text})` : text)}`;
}

/** The value of a numeric feature as a double (NULL when missing), read like table.ts reads it. */
function numericSql(dialect: Dialect, spec: FeatureSpec, qualifier?: string): SqlFragment {
  const col = sql`${ident(qualifier ? `${qualifier}.${spec.name}` : spec.name)}`;
  switch (spec.origin) {
    case 'boolean':
      return sql`(CASE WHEN ${col} THEN 1e0 WHEN NOT ${col} THEN 0e0 END)`;
    case 'text':
      return dialect.tryParseDouble(sql`trim(${dialect.toText(col)})`);
    case 'date':
      return dialect.toDouble(dialect.dateDiffDays(dialect.dateParam('1970-01-01'), col));
    case 'age': {
      const ref = sql`${ident(qualifier ? `${qualifier}.${spec.reference}` : (spec.reference as string))}`;
      return dialect.toDouble(dialect.dateDiffDays(sql`CAST(${col} AS DATE)`, sql`CAST(${ref} AS DATE)`));
    }
    default:
      return dialect.toDouble(col);
  }
}

/** The value of a categorical feature as text, blank text as NULL. */
function textSql(dialect: Dialect, spec: FeatureSpec, qualifier?: string): SqlFragment {
  const col = dialect.toText(sql`${ident(qualifier ? `${qualifier}.${spec.name}` : spec.name)}`);
  return sql`(CASE WHEN trim(${col}) = '' THEN NULL ELSE ${col} END)`;
}

function inList(x: SqlFragment, values: readonly string[]): SqlFragment {
  if (values.length === 0) return sql`FALSE`;
  return sql`${x} IN (${join(values.map((v) => sql`${v}`))})`;
}

function treeSql(
  t: TreeState,
  node: number,
  features: readonly SqlFragment[],
  specs: readonly FeatureSpec[],
): SqlFragment {
  const f = t.feature[node] as number;
  if (f < 0) return num(t.value[node] as number);
  const x = features[f] as SqlFragment;
  const left = treeSql(t, t.left[node] as number, features, specs);
  const right = treeSql(t, t.right[node] as number, features, specs);
  const missingLeft = t.missingLeft[node] as boolean;
  const cats = t.categories[node];
  if (cats) {
    // Missing and unseen levels follow the missing direction, as in the TypeScript scorer.
    if (missingLeft) {
      const chosen = new Set(cats);
      const rightLevels = (specs[f]?.levels ?? []).filter((l) => !chosen.has(l));
      return sql`(CASE WHEN ${inList(x, rightLevels)} THEN ${right} ELSE ${left} END)`;
    }
    return sql`(CASE WHEN ${inList(x, cats)} THEN ${left} ELSE ${right} END)`;
  }
  const thr = num(t.threshold[node] as number);
  return missingLeft
    ? sql`(CASE WHEN ${x} <= ${thr} OR ${x} IS NULL THEN ${left} ELSE ${right} END)`
    : sql`(CASE WHEN ${x} <= ${thr} THEN ${left} ELSE ${right} END)`;
}

/** Every feature read once, as the expressions the trees compare (numbers as doubles, levels as text). */
function featureSql(dialect: Dialect, state: GbdtState, qualifier?: string): SqlFragment[] {
  return state.features.map((spec) =>
    spec.kind === 'numeric' ? numericSql(dialect, spec, qualifier) : textSql(dialect, spec, qualifier),
  );
}

/** a + b + … as a balanced tree of additions (depth log₂ n instead of n). */
function balancedSum(terms: readonly SqlFragment[]): SqlFragment {
  if (terms.length === 1) return terms[0] as SqlFragment;
  const half = terms.length >> 1;
  return sql`(${balancedSum(terms.slice(0, half))} + ${balancedSum(terms.slice(half))})`;
}

function gbdtMarginSql(dialect: Dialect, state: GbdtState, qualifier?: string): SqlFragment {
  const features = featureSql(dialect, state, qualifier);
  const trees = state.trees.map((t) => treeSql(t, 0, features, state.features));
  return trees.length === 0 ? num(state.baseScore) : sql`(${num(state.baseScore)} + ${balancedSum(trees)})`;
}

function logisticMarginSql(dialect: Dialect, state: LogisticState, qualifier?: string): SqlFragment {
  const terms: SqlFragment[] = [num(state.intercept)];
  for (const term of state.terms) {
    if (term.weight === 0) continue;
    const spec = state.features[term.feature] as FeatureSpec;
    if (spec.kind === 'numeric') {
      const x = numericSql(dialect, spec, qualifier);
      terms.push(sql`${num(term.weight)} * (coalesce(${x}, ${num(term.mean)}) - ${num(term.mean)})`);
    } else {
      const x = textSql(dialect, spec, qualifier);
      terms.push(
        sql`${num(term.weight)} * ((CASE WHEN ${x} = ${term.level} THEN 1e0 ELSE 0e0 END) - ${num(term.mean)})`,
      );
    }
  }
  return sql`(${join(terms, ' + ')})`;
}

/**
 * The model's log-odds as a SQL expression over the feature columns (by name, optionally qualified by a
 * table alias).
 * @param dialect the engine's dialect
 * @param state a fitted tree ensemble or logistic model
 * @param qualifier table alias for the columns (e.g. `f` → "f"."tenure")
 * @returns an expression yielding a DOUBLE per row
 * @example
 * ```ts
 * const m = marginSql(engine.dialect, model.state.model, 't');
 * await engine.query(sql`SELECT 1 / (1 + exp(-${m})) AS p FROM telco t`);
 * ```
 */
export function marginSql(dialect: Dialect, state: ModelState, qualifier?: string): SqlFragment {
  return state.kind === 'gbdt'
    ? gbdtMarginSql(dialect, state, qualifier)
    : logisticMarginSql(dialect, state, qualifier);
}

/** The positive-class probability as SQL: 1 / (1 + exp(−margin)). */
export function probabilitySql(dialect: Dialect, state: ModelState, qualifier?: string): SqlFragment {
  return sql`(1e0 / (1e0 + exp(-${marginSql(dialect, state, qualifier)})))`;
}

/**
 * A query scoring every row of `table`: columns customer_id (the id column as text), score, margin.
 * @example
 * ```ts
 * const rows = await engine.query(scoreQuerySql(engine.dialect, model.state.model, 'telco', 'customerID'));
 * ```
 */
export function scoreQuerySql(
  dialect: Dialect,
  state: ModelState,
  table: string,
  idColumn: string,
): SqlFragment {
  const id = dialect.toText(sql`${ident(`t.${idColumn}`)}`);
  if (state.kind !== 'gbdt' || state.trees.length === 0) {
    const m = marginSql(dialect, state, 't');
    return sql`SELECT s.customer_id, 1e0 / (1e0 + exp(-s.margin)) AS score, s.margin FROM (SELECT ${id} AS customer_id, ${m} AS margin FROM ${ident(table)} t) s`;
  }
  // f: each feature read and converted once (columns f0, f1, …); k: one column per tree (k0, k1, …);
  // s: their balanced sum. Planning stays linear in the model size and no conversion is repeated per node.
  const read = featureSql(dialect, state, 't').map((x, i) => sql`${x} AS ${ident(`f${i}`)}`);
  const cols = state.features.map((_, i) => sql`${ident(`f.f${i}`)}`);
  const trees = state.trees.map((t, i) => sql`${treeSql(t, 0, cols, state.features)} AS ${ident(`k${i}`)}`);
  const margin = sql`(${num(state.baseScore)} + ${balancedSum(state.trees.map((_, i) => sql`${ident(`k.k${i}`)}`))})`;
  return sql`SELECT s.customer_id, 1e0 / (1e0 + exp(-s.margin)) AS score, s.margin FROM (SELECT k.customer_id, ${margin} AS margin FROM (SELECT f.customer_id, ${join(trees)} FROM (SELECT ${id} AS customer_id, ${join(read)} FROM ${ident(table)} t) f) k) s`;
}
