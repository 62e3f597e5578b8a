/**
 * Stored scores: one row per (model, as-of, customer) in `scores`, and the table `customer_scores` with the
 * latest run of every model as one column per model id (`churn_risk`), ready to join on customer_id — the
 * segment language can use those columns (`churn_risk > 0.7`) once the segments whitelist lists the view.
 */
import type { Engine } from '../../store/index.js';
import { ident, join, sql } from '../../store/index.js';

export const SCORES_TABLE = 'scores';
export const CUSTOMER_SCORES_TABLE = 'customer_scores';

export interface StoredScore {
  customerId: string;
  score: number | null;
  margin: number | null;
}

export async function ensureScoresTable(engine: Engine): Promise<void> {
  await engine.exec(
    sql`CREATE TABLE IF NOT EXISTS ${ident(SCORES_TABLE)} (model_id VARCHAR NOT NULL, as_of VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, score DOUBLE, margin DOUBLE)`,
  );
}

/**
 * Replaces the scores of (modelId, asOf) in `scores` and rebuilds `customer_scores`.
 * @param engine the datamart
 * @param modelId the model id (becomes a column of customer_scores when it is a plain lower-case name)
 * @param asOf the date the features were computed at (YYYY-MM-DD)
 * @param rows `{customerId, score, margin}` per customer
 * @returns the number of rows written
 * @throws QueryError QUERY_FAILED
 * @example
 * ```ts
 * await storeScores(engine, 'churn_risk', '2024-12-31', [{ customerId: 'c1', score: 0.8, margin: 1.39 }]);
 * ```
 */
export async function storeScores(
  engine: Engine,
  modelId: string,
  asOf: string,
  rows: readonly StoredScore[],
): Promise<number> {
  await ensureScoresTable(engine);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DELETE FROM ${ident(SCORES_TABLE)} WHERE model_id = ${modelId} AND as_of = ${asOf}`);
    const chunk = 500;
    for (let i = 0; i < rows.length; i += chunk) {
      const values = rows
        .slice(i, i + chunk)
        .map((r) => sql`(${modelId}, ${asOf}, ${r.customerId}, ${r.score}, ${r.margin})`);
      await tx.exec(sql`INSERT INTO ${ident(SCORES_TABLE)} VALUES ${join(values)}`);
    }
  });
  await refreshCustomerScores(engine);
  return rows.length;
}

/** Inserts scores computed by a SQL query (columns customer_id, score, margin) for (modelId, asOf). */
export async function storeScoresFromSql(
  engine: Engine,
  modelId: string,
  asOf: string,
  query: ReturnType<typeof sql>,
): Promise<number> {
  await ensureScoresTable(engine);
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DELETE FROM ${ident(SCORES_TABLE)} WHERE model_id = ${modelId} AND as_of = ${asOf}`);
    await tx.exec(
      sql`INSERT INTO ${ident(SCORES_TABLE)} SELECT ${modelId}, ${asOf}, CAST(q.customer_id AS VARCHAR), q.score, q.margin FROM (${query}) q`,
    );
  });
  await refreshCustomerScores(engine);
  const n = await engine.query<{ n: number }>(
    sql`SELECT count(*) AS n FROM ${ident(SCORES_TABLE)} WHERE model_id = ${modelId} AND as_of = ${asOf}`,
  );
  return Number(n[0]?.n ?? 0);
}

/** Rebuilds the wide table: customer_id plus one column per model id holding its latest run's score. */
export async function refreshCustomerScores(engine: Engine): Promise<string[]> {
  await ensureScoresTable(engine);
  const models = await engine.query<{ model_id: string }>(
    sql`SELECT DISTINCT model_id FROM ${ident(SCORES_TABLE)} ORDER BY 1`,
  );
  const ids = models.map((m) => m.model_id).filter((id) => /^[a-z_][a-z0-9_]*$/.test(id));
  const cols = ids.map((id) => sql`max(CASE WHEN s.model_id = ${id} THEN s.score END) AS ${ident(id)}`);
  const body = cols.length
    ? sql`SELECT s.customer_id, ${join(cols)} FROM ${ident(SCORES_TABLE)} s JOIN (SELECT model_id, max(as_of) AS as_of FROM ${ident(SCORES_TABLE)} GROUP BY model_id) l ON l.model_id = s.model_id AND l.as_of = s.as_of GROUP BY s.customer_id`
    : sql`SELECT CAST(NULL AS VARCHAR) AS customer_id WHERE false`;
  // A table, not a view: a view could not hold the bound model ids. Rebuilt on every store, in one transaction.
  await engine.transaction(async (tx) => {
    await tx.exec(sql`DROP TABLE IF EXISTS ${ident(CUSTOMER_SCORES_TABLE)}`);
    await tx.exec(sql`CREATE TABLE ${ident(CUSTOMER_SCORES_TABLE)} AS ${body}`);
  });
  return ids;
}
