import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { InputError, type Issue, inputErrorFromIssues } from '../../errors.js';
import type { CanonicalTable, Engine } from '../../store/index.js';
import { empty, identPart, join, quoteIdent, raw, type SqlFragment, sql } from '../../store/index.js';
import type { FormatCheck } from '../profile.js';
import type { LoadResult, Mapping, StagedSource } from '../types.js';
import { type ConflictRule, mergeCustomers } from './customers.js';
import { type FieldSpec, IMPORT_ORDER, TARGETS } from './fields.js';
import { type SynonymKind, synonyms } from './synonyms.js';
import { type UpsertCounts, upsert } from './upsert.js';
import {
  type BoundField,
  type ConvPlan,
  type ConvSql,
  convSql,
  dropConvSql,
  lookupKeySql,
  refundIdSql,
  stagedRef,
  stagedTextSql,
  synonymTable,
} from './validate.js';

export interface LoadOptions {
  /**
   * The system the rows come from (`crm`, `shop` …): recorded in every row's `source` column and the
   * namespace of customer ids (customer_identities.id_source). Default: `default` for ids, the staged
   * source's display name for lineage.
   */
  source?: string;
  /** Fail the load (roll back, nothing changes) when rejected / read exceeds this fraction (0–1). */
  maxRejectRate?: number;
  /** Write this load's rejects (and duplicates) to this CSV file, also when the load fails. */
  rejectsOut?: string;
  /** How conflicting customer values from different sources are settled (default `newest`). */
  conflict?: ConflictRule;
  /** Sources in priority order for `conflict: 'source-priority'` (first wins). */
  sourcePriority?: readonly string[];
  /** Country for phone numbers written without an international prefix (ISO-2, e.g. 'NL'). */
  defaultCountry?: string;
  /**
   * Create the customers that orders (or order lines) name but the datamart does not know, instead of
   * rejecting those rows. Default: only when the datamart has no customers at all (a transaction log
   * imported on its own); `true` always; `false` never.
   */
  createCustomers?: boolean;
  /** Accept negative prices and amounts (refunds, corrections). */
  allowNegative?: boolean;
  /** Called as the load advances through its steps. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * @internal Formats the mapping took from a profiled sample (`ColumnProfile.sampled`), by source
   * column. Every value is checked as it converts; when one does not fit, `replan()` gives the mapping
   * from a profile of every record and the conversion runs again with it.
   */
  formatCheck?: { columns: ReadonlyMap<string, FormatCheck>; replan: () => Promise<Mapping> };
  /**
   * @internal For tests only: called after each step inside the transaction (throw to force a failure
   * mid-load, or wait to be killed).
   */
  afterStep?: (step: string) => void | Promise<void>;
}

export interface LoadProgress {
  phase: 'load';
  step: string;
  done: number;
  total: number;
}

export interface RelatedLoad extends UpsertCounts {
  target: string;
}

/** The load summary: `read = loaded + rejected + duplicates`, `loaded = inserted + updated + unchanged`. */
export interface LoadSummary extends LoadResult {
  /** Identities merged into a customer known from another source or row (customers only). */
  merges: number;
  /** Customer fields whose values disagreed between sources (customers only), settled by `conflictRule`. */
  conflicts: number;
  conflictRule: ConflictRule | null;
  /** Other tables written by the same load (a flat order-lines file also loads `orders`). */
  related: RelatedLoad[];
  /** Customers created because rows named them and the datamart did not know them (`createCustomers`). */
  customersCreated: number;
  /**
   * Orders of this load with no customer id (guest orders), of `orders` or of the flat file's orders: they
   * count in sales and revenue figures, not in customer analytics.
   */
  guestOrders: number;
  /** The most frequent reject reasons (at most 5), each with its count, first lines, an example value and a fix. */
  topReasons: RejectReason[];
}

/** One reject reason of a load, as the summary and the reject-rate error give it. */
export interface RejectReason {
  reason: string;
  rows: number;
  lines: number[];
  example: string | null;
  fix: string;
}

const STEPS = ['prepare', 'convert', 'rejects', 'check', 'upsert', 'finish'] as const;

