/**
 * Pure text analytics: language, sentiment (lexicon, or a model learned from the user's labels), keyword
 * topics and discovered topics for a batch of texts. No I/O; the same texts, params and seed give the
 * same result.
 */
import { createRng } from '../shared/rng.js';
import { LANGUAGE_CODES, languageFromLexicons } from './models/analyze.js';
import { type DetectedLanguage, detectLanguage, stopWordsFor } from './models/language.js';
import { labelOf, lexiconFor, type SentimentLabel, scoreSentiment, valenceOf } from './models/sentiment.js';
import {
  crossValidatedMargins,
  fitTextModel,
  type TextModelOptions,
  type TextModelState,
  textModelMargin,
} from './models/text-model.js';
import { tokenize } from './models/tokenize.js';
import {
  type CompiledTopics,
  compileTopics,
  contentWords,
  createTopicAssigner,
  type DiscoveredTopics,
  discoverTopics,
  matchTopics,
  topicNames,
} from './models/topics.js';
import type { TextsParams } from './params.js';

export { analyzeTexts, LABEL_CODES, LANGUAGE_CODES } from './models/analyze.js';
export { type DetectedLanguage, detectLanguage, LANGUAGES, type TextLanguage } from './models/language.js';
export { LEXICON_SOURCES, lexiconFor, type SentimentLabel, scoreSentiment } from './models/sentiment.js';
export { foldWord, tokenize } from './models/tokenize.js';
export { DEFAULT_TOPICS } from './models/topics.js';

/** How labels were turned into positive (1) / negative (0) for training. */
export interface LabelRule {
  column: string;
  positiveAtLeast: number;
  negativeAtMost: number;
}

/** Learned numbers of a text analysis: the trained sentiment model (if any) and discovered topics. */
export interface TextsState {
  model: TextModelState | null;
  labelRule: LabelRule | null;
  /** Discovered topics per language. */
  discovered: Partial<Record<DetectedLanguage, DiscoveredTopics>>;
}

/** Per-text results in column form. */
export interface ScoredTexts {
  language: DetectedLanguage[];
  /** Final sentiment in (−1, 1): the model's 2p − 1 when trained, else the lexicon score. */
  sentiment: Float64Array;
  /** Lexicon score in (−1, 1). */
  lexicon: Float64Array;
  label: SentimentLabel[];
  /** Keyword topics, comma-separated ("" when none). */
  topics: string[];
  /** Discovered topic label, or null. */
  topic: (string | null)[];
}

function languageOf(
  text: string,
  words: string[],
  hint: string | null | undefined,
  p: TextsParams,
): DetectedLanguage {
  if (p.language) return p.language;
  const h = hint?.trim().toLowerCase().slice(0, 2);
  if (h && (LANGUAGE_CODES as readonly string[]).includes(h) && h !== 'un') return h as DetectedLanguage;
  const guess = detectLanguage(text, words).language;
  return guess === 'und' ? languageFromLexicons(words) : guess;
}

/** Lexicon pass: language and lexicon score per text (used by fit and score). */
export function lexiconPass(
  texts: readonly string[],
  hints: readonly (string | null)[] | null,
  p: TextsParams,
): { language: DetectedLanguage[]; lexicon: Float64Array; positive: Float64Array; negative: Float64Array } {
  const n = texts.length;
  const language: DetectedLanguage[] = new Array(n);
  const lexicon = new Float64Array(n);
  const positive = new Float64Array(n);
  const negative = new Float64Array(n);
  const options = { neutralBand: p.neutralBand, mixedMass: p.mixedMass };
  for (let i = 0; i < n; i++) {
    const text = texts[i] ?? '';
    const tokens = tokenize(text);
    const lang = languageOf(text, tokens.words, hints?.[i], p);
    const r = scoreSentiment(tokens, lexiconFor(lang), options);
    language[i] = lang;
    lexicon[i] = r.score;
    positive[i] = r.positive;
    negative[i] = r.negative;
  }
  return { language, lexicon, positive, negative };
}

/** Default label thresholds: 1–5 stars → ≥4 / ≤2; 0/1 → 1 / 0; otherwise above / at-or-below the median. */
export function labelRuleFor(column: string, labels: ArrayLike<number>, p: TextsParams): LabelRule {
  const values = Array.from(labels).filter((v) => Number.isFinite(v));
  values.sort((a, b) => a - b);
  const min = values[0] ?? 0;
  const max = values[values.length - 1] ?? 0;
  let pos: number;
  let neg: number;
  if (min >= 1 && max <= 5 && max - min >= 2) {
    pos = 4;
    neg = 2;
  } else if (values.every((v) => v === 0 || v === 1)) {
    pos = 1;
    neg = 0;
  } else {
    const median = values[Math.floor(values.length / 2)] ?? 0;
    neg = median;
    pos = values.find((v) => v > median) ?? median + 1;
  }
  return { column, positiveAtLeast: p.positiveAtLeast ?? pos, negativeAtMost: p.negativeAtMost ?? neg };
}

