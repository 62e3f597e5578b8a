/**
 * Reads a table or view of the datamart into a feature frame plus a 0/1 label: the bridge between the engine
 * and the pure models. Column roles are inferred from the values: numbers and booleans are numeric, ISO
 * dates become days since 1970-01-01, text that is all numbers (blanks allowed, as Telco's TotalCharges) is
 * numeric, other text is categorical. Identifiers (ids, names, contact details, postcodes: `IDENTIFIER_NAME`)
 * and near-unique text columns (over 50 levels and over 2 % of the rows) are left out with a warning. Rows without a label are dropped and counted.
 */
import { InputError, NotFoundError } from '../../errors.js';
import { type Engine, ident, sql, tableExists } from '../../store/index.js';
import {
  type CategoricalColumn,
  categoricalColumn,
  type FeatureColumn,
  type FeatureFrame,
  type NumericColumn,
  numericColumn,
} from './models/frame.js';

export interface LoadTableOptions {
  /** The label column (required for training, optional for scoring). */
  target?: string;
  /** The label value counted as positive; default: yes/true/1/y (any case) when present, else the minority value. */
  positive?: string;
  /** Columns to leave out. */
  exclude?: readonly string[];
  /** Only these columns are features (default: all but target, id and excluded). */
  include?: readonly string[];
  /** Row identifier column kept alongside (default: customer_id / customerID / id when unique). */
  idColumn?: string;
  /** Optional WHERE condition as a `sql` fragment. */
  where?: ReturnType<typeof sql>;
  /**
   * Keep included columns even when they hold one value in the rows read: scoring a few rows (one customer, a
   * page) must see every feature the model uses, and a handful of rows is constant in most columns.
   */
  keepConstant?: boolean;
}

export interface LoadedTable {
  frame: FeatureFrame;
  /** 0/1 per row (empty when no target was asked for). */
  y: Float64Array;
  /** Row identifiers as text (row numbers when there is no id column). */
  ids: string[];
  idColumn: string | null;
  target: string | null;
  /** The label value counted as 1. */
  positive: string | null;
  /** Rows dropped because the label was missing. */
  droppedRows: number;
  /** Columns left out automatically, with the reason. */
  skipped: { column: string; reason: string }[];
  /** The latest reference date (as_of / cutoff column) of the rows read, `YYYY-MM-DD`; absent without one. */
  referenceDate?: string;
  warnings: string[];
}

/**
 * Column names that identify or locate a person or a row rather than describe them: ids, names, contact
 * details, street addresses and postcodes (a postcode is near-unique per household and, learned as a
 * category, memorises the training rows). Left out by default; `include` forces them in.
 */
export const IDENTIFIER_NAME =
  /^(id|uuid|guid|email|email_norm|phone|phone_e164|mobile|street|address|house_number|postcode|post_code|postal_code|zip|zip_code|zipcode|first_name|last_name|full_name|area_name)$|_id$/i;
/** A text column with more than this many levels… */
export const NEAR_UNIQUE_LEVELS = 50;
/** …and more levels than this share of the rows is near-unique, and left out by default. */
export const NEAR_UNIQUE_SHARE = 0.02;

