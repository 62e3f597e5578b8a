import { describe, expect, it } from 'vitest';
import { LANGUAGES, parseLanguage } from '../shared/field-labels.js';
import { explainLoaded, trainOnLoaded } from './index.js';
import { parsePredictParams } from './params.js';
import { durationWords, reasonSentence, strengthWords } from './reasons.js';
import { frameFromColumns } from './table.js';

describe('model reasons in plain words', () => {
  it('says durations as a person would, in every language', () => {
    expect(durationWords(1, 'en')).toBe('1 day');
    expect(durationWords(12, 'en')).toBe('12 days');
    expect(durationWords(184, 'en')).toBe('6 months');
    expect(durationWords(1059, 'en')).toBe('3 years');
    expect(durationWords(184, 'nl')).toBe('6 maanden');
    expect(durationWords(184, 'de')).toBe('6 Monaten');
    expect(durationWords(21, 'ru')).toBe('21 день');
    expect(durationWords(3, 'ru')).toBe('3 дня');
    expect(durationWords(11, 'ru')).toBe('11 дней');
    expect(durationWords(1059, 'ru')).toBe('3 года');
  });

  it('turns facts and strengths into sentences', () => {
    expect(reasonSentence({ name: 'recency_days' }, 184, 0.8, 'en')).toBe(
      'no order for 6 months (raises the score strongly)',
    );
    expect(reasonSentence({ name: 'last_email_open', origin: 'age' }, 150, 0.2, 'en')).toBe(
      'last opened an e-mail 5 months ago (raises the score moderately)',
    );
    expect(reasonSentence({ name: 'email_unsubscribes' }, 1, 0.6, 'fr')).toBe(
      'désabonné des e-mails (augmente fortement le score)',
    );
    expect(reasonSentence({ name: 'email_open_rate' }, 0.25, -0.05, 'en')).toBe(
      'e-mail open rate: 25% (lowers the score slightly)',
    );
    expect(reasonSentence({ name: 'region' }, 'Utrecht', -0.3, 'de')).toBe(
      'Region: Utrecht (senkt den Score mäßig)',
    );
    expect(reasonSentence({ name: 'margin_rate' }, null, 0.3, 'nl')).toBe(
      'margepercentage onbekend (verhoogt de score matig)',
    );
    expect(strengthWords(-0.9, 'ru')).toBe('сильно понижает оценку');
    expect(reasonSentence({ name: 'revenue_365d' }, 0, 0.3, 'en')).toBe(
      'net revenue in the last year: €0 (raises the score moderately)',
    );
  });

  it('reads the language from Accept-Language, --lang or CLIENTELE_LANG', () => {
    expect(parseLanguage('nl-BE,nl;q=0.9,en;q=0.5')).toBe('nl');
    expect(parseLanguage('pt-BR, ru;q=0.8')).toBe('ru');
    expect(parseLanguage('ja')).toBe('en');
    expect(parseLanguage(undefined)).toBe('en');
  });

  it('never puts log-odds or a raw day number in a trained model’s reasons, in any language', () => {
    const n = 60;
    const rows = Array.from({ length: n }, (_, i) => i);
    const loaded = frameFromColumns(
      {
        customer_id: rows.map((i) => `C${i}`),
        as_of: rows.map(() => '2026-06-30'),
        last_email_open: rows.map((i) =>
          i % 9 === 0 ? null : `2025-${String(1 + (i % 12)).padStart(2, '0')}-10`,
        ),
        recency_days: rows.map((i) => (i * 37) % 400),
        email_unsubscribes: rows.map((i) => (i % 5 === 0 ? 1 : 0)),
        region: rows.map((i) => ['North', 'South', 'East'][i % 3]),
        label: rows.map((i) => ((i * 37) % 400 > 200 || i % 5 === 0 ? 'yes' : 'no')),
      },
      { target: 'label' },
    );
    const { model } = trainOnLoaded(loaded, parsePredictParams({ model: 'logistic' }), {
      table: 't',
      folds: 0,
    });
    for (const lang of LANGUAGES) {
      const texts = explainLoaded(model, loaded, 5, undefined, lang).flatMap((r) =>
        r.reasons.map((x) => x.text),
      );
      expect(texts.length).toBeGreaterThan(n);
      for (const t of texts) {
        expect(t).not.toMatch(/log-odds/);
        // A date as a day number (days since 1970: 15,000–29,999 for 2011–2052) never shows.
        expect(t).not.toMatch(/\b[12]\d{4}\b/);
        expect(t).not.toMatch(/=/);
      }
    }
    const en = explainLoaded(model, loaded, 5, [1], 'en')[0]!.reasons.map((r) => r.text);
    expect(en.some((t) => /^last opened an e-mail \d+ months? ago/.test(t))).toBe(true);
  });
});
