import { empty, identPart, join, raw, type SqlFragment, sql } from '../../store/index.js';
import { type FormatCheck, numberPunctuationSql } from '../profile.js';
import type { ParseOptions, StagedSource } from '../types.js';
import { cleanTextSql, describeParseOptions, parseCleanTextSql, parseValueSql } from './convert.js';
import type { FieldSpec, TargetSpec } from './fields.js';

/**
 * Builds the one set-based statement that turns staged text into typed, normalised, validated rows:
 * `_conv` holds `_line`, one `f_<field>` column per mapped field (plus derived ones), and for bad rows
 * `_reason` (every problem, '; '-separated), `_col` and `_raw` (the first problem's column and text).
 */

export interface BoundField {
  spec: FieldSpec;
  /** The staged VARCHAR column holding the text. */
  staged: string;
  /** The source's name for the column (for messages). */
  sourceName: string;
  parse: ParseOptions;
  /** A constant from the mapping file instead of a staged column (`staged` is then unused). */
  constant?: string;
}

/** A bound field's text per row: its staged column, or its constant. */
export function stagedTextSql(b: BoundField, alias?: string): SqlFragment {
  if (b.constant !== undefined) return sql`CAST(${b.constant} AS VARCHAR)`;
  return alias ? sql`${raw(alias)}.${identPart(b.staged)}` : sql`${identPart(b.staged)}`;
}

export interface ConvPlan {
  fields: BoundField[];
  /** Identity namespace for customer references. */
  idSource: string;
  allowNegative: boolean;
  /** Flat order-lines file: order-level columns present (customer_id, order_date …). */
  flat: boolean;
  /** line_no is derived from the line order within each order (not in the file). */
  deriveLineNo: boolean;
  /**
   * order_id is derived (the file has none): `<customer id>/<yyyy-mm-dd>/<n>` for an orders file (n: the
   * row's occurrence of that customer and date in the file, in line order), `<customer id>/<yyyy-mm-dd>`
   * for a flat order-lines file (a customer's lines of one day are one order). See docs/import.md.
   */
  deriveOrderId?: 'per-row' | 'per-day';
  /**
   * Customer references that name no known customer create one (`f_customer_new` is true on those
   * rows) instead of rejecting the row: `--create-customers`, or an empty datamart.
   */
  createCustomers?: boolean;
  /** Temporary synonym table (kind, name, value) and phone lookup (raw, e164). */
  synonymsTable: string;
  phonesTable: string | null;
  /**
   * Source columns whose format came from a profiled sample, with the check that shows every value
   * fits it (see `ColumnProfile.sampled`): `_fmt` is true on a row where one does not.
   */
  formatChecks?: ReadonlyMap<string, FormatCheck>;
}

const ERR_SEP = '; ';

/** The per-load lookup table of field `i`'s distinct values: (raw, value, known). */
export function synonymTable(i: number): string {
  return `_load_syn_${i}`;
}

/** Folds text the same way `lookupKey()` does in synonyms.ts. */
export function lookupKeySql(v: SqlFragment): SqlFragment {
  return sql`trim(regexp_replace(lower(strip_accents(replace(${v}, '.', ''))), '\\s+', ' ', 'g'))`;
}

interface FieldSql {
  /** The field's cleaned text (trimmed, blanks NULL), computed once per row below the joins. */
  cleaned: [string, SqlFragment];
  /** Expressions in the inner SELECT (alias → expression). */
  inner: [string, SqlFragment][];
  /** Extra joins. */
  joins: SqlFragment[];
  /** The final value column expression(s) in the outer select (alias → expression over inner aliases). */
  outer: [string, SqlFragment][];
  /** Problems: condition over inner aliases, message, and the value the reason quotes (`found "…"`). */
  problems: { bad: SqlFragment; message: string; found?: SqlFragment }[];
  /** Non-reject counters for warnings: name → condition. */
  warnings: [string, SqlFragment][];
  /** Rows whose value does not fit a format read from a sample (see `ConvPlan.formatChecks`). */
  formatMisfit: SqlFragment | null;
  /**
   * A day/month/year format read from a sample: per row NULL (blank), true (parsed, of the format's exact
   * shape) or false, counted after the conversion against `maxBad` (see `FormatCheck`).
   */
  patternCheck: { fit: SqlFragment; maxBad: number } | null;
}