/** Loads a staged source into its canonical table in one transaction. See docs/import.md. */
export async function loadStaged(
  engine: Engine,
  staged: StagedSource,
  givenMapping: Mapping,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const started = performance.now();
  let mapping = givenMapping;
  if (mapping.target === 'raw') {
    throw new InputError('loadStaged: a raw-table mapping goes to loadRawTable(), not to a canonical table.');
  }
  const spec = TARGETS[mapping.target];
  const idSource = options.source ?? 'default';
  const lineageSource = options.source ?? staged.source;
  const createCustomers =
    (mapping.target === 'orders' || mapping.target === 'order_lines') &&
    (options.createCustomers ?? (await hasNoCustomers(engine)));
  const planFor = (m: Mapping, formatChecks: ReadonlyMap<string, FormatCheck> | undefined) => {
    const deriveOrderId = orderIdDerivation(m);
    const fields = bindFields(staged, m, spec.fields, deriveOrderId !== undefined);
    const isFlat = m.target === 'order_lines' && fields.some((b) => b.spec.orderLevel);
    const conv: ConvPlan = {
      fields,
      idSource,
      allowNegative: options.allowNegative === true,
      createCustomers,
      ...(deriveOrderId ? { deriveOrderId } : {}),
      flat: isFlat,
      deriveLineNo: m.target === 'order_lines' && !fields.some((b) => b.spec.field === 'line_no'),
      synonymsTable: '_load_synonyms',
      phonesTable: fields.some((b) => b.spec.normalize === 'phone') ? '_load_phones' : null,
      ...(formatChecks ? { formatChecks } : {}),
    };
    return { bound: fields, flat: isFlat, plan: conv };
  };
  let { bound, flat, plan } = planFor(mapping, options.formatCheck?.columns);
  const progress = (step: (typeof STEPS)[number]) =>
    options.onProgress?.({ phase: 'load', step, done: STEPS.indexOf(step), total: STEPS.length });
  const afterStep = async (step: string) => {
    if (options.afterStep) await options.afterStep(step);
  };

  progress('prepare');
  const warnings: string[] = [];
  try {
    await prepareLookups(engine, staged, plan, options.defaultCountry);
    progress('convert');
    // The conversion reads the datamart but writes only temporary tables: it runs before the transaction,
    // which then holds only the writes to the datamart.
    let conv = convSql(staged, spec, plan, '_load_conv');
    for (const statement of conv.statements) await engine.exec(statement);
    if (options.formatCheck && (await formatMisfits(engine, conv))) {
      // A value the sample's format does not fit: profile every record and convert again.
      await dropLoadTables(engine, plan);
      mapping = await options.formatCheck.replan();
      ({ bound, flat, plan } = planFor(mapping, undefined));
      await prepareLookups(engine, staged, plan, options.defaultCountry);
      conv = convSql(staged, spec, plan, '_load_conv');
      for (const statement of conv.statements) await engine.exec(statement);
    }
    if (flat && (await countRejected(engine)) > 0) await rejectWholeOrders(engine, conv.table);
    // The order groups too: a temporary table written inside the transaction lives in its local
    // storage, which DuckDB scans on one thread (the orders insert took twice as long).
    if (plan.deriveLineNo || flat) await engine.exec(orderGroupsSql(flat ? bound : [], conv.dedupe));
    const counts = await countRows(engine, staged, conv);
    // Only rejects and duplicates read the staged rows again (their raw text): without any, the
    // stager may free them now, before the inserts need the memory.
    if (counts.rejected === 0 && counts.duplicates === 0 && staged.releaseRows) await staged.releaseRows();
    const summary = await engine.transaction(async (tx) => {
      // The load's own clock: now() is the transaction's start, so finished_at = started_at + the elapsed time.
      const began = performance.now();
      const loadId = await startLoad(tx, staged, mapping, lineageSource, options);
      await afterStep('start');
      await afterStep('convert');

      progress('rejects');
      await insertRejects(tx, staged, spec.keys, loadId, staged.source, spec.table, counts);
      await afterStep('rejects');
      if (counts.stagedRows + staged.structuralRejects !== staged.rowsRead) {
        warnings.push(
          `${staged.source}: the reader reported ${staged.rowsRead} records but staged ${counts.stagedRows} rows and ${staged.structuralRejects} unreadable ones; the counts below use the staged rows.`,
        );
      }
      const read = counts.stagedRows + staged.structuralRejects;
      const rejected = counts.rejected + staged.structuralRejects;

      progress('check');
      if (options.maxRejectRate !== undefined && read > 0 && rejected / read > options.maxRejectRate) {
        if (options.rejectsOut) await writeRejects(tx, loadId, options.rejectsOut);
        throw await rejectRateError(tx, loadId, staged.source, rejected, read, options);
      }
      warnings.push(...warningTexts(conv.warningColumns, counts.warnings, staged.source));

      progress('upsert');
      const customersCreated = createCustomers
        ? await insertNewCustomers(tx, lineageSource, idSource, loadId)
        : 0;
      if (customersCreated > 0)
        warnings.push(
          `${staged.source}: ${customersCreated} customers were not in the datamart and were created from their ids${options.createCustomers ? ' (--create-customers)' : ' (the datamart had no customers)'}; import the customers file with the same --source to add their details.`,
        );
      let result: UpsertCounts;
      let merges = 0;
      let conflicts = 0;
      const related: RelatedLoad[] = [];
      const valueFields = bound.filter((b) => !b.spec.orderLevel);
      if (mapping.target === 'customers') {
        const columns = [
          ...valueFields.map((b) => b.spec.column).filter((c) => c !== 'customer_id'),
          ...conv.valueColumns
            .filter((c) => c === 'f_email_norm' || c === 'f_phone_e164')
            .map((c) => c.slice(2)),
        ];
        const merged = await mergeCustomers(tx, {
          conv: '_load_conv',
          columns,
          source: lineageSource,
          idSource,
          loadId,
          rule: options.conflict ?? 'newest',
          sourcePriority: options.sourcePriority ?? [],
        });
        result = merged;
        merges = merged.merges;
        conflicts = merged.conflicts;
      } else {
        const batchRows = read - rejected - counts.duplicates;
        // The inserts keep DuckDB's default insertion order: its order-preserving batch insert writes
        // in parallel too, and was faster than the unordered one here (orders 4.6 s vs 5.4 s at 10M).
        if (flat) {
          const orders = await upsertFlatOrders(tx, bound, lineageSource, loadId);
          related.push({ target: 'orders', ...orders });
          await afterStep('upsert-orders');
        }
        const columns = valueFields.map((b) => b.spec.column);
        if (plan.deriveOrderId) columns.unshift('order_id');
        if (mapping.target === 'orders' && !columns.includes('status')) columns.push('status');
        if (plan.deriveLineNo) columns.push('line_no');
        const valid = conv.dedupe ? sql`_reason IS NULL AND _rn = 1` : sql`_reason IS NULL`;
        const batch = plan.deriveLineNo
          ? numberedLinesSql(
              columns.filter((c) => c !== 'line_no'),
              await hasScatteredOrders(tx),
            )
          : sql`SELECT ${join(columns.map((c) => sql`${raw(`f_${c}`)} AS ${identPart(c)}`))}
          FROM _load_conv WHERE ${valid}`;
        result = await upsert(tx, {
          table: mapping.target,
          keys: spec.keys,
          columns,
          batch,
          source: lineageSource,
          loadId,
          batchRows,
        });
        if (mapping.target === 'order_lines') warnings.push(...(await unknownSkuWarning(tx)));
      }
      const guestOrders = await countGuestOrders(tx, mapping.target, flat, conv.dedupe);

      await afterStep('upsert');

      progress('finish');
      const loaded = result.inserted + result.updated + result.unchanged;
      const summary: LoadSummary = {
        loadId,
        source: staged.source,
        target: mapping.target,
        format: staged.format,
        read,
        loaded,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected,
        duplicates: counts.duplicates,
        seconds: 0,
        warnings,
        merges,
        conflicts,
        conflictRule: mapping.target === 'customers' ? (options.conflict ?? 'newest') : null,
        related,
        customersCreated,
        guestOrders,
        topReasons: rejected > 0 ? await topRejectReasons(tx, loadId) : [],
      };
      if (read !== loaded + rejected + counts.duplicates) {
        throw new Error(
          `Internal error: the counts of ${staged.source} do not reconcile (read ${read} ≠ loaded ${loaded} + rejected ${rejected} + duplicates ${counts.duplicates}); nothing was changed.`,
        );
      }
      await tx.exec(sql`UPDATE loads SET status = 'loaded',
        finished_at = started_at + to_milliseconds(CAST(${Math.round(performance.now() - began)} AS BIGINT)), read = ${read},
        loaded = ${loaded}, inserted = ${result.inserted}, updated = ${result.updated}, unchanged = ${result.unchanged},
        rejected = ${rejected}, duplicates = ${counts.duplicates},
        message = ${warnings.length ? warnings.join('\n') : null} WHERE load_id = ${loadId}`);
      await tx.exec(`${dropConvSql('_load_conv')}; DROP TABLE IF EXISTS _load_orders`);
      await afterStep('finish');
      return summary;
    });
    if (options.rejectsOut) await writeRejects(engine, summary.loadId, options.rejectsOut);
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  } finally {
    await dropLoadTables(engine, plan);
  }
}

