import { InputError } from '../../../errors.js';
import { eraseCustomer } from '../../../store/index.js';
import type { Command } from '../command.js';
import { cliActor } from './audit.js';

export const eraseCommand: Command = {
  name: 'erase',
  summary: 'erase a person: remove their personal data everywhere and keep them out of later imports',
  usage: `Usage: clientele erase CUSTOMER_ID [--yes]

Removes the customer's personal data from every table (profile, identities, texts, features, scores,
segments' member tables, rejected rows that quote them). Orders, campaign events and service contacts stay in
the figures under a pseudonym ("erased-…", a salted hash that cannot be turned back). The audit log records
the erasure by that salted hash only, and a suppression list (hashes of the id, e-mail and phone) removes the
person again if an old export is imported later. Needs --yes: it cannot be undone.

JSON: {subject, tables[{table, rows, action}]}`,
  options: { yes: { type: 'boolean' } },
  async run(ctx) {
    const [id] = ctx.args;
    if (!id)
      throw new InputError(
        'erase: expected a CUSTOMER_ID, e.g. `clientele erase C1042 --yes`.',
        {},
        {
          code: 'INVALID_ARGUMENT',
        },
      );
    if (ctx.values.yes !== true)
      throw new InputError(
        `erase: this removes customer "${id}" for good. Add --yes to confirm.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      const result = await eraseCustomer(engine, id, cliActor());
      ctx.out.line(`Erased (audit subject ${result.subject.slice(0, 16)}…):`);
      ctx.out.table(result.tables);
      return result;
    } finally {
      await engine.close();
    }
  },
};
