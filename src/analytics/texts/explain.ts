import type { Language } from '../shared/field-labels.js';
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

/** Names of the text languages in each language the product speaks (a language is named, never coded). */
const LANGUAGE_NAMES: Record<Language, Record<DetectedLanguage, string>> = {
  en: {
    en: 'English',
    nl: 'Dutch',
    fr: 'French',
    de: 'German',
    ru: 'Russian',
    pt: 'Portuguese',
    und: 'undetermined',
  },
  nl: {
    en: 'Engels',
    nl: 'Nederlands',
    fr: 'Frans',
    de: 'Duits',
    ru: 'Russisch',
    pt: 'Portugees',
    und: 'onbepaald',
  },
  fr: {
    en: 'anglais',
    nl: 'néerlandais',
    fr: 'français',
    de: 'allemand',
    ru: 'russe',
    pt: 'portugais',
    und: 'indéterminée',
  },
  de: {
    en: 'Englisch',
    nl: 'Niederländisch',
    fr: 'Französisch',
    de: 'Deutsch',
    ru: 'Russisch',
    pt: 'Portugiesisch',
    und: 'unbestimmt',
  },
  ru: {
    en: 'английский',
    nl: 'нидерландский',
    fr: 'французский',
    de: 'немецкий',
    ru: 'русский',
    pt: 'португальский',
    und: 'не определён',
  },
};

/** The name of a text language (`pt` → "Portuguese") in `lang`; an unknown code stays as it is. */
export function languageName(code: string | null | undefined, lang: Language): string {
  if (!code) return LANGUAGE_NAMES[lang].und;
  return LANGUAGE_NAMES[lang][code as DetectedLanguage] ?? code;
}