/** Drops the load's temporary tables (safe when none or some of them exist). */
async function dropLoadTables(engine: Engine, plan: ConvPlan): Promise<void> {
  await engine.exec(
    `DROP TABLE IF EXISTS _load_synonyms; DROP TABLE IF EXISTS _load_phones; ${dropConvSql('_load_conv')}; DROP TABLE IF EXISTS _load_orders`,
  );
  for (const i of plan.fields.keys()) await engine.exec(`DROP TABLE IF EXISTS ${synonymTable(i)}`);
}

/** Whether the datamart holds no customer yet. */
async function hasNoCustomers(engine: Engine): Promise<boolean> {
  const [row] = await engine.query('SELECT count(*) AS n FROM (SELECT 1 FROM customers LIMIT 1)');
  return Number(row?.n ?? 0) === 0;
}

/**
 * Creates the customers the valid rows name but the datamart does not know (`f_customer_new`), with
 * the id as written (no customer has it) and an identity of this source; returns how many.
 */
async function insertNewCustomers(
  tx: Engine,
  source: string,
  idSource: string,
  loadId: number,
): Promise<number> {
  const cols = await tx.query(
    "SELECT 1 FROM duckdb_columns() WHERE table_name = '_load_conv' AND column_name = 'f_customer_new'",
  );
  if (cols.length === 0) return 0;
  await tx.exec(`CREATE OR REPLACE TEMP TABLE _load_new_customers AS
    SELECT DISTINCT f_customer_id AS customer_id FROM _load_conv WHERE _reason IS NULL AND f_customer_new`);
  const [row] = await tx.query('SELECT count(*) AS n FROM _load_new_customers');
  const n = Number(row?.n ?? 0);
  if (n > 0) {
    await tx.exec(sql`INSERT INTO customers (customer_id, source, load_id)
      SELECT customer_id, ${source}, ${loadId} FROM _load_new_customers`);
    await tx.exec(sql`INSERT INTO customer_identities (customer_id, id_source, source_id, matched_by, load_id)
      SELECT customer_id, ${idSource}, customer_id, 'new', ${loadId} FROM _load_new_customers`);
  }
  await tx.exec('DROP TABLE _load_new_customers');
  return n;
}

