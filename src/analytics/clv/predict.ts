/**
 * Per-customer CLV scores: the purchase model's predictions per distinct (x, t_x, T), joined back to every
 * customer in SQL with the Gamma-Gamma spend, the margin ratio and the value tier, into `clv_scores`.
 */
import { InputError, ModelError } from '../../errors.js';
import { type Engine, ident, sql, writeColumns } from '../../store/index.js';
import { scoreCore } from './core.js';
import type { ClvModel } from './model-file.js';
import { marginRatioSql, summarySql, TIME_UNITS } from './sql.js';

/** Share of customers (by predicted CLV, highest first) in each tier; the rest are "standard". */
export interface TierShares {
  gold: number;
  silver: number;
  bronze: number;
}

export const DEFAULT_TIERS: Readonly<TierShares> = Object.freeze({ gold: 0.05, silver: 0.15, bronze: 0.3 });

export interface ClvPredictOptions {
  /** A fitted bgnbd or pareto model. */
  purchaseModel: ClvModel;
  /** A fitted gammagamma model; without one, spend = the customer's mean repeat spend (or the overall mean). */
  spendModel?: ClvModel | null;
  /** Score as of this date (default: the purchase model's calibration end). */
  asOf?: string;
  /** Horizon in the purchase model's time unit (default: one year). */
  horizon?: number;
  /** Annual discount rate (default 0.1). */
  discountRate?: number;
  /** Margin ratio 0–1, or 'datamart' (default): per customer from order lines × products.unit_cost, else overall. */
  margin?: number | 'datamart';
  tiers?: TierShares;
  /** Identifies these scores in clv_scores (default: the model kinds, e.g. "bgnbd+gammagamma"). */
  modelId?: string;
  /** Rows to return, highest CLV first (default 20; all rows stay in clv_scores). */
  top?: number;
}

export interface ClvScoreRow {
  customerId: string;
  x: number;
  tx: number;
  T: number;
  probabilityAlive: number;
  expectedPurchases: number;
  probabilityNoPurchase: number | null;
  expectedSpend: number;
  marginRatio: number;
  clv: number;
  tier: string;
}

export interface ClvPredictResult {
  modelId: string;
  asOf: string;
  horizon: number;
  unit: string;
  customers: number;
  totalClv: number;
  tiers: { tier: string; customers: number; clv: number; minClv: number }[];
  top: ClvScoreRow[];
  warnings: string[];
}

const CLV_SCORES_DDL = sql`CREATE TABLE IF NOT EXISTS clv_scores (
  customer_id VARCHAR NOT NULL, model_id VARCHAR NOT NULL, as_of DATE NOT NULL, horizon DOUBLE PRECISION,
  unit VARCHAR, x DOUBLE PRECISION, t_x DOUBLE PRECISION, "T" DOUBLE PRECISION,
  p_alive DOUBLE PRECISION, expected_purchases DOUBLE PRECISION, p_no_purchase DOUBLE PRECISION,
  expected_spend DOUBLE PRECISION, margin_ratio DOUBLE PRECISION, clv DOUBLE PRECISION, tier VARCHAR)`;

/**
 * Scores every customer and writes `clv_scores` (replacing earlier rows of the same model id and asOf):
 * P(alive) and E[Y(t) | x, t_x, T] (BG/NBD: FHL 2005 eq. 10; Pareto/NBD: Schmittlein et al. 1987 eq. 22),
 * Gamma-Gamma spend (Fader & Hardie 2013 note 025 eq. 5), margin, discounted CLV and value tier.
 *
 * @param engine the datamart
 * @param options models, horizon (model time units), annual discount rate, margin, tier shares
 * @returns tier totals and the top customers; every customer's row is in `clv_scores`
 * @throws ModelError MODULE_MISMATCH when the models are of the wrong kind; InputError for bad options
 * @example
 * const r = await predictClv(engine, { purchaseModel: bg, spendModel: gg, horizon: 52, discountRate: 0.1 });
 * r.tiers; // [{ tier: 'gold', customers: 118, clv: …, minClv: … }, …]
 */
