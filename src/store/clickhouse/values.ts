/**
 * ClickHouse JSON values → the plain JS values every engine returns (see `Engine`): 64-bit integers
 * (sent quoted, so they are never rounded in transit) as numbers when exact, else as strings; DateTime as an
 * ISO string with `Z` (as DuckDB's TIMESTAMP); Date as `YYYY-MM-DD`; NaN and infinities as NaN/±Infinity.
 */
export function toPlainValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const base = unwrap(type);
  if (base.startsWith('Array(') && Array.isArray(value)) {
    const inner = base.slice(6, -1);
    return value.map((v) => toPlainValue(v, inner));
  }
  if (/^U?Int(64|128|256)$/.test(base) && typeof value === 'string') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (base.startsWith('DateTime') && typeof value === 'string') return isoTimestamp(value);
  if (base.startsWith('Float') && typeof value === 'string') {
    if (value === 'nan' || value === '-nan') return Number.NaN;
    if (value === 'inf' || value === '+inf') return Number.POSITIVE_INFINITY;
    if (value === '-inf') return Number.NEGATIVE_INFINITY;
  }
  if (base.startsWith('Decimal') && typeof value === 'string') return Number(value);
  return value;
}

/** `Nullable(LowCardinality(String))` → `String`. */
function unwrap(type: string): string {
  let t = type;
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t);
    if (!m) return t;
    t = m[1]!;
  }
}

/** `2024-01-02 03:04:05.123456` (UTC) → `2024-01-02T03:04:05.123Z`, as DuckDB's converter gives. */
function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(text);
  if (!m) return text;
  const ms = (m[3] ?? '.000').slice(1, 4).padEnd(3, '0');
  return `${m[1]}T${m[2]}.${ms}Z`;
}
