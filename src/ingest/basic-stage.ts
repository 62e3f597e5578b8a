import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { CANONICAL_TABLES, type CanonicalTable } from '../store/index.js';
import { TARGETS } from './load/fields.js';
import type { ColumnMapping, Mapping, ParseOptions, SourceFormat, StagedSource } from './types.js';

/**
 * Minimal map step used by `importSource` until the header-synonym mapper takes over: header names
 * matched to field names, a simple mapping file, and target detection by required fields.
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
