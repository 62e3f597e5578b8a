import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { POLICY_REASONS, parsePolicy, policyReasonSql } from '../../../analytics/campaigns/index.js';
import {
  countSegment,
  createSegment,
  deleteSegment,
  exportSegment,
  listSegments,
  profileSegment,
} from '../../../analytics/segments/index.js';
import { fieldLabel } from '../../../analytics/shared/field-labels.js';
import { ConfigError, InputError } from '../../../errors.js';
import { appendAudit, type Dialect, ensureAuditLog } from '../../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { pct } from './analytics-args.js';
import { cliActor } from './audit.js';

const SUBCOMMANDS = ['count', 'create', 'list', 'show', 'export', 'delete'] as const;

export const segmentCommand: Command = {
  name: 'segment',
  summary: 'count, store, profile and export customer segments (filter language)',
  usage: `Usage: clientele segment count  "EXPR" [--sql] [--json]
       clientele segment create NAME "EXPR" [--description TEXT] [--json]
       clientele segment list [--json]
       clientele segment show   NAME [--json]          (or: segment show --expr "EXPR")
       clientele segment export NAME --format csv|xlsx --channel email|sms|phone|post --out FILE [--pseudonymise] [--header-labels]
                                [--with COLUMNS] [--all-fields]
                                [--policy FILE [--campaign ID] [--send-at DATETIME]] [--json]
       clientele segment delete NAME [--json]

EXPR is the segment language (docs/segments.md) over customer_features, RFM scores and customers:
  gender = 'f' and age between 25 and 40 and income_band in ('high', 'very high')
  last_order >= today - 90d and orders >= 2 and email_open_rate > 0.2
  rfm_segment in ('Champions', 'Loyal') or postcode starts with ('10', '11')
"today" is the feature table's as-of date. Build the table first: clientele features build --as-of DATE.

--pseudonymise writes a pseudonym (keyed hash, new key per file) instead of the id and leaves out names,
e-mail, phone and street: for sharing a segment for analysis. Every export is written to the audit log.
--header-labels writes the header row in plain labels of --lang (field dictionary) instead of column names.
An export holds the channel's own fields: email → customer_id, first_name, last_name, email; sms → customer_id,
first_name, phone; phone → customer_id, first_name, last_name, phone; post → customer_id, first_name, last_name,
street, postcode, city, country. --all-fields writes every contact field; --with churn_risk,clv_tier,rfm_segment
adds columns of the feature table (scores, segments) after them.
export leaves out members who may not be contacted on --channel (no consent, no address, unsubscribed)
and counts them. With --policy (a contact policy, YAML or JSON: per-channel caps {max, windowDays,
minGapHours}, a total cap, priorityCampaigns; docs/campaigns.md) it also leaves out, by reason, members who
already had their --channel cap of sends in the window before --send-at (default: now), the total cap, or a
send within the minimum gap (over_channel_cap, over_total_cap, too_soon); --campaign names the campaign the
export is for, and a priority campaign may exceed the caps (never consent).

JSON (count): count, total, share, asOf, expression (canonical form), sql (with --sql)
JSON (create): name, definition, count, total, share, asOf, replaced
JSON (list): segments[{name, definition, description, createdAt, updatedAt, lastSize, lastAsOf}]
JSON (show): name, definition, asOf, size, total, share, revenueShare, marginShare,
  averages[{column, segment, base, lift}], distinctions[{attribute, value?, segment, base, lift, effect, inDefinition}],
  history[{asOf, measuredAt, size, total}]
JSON (export): name, channel, format, path, asOf, size, exported, excluded{noConsent, noAddress, unsubscribed,
  policy{over_channel_cap, over_total_cap, too_soon}}
JSON (delete): deleted`,
  options: {
    sql: { type: 'boolean', default: false },
    description: { type: 'string' },
    expr: { type: 'string' },
    format: { type: 'string' },
    channel: { type: 'string' },
    out: { type: 'string' },
    policy: { type: 'string' },
    campaign: { type: 'string' },
    'send-at': { type: 'string' },
    pseudonymise: { type: 'boolean', default: false },
    'header-labels': { type: 'boolean', default: false },
    'all-fields': { type: 'boolean', default: false },
    with: { type: 'string' },
  },
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
      throw new InputError(
        `clientele segment: expected a subcommand (${SUBCOMMANDS.join(', ')}), got ${sub ? `"${sub}"` : 'nothing'}. Example: clientele segment count "age > 30"`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const engine = await ctx.openDb();
    try {
      switch (sub) {
        case 'count': {
          const expr = needArg(
            rest.join(' '),
            'an expression, e.g. clientele segment count "age > 30 and orders >= 2"',
          );
          const result = await countSegment(engine, expr, { includeSql: ctx.values.sql === true });
          ctx.out.line(
            `${ctx.out.fmt.int(result.count)} of ${ctx.out.fmt.int(result.total)} customer records (${pct(result.share)}) as of ${result.asOf}: ${result.expression}`,
          );
          for (const w of result.warnings) ctx.out.line(`Warning: ${w}`);
          if (result.sql) ctx.out.line(`\n${result.sql}`);
          return result;
        }
        case 'create': {
          const name = needArg(rest[0], 'a segment name');
          const expr = needArg(rest.slice(1).join(' '), 'an expression after the name');
          const { segment, count, replaced } = await createSegment(engine, {
            name,
            expression: expr,
            description: ctx.values.description as string | undefined,
            now: new Date(),
          });
          ctx.out.line(
            `${replaced ? 'Updated' : 'Created'} segment "${segment.name}": ${ctx.out.fmt.int(count.count)} of ${ctx.out.fmt.int(count.total)} customers (${pct(count.share)}) as of ${count.asOf}.`,
          );
          return { name: segment.name, definition: segment.definition, ...count, replaced };
        }
        case 'list': {
          const segments = await listSegments(engine);
          if (segments.length === 0)
            ctx.out.line('No segments yet. Create one: clientele segment create NAME "EXPR"');
          else
            ctx.out.table(
              segments.map((s) => ({
                name: s.name,
                size: s.lastSize,
                'as of': s.lastAsOf,
                definition: s.definition,
              })),
            );
          return { segments };
        }
        case 'show': {
          const profile =
            ctx.values.expr !== undefined
              ? await profileSegment(engine, { expression: String(ctx.values.expr) })
              : await profileSegment(engine, {
                  name: needArg(rest[0], 'a segment name (or --expr "EXPR")'),
                  now: new Date(),
                });
          printProfile(ctx, profile);
          return profile;
        }
        case 'export': {
          const name = needArg(rest[0], 'a segment name');
          const result = await exportSegment(engine, {
            name,
            format: String(ctx.values.format ?? 'csv'),
            channel: ctx.values.channel as string,
            path:
              (ctx.values.out as string) ??
              `${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.${ctx.values.format ?? 'csv'}`,
            ...policyExclusion(ctx, engine.dialect),
            pseudonymise: ctx.values.pseudonymise === true,
            ...(ctx.values['header-labels'] === true ? { headerLabels: ctx.lang } : {}),
            fields: ctx.values['all-fields'] === true ? 'all' : 'channel',
            ...(typeof ctx.values.with === 'string' ? { with: ctx.values.with.split(',') } : {}),
          });
          // Every export of personal data is audited, from the CLI too (issue 19).
          await ensureAuditLog(engine);
          await appendAudit(engine, cliActor(), 'segment.export', name, {
            channel: result.channel,
            format: result.format,
            exported: result.exported,
            pseudonymised: ctx.values.pseudonymise === true,
          });
          const x = result.excluded;
          const policy = Object.entries(x.policy)
            .map(([reason, n]) => `, ${n} ${reason.replaceAll('_', ' ')}`)
            .join('');
          ctx.out.line(
            `Exported ${ctx.out.fmt.int(result.exported)} of ${ctx.out.fmt.int(result.size)} members of "${name}" to ${result.path} (${result.channel}). Left out: ${x.noConsent} without ${result.channel} consent, ${x.noAddress} without an address${result.channel === 'email' ? `, ${x.unsubscribed} unsubscribed` : ''}${policy}.`,
          );
          return result;
        }
        default: {
          const name = needArg(rest[0], 'a segment name');
          await deleteSegment(engine, name);
          ctx.out.line(`Deleted segment "${name}".`);
          return { deleted: name };
        }
      }
    } finally {
      await engine.close();
    }
  },
};

