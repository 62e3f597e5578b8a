import { type Dialect, ident, join, type SqlFragment, sql } from '../../store/index.js';
import type { ClusterState } from './explain.js';

/** The clustering input: customer id, numeric features and categorical attributes, in a stable order. */
export function clusterInputSql(
  table: string,
  features: readonly string[],
  categorical: readonly string[],
  buyersOnly: boolean,
): SqlFragment {
  const cols = [...features, ...categorical].map((c) => sql`${ident(c)}`);
  return sql`SELECT customer_id${cols.length ? sql`, ${join(cols)}` : sql``}
  FROM ${ident(table)}
  ${buyersOnly ? sql`WHERE orders > 0` : sql``}
  ORDER BY customer_id`;
}

/**
 * Assigns clusters in the engine from a fitted model: the same transforms, standardisation, missing-value
 * rule (missing → the mean, 0 after standardising), cost and tie rule (lowest cluster number) as the
 * TypeScript assignment. Columns: customer_id, cluster, cluster_name.
 */
export function scoreSql(
  dialect: Dialect,
  state: ClusterState,
  table: string,
  buyersOnly: boolean,
): SqlFragment {
  const { scaling, centers, modes, categorical, gamma, names } = state;
  const z = scaling.features.map((f, j) => {
    const x = sql`${ident(f)}`;
    const t = scaling.transforms[j] === 'log1p' ? dialect.log1p(x) : x;
    return sql`coalesce((${dialect.toDouble(t)} - ${scaling.means[j]!}) / ${scaling.stds[j]!}, 0) AS ${ident(`z${j}`)}`;
  });
  const cats = categorical.map(
    (c, t) => sql`coalesce(${dialect.toText(sql`${ident(c.column)}`)}, ${MISSING}) AS ${ident(`c${t}`)}`,
  );
  const distances = centers.map((center, j) => {
    const terms = center.map((v, t) => sql`(${ident(`z${t}`)} - ${v}) * (${ident(`z${t}`)} - ${v})`);
    const mism = categorical.map(
      (_, t) => sql`CASE WHEN ${ident(`c${t}`)} = ${modes[j]![t]!} THEN 0 ELSE ${gamma} END`,
    );
    const all = [...terms, ...mism];
    return sql`${all.length ? join(all, ' + ') : sql`0`} AS ${ident(`d${j}`)}`;
  });
  const k = centers.length;
  const whens: SqlFragment[] = [];
  for (let j = 0; j < k - 1; j++) {
    const conds = Array.from(
      { length: k - j - 1 },
      (_, o) => sql`${ident(`d${j}`)} <= ${ident(`d${j + o + 1}`)}`,
    );
    whens.push(sql`WHEN ${join(conds, ' AND ')} THEN ${j}`);
  }
  const cluster = k === 1 ? sql`0` : sql`CASE ${join(whens, ' ')} ELSE ${k - 1} END`;
  const nameCase = sql`CASE cluster ${join(
    names.map((n, j) => sql`WHEN ${j} THEN ${n}`),
    ' ',
  )} END`;
  return sql`SELECT customer_id, cluster, ${nameCase} AS cluster_name FROM (
    SELECT customer_id, CAST(${cluster} AS INTEGER) AS cluster FROM (
      SELECT customer_id, ${join(distances)} FROM (
        SELECT customer_id, ${join([...z, ...cats])}
        FROM ${ident(table)} ${buyersOnly ? sql`WHERE orders > 0` : sql``}) zs) ds) cs`;
}

/** The label of a missing categorical value. */
export const MISSING = '(missing)';
