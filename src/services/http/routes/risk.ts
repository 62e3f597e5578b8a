import { z } from 'zod';
import { FEATURES_TABLE, featureTableAsOf } from '../../../analytics/features/index.js';
import {
  explainLoaded,
  getModel,
  listModels,
  loadTable,
  modelScoreboard,
  type PredictModel,
  scoreLoaded,
} from '../../../analytics/predict/index.js';
import type { Language } from '../../../analytics/shared/field-labels.js';
import { nameLabel, scoreBand } from '../../../analytics/shared/server-text.js';
import { InputError, NotFoundError } from '../../../errors.js';
import { type Engine, getSetting, ident, join, sql, tableExists } from '../../../store/index.js';
import { defineRoute } from '../route.js';
import type {
  CustomerScoresResponse,
  ModelDetailResponse,
  ModelListResponse,
  ModelTopResponse,
} from '../types.js';

/** The feature table's as_of, or NOT_FOUND with the command that builds it. */
async function featuresAsOf(engine: Engine): Promise<string> {
  const asOf = await featureTableAsOf(engine);
  if (!asOf) {
    throw new NotFoundError(
      'The customer feature table has not been built. Run `clientele features build` first.',
    );
  }
  return asOf;
}

/** Whether the feature table has every column the model reads (models trained elsewhere may not). */
async function scoresOnFeatures(engine: Engine, model: PredictModel): Promise<boolean> {
  const table = await engine.query<{ column_name: string }>(
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${FEATURES_TABLE} AND table_schema = ${engine.dialect.currentSchema()}`,
  );
  const have = new Set(table.map((c) => c.column_name));
  return model.state.model.features.every((f) => have.has(f.name));
}

/**
 * Only the given customers' feature rows (buyers), read for the model's columns. Constant columns are kept: a
 * page of rows is constant in most of them, and the model needs them all.
 */
async function featureRows(engine: Engine, model: PredictModel, ids: readonly string[]) {
  return loadTable(engine, FEATURES_TABLE, {
    idColumn: 'customer_id',
    include: model.state.model.features.map((f) => f.name),
    where: sql`last_order IS NOT NULL AND CAST(customer_id AS VARCHAR) IN (${join(ids.map((id) => sql`${id}`))})`,
    keepConstant: true,
  });
}

/** Most rows the top list can ask for (the route's limit). */
const MAX_TOP = 200;

interface Ranked {
  scored: number;
  top: { customer_id: string; score: number }[];
}

/**
 * The ranking of buyers by a model's score, kept per (model, its fit, the feature table's as_of and content)
 * in memory and in the datamart (`risk_rankings`), so the Risk page pays for scoring once per feature build
 * or retrained model, not per visit nor per server start; `clientele serve` computes it when it starts
 * (warmRiskRankings). A rebuilt feature table or a retrained model changes the key.
 */
const rankings = new Map<string, Promise<Ranked>>();
const RANKINGS_TABLE = 'risk_rankings';

async function rankingKey(engine: Engine, model: PredictModel, asOf: string): Promise<string> {
  const [sig] = await engine.query<{ n: number; h: string }>(
    sql`SELECT count(*) AS n, CAST(sum(${engine.dialect.hashValues([sql`customer_id`, sql`last_order`, sql`orders`])}) AS VARCHAR) AS h FROM ${ident(FEATURES_TABLE)}`,
  );
  return JSON.stringify([model.id, model.data.fingerprint, asOf, Number(sig?.n ?? 0), sig?.h ?? null]);
}

async function rankedBuyers(engine: Engine, model: PredictModel, asOf: string): Promise<Ranked> {
  const key = await rankingKey(engine, model, asOf);
  const hit = rankings.get(key);
  if (hit) return hit;
  const pending = storedRanking(engine, key).then((stored) => stored ?? computeRanking(engine, model, key));
  if (rankings.size >= 32) rankings.delete(rankings.keys().next().value as string);
  rankings.set(key, pending);
  // A failed computation is not kept: the next visit tries again.
  pending.catch(() => rankings.delete(key));
  return pending;
}

async function storedRanking(engine: Engine, key: string): Promise<Ranked | null> {
  if (!(await tableExists(engine, RANKINGS_TABLE))) return null;
  const [row] = await engine
    .query<{ ranking: string }>(sql`SELECT ranking FROM ${ident(RANKINGS_TABLE)} WHERE key = ${key}`)
    .catch(() => []);
  return row ? (JSON.parse(row.ranking) as Ranked) : null;
}

/**
 * Scores every buyer with the model in TypeScript (the compiled SQL model is several times slower on a
 * 100-tree model: ~10 s against ~1 s for 5,000 buyers at load 12) and keeps the top MAX_TOP, best first,
 * ties by customer id; stored for the next server start (best effort: a read-only datamart just skips it).
 */
async function computeRanking(engine: Engine, model: PredictModel, key: string): Promise<Ranked> {
  const buyers = await loadTable(engine, FEATURES_TABLE, {
    idColumn: 'customer_id',
    include: model.state.model.features.map((f) => f.name),
    where: sql`last_order IS NOT NULL`,
    keepConstant: true,
  });
  const scored = scoreLoaded(model, buyers).rows;
  const top = scored
    .flatMap((r) => (r.score === null ? [] : [{ customer_id: String(r.customerId), score: r.score }]))
    .sort(
      (a, b) =>
        b.score - a.score || (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0),
    )
    .slice(0, MAX_TOP);
  const ranked: Ranked = { scored: scored.length, top };
  try {
    await engine.transaction(async (tx) => {
      await tx.exec(
        sql`CREATE TABLE IF NOT EXISTS ${ident(RANKINGS_TABLE)} (key VARCHAR, model_id VARCHAR, ranking VARCHAR)`,
      );
      await tx.exec(sql`DELETE FROM ${ident(RANKINGS_TABLE)} WHERE model_id = ${model.id}`);
      await tx.exec(
        sql`INSERT INTO ${ident(RANKINGS_TABLE)} VALUES (${key}, ${model.id}, ${JSON.stringify(ranked)})`,
      );
    });
  } catch {
    // Kept in memory only.
  }
  return ranked;
}

/** The explained top list, kept per (ranking, limit, language): explaining 20 customers costs ~0.5 s. */
const tops = new Map<string, Promise<ModelTopResponse>>();

async function topRisks(
  engine: Engine,
  model: PredictModel,
  asOf: string,
  limit: number,
  lang: Language,
): Promise<ModelTopResponse> {
  const currency = await getSetting(engine, 'currency');
  const key = JSON.stringify([await rankingKey(engine, model, asOf), limit, lang, currency]);
  const hit = tops.get(key);
  if (hit) return hit;
  const pending = (async () => {
    const ranked = await rankedBuyers(engine, model, asOf);
    const ids = ranked.top.slice(0, limit).map((t) => t.customer_id);
    const explained = ids.length
      ? explainLoaded(model, await featureRows(engine, model, ids), 3, undefined, lang, currency)
      : [];
    const byId = new Map(explained.map((e) => [e.customerId, e]));
    const rows = ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const band = scoreBand(row.score);
      return [{ ...row, band, bandLabel: nameLabel('band', band, lang) }];
    });
    return { id: model.id, asOf, scored: ranked.scored, rows };
  })();
  if (tops.size >= 64) tops.delete(tops.keys().next().value as string);
  tops.set(key, pending);
  pending.catch(() => tops.delete(key));
  return pending;
}

/**
 * Ranks the buyers for every model that scores the feature table, so the Risk page's first visit finds them
 * ready (called by `clientele serve` when it starts; errors are left to the page's own request).
 */
export async function warmRiskRankings(engine: Engine): Promise<number> {
  const asOf = await featureTableAsOf(engine);
  if (!asOf) return 0;
  let warmed = 0;
  for (const m of await listModels(engine)) {
    try {
      const { model } = await getModel(engine, m.id);
      if (!(await scoresOnFeatures(engine, model))) continue;
      // The page's default list (20, in English); other languages explain on their first visit.
      await topRisks(engine, model, asOf, 20, 'en');
      warmed++;
    } catch {
      // The page reports it when asked.
    }
  }
  return warmed;
}

export const riskRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/predict/models',
    summary: 'The model scoreboard: AUC, gain over the baseline, calibration error and age of every model',
    tag: 'risk',
    role: 'viewer',
    async handler({ engine }): Promise<ModelListResponse> {
      return { models: await modelScoreboard(engine) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/predict/models/:id',
    summary: 'A model’s evaluation: metrics per fold, baseline, lift and gains by decile, calibration',
    tag: 'risk',
    role: 'viewer',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params }): Promise<ModelDetailResponse> {
      const { model, report } = await getModel(engine, params.id);
      return {
        id: model.id,
        kind: model.state.model.kind,
        asOf: model.data.asOf,
        rows: model.data.rows,
        // The report is the JSON the trainer stored with the model (predict's EvaluationReport).
        report: report as ModelDetailResponse['report'],
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/predict/models/:id/top',
    personal: true,
    summary: 'The customers with the highest scores, with their top reasons (personal data)',
    tag: 'risk',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
    async handler({ engine, params, query, lang }): Promise<ModelTopResponse> {
      const { model } = await getModel(engine, params.id);
      const asOf = await featuresAsOf(engine);
      if (!(await scoresOnFeatures(engine, model)))
        throw new InputError(
          `Model "${model.id}" reads columns the customer feature table lacks (${model.state.model.features
            .map((f) => f.name)
            .join(', ')}); it scores its own table (${model.state.source.table}), not the customer base.`,
          { model: model.id },
          { code: 'MISSING_COLUMN' },
        );
      return topRisks(engine, model, asOf, query.limit, lang);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/customers/:id/scores',
    summary: 'Every model’s score for one customer with the reasons behind it (audited)',
    tag: 'customers',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, audit, caller, lang }): Promise<CustomerScoresResponse> {
      await audit.record(caller, 'customer.scores', params.id);
      const out = [];
      for (const m of await listModels(engine)) {
        const { model } = await getModel(engine, m.id);
        // Only models whose features all exist in the feature table can score this customer.
        if (!(await scoresOnFeatures(engine, model))) continue;
        const loaded = await featureRows(engine, model, [params.id]);
        const index = loaded.ids.indexOf(params.id);
        if (index < 0) continue;
        const [row] = explainLoaded(model, loaded, 5, [index], lang, await getSetting(engine, 'currency'));
        if (row) {
          const band = scoreBand(row.score);
          out.push({ model: m.id, target: m.target, ...row, band, bandLabel: nameLabel('band', band, lang) });
        }
      }
      return { customerId: params.id, scores: out };
    },
  }),
];
