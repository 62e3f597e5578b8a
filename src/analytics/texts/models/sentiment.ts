/**
 * Lexicon sentiment with negation, intensifiers and contrast, in the manner of VADER (Hutto & Gilbert
 * 2014, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM):
 * - each sentiment word has a valence in −3…+3 (hand-written lexicons per language, see `lexicons/`);
 * - an intensifier right before it multiplies the valence (one two words before counts at 95 %);
 * - a negator up to four words before it, in the same clause, flips and damps it (× −0.74, VADER's N_SCALAR);
 *   in German and Dutch a clause-final "nicht"/"niet" negates the nearest sentiment word before it;
 * - after a contrast word ("but"), valences count × 1.5 and before it × 0.5;
 * - a negator with no sentiment word in reach counts −0.5: complaints state what did not happen
 *   ("ainda não chegou", "still not arrived") — a review-specific rule of ours, not VADER's;
 * - a clause that opens a request ("Please solve this quickly", "Graag een snelle oplossing") counts no positive
 *   word: it says what the writer wants, not how it went (a rule of ours for service tickets);
 * - each '!' (at most 3) adds 0.3 in the direction of the sum.
 * The sum s is squashed to a score s / √(s² + 15) in (−1, 1), VADER's normalisation.
 */
import type { TextLanguage } from './language.js';
import { LANGUAGES } from './language.js';
import { de } from './lexicons/de.js';
import { en } from './lexicons/en.js';
import { fr } from './lexicons/fr.js';
import { nl } from './lexicons/nl.js';
import { pt } from './lexicons/pt.js';
import { ru } from './lexicons/ru.js';
import type { LexiconSource } from './lexicons/types.js';
import { foldWord, type Tokens } from './tokenize.js';

export const LEXICON_SOURCES: Readonly<Record<TextLanguage, LexiconSource>> = { en, nl, fr, de, ru, pt };

export type SentimentLabel = 'positive' | 'negative' | 'mixed' | 'neutral';

export interface CompiledLexicon {
  exact: Map<string, number>;
  /** Stems by length, longest first when matching. */
  stems: Map<string, number>;
  minStem: number;
  maxStem: number;
  negators: Set<string>;
  intensifiers: Map<string, number>;
  contrast: Set<string>;
  trailingNegators: Set<string>;
  trailingParticles: Set<string>;
  /** Request openers, each a folded word sequence ("merci de" → ["merci", "de"]). */
  requests: string[][];
}

function entries(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((w) => w.length > 0);
}

function pairs(text: string, where: string): [string, number, boolean][] {
  return entries(text).map((entry) => {
    const at = entry.lastIndexOf(':');
    const value = Number(entry.slice(at + 1));
    if (at <= 0 || !Number.isFinite(value)) throw new Error(`${where}: bad lexicon entry "${entry}"`);
    let word = entry.slice(0, at);
    const stem = word.endsWith('*');
    if (stem) word = word.slice(0, -1);
    return [foldWord(word), value, stem];
  });
}

/** Folds and indexes a lexicon source (done once per language, at first use). */
export function compileLexicon(source: LexiconSource, where = 'lexicon'): CompiledLexicon {
  const exact = new Map<string, number>();
  const stems = new Map<string, number>();
  let minStem = Number.POSITIVE_INFINITY;
  let maxStem = 0;
  for (const [word, value, stem] of pairs(source.words, where)) {
    if (stem) {
      stems.set(word, value);
      minStem = Math.min(minStem, word.length);
      maxStem = Math.max(maxStem, word.length);
    } else exact.set(word, value);
  }
  return {
    exact,
    stems,
    minStem: Number.isFinite(minStem) ? minStem : 1,
    maxStem,
    negators: new Set(entries(source.negators).map(foldWord)),
    intensifiers: new Map(pairs(source.intensifiers, where).map(([w, v]) => [w, v])),
    contrast: new Set(entries(source.contrast).map(foldWord)),
    trailingNegators: new Set(entries(source.trailingNegators).map(foldWord)),
    trailingParticles: new Set(entries(source.trailingParticles).map(foldWord)),
    requests: entries(source.requests).map((r) => r.split('_').map(foldWord)),
  };
}

/** Merges several lexicons (for texts whose language is undetermined). Later sources win on conflicts. */
export function mergeLexicons(list: readonly CompiledLexicon[]): CompiledLexicon {
  const out = compileLexicon({ words: '', negators: '', intensifiers: '', contrast: '' });
  for (const l of list) {
    for (const [k, v] of l.exact) out.exact.set(k, v);
    for (const [k, v] of l.stems) out.stems.set(k, v);
    out.minStem = Math.min(out.minStem, l.minStem);
    out.maxStem = Math.max(out.maxStem, l.maxStem);
    for (const k of l.negators) out.negators.add(k);
    for (const [k, v] of l.intensifiers) out.intensifiers.set(k, v);
    for (const k of l.contrast) out.contrast.add(k);
    out.requests.push(...l.requests);
  }
  return out;
}

const compiled = new Map<string, CompiledLexicon>();

/** The built-in lexicon of a language; `und` gets all of them merged. */
export function lexiconFor(language: TextLanguage | 'und'): CompiledLexicon {
  let lex = compiled.get(language);
  if (!lex) {
    lex =
      language === 'und'
        ? mergeLexicons(LANGUAGES.map((l) => lexiconFor(l)))
        : compileLexicon(LEXICON_SOURCES[language], `lexicons/${language}`);
    compiled.set(language, lex);
  }
  return lex;
}

/** Valence of one folded word, or 0 when it is not in the lexicon. */
export function valenceOf(lex: CompiledLexicon, word: string): number {
  const v = lex.exact.get(word);
  if (v !== undefined) return v;
  for (let len = Math.min(word.length, lex.maxStem); len >= lex.minStem; len--) {
    const s = lex.stems.get(len === word.length ? word : word.slice(0, len));
    if (s !== undefined) return s;
  }
  return 0;
}

