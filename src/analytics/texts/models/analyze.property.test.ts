import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainText } from '../explain.js';
import { analyzeTexts, LANGUAGE_CODES } from './analyze.js';
import { lexiconFor, scoreSentiment } from './sentiment.js';
import { tokenize } from './tokenize.js';

const WORDS = [
  'good',
  'not',
  'very',
  'bad',
  'but',
  'goed',
  'niet',
  'nicht',
  'gut',
  'не',
  'хорошо',
  'não',
  'bom',
  'pas',
  'bon',
  '!',
  '.',
  ',',
];

describe('text analysis properties', () => {
  it('keeps every score in (-1, 1), is deterministic and gives each text the same result alone or in a batch', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 8 }), (texts) => {
        const batch = analyzeTexts(texts);
        texts.forEach((text, i) => {
          const alone = analyzeTexts([text]);
          expect(Math.abs(batch.sentiment[i] as number)).toBeLessThan(1);
          expect(alone.sentiment[0]).toBe(batch.sentiment[i]);
          expect(alone.language[0]).toBe(batch.language[i]);
        });
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('flips the sign of a single sentiment word when a negator precedes it (every language)', () => {
    const cases: [string, string, string][] = [
      ['en', 'not', 'good'],
      ['nl', 'niet', 'goed'],
      ['fr', 'pas', 'bon'],
      ['de', 'nicht', 'gut'],
      ['ru', 'не', 'хорошо'],
      ['pt', 'não', 'bom'],
    ];
    for (const [lang, negator, word] of cases) {
      const lex = lexiconFor(lang as 'en');
      const plain = scoreSentiment(tokenize(word), lex).score;
      const negated = scoreSentiment(tokenize(`${negator} ${word}`), lex).score;
      expect(plain, lang).toBeGreaterThan(0);
      expect(negated, lang).toBeLessThan(0);
    }
  });

  it('scores random word salads from the lexicons without throwing and explains the words it used', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }), (words) => {
        const text = words.join(' ');
        const b = analyzeTexts([text]);
        expect(LANGUAGE_CODES[b.language[0] as number]).toBeDefined();
        const e = explainText(text, 'en');
        for (const c of e.contributions) expect(words.map((w) => w.toLowerCase())).toContain(c.word);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('explains a negated word with a negative valence', () => {
    const e = explainText('The product is not good.', 'en');
    expect(e.contributions).toEqual([{ word: 'good', valence: expect.any(Number) }]);
    expect(e.contributions[0]?.valence ?? 0).toBeLessThan(0);
    expect(explainText('12345').notes.join(' ')).toMatch(/No sentiment word/);
  });
});
