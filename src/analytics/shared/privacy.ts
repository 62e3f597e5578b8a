/**
 * Privacy by construction (issue 19), as small pure helpers every route and module can reuse:
 * - personal fields: the columns that identify a person, which viewers may not filter, group or sort on;
 * - minimum cell size k: any figure a viewer sees about fewer than k customers is suppressed.
 *
 * @example
 * ```ts
 * personalFieldsIn(['age', 'email']);              // ['email']
 * suppressCount({ count: 3, total: 5000 }, 10);    // { count: null, share: null, suppressed: true, … }
 * isSmallCell(4, 10);                              // true
 * ```
 */

/** Default minimum cell size (the `min_cell_size` setting overrides it). */
export const DEFAULT_MIN_CELL_SIZE = 10;

/** Columns that identify a person (names, contact details, street, birth date, ids). */
export const PERSONAL_FIELDS: readonly string[] = [
  'customer_id',
  'first_name',
  'last_name',
  'full_name',
  'name',
  'email',
  'email_norm',
  'phone',
  'phone_e164',
  'street',
  'address',
  'birth_date',
  'source_id',
];

/** Whether a column name is a personal field (case-insensitive). */
export function isPersonalField(column: string): boolean {
  return PERSONAL_FIELDS.includes(column.toLowerCase());
}

/** The personal fields among `columns`, each once, in order. */
export function personalFieldsIn(columns: readonly string[]): string[] {
  return [...new Set(columns.filter(isPersonalField).map((c) => c.toLowerCase()))];
}

/**
 * Whether a group of `count` customers is too small to show: fewer than k, or (when the whole base is
 * given) a complement of fewer than k, since `total − count` would reveal it.
 */
export function isSmallCell(count: number, k: number, total?: number): boolean {
  if (count < k) return true;
  if (total === undefined) return false;
  const rest = total - count;
  return rest > 0 && rest < k;
}

export interface SuppressedCount {
  count: number | null;
  share: number | null;
  total: number;
  /** True when the figures were withheld (a cell under the minimum size). */
  suppressed: boolean;
  minCellSize: number;
}

/** A count and its share, or neither when the cell is small. */
export function suppressCount(cell: { count: number; total: number }, k: number): SuppressedCount {
  const small = isSmallCell(cell.count, k, cell.total);
  return {
    count: small ? null : cell.count,
    share: small ? null : cell.total ? cell.count / cell.total : 0,
    total: cell.total,
    suppressed: small,
    minCellSize: k,
  };
}

/** Rows whose count is at least k; the others are dropped and counted in `suppressed`. */
export function dropSmallCells<T>(
  rows: readonly T[],
  countOf: (row: T) => number,
  k: number,
): { rows: T[]; suppressed: number } {
  const kept = rows.filter((r) => !isSmallCell(countOf(r), k));
  return { rows: kept, suppressed: rows.length - kept.length };
}
