import { z } from 'zod';
import { FEATURES_TABLE, featureTableAsOf } from '../../../analytics/features/index.js';
import {
  explainLoaded,
  getModel,
  listModels,
  loadTable,
  type PredictModel,
  scoreLoaded,
} from '../../../analytics/predict/index.js';
import { NotFoundError } from '../../../errors.js';
import { type Engine, sql } from '../../../store/index.js';
import { defineRoute } from '../route.js';
import type {
  CustomerScoresResponse,
  ModelDetailResponse,
  ModelListResponse,
  ModelTopResponse,
} from '../types.js';

/** Loads the feature rows a model scores (the built feature table), optionally for one customer. */
async function scoringRows(engine: Engine, model: PredictModel) {
  const asOf = await featureTableAsOf(engine);
  if (!asOf) {
    throw new NotFoundError(
      'The customer feature table has not been built. Run `clientele features build` first.',
    );
  }
  const loaded = await loadTable(engine, FEATURES_TABLE, {
    idColumn: 'customer_id',
    include: model.state.model.features.map((f) => f.name),
    where: sql`last_order IS NOT NULL`,
  });
  return { asOf, loaded };
}

export const riskRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/predict/models',
    summary: 'Trained models with their headline evaluation (AUC vs baseline)',
    tag: 'risk',
    role: 'viewer',
    async handler({ engine }): Promise<ModelListResponse> {
      const models = await listModels(engine);
      const withEval = [];
      for (const m of models) {
        const { report } = await getModel(engine, m.id);
        const r = report as {
          auc?: number | null;
          baseline?: { feature: string; auc: number } | null;
        } | null;
        withEval.push({ ...m, auc: r?.auc ?? null, baseline: r?.baseline ?? null });
      }
      return { models: withEval };
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
    summary: 'The customers with the highest scores, with their top reasons (personal data)',
    tag: 'risk',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
    async handler({ engine, params, query }): Promise<ModelTopResponse> {
      const { model } = await getModel(engine, params.id);
      const { asOf, loaded } = await scoringRows(engine, model);
      const scored = scoreLoaded(model, loaded).rows;
      const order = scored
        .map((_, i) => i)
        .sort((a, b) => (scored[b]?.score ?? 0) - (scored[a]?.score ?? 0) || a - b);
      const rows = explainLoaded(model, loaded, 3, order.slice(0, query.limit));
      return { id: model.id, asOf, scored: scored.length, rows };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/customers/:id/scores',
    summary: 'Every model’s score for one customer with the reasons behind it (audited)',
    tag: 'customers',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, audit, caller }): Promise<CustomerScoresResponse> {
      await audit.record(caller, 'customer.scores', params.id);
      const out = [];
      // Only models whose features all exist in the feature table can score this customer.
      const table = await engine.query<{ column_name: string }>(
        sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${FEATURES_TABLE}`,
      );
      const have = new Set(table.map((c) => c.column_name));
      for (const m of await listModels(engine)) {
        const { model } = await getModel(engine, m.id);
        if (!model.state.model.features.every((f) => have.has(f.name))) continue;
        // Load every buyer, not just this one: the table loader drops columns that are constant in what it
        // reads, and one row is constant in every column.
        const { loaded } = await scoringRows(engine, model);
        const index = loaded.ids.indexOf(params.id);
        if (index < 0) continue;
        const [row] = explainLoaded(model, loaded, 5, [index]);
        if (row) out.push({ model: m.id, target: m.target, ...row });
      }
      return { customerId: params.id, scores: out };
    },
  }),
];
