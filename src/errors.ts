/**
 * Error classes and codes. Codes are part of the public API: scripts and the HTTP layer switch on them.
 * Message shape: where → what was expected → what was found → what to do.
 */

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_ARGUMENT'
  | 'MISSING_COLUMN'
  | 'AMBIGUOUS_FORMAT'
  | 'UNKNOWN_FORMAT'
  | 'REJECT_RATE_EXCEEDED'
  | 'FILE_NOT_FOUND'
  | 'PARSE_ERROR'
  | 'NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'CONNECTION_FAILED'
  | 'QUERY_FAILED'
  | 'READ_ONLY'
  | 'NOT_FITTED'
  | 'FORMAT_VERSION'
  | 'MODULE_MISMATCH'
  | 'NOT_CONVERGED'
  | 'MEMORY_LIMIT'
  | 'EMPTY_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'CANCELLED'
  | 'QUERY_TIMEOUT'
  | 'DISK_FULL'
  | 'SANDBOX_DENIED'
  | 'PROTECTED_TABLE'
  | 'LIMIT_EXCEEDED'
  | 'PERSONAL_FIELD'
  | 'INTERNAL';

/** One problem found while validating input; collected so a user sees them all at once. */
export interface Issue {
  /** Where: a field path, a column, "line 418, column amount". */
  where: string;
  /** What was expected and what was found, in plain words. */
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a user: a file, a flag, an HTTP body, model params. CLI exit 2, HTTP 400. */
export class InputError extends AppError {
  constructor(
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown; code?: ErrorCode },
  ) {
    super(options?.code ?? 'INVALID_INPUT', message, details, options);
  }
}

/** A referenced thing does not exist (segment, model, customer). HTTP 404. */
export class NotFoundError extends AppError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('NOT_FOUND', message, details);
  }
}

/** A configuration file or mapping file is wrong. */
export class ConfigError extends AppError {
  constructor(
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super('CONFIG_INVALID', message, details, options);
  }
}

/** A source system (PostgreSQL, MySQL, a file) could not be reached or read. */
export class ConnectorError extends AppError {
  constructor(
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super('CONNECTION_FAILED', message, details, options);
  }
}

/** A query failed in the engine; keeps the SQL text, the parameters and the engine's error as cause. */
export class QueryError extends AppError {
  constructor(
    message: string,
    readonly sql: string,
    readonly params: readonly unknown[],
    options?: { cause?: unknown; hint?: string },
  ) {
    super('QUERY_FAILED', message, { sql, params, hint: options?.hint }, options);
  }
}

/** A model cannot be used: not fitted, wrong module, wrong format version, did not converge. HTTP 409. */
export class ModelError extends AppError {}

/** Builds one InputError from many issues (capped at 50) so users fix everything in one pass. */
export function inputErrorFromIssues(summary: string, issues: readonly Issue[]): InputError {
  const capped = issues.slice(0, 50);
  const lines = capped.map((i) => `  - ${i.where}: ${i.message}`);
  const more = issues.length > capped.length ? `\n  … and ${issues.length - capped.length} more` : '';
  return new InputError(`${summary}\n${lines.join('\n')}${more}`, {
    issues: capped,
    issueCount: issues.length,
  });
}

/** True when the error is the user's to fix (CLI exit 2, HTTP 4xx). */
export function isUserError(error: unknown): boolean {
  return (
    error instanceof InputError ||
    error instanceof NotFoundError ||
    error instanceof ConfigError ||
    error instanceof ConnectorError ||
    error instanceof ModelError
  );
}
