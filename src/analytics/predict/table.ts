/**
 * Reads a table or view of the datamart into a feature frame plus a 0/1 label: the bridge between the engine
 * and the pure models. Column roles are inferred from the values: numbers and booleans are numeric, ISO
 * dates become days since 1970-01-01, text that is all numbers (blanks allowed, as Telco's TotalCharges) is
 * numeric, other text is categorical. Identifier-like text columns (nearly one level per row) are left out
 * with a warning. Rows without a label are dropped and counted.
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
  warnings: string[];
}

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
  const missing = [
    options.target,
    options.idColumn,
    ...(options.exclude ?? []),
    ...(options.include ?? []),
  ].filter((c): c is string => c !== undefined && !names.includes(c));
  if (missing.length) {
    throw new InputError(
      `Table "${table}": expected column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, found only ${names.join(', ')}. Check the spelling (names are case-sensitive).`,
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
  const columns: FeatureColumn[] = [];
  for (const name of featureNames) {
    if (exclude.has(name)) continue;
    const values = keep.map((i) => (data[name] as unknown[])[i]);
    const col = inferColumn(name, values, warnings);
    if (
      col.kind === 'categorical' &&
      col.levels.length > 50 &&
      col.levels.length > 0.5 * n &&
      !options.include
    ) {
      skipped.push({
        column: name,
        reason: `looks like an identifier (${col.levels.length} distinct values in ${n} rows)`,
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
  return {
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
