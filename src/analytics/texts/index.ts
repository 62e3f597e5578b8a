/**
 * Texts: what customers write (reviews, tickets, posts), read in their own language. Language detection,
 * sentiment (hand-written lexicons with negation and intensifiers in en, nl, fr, de, ru, pt, or an n-gram
 * model learned from the user's own labels), keyword topics and discovered topics; results written to a
 * table keyed by the text id, and summarised per customer and segment (see `sql.ts`).
 */

import { InputError, ModelError, NotFoundError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { ident, join, sql, tableExists, writeColumns } from '../../store/index.js';
import type { ModelEnvelope } from '../module.js';
import { auc } from '../predict/index.js';
import {
  type DetectedLanguage,
  fitCore,
  type LabelRule,
  type ScoredTexts,
  scoreCore,
  type TextsState,
} from './core.js';
import { defaults, parseParams, type TextsParams } from './params.js';
import {
  alertsSql,
  customerSentimentSql as customerSentimentQuery,
  discoveredTopicsSql,
  keywordTopicsSql,
  monthlySql,
  segmentSentimentSql,
  topicExamplesSql,
  topicsByGroupSql,
} from './sql.js';

export {
  analyzeTexts,
  DEFAULT_TOPICS,
  type DetectedLanguage,
  detectLanguage,
  explainCore,
  fitCore,
  LABEL_CODES,
  LANGUAGE_CODES,
  LANGUAGES,
  type LabelRule,
  LEXICON_SOURCES,
  lexiconFor,
  type ScoredTexts,
  type SentimentLabel,
  scoreCore,
  scoreSentiment,
  type TextLanguage,
  type TextsState,
  tokenize,
  type WordContribution,
} from './core.js';
export { explainText, languageName, type TextExplanation } from './explain.js';
export { defaults, parseParams, type TextsParams, type TopicKeywords } from './params.js';
export {
  alertsSql,
  analysedTextsSql,
  customerSentimentSql,
  monthlySql,
  segmentSentimentSql,
  type VoiceParams,
} from './sql.js';

export const MODULE = 'texts';
export const FORMAT_VERSION = 1;
/** The result table of `texts analyze` on customer_texts. */
export const TEXT_SENTIMENT_TABLE = 'text_sentiment';

export type TextsModel = ModelEnvelope<TextsParams, TextsState>;

export interface LanguageSummary {
  language: DetectedLanguage;
  texts: number;
  meanSentiment: number;
  positive: number;
  negative: number;
  mixed: number;
  neutral: number;
}

export interface TopicSummary {
  topic: string;
  /** Language of a discovered topic; null for a keyword topic (all languages). */
  language: DetectedLanguage | null;
  texts: number;
  meanSentiment: number;
  /** Share of the topic's texts labelled negative. */
  shareNegative: number;
  /** Up to three texts: the most negative two and the most positive one (first 200 characters). */
  examples: { id: string; text: string; sentiment: number }[];
}

export interface ValidationSummary {
  rule: LabelRule;
  /** Texts used in training (labelled and not between the thresholds). */
  rows: number;
  positives: number;
  folds: number;
  /** Cross-validated AUC of the trained model (out-of-fold scores). */
  auc: number;
  /** AUC of the lexicon score alone on the same texts (the baseline). */
  lexiconAuc: number;
  perLanguage: { language: DetectedLanguage; rows: number; auc: number; lexiconAuc: number }[];
}

export interface AnalyzeResult {
  params: TextsParams;
  /** Texts read. */
  rows: number;
  /** Rows written to `params.toTable`. */
  written: number;
  languages: LanguageSummary[];
  keywordTopics: TopicSummary[];
  discoveredTopics: TopicSummary[];
  validation: ValidationSummary | null;
  model: TextsModel;
  warnings: string[];
}

export interface AnalyzeOptions extends Partial<TextsParams> {
  /** Apply a model from an earlier run (its trained sentiment and discovered topics) instead of fitting. */
  model?: TextsModel;
  onProgress?: (step: string) => void;
}

interface LoadedTexts {
  ids: string[];
  texts: string[];
  hints: (string | null)[] | null;
  labels: Float64Array | null;
}

async function loadTexts(engine: Engine, p: TextsParams): Promise<LoadedTexts> {
  if (!(await tableExists(engine, p.table)))
    throw new NotFoundError(
      `Table "${p.table}" does not exist. Import texts with clientele import FILE --as ${p.table}, or name another table with --table.`,
      { table: p.table },
    );
  const head = await engine.queryColumns(sql`SELECT * FROM ${ident(p.table)} LIMIT 0`);
  const names = Object.keys(head);
  const wanted = [p.idColumn, ...p.textColumns, ...(p.trainOn ? [p.trainOn] : [])];
  const missing = wanted.filter((c) => !names.includes(c));
  if (missing.length)
    throw new InputError(
      `Table "${p.table}": expected column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, found ${names.join(', ')}. Name the columns with --id, --text and --train-on (case-sensitive).`,
      { table: p.table, missing, columns: names },
      { code: 'MISSING_COLUMN' },
    );
  const hint = p.languageColumn && names.includes(p.languageColumn) ? p.languageColumn : null;
  const text = join(
    p.textColumns.map((c) => sql`coalesce(CAST(${ident(c)} AS VARCHAR), '')`),
    " || '. ' || ",
  );
  const cols = [
    sql`CAST(${ident(p.idColumn)} AS VARCHAR) AS id`,
    sql`${text} AS text`,
    hint ? sql`CAST(${ident(hint)} AS VARCHAR) AS hint` : sql`NULL AS hint`,
    p.trainOn ? sql`CAST(${ident(p.trainOn)} AS DOUBLE) AS label` : sql`NULL AS label`,
  ];
  const data = await engine.queryColumns(
    sql`SELECT ${join(cols)} FROM ${ident(p.table)} ORDER BY ${ident(p.idColumn)}`,
  );
  const ids = (data.id ?? []).map((v) => String(v ?? ''));
  const texts = (data.text ?? []).map((v) => String(v ?? '').replace(/^(\. )+|(\. )+$/g, ''));
  const missingIds = ids.filter((v) => v === '').length;
  if (missingIds > 0)
    throw new InputError(
      `Table "${p.table}", column "${p.idColumn}": expected an id on every row, found ${missingIds} empty. Pick a key column with --id.`,
      { table: p.table, column: p.idColumn, missing: missingIds },
    );
  return {
    ids,
    texts,
    hints: hint ? (data.hint ?? []).map((v) => (v == null ? null : String(v))) : null,
    labels: p.trainOn
      ? Float64Array.from(data.label ?? [], (v) => (v == null ? Number.NaN : Number(v)))
      : null,
  };
}

function fingerprint(ids: readonly string[], texts: readonly string[]): string {
  // FNV-1a over ids and texts: identifies the input data in the model envelope.
  let h = 0x811c9dc5;
  const add = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  };
  ids.forEach((id, i) => {
    add(id);
    add(texts[i] ?? '');
  });
  return h.toString(16).padStart(8, '0');
}