/** How many of the load's orders have no customer (guest orders); 0 for other targets. */
async function countGuestOrders(tx: Engine, target: string, flat: boolean, dedupe: boolean): Promise<number> {
  let query: string;
  if (target === 'order_lines' && flat)
    query = 'SELECT count(*) AS n FROM _load_orders WHERE customer_id IS NULL';
  else if (target === 'orders')
    query = `SELECT count(*) AS n FROM _load_conv WHERE _reason IS NULL${dedupe ? ' AND _rn = 1' : ''} AND f_customer_id IS NULL`;
  else return 0;
  const [row] = await tx.query(query);
  return Number(row?.n ?? 0);
}

/** Whether some converted row has a value that does not fit a format read from a sample. */
async function formatMisfits(engine: Engine, conv: ConvSql): Promise<boolean> {
  if (conv.formatChecked) {
    const [row] = await engine.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${conv.table} WHERE _fmt LIMIT 1)`,
    );
    if (Number(row?.n ?? 0) > 0) return true;
  }
  if (conv.patternChecks.length === 0) return false;
  // A day/month/year format: the values off its shape must stay few enough that a profile of every
  // record would choose it too (FormatCheck).
  const [counts = {}] = await engine.query(
    `SELECT ${conv.patternChecks.map((p, k) => `count(${p.column}) AS n${k}, count(*) FILTER (WHERE NOT ${p.column}) AS b${k}`).join(', ')} FROM ${conv.table}`,
  );
  return conv.patternChecks.some((p, k) => {
    const bad = Number(counts[`b${k}`] ?? 0);
    return bad > p.maxBad || bad * 3 >= Number(counts[`n${k}`] ?? 0);
  });
}

/**
 * How order ids are derived when the file has none: a transaction log (orders with customer and date)
 * gets one id per row, a flat order-lines file one per customer and day. Undefined when the file has
 * an order id, or lacks the customer or the date.
 */
function orderIdDerivation(m: Mapping): 'per-row' | 'per-day' | undefined {
  if (m.target !== 'orders' && m.target !== 'order_lines') return undefined;
  const has = (f: string) => m.columns.some((c) => c.field === f);
  if (has('order_id') || !has('customer_id') || !has('order_date')) return undefined;
  return m.target === 'orders' ? 'per-row' : 'per-day';
}

/** Matches the mapping's columns to target fields and checks that every required field is there. */
function bindFields(
  staged: StagedSource,
  mapping: Mapping,
  fields: readonly FieldSpec[],
  orderIdDerived = false,
): BoundField[] {
  const issues: Issue[] = [];
  const bound: BoundField[] = [];
  const byField = new Map(fields.map((f) => [f.field, f]));
  const seen = new Set<string>();
  for (const c of mapping.columns) {
    const spec = byField.get(c.field);
    const column = staged.columns.find((s) => s.name === c.source);
    if (c.constant !== undefined) continue;
    if (!spec) {
      issues.push({
        where: `column "${c.source}"`,
        message: `mapped to "${c.field}", which is not a field of ${mapping.target}. Expected one of: ${fields.map((f) => f.field).join(', ')}.`,
      });
      continue;
    }
    if (!column) {
      issues.push({
        where: `mapping for "${c.field}"`,
        message: `expected a column "${c.source}" in ${staged.source}; found: ${staged.columns.map((s) => s.name).join(', ')}.`,
      });
      continue;
    }
    if (seen.has(c.field)) {
      issues.push({ where: `column "${c.source}"`, message: `"${c.field}" is mapped twice; map it once.` });
      continue;
    }
    seen.add(c.field);
    bound.push({ spec, staged: column.staged, sourceName: c.source, parse: c.parse });
  }
  for (const c of mapping.columns) {
    if (c.constant === undefined) continue;
    const spec = byField.get(c.field);
    if (!spec || seen.has(c.field)) continue;
    seen.add(c.field);
    bound.push({ spec, staged: '', sourceName: c.source, parse: c.parse, constant: c.constant });
  }
  const flat = mapping.target === 'order_lines' && bound.some((b) => b.spec.orderLevel);
  for (const f of fields) {
    if (!f.required || seen.has(f.field)) continue;
    if (f.field === 'order_id' && orderIdDerived) continue;
    if (f.orderLevel && !flat) continue;
    issues.push({
      where: `${staged.source}`,
      message: `expected a column for ${mapping.target}.${f.field} (required), found none among: ${staged.columns.map((s) => s.name).join(', ')}. Rename the column, or map it in a mapping file (--mapping).`,
    });
  }
  if (issues.length && staged.columns.length > 0 && staged.columns.every((s) => /^column_\d+$/.test(s.name)))
    issues.push({
      where: `${staged.source}`,
      message: `the file has no header line, so its ${staged.columns.length} columns have no names. Name them in order with --columns (a '-' skips one), e.g. --columns=${headerlessExample(staged.columns.length)}.`,
    });
  if (issues.length) {
    throw inputErrorFromIssues(
      `${staged.source} cannot be loaded into ${mapping.target} (import order: ${IMPORT_ORDER.join(' → ')}):`,
      issues,
    );
  }
  return bound;
}

/** Synonym and phone lookup tables (temporary; outside the datamart transaction). */
async function prepareLookups(
  engine: Engine,
  staged: StagedSource,
  plan: ConvPlan,
  defaultCountry: string | undefined,
): Promise<void> {
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE _load_synonyms (kind VARCHAR, name VARCHAR, value VARCHAR)`,
  );
  const kinds = new Set(
    plan.fields
      .map((b) => b.spec.normalize)
      .filter((k): k is SynonymKind =>
        ['gender', 'channel', 'event_type', 'text_kind', 'order_status', 'country'].includes(k ?? ''),
      ),
  );
  const rows: [string, string, string | null][] = [];
  for (const kind of kinds) for (const [name, value] of synonyms(kind)) rows.push([kind, name, value]);
  await insertValues(engine, '_load_synonyms', rows);
  // Per field: its distinct values, looked up once (the fold is costly per row, cheap per value). One
  // scan collects the distinct values of every such field (a staged view re-reads the file per scan).
  const lookups = [...plan.fields.entries()].filter(([, b]) => kinds.has(b.spec.normalize as SynonymKind));
  if (lookups.length > 0) {
    const lists = lookups.map(
      ([i, b]) =>
        sql`list(DISTINCT trim(${stagedTextSql(b)})) FILTER (WHERE trim(${stagedTextSql(b)}) <> '') AS ${raw(`d${i}`)}`,
    );
    await engine.exec(
      sql`CREATE OR REPLACE TEMP TABLE _load_distinct AS SELECT ${join(lists)} FROM ${raw(staged.records ? quoteIdent(staged.records.table) : stagedRef(staged))}`,
    );
    for (const [i, b] of lookups) {
      await engine.exec(sql`CREATE OR REPLACE TEMP TABLE ${raw(synonymTable(i))} AS
        SELECT d.raw, s.value, s.name IS NOT NULL AS known
        FROM (SELECT unnest(${raw(`d${i}`)}) AS raw FROM _load_distinct) d
        LEFT JOIN _load_synonyms s ON s.kind = ${b.spec.normalize} AND s.name = ${lookupKeySql(sql`d.raw`)}`);
    }
    await engine.exec('DROP TABLE _load_distinct');
  }
  const phone = plan.fields.find((b) => b.spec.normalize === 'phone');
  if (!phone || !plan.phonesTable) return;
  await engine.exec(`CREATE OR REPLACE TEMP TABLE _load_phones (raw VARCHAR, e164 VARCHAR)`);
  const distinct = await engine.queryColumns(
    sql`SELECT DISTINCT trim(${stagedTextSql(phone)}) AS v FROM ${raw(stagedRef(staged))}
        WHERE trim(${stagedTextSql(phone)}) <> ''`,
  );
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const phones: [string, string | null][] = (distinct.v ?? []).map((v) => {
    const text = String(v);
    const parsed = parsePhoneNumberFromString(text, country);
    return [text, parsed?.isValid() ? parsed.number : null];
  });
  await insertValues(engine, '_load_phones', phones);
}

