import { readFileSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import {
  type AnalyzeOptions,
  type AnalyzeResult,
  analyzeTable,
  checkModel,
  customerVoice,
  type DetectedLanguage,
  languageName,
  type TopicKeywords,
  voiceOfCustomer,
} from '../../../analytics/texts/index.js';
import { ConfigError, InputError } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { dateFlag, intFlag, pct } from './analytics-args.js';

const STEPS = ['read', 'topics', 'train', 'score', 'write'];

export const textsCommand: Command = {
  name: 'texts',
  summary: 'Social listening: language, sentiment and topics of customer texts',
  usage: `Usage: clientele texts analyze [--table T --text COLS --id COL] [--to-table NAME] [--train-on COL] [--json]
       clientele texts voice [--as-of DATE] [--alert-days N] [--valuable P] [--customer ID] [--json]

Reads every text of customer_texts (title and body; default) or of any table, detects its language
(en, nl, fr, de, ru, pt), scores its sentiment (a score in [-1, 1] and a label: positive, negative,
mixed, neutral) with hand-written lexicons that handle negation and intensifiers, tags keyword topics
(delivery, price, quality, service, returns, fit) and discovers topics per language. Writes one row per
text to --to-table: the id column under its own name, language, sentiment, sentiment_label,
lexicon_sentiment, topics (comma-separated keyword topics) and topic (discovered topic label).

texts voice summarises text_sentiment (after analyze): sentiment per language, keyword topics, per RFM
segment (after clientele rfm --save) with trend and top topics, and alerts: customers whose revenue ranks
at or above P who wrote a negative text in the last N days. --customer ID: one customer's texts, mean
sentiment, share negative, trend and top topics.

Options:
  --as-of DATE           voice: reference date (default: the last text)
  --alert-days N         voice: alert window in days (default 30)
  --valuable P           voice: revenue percentile rank that counts as valuable, 0–1 (default 0.8)
  --customer ID          voice: one customer
  --table T              source table (default customer_texts)
  --text COLS            text column(s), comma-separated; joined with ". " (default title,body)
  --id COL               id column (default text_id)
  --to-table NAME        result table (default text_sentiment, or T_sentiment for another table)
  --language-column COL  column with a language code to trust over detection (default language)
  --language L           treat every text as language L (en, nl, fr, de, ru, pt)
  --train-on COL         learn sentiment from this label column (stars, satisfaction, outcome): n-gram
                         logistic regression, cross-validated AUC per language; its score replaces the
                         lexicon's (the lexicon score stays in lexicon_sentiment)
  --positive-at-least X  labels ≥ X are positive (default 4 on a 1–5 scale, 1 for 0/1, else above median)
  --negative-at-most X   labels ≤ X are negative (default 2, 0, or the median); between: not trained on
  --folds K              cross-validation folds (default 5)
  --clusters K           discovered topics per language (default 8; 0 = none)
  --topics FILE          keyword topics, JSON or YAML: {delivery: {en: "deliver* parcel", nl: "…"}, …}
  --model FILE           apply a saved model (its trained sentiment and discovered topics)
  --save-model FILE      write the fitted model as JSON
  --seed N               seed of the topic discovery and the folds (default 1)

JSON: rows, written, table, toTable, languages[{language, texts, meanSentiment, positive, negative,
  mixed, neutral}], keywordTopics[{topic, texts, meanSentiment, shareNegative, examples}],
  discoveredTopics[{topic, language, texts, …}], validation ({rule, rows, auc, lexiconAuc,
  perLanguage[]} with --train-on, else null), warnings

Examples:
  clientele texts analyze
  clientele texts analyze --train-on rating
  clientele texts analyze --table reviews --text comment --id review_id --to-table review_sentiment
  clientele texts voice --alert-days 14`,
  options: {
    table: { type: 'string' },
    text: { type: 'string' },
    id: { type: 'string' },
    'to-table': { type: 'string' },
    'language-column': { type: 'string' },
    language: { type: 'string' },
    'train-on': { type: 'string' },
    'positive-at-least': { type: 'string' },
    'negative-at-most': { type: 'string' },
    folds: { type: 'string' },
    clusters: { type: 'string' },
    topics: { type: 'string' },
    model: { type: 'string' },
    'save-model': { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    'alert-days': { type: 'string' },
    valuable: { type: 'string' },
    customer: { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.args[0] ?? 'analyze';
    if (sub === 'voice') return voice(ctx);
    if (sub !== 'analyze')
      throw new InputError(
        `texts: expected the subcommand analyze or voice, got ${JSON.stringify(sub)}. See clientele texts --help.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const options = analyzeOptions(ctx);
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('texts', STEPS.length);
      const result = await analyzeTable(engine, {
        ...options,
        onProgress: (step) => progress.update(STEPS.indexOf(step) + 1, step),
      });
      progress.done();
      const saveTo = ctx.values['save-model'];
      if (typeof saveTo === 'string') writeFileSync(saveTo, `${JSON.stringify(result.model)}\n`);
      printResult(ctx, result);
      return {
        rows: result.rows,
        written: result.written,
        table: result.params.table,
        toTable: result.params.toTable,
        languages: result.languages,
        keywordTopics: result.keywordTopics,
        discoveredTopics: result.discoveredTopics,
        validation: result.validation,
        warnings: result.warnings,
      };
    } finally {
      await engine.close();
    }
  },
};

function numberFlag(ctx: CommandContext, flag: string): number | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n))
    throw new InputError(
      `--${flag}: expected a number, got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return n;
}

function readJsonOrYaml(file: string, flag: string): unknown {
  try {
    const text = readFileSync(file, 'utf8');
    return file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new ConfigError(
      `--${flag} ${file}: expected a readable JSON or YAML file, got: ${(error as Error).message}.`,
      { file },
      { cause: error },
    );
  }
}

function analyzeOptions(ctx: CommandContext): AnalyzeOptions {
  const v = ctx.values;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const o: AnalyzeOptions = {
    table: str('table'),
    textColumns: str('text')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    idColumn: str('id'),
    toTable: str('to-table'),
    languageColumn: str('language-column'),
    language: str('language') as DetectedLanguage | undefined,
    trainOn: str('train-on'),
    positiveAtLeast: numberFlag(ctx, 'positive-at-least'),
    negativeAtMost: numberFlag(ctx, 'negative-at-most'),
    folds: intFlag(ctx, 'folds', 2, 20),
    clusters: intFlag(ctx, 'clusters', 0, 50),
    seed: intFlag(ctx, 'seed', 0, 2 ** 31),
  };
  const topics = str('topics');
  if (topics) o.topics = readJsonOrYaml(topics, 'topics') as TopicKeywords;
  const model = str('model');
  if (model) o.model = checkModel(readJsonOrYaml(model, 'model'));
  return o;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function printResult(ctx: CommandContext, r: AnalyzeResult): void {
  const out = ctx.out;
  out.line(
    `Analysed ${r.rows.toLocaleString('en')} texts of ${r.params.table}; wrote ${r.written.toLocaleString('en')} rows to ${r.params.toTable}.`,
  );
  out.table(
    r.languages.map((l) => ({
      language: languageName(l.language, ctx.lang),
      texts: l.texts,
      'mean sentiment': r2(l.meanSentiment),
      positive: pct(l.positive / l.texts),
      negative: pct(l.negative / l.texts),
      mixed: pct(l.mixed / l.texts),
      neutral: pct(l.neutral / l.texts),
    })),
  );
  if (r.keywordTopics.length) {
    out.line('\nKeyword topics:');
    out.table(
      r.keywordTopics.map((t) => ({
        topic: t.topic,
        texts: t.texts,
        'mean sentiment': r2(t.meanSentiment),
        negative: pct(t.shareNegative),
        example: t.examples[0]?.text.slice(0, 60) ?? '',
      })),
    );
  }
  if (r.discoveredTopics.length) {
    out.line('\nDiscovered topics (most distinctive words per cluster):');
    out.table(
      r.discoveredTopics.map((t) => ({
        language: t.language ? languageName(t.language, ctx.lang) : '',
        topic: t.topic,
        texts: t.texts,
        'mean sentiment': r2(t.meanSentiment),
        negative: pct(t.shareNegative),
      })),
      { maxRows: 60 },
    );
  }
  const v = r.validation;
  if (v) {
    out.line(
      `\nTrained on ${v.rule.column} (positive ≥ ${v.rule.positiveAtLeast}, negative ≤ ${v.rule.negativeAtMost}): ${v.rows} texts, ${v.folds}-fold AUC ${v.auc.toFixed(3)} (lexicon alone ${v.lexiconAuc.toFixed(3)}).`,
    );
    out.table(
      v.perLanguage.map((l) => ({
        language: languageName(l.language, ctx.lang),
        texts: l.rows,
        AUC: Number.isFinite(l.auc) ? l.auc.toFixed(3) : '—',
        'lexicon AUC': Number.isFinite(l.lexiconAuc) ? l.lexiconAuc.toFixed(3) : '—',
      })),
    );
  }
  for (const w of r.warnings) out.line(`Warning: ${w}`);
}

async function voice(ctx: CommandContext): Promise<unknown> {
  const asOf = ctx.values['as-of'] === undefined ? undefined : dateFlag(ctx.values['as-of'], 'as-of');
  const engine = await ctx.openDb({ readOnly: true });
  try {
    const customer = ctx.values.customer;
    if (typeof customer === 'string') {
      const c = await customerVoice(engine, customer, asOf);
      const topics = c.topTopics.map((t) => `${t.topic} (${t.texts})`).join(', ') || '—';
      ctx.out.line(
        `${c.customerId}: ${c.texts} texts up to ${c.asOf ?? '—'}, mean sentiment ${c.meanSentiment === null ? '—' : r2(c.meanSentiment)}, ${c.shareNegative === null ? '—' : pct(c.shareNegative)} negative, trend ${c.trend === null ? '—' : r2(c.trend)}; topics: ${topics}.`,
      );
      return c;
    }
    const valuable = numberFlag(ctx, 'valuable');
    const v = await voiceOfCustomer(engine, {
      asOf,
      alertDays: intFlag(ctx, 'alert-days', 1, 3650),
      ...(valuable === undefined ? {} : { valuablePercentile: valuable }),
    });
    if (v.analysed === 0) {
      ctx.out.line(
        `${v.texts} texts up to ${v.asOf ?? '—'}, none analysed: run clientele texts analyze first.`,
      );
      return v;
    }
    ctx.out.line(
      `Voice of the customer up to ${v.asOf}: ${v.analysed.toLocaleString('en')} of ${v.texts.toLocaleString('en')} texts analysed.`,
    );
    ctx.out.table(
      v.languages.map((l) => ({
        language: languageName(l.language, ctx.lang),
        texts: l.texts,
        'mean sentiment': r2(l.meanSentiment),
        negative: pct(l.shareNegative),
      })),
    );
    ctx.out.line('\nKeyword topics:');
    ctx.out.table(
      v.keywordTopics.map((t) => ({
        topic: t.topic,
        texts: t.texts,
        'mean sentiment': t.meanSentiment === null ? '—' : r2(t.meanSentiment),
        negative: pct(t.shareNegative),
        'most negative': t.examples[0]?.text.slice(0, 60) ?? '',
      })),
    );
    ctx.out.line(
      `\nBy ${v.segmentSource === 'rfm' ? 'RFM segment' : 'customer (one group; clientele rfm --save adds segments)'}:`,
    );
    ctx.out.table(
      v.segments.map((s) => ({
        segment: s.segment,
        customers: s.customers,
        texts: s.texts,
        'mean sentiment': r2(s.meanSentiment),
        negative: pct(s.shareNegative),
        trend: s.trend === null ? '—' : r2(s.trend),
        'top topics': s.topTopics.join(', '),
      })),
    );
    ctx.out.line(
      `\nAlerts: ${v.alerts.length} valuable customers (revenue rank ≥ ${pct(v.valuablePercentile)}) wrote something negative in the last ${v.alertDays} days.`,
    );
    ctx.out.table(
      v.alerts.slice(0, 20).map((a) => ({
        customer: a.customerId,
        name: a.name,
        revenue: r2(a.revenue),
        date: a.time.slice(0, 10),
        sentiment: r2(a.sentiment),
        text: a.text.slice(0, 60),
      })),
    );
    return v;
  } finally {
    await engine.close();
  }
}