export async function predictClv(engine: Engine, options: ClvPredictOptions): Promise<ClvPredictResult> {
  const pm = options.purchaseModel;
  if (pm.state.model !== 'bgnbd' && pm.state.model !== 'pareto')
    throw new ModelError(
      'MODULE_MISMATCH',
      `clv predict: the purchase model must be bgnbd or pareto, got ${pm.state.model}. Fit one with: clientele clv fit --model bgnbd …`,
    );
  const sm = options.spendModel ?? null;
  if (sm && sm.state.model !== 'gammagamma')
    throw new ModelError(
      'MODULE_MISMATCH',
      `clv predict: the spend model must be gammagamma, got ${sm.state.model}.`,
    );
  const unit = pm.params.unit;
  const unitDays = TIME_UNITS[unit];
  const asOf = options.asOf ?? pm.params.calibrationEnd;
  const horizon = options.horizon ?? 365.25 / unitDays;
  const discountRate = options.discountRate ?? 0.1;
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const issues: string[] = [];
  if (!(horizon > 0)) issues.push(`horizon: expected a number > 0, got ${horizon}`);
  if (!(discountRate >= 0)) issues.push(`discountRate: expected a number ≥ 0, got ${discountRate}`);
  if (typeof options.margin === 'number' && !(options.margin >= -1 && options.margin <= 1))
    issues.push(`margin: expected a ratio between -1 and 1, got ${options.margin}`);
  if (tiers.gold < 0 || tiers.silver < 0 || tiers.bronze < 0 || tiers.gold + tiers.silver + tiers.bronze > 1)
    issues.push(`tiers: expected shares ≥ 0 that add up to at most 1, got ${JSON.stringify(tiers)}`);
  if (issues.length) throw new InputError(`clv predict: ${issues.join('; ')}`, { issues });
  const modelId = options.modelId ?? (sm ? `${pm.state.model}+gammagamma` : pm.state.model);
  const warnings: string[] = [];

  await engine.exec(sql`DROP TABLE IF EXISTS _clv_summary`);
  await engine.exec(
    sql`CREATE TEMPORARY TABLE _clv_summary AS ${summarySql(engine.dialect, { calibrationEnd: asOf, unit })}`,
  );
  const distinct = await engine.queryColumns(sql`SELECT DISTINCT x, t_x, "T" FROM _clv_summary`);
  const rows = {
    x: Float64Array.from(distinct.x as number[]),
    tx: Float64Array.from(distinct.t_x as number[]),
    T: Float64Array.from(distinct.T as number[]),
    weight: new Float64Array((distinct.x as number[]).length).fill(1),
  };
  const scores = scoreCore(pm.state, rows, { horizon, discountRatePerYear: discountRate, unitDays });
  await writeColumns(
    engine,
    '_clv_pred',
    {
      x: rows.x,
      t_x: rows.tx,
      T: rows.T,
      p_alive: scores.probabilityAlive,
      expected_purchases: scores.expectedPurchases,
      discounted_purchases: scores.discountedPurchases,
      p_no_purchase: scores.probabilityNone,
    },
    { temporary: true },
  );

  const spendExpr = sm
    ? spendSql(sm.state.params as { p: number; q: number; gamma: number }, warnings)
    : sql`coalesce(s.mean_spend, (SELECT avg(coalesce(mean_spend, first_spend)) FROM _clv_summary))`;
  let marginExpr = sql`${typeof options.margin === 'number' ? options.margin : 1}`;
  let marginJoin = sql``;
  if (options.margin === undefined || options.margin === 'datamart') {
    const overall = await engine.query<{ overall_margin_ratio: number | null }>(
      sql`SELECT max(overall_margin_ratio) AS overall_margin_ratio FROM (${marginRatioSql(engine.dialect, asOf)}) m`,
    );
    const o = overall[0]?.overall_margin_ratio;
    if (o === null || o === undefined) {
      warnings.push(
        'margin: no order lines with a product unit cost, so CLV is in revenue (margin ratio 1). Load products.unit_cost or pass --margin 0.3',
      );
    } else {
      marginExpr = sql`coalesce(m.margin_ratio, ${o})`;
      marginJoin = sql`LEFT JOIN (${marginRatioSql(engine.dialect, asOf)}) m ON m.customer_id = s.customer_id`;
    }
  }
  const goldCut = tiers.gold;
  const silverCut = tiers.gold + tiers.silver;
  const bronzeCut = silverCut + tiers.bronze;
  await engine.exec(CLV_SCORES_DDL);
  await engine.transaction(async (tx) => {
    await tx.exec(
      sql`DELETE FROM clv_scores WHERE model_id = ${modelId} AND as_of = ${engine.dialect.dateParam(asOf)}`,
    );
    await tx.exec(sql`INSERT INTO clv_scores
      SELECT customer_id, ${modelId}, ${engine.dialect.dateParam(asOf)}, ${horizon}, ${unit}, x, t_x, "T",
        p_alive, expected_purchases, p_no_purchase, expected_spend, margin_ratio, clv,
        CASE WHEN rank_share <= ${goldCut} THEN 'gold' WHEN rank_share <= ${silverCut} THEN 'silver'
             WHEN rank_share <= ${bronzeCut} THEN 'bronze' ELSE 'standard' END
      FROM (
        SELECT *, cume_dist() OVER (ORDER BY clv DESC) AS rank_share FROM (
          SELECT s.customer_id AS customer_id, s.x AS x, s.t_x AS t_x, s."T" AS "T", p.p_alive AS p_alive,
            p.expected_purchases AS expected_purchases, p.p_no_purchase AS p_no_purchase,
            ${spendExpr} AS expected_spend, ${marginExpr} AS margin_ratio,
            p.discounted_purchases * ${spendExpr} * ${marginExpr} AS clv
          FROM _clv_summary s
          JOIN _clv_pred p ON p.x = s.x AND p.t_x = s.t_x AND p."T" = s."T"
          ${marginJoin}) scored) ranked`);
  });
  // The latest run per customer, for segments (clv > 100, clv_tier = 'gold', p_alive < 0.3).
  await engine.exec(sql`CREATE OR REPLACE TABLE customer_clv AS
    SELECT customer_id, clv, tier AS clv_tier, p_alive, expected_purchases AS clv_expected_purchases
    FROM clv_scores WHERE model_id = ${modelId} AND as_of = ${engine.dialect.dateParam(asOf)}`);
  await engine.exec(sql`DROP TABLE IF EXISTS _clv_pred`);
  await engine.exec(sql`DROP TABLE IF EXISTS _clv_summary`);

  const where = sql`model_id = ${modelId} AND as_of = ${engine.dialect.dateParam(asOf)}`;
  const tierRows = await engine.query<{ tier: string; customers: number; clv: number; min_clv: number }>(
    sql`SELECT tier, count(*) AS customers, sum(clv) AS clv, min(clv) AS min_clv FROM clv_scores WHERE ${where}
      GROUP BY tier ORDER BY min(clv) DESC`,
  );
  const top = await engine.query(
    sql`SELECT * FROM ${ident('clv_scores')} WHERE ${where} ORDER BY clv DESC, customer_id LIMIT ${options.top ?? 20}`,
  );
  const customers = tierRows.reduce((s, r) => s + Number(r.customers), 0);
  // Negative CLV is kept, not floored: it is the customer's own margin ratio below 0 (goods sold under cost
  // after discounts) times the purchases they are expected to make, i.e. the money they are expected to cost.
  const [negative] = await engine.query<{ n: number }>(
    sql`SELECT count(*) AS n FROM clv_scores WHERE ${where} AND clv < 0`,
  );
  if (Number(negative?.n ?? 0) > 0)
    warnings.push(
      `${Number(negative!.n)} customers have a negative CLV: their own margin ratio is below 0 (they bought below cost after discounts), so their expected purchases are expected to cost money. The value is kept, not floored, so you can find them: segment "clv < 0".`,
    );
  return {
    modelId,
    asOf,
    horizon,
    unit,
    customers,
    totalClv: tierRows.reduce((s, r) => s + Number(r.clv), 0),
    tiers: tierRows.map((r) => ({
      tier: r.tier,
      customers: Number(r.customers),
      clv: Number(r.clv),
      minClv: Number(r.min_clv),
    })),
    top: top.map(toScoreRow),
    warnings,
  };
}