const q = (alias: string): SqlFragment => sql`${raw(`q."${alias}"`)}`;

function fieldSql(b: BoundField, i: number, plan: ConvPlan): FieldSql {
  const { spec } = b;
  const rawCol = stagedTextSql(b, 's');
  const r = `r${i}`;
  const v = `v${i}`;
  const n = `n${i}`;
  const where = `column "${b.sourceName}" → ${spec.field}`;
  const parse: ParseOptions = { ...b.parse, type: spec.type };
  const t = `t${i}`;
  const cleanCol = sql`s.${identPart(t)}`;
  const out: FieldSql = {
    cleaned: [t, idTextSql(spec, cleanTextSql(stagedTextSql(b), parse))],
    inner: [
      [r, rawCol],
      [t, cleanCol],
    ],
    joins: [],
    outer: [],
    problems: [],
    warnings: [],
    formatMisfit: null,
    patternCheck: null,
  };
  out.inner.push([v, parseCleanTextSql(cleanCol, parse)]);
  const blank = sql`(${q(t)} IS NULL)`;
  const vq = q(v);
  // The full profile's own tests. A number field: no value with a comma, space, apostrophe or currency
  // sign; a value that parsed has none, so only the others are searched. A date field: every value an
  // ISO date (`yyyy-mm-dd`; the cast alone also takes timestamps and other shapes).
  const check = plan.formatChecks?.get(b.sourceName);
  if (check === 'number')
    out.formatMisfit = sql`CASE WHEN NOT ${blank} AND ${vq} IS NULL THEN ${numberPunctuationSql(q(t))} ELSE false END`;
  if (check === 'date')
    out.formatMisfit = sql`(NOT ${blank} AND (${vq} IS NULL OR substr(${q(t)}, 5, 1) <> '-' OR length(${q(t)}) > 10))`;
  if (typeof check === 'object')
    out.patternCheck = {
      fit: sql`CASE WHEN NOT ${blank} THEN ${vq} IS NOT NULL AND regexp_full_match(${q(t)}, ${check.pattern}) END`,
      maxBad: check.maxBad,
    };
  if (spec.required && !spec.blankAllowed)
    out.problems.push({ bad: blank, message: `${where}: a value is required, found none` });
  // Text always parses (its value is the cleaned text): no "expected text" check to evaluate per row.
  if (parse.type !== 'string')
    out.problems.push({
      bad: sql`(NOT ${blank} AND ${vq} IS NULL)`,
      message: `${where}: expected ${describeParseOptions(parse)}`,
      found: q(t),
    });
  let value: SqlFragment = vq;
  switch (spec.normalize) {
    case undefined:
      break;
    case 'email': {
      out.problems.push({
        bad: sql`(${vq} IS NOT NULL AND NOT regexp_full_match(${vq}, '[^@\\s]+@[^@\\s]+\\.[^@\\s]+'))`,
        message: `${where}: expected an e-mail address like name@example.com`,
      });
      out.outer.push(['f_email_norm', sql`lower(${vq})`]);
      break;
    }
    case 'phone': {
      if (plan.phonesTable) {
        const alias = `ph${i}`;
        out.joins.push(
          sql`LEFT JOIN ${raw(plan.phonesTable)} ${raw(alias)} ON ${raw(alias)}.raw = ${parseValueSql(rawCol, { type: 'string' })}`,
        );
        out.inner.push([`e${i}`, sql`${raw(alias)}.e164`]);
        out.outer.push(['f_phone_e164', q(`e${i}`)]);
        out.warnings.push([
          `phones that are not valid numbers (kept as text, phone_e164 left empty; pass --default-country)`,
          sql`${vq} IS NOT NULL AND ${q(`e${i}`)} IS NULL`,
        ]);
      }
      break;
    }
    case 'postcode':
      value = sql`upper(regexp_replace(${vq}, '\\s+', '', 'g'))`;
      break;
    case 'currency': {
      const c = sql`CASE ${vq} WHEN '€' THEN 'EUR' WHEN '$' THEN 'USD' WHEN '£' THEN 'GBP' WHEN '₽' THEN 'RUB' ELSE upper(${vq}) END`;
      value = c;
      out.problems.push({
        bad: sql`(${vq} IS NOT NULL AND NOT regexp_full_match(${c}, '[A-Z]{3}'))`,
        message: `${where}: expected a 3-letter currency code (ISO 4217) like EUR`,
      });
      break;
    }
    case 'language': {
      value = sql`lower(replace(${vq}, '_', '-'))`;
      out.problems.push({
        bad: sql`(${vq} IS NOT NULL AND NOT regexp_full_match(lower(replace(${vq}, '_', '-')), '[a-z]{2,3}(-[a-z0-9]{2,8})*'))`,
        message: `${where}: expected a language code (ISO 639) like en, nl or pt-br`,
      });
      break;
    }
    default: {
      const kind = spec.normalize;
      const alias = `sy${i}`;
      // One lookup table per field over its distinct values (built before the load), joined on the trimmed text.
      out.joins.push(
        sql`LEFT JOIN ${raw(synonymTable(i))} ${raw(alias)} ON ${raw(alias)}.raw = trim(${rawCol})`,
      );
      out.inner.push([`k${i}`, sql`coalesce(${raw(alias)}.known, false)`]);
      out.inner.push([n, sql`${raw(alias)}.value`]);
      const known = q(`k${i}`);
      if (spec.strict) {
        value = q(n);
        out.problems.push({
          bad: sql`(${vq} IS NOT NULL AND NOT ${known})`,
          message: `${where}: expected ${describeKind(kind)}`,
        });
      } else {
        value = sql`CASE WHEN ${known} THEN ${q(n)} ELSE lower(${vq}) END`;
        out.warnings.push([
          `${spec.field} values not recognised as ${describeKind(kind)} (kept as lower-case text)`,
          sql`${vq} IS NOT NULL AND NOT ${known}`,
        ]);
      }
    }
  }
  for (const check of spec.checks ?? []) {
    if (check.negativeAmount && plan.allowNegative) continue;
    out.problems.push({
      bad: sql`(${vq} IS NOT NULL AND ${check.bad(vq)})`,
      message: `${where}: expected ${check.expected}`,
    });
  }
  if (spec.ref && !(spec.ref === 'order' && plan.flat)) {
    const alias = `ref${i}`;
    const target = refTarget(spec.ref, plan.idSource, alias, parseCleanTextSql(cleanCol, parse));
    out.joins.push(target.join);
    out.inner.push([`x${i}`, target.resolved]);
    if (spec.ref === 'customer' && plan.createCustomers) {
      // An unknown id becomes a new customer with that id (no customer has it: rank 2 of the lookup).
      out.outer.push(['f_customer_new', sql`(${vq} IS NOT NULL AND ${q(`x${i}`)} IS NULL)`]);
      value = sql`coalesce(${q(`x${i}`)}, ${vq})`;
    } else {
      out.problems.push({
        bad: sql`(${vq} IS NOT NULL AND ${q(`x${i}`)} IS NULL)`,
        message: `${where}: expected ${target.expected}`,
        found: vq,
      });
      value = q(`x${i}`);
    }
  }
  if (spec.fallback !== undefined) value = sql`coalesce(${value}, ${spec.fallback})`;
  out.outer.unshift([`f_${spec.field}`, value]);
  return out;
}

