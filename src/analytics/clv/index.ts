/**
 * Customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma and sBG models fitted on the datamart's orders.
 * Wires the SQL summary (sql.ts) to the pure core (core.ts) and the AnalyticsModule contract.
 */
import { InputError, ModelError } from '../../errors.js';
import { type Engine, type SqlFragment, sql } from '../../store/index.js';
import type { ModelEnvelope } from '../module.js';
import { type ClvFitData, type ClvFitResult, type ClvState, fitCore } from './core.js';
import type { RfSummary, SpendSummary } from './models/summary.js';
import { type ClvParams, parseParams } from './params.js';
import {
  groupedSummarySql,
  lateCustomersSql,
  type SummarySqlOptions,
  summarySql,
  TIME_UNITS,
} from './sql.js';

export const CLV_FORMAT_VERSION = 1;

export type ClvModel = ModelEnvelope<ClvParams, ClvState>;

/** Per-customer calibration summary (and holdout when asked), as columns. */
export interface CustomerSummary {
  customerId: string[];
  firstPurchase: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean repeat spend; NaN where x = 0. */
  meanSpend: Float64Array;
  /** Holdout purchase days and spend; empty arrays without a holdout. */
  xHoldout: Float64Array;
  spendHoldout: Float64Array;
}

/** Loads the per-customer summary as of the calibration end. */
export async function loadCustomerSummary(
  engine: Engine,
  options: SummarySqlOptions,
): Promise<CustomerSummary> {
  const cols = await engine.queryColumns(summarySqlOrdered(engine, options));
  const num = (name: string) =>
    Float64Array.from((cols[name] ?? []) as (number | null)[], (v) => v ?? Number.NaN);
  return {
    customerId: ((cols.customer_id ?? []) as unknown[]).map(String),
    firstPurchase: ((cols.first_purchase ?? []) as unknown[]).map(String),
    x: num('x'),
    tx: num('t_x'),
    T: num('T'),
    meanSpend: num('mean_spend'),
    xHoldout: options.holdoutEnd ? num('x_holdout') : new Float64Array(0),
    spendHoldout: options.holdoutEnd ? num('spend_holdout') : new Float64Array(0),
  };
}

function summarySqlOrdered(engine: Engine, options: SummarySqlOptions): SqlFragment {
  return sql`SELECT * FROM (${summarySql(engine.dialect, options)}) s ORDER BY customer_id`;
}

/** Loads the grouped (x, t_x, T, weight) summary the purchase models are fitted on. */
export async function loadGroupedSummary(engine: Engine, options: SummarySqlOptions): Promise<RfSummary> {
  const cols = await engine.queryColumns(groupedSummarySql(engine.dialect, options));
  const num = (name: string) => Float64Array.from((cols[name] ?? []) as number[]);
  return { x: num('x'), tx: num('t_x'), T: num('T'), weight: num('weight') };
}

/** Loads the Gamma-Gamma input: customers with x > 0 and a positive mean repeat spend. */
export async function loadSpendSummary(
  engine: Engine,
  options: SummarySqlOptions,
): Promise<{ spend: SpendSummary; dropped: number }> {
  const inner = summarySql(engine.dialect, { ...options, holdoutEnd: undefined });
  const cols = await engine.queryColumns(
    sql`SELECT x, mean_spend FROM (${inner}) s WHERE x > 0 AND mean_spend > 0 ORDER BY customer_id`,
  );
  const dropped = await engine.query<{ n: number }>(
    sql`SELECT count(*) AS n FROM (${inner}) s WHERE x > 0 AND NOT (mean_spend > 0)`,
  );
  const x = Float64Array.from((cols.x ?? []) as number[]);
  return {
    spend: {
      x,
      meanSpend: Float64Array.from((cols.mean_spend ?? []) as number[]),
      weight: new Float64Array(x.length).fill(1),
    },
    dropped: Number(dropped[0]?.n ?? 0),
  };
}

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
  } else {
    data.rf = await loadGroupedSummary(engine, options);
  }
  const late = await engine.query<{ n: number }>(lateCustomersSql(engine.dialect, options));
  const lateCount = Number(late[0]?.n ?? 0);
  if (lateCount > 0)
    warnings.push(
      `${lateCount} customers made their first purchase after the calibration end ${params.calibrationEnd} and are not in the fit`,
    );
  const fit: ClvFitResult = fitCore(data, params);
  return envelope(params, fit, [...warnings, ...fit.warnings]);
}

function envelope(params: ClvParams, fit: ClvFitResult, warnings: string[]): ClvModel {
  const p = fit.state.params;
  return {
    module: 'clv',
    formatVersion: CLV_FORMAT_VERSION,
    params,
    state: fit.state,
    data: {
      asOf: params.calibrationEnd,
      rows: fit.state.distinctRows,
      fingerprint: `${fit.state.model}:${fit.state.customers}:${fit.state.logLikelihood.toFixed(6)}:${Object.values(
        p,
      )
        .map((v) => v.toPrecision(8))
        .join(',')}`,
    },
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings },
  };
}

/** Checks that an unknown value (a saved file) is a CLV model envelope of this format. */
export function parseClvModel(value: unknown): ClvModel {
  if (typeof value !== 'object' || value === null || (value as { module?: unknown }).module !== 'clv')
    throw new ModelError(
      'MODULE_MISMATCH',
      `clv: expected a saved CLV model (module "clv"), got ${JSON.stringify((value as { module?: unknown })?.module ?? typeof value)}. Save one with: clientele clv fit … --save model.json`,
    );
  const m = value as ClvModel;
  if (m.formatVersion !== CLV_FORMAT_VERSION)
    throw new ModelError(
      'FORMAT_VERSION',
      `clv: the model file has format version ${m.formatVersion}; this version reads ${CLV_FORMAT_VERSION}. Refit it with clientele clv fit.`,
    );
  parseParams(m.params);
  if (!m.state || typeof m.state.params !== 'object')
    throw new InputError('clv: the model file has no state.params; refit it with clientele clv fit.');
  return m;
}

export type { ClvParams, ClvState };
export { TIME_UNITS };
