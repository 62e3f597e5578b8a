import {
  backtestModel,
  buildTrainingSet,
  explainLoaded,
  getModel,
  type LabelSpec,
  type Language,
  loadTable,
  modelScoreboard,
  type PredictModel,
  type PurchaseCycle,
  purchaseCycle,
  purchaseCycleWords,
  SCORES_TABLE,
  saveModel,
  scoreLoaded,
  scoreQuerySql,
  scoreTable,
  storeScores,
  storeScoresFromSql,
  type TrainResult,
  tableReferenceDate,
  trainModel,
  writeBackScores,
} from '../../../analytics/predict/index.js';
import { InputError } from '../../../errors.js';
import { appendAudit, type Engine, ensureAuditLog, withDuckDbCopy } from '../../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag, intFlag } from './analytics-args.js';
import { cliActor } from './audit.js';

const SUBCOMMANDS = ['dataset', 'train', 'backtest', 'score', 'report', 'explain', 'list'] as const;

function listFlag(ctx: CommandContext, flag: string): string[] | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function stringFlag(ctx: CommandContext, flag: string): string | undefined {
  const v = ctx.values[flag];
  return v === undefined ? undefined : String(v);
}

function required(ctx: CommandContext, flag: string, example: string): string {
  const v = stringFlag(ctx, flag);
  if (!v)
    throw new InputError(
      `clientele predict ${ctx.args[0]}: expected --${flag}, got nothing. Example: ${example}`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return v;
}

/** Model settings from flags: --model, --seed, --trees, --learning-rate, --max-leaves, --lambda, --l1-ratio, --params JSON. */
/**
 * The label of `dataset` and `backtest` from --label, --horizon and the kind's own flags. Churn without
 * --horizon takes the shop's own purchase cycle as of `cycleAsOf` (data on or before it only): the window in
 * which 90% of repeat purchases came; said on the output and returned as `window`.
 */
async function labelFromFlags(
  ctx: CommandContext,
  engine: Engine,
  cycleAsOf: string,
): Promise<{ label: LabelSpec; window: { days: number; source: string; cycle?: PurchaseCycle } }> {
  const given = intFlag(ctx, 'horizon', 1, 3660);
  const kind = stringFlag(ctx, 'label') ?? 'churn';
  if (kind === 'churn' && given === undefined) {
    const cycle = await purchaseCycle(engine, cycleAsOf);
    if (!ctx.json) ctx.out.line(`Churn window: ${purchaseCycleWords(cycle)}; --horizon DAYS sets another.`);
    return {
      label: { kind, horizonDays: cycle.days },
      window: { days: cycle.days, source: cycle.source, cycle },
    };
  }
  const horizon = given ?? 90;
  const window = { days: horizon, source: given === undefined ? 'default' : '--horizon' };
  let label: LabelSpec;
  if (kind === 'churn') label = { kind, horizonDays: horizon };
  else if (kind === 'category')
    label = {
      kind,
      horizonDays: horizon,
      category: required(ctx, 'category', 'clientele predict dataset --label category --category "Home"'),
    };
  else if (kind === 'response')
    label = {
      kind,
      windowDays: horizon,
      sendWindowDays: intFlag(ctx, 'send-window', 1, 3660) ?? 30,
      campaignId: stringFlag(ctx, 'campaign'),
    };
  else if (kind === 'contract-end')
    label = {
      kind,
      horizonDays: horizon,
      table: required(ctx, 'contract-table', '--contract-table contracts --flag ended --date end_date'),
      flagColumn: required(ctx, 'flag', '--flag ended'),
      dateColumn: required(ctx, 'date', '--date end_date'),
    };
  else
    throw new InputError(
      `--label: expected churn, category, response or contract-end, got "${kind}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return { label, window };
}

function paramsFromFlags(ctx: CommandContext): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  const json = stringFlag(ctx, 'params');
  if (json) {
    try {
      base = JSON.parse(json) as Record<string, unknown>;
    } catch (cause) {
      throw new InputError(
        `--params: expected a JSON object, got ${json}: ${(cause as Error).message}`,
        {},
        { cause, code: 'INVALID_ARGUMENT' },
      );
    }
  }
  const out: Record<string, unknown> = { ...base };
  const model = stringFlag(ctx, 'model');
  if (model) out.model = model;
  const seed = intFlag(ctx, 'seed', 0, 2 ** 32 - 1);
  if (seed !== undefined) out.seed = seed;
  const gbdt = { ...((base.gbdt as Record<string, unknown>) ?? {}) };
  const trees = intFlag(ctx, 'trees', 1, 100000);
  if (trees !== undefined) gbdt.trees = trees;
  const leaves = intFlag(ctx, 'max-leaves', 2, 4096);
  if (leaves !== undefined) gbdt.maxLeaves = leaves;
  const lr = stringFlag(ctx, 'learning-rate');
  if (lr !== undefined) gbdt.learningRate = Number(lr);
  if (Object.keys(gbdt).length) out.gbdt = gbdt;
  const logistic = { ...((base.logistic as Record<string, unknown>) ?? {}) };
  const lambda = stringFlag(ctx, 'lambda');
  if (lambda !== undefined) logistic.lambda = Number(lambda);
  const l1 = stringFlag(ctx, 'l1-ratio');
  if (l1 !== undefined) logistic.l1Ratio = Number(l1);
  if (Object.keys(logistic).length) out.logistic = logistic;
  return out;
}

/** The `predict train --json` result; also stored as the model's report (the dashboard reads it). */
export function trainJson(r: TrainResult) {
  const m = r.model;
  return {
    modelId: m.id,
    model: m.state.model.kind,
    table: m.state.source.table,
    target: m.state.source.target,
    positive: m.state.source.positive,
    rows: r.data.rows,
    positives: r.data.positives,
    features: r.data.features,
    skipped: r.data.skipped,
    droppedRows: r.data.droppedRows,
    seed: m.params.seed,
    folds: r.evaluation?.perFold ?? [],
    auc: r.evaluation?.overall.auc ?? null,
    meanAuc: r.evaluation?.meanAuc ?? null,
    sdAuc: r.evaluation?.sdAuc ?? null,
    logLoss: r.evaluation?.overall.logLoss ?? null,
    brier: r.evaluation?.overall.brier ?? null,
    precision: r.evaluation?.overall.precision ?? null,
    recall: r.evaluation?.overall.recall ?? null,
    accuracy: r.evaluation?.overall.accuracy ?? null,
    threshold: r.evaluation?.overall.threshold ?? null,
    topDecileLift: r.evaluation?.overall.topDecileLift ?? null,
    baseline: r.evaluation?.baseline ?? null,
    aucGain: r.evaluation?.aucGain ?? null,
    lift: r.evaluation?.lift ?? [],
    calibration: r.evaluation?.calibration ?? [],
    importance: r.importance,
    trees: m.state.model.kind === 'gbdt' ? m.state.model.trees.length : null,
    warnings: r.warnings,
  };
}

const f3 = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '' : v.toFixed(3);

function printTrain(ctx: CommandContext, j: ReturnType<typeof trainJson>): void {
  ctx.out.line(
    `Model "${j.modelId}" (${j.model}) on ${j.table}: ${j.rows} rows, ${j.positives} with ${j.target} = ${j.positive}.`,
  );
  if (j.folds.length) {
    ctx.out.line(`\n${j.folds.length}-fold cross-validation (seed ${j.seed}):`);
    ctx.out.table(
      j.folds.map((f) => ({
        fold: f.fold,
        auc: f3(f.auc),
        logLoss: f3(f.logLoss),
        brier: f3(f.brier),
        precision: f3(f.precision),
        recall: f3(f.recall),
        baselineAuc: f3(f.baselineAuc),
      })),
    );
    ctx.out.line(
      `\nOverall AUC ${f3(j.auc)} (mean ${f3(j.meanAuc)} ± ${f3(j.sdAuc)}), log-loss ${f3(j.logLoss)}, Brier ${f3(j.brier)}, top-decile lift ${f3(j.topDecileLift)}.`,
    );
    if (j.baseline)
      ctx.out.line(
        `Baseline (${j.baseline.feature} alone): AUC ${f3(j.baseline.auc)}; the model adds ${f3(j.aucGain)} AUC.`,
      );
  }
  ctx.out.line('\nMost important features (mean |effect| in log-odds):');
  ctx.out.table(
    j.importance.slice(0, 10).map((i) => ({
      feature: i.feature,
      effect: f3(i.meanAbsEffect),
      share: `${(i.share * 100).toFixed(1)}%`,
    })),
  );
  for (const w of j.warnings) ctx.out.line(`warning: ${w}`);
  ctx.out.line(
    `\nSaved as "${j.modelId}". Score with: clientele predict score --model ${j.modelId} --table ${j.table}`,
  );
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'train, evaluate, score and explain churn / response / propensity models',
  usage: `Usage: clientele predict dataset --cutoffs DATE[,DATE…] --label churn|category|response|contract-end
                                 [--horizon DAYS] [--category PREFIX] [--send-window DAYS] [--campaign ID]
                                 [--contract-table T --flag COLUMN --date COLUMN] [--as NAME] [--json]
       clientele predict train   --table NAME --target COLUMN [--cv 5] [--seed S] [--model gbdt|logistic]
                                 [--exclude col,…] [--include col,…] [--positive VALUE] [--id COLUMN]
                                 [--name ID] [--as-of DATE] [--trees N] [--max-leaves N] [--learning-rate X]
                                 [--lambda X] [--l1-ratio X] [--params JSON] [--baseline COLUMN] [--json]
       clientele predict backtest --cutoff DATE [--label churn|category|response|contract-end] [--horizon DAYS]
                                 [label flags as for dataset] [--model gbdt|logistic] [--exclude col,…] [--json]
       clientele predict score   --model ID [--table NAME] [--as-of DATE] [--sql]
                                 [--to-postgres URL | --to-mysql URL] [--to-table NAME]
                                 [--write-mode upsert|replace|append] [--reasons N] [--json]
       clientele predict report  --model ID [--json]
       clientele predict explain --model ID [--table NAME] [--customer ID] [--top N] [--json]
       clientele predict list    [--json]

dataset builds a leakage-free training table (default training_set): the customer feature view as of each
cutoff plus a label from the --horizon days after it (churn: no purchase; category: a purchase in the category;
response: a conversion within --horizon days of a send in the --send-window days after the cutoff;
contract-end: a true --flag in --contract-table dated in the window). Train on it with --target label.
--horizon defaults to 90 days, except for churn: there it is the shop's own purchase cycle, the number of days
within which 90% of repeat purchases came (gaps between a customer's order days up to the first cutoff), said
on the output and in the JSON as labelWindow.

train fits a gradient-boosted tree ensemble (default) or a regularised logistic regression on a table with a
binary label column, evaluates it by stratified k-fold cross-validation against a one-feature baseline (the
feature with the best held-out AUC on its own, chosen once; a plain warning when the model barely beats it),
refits on all rows and stores it (table predict_models) as of --as-of, default the table's as_of / latest
cutoff. Dates enter models only as ages in days to the row's as_of / cutoff (absolute dates are left out);
identifiers, contact details, postcodes and near-unique text columns are left out unless --include names them.
backtest is the out-of-time check: it trains on the customers as they were one label window before --cutoff
(labels from that window, which ends at the cutoff), scores the customers as of --cutoff and judges the model on
the next window, next to a one-feature baseline chosen on the training rows. Nothing after the cutoff reaches
the training rows (tested), so its AUC is what deploying the model at the cutoff would have given.
score writes probabilities to the scores table (model_id, as_of, customer_id, score, margin; as_of = --as-of,
default the scored table's as_of / cutoff: the date its rows describe) and refreshes customer_scores. explain prints the top
reasons per customer as sentences in --lang / $CLIENTELE_LANG ("no order for 6 months (raises the score
strongly)"; exact TreeSHAP for trees). score --to-postgres/--to-mysql also writes the run
to the CRM database (table --to-table, default customer_scores: model_id, as_of, customer_id, score, margin,
reason_1 … reason_N with N = --reasons, default 3); --write-mode upsert (default) keys rows by (model_id,
customer_id) so churn and response scores share one table.

JSON (dataset): table, rows, positives, perCutoff[{cutoff, rows, positives}], nonFeatures
JSON (train): modelId, model, table, target, positive, rows, positives, features, skipped[{column, reason}],
  droppedRows, seed, folds[{fold, trainRows, testRows, auc, logLoss, brier, precision, recall, accuracy,
  threshold, topDecileLift, baselineAuc, trees?}], auc, meanAuc, sdAuc, logLoss, brier, precision, recall,
  accuracy, threshold, topDecileLift, baseline{feature, auc, …}, aucGain, lift[{decile, rows, positives, rate,
  lift, cumulativeGain, cumulativeLift}], calibration[{from, to, rows, meanPredicted, observedRate}],
  importance[{feature, meanAbsEffect, share}], trees, warnings
JSON (score): modelId, asOf, table, scored, unscored, warnings, engine ("sql" with --sql: scored inside the
  database from the compiled model, else "typescript"), writeBack (null, or {target, table, mode, rows,
  created, reasons} when written to --to-postgres/--to-mysql)
JSON (backtest): trainCutoff, cutoff, windowDays, train{rows, positives}, test{rows, positives}, auc, logLoss,
  brier, precision, recall, accuracy, threshold, topDecileLift, baseline{feature, auc}, aucGain, lift[…],
  calibration[…], warnings
JSON (report): modelId, model, asOf, rows, report (the train JSON)
JSON (explain): modelId, customers[{customerId, score, margin, baseline, reasons[{feature, value, effect, text}]}]
JSON (list, the model scoreboard): models[{id, kind, target, rows, asOf, auc, baseline{feature, auc}, aucGain,
  calibrationError, ageDays, verdict}], best gain first

Examples:
  clientele import Telco-Customer-Churn.csv --as telco
  clientele predict train --table telco --target Churn --cv 5 --seed 7 --json
  clientele predict explain --model telco_churn --customer 7590-VHVEG
  clientele predict backtest --cutoff 2026-03-31 --label churn --horizon 90`,
  options: {
    table: { type: 'string' },
    target: { type: 'string' },
    cv: { type: 'string' },
    seed: { type: 'string' },
    model: { type: 'string' },
    exclude: { type: 'string' },
    include: { type: 'string' },
    positive: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    'as-of': { type: 'string' },
    trees: { type: 'string' },
    'max-leaves': { type: 'string' },
    'learning-rate': { type: 'string' },
    lambda: { type: 'string' },
    'l1-ratio': { type: 'string' },
    params: { type: 'string' },
    baseline: { type: 'string' },
    customer: { type: 'string' },
    top: { type: 'string' },
    cutoffs: { type: 'string' },
    cutoff: { type: 'string' },
    label: { type: 'string' },
    horizon: { type: 'string' },
    category: { type: 'string' },
    'send-window': { type: 'string' },
    campaign: { type: 'string' },
    'contract-table': { type: 'string' },
    flag: { type: 'string' },
    date: { type: 'string' },
    as: { type: 'string' },
    sql: { type: 'boolean', default: false },
    'to-postgres': { type: 'string' },
    'to-mysql': { type: 'string' },
    'to-table': { type: 'string' },
    'write-mode': { type: 'string' },
    reasons: { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.args;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
      throw new InputError(
        `clientele predict: expected a subcommand (${SUBCOMMANDS.join(', ')}), got ${sub ? `"${sub}"` : 'nothing'}. Example: clientele predict train --table telco --target Churn --cv 5`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      if (sub === 'dataset') {
        const cutoffs = (listFlag(ctx, 'cutoffs') ?? []).map((c) => dateFlag(c, 'cutoffs'));
        if (cutoffs.length === 0)
          required(
            ctx,
            'cutoffs',
            'clientele predict dataset --cutoffs 2024-06-30 --label churn --horizon 90',
          );
        const { label, window } = await labelFromFlags(ctx, engine, [...cutoffs].sort()[0] as string);
        const built = await buildTrainingSet(engine, { cutoffs, label, table: stringFlag(ctx, 'as') });
        const r = { ...built, labelWindow: window };
        if (!ctx.json) {
          ctx.out.line(`Built ${r.table}: ${r.rows} rows, ${r.positives} with label 1.`);
          ctx.out.table(r.perCutoff);
          ctx.out.line(
            `Train with: clientele predict train --table ${r.table} --target label --exclude ${r.nonFeatures.filter((c) => c !== 'label' && c !== 'customer_id').join(',')} --id customer_id`,
          );
        }
        return r;
      }
      if (sub === 'backtest') {
        const cutoff = dateFlag(
          required(
            ctx,
            'cutoff',
            'clientele predict backtest --cutoff 2026-03-31 --label churn --horizon 90',
          ),
          'cutoff',
        );
        const progress = ctx.progress('Backtest');
        const { label, window } = await labelFromFlags(ctx, engine, cutoff);
        const b = await backtestModel(engine, {
          cutoff,
          label,
          params: paramsFromFlags(ctx),
          exclude: listFlag(ctx, 'exclude'),
        });
        progress.done();
        const json = {
          trainCutoff: b.trainCutoff,
          cutoff: b.cutoff,
          windowDays: b.windowDays,
          labelWindow: window,
          train: b.train,
          test: b.test,
          ...b.metrics,
          baseline: b.baseline,
          aucGain: b.aucGain,
          lift: b.lift,
          calibration: b.calibration,
          warnings: b.warnings,
        };
        if (!ctx.json) {
          ctx.out.line(
            `Trained on customers as of ${b.trainCutoff} (${b.train.rows} rows, ${b.train.positives} positives, labels up to ${b.cutoff}); scored the customers as of ${b.cutoff} and judged on the next ${b.windowDays} days (${b.test.rows} rows, ${b.test.positives} positives):`,
          );
          ctx.out.line(
            `AUC ${b.metrics.auc.toFixed(3)} against ${b.baseline.auc.toFixed(3)} for "${b.baseline.feature}" alone (gain ${b.aucGain.toFixed(3)}); top-decile lift ${b.metrics.topDecileLift.toFixed(2)}; Brier ${b.metrics.brier.toFixed(4)}.`,
          );
          for (const w of b.warnings) ctx.out.line(`Warning: ${w}`);
        }
        return json;
      }
      if (sub === 'train') {
        const table = required(ctx, 'table', 'clientele predict train --table telco --target Churn');
        const target = required(ctx, 'target', 'clientele predict train --table telco --target Churn');
        const folds = intFlag(ctx, 'cv', 0, 50) ?? 5;
        const asOf = ctx.values['as-of'] === undefined ? undefined : dateFlag(ctx.values['as-of'], 'as-of');
        const progress = ctx.progress('Training', folds > 1 ? folds + 1 : 1);
        const result = await trainModel(engine, {
          table,
          target,
          folds,
          asOf,
          params: paramsFromFlags(ctx),
          exclude: listFlag(ctx, 'exclude'),
          include: listFlag(ctx, 'include'),
          positive: stringFlag(ctx, 'positive'),
          idColumn: stringFlag(ctx, 'id'),
          name: stringFlag(ctx, 'name'),
          baselineFeature: stringFlag(ctx, 'baseline'),
          onProgress: (done) => progress.update(done, done <= folds ? `fold ${done}/${folds}` : 'final fit'),
        });
        progress.done();
        const json = trainJson(result);
        await saveModel(engine, result.model, json);
        if (!ctx.json) printTrain(ctx, json);
        return json;
      }
      if (sub === 'list') {
        const models = await modelScoreboard(engine);
        ctx.out.table(
          models.map((m) => ({
            model: m.id,
            target: m.target,
            asOf: m.asOf,
            ageDays: m.ageDays,
            auc: m.auc === null ? null : Number(m.auc.toFixed(3)),
            baseline: m.baseline ? `${m.baseline.feature} ${m.baseline.auc.toFixed(3)}` : null,
            gain: m.aucGain === null ? null : Number(m.aucGain.toFixed(3)),
            calibrationError: m.calibrationError === null ? null : Number(m.calibrationError.toFixed(3)),
            verdict: m.verdict,
          })),
        );
        return { models };
      }
      const id = required(ctx, 'model', 'clientele predict score --model telco_churn');
      const { model, report } = await getModel(engine, id);
      if (sub === 'report') {
        const r = report as ReturnType<typeof trainJson> | null;
        if (!ctx.json) {
          if (r) printTrain(ctx, r);
          else ctx.out.line(`Model "${id}" has no stored evaluation.`);
        }
        return {
          modelId: model.id,
          model: model.state.model.kind,
          asOf: model.data.asOf,
          rows: model.data.rows,
          report,
        };
      }
      const table = stringFlag(ctx, 'table') ?? model.state.source.table;
      if (sub === 'score') {
        writeBackTarget(ctx);
        // Scores are as of the date the scored rows describe (the table's as_of / cutoff), else the model's.
        const asOf =
          ctx.values['as-of'] === undefined
            ? ((await tableReferenceDate(engine, table)) ?? model.data.asOf)
            : dateFlag(ctx.values['as-of'], 'as-of');
        const progress = ctx.progress('Scoring');
        if (ctx.values.sql === true) {
          const idColumn = stringFlag(ctx, 'id') ?? model.state.source.idColumn;
          if (!idColumn)
            throw new InputError(
              '--sql: expected an id column (--id COLUMN); the model was trained without one.',
              {},
              { code: 'INVALID_ARGUMENT' },
            );
          const n = await storeScoresFromSql(
            engine,
            model.id,
            asOf,
            scoreQuerySql(engine.dialect, model.state.model, table, idColumn),
          );
          progress.done();
          if (!ctx.json)
            ctx.out.line(
              `Scored ${n} rows of ${table} inside the database with "${model.id}" (as of ${asOf}).`,
            );
          const written = await writeBackFromFlags(ctx, engine, model, asOf, table);
          return {
            modelId: model.id,
            asOf,
            table,
            scored: n,
            unscored: 0,
            warnings: [],
            engine: 'sql',
            writeBack: written,
          };
        }
        const scored = await scoreTable(engine, model, table, { idColumn: stringFlag(ctx, 'id') });
        await storeScores(engine, model.id, asOf, scored.rows);
        progress.done();
        const unscored = scored.rows.filter((r) => r.score === null).length;
        if (!ctx.json) {
          ctx.out.line(
            `Scored ${scored.rows.length - unscored} rows of ${table} with "${model.id}" (as of ${asOf}); ${unscored} could not be scored.`,
          );
          ctx.out.line(`Stored in scores and customer_scores.${model.id}.`);
          for (const w of scored.warnings) ctx.out.line(`warning: ${w}`);
        }
        const written = await writeBackFromFlags(ctx, engine, model, asOf, table);
        return {
          modelId: model.id,
          asOf,
          table,
          scored: scored.rows.length - unscored,
          unscored,
          warnings: scored.warnings,
          engine: 'typescript',
          writeBack: written,
        };
      }
      // explain
      const top = intFlag(ctx, 'top', 1, 100) ?? 5;
      const customer = stringFlag(ctx, 'customer');
      const customers = await explainTable(
        engine,
        model,
        table,
        customer,
        top,
        stringFlag(ctx, 'id'),
        ctx.lang,
        ctx.out.fmt.currency,
      );
      // Customers named with their scores and reasons: a read of personal data, audited from the CLI too.
      await ensureAuditLog(engine);
      await appendAudit(engine, cliActor(), 'personal.read', 'predict explain', {
        model: model.id,
        table,
        ...(customer ? { customer } : {}),
        customers: customers.length,
      });
      if (!ctx.json) {
        for (const c of customers.slice(0, 20)) {
          ctx.out.line(`${c.customerId}: score ${c.score.toFixed(3)}`);
          for (const r of c.reasons) ctx.out.line(`  ${r.text}`);
        }
      }
      return { modelId: model.id, customers };
    } finally {
      await engine.close();
    }
  },
};

const WRITE_MODES = ['upsert', 'replace', 'append'] as const;

/** The write-back target from --to-postgres / --to-mysql, validated before any scoring work. */
function writeBackTarget(ctx: CommandContext): { target: 'postgres' | 'mysql'; url: string } | null {
  const pg = stringFlag(ctx, 'to-postgres');
  const my = stringFlag(ctx, 'to-mysql');
  if (pg !== undefined && my !== undefined)
    throw new InputError(
      '--to-postgres and --to-mysql: expected one write-back target, got both. Run score twice to write to both.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const mode = stringFlag(ctx, 'write-mode');
  if (mode !== undefined && !(WRITE_MODES as readonly string[]).includes(mode))
    throw new InputError(
      `--write-mode: expected ${WRITE_MODES.join(', ')}, got "${mode}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const url = pg ?? my;
  if (url === undefined) {
    for (const flag of ['to-table', 'write-mode', 'reasons'])
      if (ctx.values[flag] !== undefined)
        throw new InputError(
          `--${flag}: only applies with --to-postgres URL or --to-mysql URL. Add the target database, or drop --${flag}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
    return null;
  }
  if (!url.trim())
    throw new InputError(
      `--to-${pg !== undefined ? 'postgres' : 'mysql'}: expected a database URL such as ${pg !== undefined ? 'postgres://user:pw@host:5432/crm' : 'mysql://user:pw@host:3306/crm'}, got nothing.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return { target: pg !== undefined ? 'postgres' : 'mysql', url };
}

async function writeBackFromFlags(
  ctx: CommandContext,
  engine: Awaited<ReturnType<CommandContext['openDb']>>,
  model: PredictModel,
  asOf: string,
  table: string,
) {
  const where = writeBackTarget(ctx);
  if (!where) return null;
  const reasons = intFlag(ctx, 'reasons', 0, 20) ?? 3;
  const progress = ctx.progress('Writing scores');
  // On ClickHouse the scores and the scored table are copied into an in-memory DuckDB, which writes them out.
  const r = await withDuckDbCopy(engine, [SCORES_TABLE, table], 'Writing scores back to a database', (duck) =>
    writeBackScores(duck, model, asOf, {
      ...where,
      table: stringFlag(ctx, 'to-table'),
      mode: stringFlag(ctx, 'write-mode') as (typeof WRITE_MODES)[number] | undefined,
      reasons,
      sourceTable: table,
      idColumn: stringFlag(ctx, 'id'),
      onProgress: (n) => progress.update(n, `${n} rows`),
    }),
  );
  progress.done();
  if (!ctx.json)
    ctx.out.line(
      `Wrote ${r.rows} scores${r.reasons ? ` with their top ${r.reasons} reasons` : ''} to ${r.target} table ${r.table} (${r.mode}${r.created ? ', table created' : ''}).`,
    );
  return {
    target: r.target,
    table: r.table,
    mode: r.mode,
    rows: r.rows,
    created: r.created,
    reasons: r.reasons,
  };
}

async function explainTable(
  engine: Awaited<ReturnType<CommandContext['openDb']>>,
  model: PredictModel,
  table: string,
  customer: string | undefined,
  top: number,
  idColumn: string | undefined,
  lang: Language = 'en',
  currency = 'EUR',
) {
  const loaded = await loadTable(engine, table, {
    include: model.state.model.features.map((f) => f.name),
    idColumn: idColumn ?? model.state.source.idColumn ?? undefined,
  });
  if (customer === undefined) {
    // The 20 highest scores, explained.
    const margin = scoreLoaded(model, loaded).rows.map((r) => r.margin ?? Number.NEGATIVE_INFINITY);
    const order = margin
      .map((_, i) => i)
      .sort((a, b) => (margin[b] as number) - (margin[a] as number) || a - b);
    return explainLoaded(model, loaded, top, order.slice(0, 20), lang, currency);
  }
  const rows = loaded.ids.flatMap((id, i) => (id === customer ? [i] : []));
  if (rows.length === 0)
    throw new InputError(
      `--customer: no row with id "${customer}" in ${table}.`,
      { customer, table },
      { code: 'NOT_FOUND' },
    );
  return explainLoaded(model, loaded, top, rows, lang, currency);
}
