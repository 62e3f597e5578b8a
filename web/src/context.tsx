import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { ApiFailure, apiGet, setApiLanguage } from './api.js';
import {
  formatCurrency,
  formatDate,
  formatNumber,
  formatPercent,
  type Language,
  type MessageKey,
  translate,
} from './i18n.js';

export interface AppState {
  lang: Language;
  setLang(lang: Language): void;
  token: string;
  setToken(token: string): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  num(value: number, digits?: number): string;
  money(value: number): string;
  /** ISO 4217 code of the datamart's money (GET /api/me; EUR until known). */
  currency: string;
  date(iso: string): string;
  pct(value: number): string;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}

export function makeState(
  lang: Language,
  setLang: (l: Language) => void,
  token: string,
  setToken: (t: string) => void,
  currency = 'EUR',
): AppState {
  setApiLanguage(lang);
  return {
    lang,
    setLang,
    token,
    setToken,
    t: (key, vars) => translate(lang, key, vars),
    num: (v, d) => formatNumber(lang, v, d),
    money: (v) => formatCurrency(lang, v, currency),
    currency,
    date: (iso) => formatDate(lang, iso),
    pct: (v) => formatPercent(lang, v),
  };
}

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: ApiFailure | Error }
  | { state: 'ready'; data: T };

/**
 * Loads a GET endpoint; reloads when the path, token or language changes (server-written text such as model
 * reasons follows the language, sent as Accept-Language); cancels stale requests.
 */
export function useApi<T>(path: string | null): [Loaded<T>, () => void] {
  const { token, lang, setToken } = useApp();
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce triggers a reload
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    setResult({ state: 'loading' });
    apiGet<T>(path, token, controller.signal, lang).then(
      (data) => setResult({ state: 'ready', data }),
      (error: Error) => {
        // An expired or revoked token: back to the sign-in form, not an error on every page.
        if (error instanceof ApiFailure && error.status === 401) setToken('');
        else if (error.name !== 'AbortError') setResult({ state: 'error', error });
      },
    );
    return () => controller.abort();
  }, [path, token, nonce, lang]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return [result, reload];
}
