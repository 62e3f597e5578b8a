/**
 * Types shared by the HTTP API and the web dashboard (web/ imports only this file from src/).
 */

export type Role = 'viewer' | 'analyst' | 'admin';

export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface JobInfo {
  id: string;
  kind: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  message: string;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: ApiError['error'] | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
  limit: number;
}
