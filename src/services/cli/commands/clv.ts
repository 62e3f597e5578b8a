import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type ClvModel,
  type ClvParams,
  clvReport,
  fitClv,
  parseClvModel,
  predictClv,
  type TierShares,
} from '../../../analytics/clv/index.js';
import { InputError } from '../../../errors.js';
import type { Engine } from '../../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag } from './analytics-args.js';

const USAGE = `Usage: clientele clv fit     --model bgnbd|pareto|gammagamma|sbg --calibration-end DATE [--unit day|week|month]
                           [--holdout-end DATE] [--penalizer X] [--max-iterations N] [--save FILE] [--json]
       clientele clv predict (--model-file FILE | --model bgnbd|pareto --calibration-end DATE) [--spend-file FILE | --no-spend]
                           [--as-of DATE] [--horizon N] [--discount-rate R] [--margin X|datamart] [--tiers G,S,B]
                           [--model-id ID] [--top N] [--json]
       clientele clv report  (--model-file FILE | --model bgnbd|pareto --calibration-end DATE) --holdout-end DATE [--json]

Customer lifetime value from the orders table. A purchase is a customer-day (several orders on one day count
once); x = repeat purchases, t_x = time of the last, T = time since the first, in --unit (default week).
  fit      maximum likelihood (L-BFGS on log-parameters) with standard errors; --save writes the JSON model.
           Models: bgnbd (Fader, Hardie & Lee 2005), pareto (Pareto/NBD), gammagamma (average spend, customers
           with repeat purchases), sbg (shifted-beta-geometric retention of one cohort: --survivors 1000,631,…
           or, from the orders, customers first buying in the --unit after --cohort-start).
  predict  per-customer P(alive), expected purchases over --horizon units (default one year), expected spend
           (Gamma-Gamma; fitted on the fly unless --spend-file / --no-spend), margin (per customer from
           products.unit_cost, or --margin 0.3), CLV = discounted expected margin (--discount-rate per year,
           default 0.1) and tiers gold/silver/bronze/standard (--tiers shares, default 0.05,0.15,0.30).
           Writes clv_scores (customer_id, model_id, as_of, horizon, unit, x, t_x, T, p_alive,
           expected_purchases, p_no_purchase, expected_spend, margin_ratio, clv, tier).
  report   calibration vs holdout: frequency histogram with χ², tracking of repeat purchases by period,
           conditional expectations by calibration frequency, MAE/RMSE/correlation against a naive baseline.

JSON (fit): model, params (r, alpha, a, b | r, alpha, s, beta | p, q, gamma | alpha, beta), standardErrors,
  logLikelihood, iterations, seconds, converged, customers, distinctRows, calibrationEnd, unit, warnings, saved
JSON (predict): modelId, asOf, horizon, unit, customers, totalClv, tiers[{tier, customers, clv, minClv}],
  top[{customerId, x, tx, T, probabilityAlive, expectedPurchases, probabilityNoPurchase, expectedSpend,
  marginRatio, clv, tier}], warnings, seconds
JSON (report): model, customers, holdoutLength, calibrationEnd, holdoutEnd, unit, histogram[{bin, actual,
  expected}], chiSquare{statistic, degreesOfFreedom, pValue}, conditional[{bin, customers, actualMean,
  predictedMean}], zeroClass{customers, actualTotal, actualMean, predictedMean}, tracking[{period, holdout,
  actual, expected, actualCumulative, expectedCumulative}], errors{actualTotal, model{mae, rmse, correlation,
  total}, baseline{…}}, beatsBaseline

Examples:
  clientele clv fit --model bgnbd --calibration-end 1997-09-30 --unit week --save bgnbd.json --json
  clientele clv fit --model gammagamma --calibration-end 1997-09-30 --save spend.json
  clientele clv predict --model-file bgnbd.json --spend-file spend.json --horizon 52 --discount-rate 0.1
  clientele clv report --model-file bgnbd.json --holdout-end 1998-06-30`;

