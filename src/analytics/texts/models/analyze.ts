/**
 * One pass over a batch of texts: tokenise, detect the language, score sentiment with that language's
 * lexicon. Results go into typed arrays (one slot per text) so a million texts cost a few arrays, not a
 * million objects.
 */
import { type DetectedLanguage, detectLanguage, LANGUAGES } from './language.js';
import {
  lexiconFor,
  SENTIMENT_DEFAULTS,
  type SentimentOptions,
  scoreSentiment,
  valenceOf,
} from './sentiment.js';
import { tokenize } from './tokenize.js';

/** Language codes in the typed output: index into `LANGUAGE_CODES`. */
export const LANGUAGE_CODES: readonly DetectedLanguage[] = [...LANGUAGES, 'und'];
export const LABEL_CODES = ['negative', 'neutral', 'mixed', 'positive'] as const;

export interface AnalyzeOptions extends SentimentOptions {
  /** Use this language for every text instead of detecting it (null = detect). */
  language: DetectedLanguage | null;
  /** Per-text language hint (e.g. a `language` column); a valid hint wins over detection. */
  hints?: readonly (string | null | undefined)[];
}

export interface AnalyzedBatch {
  /** Index into LANGUAGE_CODES per text. */
  language: Uint8Array;
  /** Detection confidence 0–1 (1 for a hint or a forced language). */
  languageConfidence: Float32Array;
  /** Sentiment score in (−1, 1). */
  sentiment: Float32Array;
  /** Index into LABEL_CODES. */
  label: Uint8Array;
  /** Sentiment words found. */
  hits: Uint16Array;
  /** Word count. */
  words: Uint32Array;
}

const CODE = new Map<string, number>(LANGUAGE_CODES.map((l, i) => [l, i]));

/** Analyses a batch of texts. Pure; the same input gives the same output. */
export function analyzeTexts(texts: readonly string[], options: Partial<AnalyzeOptions> = {}): AnalyzedBatch {
  const n = texts.length;
  const out: AnalyzedBatch = {
    language: new Uint8Array(n),
    languageConfidence: new Float32Array(n),
    sentiment: new Float32Array(n),
    label: new Uint8Array(n),
    hits: new Uint16Array(n),
    words: new Uint32Array(n),
  };
  const sentimentOptions: SentimentOptions = {
    neutralBand: options.neutralBand ?? SENTIMENT_DEFAULTS.neutralBand,
    mixedMass: options.mixedMass ?? SENTIMENT_DEFAULTS.mixedMass,
  };
  for (let i = 0; i < n; i++) {
    const text = texts[i] ?? '';
    const tokens = tokenize(text);
    let lang: DetectedLanguage;
    let confidence = 1;
    const hint = options.hints?.[i]?.toLowerCase().slice(0, 2);
    if (options.language) lang = options.language;
    else if (hint && CODE.has(hint) && hint !== 'und') lang = hint as DetectedLanguage;
    else {
      const guess = detectLanguage(text, tokens.words);
      lang = guess.language;
      confidence = guess.confidence;
      if (lang === 'und') {
        lang = languageFromLexicons(tokens.words);
        confidence = lang === 'und' ? 0 : 0.5;
      }
    }
    const r = scoreSentiment(tokens, lexiconFor(lang), sentimentOptions);
    out.language[i] = CODE.get(lang) as number;
    out.languageConfidence[i] = confidence;
    out.sentiment[i] = r.score;
    out.label[i] = LABEL_CODES.indexOf(r.label);
    out.hits[i] = Math.min(r.hits, 65535);
    out.words[i] = tokens.words.length;
  }
  return out;
}

/**
 * Fallback for short texts without function words ("Recomendo!", "Enttäuscht"): the language whose
 * sentiment lexicon alone knows the most words, when exactly one does.
 */
export function languageFromLexicons(words: readonly string[]): DetectedLanguage {
  let best: DetectedLanguage = 'und';
  let bestHits = 0;
  let tie = false;
  for (const lang of LANGUAGES) {
    const lex = lexiconFor(lang);
    let hits = 0;
    for (const w of words) if (w.length > 2 && valenceOf(lex, w) !== 0) hits++;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
      tie = false;
    } else if (hits === bestHits && hits > 0) tie = true;
  }
  return tie ? 'und' : best;
}
