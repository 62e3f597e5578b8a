/**
 * The latest CLV run in `clv_scores` summarised for the dashboard and the report: tiers, a histogram and the
 * customers with a negative predicted CLV. One function, so `GET /api/clv` and `clientele report` cannot
 * show different figures for the same datamart.
 */
import { NotFoundError } from '../../errors.js';
import { type Engine, sql, tableExists } from '../../store/index.js';

export interface ClvSummary {
  modelId: string;
  asOf: string;
  /** Per tier (highest first): customers, their summed CLV, the lowest CLV in the tier, mean P(alive). */
  tiers: { tier: string; customers: number; clv: number; minClv: number; meanPAlive: number }[];
  /** CLV capped at the 99th percentile, in 30 equal buckets. */
  histogram: { bucket: number; customers: number }[];
  /** Customers whose predicted CLV is below 0 (margin below cost after discounts), and their summed CLV. */
  negative: { customers: number; clv: number };
}

const NO_SCORES = 'No CLV scores yet: run POST /api/clv/run or `clientele clv predict`.';

/**
 * Summarises the latest CLV run (newest as_of, then model id).
 *
 * @throws NotFoundError when no CLV scores were written yet
 * @example
 * const s = await clvSummary(engine);
 * s.tiers.find((t) => t.tier === 'gold')?.customers;
 */
export async function clvSummary(engine: Engine): Promise<ClvSummary> {
  if (!(await tableExists(engine, 'clv_scores'))) throw new NotFoundError(NO_SCORES);
  const [latest] = await engine.query<{ model_id: string; as_of: string }>(
    `SELECT model_id, CAST(as_of AS VARCHAR) AS as_of FROM clv_scores ORDER BY as_of DESC, model_id LIMIT 1`,
  );
  if (!latest) throw new NotFoundError(NO_SCORES);
  const scope = sql`FROM clv_scores WHERE model_id = ${latest.model_id} AND as_of = CAST(${latest.as_of} AS DATE)`;
  const tiers = await engine.query<ClvSummary['tiers'][number]>(
    sql`SELECT tier, count(*) AS customers, sum(clv) AS clv, min(clv) AS "minClv", avg(p_alive) AS "meanPAlive"
        ${scope} GROUP BY tier ORDER BY min(clv) DESC`,
  );
  const histogram = await engine.query<ClvSummary['histogram'][number]>(
    sql`WITH s AS (SELECT clv ${scope}), b AS (SELECT ${engine.dialect.quantile(sql`clv`, 0.99)} AS hi FROM s)
        SELECT floor(least(clv, hi) / (hi / 30)) * (hi / 30) AS bucket, count(*) AS customers
        FROM s, b WHERE hi > 0 GROUP BY 1 ORDER BY 1`,
  );
  const [negative] = await engine.query<{ customers: number; clv: number | null }>(
    sql`SELECT count(*) AS customers, sum(clv) AS clv ${scope} AND clv < 0`,
  );
  return {
    modelId: latest.model_id,
    asOf: latest.as_of,
    tiers: tiers.map((t) => ({
      tier: t.tier,
      customers: Number(t.customers),
      clv: Number(t.clv),
      minClv: Number(t.minClv),
      meanPAlive: Number(t.meanPAlive),
    })),
    histogram,
    negative: { customers: Number(negative?.customers ?? 0), clv: Number(negative?.clv ?? 0) },
  };
}
