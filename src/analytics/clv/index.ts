/**
 * Customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma and sBG models fitted on the datamart's orders,
 * per-customer predictions and CLV scores (`clv_scores`), and a calibration-vs-holdout validation report.
 * The AnalyticsModule (`clvModule`) wires fit → score → explain per STYLE.md §5.
 */
import { InputError } from '../../errors.js';
import { type Engine, sql } from '../../store/index.js';
import type { AnalyticsModule, CustomerFeatures, Explanation, ScoreResult } from '../module.js';
import type { ClvState } from './core.js';
import { explainCore } from './explain.js';
import { fitClv } from './fit.js';
import { type ClvModel, parseClvModel } from './model-file.js';
import { type ClvParams, defaults } from './params.js';
import { type ClvScoreRow, predictClv, toScoreRow } from './predict.js';
import { TIME_UNITS } from './sql.js';

export {
  CLV_MODELS,
  type ClvFitResult,
  type ClvModelKind,
  type ClvState,
  type PurchaseScores,
} from './core.js';
export { fitClv, fitClvModels } from './fit.js';
export { CLV_FORMAT_VERSION, type ClvModel, parseClvModel } from './model-file.js';
export type { ValidationReport } from './models/validation.js';
export { type ClvParams, defaults as clvDefaults, parseParams as parseClvParams } from './params.js';
export {
  type ClvPredictOptions,
  type ClvPredictResult,
  type ClvScoreRow,
  DEFAULT_TIERS,
  predictClv,
  type TierShares,
} from './predict.js';
export { type ClvReportOptions, clvReport } from './report.js';
export { TIME_UNITS, type TimeUnit } from './sql.js';
export { type ClvSummary, clvSummary } from './summary.js';
export { type CustomerSummary, loadCohortSurvivors, loadCustomerSummary } from './summary-load.js';

/**
 * The CLV module contract. `fit` fits one model (params.model); `score` needs a purchase model (bgnbd or
 * pareto) and scores every customer over one year with the observed mean spend (use predictClv with a
 * Gamma-Gamma model for the full CLV); `explain` gives the drivers of one customer's expected purchases.
 */
export const clvModule: AnalyticsModule<ClvParams, ClvState, ClvScoreRow> = {
  name: 'clv',
  defaults,
  fit: (engine: Engine, params?: Partial<ClvParams>) => fitClv(engine, params ?? {}),
  async score(engine: Engine, model: ClvModel): Promise<ScoreResult<ClvScoreRow>> {
    const m = parseClvModel(model);
    const result = await predictClv(engine, { purchaseModel: m, top: 0 });
    const rows = await engine.query(
      sql`SELECT * FROM clv_scores WHERE model_id = ${result.modelId}
        AND as_of = ${engine.dialect.dateParam(result.asOf)} ORDER BY customer_id`,
    );
    return { rows: rows.map(toScoreRow), warnings: result.warnings };
  },
  explain(model: ClvModel, customer: CustomerFeatures): Explanation {
    const m = parseClvModel(model);
    const num = (k: string) => {
      const v = customer[k];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new InputError(
          `clv explain: expected a number for "${k}" (x, t_x, T), got ${JSON.stringify(v)}.`,
        );
      return v;
    };
    return explainCore(
      m.state,
      { x: num('x'), tx: num('t_x'), T: num('T') },
      365.25 / TIME_UNITS[m.params.unit],
    );
  },
};