/** Checks a model from JSON before use. @throws ModelError MODULE_MISMATCH or FORMAT_VERSION */
export function checkModel(model: unknown): TextsModel {
  const m = model as Partial<TextsModel> | null;
  if (!m || m.module !== MODULE)
    throw new ModelError(
      'MODULE_MISMATCH',
      `Expected a texts model, got ${JSON.stringify(m?.module ?? null)}.`,
    );
  if (m.formatVersion !== FORMAT_VERSION)
    throw new ModelError(
      'FORMAT_VERSION',
      `Texts model format ${m.formatVersion} is not ${FORMAT_VERSION}: run texts analyze again to refit it.`,
    );
  return m as TextsModel;
}

function summarise(scored: ScoredTexts, ids: string[], texts: string[], params: TextsParams) {
  const langs = new Map<DetectedLanguage, LanguageSummary>();
  scored.language.forEach((l, i) => {
    let s = langs.get(l);
    if (!s) {
      s = { language: l, texts: 0, meanSentiment: 0, positive: 0, negative: 0, mixed: 0, neutral: 0 };
      langs.set(l, s);
    }
    s.texts++;
    s.meanSentiment += scored.sentiment[i] as number;
    s[scored.label[i] as 'positive']++;
  });
  for (const s of langs.values()) s.meanSentiment /= s.texts;
  const groups = (key: (i: number) => string[], lang: (i: number) => DetectedLanguage | null) => {
    const byTopic = new Map<string, number[]>();
    for (let i = 0; i < ids.length; i++)
      for (const t of key(i)) {
        let list = byTopic.get(t);
        if (!list) {
          list = [];
          byTopic.set(t, list);
        }
        list.push(i);
      }
    return [...byTopic.entries()].map(([topic, rows]): TopicSummary => {
      const sorted = [...rows].sort(
        (a, b) => (scored.sentiment[a] as number) - (scored.sentiment[b] as number) || a - b,
      );
      const picks = [...new Set([sorted[0], sorted[1], sorted[sorted.length - 1]])].filter(
        (i): i is number => i !== undefined,
      );
      let sum = 0;
      let neg = 0;
      for (const i of rows) {
        sum += scored.sentiment[i] as number;
        if (scored.label[i] === 'negative') neg++;
      }
      return {
        topic,
        language: lang(rows[0] as number),
        texts: rows.length,
        meanSentiment: sum / rows.length,
        shareNegative: neg / rows.length,
        examples: picks.map((i) => ({
          id: ids[i] as string,
          text: (texts[i] as string).slice(0, 200),
          sentiment: Math.round((scored.sentiment[i] as number) * 1000) / 1000,
        })),
      };
    });
  };
  const keywordTopics = groups(
    (i) => (scored.topics[i] ? (scored.topics[i] as string).split(',') : []),
    () => null,
  ).sort((a, b) => b.texts - a.texts || (a.topic < b.topic ? -1 : 1));
  keywordTopics.sort(
    (a, b) => Object.keys(params.topics).indexOf(a.topic) - Object.keys(params.topics).indexOf(b.topic),
  );
  const discoveredTopics = groups(
    (i) => (scored.topic[i] ? [`${scored.language[i]}\u0000${scored.topic[i]}`] : []),
    (i) => scored.language[i] as DetectedLanguage,
  )
    .map((t) => ({ ...t, topic: t.topic.split('\u0000')[1] as string }))
    .sort((a, b) =>
      (a.language ?? '') < (b.language ?? '')
        ? -1
        : (a.language ?? '') > (b.language ?? '')
          ? 1
          : b.texts - a.texts,
    );
  const languages = [...langs.values()].sort(
    (a, b) => b.texts - a.texts || (a.language < b.language ? -1 : 1),
  );
  return { languages, keywordTopics, discoveredTopics };
}