async function insertValues(
  engine: Engine,
  table: string,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = join(part.map((r) => sql`(${join(r.map((v) => sql`${v}`))})`));
    await engine.exec(sql`INSERT INTO ${raw(table)} VALUES ${values}`);
  }
}

async function startLoad(
  tx: Engine,
  staged: StagedSource,
  mapping: Mapping,
  source: string,
  options: LoadOptions,
): Promise<number> {
  const [row] = await tx.query(`SELECT coalesce(max(load_id), 0) + 1 AS id FROM loads`);
  const loadId = Number(row?.id ?? 1);
  const recorded = {
    source,
    maxRejectRate: options.maxRejectRate ?? null,
    conflict: options.conflict ?? null,
    sourcePriority: options.sourcePriority ?? null,
    defaultCountry: options.defaultCountry ?? null,
    allowNegative: options.allowNegative ?? false,
    detected: staged.detected,
  };
  await tx.exec(sql`INSERT INTO loads (load_id, source, target, format, started_at, status, options, mapping)
    VALUES (${loadId}, ${staged.source}, ${mapping.target}, ${staged.format}, now()::TIMESTAMP, 'running',
            ${JSON.stringify(recorded)}, ${JSON.stringify(mapping)})`);
  return loadId;
}

/** In a flat order-lines file, one bad line rejects its whole order (a partial basket would mislead). */
async function rejectWholeOrders(tx: Engine, table: string): Promise<void> {
  await tx.exec(`
    UPDATE ${table} AS c SET _reason = 'another line of order "' || c.f_order_id || '" was rejected (line ' || b.line || '): the whole order is kept out',
      _col = NULL, _raw = NULL
    FROM (SELECT f_order_id, min(_line) AS line FROM _load_conv WHERE _reason IS NOT NULL AND f_order_id IS NOT NULL GROUP BY ALL) b
    WHERE c.f_order_id = b.f_order_id AND c._reason IS NULL`);
}

