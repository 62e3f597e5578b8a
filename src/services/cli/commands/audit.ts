import { userInfo } from 'node:os';
import { isIsoDate } from '../../../analytics/shared/dates.js';
import { InputError } from '../../../errors.js';
import {
  applyRetention,
  ensureAuditLog,
  ensureSystemTables,
  getSetting,
  SETTING_DEFAULTS,
  type SettingKey,
  setSetting,
  verifyAudit,
} from '../../../store/index.js';
import type { Command } from '../command.js';

/** The CLI's actor in the audit log: the operating-system user. */
export function cliActor(): { id: string; name: string; role: string } {
  let name = 'cli';
  try {
    name = `cli:${userInfo().username}`;
  } catch {
    // no passwd entry (containers): keep "cli"
  }
  return { id: '', name, role: 'cli' };
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check the hash-chained audit log (`audit verify`) or list its last entries',
  usage: `Usage:
  clientele audit verify          check every entry's hash and link; exit 1 when the chain is broken
  clientele audit list [--limit N]

The audit log is append-only: every entry holds the hash of the one before, so a changed, removed or
reordered entry breaks the chain from there on. Keep the printed head (seq and hash) elsewhere to also
detect a truncated tail (docs/security.md).

JSON: verify → {ok, entries, head{seq, hash}, firstBad{seq, reason}}; list → {entries[…]}`,
  options: { limit: { type: 'string' } },
  async run(ctx) {
    const [sub] = ctx.args;
    const engine = await ctx.openDb();
    try {
      await ensureAuditLog(engine);
      if (sub === 'verify') {
        const result = await verifyAudit(engine);
        if (result.ok) {
          ctx.out.line(
            `Audit log intact: ${result.entries} entries; head #${result.head?.seq ?? 0} ${result.head?.hash ?? '-'}`,
          );
          return result;
        }
        ctx.out.line(`Audit log BROKEN at entry #${result.firstBad?.seq}: ${result.firstBad?.reason}.`);
        if (ctx.json) return result;
        throw new InputError(
          `audit verify: the chain breaks at entry #${result.firstBad?.seq}: ${result.firstBad?.reason}. Restore the datamart from a backup and compare.`,
          { ...result },
          { code: 'CONFLICT' },
        );
      }
      if (sub === 'list') {
        const limit = Number(ctx.values.limit ?? 50);
        const { sql } = await import('../../../store/index.js');
        const entries = await engine.query(
          sql`SELECT seq, logged_at, token_name, role, action, target, details FROM audit_log
              ORDER BY seq DESC LIMIT ${Number.isInteger(limit) && limit > 0 ? limit : 50}`,
        );
        ctx.out.table(entries);
        return { entries };
      }
      throw new InputError(
        `audit: expected verify or list, got "${sub ?? ''}".`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    } finally {
      await engine.close();
    }
  },
};

export const settingsCommand: Command = {
  name: 'settings',
  summary: 'show or change privacy and limit settings (minimum cell size, retention, viewer limits)',
  usage: `Usage:
  clientele settings                   list every setting with its value
  clientele settings set KEY VALUE     e.g. clientele settings set min_cell_size 20
  clientele settings apply-retention [--as-of DATE]
                                       drop events older than retention_months (orders and their lines,
                                       campaign events, service contacts, texts), counted from DATE (today)

Keys: ${Object.keys(SETTING_DEFAULTS).join(', ')} (docs/security.md says what each does).

JSON: {settings{key: value}}; apply-retention → {months, cutoff, tables[{table, rows}]}`,
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    const [sub, key, value] = ctx.args;
    const engine = await ctx.openDb();
    try {
      await ensureSystemTables(engine);
      if (sub === 'set') {
        if (!key || value === undefined)
          throw new InputError(
            'settings set: expected KEY VALUE, e.g. `clientele settings set min_cell_size 20`.',
            {},
            {
              code: 'INVALID_ARGUMENT',
            },
          );
        await setSetting(engine, key, value);
        await ensureAuditLog(engine);
        const { appendAudit } = await import('../../../store/index.js');
        await appendAudit(engine, cliActor(), 'settings.set', key, { value });
      } else if (sub === 'apply-retention') {
        const asOf = (ctx.values['as-of'] as string | undefined) ?? new Date().toISOString().slice(0, 10);
        if (!isIsoDate(asOf))
          throw new InputError(
            `--as-of: expected a date YYYY-MM-DD, got "${asOf}".`,
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        const result = await applyRetention(engine, asOf);
        await ensureAuditLog(engine);
        const { appendAudit } = await import('../../../store/index.js');
        await appendAudit(engine, cliActor(), 'retention.apply', result.cutoff, { ...result });
        ctx.out.line(
          result.cutoff
            ? `Dropped events before ${result.cutoff} (${result.months} months):`
            : 'retention_months is 0: nothing dropped.',
        );
        ctx.out.table(result.tables);
        return result;
      } else if (sub !== undefined) {
        throw new InputError(
          `settings: expected "set", "apply-retention" or nothing, got "${sub}".`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      }
      const settings: Record<string, string> = {};
      for (const k of Object.keys(SETTING_DEFAULTS)) settings[k] = await getSetting(engine, k as SettingKey);
      ctx.out.table(Object.entries(settings).map(([k, v]) => ({ key: k, value: v })));
      return { settings };
    } finally {
      await engine.close();
    }
  },
};