const POSITIVE = new Set(['yes', 'true', '1', 'y', 't', '1.0']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Loads a table or view into a feature frame, 0/1 labels and row ids.
 * @param engine the datamart
 * @param table table or view name
 * @param options target, positive label, excluded/included columns, id column, WHERE fragment
 * @returns the frame, labels, ids, skipped columns, dropped rows and warnings
 * @throws NotFoundError NOT_FOUND for an unknown table; InputError MISSING_COLUMN when a named column does not
 *   exist, INVALID_INPUT for a non-binary target
 * @example
 * ```ts
 * const t = await loadTable(engine, 'telco', { target: 'Churn', exclude: ['gender'] });
 * ```
 */
export async function loadTable(
  engine: Engine,
  table: string,
  options: LoadTableOptions = {},
): Promise<LoadedTable> {
  const where = options.where ? sql` WHERE ${options.where}` : sql``;
  if (!(await tableExists(engine, table))) {
    const known = await engine.query<{ name: string }>(
      sql`SELECT DISTINCT table_name AS name FROM information_schema.tables ORDER BY 1`,
    );
    throw new NotFoundError(
      `Table "${table}" does not exist. Known tables and views: ${known.map((k) => k.name).join(', ') || '(none)'}. Import one with clientele import FILE --as NAME.`,
      { table },
    );
  }
  // Seeded splits and sampling depend on row order: where the engine does not keep the written order, the
  // rows are sorted by every column (the training set is written in that order, so both agree).
  const order = engine.dialect.preservesInsertionOrder ? sql`` : sql` ORDER BY ALL`;
  const data = await engine.queryColumns(sql`SELECT * FROM ${ident(table)}${where}${order}`);
  const names = Object.keys(data);
  if (names.length === 0)
    throw new InputError(
      `Table "${table}": expected columns, found none.`,
      { table },
      { code: 'EMPTY_INPUT' },
    );
  // Column names are matched as written, else case-insensitively when that names one column (`--target
  // Churn` on an imported column `churn`).
  const resolve = (c: string): string => {
    if (names.includes(c)) return c;
    const folded = names.filter((n) => n.toLowerCase() === c.toLowerCase());
    return folded.length === 1 ? folded[0]! : c;
  };
  options = {
    ...options,
    ...(options.target !== undefined ? { target: resolve(options.target) } : {}),
    ...(options.idColumn !== undefined ? { idColumn: resolve(options.idColumn) } : {}),
    ...(options.exclude ? { exclude: options.exclude.map(resolve) } : {}),
    ...(options.include ? { include: options.include.map(resolve) } : {}),
  };
  const missing = [
    options.target,
    options.idColumn,
    ...(options.exclude ?? []),
    ...(options.include ?? []),
  ].filter((c): c is string => c !== undefined && !names.includes(c));
  if (missing.length) {
    throw new InputError(
      `Table "${table}": expected column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, found only ${names.join(', ')}. Check the spelling.`,
      { table, missing, columns: names },
      { code: 'MISSING_COLUMN' },
    );
  }
  return frameFromColumns(data, { ...options, table });
}

/** Builds frame, labels and ids from column arrays (the pure part of loadTable). */
export function frameFromColumns(
  data: Record<string, unknown[]>,
  options: LoadTableOptions & { table?: string },
): LoadedTable {
  const names = Object.keys(data);
  const nAll = data[names[0] as string]?.length ?? 0;
  const warnings: string[] = [];
  const skipped: LoadedTable['skipped'] = [];
  const target = options.target ?? null;
  let keep: number[] = Array.from({ length: nAll }, (_, i) => i);
  let y = new Float64Array(0);
  let positive: string | null = null;
  let dropped = 0;
  if (target) {
    const raw = data[target] as unknown[];
    keep = keep.filter((i) => raw[i] !== null && raw[i] !== undefined && String(raw[i]).trim() !== '');
    dropped = nAll - keep.length;
    if (dropped) warnings.push(`${dropped} rows have no value in "${target}" and were left out.`);
    const labels = keep.map((i) => String(raw[i]).trim());
    const distinct = [...new Set(labels)];
    if (distinct.length !== 2) {
      throw new InputError(
        `Column "${target}": expected exactly two label values (e.g. yes/no, 1/0), found ${distinct.length}: ${distinct.slice(0, 5).join(', ')}${distinct.length > 5 ? ' …' : ''}. Pick a binary column or derive one with clientele sql.`,
        { column: target, values: distinct.slice(0, 20) },
      );
    }
    if (options.positive !== undefined) {
      if (!distinct.includes(options.positive))
        throw new InputError(
          `--positive: expected one of ${distinct.join(', ')}, got "${options.positive}".`,
          { values: distinct },
        );
      positive = options.positive;
    } else {
      positive = distinct.find((d) => POSITIVE.has(d.toLowerCase())) ?? minority(labels, distinct);
    }
    y = Float64Array.from(labels, (l) => (l === positive ? 1 : 0));
  }
  const n = keep.length;
  let idColumn = options.idColumn ?? null;
  if (!idColumn) {
    idColumn =
      names.find((c) => /^(customer_?id|id)$/i.test(c) && c !== target && new Set(data[c]).size === nAll) ??
      null;
  }
  const ids = idColumn
    ? keep.map((i) => String((data[idColumn as string] as unknown[])[i]))
    : keep.map((i) => String(i + 1));
  const exclude = new Set([
    ...(options.exclude ?? []),
    ...(target ? [target] : []),
    ...(idColumn ? [idColumn] : []),
  ]);
  const featureNames = options.include ? [...options.include] : names.filter((c) => !exclude.has(c));
  const reference = referenceColumn(data, keep);
  const columns: FeatureColumn[] = [];
  for (const name of featureNames) {
    if (exclude.has(name)) continue;
    if (REFERENCE_NAME.test(name)) {
      skipped.push({ column: name, reason: 'the reference date: ages are measured to it, it is no trait' });
      continue;
    }
    const values = keep.map((i) => (data[name] as unknown[])[i]);
    if (!options.include && IDENTIFIER_NAME.test(name)) {
      skipped.push({
        column: name,
        reason: 'names or locates a person or a row (an identifier, not a trait)',
      });
      continue;
    }
    let col = inferColumn(name, values, warnings);
    if (col.kind === 'numeric' && col.origin === 'date') {
      if (!reference) {
        skipped.push({
          column: name,
          reason:
            'an absolute date (its meaning drifts with the calendar) and no as_of or cutoff column to measure an age from',
        });
        continue;
      }
      col = ageColumn(col, reference);
    }
    if (
      col.kind === 'categorical' &&
      col.levels.length > NEAR_UNIQUE_LEVELS &&
      col.levels.length > NEAR_UNIQUE_SHARE * n &&
      !options.include
    ) {
      skipped.push({
        column: name,
        reason: `near-unique: ${col.levels.length} distinct values in ${n} rows, too many to learn from`,
      });
      continue;
    }
    if (!options.keepConstant && isConstant(col)) {
      skipped.push({ column: name, reason: 'has a single value' });
      continue;
    }
    columns.push(col);
  }
  if (skipped.length)
    warnings.push(
      `Left out ${skipped.map((s) => `"${s.column}" (${s.reason})`).join(', ')}; list columns with --include to force them in.`,
    );
  let latest = Number.NEGATIVE_INFINITY;
  for (const d of reference?.days ?? []) if (d > latest) latest = d;
  return {
    ...(Number.isFinite(latest)
      ? { referenceDate: new Date(latest * 86_400_000).toISOString().slice(0, 10) }
      : {}),
    frame: { rows: n, columns },
    y,
    ids,
    idColumn,
    target,
    positive,
    droppedRows: dropped,
    skipped,
    warnings,
  };
}

/**
 * The latest reference date (as_of or cutoff column) of a table, `YYYY-MM-DD`, or null when it has none: the
 * date its rows describe, so scores computed from them are stored as of it (not as of the model's training).
 */
export async function tableReferenceDate(engine: Engine, table: string): Promise<string | null> {
  const cols = await engine.query<{ name: string }>(
    sql`SELECT column_name AS name FROM information_schema.columns WHERE table_name = ${table}`,
  );
  const ref = cols.map((c) => c.name).find((c) => REFERENCE_NAME.test(c));
  if (!ref) return null;
  const [row] = await engine.query<{ d: string | null }>(
    sql`SELECT ${engine.dialect.toText(sql`CAST(max(${ident(ref)}) AS DATE)`)} AS d FROM ${ident(table)}`,
  );
  return row?.d ?? null;
}

/** Columns holding a row's reference date: as_of (the feature view) or cutoff (training sets). */
export const REFERENCE_NAME = /^(as_of|cutoff)$/i;

interface Reference {
  name: string;
  days: Float64Array;
}

/** The row's reference date column (as epoch days per kept row), when the data has one with dates. */
function referenceColumn(data: Record<string, unknown[]>, keep: number[]): Reference | null {
  for (const name of Object.keys(data)) {
    if (!REFERENCE_NAME.test(name)) continue;
    const col = inferColumn(
      name,
      keep.map((i) => (data[name] as unknown[])[i]),
      [],
    );
    if (col.kind === 'numeric' && col.origin === 'date') return { name, days: col.values };
  }
  return null;
}

/** A date column (epoch days) as ages: reference − date, in days (missing stays missing). */
function ageColumn(col: NumericColumn, reference: Reference): NumericColumn {
  const values = new Float64Array(col.values.length);
  for (let i = 0; i < values.length; i++)
    values[i] = (reference.days[i] as number) - (col.values[i] as number);
  return { kind: 'numeric', name: col.name, values, origin: 'age', reference: reference.name };
}

/** The less frequent label (ties: the later one in sort order), used when no label reads as "yes". */
function minority(labels: string[], distinct: string[]): string {
  const [a, b] = [...distinct].sort() as [string, string];
  const countA = labels.filter((l) => l === a).length;
  return countA < labels.length - countA ? a : b;
}

function isConstant(col: FeatureColumn): boolean {
  if (col.kind === 'categorical') {
    let seen = -2;
    for (const c of col.codes) {
      if (seen === -2) seen = c;
      else if (c !== seen) return false;
    }
    return true;
  }
  let first: number | undefined;
  let sawMissing = false;
  for (const v of col.values) {
    if (Number.isNaN(v)) sawMissing = true;
    else if (first === undefined) first = v;
    else if (v !== first) return false;
  }
  return !(sawMissing && first !== undefined);
}

/** Chooses numeric or categorical for one column from its values. */
export function inferColumn(
  name: string,
  values: unknown[],
  warnings: string[],
): NumericColumn | CategoricalColumn {
  let numbers = 0;
  let texts = 0;
  let numericTexts = 0;
  let dates = 0;
  let blanks = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') numbers++;
    else if (typeof v === 'string') {
      const t = v.trim();
      if (t === '') blanks++;
      else if (Number.isFinite(Number(t))) numericTexts++;
      else if (ISO_DATE.test(t) && !Number.isNaN(Date.parse(t))) dates++;
      else texts++;
    } else texts++;
  }
  if (texts === 0 && dates === 0 && (numbers > 0 || numericTexts > 0)) {
    if (numericTexts > 0)
      warnings.push(
        `Column "${name}" holds numbers stored as text${blanks ? ` (${blanks} blank)` : ''}; read as numeric, blanks as missing.`,
      );
    const origin =
      numericTexts > 0 ? 'text' : values.some((v) => typeof v === 'boolean') ? 'boolean' : 'number';
    return numericColumn(
      name,
      values.map((v) =>
        v === null || v === undefined
          ? null
          : typeof v === 'string'
            ? v.trim() === ''
              ? null
              : Number(v)
            : Number(v),
      ),
      origin,
    );
  }
  if (texts === 0 && dates > 0 && numbers === 0 && numericTexts === 0) {
    return numericColumn(
      name,
      values.map((v) =>
        typeof v === 'string' && v.trim() !== '' ? Math.floor(Date.parse(v) / 86_400_000) : null,
      ),
      'date',
    );
  }
  return categoricalColumn(
    name,
    values.map((v) =>
      v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? null : String(v),
    ),
  );
}