function validationOf(fit: ReturnType<typeof fitCore>, p: TextsParams): ValidationSummary | null {
  const v = fit.validation;
  const rule = fit.state.labelRule;
  if (!v || !rule) return null;
  const byLang = new Map<DetectedLanguage, number[]>();
  v.language.forEach((l, i) => {
    let list = byLang.get(l);
    if (!list) {
      list = [];
      byLang.set(l, list);
    }
    list.push(i);
  });
  const pick = (rows: number[], a: ArrayLike<number>) => rows.map((i) => a[i] as number);
  let positives = 0;
  for (const y of v.y) positives += y;
  return {
    rule,
    rows: v.y.length,
    positives,
    folds: p.folds,
    auc: auc(v.y, v.margin),
    lexiconAuc: auc(v.y, v.lexicon),
    perLanguage: [...byLang.entries()]
      .filter(([, rows]) => rows.length >= 10)
      .map(([language, rows]) => ({
        language,
        rows: rows.length,
        auc: auc(pick(rows, v.y), pick(rows, v.margin)),
        lexiconAuc: auc(pick(rows, v.y), pick(rows, v.lexicon)),
      }))
      .sort((a, b) => b.rows - a.rows),
  };
}

/**
 * Analyses every text of a table: language, sentiment, keyword topics and discovered topics, written to
 * `toTable` (id column under its own name, `language`, `sentiment`, `sentiment_label`,
 * `lexicon_sentiment`, `topics`, `topic`). With `trainOn`, an n-gram model learns sentiment from that
 * label column, with a cross-validated AUC per language, and its score replaces the lexicon's.
 * @param engine the datamart
 * @param options params (defaults: customer_texts → text_sentiment), or `model` to reuse a fitted one
 * @returns the summary, the validation (with trainOn) and the model (JSON-serialisable)
 * @throws NotFoundError NOT_FOUND for an unknown table; InputError MISSING_COLUMN, INVALID_INPUT
 * @example
 * ```ts
 * const r = await analyzeTable(engine, { trainOn: 'rating' });
 * console.log(r.validation?.auc, r.languages);
 * ```
 */