export interface SentimentOptions {
  /** |score| below this is neutral (default 0.1). */
  neutralBand: number;
  /** A text with at least this much positive and negative valence, and |score| < 0.35, is mixed (default 1.5). */
  mixedMass: number;
}

export const SENTIMENT_DEFAULTS: Readonly<SentimentOptions> = { neutralBand: 0.1, mixedMass: 1.5 };

export interface SentimentResult {
  /** In (−1, 1). */
  score: number;
  label: SentimentLabel;
  /** Summed positive and negative valence after rules (for explanations and "mixed"). */
  positive: number;
  negative: number;
  /** Sentiment words found (for explanations). */
  hits: number;
}

const NEGATION = -0.74;
/** Words a negator reaches forward: 4, one more than VADER, for "não tenho do que reclamar". */
const NEGATION_SCOPE = 4;
const ALPHA = 15;

/** Scores one tokenised text with one lexicon. Pure and deterministic. */
export function scoreSentiment(
  tokens: Tokens,
  lex: CompiledLexicon,
  options: SentimentOptions = SENTIMENT_DEFAULTS,
): SentimentResult {
  const { words, clause } = tokens;
  const n = words.length;
  const valence = new Float64Array(n);
  const isNegator = new Uint8Array(n);
  let contrastAt = -1;
  for (let i = 0; i < n; i++) {
    const w = words[i] as string;
    if (lex.negators.has(w) || (w.endsWith("n't") && lex.negators.has("don't"))) isNegator[i] = 1;
    else if (lex.contrast.has(w)) contrastAt = i;
    else valence[i] = valenceOf(lex, w);
  }
  const negated = new Uint8Array(n);
  const negatorUsed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (valence[i] === 0) continue;
    let v = valence[i] as number;
    const c = clause[i];
    // Intensifier right before (or two before, slightly weaker).
    for (let back = 1; back <= 2 && i - back >= 0 && clause[i - back] === c; back++) {
      const f = lex.intensifiers.get(words[i - back] as string);
      if (f !== undefined) {
        v *= back === 1 ? f : 1 + (f - 1) * 0.95;
        break;
      }
    }
    for (let back = 1; back <= NEGATION_SCOPE && i - back >= 0 && clause[i - back] === c; back++) {
      if (isNegator[i - back]) {
        negated[i] = 1;
        negatorUsed[i - back] = 1;
      }
    }
    if (negated[i]) v *= NEGATION;
    valence[i] = v;
  }
  // Clause-final negators (German, Dutch) negate the nearest sentiment word before them.
  if (lex.trailingNegators.size > 0) {
    for (let i = 0; i < n; i++) {
      if (!lex.trailingNegators.has(words[i] as string) || negatorUsed[i]) continue;
      let j = i + 1;
      while (j < n && clause[j] === clause[i] && lex.trailingParticles.has(words[j] as string)) j++;
      if (j < n && clause[j] === clause[i]) continue;
      for (let k = i - 1; k >= Math.max(0, i - 4) && clause[k] === clause[i]; k--) {
        if (valence[k] !== 0 && !negated[k]) {
          valence[k] = (valence[k] as number) * NEGATION;
          negated[k] = 1;
          negatorUsed[i] = 1;
          break;
        }
      }
    }
  }
  // Clauses that open a request: their positive words do not count.
  const requestClause = new Set<number>();
  if (lex.requests.length > 0)
    for (let i = 0; i < n; i++) {
      if (i > 0 && clause[i - 1] === clause[i]) continue;
      const c = clause[i] as number;
      const seq = lex.requests.find((q) =>
        q.every((w, k) => i + k < n && clause[i + k] === c && words[i + k] === w),
      );
      if (!seq) continue;
      requestClause.add(c);
      // "Por favor, resolvam rápido": an opener alone in its clause carries over to the next one.
      const next = i + seq.length;
      if (next < n && clause[next] !== c) requestClause.add(clause[next] as number);
    }
  let sum = 0;
  let positive = 0;
  let negative = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let v = valence[i] as number;
    if (v > 0 && requestClause.has(clause[i] as number)) v = 0;
    if (isNegator[i] && !negatorUsed[i]) {
      // Skip the first half of a French "ne … pas" pair: count the pair once.
      const next = i + 1 < n && clause[i + 1] === clause[i] && isNegator[i + 1] === 1;
      const nextNext = i + 2 < n && clause[i + 2] === clause[i] && isNegator[i + 2] === 1;
      if (!next && !nextNext) v = -0.5;
    }
    if (v === 0) continue;
    if (contrastAt >= 0) v *= i < contrastAt ? 0.5 : 1.5;
    if (valence[i] !== 0) hits++;
    sum += v;
    if (v > 0) positive += v;
    else negative += v;
  }
  if (sum !== 0 && tokens.exclamations > 0) sum += Math.sign(sum) * 0.3 * Math.min(tokens.exclamations, 3);
  const score = sum / Math.sqrt(sum * sum + ALPHA);
  return { score, label: labelOf(score, positive, negative, options), positive, negative, hits };
}

/** The label for a score and its positive/negative mass. */
export function labelOf(
  score: number,
  positive: number,
  negative: number,
  options: SentimentOptions = SENTIMENT_DEFAULTS,
): SentimentLabel {
  if (positive >= options.mixedMass && -negative >= options.mixedMass && Math.abs(score) < 0.35)
    return 'mixed';
  if (score >= options.neutralBand) return 'positive';
  if (score <= -options.neutralBand) return 'negative';
  return 'neutral';
}