function needArg(value: string | undefined, what: string): string {
  if (!value || !value.trim())
    throw new InputError(
      `clientele segment: expected ${what}, got nothing.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return value;
}

function printProfile(ctx: CommandContext, p: Awaited<ReturnType<typeof profileSegment>>): void {
  ctx.out.line(`${p.name ? `Segment "${p.name}"` : 'Expression'}: ${p.definition}  (as of ${p.asOf})`);
  ctx.out.line(
    `Size ${ctx.out.fmt.int(p.size)} of ${ctx.out.fmt.int(p.total)} (${pct(p.share)}); revenue share ${pct(p.revenueShare)}; margin share ${p.marginShare === null ? 'n/a (no unit costs)' : pct(p.marginShare)}`,
  );
  ctx.out.line('\nWhat distinguishes it (standardised difference to the whole base):');
  ctx.out.table(
    p.distinctions.map((d) => ({
      attribute:
        d.value === undefined
          ? fieldLabel(d.attribute, ctx.lang)
          : `${fieldLabel(d.attribute, ctx.lang)} = ${d.value}`,
      segment: Number(d.segment.toPrecision(4)),
      base: Number(d.base.toPrecision(4)),
      lift: d.lift === null ? null : Number(d.lift.toFixed(2)),
      effect: Number(d.effect.toFixed(2)),
      note: d.inDefinition ? 'in definition' : '',
    })),
  );
  const key = [
    'orders',
    'revenue',
    'aov',
    'recency_days',
    'tenure_days',
    'gross_margin',
    'promo_share',
    'return_rate',
    'email_open_rate',
    'age',
  ];
  ctx.out.line('\nAverages, segment vs base:');
  ctx.out.table(
    p.averages
      .filter((a) => key.includes(a.column))
      .map((a) => ({
        column: fieldLabel(a.column, ctx.lang),
        segment: a.segment === null ? null : Number(a.segment.toPrecision(4)),
        base: a.base === null ? null : Number(a.base.toPrecision(4)),
        lift: a.lift === null ? null : Number(a.lift.toFixed(2)),
      })),
  );
  if (p.history.length > 1) {
    ctx.out.line('\nSize history:');
    ctx.out.table(
      p.history.map((h) => ({ 'as of': h.asOf, measured: h.measuredAt, size: h.size, total: h.total })),
    );
  }
}

/** The contact-policy exclusion of `segment export --policy FILE [--campaign ID] [--send-at T]`. */
function policyExclusion(ctx: CommandContext, dialect: Dialect) {
  const file = ctx.values.policy;
  if (file === undefined) {
    if (ctx.values.campaign !== undefined || ctx.values['send-at'] !== undefined)
      throw new InputError(
        '--campaign and --send-at apply with --policy FILE (the contact policy to enforce).',
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    return {};
  }
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(String(file), 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `--policy ${file}: expected a readable YAML or JSON contact policy (${(error as Error).message}).`,
      { file: String(file) },
      { cause: error },
    );
  }
  const policy = parsePolicy(raw);
  const sendAtRaw = ctx.values['send-at'];
  const sendAt =
    sendAtRaw === undefined
      ? new Date().toISOString().slice(0, 19).replace('T', ' ')
      : String(sendAtRaw).replace('T', ' ');
  if (
    !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(sendAt) ||
    Number.isNaN(Date.parse(sendAt.replace(' ', 'T')))
  )
    throw new InputError(
      `--send-at: expected a date or date-time (2026-07-01 or 2026-07-01T09:00), got ${JSON.stringify(sendAtRaw)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const channel = String(ctx.values.channel ?? '');
  const campaign = ctx.values.campaign === undefined ? null : String(ctx.values.campaign);
  return {
    exclusion: {
      reasons: POLICY_REASONS,
      reasonSql: (customerId: Parameters<typeof policyReasonSql>[2]['customerId']) =>
        policyReasonSql(dialect, policy, { channel, campaign, sendAt, customerId }),
    },
  };
}
