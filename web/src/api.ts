import type { ApiError, JobInfo } from '../../src/services/http/types.js';

const TOKEN_KEY = 'clientele.token';

/**
 * Takes the API token out of a `#token=…` link: stores it in localStorage and removes it from the address
 * (so it does not stay in the history or get copied along). Returns the token, or null when the hash has none.
 *
 * main.tsx calls this while the module is evaluated, before React is asked to render: React renders in a
 * later task, after the page's `load` event, and anything that changes the hash in between (a click, a
 * script, a test driver navigating to `#/overview`) would otherwise lose the token and show the sign-in form.
 * App also calls it on every hash change, so a token link opened in a running tab signs in too.
 */
export function captureTokenFromHash(): string | null {
  const match = /token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return null;
  localStorage.setItem(TOKEN_KEY, match[1]);
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1];
}

/** The API token kept in localStorage (see captureTokenFromHash), or '' when signed out. */
export function storedToken(): string {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError['error'],
  ) {
    super(body.message);
  }
}

/** The dashboard's language, sent as Accept-Language with every call (server-written text and errors follow it). */
let apiLanguage = '';
export function setApiLanguage(lang: string): void {
  apiLanguage = lang;
}
const languageHeader = (lang?: string): Record<string, string> =>
  (lang ?? apiLanguage) ? { 'accept-language': (lang ?? apiLanguage) as string } : {};

export async function apiGet<T>(
  path: string,
  token: string,
  signal?: AbortSignal,
  lang?: string,
): Promise<T> {
  const res = await fetch(path, {
    headers: { authorization: `Bearer ${token}`, ...languageHeader(lang) },
    signal,
  });
  return readResponse<T>(res);
}

export async function apiPost<T>(path: string, token: string, body: unknown, lang?: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...languageHeader(lang),
    },
    body: JSON.stringify(body),
  });
  return readResponse<T>(res);
}

export async function apiDelete<T>(path: string, token: string): Promise<T> {
  const res = await fetch(path, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}`, ...languageHeader() },
  });
  return readResponse<T>(res);
}

async function readResponse<T>(res: Response): Promise<T> {
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok)
    throw new ApiFailure(
      res.status,
      (json as ApiError).error ?? { code: 'HTTP', message: res.statusText, details: {} },
    );
  return json as T;
}

/** Downloads a file from an authenticated endpoint. */
export async function apiDownload(path: string, token: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}`, ...languageHeader() } });
  if (!res.ok) await readResponse(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

type Job = JobInfo;

/** Starts a background job and polls it until it ends; reports progress on the way. */
export async function runJob<T>(
  path: string,
  token: string,
  body: unknown,
  onProgress?: (p: number, m: string) => void,
): Promise<T> {
  let job = await apiPost<Job>(path, token, body);
  while (job.status === 'running') {
    onProgress?.(job.progress, job.message);
    await new Promise((r) => setTimeout(r, 400));
    job = await apiGet<Job>(`/api/jobs/${job.id}`, token);
  }
  if (job.status !== 'done')
    throw new ApiFailure(
      409,
      job.error ?? { code: 'CANCELLED', message: 'The job was cancelled.', details: {} },
    );
  return job.result as T;
}

/**
 * Uploads a file to POST /api/imports (multipart) and polls the import job until it ends; reports progress on
 * the way. Returns the import's summary.
 */
export async function uploadImport<T>(
  file: File,
  token: string,
  onProgress?: (p: number, m: string) => void,
): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  const res = await fetch('/api/imports', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...languageHeader() },
    body: form,
  });
  let job = await readResponse<Job>(res);
  while (job.status === 'running') {
    onProgress?.(job.progress, job.message);
    await new Promise((r) => setTimeout(r, 400));
    job = await apiGet<Job>(`/api/jobs/${job.id}`, token);
  }
  if (job.status !== 'done')
    throw new ApiFailure(
      409,
      job.error ?? { code: 'CANCELLED', message: 'The job was cancelled.', details: {} },
    );
  return job.result as T;
}