function spendSql(p: { p: number; q: number; gamma: number }, warnings: string[]) {
  if (p.q <= 1) {
    warnings.push(
      `gammagamma: q = ${p.q.toFixed(3)} ≤ 1 gives an infinite mean spend; using each customer's observed mean spend instead`,
    );
    return sql`coalesce(s.mean_spend, s.first_spend)`;
  }
  // Fader & Hardie note 025 eq. 5; customers without repeat spend get the population mean pγ/(q − 1).
  return sql`(CASE WHEN s.x > 0 AND s.mean_spend > 0
      THEN ${p.p} * (${p.gamma} + s.x * s.mean_spend) / (${p.p} * s.x + ${p.q} - 1)
      ELSE ${(p.p * p.gamma) / (p.q - 1)} END)`;
}

/** Converts a clv_scores row (snake_case) to a ClvScoreRow. */
export function toScoreRow(r: Record<string, unknown>): ClvScoreRow {
  const num = (v: unknown) => Number(v);
  return {
    customerId: String(r.customer_id),
    x: num(r.x),
    tx: num(r.t_x),
    T: num(r.T),
    probabilityAlive: num(r.p_alive),
    expectedPurchases: num(r.expected_purchases),
    probabilityNoPurchase: r.p_no_purchase === null ? null : num(r.p_no_purchase),
    expectedSpend: num(r.expected_spend),
    marginRatio: num(r.margin_ratio),
    clv: num(r.clv),
    tier: String(r.tier),
  };
}
