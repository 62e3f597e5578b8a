/**
 * Interests from campaign keywords: every campaign's `keywords` × each contact's response to it (a click or a
 * conversion, per delivered campaign), decayed with a half-life and shrunk toward the keyword's population
 * response rate, give an interest per contact and keyword:
 *
 *   g_c      = (Σ_k resp_ck + m) / (Σ_k exp_ck·r̄_k + m)            the contact's general reactivity (1 = average)
 *   rate_ck  = (resp_ck + m·r̄_k·g_c) / (exp_ck + m),   resp, exp = Σ 2^(−age/halfLife) over responded / delivered
 *   index_ck = rate_ck / (r̄_k·g_c)    (1 = as responsive to k as to anything else; no evidence → 1)
 *   interest = index / (1 + index)    (0–1; 0.5 = no preference, 0.67 = twice the contact's usual response)
 *
 * A multiplicative model (contact reactivity × keyword rate × interest), so that appetite for a theme is not
 * confused with general reactivity: a contact who clicks everything has no particular interest. m
 * (`priorStrength`, default 3) is the weight of the prior in decayed deliveries. Everything runs in
 * SQL; `save` writes `customer_interests` (one `interest_<keyword>` column per keyword, usable in segments
 * such as `interest_fashion > 0.6`, plus `top_interests`).
 */
import { InputError } from '../../errors.js';
import type { Dialect, Engine, SqlFragment } from '../../store/index.js';
import { ident, join, sql } from '../../store/index.js';
import { isIsoDate } from '../shared/dates.js';

/** With `save`: one row per (contact, keyword): exposure, response, campaigns, responses, rates, interest. */
export const INTERESTS_LONG_TABLE = 'customer_interests_long';
export const INTERESTS_TABLE = 'customer_interests';

export interface InterestOptions {
  asOf: string;
  /** Days of history (default 730). */
  windowDays?: number;
  /** Half-life of the decay in days (default 180). */
  halfLifeDays?: number;
  /** Weight of the population rate, in decayed deliveries (default 3). */
  priorStrength?: number;
  /** Keywords kept (most campaigns first; default 100). */
  maxKeywords?: number;
  /** How many top interests per contact are listed (default 3). */
  top?: number;
}

interface Resolved {
  asOf: string;
  windowDays: number;
  halfLifeDays: number;
  priorStrength: number;
  maxKeywords: number;
  top: number;
}

function resolve(o: InterestOptions): Resolved {
  const r = {
    asOf: o.asOf,
    windowDays: o.windowDays ?? 730,
    halfLifeDays: o.halfLifeDays ?? 180,
    priorStrength: o.priorStrength ?? 3,
    maxKeywords: o.maxKeywords ?? 100,
    top: o.top ?? 3,
  };
  const issues: string[] = [];
  if (!isIsoDate(r.asOf)) issues.push(`asOf: expected a date YYYY-MM-DD, got ${JSON.stringify(r.asOf)}`);
  if (!Number.isInteger(r.windowDays) || r.windowDays < 7 || r.windowDays > 3650)
    issues.push(`windowDays: expected a whole number 7–3650, got ${r.windowDays}`);
  if (!(r.halfLifeDays >= 1 && r.halfLifeDays <= 3650))
    issues.push(`halfLifeDays: expected 1–3650 days, got ${r.halfLifeDays}`);
  if (!(r.priorStrength > 0 && r.priorStrength <= 1000))
    issues.push(`priorStrength: expected a number in (0, 1000], got ${r.priorStrength}`);
  if (!Number.isInteger(r.maxKeywords) || r.maxKeywords < 1 || r.maxKeywords > 500)
    issues.push(`maxKeywords: expected 1–500, got ${r.maxKeywords}`);
  if (!Number.isInteger(r.top) || r.top < 1 || r.top > 20) issues.push(`top: expected 1–20, got ${r.top}`);
  if (issues.length) throw new InputError(`Interest settings are not valid:\n  - ${issues.join('\n  - ')}`);
  return r;
}

