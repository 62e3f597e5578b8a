/** Fits a CLV model on the datamart: SQL summary → pure core → JSON model envelope. */
import type { Engine } from '../../store/index.js';
import { type ClvFitData, type ClvFitResult, fitCore } from './core.js';
import { type ClvModel, envelope } from './model-file.js';
import { type ClvParams, parseParams } from './params.js';
import { lateCustomersSql, type SummarySqlOptions } from './sql.js';
import { loadCohortSurvivors, loadGroupedSummary, loadSpendSummary } from './summary-load.js';

/**
 * Fits a CLV model on the datamart's orders and returns the JSON model envelope.
 *
 * @param engine the datamart
 * @param input settings (see ClvParams); `calibrationEnd` is required
 * @returns the fitted model; `state.params` are named as in the papers
 * @throws InputError INVALID_INPUT for bad settings; ModelError NOT_CONVERGED / EMPTY_INPUT
 */
export async function fitClv(engine: Engine, input: Partial<ClvParams>): Promise<ClvModel> {
  const params = parseParams(input);
  const options: SummarySqlOptions = { calibrationEnd: params.calibrationEnd, unit: params.unit };
  const data: ClvFitData = {};
  const warnings: string[] = [];
  if (params.model === 'gammagamma') {
    const { spend, dropped } = await loadSpendSummary(engine, options);
    data.spend = spend;
    if (dropped > 0)
      warnings.push(
        `gammagamma: ${dropped} repeat customers with a mean repeat spend ≤ 0 (refunds, free orders) were left out of the spend fit; their spend prediction is the population mean`,
      );
  } else if (params.model === 'sbg') {
    data.survivors = params.survivors ?? (await loadCohortSurvivors(engine, params));
  } else {
    data.rf = await loadGroupedSummary(engine, options);
  }
  const lateCount =
    params.model === 'sbg'
      ? 0
      : Number((await engine.query<{ n: number }>(lateCustomersSql(engine.dialect, options)))[0]?.n ?? 0);
  if (lateCount > 0)
    warnings.push(
      `${lateCount} customers made their first purchase after the calibration end ${params.calibrationEnd} and are not in the fit`,
    );
  const fit: ClvFitResult = fitCore(data, params);
  return envelope(params, fit, [...warnings, ...fit.warnings]);
}
