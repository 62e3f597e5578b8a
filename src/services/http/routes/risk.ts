import { z } from 'zod';
import { FEATURES_TABLE, featureTableAsOf } from '../../../analytics/features/index.js';
import {
  explainLoaded,
  getModel,
  listModels,
  loadTable,
  modelScoreboard,
  type PredictModel,
  scoreQuerySql,
} from '../../../analytics/predict/index.js';
import { nameLabel, scoreBand } from '../../../analytics/shared/server-text.js';
import { InputError, NotFoundError } from '../../../errors.js';
import { type Engine, ident, join, sql } from '../../../store/index.js';
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
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${FEATURES_TABLE}`,
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
 * The ranking of buyers by a model's score, kept per (model, its fit, the feature table's as_of and content):
 * scoring every buyer with a 120-tree model costs about half a second, so the Risk page pays it once per
 * feature build, not on every visit. A rebuilt feature table or a retrained model changes the key.
 */
const rankings = new Map<string, Ranked>();

async function rankedBuyers(engine: Engine, model: PredictModel, asOf: string): Promise<Ranked> {
  const [sig] = await engine.query<{ n: number; h: string }>(
    sql`SELECT count(*) AS n, CAST(sum(hash(customer_id, last_order, orders)) AS VARCHAR) AS h FROM ${ident(FEATURES_TABLE)}`,
  );
  const key = JSON.stringify([model.id, model.data.fingerprint, asOf, sig?.n, sig?.h]);
  const hit = rankings.get(key);
  if (hit) return hit;
  // Scored inside the database by the compiled model, counted and ranked in one pass; only the page's rows
  // come back to be explained.
  const scoring = scoreQuerySql(engine.dialect, model.state.model, FEATURES_TABLE, 'customer_id');
  const rows = await engine.query<{ customer_id: string; score: number; n: number }>(
    sql`SELECT b.customer_id, b.score, count(*) OVER () AS n FROM (
          SELECT q.customer_id, q.score FROM (${scoring}) q JOIN ${ident(FEATURES_TABLE)} f
            ON ${engine.dialect.toText(sql`f.customer_id`)} = q.customer_id WHERE f.last_order IS NOT NULL) b
        ORDER BY b.score DESC, b.customer_id LIMIT ${MAX_TOP}`,
  );
  const ranked = {
    scored: Number(rows[0]?.n ?? 0),
    top: rows.map((r) => ({ customer_id: r.customer_id, score: r.score })),
  };
  if (rankings.size >= 32) rankings.delete(rankings.keys().next().value as string);
  rankings.set(key, ranked);
  return ranked;
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
      const ranked = await rankedBuyers(engine, model, asOf);
      const ids = ranked.top.slice(0, query.limit).map((t) => t.customer_id);
      const explained = ids.length
        ? explainLoaded(model, await featureRows(engine, model, ids), 3, undefined, lang)
        : [];
      const byId = new Map(explained.map((e) => [e.customerId, e]));
      const rows = ids.flatMap((id) => {
        const row = byId.get(id);
        if (!row) return [];
        const band = scoreBand(row.score);
        return [{ ...row, band, bandLabel: nameLabel('band', band, lang) }];
      });
      return { id: model.id, asOf, scored: ranked.scored, rows };
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
        const [row] = explainLoaded(model, loaded, 5, [index], lang);
        if (row) {
          const band = scoreBand(row.score);
          out.push({ model: m.id, target: m.target, ...row, band, bandLabel: nameLabel('band', band, lang) });
        }
      }
      return { customerId: params.id, scores: out };
    },
  }),
];
