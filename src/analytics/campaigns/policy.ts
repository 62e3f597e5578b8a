/**
 * Contact policy (marketing pressure caps): per channel at most `max` sends in a rolling `windowDays`, at
 * least `minGapHours` between two sends, an optional cap over all channels, priority campaigns that may
 * exceed the caps (never consent), enforced in SQL when a segment is exported for a campaign.
 *
 * ```yaml
 * channels:
 *   email: { max: 4, windowDays: 30, minGapHours: 48 }
 *   sms: { max: 2, windowDays: 30 }
 * total: { max: 6, windowDays: 30 }
 * priorityCampaigns: [EM-2611-BLACKWEEK]
 * ```
 */
import { type Issue, inputErrorFromIssues } from '../../errors.js';
import type { Dialect, SqlFragment } from '../../store/index.js';
import { sql } from '../../store/index.js';

export interface ChannelCap {
  /** Most sends in the rolling window (the new one included: `max` sends allowed, the max+1-th refused). */
  max: number;
  windowDays: number;
  /** Fewest hours since the previous send on this channel (0 = no gap rule). */
  minGapHours: number;
}

export interface ContactPolicy {
  channels: Record<string, ChannelCap>;
  /** Cap over all channels together (null = none). */
  total: { max: number; windowDays: number } | null;
  /** Campaign ids that may exceed the caps and the gap (consent still applies). */
  priorityCampaigns: string[];
}

/** Why a contact is held back by the policy, in the order checked. */
export const POLICY_REASONS = ['over_channel_cap', 'over_total_cap', 'too_soon'] as const;
export type PolicyReason = (typeof POLICY_REASONS)[number];

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

function wholeNumber(v: unknown, where: string, min: number, max: number, issues: Issue[]): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    issues.push({
      where,
      message: `expected a whole number ${min}–${max}, got ${JSON.stringify(v ?? null)}`,
    });
    return min;
  }
  return v;
}

/** Validates a policy (parsed from YAML or JSON), reporting every bad field at once. */
export function parsePolicy(input: unknown): ContactPolicy {
  const issues: Issue[] = [];
  if (!isBag(input))
    throw inputErrorFromIssues('Contact policy is not valid:', [
      { where: '(root)', message: 'expected an object with channels, total, priorityCampaigns' },
    ]);
  for (const key of Object.keys(input))
    if (!['channels', 'total', 'priorityCampaigns'].includes(key))
      issues.push({ where: key, message: 'unknown setting; expected channels, total or priorityCampaigns' });
  const channels: Record<string, ChannelCap> = {};
  if (input.channels !== undefined && !isBag(input.channels))
    issues.push({ where: 'channels', message: 'expected an object keyed by channel (email, sms …)' });
  for (const [name, raw] of Object.entries(isBag(input.channels) ? input.channels : {})) {
    if (!isBag(raw)) {
      issues.push({ where: `channels.${name}`, message: 'expected { max, windowDays, minGapHours? }' });
      continue;
    }
    channels[name] = {
      max: wholeNumber(raw.max, `channels.${name}.max`, 0, 10_000, issues),
      windowDays: wholeNumber(raw.windowDays ?? 30, `channels.${name}.windowDays`, 1, 3650, issues),
      minGapHours: wholeNumber(raw.minGapHours ?? 0, `channels.${name}.minGapHours`, 0, 24 * 365, issues),
    };
  }
  let total: ContactPolicy['total'] = null;
  if (input.total !== undefined && input.total !== null) {
    if (!isBag(input.total)) issues.push({ where: 'total', message: 'expected { max, windowDays }' });
    else
      total = {
        max: wholeNumber(input.total.max, 'total.max', 0, 10_000, issues),
        windowDays: wholeNumber(input.total.windowDays ?? 30, 'total.windowDays', 1, 3650, issues),
      };
  }
  const priority = input.priorityCampaigns ?? [];
  if (!Array.isArray(priority) || !priority.every((p) => typeof p === 'string'))
    issues.push({ where: 'priorityCampaigns', message: 'expected a list of campaign ids' });
  if (!Object.keys(channels).length && !total)
    issues.push({ where: 'channels', message: 'expected at least one cap (a channel or total)' });
  if (issues.length) throw inputErrorFromIssues('Contact policy is not valid:', issues);
  return { channels, total, priorityCampaigns: Array.isArray(priority) ? (priority as string[]) : [] };
}

/**
 * A SQL expression giving each contact's policy reason (NULL = may be contacted) for a send on `channel` at
 * `sendAt`, over the relation whose customer id column is `customerId`. Prior sends are the `sent` events of
 * campaign_events before sendAt (on the channel of their campaign); a priority campaign is never held back.
 */
export function policyReasonSql(
  d: Dialect,
  policy: ContactPolicy,
  options: { channel: string; campaign: string | null; sendAt: string; customerId: SqlFragment },
): SqlFragment {
  if (options.campaign !== null && policy.priorityCampaigns.includes(options.campaign))
    return sql`CAST(NULL AS VARCHAR)`;
  const at = sql`CAST(${options.sendAt} AS TIMESTAMP)`;
  const cap = policy.channels[options.channel];
  const sends = (days: number, sameChannel: boolean) => sql`(SELECT count(*) FROM campaign_events pe
      JOIN campaigns pc ON pc.campaign_id = pe.campaign_id
      WHERE pe.customer_id = ${options.customerId} AND pe.event_type = 'sent'
        ${sameChannel ? sql`AND pc.channel = ${options.channel}` : sql``}
        AND pe.event_time >= ${d.addDaysToTimestamp(at, sql`${-days}`)} AND pe.event_time < ${at})`;
  const whens: SqlFragment[] = [];
  if (cap) whens.push(sql`WHEN ${sends(cap.windowDays, true)} >= ${cap.max} THEN 'over_channel_cap'`);
  if (policy.total)
    whens.push(
      sql`WHEN ${sends(policy.total.windowDays, false)} >= ${policy.total.max} THEN 'over_total_cap'`,
    );
  if (cap && cap.minGapHours > 0)
    whens.push(sql`WHEN EXISTS (SELECT 1 FROM campaign_events ge JOIN campaigns gc ON gc.campaign_id = ge.campaign_id
        WHERE ge.customer_id = ${options.customerId} AND ge.event_type = 'sent' AND gc.channel = ${options.channel}
          AND ge.event_time < ${at}
          AND ge.event_time > ${at} - INTERVAL (${cap.minGapHours}) HOUR) THEN 'too_soon'`);
  if (!whens.length) return sql`CAST(NULL AS VARCHAR)`;
  return sql`(CASE ${whens.reduce((a, b) => sql`${a} ${b}`)} ELSE NULL END)`;
}