/** Id fields: a number written as a float by a spreadsheet or pandas (`17850.0`) is the id `17850`. */
const ID_FIELDS = new Set(['customer_id', 'order_id', 'sku', 'campaign_id', 'contact_id', 'text_id']);

/**
 * The cleaned text of an id field with a `.0` float suffix removed from an integer (`17850.0` → `17850`);
 * other fields unchanged. The cheap suffix test runs first, the pattern only on values that end in `.0`.
 */
function idTextSql(spec: FieldSpec, clean: SqlFragment): SqlFragment {
  if (spec.type !== 'string' || !ID_FIELDS.has(spec.field)) return clean;
  return sql`(CASE WHEN ends_with(${clean}, '.0') AND regexp_full_match(${clean}, '[+-]?[0-9]+[.]0') THEN left(${clean}, -2) ELSE ${clean} END)`;
}

function refTarget(
  ref: 'customer' | 'order' | 'campaign',
  idSource: string,
  alias: string,
  v: SqlFragment,
): { join: SqlFragment; resolved: SqlFragment; expected: string } {
  const a = raw(alias);
  switch (ref) {
    case 'customer':
      // In order: this source's own id (customer_identities), a canonical customer_id, then any other
      // source's id of a merged customer, when that id names one customer only. One row per key.
      return {
        join: sql`LEFT JOIN (
                  SELECT k, id FROM (
                    SELECT source_id AS k, min(customer_id) AS id, 1 AS rank FROM customer_identities
                    WHERE id_source = ${idSource} GROUP BY ALL
                    UNION ALL SELECT customer_id, customer_id, 2 FROM customers
                    UNION ALL SELECT source_id, min(customer_id), 3 FROM customer_identities
                    WHERE id_source <> ${idSource} GROUP BY source_id HAVING count(DISTINCT customer_id) = 1
                  ) QUALIFY row_number() OVER (PARTITION BY k ORDER BY rank) = 1) ${a}
                  ON ${a}.k = ${v}`,
        resolved: sql`${a}.id`,
        expected:
          'a known customer: an id of this source, a customer_id, or another source’s id of one customer (import the customers file first, with its --source)',
      };
    case 'order':
      return {
        join: sql`LEFT JOIN (SELECT DISTINCT order_id AS id FROM orders) ${a} ON ${a}.id = ${v}`,
        resolved: sql`${a}.id`,
        expected:
          'a known order (import orders first, or import a flat order-lines file with customer and date)',
      };
    case 'campaign':
      return {
        join: sql`LEFT JOIN (SELECT DISTINCT campaign_id AS id FROM campaigns) ${a} ON ${a}.id = ${v}`,
        resolved: sql`${a}.id`,
        expected: 'a known campaign (import campaigns first)',
      };
  }
}