export async function analyzeTable(engine: Engine, options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const { model, onProgress, ...rest } = options;
  const base = model ? checkModel(model).params : {};
  const params = parseParams({ ...base, ...rest, ...(model ? { trainOn: null } : {}) });
  onProgress?.('read');
  const data = await loadTexts(engine, params);
  if (data.ids.length === 0 && !model)
    throw new InputError(
      `Table "${params.table}": expected texts, found no rows. Import texts first (clientele import FILE --as ${params.table}).`,
      { table: params.table },
      { code: 'EMPTY_INPUT' },
    );
  onProgress?.(params.trainOn ? 'train' : 'topics');
  let fit: ReturnType<typeof fitCore>;
  try {
    fit = model
      ? { state: model.state, validation: null, iterations: 0, converged: true, warnings: [] }
      : fitCore(data.texts, data.hints, data.labels, params);
  } catch (error) {
    throw new InputError(
      `Column "${params.trainOn}": the labels cannot train a model: ${(error as Error).message}. Pass --positive-at-least / --negative-at-most, or label more texts.`,
      { column: params.trainOn },
      { cause: error },
    );
  }
  onProgress?.('score');
  const scored = scoreCore(fit.state, data.texts, data.hints, params);
  onProgress?.('write');
  const written = await writeColumns(engine, params.toTable, {
    [params.idColumn]: data.ids,
    language: scored.language,
    sentiment: scored.sentiment,
    sentiment_label: scored.label,
    lexicon_sentiment: scored.lexicon,
    topics: scored.topics,
    topic: scored.topic,
  });
  const summary = summarise(scored, data.ids, data.texts, params);
  const envelope: TextsModel = model ?? {
    module: MODULE,
    formatVersion: FORMAT_VERSION,
    params,
    state: fit.state,
    data: { asOf: 'unknown', rows: data.ids.length, fingerprint: fingerprint(data.ids, data.texts) },
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings: fit.warnings },
  };
  const warnings = [...fit.warnings];
  const und = summary.languages.find((l) => l.language === 'und');
  if (und && und.texts > 0.2 * data.ids.length)
    warnings.push(
      `${und.texts} of ${data.ids.length} texts have an undetermined language (too short, or not one of en, nl, fr, de, ru, pt); they were scored with all lexicons merged. Pass --language to force one.`,
    );
  return {
    params,
    rows: data.ids.length,
    written,
    ...summary,
    validation: validationOf(fit, params),
    model: envelope,
    warnings,
  };
}

export { defaults as TEXTS_DEFAULTS };

export interface VoiceExample {
  textId: string;
  customerId: string | null;
  time: string | null;
  language: string | null;
  text: string;
  sentiment: number;
}

export interface VoiceTopic {
  topic: string;
  /** null for a keyword topic; the language of a discovered one. */
  language: string | null;
  texts: number;
  meanSentiment: number | null;
  shareNegative: number;
  examples: VoiceExample[];
}

export interface VoiceAlert {
  customerId: string;
  name: string;
  revenue: number;
  /** Revenue percentile rank 0–1. */
  valueRank: number;
  textId: string;
  time: string;
  language: string | null;
  text: string;
  sentiment: number;
  topics: string[];
}

export interface VoiceResult {
  asOf: string | null;
  /** Texts in customer_texts up to asOf, and how many have an analysis. */
  texts: number;
  analysed: number;
  languages: { language: string; texts: number; meanSentiment: number; shareNegative: number }[];
  monthly: { month: string; language: string; texts: number; meanSentiment: number; shareNegative: number }[];
  keywordTopics: VoiceTopic[];
  discoveredTopics: VoiceTopic[];
  segments: {
    segment: string;
    customers: number;
    texts: number;
    meanSentiment: number;
    shareNegative: number;
    trend: number | null;
    /** The segment's most frequent keyword topics, most texts first (at most three). */
    topTopics: string[];
  }[];
  /** Which grouping `segments` uses: the RFM segment (after `clientele rfm --save`) or one group "all". */
  segmentSource: 'rfm' | 'all';
  alerts: VoiceAlert[];
  alertDays: number;
  valuablePercentile: number;
}

export interface VoiceOptions {
  /** Default: the date of the last text. */
  asOf?: string;
  alertDays?: number;
  valuablePercentile?: number;
  /** Example texts per topic (default 3). */
  examples?: number;
  /** Keyword topic names to summarise (default: the shipped topics). */
  topics?: readonly string[];
}

function textOf(r: Record<string, unknown>): string {
  const title = r.title ? String(r.title) : '';
  const body = r.body ? String(r.body) : '';
  return (title && body ? `${title}. ${body}` : title || body).slice(0, 300);
}

