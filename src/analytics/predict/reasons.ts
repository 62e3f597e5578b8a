/**
 * Model reasons as sentences in the user's language: the fact ("no order for 6 months", "last opened an
 * e-mail 5 months ago", "unsubscribed from e-mail") and the strength of its pull in words ("raises the score
 * strongly"). Never log-odds, never a date as a day number: a date reaches a model only as an age in days
 * (table.ts) and is said as a duration here. Pure.
 */
import { FIELD_LABELS, fieldLabel, type Language } from '../shared/field-labels.js';

/** |effect| in log-odds below this is "slight", below STRONG "moderate", else "strong". */
export const SLIGHT = 0.15;
export const STRONG = 0.5;

type Words = Record<Language, string>;

const RAISES: Record<Language, [string, string, string]> = {
  en: ['raises the score slightly', 'raises the score moderately', 'raises the score strongly'],
  nl: ['verhoogt de score licht', 'verhoogt de score matig', 'verhoogt de score sterk'],
  fr: ['augmente légèrement le score', 'augmente modérément le score', 'augmente fortement le score'],
  de: ['erhöht den Score leicht', 'erhöht den Score mäßig', 'erhöht den Score stark'],
  ru: ['немного повышает оценку', 'заметно повышает оценку', 'сильно повышает оценку'],
};
const LOWERS: Record<Language, [string, string, string]> = {
  en: ['lowers the score slightly', 'lowers the score moderately', 'lowers the score strongly'],
  nl: ['verlaagt de score licht', 'verlaagt de score matig', 'verlaagt de score sterk'],
  fr: ['baisse légèrement le score', 'baisse modérément le score', 'baisse fortement le score'],
  de: ['senkt den Score leicht', 'senkt den Score mäßig', 'senkt den Score stark'],
  ru: ['немного понижает оценку', 'заметно понижает оценку', 'сильно понижает оценку'],
};

/** The strength of a contribution in words: "raises the score strongly". */
export function strengthWords(effect: number, lang: Language): string {
  const size = Math.abs(effect);
  const i = size < SLIGHT ? 0 : size < STRONG ? 1 : 2;
  return (effect >= 0 ? RAISES : LOWERS)[lang][i];
}

/** Russian plural form index (1 день, 2 дня, 5 дней). */
function ruForm(n: number): 0 | 1 | 2 {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return 0;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return 1;
  return 2;
}

const UNITS: Record<'day' | 'month' | 'year', Record<Language, [string, string, string?]>> = {
  day: {
    en: ['day', 'days'],
    nl: ['dag', 'dagen'],
    fr: ['jour', 'jours'],
    de: ['Tag', 'Tagen'],
    ru: ['день', 'дня', 'дней'],
  },
  month: {
    en: ['month', 'months'],
    nl: ['maand', 'maanden'],
    fr: ['mois', 'mois'],
    de: ['Monat', 'Monaten'],
    ru: ['месяц', 'месяца', 'месяцев'],
  },
  year: {
    en: ['year', 'years'],
    nl: ['jaar', 'jaar'],
    fr: ['an', 'ans'],
    de: ['Jahr', 'Jahren'],
    ru: ['год', 'года', 'лет'],
  },
};

/** A number of days as a duration a person says: "12 days", "6 months", "2 years" (in `lang`). */
export function durationWords(days: number, lang: Language): string {
  const d = Math.max(0, Math.round(days));
  const [n, unit] =
    d < 60
      ? [d, 'day' as const]
      : d < 730
        ? [Math.round(d / 30.44), 'month' as const]
        : [Math.round(d / 365.25), 'year' as const];
  const forms = UNITS[unit][lang];
  const word = lang === 'ru' ? (forms[ruForm(n)] ?? forms[1]) : n === 1 ? forms[0] : forms[1];
  return `${n} ${word}`;
}

