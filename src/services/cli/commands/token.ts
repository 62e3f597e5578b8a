import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, list and revoke API tokens (roles: viewer, analyst, admin)',
  usage: `Usage:
  clientele token create NAME --role viewer|analyst|admin [--expires-in DAYS]
  clientele token list
  clientele token revoke ID

Roles: viewer reads aggregates only (never personal data or exports); analyst runs analyses, creates
segments and exports; admin also imports, deletes and manages tokens. Only a hash of each token is
stored: the secret is printed once, by create. A token expires after --expires-in days (default 90;
0 = never).

JSON: create → {id, name, role, token, expiresAt}; list → {tokens[{id, name, role, createdAt, expiresAt, revoked}]}; revoke → {revoked}`,
  options: { role: { type: 'string' }, 'expires-in': { type: 'string' } },
  async run(ctx) {
    const { createToken, listTokens, parseRole, revokeToken } = await import('../../http/index.js');
    const [sub, arg] = ctx.args;
    const engine = await ctx.openDb();
    try {
      if (sub === 'create') {
        if (!arg)
          throw new InputError(
            'token create: expected a NAME, e.g. `clientele token create crm-sync --role viewer`.',
          );
        const role = parseRole(String(ctx.values.role ?? ''));
        const days = ctx.values['expires-in'] === undefined ? undefined : Number(ctx.values['expires-in']);
        if (days !== undefined && (!Number.isFinite(days) || days < 0))
          throw new InputError(
            `--expires-in: expected a number of days ≥ 0 (0 = never), got "${ctx.values['expires-in']}".`,
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        const created = await createToken(
          engine,
          arg,
          role,
          days === undefined ? {} : { expiresInDays: days },
        );
        ctx.out.line(
          `Token for "${created.name}" (${created.role}), ${created.expiresAt ? `expires ${created.expiresAt.slice(0, 10)}` : 'never expires'}, shown once:\n${created.token}`,
        );
        return created;
      }
      if (sub === 'list') {
        const tokens = await listTokens(engine);
        ctx.out.table(tokens);
        return { tokens };
      }
      if (sub === 'revoke') {
        if (!arg) throw new InputError('token revoke: expected a token ID (see `clientele token list`).');
        await revokeToken(engine, arg);
        ctx.out.line(`Revoked ${arg}.`);
        return { revoked: arg };
      }
      throw new InputError(
        `token: expected create, list or revoke, got "${sub ?? ''}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    } finally {
      await engine.close();
    }
  },
};
