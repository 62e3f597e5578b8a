/**
 * Reaction-behaviour groups: behaviours the user defines as rules over orders and campaign events
 * ("bought women's clothing within 30 days after a catalog campaign"), evaluated point in time, and the
 * customer × behaviour cross-analysis: how many customers show each behaviour, which behaviours go
 * together (co-occurrence with lift), and how they spread over RFM segments and clusters.
 */
import { type Issue, inputErrorFromIssues } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { type Dialect, ident, join, type SqlFragment, sql, tableExists } from '../../store/index.js';
import { EXCLUDED_ORDER_STATUSES, FEATURES_TABLE, featureTableAsOf } from '../features/index.js';
import { isIsoDate } from '../shared/dates.js';

export interface BehaviourRule {
  name: string;
  /** Which purchases count: a category (path prefix, case-insensitive), an order channel, promo or not. */
  purchase: { category?: string; channel?: string; promo?: boolean };
  /** The purchase must follow a campaign contact by at most `withinDays` days (same day included). */
  after?: {
    campaignChannel?: string;
    campaign?: string;
    event?: 'sent' | 'open' | 'click';
    withinDays: number;
  };
  /** Only purchases in the last N days up to asOf (default: all history). */
  lastDays?: number;
}

/** Validates behaviour rules (from JSON/YAML: a list or `{behaviours: [...]}`), reporting every issue. */
export function parseBehaviourRules(input: unknown): BehaviourRule[] {
  const list = Array.isArray(input) ? input : (input as { behaviours?: unknown } | null)?.behaviours;
  const issues: Issue[] = [];
  if (!Array.isArray(list) || list.length === 0)
    throw inputErrorFromIssues('Behaviour rules are not valid:', [
      {
        where: 'behaviours',
        message:
          'expected a non-empty list of {name, purchase: {category?, channel?, promo?}, after?: {campaignChannel?, campaign?, event?, withinDays}, lastDays?}',
      },
    ]);
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const where = `behaviours[${i}]`;
    if (typeof r.name !== 'string' || !r.name.trim())
      issues.push({ where: `${where}.name`, message: 'expected a name' });
    else if (names.has(r.name)) issues.push({ where: `${where}.name`, message: `"${r.name}" is used twice` });
    else names.add(r.name);
    const p = r.purchase as Record<string, unknown> | undefined;
    if (typeof p !== 'object' || p === null)
      issues.push({ where: `${where}.purchase`, message: 'expected {category?, channel?, promo?}' });
    else {
      for (const key of ['category', 'channel'] as const)
        if (p[key] !== undefined && (typeof p[key] !== 'string' || !(p[key] as string).trim()))
          issues.push({
            where: `${where}.purchase.${key}`,
            message: `expected text, got ${JSON.stringify(p[key])}`,
          });
      if (p.promo !== undefined && typeof p.promo !== 'boolean')
        issues.push({
          where: `${where}.purchase.promo`,
          message: `expected true or false, got ${JSON.stringify(p.promo)}`,
        });
    }
    const a = r.after as Record<string, unknown> | undefined;
    if (a !== undefined) {
      if (typeof a !== 'object' || a === null)
        issues.push({
          where: `${where}.after`,
          message: 'expected {campaignChannel?, campaign?, event?, withinDays}',
        });
      else {
        if (!Number.isInteger(a.withinDays) || (a.withinDays as number) < 0)
          issues.push({
            where: `${where}.after.withinDays`,
            message: `expected a whole number of days ≥ 0, got ${JSON.stringify(a.withinDays)}`,
          });
        if (a.event !== undefined && !['sent', 'open', 'click'].includes(a.event as string))
          issues.push({
            where: `${where}.after.event`,
            message: `expected sent, open or click, got ${JSON.stringify(a.event)}`,
          });
      }
    }
    if (r.lastDays !== undefined && (!Number.isInteger(r.lastDays) || (r.lastDays as number) < 1))
      issues.push({
        where: `${where}.lastDays`,
        message: `expected a whole number ≥ 1, got ${JSON.stringify(r.lastDays)}`,
      });
  });
  if (issues.length) throw inputErrorFromIssues('Behaviour rules are not valid:', issues);
  return list as BehaviourRule[];
}

/** Customers showing one behaviour up to asOf (distinct customer_id). */
export function behaviourSql(dialect: Dialect, rule: BehaviourRule, asOf: string): SqlFragment {
  const day = dialect.dateParam(asOf);
  const conds: SqlFragment[] = [
    sql`o.order_date <= ${day}`,
    sql`lower(coalesce(o.status, 'completed')) NOT IN (${join(EXCLUDED_ORDER_STATUSES.map((s) => sql`${s}`))})`,
  ];
  const joins: SqlFragment[] = [];
  if (rule.lastDays) conds.push(sql`o.order_date > ${dialect.addDays(day, sql`${-rule.lastDays}`)}`);
  if (rule.purchase.channel) conds.push(sql`lower(o.channel) = lower(${rule.purchase.channel})`);
  if (rule.purchase.promo !== undefined)
    conds.push(
      rule.purchase.promo
        ? sql`(o.promo_code IS NOT NULL OR o.discount > 0)`
        : sql`(o.promo_code IS NULL AND o.discount <= 0)`,
    );
  if (rule.purchase.category) {
    const cat = rule.purchase.category.trim().toLowerCase();
    joins.push(sql`JOIN order_lines l ON l.order_id = o.order_id JOIN products p ON p.sku = l.sku`);
    conds.push(sql`substr(lower(p.category_path), 1, ${cat.length}) = ${cat}`);
  }
  if (rule.after) {
    const a = rule.after;
    joins.push(sql`JOIN campaign_events e ON e.customer_id = o.customer_id AND e.event_type = ${a.event ?? 'sent'}
      AND CAST(e.event_time AS DATE) <= o.order_date
      AND o.order_date <= ${dialect.addDays(sql`CAST(e.event_time AS DATE)`, sql`${a.withinDays}`)}`);
    if (a.campaignChannel || a.campaign) joins.push(sql`JOIN campaigns c ON c.campaign_id = e.campaign_id`);
    if (a.campaignChannel) conds.push(sql`lower(c.channel) = lower(${a.campaignChannel})`);
    if (a.campaign) conds.push(sql`(c.campaign_id = ${a.campaign} OR c.name = ${a.campaign})`);
  }
  return sql`SELECT DISTINCT o.customer_id FROM orders o ${join(joins, ' ')} WHERE o.customer_id IS NOT NULL AND ${join(conds, ' AND ')}`;
}

