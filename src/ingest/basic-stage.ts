import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import {
  CANONICAL_TABLES,
  type CanonicalTable,
  type Engine,
  identPart,
  join,
  raw,
  sql,
} from '../store/index.js';
import { isBlankSql, parseValueSql } from './load/convert.js';
import { TARGETS } from './load/fields.js';
import type { ColumnMapping, Mapping, ParseOptions, SourceFormat, StagedSource } from './types.js';

/**
 * Minimal profile / map steps used by `importSource` until the full profiler and header-synonym mapper
 * take over: a per-column type profile in SQL, and header names matched to field names.
 */

export interface SourceSpec {
  path: string;
  format?: SourceFormat;
  delimiter?: string;
  encoding?: string;
  decimal?: '.' | ',';
  dateFormat?: string;
  sheet?: string;
}

/** Rows the basic profiler looks at. */
const PROFILE_ROWS = 20_000;

const DATE_FORMATS = ['%Y-%m-%d', '%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y', '%m/%d/%Y'];
const TS_FORMATS = [
  '%Y-%m-%d %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y %H:%M:%S',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y %H:%M:%S',
];

/** Candidate parse options for a column, most specific first. */
function candidates(hints: Pick<SourceSpec, 'decimal' | 'dateFormat'>): ParseOptions[] {
  const dates = hints.dateFormat ? [hints.dateFormat] : DATE_FORMATS;
  const decimals: ('.' | ',')[] = hints.decimal ? [hints.decimal] : ['.', ','];
  return [
    { type: 'boolean', trueValues: ['true', 'yes', 'y'], falseValues: ['false', 'no', 'n'] },
    { type: 'integer' },
    ...decimals.map(
      (d): ParseOptions => ({ type: 'number', decimal: d, ...(d === ',' ? { thousands: '.' } : {}) }),
    ),
    ...dates.map((f): ParseOptions => ({ type: 'date', ...(f === '%Y-%m-%d' ? {} : { dateFormat: f }) })),
    { type: 'timestamp' },
    ...(hints.dateFormat ? [] : TS_FORMATS).map((f): ParseOptions => ({ type: 'timestamp', dateFormat: f })),
  ];
}

/**
 * Profiles every staged column in SQL: a first query classes each column by the shape of its values
 * (boolean-, number- or date-like), a second tries only that class's candidates; the first candidate every
 * non-blank value parses as wins, else the column is text.
 */
export async function profileBasic(
  engine: Engine,
  staged: StagedSource,
  hints: Pick<SourceSpec, 'decimal' | 'dateFormat'> = {},
): Promise<Record<string, ParseOptions>> {
  const out: Record<string, ParseOptions> = {};
  if (staged.columns.length === 0) return out;
  // The first rows decide (a later value that does not fit is rejected with its reason, never lost).
  const table = sql`(SELECT * FROM ${raw(quoted(staged.table))} LIMIT ${PROFILE_ROWS})`;
  const shapes = staged.columns.flatMap((c, i) => {
    const v = sql`NULLIF(trim(${identPart(c.staged)}), '')`;
    return [
      sql`count(${v}) AS ${identPart(`n${i}`)}`,
      sql`count(*) FILTER (WHERE lower(${v}) IN ('true', 'false', 'yes', 'no', 'y', 'n')) AS ${identPart(`b${i}`)}`,
      sql`count(*) FILTER (WHERE regexp_full_match(${v}, '[-+]?[0-9][0-9.,]*([eE][-+]?[0-9]+)?')) AS ${identPart(`d${i}`)}`,
      sql`count(*) FILTER (WHERE regexp_matches(${v}, '^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}')) AS ${identPart(`t${i}`)}`,
    ];
  });
  const [shape] = await engine.query(sql`SELECT ${join(shapes)} FROM ${table}`);
  const all = candidates(hints);
  const tries: { column: number; candidates: ParseOptions[] }[] = [];
  staged.columns.forEach((c, i) => {
    const n = Number(shape?.[`n${i}`] ?? 0);
    out[c.name] = { type: 'string' };
    if (n === 0) return;
    const kind = (t: ParseOptions['type']) => all.filter((p) => p.type === t);
    let list: ParseOptions[] = [];
    if (Number(shape?.[`b${i}`]) === n) list = kind('boolean');
    else if (Number(shape?.[`d${i}`]) === n) list = [...kind('integer'), ...kind('number')];
    else if (Number(shape?.[`t${i}`]) === n) list = [...kind('date'), ...kind('timestamp')];
    if (list.length) tries.push({ column: i, candidates: list });
  });
  if (tries.length === 0) return out;
  const exprs = tries.flatMap(({ column, candidates: list }) => {
    const col = sql`${identPart(staged.columns[column]!.staged)}`;
    return list.map(
      (p, j) =>
        sql`count(*) FILTER (WHERE NOT ${isBlankSql(col)} AND ${parseValueSql(col, p)} IS NOT NULL) AS ${identPart(`p${column}_${j}`)}`,
    );
  });
  const [row] = await engine.query(sql`SELECT ${join(exprs)} FROM ${table}`);
  for (const { column, candidates: list } of tries) {
    const n = Number(shape?.[`n${column}`] ?? 0);
    const j = list.findIndex((_, k) => Number(row?.[`p${column}_${k}`] ?? 0) === n);
    if (j >= 0) out[staged.columns[column]!.name] = list[j]!;
  }
  return out;
}