function describeKind(kind: string): string {
  switch (kind) {
    case 'gender':
      return "a gender: f, m or x (or a synonym such as female, vrouw, homme, weiblich, мужской, or 'unknown')";
    case 'country':
      return 'a country: an ISO code (NL, DE) or a name in English, Dutch, French, German or Russian';
    case 'channel':
      return 'a channel (email, sms, phone, post, push, web, store, chat)';
    case 'event_type':
      return 'an event type (holdout, sent, delivered, open, click, bounce, unsubscribe, conversion) or a synonym';
    case 'text_kind':
      return 'a text kind (review, post, ticket, survey, email, chat, other)';
    case 'order_status':
      return 'an order status (completed, pending, cancelled, returned, refund)';
    default:
      return kind;
  }
}

export interface ConvSql {
  /** Statements that create the view `view` over the converted rows (run in order). */
  statements: SqlFragment[];
  /** The table under that view: the one to UPDATE. */
  table: string;
  /** Whether the table has `_fmt` (see `ConvPlan.formatChecks`). */
  formatChecked: boolean;
  /** Columns `_fd0`, `_fd1` … of the day/month/year formats read from a sample, with their `maxBad`. */
  patternChecks: { column: string; maxBad: number }[];
  /** Warning label → SQL count expression over `_conv` columns is not possible; counted in the statement. */
  warningColumns: { label: string; column: string }[];
  /** The columns `f_*` written, with the target column they feed. */
  valueColumns: string[];
  /**
   * Whether the table has `_rn` (1 = the row loaded for its key, 2… = earlier duplicates) and `_last`
   * (the line that wins). Without them every valid row is loaded (keys derived from the position).
   */
  dedupe: boolean;
}

/**
 * The statements that convert the staged rows into the temporary view `view` (see the file comment):
 * a table of converted rows and a view over it.
 */
