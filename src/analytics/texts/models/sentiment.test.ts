import { describe, expect, it } from 'vitest';
import { analyzeTexts, LABEL_CODES, LANGUAGE_CODES } from './analyze.js';
import { detectLanguage } from './language.js';
import { LEXICON_SOURCES, lexiconFor, scoreSentiment, valenceOf } from './sentiment.js';
import { foldWord, tokenize } from './tokenize.js';

function one(text: string, language?: string) {
  const b = analyzeTexts([text], language ? { hints: [language] } : {});
  return {
    language: LANGUAGE_CODES[b.language[0] as number],
    score: b.sentiment[0] as number,
    label: LABEL_CODES[b.label[0] as number],
  };
}

// Hand-written sentences: [text, plain, negated] per language. The plain one must be positive, its
// negation negative, and the negation of a negative word positive.
const CASES: Record<string, { pos: string; neg: string; negNeg: string; trailing?: string }> = {
  en: {
    pos: 'The product is good and the delivery was fast.',
    neg: 'The product is not good.',
    negNeg: 'Honestly, not bad at all.',
  },
  nl: {
    pos: 'Het product is goed en snel geleverd.',
    neg: 'Het product is niet goed.',
    negNeg: 'Geen probleem, alles netjes.',
    trailing: 'Ik raad deze winkel niet aan.',
  },
  fr: {
    pos: 'Le produit est bon et la livraison rapide.',
    neg: "Le produit n'est pas bon.",
    negNeg: 'Pas mal du tout.',
  },
  de: {
    pos: 'Das Produkt ist gut und die Lieferung schnell.',
    neg: 'Das Produkt ist nicht gut.',
    negNeg: 'Kein Problem, alles bestens.',
    trailing: 'Das gefällt mir nicht.',
  },
  ru: {
    pos: 'Товар хороший, доставка быстрая.',
    neg: 'Товар не хороший.',
    negNeg: 'Доставили без проблем.',
  },
  pt: {
    pos: 'O produto é bom e a entrega foi rápida.',
    neg: 'O produto não é bom.',
    negNeg: 'Não tenho do que reclamar.',
  },
};

