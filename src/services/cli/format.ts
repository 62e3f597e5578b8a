/**
 * Numbers, money and dates in the CLI's language (`--lang` / `CLIENTELE_LANG`), issue 18: thousands
 * separators, decimal comma, dates and money with the datamart's currency (the `currency` setting, EUR by
 * default). English tables keep plain digits and ISO dates (scripts read them); English sentences group
 * thousands (4,437) and show money as the dashboard does (€1,234).
 */
import type { Language } from '../../analytics/shared/field-labels.js';

/** BCP-47 locale per language (the dashboard's and the report's). */
export const CLI_LOCALES: Record<Language, string> = {
  en: 'en-GB',
  nl: 'nl-NL',
  fr: 'fr-FR',
  de: 'de-DE',
  ru: 'ru-RU',
};

export interface CliFormats {
  readonly lang: Language;
  /** ISO 4217 code of the datamart's money. */
  readonly currency: string;
  /** A whole number with thousands separators: 4,437 · 4.437 · 4 437. */
  int(n: number): string;
  /** A number with `digits` decimals (default: as many as needed, up to 2). */
  num(n: number, digits?: number): string;
  /** An amount in the datamart's currency, `digits` decimals (default 0): €1,657 · € 1.657 · 1 657 €. */
  money(n: number, digits?: number): string;
  /** A share 0–1 as a percentage with `digits` decimals (default 1): 8.3% · 8,3% · 8,3 %. */
  pct(share: number, digits?: number): string;
  /** A date (YYYY-MM-DD or a timestamp) in the language's short form: 2026-06-30 (en) · 30-06-2026 · 30.06.2026. */
  date(iso: string): string;
  /** A table cell: numbers grouped and with the language's decimal mark, ISO dates and percentages localised. */
  cell(v: unknown, money?: boolean): string;
}

/** Whether `code` is an ISO 4217 currency code Intl knows. */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERCENT = /^(-?\d+(?:\.\d+)?)%$/;

/** The CLI's formats for `lang`, money in `currency` (EUR when not a known code). */
export function cliFormats(lang: Language, currency = 'EUR'): CliFormats {
  // Intl objects are made on first use: building them loads ICU data, which `--help` and `--json` never need.
  const code = currency === 'EUR' || isCurrencyCode(currency) ? currency : 'EUR';
  const locale = CLI_LOCALES[lang];
  const cache = new Map<string, Intl.NumberFormat>();
  const nf = (key: string, opts: Intl.NumberFormatOptions) => {
    let f = cache.get(key);
    if (!f) {
      f = new Intl.NumberFormat(locale, opts);
      cache.set(key, f);
    }
    return f;
  };
  let dates: Intl.DateTimeFormat | undefined;
  const dateFormat = () =>
    (dates ??= new Intl.DateTimeFormat(locale, {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone: 'UTC',
    }));
  const plainCell = (v: number) =>
    Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(2) : Number(v.toPrecision(4)).toString();
  const f: CliFormats = {
    lang,
    currency: code,
    int: (n) => nf('int', { maximumFractionDigits: 0 }).format(n),
    num: (n, digits) =>
      nf(`num${digits ?? ''}`, {
        minimumFractionDigits: digits ?? 0,
        maximumFractionDigits: digits ?? 2,
      }).format(n),
    money: (n, digits = 0) =>
      nf(`money${digits}`, {
        style: 'currency',
        currency: code,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(n),
    pct: (share, digits = 1) =>
      nf(`pct${digits}`, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(share),
    date(iso) {
      if (lang === 'en') return iso;
      const m = ISO_DATE.exec(iso.slice(0, 10));
      if (!m) return iso;
      return dateFormat().format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
    },
    cell(v, money = false) {
      if (v === null || v === undefined) return '';
      if (v instanceof Date) return f.date(v.toISOString().slice(0, 10));
      if (typeof v === 'number') {
        if (lang === 'en') return plainCell(v);
        if (!Number.isFinite(v)) return String(v);
        if (money) return f.money(v, Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : 2);
        if (Number.isInteger(v)) return f.int(v);
        if (Math.abs(v) >= 100) return f.num(v, 2);
        return nf('sig', { maximumSignificantDigits: 4 }).format(v);
      }
      if (typeof v === 'object') return JSON.stringify(v);
      const s = String(v);
      if (lang === 'en') return s;
      if (ISO_DATE.test(s)) return f.date(s);
      const p = PERCENT.exec(s);
      if (p) {
        const digits = p[1]?.split('.')[1]?.length ?? 0;
        return f.pct(Number(p[1]) / 100, digits);
      }
      return s;
    },
  };
  return f;
}
