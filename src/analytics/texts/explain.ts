import {
  type DetectedLanguage,
  detectLanguage,
  explainCore,
  tokenize,
  type WordContribution,
} from './core.js';

export interface TextExplanation {
  language: DetectedLanguage;
  /** Lexicon words with their valence after negation and intensifiers (−3…+3 scale, before squashing). */
  contributions: WordContribution[];
  notes: string[];
}

/** Why a text got its lexicon score: the words that carried it. */
export function explainText(text: string, language?: DetectedLanguage): TextExplanation {
  const lang = language ?? detectLanguage(text, tokenize(text).words).language;
  const contributions = explainCore(text, lang);
  const notes: string[] = [];
  if (contributions.length === 0)
    notes.push('No sentiment word of the lexicon was found: the score is 0 (neutral).');
  if (lang === 'und') notes.push('Language undetermined: all lexicons were used.');
  return { language: lang, contributions, notes };
}
