import { describe, expect, it } from 'vitest';
import { translateError } from './server-text.js';

/**
 * Issue 18: the messages an analyst meets most read fully in nl, fr, de and ru (values, names, commands and
 * paths stay as they are); English is unchanged.
 */
const MESSAGES: [code: string, message: string, leftover: RegExp][] = [
  [
    'NOT_FOUND',
    'Segment "vip" does not exist. Known segments: buyers, lapsed. Create it with `clientele segment create NAME "EXPR"`.',
    /does not exist|Known segments|Create it/,
  ],
  ['NOT_FOUND', 'No customer with id "C9".', /No customer/],
  [
    'NOT_FOUND',
    'No model "churn". Known models: churn_risk. Train one with clientele predict train.',
    /No model|Known models|Train one/,
  ],
  ['NOT_FOUND', 'No job with id "j1". List jobs with GET /api/jobs.', /No job|List jobs/],
  ['FORBIDDEN', 'This needs the analyst role; your token "ann" is viewer.', /This needs|your token|" is /],
  [
    'QUERY_TIMEOUT',
    'The request took longer than 30000 ms and was stopped. Narrow it (a stricter filter, a higher minSupport) or ask an admin to raise request_timeout_ms.',
    /took longer|Narrow it|ask an admin/,
  ],
  [
    'LIMIT_EXCEEDED',
    "Request body: expected at most 1048576 bytes, got more. Split the upload or raise the server's limit (docs/security.md).",
    /Request body|Split the upload/,
  ],
  ['NOT_FOUND', 'No orders yet: import orders first (`clientele import`).', /No orders|import orders/],
  [
    'INVALID_ARGUMENT',
    'setting "currency": expected a three-letter ISO 4217 currency code such as EUR, USD, GBP or CHF, got "euro".',
    /three-letter|such as|, got/,
  ],
];

describe('error messages in five languages', () => {
  it('translates the common messages with no English left, keeping values and commands', () => {
    for (const lang of ['nl', 'fr', 'de', 'ru'] as const) {
      for (const [code, message, leftover] of MESSAGES) {
        const out = translateError(code, message, lang);
        expect(out, `${lang}: ${out}`).not.toMatch(leftover);
        // No fallback summary: the phrases reached the message.
        expect(out, `${lang}: ${out}`).not.toMatch(/ — /);
        for (const kept of message.match(/"[^"]*"|`[^`]*`|\d{3,}/g) ?? []) expect(out).toContain(kept);
      }
    }
  });

  it('leaves English as it was', () => {
    for (const [code, message] of MESSAGES) expect(translateError(code, message, 'en')).toBe(message);
  });
});

describe('a message no phrase reaches', () => {
  it('keeps its English words after its code said in the language', () => {
    expect(translateError('NOT_FOUND', 'Zork "x" vanished.', 'ru')).toBe('Не найдено — Zork "x" vanished.');
    expect(translateError('WHATEVER', 'Zork.', 'nl')).toBe('Fout — Zork.');
  });
});