async function insertRejects(
  tx: Engine,
  staged: StagedSource,
  keys: readonly string[],
  loadId: number,
  source: string,
  target: CanonicalTable,
  counts: RowCounts,
): Promise<void> {
  const rawRow = sql`json_object(${join(
    staged.columns.map((c) => sql`${c.name}, s.${identPart(c.staged)}`),
  )})`;
  // Each statement reads the staged rows again (on the direct CSV path: the file), so it runs only
  // when there is something to write.
  if (counts.rejected > 0)
    await tx.exec(sql`
      INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind, raw_row)
      SELECT ${loadId}, ${source}, ${target}, c._line, c._col, c._raw, c._reason, 'rejected', ${rawRow}
      FROM (SELECT _line, _col, _raw, _reason FROM _load_conv WHERE _reason IS NOT NULL) c
      JOIN ${raw(stagedRef(staged))} s ON s._line = c._line`);
  const keyText = join(
    keys.map((k) => sql`coalesce(CAST(${raw(`c.f_${k}`)} AS VARCHAR), '')`),
    ` || '|' || `,
  );
  if (counts.duplicates > 0)
    await tx.exec(sql`
      INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind, raw_row)
      SELECT ${loadId}, ${source}, ${target}, c._line, ${keys.join('|')}, ${keyText},
             'same key as line ' || c._last || ', which wins (the last occurrence of a key in a file is loaded)',
             'duplicate', ${rawRow}
      FROM (SELECT * FROM _load_conv WHERE _reason IS NULL AND _rn > 1) c
      JOIN ${raw(stagedRef(staged))} s ON s._line = c._line`);
  if (staged.structuralRejectsTable && staged.structuralRejects > 0) {
    await tx.exec(sql`
      INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind, raw_row)
      SELECT ${loadId}, ${source}, ${target}, line, NULL, raw, reason, 'rejected', NULL
      FROM ${raw(staged.structuralRejectsTable)}`);
  }
  // A re-import of the same rows does not add their rejects again: the earlier rejects of this source
  // and target with the same raw row (or, for unreadable records, the same text) give way to this load's.
  if (counts.rejected + counts.duplicates + staged.structuralRejects > 0)
    await tx.exec(sql`
      DELETE FROM rejects r WHERE r.source = ${source} AND r.target = ${target} AND r.load_id < ${loadId}
        AND EXISTS (SELECT 1 FROM rejects n WHERE n.load_id = ${loadId} AND n.kind = r.kind
          AND coalesce(CAST(n.raw_row AS VARCHAR), n.raw_value) = coalesce(CAST(r.raw_row AS VARCHAR), r.raw_value))`);
}

interface RowCounts {
  stagedRows: number;
  rejected: number;
  duplicates: number;
  /** Valid rows flagged by each warning column (`w0`, `w1` …). */
  warnings: Record<string, number>;
}

async function countRejected(tx: Engine): Promise<number> {
  const [row] = await tx.query('SELECT count(*) AS n FROM _load_conv WHERE _reason IS NOT NULL');
  return Number(row?.n ?? 0);
}

/** Rows, rejects, duplicates and warning counts of `_load_conv`, in one scan. */
async function countRows(tx: Engine, staged: StagedSource, conv: ConvSql): Promise<RowCounts> {
  const stagedRows = sql`(SELECT count(*) FROM ${raw(stagedRef(staged))})`;
  const warningSums = conv.warningColumns.map(
    (c) => sql`, count(*) FILTER (WHERE _reason IS NULL AND ${raw(c.column)}) AS ${identPart(c.column)}`,
  );
  const [row] = await tx.query(sql`
    SELECT ${stagedRows} AS staged_rows,
           count(*) FILTER (WHERE _reason IS NOT NULL) AS rejected,
           ${conv.dedupe ? sql`count(*) FILTER (WHERE _reason IS NULL AND _rn > 1)` : sql`0`} AS duplicates,
           count(*) AS conv_rows${join(warningSums, '')}
    FROM _load_conv`);
  if (Number(row?.conv_rows) !== Number(row?.staged_rows)) {
    throw new Error(
      `Internal error: converting ${staged.source} produced ${row?.conv_rows} rows from ${row?.staged_rows} staged rows; nothing was changed.`,
    );
  }
  return {
    stagedRows: Number(row?.staged_rows ?? 0),
    rejected: Number(row?.rejected ?? 0),
    duplicates: Number(row?.duplicates ?? 0),
    warnings: Object.fromEntries(conv.warningColumns.map((c) => [c.column, Number(row?.[c.column] ?? 0)])),
  };
}