function quoted(table: string): string {
  return table
    .split('.')
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join('.');
}

/** Folds a header for matching: lower-case, accents stripped, non-alphanumerics → '_'. */
export function headerKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_|_$/g, '');
}

const ALIASES: Record<string, string> = {
  customerid: 'customer_id',
  client_id: 'customer_id',
  orderid: 'order_id',
  date: 'order_date',
  qty: 'quantity',
  price: 'unit_price',
  e_mail: 'email',
  mail: 'email',
  zip: 'postcode',
  postal_code: 'postcode',
  zipcode: 'postcode',
};

export interface MappingFile {
  target?: CanonicalTable;
  columns: Record<string, string | (Partial<ParseOptions> & { field: string })>;
}

/** Reads a mapping file (JSON or YAML): `{ target?, columns: { "Header": "field" | { field, type, … } } }`. */
export function readMappingFile(path: string): MappingFile {
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new InputError(
      `--mapping ${path}: expected a readable JSON or YAML file, got an error: ${(cause as Error).message}`,
      { path },
      { cause, code: 'CONFIG_INVALID' },
    );
  }
  const d = data as Partial<MappingFile> | null;
  if (!d || typeof d !== 'object' || typeof d.columns !== 'object' || d.columns === null) {
    throw new InputError(
      `--mapping ${path}: expected an object with "columns": { "Source header": "field" }, found ${JSON.stringify(data)?.slice(0, 80)}.`,
      { path },
      { code: 'CONFIG_INVALID' },
    );
  }
  if (d.target !== undefined && !(CANONICAL_TABLES as readonly string[]).includes(d.target)) {
    throw new InputError(
      `--mapping ${path}: "target" must be one of ${CANONICAL_TABLES.join(', ')}, found "${d.target}".`,
    );
  }
  return d as MappingFile;
}

/** Picks the canonical table whose required fields the headers cover best. */
export function guessTarget(staged: StagedSource): CanonicalTable | null {
  const keys = new Set(staged.columns.map((c) => ALIASES[headerKey(c.name)] ?? headerKey(c.name)));
  let best: { table: CanonicalTable; score: number } | null = null;
  for (const table of CANONICAL_TABLES) {
    const fields = TARGETS[table].fields;
    const required = fields.filter((f) => f.required && !f.orderLevel);
    if (!required.every((f) => keys.has(f.field))) continue;
    const score = fields.filter((f) => keys.has(f.field)).length / fields.length + required.length;
    if (!best || score > best.score) best = { table, score };
  }
  return best?.table ?? null;
}

/** Maps headers onto the target's fields by name (or the mapping file), with the profiled parse options. */
export function mapBasic(
  staged: StagedSource,
  target: CanonicalTable | 'raw',
  profile: Record<string, ParseOptions>,
  file?: MappingFile,
): Mapping {
  const columns: ColumnMapping[] = [];
  const unmapped: string[] = [];
  const reasons: Record<string, string> = {};
  const fields = target === 'raw' ? null : new Set(TARGETS[target].fields.map((f) => f.field));
  for (const c of staged.columns) {
    const parse = profile[c.name] ?? { type: 'string' };
    const fromFile = file?.columns[c.name];
    if (fromFile !== undefined) {
      const entry = typeof fromFile === 'string' ? { field: fromFile } : fromFile;
      const { field, ...opts } = entry;
      columns.push({ source: c.name, field, parse: { ...parse, ...opts } as ParseOptions });
      reasons[c.name] = 'mapping file';
      continue;
    }
    if (target === 'raw') {
      columns.push({ source: c.name, field: c.name.trim() || basename(c.staged), parse });
      reasons[c.name] = 'raw table column';
      continue;
    }
    const key = headerKey(c.name);
    const field = ALIASES[key] ?? key;
    if (fields?.has(field) && !columns.some((m) => m.field === field)) {
      columns.push({ source: c.name, field, parse });
      reasons[c.name] = 'header name';
    } else unmapped.push(c.name);
  }
  return { target, columns, unmapped, reasons };
}
