/** Fits a CLV model on the datamart: SQL summary → pure core → JSON model envelope. */
import { type Engine, ident, type SqlFragment, sql } from '../../store/index.js';
import { type ClvFitData, type ClvFitResult, type ClvModelKind, fitCore } from './core.js';
import { type ClvModel, envelope } from './model-file.js';
import { type ClvParams, parseParams } from './params.js';
import { type SummarySqlOptions, summarySql } from './sql.js';
import { loadCohortSurvivors, loadGroupedSummary, loadSpendSummary } from './summary-load.js';

/**
 * Fits a CLV model on the datamart's orders and returns the JSON model envelope.
 *
 * @param engine the datamart
 * @param input settings (see ClvParams); `calibrationEnd` is required
 * @returns the fitted model; `state.params` are named as in the papers
 * @throws InputError INVALID_INPUT for bad settings; ModelError NOT_CONVERGED (with the parameter that ran
 *   off and what to try) or EMPTY_INPUT
 * @example
 * // BG/NBD on weekly data (Fader, Hardie & Lee 2005, eq. 6 likelihood):
 * const bg = await fitClv(engine, { model: 'bgnbd', calibrationEnd: '1997-09-30', unit: 'week' });
 * bg.state.params; // { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4259 } on CDNOW
 */
export async function fitClv(engine: Engine, input: Partial<ClvParams>): Promise<ClvModel> {
  const params = parseParams(input);
  return fitParsed(engine, params);
}

async function fitParsed(engine: Engine, params: ClvParams, from?: SqlFragment): Promise<ClvModel> {
  const options: SummarySqlOptions = { calibrationEnd: params.calibrationEnd, unit: params.unit };
  const data: ClvFitData = {};
  const warnings: string[] = [];
  let lateCount = 0;
  if (params.model === 'gammagamma') {
    const { spend, dropped, late } = await loadSpendSummary(engine, options, from);
    data.spend = spend;
    lateCount = late;
    if (dropped > 0)
      warnings.push(
        `gammagamma: ${dropped} repeat customers with a mean repeat spend ≤ 0 (refunds, free orders) were left out of the spend fit; their spend prediction is the population mean`,
      );
  } else if (params.model === 'sbg') {
    data.survivors = params.survivors ?? (await loadCohortSurvivors(engine, params));
  } else {
    const grouped = await loadGroupedSummary(engine, options, from);
    lateCount = grouped.late;
    data.rf = { x: grouped.x, tx: grouped.tx, T: grouped.T, weight: grouped.weight };
  }
  if (lateCount > 0)
    warnings.push(
      `${lateCount} customers made their first purchase after the calibration end ${params.calibrationEnd} and are not in the fit`,
    );
  const fit: ClvFitResult = fitCore(data, params);
  return envelope(params, fit, [...warnings, ...fit.warnings]);
}

/**
 * Fits several models on one calibration summary, computed once in SQL and kept in a temporary table: the
 * usual pair is a purchase model and Gamma-Gamma (`['bgnbd', 'gammagamma']`), which halves the SQL work of
 * two fitClv calls.
 *
 * @param input shared settings (calibrationEnd, unit, penalizer …); `model` is ignored
 * @param models the models to fit, in order
 * @returns one envelope per model, in the same order
 * @throws as fitClv
 * @example
 * const [bg, gg] = await fitClvModels(engine, { calibrationEnd: '1997-09-30' }, ['bgnbd', 'gammagamma']);
 */
export async function fitClvModels(
  engine: Engine,
  input: Partial<ClvParams>,
  models: readonly ClvModelKind[],
): Promise<ClvModel[]> {
  const all = models.map((model) => parseParams({ ...input, model }));
  const first = all[0];
  if (!first) return [];
  const table = '_clv_fit_summary';
  await engine.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  await engine.exec(
    sql`CREATE TEMPORARY TABLE ${ident(table)} AS ${summarySql(
      engine.dialect,
      { calibrationEnd: first.calibrationEnd, unit: first.unit },
      true,
    )}`,
  );
  try {
    const out: ClvModel[] = [];
    for (const params of all) out.push(await fitParsed(engine, params, sql`${ident(table)}`));
    return out;
  } finally {
    await engine.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  }
}
