/**
 * The column-oriented feature frame every model in `predict/` fits on and scores: numeric columns as
 * Float64Array (NaN = missing), categorical columns as Int32Array codes into `levels` (−1 = missing).
 * Pure data helpers only; loading a frame from the engine lives in `table.ts`.
 */

/**
 * Where a numeric feature's values came from, so the SQL compiler can read the column the same way. 'age':
 * an ISO date read as the days from it to the row's reference date (its `reference` column, e.g. as_of):
 * models never see absolute dates, whose meaning drifts with the calendar. ('date', days since 1970, is only
 * read by models saved before ages existed.)
 */
export type NumericOrigin = 'number' | 'boolean' | 'text' | 'date' | 'age';

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** One value per row; NaN marks a missing value. */
  readonly values: Float64Array;
  /** Source encoding: numbers (default), booleans (1/0), numbers stored as text, dates as ages in days. */
  readonly origin?: NumericOrigin;
  /** 'age' only: the date column the age is measured to (the row's as-of date). */
  readonly reference?: string;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Index into `levels` per row; −1 marks a missing value. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type FeatureColumn = NumericColumn | CategoricalColumn;

export interface FeatureFrame {
  readonly rows: number;
  readonly columns: readonly FeatureColumn[];
}

/** How a model saw one feature at fit time; categorical levels are kept so new data is coded the same way. */
export interface FeatureSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Categorical only: the training levels, in code order. */
  levels?: string[];
  /** Numeric only, when not plain numbers: how the source column is read. */
  origin?: NumericOrigin;
  /** 'age' only: the reference date column (ages are reference − value, in days). */
  reference?: string;
}

export function specsOf(frame: FeatureFrame): FeatureSpec[] {
  return frame.columns.map((c) =>
    c.kind === 'numeric'
      ? {
          name: c.name,
          kind: 'numeric',
          ...(c.origin && c.origin !== 'number' ? { origin: c.origin } : {}),
          ...(c.reference ? { reference: c.reference } : {}),
        }
      : { name: c.name, kind: 'categorical', levels: [...c.levels] },
  );
}

/** A numeric column from plain values (null, undefined and non-finite numbers become missing). */
export function numericColumn(
  name: string,
  values: ArrayLike<number | null | undefined>,
  origin?: NumericOrigin,
): NumericColumn {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
  }
  return origin && origin !== 'number'
    ? { kind: 'numeric', name, values: out, origin }
    : { kind: 'numeric', name, values: out };
}

/** A categorical column from plain values; levels are sorted so the coding does not depend on row order. */
export function categoricalColumn(
  name: string,
  values: ArrayLike<string | null | undefined>,
): CategoricalColumn {
  const set = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) set.add(v);
  }
  const levels = [...set].sort();
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === null || v === undefined ? -1 : (index.get(v) ?? -1);
  }
  return { kind: 'categorical', name, codes, levels };
}

/** The rows `index` of a frame, in that order. */
export function takeRows(frame: FeatureFrame, index: ArrayLike<number>): FeatureFrame {
  const n = index.length;
  const columns = frame.columns.map((c): FeatureColumn => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = c.values[index[i] as number] as number;
      return { ...c, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = c.codes[index[i] as number] as number;
    return { kind: 'categorical', name: c.name, codes, levels: c.levels };
  });
  return { rows: n, columns };
}

/**
 * Re-codes a frame's columns to the specs a model was fitted with: columns are matched by name, categorical
 * levels by text (a level unseen at fit time becomes missing). Returns the aligned columns and the names of
 * the model's features the frame lacks.
 */
export function alignFrame(
  frame: FeatureFrame,
  specs: readonly FeatureSpec[],
): { frame: FeatureFrame; missing: string[] } {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const missing: string[] = [];
  const columns = specs.map((spec): FeatureColumn => {
    const col = byName.get(spec.name);
    if (!col) {
      missing.push(spec.name);
      return spec.kind === 'numeric'
        ? { kind: 'numeric', name: spec.name, values: new Float64Array(frame.rows).fill(Number.NaN) }
        : {
            kind: 'categorical',
            name: spec.name,
            codes: new Int32Array(frame.rows).fill(-1),
            levels: spec.levels ?? [],
          };
    }
    if (spec.kind === 'numeric') {
      if (col.kind === 'numeric') return col;
      const values = new Float64Array(frame.rows);
      for (let i = 0; i < frame.rows; i++) {
        const code = col.codes[i] as number;
        const parsed = code < 0 ? Number.NaN : Number(col.levels[code]);
        values[i] = Number.isFinite(parsed) ? parsed : Number.NaN;
      }
      return { kind: 'numeric', name: spec.name, values };
    }
    const levels = spec.levels ?? [];
    const index = new Map(levels.map((l, i) => [l, i]));
    const codes = new Int32Array(frame.rows);
    if (col.kind === 'categorical') {
      const remap = col.levels.map((l) => index.get(l) ?? -1);
      for (let i = 0; i < frame.rows; i++) {
        const c = col.codes[i] as number;
        codes[i] = c < 0 ? -1 : (remap[c] as number);
      }
    } else {
      for (let i = 0; i < frame.rows; i++) {
        const v = col.values[i] as number;
        codes[i] = Number.isNaN(v) ? -1 : (index.get(String(v)) ?? -1);
      }
    }
    return { kind: 'categorical', name: spec.name, codes, levels };
  });
  return { frame: { rows: frame.rows, columns }, missing };
}

/** The value of one row of a frame, as plain JS (null for missing). */
export function cellValue(column: FeatureColumn, row: number): number | string | null {
  if (column.kind === 'numeric') {
    const v = column.values[row] as number;
    return Number.isNaN(v) ? null : v;
  }
  const c = column.codes[row] as number;
  return c < 0 ? null : (column.levels[c] ?? null);
}
