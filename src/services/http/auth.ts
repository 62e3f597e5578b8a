import { createHash, randomBytes } from 'node:crypto';
import { InputError, NotFoundError } from '../../errors.js';
import { type Engine, ensureAuditLog, ensureSystemTables, sql } from '../../store/index.js';
import { ROLE_RANK, type Role, type TokenInfo } from './types.js';

/**
 * API tokens with roles. Only the SHA-256 of a token is stored; the token itself is shown once, when created.
 * Tokens look like `cl_<32 hex>` so they are easy to recognise in logs and secret scanners.
 */

export const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];

export async function ensureAccessTables(engine: Engine): Promise<void> {
  await engine.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
    token_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, token_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)`);
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

/** Creates a token; returns the secret once (only its hash is kept). */
export async function createToken(
  engine: Engine,
  name: string,
  role: Role,
): Promise<TokenInfo & { token: string }> {
  await ensureAccessTables(engine);
  const token = `cl_${randomBytes(16).toString('hex')}`;
  const id = randomBytes(6).toString('hex');
  await engine.exec(
    sql`INSERT INTO api_tokens VALUES (${id}, ${name}, ${role}, ${hashToken(token)}, current_timestamp, NULL)`,
  );
  return { id, name, role, token };
}

export async function listTokens(
  engine: Engine,
): Promise<(TokenInfo & { createdAt: string; revoked: boolean })[]> {
  await ensureAccessTables(engine);
  return engine.query<TokenInfo & { createdAt: string; revoked: boolean }>(
    `SELECT token_id AS id, name, role, created_at AS "createdAt", revoked_at IS NOT NULL AS revoked
     FROM api_tokens ORDER BY created_at`,
  );
}

export async function revokeToken(engine: Engine, id: string): Promise<void> {
  const rows = await engine.query(
    sql`SELECT 1 FROM api_tokens WHERE token_id = ${id} AND revoked_at IS NULL`,
  );
  if (rows.length === 0)
    throw new NotFoundError(`No active token with id "${id}". List them with GET /api/tokens.`);
  await engine.exec(sql`UPDATE api_tokens SET revoked_at = current_timestamp WHERE token_id = ${id}`);
}

/** The caller of a bearer token, or null when the token is unknown or revoked. */
export async function authenticate(engine: Engine, token: string): Promise<TokenInfo | null> {
  const rows = await engine.query<{ id: string; name: string; role: Role }>(
    sql`SELECT token_id AS id, name, role FROM api_tokens WHERE token_hash = ${hashToken(token)} AND revoked_at IS NULL`,
  );
  return rows[0] ?? null;
}

export function allows(caller: Role, needed: Role): boolean {
  return ROLE_RANK[caller] >= ROLE_RANK[needed];
}
