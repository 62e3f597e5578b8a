import { createHash, randomBytes } from 'node:crypto';
import { InputError, NotFoundError } from '../../errors.js';
import {
  type Engine,
  ensureAuditLog,
  ensureSystemTables,
  runDdl,
  sql,
  type TableDef,
} from '../../store/index.js';
import { ROLE_RANK, type Role, type TokenInfo } from './types.js';

/**
 * API tokens with roles. Only the SHA-256 of a token is stored; the token itself is shown once, when created.
 * Tokens look like `cl_<32 hex>` so they are easy to recognise in logs and secret scanners.
 */

export const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];

/** The tokens table (rendered by the engine's dialect: a MergeTree keyed by token_id on ClickHouse). */
export const API_TOKENS_TABLE: TableDef = {
  name: 'api_tokens',
  columns: [
    { name: 'token_id', type: 'text', notNull: true },
    { name: 'name', type: 'text', notNull: true },
    { name: 'role', type: 'text', notNull: true },
    { name: 'token_hash', type: 'text', notNull: true },
    { name: 'created_at', type: 'timestamp', notNull: true },
    { name: 'revoked_at', type: 'timestamp' },
    { name: 'expires_at', type: 'timestamp' },
    { name: 'session', type: 'boolean', default: false },
  ],
  primaryKey: 'token_id',
  sortKey: ['token_id'],
};

export async function ensureAccessTables(engine: Engine): Promise<void> {
  await runDdl(engine, engine.dialect.createTableStatements(API_TOKENS_TABLE));
  // Issue 19: tokens expire; session tokens (one per `clientele serve`) are marked so a restart revokes them.
  await engine.exec('ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires_at TIMESTAMP');
  await engine.exec('ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS session BOOLEAN DEFAULT false');
  await ensureAuditLog(engine);
  await ensureSystemTables(engine);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function parseRole(value: string): Role {
  if ((ROLES as readonly string[]).includes(value)) return value as Role;
  throw new InputError(`Role: expected one of ${ROLES.join(', ')}, got "${value}".`, { field: 'role' });
}

/** Days a token lives unless `expiresInDays` says otherwise (0 = never expires). */
export const DEFAULT_TOKEN_DAYS = 90;

export interface CreateTokenOptions {
  /** Days until the token stops working; 0 = never (default 90). */
  expiresInDays?: number;
  /** A `clientele serve` session token: expires in a day and is revoked when a server starts. */
  session?: boolean;
}

/** Creates a token; returns the secret once (only its hash is kept). */
export async function createToken(
  engine: Engine,
  name: string,
  role: Role,
  options: CreateTokenOptions = {},
): Promise<TokenInfo & { token: string; expiresAt: string | null }> {
  await ensureAccessTables(engine);
  const days = options.session ? 1 : (options.expiresInDays ?? DEFAULT_TOKEN_DAYS);
  if (!Number.isFinite(days) || days < 0) {
    throw new InputError(`expiresInDays: expected a number of days ≥ 0 (0 = never), got ${days}.`, {
      field: 'expiresInDays',
    });
  }
  const token = `cl_${randomBytes(16).toString('hex')}`;
  const id = randomBytes(6).toString('hex');
  const expiresAt = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 23) : null;
  await engine.exec(
    sql`INSERT INTO api_tokens (token_id, name, role, token_hash, created_at, revoked_at, expires_at, session)
        VALUES (${id}, ${name}, ${role}, ${hashToken(token)}, ${engine.dialect.currentTimestamp()}, NULL,
                ${engine.dialect.timestampParam(expiresAt)}, ${options.session === true})`,
  );
  return { id, name, role, token, expiresAt };
}

/** Revokes every session token still active (a crashed server's link stops working at the next start). */
export async function revokeSessionTokens(engine: Engine): Promise<number> {
  await ensureAccessTables(engine);
  const rows = await engine.query<{ n: number }>(
    'SELECT count(*) AS n FROM api_tokens WHERE session AND revoked_at IS NULL',
  );
  const d = engine.dialect;
  await engine.exec(
    d.updateSql('api_tokens', sql`revoked_at = ${d.currentTimestamp()}`, sql`session AND revoked_at IS NULL`),
  );
  return rows[0]?.n ?? 0;
}

export async function listTokens(
  engine: Engine,
): Promise<(TokenInfo & { createdAt: string; revoked: boolean })[]> {
  await ensureAccessTables(engine);
  return engine.query<TokenInfo & { createdAt: string; revoked: boolean }>(
    `SELECT token_id AS id, name, role, created_at AS "createdAt", expires_at AS "expiresAt",
            CAST(revoked_at IS NOT NULL AS BOOLEAN) AS revoked FROM api_tokens ORDER BY created_at, token_id`,
  );
}

export async function revokeToken(engine: Engine, id: string): Promise<void> {
  const rows = await engine.query(
    sql`SELECT 1 FROM api_tokens WHERE token_id = ${id} AND revoked_at IS NULL`,
  );
  if (rows.length === 0)
    throw new NotFoundError(`No active token with id "${id}". List them with GET /api/tokens.`);
  const d = engine.dialect;
  await engine.exec(
    d.updateSql('api_tokens', sql`revoked_at = ${d.currentTimestamp()}`, sql`token_id = ${id}`),
  );
}

/** The caller of a bearer token, or null when the token is unknown or revoked. */
export async function authenticate(engine: Engine, token: string): Promise<TokenInfo | null> {
  const rows = await engine.query<{ id: string; name: string; role: Role }>(
    sql`SELECT token_id AS id, name, role FROM api_tokens WHERE token_hash = ${hashToken(token)} AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > ${engine.dialect.timestampParam(new Date().toISOString().slice(0, 23))})`,
  );
  return rows[0] ?? null;
}

export function allows(caller: Role, needed: Role): boolean {
  return ROLE_RANK[caller] >= ROLE_RANK[needed];
}