function warningTexts(
  columns: readonly { label: string; column: string }[],
  counts: Record<string, number>,
  source: string,
): string[] {
  return columns
    .filter((c) => (counts[c.column] ?? 0) > 0)
    .map((c) => `${source}: ${counts[c.column]} ${c.label}.`);
}

async function unknownSkuWarning(tx: Engine): Promise<string[]> {
  const [products] = await tx.query(`SELECT count(*) AS n FROM products`);
  if (Number(products?.n ?? 0) === 0) {
    return [
      'order lines: no products are loaded yet, so product names, categories and margins are unknown; import the catalog into products to add them.',
    ];
  }
  const [row] = await tx.query(`
    SELECT count(*) AS n FROM (SELECT DISTINCT f_sku FROM _load_conv WHERE _reason IS NULL) c
    WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = c.f_sku)`);
  const n = Number(row?.n ?? 0);
  return n === 0
    ? []
    : [`order lines: ${n} SKUs are not in products; import or update the catalog to add them.`];
}

/**
 * `_load_orders`: one row per order of the valid lines, with the span of its lines (first and last
 * line, count) and, for a flat file, the order-level fields of its first line. One pass over the lines
 * serves both the `orders` upsert and the line numbers.
 */
function orderGroupsSql(bound: readonly BoundField[], dedupe: boolean): SqlFragment {
  const orderFields = bound.filter((b) => b.spec.orderLevel);
  const fields = orderFields.map((b) =>
    b.spec.field === 'status'
      ? empty
      : sql`, arg_min(${raw(`f_${b.spec.field}`)}, _line) AS ${identPart(b.spec.column)}`,
  );
  // An order whose lines are all negative, or whose id is `C` + digits, is a refund (docs/schema.md).
  if (orderFields.length > 0) {
    const given = orderFields.some((b) => b.spec.field === 'status')
      ? sql`arg_min(f_status, _line)`
      : sql`'completed'`;
    const quantity = bound.some((b) => b.spec.field === 'quantity')
      ? sql`bool_and(f_quantity < 0) OR `
      : empty;
    const total = orderFields.some((b) => b.spec.field === 'total')
      ? sql` OR arg_min(f_total, _line) < 0`
      : empty;
    fields.push(
      sql`, CASE WHEN ${quantity}${refundIdSql(sql`f_order_id`)}${total} THEN 'refund' ELSE ${given} END AS status`,
    );
  }
  return sql`CREATE OR REPLACE TEMP TABLE _load_orders AS
    SELECT f_order_id AS order_id, min(_line) AS _first, max(_line) AS _last_line, count(*) AS _lines${join(fields, '')}
    FROM _load_conv WHERE _reason IS NULL${dedupe ? sql` AND _rn = 1` : empty} GROUP BY f_order_id`;
}

/**
 * The valid lines with their number within the order. An order whose lines are consecutive records
 * (the usual export) is numbered by position, `_line - first + 1`, through a join with `_load_orders`;
 * only the others (lines spread over the file, or records spanning several lines) need the sort of a
 * window, `row_number()` by line.
 */
function numberedLinesSql(columns: readonly string[], scattered: boolean): SqlFragment {
  const cols = join(columns.map((c) => sql`c.${raw(`f_${c}`)} AS ${identPart(c)}`));
  const consecutive = sql`o._lines = o._last_line - o._first + 1`;
  const byPosition = sql`SELECT ${cols}, CAST(c._line - o._first + 1 AS INTEGER) AS line_no
      FROM _load_conv c JOIN _load_orders o ON o.order_id = c.f_order_id
      WHERE c._reason IS NULL AND ${consecutive}`;
  // The second branch reads every line again: left out when no order needs it.
  if (!scattered) return byPosition;
  return sql`${byPosition}
    UNION ALL
    SELECT ${cols}, CAST(row_number() OVER (PARTITION BY c.f_order_id ORDER BY c._line) AS INTEGER) AS line_no
      FROM _load_conv c JOIN _load_orders o ON o.order_id = c.f_order_id
      WHERE c._reason IS NULL AND NOT ${consecutive}`;
}

/** Whether some order's lines are not consecutive records (see {@link numberedLinesSql}). */
async function hasScatteredOrders(tx: Engine): Promise<boolean> {
  const [row] = await tx.query(
    'SELECT count(*) AS n FROM _load_orders WHERE _lines <> _last_line - _first + 1',
  );
  return Number(row?.n ?? 0) > 0;
}

