import { describe, expect, it } from 'vitest';
import { DICTIONARIES, detectLanguage, formatCurrency, LANGUAGES, translate } from '../web/src/i18n.js';

describe('dashboard translations', () => {
  it('has every English key in every language, and no extra keys', () => {
    const keys = Object.keys(DICTIONARIES.en).sort();
    for (const lang of LANGUAGES) expect(Object.keys(DICTIONARIES[lang]).sort()).toEqual(keys);
  });

  it('has no empty translation and keeps every {placeholder}', () => {
    for (const lang of LANGUAGES) {
      for (const [key, text] of Object.entries(DICTIONARIES[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        const english = DICTIONARIES.en[key as keyof typeof DICTIONARIES.en];
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(english));
      }
    }
  });

  it('formats currency by locale and picks the browser language', () => {
    expect(formatCurrency('de', 1234.56).replace(/\s/g, ' ')).toBe('1.234,56 €');
    expect(formatCurrency('nl', 1234.56).replace(/\s/g, ' ')).toBe('€ 1.234,56');
    expect(detectLanguage(['ru-RU', 'en'])).toBe('ru');
    expect(detectLanguage(['es-ES'])).toBe('en');
    expect(translate('fr', 'common.pageOf', { from: 1, to: 25, total: 100 })).toBe('Lignes 1–25 sur 100');
  });
});
