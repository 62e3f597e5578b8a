import type { ApiError } from '../../src/services/http/types.js';

/** The API token: taken from `#token=…` once, then kept in localStorage. */
export function initialToken(): string {
  const match = /token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    localStorage.setItem('clientele.token', match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return localStorage.getItem('clientele.token') ?? '';
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError['error'],
  ) {
    super(body.message);
  }
}

export async function apiGet<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` }, signal });
  return readResponse<T>(res);
}

export async function apiPost<T>(path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
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
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) await readResponse(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  message: string;
  result: unknown;
  error: { code: string; message: string; details: Record<string, unknown> } | null;
}

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