async function upsertFlatOrders(
  tx: Engine,
  bound: readonly BoundField[],
  source: string,
  loadId: number,
): Promise<UpsertCounts> {
  const orderFields = bound.filter((b) => b.spec.orderLevel && b.spec.field !== 'status');
  const columns = ['order_id', ...orderFields.map((b) => b.spec.column), 'status'];
  const [row] = await tx.query('SELECT count(*) AS n FROM _load_orders');
  const batch = sql`SELECT ${join(columns.map((c) => identPart(c)).map((c) => sql`${c}`))} FROM _load_orders`;
  return upsert(tx, {
    table: 'orders',
    keys: ['order_id'],
    columns,
    batch,
    source,
    loadId,
    batchRows: Number(row?.n ?? 0),
  });
}

/** Writes a load's rejects and duplicates to a CSV file (header: line, kind, column, value, reason, raw_row). */
export async function writeRejects(engine: Engine, loadId: number, path: string): Promise<void> {
  await engine.exec(sql`COPY (
      SELECT line, kind, column_name, raw_value, reason, CAST(raw_row AS VARCHAR) AS raw_row
      FROM rejects WHERE load_id = ${loadId} ORDER BY line NULLS FIRST
    ) TO ${path} (HEADER, DELIMITER ',')`);
}

/**
 * The most frequent reasons of a load's rejects (the value each quotes, and the order and line a
 * whole-order reject names, left out, so they group).
 */
export async function topRejectReasons(tx: Engine, loadId: number): Promise<RejectReason[]> {
  const top = await tx.query<{ reason: string; n: number; lines: number[]; example: string | null }>(sql`
    SELECT regexp_replace(regexp_replace(split_part(reason, '; ', 1), ', found ".*$', ''),
             '^another line of order ".*" was rejected \\(line [0-9]+\\)', 'another line of its order was rejected') AS reason,
           count(*) AS n,
           list(line ORDER BY line)[1:5] AS lines, arg_min(raw_value, line) AS example
    FROM rejects WHERE load_id = ${loadId} AND kind = 'rejected' GROUP BY 1 ORDER BY n DESC, reason LIMIT 5`);
  return top.map((t) => ({
    reason: t.reason,
    rows: Number(t.n),
    lines: (t.lines ?? []).map(Number),
    example: t.example ?? null,
    fix: fixFor(t.reason),
  }));
}

/** What to do about a reject reason, in one line. */
export function fixFor(reason: string): string {
  if (/expected a date|expected a timestamp/.test(reason))
    return "if the dates are written another way, give it: --date-format '%m/%d/%Y' (or in the mapping file); else correct those values";
  if (/expected (a number|an integer)/.test(reason))
    return 'if the numbers use another decimal separator, give it: --decimal , (or .); else correct or blank those values';
  if (/another line of its order was rejected/.test(reason))
    return "correct the order's rejected line (its own reason is listed too): the order loads when all its lines do";
  if (/a known customer/.test(reason))
    return 'import the customers file first (with the same --source), or pass --create-customers to create them from their ids';
  if (/a known order/.test(reason))
    return 'import the orders first, or a flat file with customer and date columns';
  if (/a value is required/.test(reason))
    return 'fill the column, or map another column to the field in a mapping file';
  if (/expected an amount|expected a price|≥ 0/.test(reason))
    return 'pass --allow-negative if negative amounts are refunds or corrections';
  if (/fields?|unterminated|quote/i.test(reason))
    return 'check the delimiter and quoting (--delimiter), or repair the broken lines';
  return 'correct those values in the file, or map the column differently in a mapping file (--mapping)';
}

async function rejectRateError(
  tx: Engine,
  loadId: number,
  source: string,
  rejected: number,
  read: number,
  options: LoadOptions,
): Promise<InputError> {
  const top = await topRejectReasons(tx, loadId);
  const rate = rejected / read;
  const reasons = top.map(
    (t) =>
      `  - ${t.reason}: ${t.rows} rows (lines ${t.lines.join(', ')}${t.rows > 5 ? ', …' : ''})${t.example !== null ? `, e.g. "${t.example}"` : ''}\n    fix: ${t.fix}`,
  );
  const out = options.rejectsOut
    ? ` All rejects are in ${options.rejectsOut}.`
    : ' Pass --rejects-out FILE to get every reject as CSV.';
  return new InputError(
    `${source}: ${rejected} of ${read} rows rejected (${(rate * 100).toFixed(1)}%), more than --max-reject-rate ${options.maxRejectRate}; nothing was loaded.\nTop reasons:\n${reasons.join('\n')}\nFix the file (or the mapping / --date-format / --decimal), or raise --max-reject-rate (1 turns the check off).${out}`,
    {
      rejected,
      read,
      rejectRate: rate,
      maxRejectRate: options.maxRejectRate,
      topReasons: top,
      rejectsOut: options.rejectsOut ?? null,
    },
    { code: 'REJECT_RATE_EXCEEDED' },
  );
}

/** An example `--columns` value with exactly `n` names, for a file without a header line. */
function headerlessExample(n: number): string {
  const named = ['customer_id', 'order_date', 'total'];
  return (
    n >= named.length ? [...named, ...Array<string>(n - named.length).fill('-')] : named.slice(0, n)
  ).join(',');
}
