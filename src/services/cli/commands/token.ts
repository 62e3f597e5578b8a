import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, list and revoke API tokens (roles: viewer, analyst, admin)',
  usage: `Usage:
  clientele token create NAME --role viewer|analyst|admin
  clientele token list
  clientele token revoke ID

Roles: viewer reads aggregates only (never personal data or exports); analyst runs analyses, creates
segments and exports; admin also imports, deletes and manages tokens. Only a hash of each token is
stored: the secret is printed once, by create.

JSON: create → {id, name, role, token}; list → {tokens[{id, name, role, createdAt, revoked}]}; revoke → {revoked}`,
  options: { role: { type: 'string' } },
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
        const created = await createToken(engine, arg, role);
        ctx.out.line(`Token for "${created.name}" (${created.role}), shown once:\n${created.token}`);
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
