/**
 * Tokenisation for customer texts in Latin and Cyrillic scripts. A token is a run of letters and digits
 * (apostrophes inside a word are kept: "don't", "aujourd'hui"); everything else separates tokens. Clause
 * breaks (. , ! ? ; : and line breaks) are kept as a separate mark, because negation and "but" stop there.
 *
 * Lexicon keys are folded: lower case, accents removed (é → e, ã → a, ü → u, ß → ss) and ё → е. Customers
 * often type without accents ("nao", "tres bien"), so the folded form matches both spellings. Cyrillic
 * letters other than ё keep their form (й stays й: it is a letter, not an accented и).
 */

/** A token list with a clause number per token (tokens in the same clause share it). */
export interface Tokens {
  /** Folded tokens (lower case, accents removed). */
  words: string[];
  /** Clause index per token, counting from 0. */
  clause: Int32Array;
  /** Number of '!' in the text (a mild intensifier). */
  exclamations: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.,!?;:\n]+/gu;
const MARKS = /\p{M}+/gu;

/** Lower case, accents stripped, ё → е, ß → ss, curly apostrophe → straight. */
export function foldWord(word: string): string {
  let w = word.toLowerCase();
  // Fast path: plain ASCII needs no normalisation.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check
  if (/^[\x00-\x7f]*$/.test(w)) return w;
  w = w.replace(/ё/g, 'е').replace(/ß/g, 'ss').replace(/’/g, "'");
  // NFD splits é into e + combining accent; й would split too, so protect it.
  if (w.includes('й')) return w.replace(/[^й]+/g, (part) => part.normalize('NFD').replace(MARKS, ''));
  return w.normalize('NFD').replace(MARKS, '');
}

/** Splits a text into folded word tokens with clause numbers. */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  let exclamations = 0;
  for (const m of text.matchAll(WORD)) {
    const t = m[0];
    const c = t.charCodeAt(0);
    if (c === 44 || c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10) {
      for (const ch of t) if (ch === '!') exclamations++;
      if (words.length > 0 && clauses[clauses.length - 1] === clause) clause++;
      continue;
    }
    words.push(foldWord(t));
    clauses.push(clause);
  }
  return { words, clause: Int32Array.from(clauses), exclamations };
}

/** Only the folded words, for n-gram models and topic discovery. */
export function words(text: string): string[] {
  return tokenize(text).words;
}