/** 1 positive, 0 negative, −1 left out (missing or between the thresholds). */
export function binaryLabels(labels: ArrayLike<number>, rule: LabelRule): Int8Array {
  const y = new Int8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    y[i] = !Number.isFinite(v) ? -1 : v >= rule.positiveAtLeast ? 1 : v <= rule.negativeAtMost ? 0 : -1;
  }
  return y;
}

/** Stratified fold numbers 0..k−1 for 0/1 labels, shuffled with the seed. */
export function stratifiedFoldsOf(y: ArrayLike<number>, k: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const fold = new Int32Array(y.length);
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    members.forEach((row, j) => {
      fold[row] = j % k;
    });
  }
  return fold;
}

export interface FitCoreResult {
  state: TextsState;
  /** Training rows (labelled and not left out), their 0/1 labels, out-of-fold log-odds and languages. */
  validation: {
    y: Int8Array;
    margin: Float64Array;
    lexicon: Float64Array;
    language: DetectedLanguage[];
  } | null;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

function modelOptions(p: TextsParams): TextModelOptions {
  return { ngram: p.ngram, minCount: 2, maxTerms: 50_000, lambda: p.lambda, useLexicon: p.useLexicon };
}

/**
 * Learns what can be learned from a batch of texts: topic clusters per language (always, unless
 * clusters = 0) and, with labels, the n-gram sentiment model with its cross-validated log-odds.
 * @param labels numeric label per text (NaN = none), or null for lexicon-only analysis
 */
export function fitCore(
  texts: readonly string[],
  hints: readonly (string | null)[] | null,
  labels: ArrayLike<number> | null,
  p: TextsParams,
): FitCoreResult {
  const warnings: string[] = [];
  const pass = labels ? lexiconPass(texts, hints, p) : null;
  const discovered: TextsState['discovered'] = {};
  if (p.clusters > 0) {
    // Topics are discovered on a sample: every k-th text, at most about discoverySample per language.
    const stride = Math.max(1, Math.floor(texts.length / (p.discoverySample * 4)));
    const rowsSampled: number[] = [];
    for (let i = 0; i < texts.length; i += stride) rowsSampled.push(i);
    const sampleLanguages = pass
      ? rowsSampled.map((i) => pass.language[i] as DetectedLanguage)
      : lexiconPass(
          rowsSampled.map((i) => texts[i] ?? ''),
          hints ? rowsSampled.map((i) => hints[i] ?? null) : null,
          p,
        ).language;
    const byLang = new Map<DetectedLanguage, number[]>();
    sampleLanguages.forEach((l, j) => {
      let list = byLang.get(l);
      if (!list) {
        list = [];
        byLang.set(l, list);
      }
      list.push(rowsSampled[j] as number);
    });
    for (const [lang, rows] of [...byLang.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const rng = createRng(p.seed);
      const step = Math.max(1, Math.ceil(rows.length / p.discoverySample));
      const stop = stopWordsFor(lang);
      const docs: string[][] = [];
      for (let r = 0; r < rows.length; r += step)
        docs.push(contentWords(tokenize(texts[rows[r] as number] ?? '').words, stop));
      const found = discoverTopics(docs, rng, {
        clusters: p.clusters,
        minCount: 3,
        maxTerms: 5_000,
        iterations: 25,
        labelTerms: 3,
      });
      if (found.labels.length > 0) discovered[lang] = found;
    }
  }
  if (!labels || !pass)
    return {
      state: { model: null, labelRule: null, discovered },
      validation: null,
      iterations: 0,
      converged: true,
      warnings,
    };
  const rule = labelRuleFor(p.trainOn ?? 'label', labels, p);
  const yAll = binaryLabels(labels, rule);
  const rows: number[] = [];
  for (let i = 0; i < yAll.length; i++) if ((yAll[i] as number) >= 0) rows.push(i);
  const y = Int8Array.from(rows.map((i) => yAll[i] as number));
  let pos = 0;
  for (const v of y) pos += v;
  const left = labels.length - rows.length;
  if (left > 0)
    warnings.push(
      `${left} texts without a label or between ${rule.negativeAtMost} and ${rule.positiveAtLeast} were left out of training (they are still scored).`,
    );
  if (pos < p.folds || y.length - pos < p.folds)
    throw new Error(
      `needs at least ${p.folds} positive and ${p.folds} negative labelled texts, found ${pos} and ${y.length - pos}`,
    );
  const docs = rows.map((i) => tokenize(texts[i] ?? '').words);
  const lex = Float64Array.from(rows.map((i) => pass.lexicon[i] as number));
  const options = modelOptions(p);
  const folds = stratifiedFoldsOf(y, p.folds, p.seed);
  const margin = crossValidatedMargins(docs, lex, y, folds, options);
  const fit = fitTextModel(docs, lex, y, options);
  if (!fit.converged) warnings.push(`The sentiment model stopped before converging: ${fit.message}`);
  return {
    state: { model: fit.state, labelRule: rule, discovered },
    validation: { y, margin, lexicon: lex, language: rows.map((i) => pass.language[i] as DetectedLanguage) },
    iterations: fit.iterations,
    converged: fit.converged,
    warnings,
  };
}

/** Scores texts with a fitted state: language, sentiment, label, keyword topics, discovered topic. */
export function scoreCore(
  state: TextsState,
  texts: readonly string[],
  hints: readonly (string | null)[] | null,
  p: TextsParams,
): ScoredTexts {
  const n = texts.length;
  const compiled: CompiledTopics = compileTopics(p.topics);
  const assigners = new Map<DetectedLanguage, (words: readonly string[]) => number>();
  for (const [lang, found] of Object.entries(state.discovered) as [DetectedLanguage, DiscoveredTopics][])
    assigners.set(lang, createTopicAssigner(found));
  const language: DetectedLanguage[] = new Array(n);
  const lexicon = new Float64Array(n);
  const positive = new Float64Array(n);
  const negative = new Float64Array(n);
  const topics: string[] = new Array(n);
  const topic: (string | null)[] = new Array(n).fill(null);
  const options = { neutralBand: p.neutralBand, mixedMass: p.mixedMass };
  // One tokenisation per text serves language, sentiment and both kinds of topics.
  for (let i = 0; i < n; i++) {
    const text = texts[i] ?? '';
    const tokens = tokenize(text);
    const lang = languageOf(text, tokens.words, hints?.[i], p);
    const r = scoreSentiment(tokens, lexiconFor(lang), options);
    language[i] = lang;
    lexicon[i] = r.score;
    positive[i] = r.positive;
    negative[i] = r.negative;
    const mask = matchTopics(tokens.words, lang, compiled);
    topics[i] = mask === 0 ? '' : topicNames(mask, compiled).join(',');
    const assign = assigners.get(lang);
    if (assign) {
      const c = assign(contentWords(tokens.words, stopWordsFor(lang)));
      topic[i] = c >= 0 ? (state.discovered[lang]?.labels[c] ?? null) : null;
    }
  }
  const sentiment = Float64Array.from(lexicon);
  if (state.model) {
    const margin = textModelMargin(
      state.model,
      texts.map((t) => tokenize(t).words),
      lexicon,
    );
    for (let i = 0; i < n; i++) sentiment[i] = 2 / (1 + Math.exp(-(margin[i] as number))) - 1;
  }
  const label: SentimentLabel[] = new Array(n);
  // A trained score has no lexicon mass; "mixed" then comes from the lexicon alone.
  for (let i = 0; i < n; i++)
    label[i] = labelOf(sentiment[i] as number, positive[i] as number, negative[i] as number, p);
  return { language, sentiment, lexicon, label, topics, topic };
}

/** One word's part in a text's lexicon score. */
export interface WordContribution {
  word: string;
  /** Valence after negation and intensifiers, before normalisation. */
  valence: number;
}

/** The lexicon words of a text with their valence (the explanation of a lexicon score). */
export function explainCore(text: string, language: DetectedLanguage): WordContribution[] {
  const lex = lexiconFor(language);
  const tokens = tokenize(text);
  const out: WordContribution[] = [];
  tokens.words.forEach((w, i) => {
    if (valenceOf(lex, w) === 0) return;
    // The word's part: the window ending at it minus the same window without it (negators, intensifiers
    // and earlier words in the window cancel out).
    const from = Math.max(0, i - 4);
    const sumOf = (to: number) => {
      const r = scoreSentiment(
        { words: tokens.words.slice(from, to), clause: tokens.clause.slice(from, to), exclamations: 0 },
        lex,
      );
      return r.positive + r.negative;
    };
    out.push({ word: w, valence: Math.round((sumOf(i + 1) - sumOf(i)) * 1000) / 1000 });
  });
  return out;
}