export function convSql(staged: StagedSource, spec: TargetSpec, plan: ConvPlan, view: string): ConvSql {
  const parts = plan.fields.map((b, i) => fieldSql(b, i, plan));
  const inner = parts.flatMap((p) => p.inner).map(([alias, e]) => sql`${e} AS ${identPart(alias)}`);
  const joins = parts.flatMap((p) => p.joins);
  const cleaned = parts.map((p) => sql`${p.cleaned[1]} AS ${identPart(p.cleaned[0])}`);
  const outer = parts.flatMap((p) => p.outer);
  const problems = parts.flatMap((p) => p.problems);
  const warnings = parts.flatMap((p) => p.warnings);
  const problemRaw = plan.fields.flatMap((b, i) =>
    (parts[i]?.problems ?? []).map((p) => ({ bad: p.bad, raw: q(`r${i}`), column: b.sourceName })),
  );
  // Each problem's condition is evaluated once (e0, e1 …); reason, column and text only for bad rows.
  const flags = problems.map((p, k) => sql`(${p.bad}) AS ${identPart(`err${k}`)}`);
  const e = (k: number) => raw(`q."err${k}"`);
  const anyBad = problems.length
    ? sql`(${join(
        problems.map((_, k) => sql`${e(k)}`),
        ' OR ',
      )})`
    : sql`false`;
  const reason = problems.length
    ? sql`CASE WHEN ${anyBad} THEN concat_ws(${ERR_SEP}, ${join(problems.map((p, k) => (p.found ? sql`CASE WHEN ${e(k)} THEN concat(${p.message}, ', found "', ${p.found}, '"') END` : sql`CASE WHEN ${e(k)} THEN ${p.message} END`)))}) END`
    : sql`CAST(NULL AS VARCHAR)`;
  const col = problemRaw.length
    ? sql`CASE ${join(
        problemRaw.map((p, k) => sql`WHEN ${e(k)} THEN ${p.column}`),
        ' ',
      )} END`
    : sql`NULL`;
  const rawValue = problemRaw.length
    ? sql`CASE ${join(
        problemRaw.map((p, k) => sql`WHEN ${e(k)} THEN ${p.raw}`),
        ' ',
      )} END`
    : sql`NULL`;
  const derived = plan.deriveOrderId ? derivedOrderIdSql(plan) : null;
  if (derived) {
    inner.push(derived.inner);
    outer.unshift(['f_order_id', derived.value]);
  }
  if (spec.table === 'orders') {
    // An orders file: a negative total or a `C` + digits invoice number is a refund (docs/schema.md).
    const status = outer.findIndex(([alias]) => alias === 'f_status');
    const given = status >= 0 ? outer[status]![1] : sql`'completed'`;
    const total = plan.fields.findIndex((b) => b.spec.field === 'total');
    const id = outer.find(([alias]) => alias === 'f_order_id')?.[1];
    const refund = join(
      [...(total >= 0 ? [sql`${q(`v${total}`)} < 0`] : []), ...(id && !derived ? [refundIdSql(id)] : [])],
      ' OR ',
    );
    const value =
      total >= 0 || (id && !derived) ? sql`CASE WHEN ${refund} THEN 'refund' ELSE ${given} END` : given;
    if (status >= 0) outer[status] = ['f_status', value];
    else outer.push(['f_status', value]);
  }
  const warningColumns = warnings.map(([label], i) => ({ label, column: `w${i}` }));
  const misfits = parts.flatMap((p) => (p.formatMisfit ? [p.formatMisfit] : []));
  const patterns = parts.flatMap((p) => (p.patternCheck ? [p.patternCheck] : []));
  const patternChecks = patterns.map((p, k) => ({ column: `_fd${k}`, maxBad: p.maxBad }));
  const outerCols = [
    ...outer.map(([alias, e]) => sql`${e} AS ${identPart(alias)}`),
    ...warnings.map(([, cond], i) => sql`(${cond}) AS ${identPart(`w${i}`)}`),
    ...(misfits.length ? [sql`(${join(misfits, ' OR ')}) AS _fmt`] : []),
    ...patterns.map((p, k) => sql`${p.fit} AS ${identPart(`_fd${k}`)}`),
  ];
  const keyCols = spec.keys.map((k) => raw(`f_${k}`));
  // Derived line numbers (a flat order-lines file) are unique by position: no duplicates to find, and
  // the numbers themselves are assigned when the lines are inserted (see load.ts).
  const keysDerived = plan.deriveLineNo && spec.table === 'order_lines';
  const dedupe = keysDerived
    ? empty
    : sql`, CASE WHEN _reason IS NULL THEN row_number() OVER w END AS _rn,
            CASE WHEN _reason IS NULL THEN max(_line) OVER w END AS _last`;
  const window = keysDerived
    ? empty
    : sql` WINDOW w AS (PARTITION BY _reason IS NULL, ${join(keyCols.map((k) => sql`${k}`))} ORDER BY _line DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;
  // Reads the staged table with its `_line`, a column of every staged row (on the direct CSV path:
  // computed from the text copy's rowid at the scan), so the joins below may run in parallel in any
  // order. Numbering rows after a join instead is not safe: DuckDB may put the file on the build side
  // of a hash join, and then the output is not in file order.
  const converted = sql`SELECT q._line, ${join(outerCols)}, ${reason} AS _reason, ${col} AS _col, ${rawValue} AS _raw
      FROM (
        SELECT q.*${flags.length ? sql`, ${join(flags)}` : empty}
        FROM (
          SELECT s._line, ${join(inner)}
          FROM (SELECT *, ${join(cleaned)} FROM ${raw(stagedRef(staged))}) s ${join(joins, ' ')}
        ) q
      ) q`;
  const table = `${view}_t`;
  const statements = [
    sql`CREATE TEMP TABLE ${raw(table)} AS SELECT *${dedupe} FROM (${converted})${window}`,
    sql`CREATE TEMP VIEW ${raw(view)} AS SELECT * FROM ${raw(table)}`,
  ];
  return {
    statements,
    table,
    formatChecked: misfits.length > 0,
    patternChecks,
    warningColumns,
    valueColumns: outer.map(([alias]) => alias),
    dedupe: !keysDerived,
  };
}

/**
 * The derived order id (see `ConvPlan.deriveOrderId`) from the customer id as written (cleaned) and the
 * parsed order date; the occurrence number counts rows by the texts, so a row rejected for another
 * reason keeps its place and a corrected re-import gives every row the id it had.
 */
function derivedOrderIdSql(plan: ConvPlan): { inner: SqlFragment; value: SqlFragment } {
  const c = plan.fields.findIndex((b) => b.spec.field === 'customer_id');
  const d = plan.fields.findIndex((b) => b.spec.field === 'order_date');
  const day = sql`strftime(${q(`v${d}`)}, '%Y-%m-%d')`;
  // A guest row (no customer id) takes `(guest)` in the customer's place: `(guest)/2024-01-05/2`.
  const customer = sql`coalesce(${q(`t${c}`)}, ${GUEST_ORDER_PREFIX})`;
  if (plan.deriveOrderId === 'per-day')
    return { inner: sql`NULL AS _occ`, value: sql`(${customer} || '/' || ${day})` };
  return {
    inner: sql`row_number() OVER (PARTITION BY s.${identPart(`t${c}`)}, s.${identPart(`t${d}`)} ORDER BY s._line) AS _occ`,
    value: sql`(${customer} || '/' || ${day} || '/' || q._occ)`,
  };
}

/** What a derived order id of a guest row has in the customer's place (docs/import.md). */
export const GUEST_ORDER_PREFIX = '(guest)';

/** Whether an order id is a cancellation invoice: `C` and digits (UCI Online Retail's `C536379`). */
export function refundIdSql(id: SqlFragment): SqlFragment {
  return sql`(starts_with(${id}, 'C') AND regexp_full_match(${id}, 'C[0-9]+'))`;
}

/** Drops what {@link convSql} created under the name `view` (safe when none or part of it exists). */
export function dropConvSql(view: string): string {
  return `DROP VIEW IF EXISTS ${view}; DROP TABLE IF EXISTS ${view}_t`;
}

/** The staged table as SQL text (it is a name we or the stager chose, quoted part by part). */
export function stagedRef(staged: StagedSource): string {
  return staged.table
    .split('.')
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join('.');
}