export const clvCommand: Command = {
  name: 'clv',
  summary: 'customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma, sBG; predictions, tiers, validation',
  usage: USAGE,
  options: {
    model: { type: 'string' },
    'calibration-end': { type: 'string' },
    'holdout-end': { type: 'string' },
    unit: { type: 'string' },
    penalizer: { type: 'string' },
    'max-iterations': { type: 'string' },
    survivors: { type: 'string' },
    'cohort-start': { type: 'string' },
    save: { type: 'string' },
    'model-file': { type: 'string' },
    'spend-file': { type: 'string' },
    'no-spend': { type: 'boolean', default: false },
    'as-of': { type: 'string' },
    horizon: { type: 'string' },
    'discount-rate': { type: 'string' },
    margin: { type: 'string' },
    tiers: { type: 'string' },
    'model-id': { type: 'string' },
    top: { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub !== 'fit' && sub !== 'predict' && sub !== 'report')
      throw new InputError(
        `clientele clv: expected a subcommand, fit, predict or report, got ${sub ? `"${sub}"` : 'nothing'}. Run \`clientele clv --help\`.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      if (sub === 'fit') return await runFit(ctx, engine);
      if (sub === 'predict') return await runPredict(ctx, engine);
      return await runReport(ctx, engine);
    } finally {
      await engine.close();
    }
  },
};

function numberFlag(ctx: CommandContext, flag: string): number | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n))
    throw new InputError(
      `--${flag}: expected a number, got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return n;
}

/** Params from the fit flags; parseParams (inside fitClv) reports every bad value at once. */
function fitParams(ctx: CommandContext, defaultModel?: string): Partial<ClvParams> {
  const v = ctx.values;
  const p: Record<string, unknown> = {};
  const model = v.model ?? defaultModel;
  if (model !== undefined) p.model = model;
  if (v['calibration-end'] !== undefined)
    p.calibrationEnd = dateFlag(v['calibration-end'], 'calibration-end');
  else if (!(model === 'sbg' && v.survivors !== undefined))
    throw new InputError(
      '--calibration-end: expected the last day of the calibration period (YYYY-MM-DD), got nothing.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  if (v['holdout-end'] !== undefined) p.holdoutEnd = dateFlag(v['holdout-end'], 'holdout-end');
  if (v.unit !== undefined) p.unit = v.unit;
  const penalizer = numberFlag(ctx, 'penalizer');
  if (penalizer !== undefined) p.penalizer = penalizer;
  const maxIterations = numberFlag(ctx, 'max-iterations');
  if (maxIterations !== undefined) p.maxIterations = maxIterations;
  if (v.survivors !== undefined)
    p.survivors = String(v.survivors)
      .split(',')
      .map((s) => Number(s.trim()));
  if (v['cohort-start'] !== undefined) p.cohortStart = dateFlag(v['cohort-start'], 'cohort-start');
  return p as Partial<ClvParams>;
}

function readModel(path: string, flag: string): ClvModel {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new InputError(
      `--${flag} ${path}: expected a readable JSON model file (from clientele clv fit --save), got: ${(cause as Error).message}`,
      { path },
      { cause, code: 'FILE_NOT_FOUND' },
    );
  }
  return parseClvModel(data);
}

async function purchaseModel(ctx: CommandContext, engine: Engine): Promise<ClvModel> {
  const file = ctx.values['model-file'];
  if (typeof file === 'string') return readModel(file, 'model-file');
  const progress = ctx.progress('fitting purchase model');
  const m = await fitClv(engine, fitParams(ctx, 'bgnbd'));
  progress.done();
  return m;
}

async function runFit(ctx: CommandContext, engine: Engine) {
  const params = fitParams(ctx);
  if (params.model === undefined)
    throw new InputError(
      '--model: expected bgnbd, pareto, gammagamma or sbg, got nothing.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const progress = ctx.progress(`fitting ${params.model}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const model = await fitClv(engine, params);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  progress.done();
  const save = ctx.values.save;
  if (typeof save === 'string') writeFileSync(save, `${JSON.stringify(model, null, 2)}\n`);
  const s = model.state;
  ctx.out.line(
    `${s.model}: ${ctx.out.fmt.int(s.customers)} customers (${ctx.out.fmt.int(s.distinctRows)} distinct rows), log-likelihood ${s.logLikelihood.toFixed(2)}, ${model.diagnostics.iterations} iterations, ${seconds.toFixed(2)} s`,
  );
  ctx.out.table(
    Object.entries(s.params).map(([name, value]) => ({
      parameter: name,
      estimate: Number(value.toPrecision(6)),
      standardError: s.standardErrors[name] === null ? null : Number(s.standardErrors[name]!.toPrecision(4)),
    })),
  );
  for (const w of model.diagnostics.warnings) ctx.out.line(`Warning: ${w}`);
  if (typeof save === 'string') ctx.out.line(`Saved the model to ${save}.`);
  return {
    model: s.model,
    params: s.params,
    standardErrors: s.standardErrors,
    logLikelihood: s.logLikelihood,
    iterations: model.diagnostics.iterations,
    seconds,
    /** CPU seconds of the summary and fit (user + system, DuckDB's threads included). */
    cpuSeconds: (used.user + used.system) / 1e6,
    converged: model.diagnostics.converged,
    customers: s.customers,
    distinctRows: s.distinctRows,
    calibrationEnd: model.params.calibrationEnd,
    unit: model.params.unit,
    warnings: model.diagnostics.warnings,
    saved: typeof save === 'string' ? save : null,
  };
}

function tiersFlag(ctx: CommandContext): TierShares | undefined {
  const v = ctx.values.tiers;
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0))
    throw new InputError(
      `--tiers: expected three shares gold,silver,bronze such as 0.05,0.15,0.30, got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return { gold: parts[0]!, silver: parts[1]!, bronze: parts[2]! };
}

async function runPredict(ctx: CommandContext, engine: Engine) {
  const started = performance.now();
  const pm = await purchaseModel(ctx, engine);
  let spendModel: ClvModel | null = null;
  const spendFile = ctx.values['spend-file'];
  if (typeof spendFile === 'string') spendModel = readModel(spendFile, 'spend-file');
  else if (!ctx.values['no-spend']) {
    const progress = ctx.progress('fitting spend model');
    spendModel = await fitClv(engine, { ...pm.params, model: 'gammagamma' });
    progress.done();
  }
  const marginFlag = ctx.values.margin;
  const margin =
    marginFlag === undefined || marginFlag === 'datamart' ? 'datamart' : numberFlag(ctx, 'margin');
  const asOf = ctx.values['as-of'] === undefined ? undefined : dateFlag(ctx.values['as-of'], 'as-of');
  const progress = ctx.progress('scoring customers');
  const result = await predictClv(engine, {
    purchaseModel: pm,
    spendModel,
    asOf,
    horizon: numberFlag(ctx, 'horizon'),
    discountRate: numberFlag(ctx, 'discount-rate'),
    margin,
    tiers: tiersFlag(ctx),
    modelId: typeof ctx.values['model-id'] === 'string' ? ctx.values['model-id'] : undefined,
    top: numberFlag(ctx, 'top'),
  });
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  ctx.out.line(
    `CLV (${result.modelId}) of ${ctx.out.fmt.int(result.customers)} customers as of ${ctx.out.fmt.date(result.asOf)}, horizon ${result.horizon.toFixed(1)} ${result.unit}s: total ${ctx.out.fmt.money(result.totalClv, 2)}`,
  );
  ctx.out.table(
    result.tiers.map((t) => ({
      tier: t.tier,
      customers: t.customers,
      clv: Number(t.clv.toFixed(2)),
      share: Number((t.clv / result.totalClv).toFixed(3)),
      minClv: Number(t.minClv.toFixed(2)),
    })),
    { money: ['clv', 'minClv'] },
  );
  ctx.out.line('Top customers:');
  ctx.out.table(
    result.top.map((r) => ({
      customer: r.customerId,
      x: r.x,
      pAlive: Number(r.probabilityAlive.toFixed(3)),
      expectedPurchases: Number(r.expectedPurchases.toFixed(2)),
      expectedSpend: Number(r.expectedSpend.toFixed(2)),
      clv: Number(r.clv.toFixed(2)),
      tier: r.tier,
    })),
    { money: ['expectedSpend', 'clv'] },
  );
  for (const w of result.warnings) ctx.out.line(`Warning: ${w}`);
  ctx.out.line('Scores are in the clv_scores table (clientele sql "SELECT * FROM clv_scores").');
  return { ...result, seconds };
}

async function runReport(ctx: CommandContext, engine: Engine) {
  const model = await purchaseModel(ctx, engine);
  const holdoutEnd =
    ctx.values['holdout-end'] === undefined ? undefined : dateFlag(ctx.values['holdout-end'], 'holdout-end');
  const r = await clvReport(engine, model, { holdoutEnd });
  ctx.out.line(
    `${r.model}: calibration to ${r.calibrationEnd}, holdout to ${r.holdoutEnd} (${r.holdoutLength.toFixed(1)} ${r.unit}s), ${ctx.out.fmt.int(r.customers)} customers`,
  );
  if (r.histogram) {
    ctx.out.line('Calibration frequency: actual vs expected customers');
    ctx.out.table(
      r.histogram.map((b) => ({ x: b.bin, actual: b.actual, expected: Number(b.expected.toFixed(1)) })),
    );
    if (r.chiSquare)
      ctx.out.line(
        `χ² = ${r.chiSquare.statistic.toFixed(2)} (df ${r.chiSquare.degreesOfFreedom}, p = ${r.chiSquare.pValue.toFixed(3)})`,
      );
  }
  ctx.out.line('Holdout purchases by calibration frequency: actual vs predicted mean');
  ctx.out.table(
    r.conditional.map((c) => ({
      x: c.bin,
      customers: c.customers,
      actual: Number(c.actualMean.toFixed(3)),
      predicted: Number(c.predictedMean.toFixed(3)),
    })),
  );
  const last = r.tracking.at(-1);
  if (last)
    ctx.out.line(
      `Cumulative repeat purchases at period ${last.period}: actual ${last.actualCumulative}, expected ${last.expectedCumulative.toFixed(1)}`,
    );
  const e = r.errors;
  ctx.out.table([
    {
      predictor: r.model,
      mae: e.model.mae,
      rmse: e.model.rmse,
      correlation: e.model.correlation,
      total: e.model.total,
    },
    {
      predictor: 'baseline (rate x/T)',
      mae: e.baseline.mae,
      rmse: e.baseline.rmse,
      correlation: e.baseline.correlation,
      total: e.baseline.total,
    },
  ]);
  ctx.out.line(
    `Actual holdout purchases: ${e.actualTotal}. The model ${r.beatsBaseline ? 'beats' : 'does not beat'} the naive baseline (RMSE).`,
  );
  return r;
}
