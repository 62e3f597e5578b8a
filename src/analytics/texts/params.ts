import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { type DetectedLanguage, LANGUAGES } from './models/language.js';
import { DEFAULT_TOPICS, type TopicKeywords } from './models/topics.js';

export type { DetectedLanguage, TextLanguage } from './models/language.js';
export type { TopicKeywords } from './models/topics.js';

/** Settings of a text analysis run (`clientele texts analyze`). */
export interface TextsParams {
  /** Table holding the texts (default `customer_texts`). */
  table: string;
  /** Text columns, joined with ". " (default `title`, `body` for customer_texts, else required). */
  textColumns: string[];
  /** Row id column, written to the result under its own name (default `text_id`). */
  idColumn: string;
  /** Result table (default `text_sentiment` for customer_texts, else `<table>_sentiment`). */
  toTable: string;
  /** A column with a language code per row to trust over detection (default `language` on customer_texts). */
  languageColumn: string | null;
  /** Force one language for every text (null: detect per text). */
  language: DetectedLanguage | null;
  /** |score| below this is labelled neutral (0–1). */
  neutralBand: number;
  /** Positive and negative valence both at least this, and |score| < 0.35: mixed. */
  mixedMass: number;
  /** Keyword topics: topic → language → words (stems end in `*`). */
  topics: TopicKeywords;
  /** Discovered topic clusters per language (0 = no discovery). */
  clusters: number;
  /** Texts sampled per language to discover topics on (all texts are then assigned). */
  discoverySample: number;
  seed: number;
  /** Label column to learn sentiment from (stars, satisfaction, outcome); null = lexicon only. */
  trainOn: string | null;
  /** Label ≥ this is positive (default: 4 on a 1–5 scale, else 1 for 0/1 labels, else above the median). */
  positiveAtLeast: number | null;
  /** Label ≤ this is negative (default: 2 on a 1–5 scale, else 0, else the median); between: left out of training. */
  negativeAtMost: number | null;
  /** Cross-validation folds for the trained model's AUC (2–20). */
  folds: number;
  /** L2 penalty of the n-gram logistic regression. */
  lambda: number;
  /** 1 = words, 2 = words and word pairs. */
  ngram: number;
  /** Feed the lexicon score into the trained model as a column. */
  useLexicon: boolean;
}

export const defaults: Readonly<TextsParams> = {
  table: 'customer_texts',
  textColumns: ['title', 'body'],
  idColumn: 'text_id',
  toTable: 'text_sentiment',
  languageColumn: 'language',
  language: null,
  neutralBand: 0.1,
  mixedMass: 1.5,
  topics: DEFAULT_TOPICS,
  clusters: 8,
  discoverySample: 20_000,
  seed: 1,
  trainOn: null,
  positiveAtLeast: null,
  negativeAtMost: null,
  folds: 5,
  lambda: 1e-3,
  ngram: 2,
  useLexicon: true,
};

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Validates params, reporting every bad field at once. A table other than customer_texts gets
 * `<table>_sentiment` as result table and no default text, id or language column.
 * @throws InputError INVALID_INPUT listing every issue
 */
export function parseParams(input: unknown): TextsParams {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const table = (o.table ?? defaults.table) as string;
  const custom = table !== defaults.table;
  const p: TextsParams = {
    ...defaults,
    ...(custom ? { textColumns: [], idColumn: '', toTable: `${table}_sentiment`, languageColumn: null } : {}),
    ...(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<TextsParams>),
  };
  const name = (where: string, v: unknown, required = true) => {
    if (v === null && !required) return;
    if (typeof v !== 'string' || !NAME.test(v))
      issues.push({
        where,
        message: `expected a table or column name (letters, digits, _), got ${JSON.stringify(v ?? null)}${
          custom && (where === 'idColumn' || where === 'textColumns')
            ? ` (with --table ${table}, pass it)`
            : ''
        }`,
      });
  };
  name('table', p.table);
  name('idColumn', p.idColumn);
  name('toTable', p.toTable);
  name('languageColumn', p.languageColumn, false);
  name('trainOn', p.trainOn, false);
  if (!Array.isArray(p.textColumns) || p.textColumns.length === 0) name('textColumns', null);
  else
    p.textColumns.forEach((c, i) => {
      name(`textColumns[${i}]`, c);
    });
  if (p.toTable === 'text_sentiment' && (p.table !== defaults.table || p.idColumn !== defaults.idColumn))
    issues.push({
      where: 'toTable',
      message: `text_sentiment holds the results for customer_texts (keyed by text_id); pick another name for ${p.table}`,
    });
  if (p.toTable === p.table)
    issues.push({ where: 'toTable', message: 'expected a table other than the source' });
  if (p.language !== null && ![...LANGUAGES, 'und'].includes(p.language as never))
    issues.push({
      where: 'language',
      message: `expected one of ${LANGUAGES.join(', ')}, got ${JSON.stringify(p.language)}`,
    });
  const range = (where: keyof TextsParams, lo: number, hi: number, integer = false) => {
    const v = p[where];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v)))
      issues.push({
        where,
        message: `expected ${integer ? 'a whole number' : 'a number'} ${lo}–${hi}, got ${JSON.stringify(v)}`,
      });
  };
  range('neutralBand', 0, 1);
  range('mixedMass', 0, 100);
  range('clusters', 0, 50, true);
  range('discoverySample', 100, 10_000_000, true);
  range('seed', 0, 2 ** 31, true);
  range('folds', 2, 20, true);
  range('lambda', 1e-8, 100);
  range('ngram', 1, 2, true);
  for (const k of ['positiveAtLeast', 'negativeAtMost'] as const)
    if (p[k] !== null && (typeof p[k] !== 'number' || !Number.isFinite(p[k])))
      issues.push({ where: k, message: `expected a number or null, got ${JSON.stringify(p[k])}` });
  if (p.positiveAtLeast !== null && p.negativeAtMost !== null && p.negativeAtMost >= p.positiveAtLeast)
    issues.push({ where: 'negativeAtMost', message: 'expected a value below positiveAtLeast' });
  if (typeof p.topics !== 'object' || p.topics === null || Array.isArray(p.topics))
    issues.push({ where: 'topics', message: 'expected {topic: {language: "word word*"}}' });
  else
    for (const [topic, langs] of Object.entries(p.topics)) {
      for (const [lang, words] of Object.entries(langs ?? {})) {
        if (!(LANGUAGES as readonly string[]).includes(lang))
          issues.push({
            where: `topics.${topic}.${lang}`,
            message: `expected one of ${LANGUAGES.join(', ')}`,
          });
        if (typeof words !== 'string')
          issues.push({ where: `topics.${topic}.${lang}`, message: 'expected words separated by spaces' });
      }
    }
  if (issues.length) throw inputErrorFromIssues('Text analysis settings are not valid:', issues);
  return p;
}
