import { randomUUID } from 'node:crypto';
import {
  AppError,
  ConfigError,
  ConnectorError,
  InputError,
  ModelError,
  NotFoundError,
  QueryError,
} from '../../errors.js';
import type { ApiError } from './types.js';

/** An HTTP-only failure (401, 403) raised by the auth layer. */
export class HttpError extends AppError {
  constructor(
    readonly status: 401 | 403 | 413 | 503,
    code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'INVALID_INPUT' | 'QUERY_TIMEOUT' | 'LIMIT_EXCEEDED',
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message, details);
  }
}

/**
 * Maps any error to a status and the one error body shape. Input → 400, unknown id → 404, model
 * mismatch → 409, anything else → 500 with a request id (logged with its stack, never sent to the client).
 */
export function toHttpError(error: unknown, log: (line: string) => void): { status: number; body: ApiError } {
  if (error instanceof HttpError) return body(error.status, error.code, error.message, error.details);
  if (error instanceof InputError || error instanceof ConfigError) {
    return body(400, error.code, error.message, error.details);
  }
  if (error instanceof NotFoundError) return body(404, error.code, error.message, error.details);
  if (error instanceof ModelError) return body(409, error.code, error.message, error.details);
  if (error instanceof ConnectorError) return body(502, error.code, error.message, {});
  // A value the engine cannot convert or hold (a date that does not exist, a number out of range) came
  // from the request: a 400 that quotes the engine, never a 500.
  if (error instanceof QueryError && /Conversion Error|Out of Range|out of range/i.test(error.message)) {
    const first = error.message.replace(/^Query failed: /, '').split('\n')[0] ?? error.message;
    return body(
      400,
      'INVALID_INPUT',
      `A value in the request cannot be used: ${first}. Check dates (YYYY-MM-DD, a real day) and numbers.`,
      {},
    );
  }
  const requestId = randomUUID();
  log(`[${requestId}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return body(500, 'INTERNAL', `Internal error; quote request id ${requestId} when reporting it.`, {
    requestId,
  });
}

function body(status: number, code: string, message: string, details: Readonly<Record<string, unknown>>) {
  return { status, body: { error: { code, message, details: { ...details } } } };
}