/** A keyword as a column-name suffix: lower case, runs of other characters → `_` (`black friday` → `black_friday`). */
export function keywordSlug(keyword: string): string {
  return keyword
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function end(d: Dialect, asOf: string): SqlFragment {
  return sql`CAST(${d.addDays(d.dateParam(asOf), sql`1`)} AS TIMESTAMP)`;
}

/** Long form: one row per (contact, keyword) with exposure, response, rate, index and interest. */
export function interestsLongSql(d: Dialect, o: Resolved): SqlFragment {
  const to = end(d, o.asOf);
  const from = d.addDaysToTimestamp(to, sql`${-o.windowDays}`);
  const m = o.priorStrength;
  return sql`WITH kw AS (
      SELECT DISTINCT campaign_id, lower(trim(keyword)) AS keyword
      FROM (SELECT campaign_id, unnest(keywords) AS keyword FROM campaigns) x
      WHERE keyword IS NOT NULL AND trim(keyword) <> ''),
    funnel AS (
      SELECT e.customer_id AS customer_id, e.campaign_id AS campaign_id, min(e.event_time) AS t,
        CASE WHEN (max(CASE WHEN e.event_type = 'sent' THEN 1 ELSE 0 END) = 1
            AND max(CASE WHEN e.event_type = 'bounce' THEN 1 ELSE 0 END) = 0)
          OR max(CASE WHEN e.event_type IN ('open', 'click', 'conversion') THEN 1 ELSE 0 END) = 1
          THEN 1 ELSE 0 END AS delivered,
        max(CASE WHEN e.event_type IN ('click', 'conversion') THEN 1 ELSE 0 END) AS responded
      FROM campaign_events e
      WHERE e.event_type IN ('sent', 'bounce', 'open', 'click', 'conversion')
        AND e.event_time >= ${from} AND e.event_time < ${to}
        AND e.campaign_id IN (SELECT campaign_id FROM kw)
      GROUP BY e.customer_id, e.campaign_id),
    per AS (
      SELECT f.customer_id AS customer_id, kw.keyword AS keyword,
        sum(f.delivered * pow(0.5, ${d.dateDiffDays(sql`f.t`, to)} / ${o.halfLifeDays})) AS exposure,
        sum(f.responded * pow(0.5, ${d.dateDiffDays(sql`f.t`, to)} / ${o.halfLifeDays})) AS response,
        count(*) AS campaigns, sum(f.responded) AS responses
      FROM funnel f JOIN kw ON kw.campaign_id = f.campaign_id
      WHERE f.delivered = 1
      GROUP BY f.customer_id, kw.keyword),
    pop AS (
      SELECT keyword, ${d.safeDivide(sql`sum(response)`, sql`sum(exposure)`)} AS rate, count(*) AS contacts
      FROM per GROUP BY keyword HAVING sum(response) > 0),
    ranked AS (
      SELECT keyword FROM pop ORDER BY contacts DESC, keyword LIMIT ${o.maxKeywords}),
    person AS (
      SELECT per.customer_id AS customer_id,
        (sum(per.response) + ${m}) / (sum(per.exposure * pop.rate) + ${m}) AS reactivity
      FROM per JOIN pop ON pop.keyword = per.keyword GROUP BY per.customer_id),
    scored AS (
      SELECT per.customer_id AS customer_id, per.keyword AS keyword, per.exposure AS exposure,
        per.response AS response, per.campaigns AS campaigns, per.responses AS responses,
        pop.rate AS population_rate, person.reactivity AS reactivity,
        (per.response + ${m} * pop.rate * person.reactivity) / (per.exposure + ${m})
          / (pop.rate * person.reactivity) AS interest_index
      FROM per JOIN pop ON pop.keyword = per.keyword JOIN ranked ON ranked.keyword = per.keyword
        JOIN person ON person.customer_id = per.customer_id)
    SELECT customer_id, keyword, exposure, response, campaigns, responses, population_rate, reactivity,
      interest_index, interest_index / (1 + interest_index) AS interest
    FROM scored`;
}

export interface KeywordSummary {
  keyword: string;
  /** Column in customer_interests. */
  column: string;
  contacts: number;
  /** Decayed population response rate per delivery. */
  populationRate: number;
  /** Contacts with interest ≥ 0.6 (at least 1.5× the average response). */
  interested: number;
}

export interface InterestResult {
  asOf: string;
  halfLifeDays: number;
  priorStrength: number;
  keywords: KeywordSummary[];
  /** Contacts with at least one keyword exposure. */
  contacts: number;
  /** Example contacts with their top interests (the most responsive first). */
  examples: { customerId: string; top: { keyword: string; interest: number }[] }[];
  saved: number | null;
  warnings: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Wide table SQL: one row per contact, `interest_<slug>` per keyword (0.5 without evidence), top_interests. */
function wideSql(
  d: Dialect,
  long: SqlFragment,
  keywords: readonly KeywordSummary[],
  top: number,
): SqlFragment {
  const cols = keywords.map(
    (k) => sql`coalesce(max(CASE WHEN keyword = ${k.keyword} THEN interest END), 0.5) AS ${ident(k.column)}`,
  );
  return sql`WITH l AS (${long}),
    tops AS (
      SELECT customer_id, ${d.stringAggOrdered(sql`keyword`, ', ', sql`k`)} AS top_interests,
        max(interest) AS top_interest_score
      FROM (SELECT customer_id, keyword, interest,
          row_number() OVER (PARTITION BY customer_id ORDER BY interest DESC, keyword) AS k
        FROM l WHERE responses > 0 AND interest > 0.5) x
      WHERE k <= ${top} GROUP BY customer_id)
    SELECT l.customer_id AS customer_id, ${join(cols)}, max(tops.top_interests) AS top_interests,
      max(tops.top_interest_score) AS top_interest_score
    FROM l LEFT JOIN tops ON tops.customer_id = l.customer_id
    GROUP BY l.customer_id`;
}

/**
 * Interest scores per contact and keyword.
 *
 * @throws InputError for bad settings.
 * @example
 * const r = await customerInterests(engine, { asOf: '2026-06-30', save: true });
 * // then: clientele segment count "interest_fashion > 0.6"
 */
export async function customerInterests(
  engine: Engine,
  options: InterestOptions & { save?: boolean },
): Promise<InterestResult> {
  const o = resolve(options);
  const d = engine.dialect;
  let long = interestsLongSql(d, o);
  // Saving: the long form (the expensive part: events × keywords, decayed and shrunk) is computed once into
  // its own table, which the keyword summary, the wide table and the examples then read.
  if (options.save) {
    await engine.exec(sql`CREATE OR REPLACE TABLE ${ident(INTERESTS_LONG_TABLE)} AS ${long}`);
    long = sql`SELECT * FROM ${ident(INTERESTS_LONG_TABLE)}`;
  }
  const kwRows = await engine.query(sql`SELECT keyword, count(*) AS contacts, max(population_rate) AS rate,
      ${d.countIf(sql`interest >= 0.6`)} AS interested
    FROM (${long}) l GROUP BY keyword ORDER BY contacts DESC, keyword`);
  const used = new Set<string>();
  const keywords: KeywordSummary[] = kwRows.map((r) => {
    let column = `interest_${keywordSlug(String(r.keyword)) || 'keyword'}`;
    while (used.has(column)) column += '_';
    used.add(column);
    return {
      keyword: String(r.keyword),
      column,
      contacts: num(r.contacts),
      populationRate: num(r.rate),
      interested: num(r.interested),
    };
  });
  const [c] = await engine.query(sql`SELECT count(DISTINCT customer_id) AS n FROM (${long}) l`);
  const contacts = num(c?.n);
  let saved: number | null = null;
  if (options.save && keywords.length) {
    await engine.exec(
      sql`CREATE OR REPLACE TABLE ${ident(INTERESTS_TABLE)} AS ${wideSql(engine.dialect, long, keywords, o.top)}`,
    );
    const [s] = await engine.query(sql`SELECT count(*) AS n FROM ${ident(INTERESTS_TABLE)}`);
    saved = num(s?.n);
  }
  const ex = await engine.query(sql`SELECT customer_id, keyword, interest FROM (
      SELECT customer_id, keyword, interest,
        row_number() OVER (PARTITION BY customer_id ORDER BY interest DESC, keyword) AS k,
        max(interest) OVER (PARTITION BY customer_id) AS best
      FROM (${long}) l WHERE responses > 0) x
    WHERE k <= ${o.top} ORDER BY best DESC, customer_id, k LIMIT ${o.top * 10}`);
  const examples = new Map<string, { keyword: string; interest: number }[]>();
  for (const r of ex) {
    const id = String(r.customer_id);
    examples.set(id, [
      ...(examples.get(id) ?? []),
      { keyword: String(r.keyword), interest: num(r.interest) },
    ]);
  }
  const warnings: string[] = [];
  if (!keywords.length)
    warnings.push(
      'No campaign with keywords has a click or conversion in the window: no interest can be learned. Fill campaigns.keywords (e.g. "fashion|sale" in the import file).',
    );
  return {
    asOf: o.asOf,
    halfLifeDays: o.halfLifeDays,
    priorStrength: o.priorStrength,
    keywords,
    contacts,
    examples: [...examples].map(([customerId, top]) => ({ customerId, top })),
    saved,
    warnings,
  };
}

export interface TargetMatrix {
  keywords: string[];
  /** Contacts per appetite tercile (rows: 1 = low … 3 = high) × reactivity tercile (columns). */
  cells: number[][];
  /** Mean appetite and reactivity per cell, same layout. */
  meanAppetite: number[][];
  meanReactivity: number[][];
  /** High appetite × high reactivity: the first contacts to target. */
  targets: { customerId: string; appetite: number; reactivity: number }[];
  targetCount: number;
}

/**
 * Appetite × reactivity matrix for a new campaign's keywords: appetite = mean interest in those keywords
 * (customer_interests; 0.5 = no evidence), reactivity = clicks per send (customer_engagement), each cut into
 * terciles. Needs both tables (`customerInterests(…, { save: true })`, `engagementProfile(…, { save: true })`).
 *
 * @throws InputError when a keyword is unknown or a table is missing.
 */
export async function targetMatrix(
  engine: Engine,
  options: { keywords: readonly string[]; limit?: number },
): Promise<TargetMatrix> {
  const tables = await engine.query(
    sql`SELECT table_name AS t FROM information_schema.tables WHERE table_name IN (${INTERESTS_TABLE}, 'customer_engagement')`,
  );
  if (tables.length < 2)
    throw new InputError(
      `The appetite × reactivity matrix needs the tables ${INTERESTS_TABLE} and customer_engagement. Run clientele campaign interests --save and clientele campaign engagement --save first.`,
      {},
      { code: 'NOT_FOUND' },
    );
  const columns = (
    await engine.query(
      sql`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${INTERESTS_TABLE}`,
    )
  ).map((r) => String(r.c));
  const wanted = options.keywords.map((k) => `interest_${keywordSlug(k)}`);
  const missing = options.keywords.filter((_, i) => !columns.includes(wanted[i]!));
  if (missing.length || !wanted.length)
    throw new InputError(
      `Keywords: expected keywords seen in past campaigns (${columns
        .filter((c) => c.startsWith('interest_'))
        .map((c) => c.slice(9))
        .join(', ')}), got ${missing.length ? missing.join(', ') : 'none'}.`,
    );
  const appetite = sql`(${join(
    wanted.map((w) => sql`coalesce(i.${ident(w)}, 0.5)`),
    ' + ',
  )}) / ${wanted.length}`;
  const base = sql`SELECT e.customer_id AS customer_id, ${appetite} AS appetite, e.click_per_send AS reactivity,
      ntile(3) OVER (ORDER BY ${appetite}, e.customer_id) AS a3,
      ntile(3) OVER (ORDER BY e.click_per_send, e.customer_id) AS r3
    FROM customer_engagement e LEFT JOIN ${ident(INTERESTS_TABLE)} i ON i.customer_id = e.customer_id`;
  const rows = await engine.query(sql`SELECT a3, r3, count(*) AS n, avg(appetite) AS a, avg(reactivity) AS r
    FROM (${base}) b GROUP BY 1, 2`);
  const grid = () => Array.from({ length: 3 }, () => [0, 0, 0]);
  const cells = grid();
  const meanAppetite = grid();
  const meanReactivity = grid();
  for (const r of rows) {
    const i = num(r.a3) - 1;
    const j = num(r.r3) - 1;
    cells[i]![j] = num(r.n);
    meanAppetite[i]![j] = num(r.a);
    meanReactivity[i]![j] = num(r.r);
  }
  const targets = await engine.query(sql`SELECT customer_id, appetite, reactivity FROM (${base}) b
    WHERE a3 = 3 AND r3 = 3 ORDER BY appetite * reactivity DESC, customer_id LIMIT ${options.limit ?? 100}`);
  return {
    keywords: [...options.keywords],
    cells,
    meanAppetite,
    meanReactivity,
    targets: targets.map((t) => ({
      customerId: String(t.customer_id),
      appetite: num(t.appetite),
      reactivity: num(t.reactivity),
    })),
    targetCount: cells[2]![2]!,
  };
}