/** Facts about an age field (days before the reference date): "{d}" is the duration. */
const AGO: Record<string, Words> = {
  recency_days: {
    en: 'no order for {d}',
    nl: 'al {d} geen bestelling',
    fr: 'aucune commande depuis {d}',
    de: 'seit {d} keine Bestellung',
    ru: 'нет заказов уже {d}',
  },
  last_order: {
    en: 'no order for {d}',
    nl: 'al {d} geen bestelling',
    fr: 'aucune commande depuis {d}',
    de: 'seit {d} keine Bestellung',
    ru: 'нет заказов уже {d}',
  },
  days_since_last_order: {
    en: 'no order for {d}',
    nl: 'al {d} geen bestelling',
    fr: 'aucune commande depuis {d}',
    de: 'seit {d} keine Bestellung',
    ru: 'нет заказов уже {d}',
  },
  tenure_days: {
    en: 'customer for {d}',
    nl: 'al {d} klant',
    fr: 'client depuis {d}',
    de: 'seit {d} Kunde',
    ru: 'клиент уже {d}',
  },
  first_order: {
    en: 'customer for {d}',
    nl: 'al {d} klant',
    fr: 'client depuis {d}',
    de: 'seit {d} Kunde',
    ru: 'клиент уже {d}',
  },
  last_email_open: {
    en: 'last opened an e-mail {d} ago',
    nl: 'laatst een e-mail geopend {d} geleden',
    fr: 'dernier e-mail ouvert il y a {d}',
    de: 'zuletzt vor {d} eine E-Mail geöffnet',
    ru: 'последний раз открыл письмо {d} назад',
  },
  last_service_contact: {
    en: 'last contacted service {d} ago',
    nl: 'laatste servicecontact {d} geleden',
    fr: 'dernier contact avec le service il y a {d}',
    de: 'letzter Servicekontakt vor {d}',
    ru: 'последнее обращение в поддержку {d} назад',
  },
  account_age_days: {
    en: 'account opened {d} ago',
    nl: 'account {d} geleden geopend',
    fr: 'compte ouvert il y a {d}',
    de: 'Konto vor {d} eröffnet',
    ru: 'аккаунт открыт {d} назад',
  },
  days_since_negative_text: {
    en: 'last negative review {d} ago',
    nl: 'laatste negatieve review {d} geleden',
    fr: 'dernier avis négatif il y a {d}',
    de: 'letzte negative Bewertung vor {d}',
    ru: 'последний негативный отзыв {d} назад',
  },
};
const GENERIC_AGO: Words = {
  en: '{f}: {d} ago',
  nl: '{f}: {d} geleden',
  fr: '{f} : il y a {d}',
  de: '{f}: vor {d}',
  ru: '{f}: {d} назад',
};
const UNKNOWN: Words = {
  en: '{f} unknown',
  nl: '{f} onbekend',
  fr: '{f} inconnu',
  de: '{f} unbekannt',
  ru: '{f}: нет данных',
};
const UNSUBSCRIBED: Words = {
  en: 'unsubscribed from e-mail',
  nl: 'afgemeld voor e-mail',
  fr: 'désabonné des e-mails',
  de: 'vom E-Mail-Versand abgemeldet',
  ru: 'отписался от рассылки',
};
const NOT_UNSUBSCRIBED: Words = {
  en: 'still subscribed to e-mail',
  nl: 'nog aangemeld voor e-mail',
  fr: 'toujours abonné aux e-mails',
  de: 'weiterhin für E-Mails angemeldet',
  ru: 'подписан на рассылку',
};
const LOCALE: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL', fr: 'fr-FR', de: 'de-DE', ru: 'ru-RU' };

/** How the reason's value was read: an age in days (dates, *_days fields) or a plain value. */
export interface ReasonField {
  name: string;
  /** 'age' for a date read as days before the reference date. */
  origin?: string;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

function isDays(field: ReasonField): boolean {
  return field.origin === 'age' || /_days$/.test(field.name) || FIELD_LABELS[field.name]?.unit === 'days';
}

/** The fact a value states, in words: "no order for 6 months", "e-mail open rate: 12 %", "region: Utrecht". */
export function factWords(
  field: ReasonField,
  value: number | string | null,
  lang: Language,
  currency = 'EUR',
): string {
  const label = fieldLabel(field.name, lang);
  if (value === null) return fill(UNKNOWN[lang], { f: label });
  if (typeof value === 'number' && isDays(field)) {
    const d = durationWords(value, lang);
    const known = AGO[field.name];
    return known ? fill(known[lang], { d }) : fill(GENERIC_AGO[lang], { f: label, d });
  }
  if (field.name === 'email_unsubscribes' && typeof value === 'number')
    return (value > 0 ? UNSUBSCRIBED : NOT_UNSUBSCRIBED)[lang];
  if (typeof value === 'number') {
    const unit = FIELD_LABELS[field.name]?.unit;
    // Money in the datamart's currency (the `currency` setting, EUR by default), shares as percentages.
    const fmt = new Intl.NumberFormat(LOCALE[lang], {
      maximumFractionDigits: unit === 'share' || unit === 'money' ? 0 : 2,
      ...(unit === 'share' ? { style: 'percent' } : {}),
      ...(unit === 'money' ? { style: 'currency', currency } : {}),
    });
    return `${label}: ${fmt.format(value)}`;
  }
  return `${label}: ${value}`;
}

/** One reason as a sentence: "no order for 6 months (raises the score strongly)". */
export function reasonSentence(
  field: ReasonField,
  value: number | string | null,
  effect: number,
  lang: Language = 'en',
  currency = 'EUR',
): string {
  return `${factWords(field, value, lang, currency)} (${strengthWords(effect, lang)})`;
}