describe('sentiment with negation in six languages', () => {
  for (const [lang, c] of Object.entries(CASES)) {
    it(`${lang}: a negated positive word turns negative, a negated negative word turns positive`, () => {
      const pos = one(c.pos);
      const neg = one(c.neg);
      const negNeg = one(c.negNeg);
      expect([pos.language, neg.language, negNeg.language]).toEqual([lang, lang, lang]);
      expect(pos.label).toBe('positive');
      expect(neg.label).toBe('negative');
      expect(negNeg.label).toBe('positive');
      expect(neg.score).toBeLessThan(0);
      expect(pos.score).toBeGreaterThan(0);
      if (c.trailing) expect(one(c.trailing, lang).label).toBe('negative');
    });
  }

  it('intensifiers strengthen and diminishers weaken', () => {
    expect(one('Very good.', 'en').score).toBeGreaterThan(one('Good.', 'en').score);
    expect(one('Muito bom.', 'pt').score).toBeGreaterThan(one('Bom.', 'pt').score);
    expect(one('Очень плохо.', 'ru').score).toBeLessThan(one('Плохо.', 'ru').score);
    expect(one('Ein bisschen enttäuscht.', 'de').score).toBeGreaterThan(one('Enttäuscht.', 'de').score);
  });

  it('weighs the clause after "but" more than the one before', () => {
    expect(one('Delivery was late but the quality is excellent.', 'en').label).toBe('positive');
    expect(
      one('La qualité est excellente mais la livraison était très en retard et abîmée.', 'fr').label,
    ).toBe('negative');
  });

  it('reads a complaint that ends in a request as negative: the request’s "quickly" is no praise', () => {
    const tickets: [string, string][] = [
      ['en', 'My order still has not arrived. Please solve this quickly.'],
      ['nl', 'Ik heb het verkeerde artikel ontvangen. Graag een snelle oplossing.'],
      ['fr', 'Ma commande n’est toujours pas arrivée. Merci de régler cela rapidement.'],
      ['de', 'Meine Bestellung ist immer noch nicht angekommen. Bitte um schnelle Lösung.'],
      ['ru', 'Мой заказ до сих пор не доставлен. Прошу решить вопрос быстро.'],
      ['pt', 'Meu pedido ainda não chegou. Por favor, resolvam rápido.'],
    ];
    for (const [lang, text] of tickets) expect(one(text, lang).label, `${lang}: ${text}`).toBe('negative');
    // Only a clause that opens with the request loses its praise: thanks and "graag" elsewhere still count.
    expect(one('Merci pour la livraison rapide.', 'fr').label).toBe('positive');
    expect(one('Ik bestel hier graag, snelle levering.', 'nl').label).toBe('positive');
  });

  it('keeps scores in (-1, 1) and scores an empty text neutral', () => {
    const b = analyzeTexts(['', '!!!', 'great '.repeat(500), 'terrible '.repeat(500)]);
    for (const s of b.sentiment) expect(Math.abs(s)).toBeLessThan(1);
    expect(LABEL_CODES[b.label[0] as number]).toBe('neutral');
    expect(LANGUAGE_CODES[b.language[0] as number]).toBe('und');
  });

  it('does not depend on the other texts in the batch', () => {
    const texts = Object.values(CASES).flatMap((c) => [c.pos, c.neg, c.negNeg]);
    const all = analyzeTexts(texts);
    const reversed = analyzeTexts([...texts].reverse());
    texts.forEach((_, i) => {
      expect(reversed.sentiment[texts.length - 1 - i]).toBe(all.sentiment[i]);
    });
  });

  it('every lexicon entry parses and has a valence in [-3, 3]', () => {
    for (const lang of Object.keys(LEXICON_SOURCES) as (keyof typeof LEXICON_SOURCES)[]) {
      const lex = lexiconFor(lang);
      expect(lex.exact.size + lex.stems.size).toBeGreaterThan(80);
      for (const v of [...lex.exact.values(), ...lex.stems.values()])
        expect(Math.abs(v)).toBeLessThanOrEqual(3);
    }
  });

  it('matches stems and accent-free spellings', () => {
    const pt = lexiconFor('pt');
    expect(valenceOf(pt, 'decepcionado')).toBeLessThan(0);
    expect(valenceOf(pt, 'otimo')).toBe(valenceOf(pt, foldWord('ótimo')));
    expect(scoreSentiment(tokenize('nao gostei'), pt).score).toBeLessThan(0);
  });
});

describe('tokenize', () => {
  it('keeps accents out of the folded form, Cyrillic letters and clause breaks', () => {
    const t = tokenize('Très déçue. Ещё раз — нет! Größe: don’t');
    expect(t.words).toEqual(['tres', 'decue', 'еще', 'раз', 'нет', 'grosse', "don't"]);
    expect(Array.from(t.clause)).toEqual([0, 0, 1, 1, 1, 2, 3]);
    expect(t.exclamations).toBe(1);
    expect(foldWord('Йогурт')).toBe('йогурт');
  });
});

describe('detectLanguage', () => {
  const samples: [string, string][] = [
    ['I received the wrong item and nobody answers my emails.', 'en'],
    ['Ik heb het verkeerde artikel ontvangen en niemand reageert.', 'nl'],
    ["J'ai reçu le mauvais article et personne ne répond.", 'fr'],
    ['Ich habe den falschen Artikel erhalten und niemand antwortet.', 'de'],
    ['Мне прислали не тот товар, и никто не отвечает.', 'ru'],
    ['Recebi o produto errado e ninguém responde aos meus e-mails.', 'pt'],
    ['Teleurgesteld', 'nl'],
    ['Enttäuscht', 'de'],
  ];
  for (const [text, lang] of samples)
    it(`reads "${text.slice(0, 24)}…" as ${lang}`, () => {
      const words = tokenize(text).words;
      const guess = detectLanguage(text, words);
      const detected = guess.language === 'und' ? one(text).language : guess.language;
      expect(detected).toBe(lang);
    });

  it('leaves numbers and symbols undetermined', () => {
    expect(detectLanguage('12345 ???', tokenize('12345 ???').words).language).toBe('und');
  });
});
