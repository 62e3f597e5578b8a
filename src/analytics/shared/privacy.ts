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

/**
 * Fields that count customers (or contacts, members, treated and control customers) in an aggregate cell.
 * `suppressSmallCellsDeep` withholds any cell where one of them is 1 to k−1.
 */
export const CUSTOMER_COUNT_FIELDS: readonly string[] = [
  'customers',
  'buyers',
  'prospects',
  'active',
  'lapsed',
  'declining',
  'members',
  'contacts',
  'size',
  'treated',
  'control',
  'n',
];

/** Counts that only count (a KPI's prospects, active or lapsed): withheld alone, not the figures beside them. */
const COUNT_ONLY_FIELDS = new Set(['prospects', 'active', 'lapsed', 'declining']);

/** Fields that describe a cell or the request, never a figure about its customers: kept when a cell is withheld. */
const CELL_LABEL_FIELDS = new Set([
  'minCellSize',
  'weekday',
  'bucket',
  'sends',
  'periods',
  'activeDays',
  'horizonDays',
  'windowDays',
  'alertDays',
  'valuablePercentile',
  'level',
  'seed',
  'decile',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether an object (or an object nested in it, arrays aside) counts 1 to k−1 customers. */
function holdsSmallCell(value: Record<string, unknown>, k: number): boolean {
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'number' && CUSTOMER_COUNT_FIELDS.includes(key) && v > 0 && v < k) return true;
    if (isObject(v) && holdsSmallCell(v, k)) return true;
  }
  return false;
}

/**
 * Privacy by construction for any aggregate a viewer sees (issue 19): walks a response and withholds every
 * cell about 1 to k−1 customers. A row of a list (a month, a tier, a channel, a campaign) whose customer
 * count, or a count in an object inside it, is small is left out; a single object (the KPIs, a total) keeps its
 * shape with its figures set to null and `suppressed: true`. Cells of 0 customers reveal nobody and stay.
 *
 * @example
 * ```ts
 * suppressSmallCellsDeep({ byMonth: [{ month: '2026-01', customers: 3, revenue: 90 }] }, 10);
 * // { byMonth: [] }
 * ```
 */
export function suppressSmallCellsDeep<T>(value: T, k: number): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.filter((e) => !(isObject(e) && holdsSmallCell(e, k))).map(walk);
    if (!isObject(v)) return v;
    const isSmall = (key: string, x: unknown) =>
      typeof x === 'number' && CUSTOMER_COUNT_FIELDS.includes(key) && x > 0 && x < k;
    const entries = Object.entries(v);
    // A small count of the cell's customers withholds all its figures; a small count-only field, itself.
    const all = entries.some(([key, x]) => isSmall(key, x) && !COUNT_ONLY_FIELDS.has(key));
    const out: Record<string, unknown> = {};
    for (const [key, x] of entries) {
      const withheld = isSmall(key, x) || (all && typeof x === 'number' && !CELL_LABEL_FIELDS.has(key));
      out[key] = withheld ? null : walk(x);
    }
    if (entries.some(([key, x]) => isSmall(key, x))) out.suppressed = true;
    return out;
  };
  return walk(value) as T;
}