function exampleOf(r: Record<string, unknown>): VoiceExample {
  return {
    textId: String(r.text_id),
    customerId: r.customer_id == null ? null : String(r.customer_id),
    time: r.text_time == null ? null : String(r.text_time),
    language: r.language == null ? null : String(r.language),
    text: textOf(r),
    sentiment: Number(r.sentiment),
  };
}

/**
 * The voice of the customer up to asOf: sentiment per language and month, keyword and discovered topics
 * with example texts, sentiment per segment, and alerts (valuable customers who just wrote something
 * negative). Reads `text_sentiment`: run `analyzeTable` first (`analysed` is 0 until then).
 * @throws InputError INVALID_ARGUMENT for a bad alertDays or valuablePercentile
 * @example
 * ```ts
 * const v = await voiceOfCustomer(engine, { alertDays: 30 });
 * for (const a of v.alerts) console.log(a.customerId, a.text);
 * ```
 */
export async function voiceOfCustomer(engine: Engine, options: VoiceOptions = {}): Promise<VoiceResult> {
  const alertDays = options.alertDays ?? 30;
  const valuablePercentile = options.valuablePercentile ?? 0.8;
  if (!Number.isInteger(alertDays) || alertDays < 1 || alertDays > 3650)
    throw new InputError(
      `alertDays: expected a whole number 1–3650, got ${alertDays}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  if (!(valuablePercentile >= 0 && valuablePercentile <= 1))
    throw new InputError(
      `valuablePercentile: expected 0–1, got ${valuablePercentile}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const d = engine.dialect;
  const [last] = await engine.query<{ last: string | null }>(
    sql`SELECT CAST(max(text_time) AS DATE) AS last FROM customer_texts`,
  );
  const asOf = options.asOf ?? last?.last ?? null;
  const empty: VoiceResult = {
    asOf,
    texts: 0,
    analysed: 0,
    languages: [],
    monthly: [],
    keywordTopics: [],
    discoveredTopics: [],
    segments: [],
    segmentSource: 'all',
    alerts: [],
    alertDays,
    valuablePercentile,
  };
  if (!asOf) return empty;
  const cutoff = d.addDays(d.dateParam(asOf), sql`${1}`);
  const [counts] = await engine.query<{ texts: number; analysed: number }>(
    sql`SELECT count(*) AS texts, count(s.text_id) AS analysed FROM customer_texts t
        LEFT JOIN text_sentiment s ON s.text_id = t.text_id WHERE t.text_time < ${cutoff}`,
  );
  const result: VoiceResult = {
    ...empty,
    texts: Number(counts?.texts ?? 0),
    analysed: Number(counts?.analysed ?? 0),
  };
  if (result.analysed === 0) return result;
  const monthly = await engine.query<Record<string, unknown>>(monthlySql(d, asOf));
  result.monthly = monthly.map((r) => ({
    month: String(r.month).slice(0, 7),
    language: String(r.language),
    texts: Number(r.texts),
    meanSentiment: Number(r.mean_sentiment),
    shareNegative: Number(r.share_negative),
  }));
  const byLang = new Map<string, { texts: number; sum: number; neg: number }>();
  for (const m of result.monthly) {
    const s = byLang.get(m.language) ?? { texts: 0, sum: 0, neg: 0 };
    s.texts += m.texts;
    s.sum += m.meanSentiment * m.texts;
    s.neg += m.shareNegative * m.texts;
    byLang.set(m.language, s);
  }
  result.languages = [...byLang.entries()]
    .map(([language, s]) => ({
      language,
      texts: s.texts,
      meanSentiment: s.sum / s.texts,
      shareNegative: s.neg / s.texts,
    }))
    .sort((a, b) => b.texts - a.texts || (a.language < b.language ? -1 : 1));
  const n = options.examples ?? 3;
  const examples = async (topic: Parameters<typeof topicExamplesSql>[2]) => {
    const neg = await engine.query<Record<string, unknown>>(
      topicExamplesSql(d, asOf, topic, Math.max(1, n - 1)),
    );
    const pos = await engine.query<Record<string, unknown>>(topicExamplesSql(d, asOf, topic, 1, true));
    const seen = new Set<string>();
    return [...neg, ...pos]
      .filter((r) => !seen.has(String(r.text_id)) && seen.add(String(r.text_id)))
      .map(exampleOf);
  };
  const names = options.topics ?? Object.keys(defaults.topics);
  if (names.length) {
    const rows = await engine.query<Record<string, unknown>>(keywordTopicsSql(d, asOf, names));
    for (const r of rows) {
      if (Number(r.texts) === 0) continue;
      result.keywordTopics.push({
        topic: String(r.topic),
        language: null,
        texts: Number(r.texts),
        meanSentiment: r.mean_sentiment == null ? null : Number(r.mean_sentiment),
        shareNegative: Number(r.share_negative),
        examples: await examples({ keyword: String(r.topic) }),
      });
    }
  }
  for (const r of await engine.query<Record<string, unknown>>(discoveredTopicsSql(d, asOf))) {
    result.discoveredTopics.push({
      topic: String(r.topic),
      language: String(r.language),
      texts: Number(r.texts),
      meanSentiment: Number(r.mean_sentiment),
      shareNegative: Number(r.share_negative),
      examples: await examples({ discovered: String(r.topic), language: String(r.language) }),
    });
  }
  const rfm = await tableExists(engine, 'customer_rfm');
  result.segmentSource = rfm ? 'rfm' : 'all';
  result.segments = (
    await engine.query<Record<string, unknown>>(segmentSentimentSql(d, asOf, rfm ? 'customer_rfm' : null))
  ).map((r) => ({
    segment: String(r.segment),
    customers: Number(r.customers),
    texts: Number(r.texts),
    meanSentiment: Number(r.mean_sentiment),
    shareNegative: Number(r.share_negative),
    trend: r.trend == null ? null : Number(r.trend),
    topTopics: [] as string[],
  }));
  if (names.length) {
    const rows = await engine.query<{ grp: string; topic: string }>(
      topicsByGroupSql(d, asOf, names, { segmentTable: rfm ? 'customer_rfm' : null }),
    );
    for (const seg of result.segments)
      seg.topTopics = rows
        .filter((r) => r.grp === seg.segment)
        .slice(0, 3)
        .map((r) => r.topic);
  }
  result.alerts = (
    await engine.query<Record<string, unknown>>(alertsSql(d, { asOf, alertDays, valuablePercentile }, 50))
  ).map((r) => ({
    customerId: String(r.customer_id),
    name: [r.first_name, r.last_name].filter(Boolean).join(' '),
    revenue: Number(r.revenue),
    valueRank: Number(r.value_rank),
    textId: String(r.text_id),
    time: String(r.text_time),
    language: r.language == null ? null : String(r.language),
    text: textOf(r),
    sentiment: Number(r.sentiment),
    topics: r.topics ? String(r.topics).split(',').filter(Boolean) : [],
  }));
  return result;
}

export interface CustomerVoice {
  customerId: string;
  asOf: string | null;
  texts: number;
  meanSentiment: number | null;
  shareNegative: number | null;
  /** Mean sentiment of the last 90 days minus the mean before (null when one side has no text). */
  trend: number | null;
  lastTextTime: string | null;
  /** Keyword topics by number of texts, most first. */
  topTopics: { topic: string; texts: number }[];
}

/**
 * One customer's voice: texts, mean sentiment, share negative, trend and top topics up to asOf (default: the
 * last text). Reads `text_sentiment` (zero texts before `analyzeTable` ran).
 * @example
 * ```ts
 * const v = await customerVoice(engine, 'C0042');
 * ```
 */
export async function customerVoice(
  engine: Engine,
  customerId: string,
  asOf?: string,
): Promise<CustomerVoice> {
  const d = engine.dialect;
  const [last] = await engine.query<{ last: string | null }>(
    sql`SELECT CAST(max(text_time) AS DATE) AS last FROM customer_texts`,
  );
  const at = asOf ?? last?.last ?? null;
  const out: CustomerVoice = {
    customerId,
    asOf: at,
    texts: 0,
    meanSentiment: null,
    shareNegative: null,
    trend: null,
    lastTextTime: null,
    topTopics: [],
  };
  if (!at) return out;
  const [row] = await engine.query<Record<string, unknown>>(
    sql`SELECT * FROM (${customerSentimentQuery(d, at)}) c WHERE customer_id = ${customerId}`,
  );
  if (!row) return out;
  const topics = await engine.query<{ topic: string; texts: number }>(
    topicsByGroupSql(d, at, Object.keys(defaults.topics), { customerId }),
  );
  return {
    ...out,
    texts: Number(row.texts),
    meanSentiment: Number(row.mean_sentiment),
    shareNegative: Number(row.share_negative),
    trend: row.trend == null ? null : Number(row.trend),
    lastTextTime: row.last_text_time == null ? null : String(row.last_text_time),
    topTopics: topics.map((t) => ({ topic: t.topic, texts: Number(t.texts) })),
  };
}