export interface BehaviourAnalysis {
  asOf: string;
  customers: number;
  behaviours: { name: string; customers: number; share: number }[];
  /** Pairs of behaviours: both, and lift = P(A∧B) ÷ (P(A)·P(B)). */
  cooccurrence: { a: string; b: string; both: number; lift: number | null }[];
  /** Customers with each behaviour per group (RFM segment, cluster): counts and share within the group. */
  byGroup: {
    dimension: 'rfm_segment' | 'cluster';
    group: string;
    customers: number;
    behaviours: Record<string, number>;
  }[];
}

/** Evaluates behaviour rules for every customer of the feature table and cross-analyses them. */
export async function analyseBehaviours(
  engine: Engine,
  rules: readonly BehaviourRule[],
  options: { asOf?: string } = {},
): Promise<BehaviourAnalysis> {
  const checked = parseBehaviourRules(rules);
  const asOf = options.asOf ?? (await featureTableAsOf(engine));
  if (!asOf || !isIsoDate(asOf))
    throw inputErrorFromIssues('Behaviour analysis needs a date:', [
      {
        where: 'asOf',
        message: 'build the feature table first (clientele features build) or pass --as-of YYYY-MM-DD',
      },
    ]);
  const flags = checked.map((_, i) => ident(`x${i}`));
  const ctes = checked.map(
    (rule, i) => sql`${ident(`b${i}`)} AS (${behaviourSql(engine.dialect, rule, asOf)})`,
  );
  const flagCols = checked.map((_, i) => sql`${ident(`b${i}`)}.customer_id IS NOT NULL AS ${flags[i]}`);
  const flagJoins = checked.map(
    (_, i) => sql`LEFT JOIN ${ident(`b${i}`)} ON ${ident(`b${i}`)}.customer_id = f.customer_id`,
  );
  const groupCols: SqlFragment[] = [];
  const groupJoins: SqlFragment[] = [];
  const dims: ('rfm_segment' | 'cluster')[] = [];
  if (await tableExists(engine, 'customer_rfm')) {
    groupCols.push(sql`coalesce(r.rfm_segment, 'No purchase') AS rfm_segment`);
    groupJoins.push(sql`LEFT JOIN customer_rfm r ON r.customer_id = f.customer_id`);
    dims.push('rfm_segment');
  }
  if (await tableExists(engine, 'customer_clusters')) {
    groupCols.push(sql`coalesce(cl.cluster_name, '(not clustered)') AS cluster`);
    groupJoins.push(sql`LEFT JOIN customer_clusters cl ON cl.customer_id = f.customer_id`);
    dims.push('cluster');
  }
  const base = sql`WITH ${join(ctes)}, flags AS (
    SELECT f.customer_id, ${join([...flagCols, ...groupCols])}
    FROM ${ident(FEATURES_TABLE)} f ${join([...flagJoins, ...groupJoins], ' ')})`;
  const pairSums: SqlFragment[] = [];
  for (let i = 0; i < checked.length; i++)
    for (let j = i; j < checked.length; j++)
      pairSums.push(
        sql`sum(CASE WHEN ${flags[i]} AND ${flags[j]} THEN 1 ELSE 0 END) AS ${ident(`p${i}_${j}`)}`,
      );
  const [totals] = await engine.query(sql`${base} SELECT count(*) AS n, ${join(pairSums)} FROM flags`);
  const t = totals ?? {};
  const n = Number(t.n ?? 0);
  const single = (i: number) => Number(t[`p${i}_${i}`] ?? 0);
  const cooccurrence: BehaviourAnalysis['cooccurrence'] = [];
  for (let i = 0; i < checked.length; i++)
    for (let j = i + 1; j < checked.length; j++) {
      const both = Number(t[`p${i}_${j}`] ?? 0);
      const denom = single(i) * single(j);
      cooccurrence.push({
        a: checked[i]!.name,
        b: checked[j]!.name,
        both,
        lift: denom ? (both * n) / denom : null,
      });
    }
  const byGroup: BehaviourAnalysis['byGroup'] = [];
  for (const dim of dims) {
    const sums = checked.map(
      (_, i) => sql`sum(CASE WHEN ${flags[i]} THEN 1 ELSE 0 END) AS ${ident(`s${i}`)}`,
    );
    const rows = await engine.query(
      sql`${base} SELECT ${ident(dim)} AS g, count(*) AS n, ${join(sums)} FROM flags GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    for (const r of rows)
      byGroup.push({
        dimension: dim,
        group: String(r.g),
        customers: Number(r.n),
        behaviours: Object.fromEntries(checked.map((rule, i) => [rule.name, Number(r[`s${i}`] ?? 0)])),
      });
  }
  return {
    asOf,
    customers: n,
    behaviours: checked.map((rule, i) => ({
      name: rule.name,
      customers: single(i),
      share: n ? single(i) / n : 0,
    })),
    cooccurrence,
    byGroup,
  };
}
