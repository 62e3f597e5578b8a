/**
 * Column mapping: source headers → canonical fields, by synonyms in five languages, overridable by a
 * mapping file; the target table is detected from the headers when not given.
 */
import { InputError, type Issue, inputErrorFromIssues } from '../../errors.js';
import { CANONICAL_TABLES, type CanonicalTable, type Engine } from '../../store/index.js';
import { TARGETS } from '../load/fields.js';
import { EXCEL_SERIAL_DATE } from '../parse-sql.js';
import { ambiguousDateError, type ColumnProfile, profileColumns } from '../profile.js';
import type { ColumnMapping, Mapping, ParseOptions, StagedSource } from '../types.js';
import type { MappingFile } from './mapping-file.js';
import { headerKey, synonymsOf } from './synonyms.js';

interface FieldInfo {
  field: string;
  type: ParseOptions['type'];
  required: boolean;
}

function fieldsOf(table: CanonicalTable): FieldInfo[] {
  return TARGETS[table].fields.map((f) => ({
    field: f.field,
    type: f.type,
    required: !!f.required && !f.orderLevel,
  }));
}

interface Lookup {
  /** headerKey → field (field names first, then table synonyms, then common ones). */
  exact: Map<string, string>;
  /** The same names without unit words, as a sorted bag of words → field (undefined when two fields share it). */
  words: Map<string, string | undefined>;
}

const lookups = new Map<CanonicalTable, Lookup>();

/** Header key → field for one table. Field names win over table synonyms, which win over common ones. */
function lookupFor(table: CanonicalTable): Lookup {
  const cached = lookups.get(table);
  if (cached) return cached;
  const exact = new Map<string, string>();
  const words = new Map<string, string | undefined>();
  const fields = fieldsOf(table).map((f) => f.field);
  const add = (name: string, f: string) => {
    if (!exact.has(headerKey(name))) exact.set(headerKey(name), f);
    const w = wordsKey(name);
    if (w === '') return;
    if (!words.has(w)) words.set(w, f);
    else if (words.get(w) !== f) words.set(w, undefined);
  };
  for (const f of fields) add(f, f);
  for (const f of fields) for (const s of synonymsOf(table, f)) add(s, f);
  const out = { exact, words };
  lookups.set(table, out);
  return out;
}

/**
 * Words that say a column's unit or tax basis, not what it holds: `Bestellwert (EUR)`, `Montant TTC`,
 * `Amount incl. VAT`, `Сумма, руб`. Dropped before matching (the value's currency is read elsewhere).
 */
const UNIT_WORDS = new Set([
  'eur',
  'euro',
  'euros',
  'usd',
  'gbp',
  'chf',
  'rub',
  'руб',
  'рублей',
  'ttc',
  'ht',
  'incl',
  'inkl',
  'inclusief',
  'excl',
  'exkl',
  'exclusief',
  'vat',
  'btw',
  'mwst',
  'ust',
  'tva',
  'ндс',
  'tax',
  'brutto',
  'netto',
  'gross',
  'in',
  'ex',
  'met',
  'zonder',
  'mit',
  'ohne',
  'avec',
  'sans',
  'с',
  'без',
]);

/** Words that join other words (`date de commande`, `date of order`): dropped before comparing bags of words. */
const JOIN_WORDS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'd',
  'l',
  'of',
  'the',
  'a',
  'van',
  'het',
  'der',
  'die',
  'das',
  'den',
  'von',
  'vom',
  'des',
  'по',
]);

/** The header's words: accents folded, lower case, bracketed parts (`(EUR)`, `[€]`) dropped. */
function headerWords(text: string): string[] {
  return text
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** A header as a bag of words without unit and joining words, in sorted order: word order does not count. */
function wordsKey(text: string): string {
  return headerWords(text)
    .filter((w) => !UNIT_WORDS.has(w) && !JOIN_WORDS.has(w))
    .sort()
    .join(' ');
}

/** How a header was matched: exactly (after folding), as words, or by a fuzzy match with its confidence. */
export interface HeaderMatch {
  field: string;
  how: 'name' | 'words' | 'fuzzy';
  /** 1 for name and word matches; the similarity (0–1) of a fuzzy one. */
  confidence: number;
  /** The synonym it matched, for a fuzzy match. */
  near?: string;
}

/** The least similarity a fuzzy header match needs (1 − edit distance / length). */
export const FUZZY_MIN_CONFIDENCE = 0.8;

/**
 * The field a header means in a table: by its folded name (case, accents, punctuation ignored), then
 * as a bag of words (word order, unit suffixes such as `(EUR)` or `TTC`, and joining words ignored),
 * then by the nearest name within a small edit distance (a typo: `Kundenummer`), with its confidence.
 */
export function matchHeader(table: CanonicalTable, header: string): HeaderMatch | undefined {
  const l = lookupFor(table);
  const key = headerKey(header);
  const byName = l.exact.get(key);
  if (byName) return { field: byName, how: 'name', confidence: 1 };
  const w = wordsKey(header);
  const byWords = w === '' ? undefined : l.words.get(w);
  if (byWords) return { field: byWords, how: 'words', confidence: 1 };
  const probe = w.replaceAll(' ', '');
  if (probe.length < 5) return undefined;
  let best: { field: string; score: number; near: string } | undefined;
  let tie = false;
  for (const [name, field] of l.words) {
    if (!field) continue;
    const flat = name.replaceAll(' ', '');
    if (Math.abs(flat.length - probe.length) > 3) continue;
    const score = 1 - editDistance(flat, probe) / Math.max(flat.length, probe.length);
    if (!best || score > best.score) {
      tie = false;
      best = { field, score, near: name };
    } else if (score === best.score && field !== best.field) tie = true;
  }
  if (!best || tie || best.score < FUZZY_MIN_CONFIDENCE) return undefined;
  return { field: best.field, how: 'fuzzy', confidence: Math.round(best.score * 100) / 100, near: best.near };
}

/** Levenshtein distance (insert, delete, substitute; each 1). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The field a header means in a table, or undefined (see {@link matchHeader}). */
export function fieldForHeader(table: CanonicalTable, header: string): string | undefined {
  return matchHeader(table, header)?.field;
}

export interface TargetScore {
  table: CanonicalTable;
  /** Fields the headers map to. */
  mapped: number;
  /** Required fields the headers do not provide. */
  missing: string[];
}

export interface TargetDetection {
  target: CanonicalTable;
  reason: string;
  scores: TargetScore[];
}

/**
 * Detects the canonical table from the headers: the table whose required fields are all present and
 * which maps the most columns. Never guesses between equally good tables.
 *
 * @param headers - the source's column names.
 * @param where - the source name, for messages.
 * @throws InputError MISSING_COLUMN when no table has all its required fields, or two tie.
 */
export function detectTarget(headers: readonly string[], where: string): TargetDetection {
  const scores: TargetScore[] = CANONICAL_TABLES.map((table) => {
    const found = new Set(headers.map((h) => fieldForHeader(table, h)).filter((f): f is string => !!f));
    const missing = fieldsOf(table)
      .filter((f) => f.required && !found.has(f.field))
      .map((f) => f.field);
    return { table, mapped: found.size, missing };
  }).sort((a, b) => a.missing.length - b.missing.length || b.mapped - a.mapped);
  const [best, second] = scores;
  const list = headers.map((h) => `"${h}"`).join(', ');
  if (!best || best.missing.length > 0) {
    const hint = best ? ` The closest is ${best.table}, which lacks ${best.missing.join(', ')}.` : '';
    throw new InputError(
      `${where}: expected the columns of one of the tables (${CANONICAL_TABLES.join(', ')}), found ${list}.${hint} Pass --target TABLE with a mapping file that names the columns, or --as NAME to import a raw table.`,
      { source: where, headers, scores },
      { code: 'MISSING_COLUMN' },
    );
  }
  if (second && second.missing.length === 0 && second.mapped === best.mapped) {
    throw new InputError(
      `${where}: the columns ${list} fit both ${best.table} and ${second.table} equally well. Pass --target ${best.table} or --target ${second.table}.`,
      { source: where, headers, scores },
      { code: 'MISSING_COLUMN' },
    );
  }
  return {
    target: best.table,
    reason: `all required columns of ${best.table} are present and ${best.mapped} columns map to it${second ? ` (next best: ${second.table}, ${second.missing.length ? `lacking ${second.missing.join(', ')}` : `${second.mapped} columns`})` : ''}`,
    scores,
  };
}

export interface MapOptions {
  /** The canonical table (or 'raw'); detected from the headers when absent (and not in the file). */
  target?: CanonicalTable | 'raw';
  mappingFile?: MappingFile;
  /** Parse defaults for every column from the command line (`--date-format`, `--decimal`). */
  parse?: Partial<ParseOptions>;
}

/**
 * Maps the staged columns onto the fields of the target table.
 *
 * Each mapped column's parse options: the field's type, with the formats the profiler found in the
 * column (date format, decimal comma, thousands, currency symbols), then the command line defaults,
 * then the mapping file's defaults and its per-column options, in that order of precedence (last wins).
 *
 * @param staged - the staged source.
 * @param profiles - from {@link profileColumns}, in the staged column order.
 * @param options - target, mapping file, parse defaults.
 * @returns the mapping, with a reason for every mapped column.
 * @throws InputError listing every mapping-file problem at once (unknown field, missing column);
 *   AMBIGUOUS_FORMAT when a column mapped to a date field fits both dd/mm and mm/dd; MISSING_COLUMN
 *   when the target cannot be detected.
 * @example
 * ```ts
 * const mapping = mapColumns(staged, await profileColumns(engine, staged));
 * mapping.target // 'customers', from headers like Klantnummer, E-mailadres, Postcode
 * ```
 */
export function mapColumns(
  staged: StagedSource,
  profiles: readonly ColumnProfile[],
  options: MapOptions = {},
): Mapping {
  const file = options.mappingFile;
  const headers = staged.columns.map((c) => c.name);
  const targetReason: string[] = [];
  let target = options.target ?? file?.target;
  if (!target) {
    const detection = detectTarget(
      headers.filter((h) => file?.columns[h]?.field !== null),
      staged.source,
    );
    target = detection.target;
    targetReason.push(detection.reason);
  }
  const issues: Issue[] = [];
  for (const [name, entry] of Object.entries(file?.columns ?? {}))
    if (!headers.includes(name) && entry.value === undefined)
      issues.push({
        where: `columns."${name}"`,
        message: `not a column of ${staged.source}; its columns are ${headers.map((h) => `"${h}"`).join(', ')}`,
      });

  const fields = target === 'raw' ? null : new Map(fieldsOf(target).map((f) => [f.field, f]));
  const columns: ColumnMapping[] = [];
  const unmapped: string[] = [];
  const reasons: Record<string, string> = {};
  if (targetReason.length) reasons['(target)'] = targetReason.join('; ');
  const defaults: Partial<ParseOptions> = {
    ...options.parse,
    ...file?.parse,
    ...(file?.nullValues ? { nullValues: file.nullValues } : {}),
  };
  const taken = new Map<string, string>();

  staged.columns.forEach((c, i) => {
    const profile = profiles[i] ?? profiles.find((p) => p.name === c.name);
    const entry = file?.columns[c.name];
    let field: string | undefined;
    let why: string;
    if (entry && entry.field === null) {
      unmapped.push(c.name);
      reasons[c.name] = 'ignored by the mapping file';
      return;
    }
    if (entry?.field) {
      field = entry.field;
      why = 'mapping file';
      if (fields && !fields.has(field)) {
        issues.push({
          where: `columns."${c.name}"`,
          message: `"${field}" is not a field of ${target}; its fields are ${[...fields.keys()].join(', ')}`,
        });
        return;
      }
    } else if (target === 'raw') {
      field = rawFieldName(c.name, i);
      why = 'raw table column';
    } else {
      const match = matchHeader(target as CanonicalTable, c.name);
      field = match?.field;
      why =
        match === undefined
          ? ''
          : headerKey(c.name) === headerKey(match.field)
            ? 'header is the field name'
            : match.how === 'fuzzy'
              ? `fuzzy header match "${c.name}" ≈ "${match.near}" → ${match.field} (confidence ${match.confidence.toFixed(2)}; check it, or name the column in a mapping file)`
              : match.how === 'words'
                ? `header words "${c.name}" → ${match.field}`
                : `header synonym "${c.name}" → ${match.field}`;
    }
    if (field === undefined) {
      unmapped.push(c.name);
      reasons[c.name] = `no field of ${target} is called "${c.name}" (add it to a mapping file to load it)`;
      return;
    }
    const other = taken.get(field);
    if (other !== undefined) {
      unmapped.push(c.name);
      reasons[c.name] = `"${other}" already feeds ${field}`;
      return;
    }
    taken.set(field, c.name);
    const info = fields?.get(field);
    // A date field of a workbook whose cells are plain numbers: Excel serial days (a lost date format).
    const serial =
      info?.type === 'date' &&
      staged.format === 'xlsx' &&
      (profile?.parse.type === 'integer' || profile?.parse.type === 'number');
    const base: ParseOptions = serial
      ? { type: 'date', dateFormat: EXCEL_SERIAL_DATE }
      : profile
        ? parseForField(info?.type ?? profile.parse.type, profile, staged.source)
        : { type: info?.type ?? 'string' };
    const parse = {
      ...base,
      ...defaults,
      ...entry?.parse,
      type: entry?.parse?.type ?? base.type,
    } as ParseOptions;
    columns.push({ source: c.name, field, parse });
    reasons[c.name] = `${why}; ${profile?.reason ?? 'not profiled'}`;
  });
  for (const [name, entry] of Object.entries(file?.columns ?? {})) {
    if (entry.value === undefined || entry.field === null || headers.includes(name)) continue;
    const field = entry.field;
    const info = fields?.get(field);
    if (fields && !info) {
      issues.push({
        where: `columns."${name}"`,
        message: `"${field}" is not a field of ${target}; its fields are ${[...fields.keys()].join(', ')}`,
      });
      continue;
    }
    const other = taken.get(field);
    if (other !== undefined) {
      issues.push({
        where: `columns."${name}"`,
        message: `a constant for ${field}, but the column "${other}" already feeds it; drop one of them`,
      });
      continue;
    }
    taken.set(field, name);
    const source = `${name} (constant)`;
    columns.push({
      source,
      field,
      parse: {
        ...defaults,
        ...entry.parse,
        type: entry.parse?.type ?? info?.type ?? 'string',
      } as ParseOptions,
      constant: entry.value,
    });
    reasons[source] = `constant "${entry.value}" from the mapping file`;
  }
  if (issues.length > 0)
    throw inputErrorFromIssues(
      `${file?.source ?? staged.source}: the mapping does not fit the source.`,
      issues,
    );
  return { target, columns, unmapped, reasons };
}

/**
 * The field type each column will be loaded as, decided from the headers (and mapping file) alone,
 * before profiling: pass it as `ProfileOptions.fieldTypes` so text fields are not scanned.
 *
 * @returns column name → field type; empty for a raw import (every column is inferred).
 * @throws the same errors as {@link mapColumns} for a target that cannot be detected.
 */
export function fieldTypesFromHeaders(
  staged: StagedSource,
  options: MapOptions = {},
): Record<string, ParseOptions['type']> {
  const file = options.mappingFile;
  let target = options.target ?? file?.target;
  if (!target)
    target = detectTarget(
      staged.columns.map((c) => c.name).filter((h) => file?.columns[h]?.field !== null),
      staged.source,
    ).target;
  if (target === 'raw') return {};
  const fields = new Map(fieldsOf(target).map((f) => [f.field, f.type]));
  const out: Record<string, ParseOptions['type']> = {};
  for (const c of staged.columns) {
    const entry = file?.columns[c.name];
    if (entry?.field === null) continue;
    const field = entry?.field ?? fieldForHeader(target, c.name);
    const type = entry?.parse?.type ?? (field ? fields.get(field) : undefined);
    if (type) out[c.name] = type;
  }
  return out;
}

/**
 * The columns a canonical load will not read, decided from the headers (and mapping file) as
 * {@link mapColumns} decides them: ignored by the mapping file, or no field matches the header. Empty
 * for a raw import (every column is loaded).
 */
export function columnsNotLoaded(staged: StagedSource, options: MapOptions = {}): string[] {
  const file = options.mappingFile;
  let target = options.target ?? file?.target;
  if (!target)
    target = detectTarget(
      staged.columns.map((c) => c.name).filter((h) => file?.columns[h]?.field !== null),
      staged.source,
    ).target;
  if (target === 'raw') return [];
  const table = target;
  return staged.columns
    .filter((c) => {
      const entry = file?.columns[c.name];
      if (entry?.field === null) return true;
      return !entry?.field && !entry?.parse?.type && matchHeader(table, c.name) === undefined;
    })
    .map((c) => c.name);
}

/** The parse options for a field type, with the formats the profiler found in the column. */
export function parseForField(
  type: ParseOptions['type'],
  profile: ColumnProfile,
  source: string,
): ParseOptions {
  const found = profile.parse;
  if (found.type === type) return { ...found };
  const nulls = found.nullValues ? { nullValues: found.nullValues } : {};
  switch (type) {
    case 'date':
    case 'timestamp': {
      if (profile.ambiguousDate && !profile.formats.dateFormat) throw ambiguousDateError(source, profile);
      const format = found.dateFormat ?? profile.formats.dateFormat;
      return { type, ...(format ? { dateFormat: format } : {}), ...nulls };
    }
    case 'integer':
    case 'number': {
      const f = found.type === 'number' || found.type === 'integer' ? found : profile.formats;
      return {
        type,
        ...(f.decimal ? { decimal: f.decimal } : {}),
        ...(f.thousands ? { thousands: f.thousands } : {}),
        ...(f.stripSymbols ? { stripSymbols: f.stripSymbols } : {}),
        ...nulls,
      };
    }
    case 'list': {
      const sep = ['|', ';', ','].find((s) => profile.examples.some((e) => e.includes(s)));
      return { type, ...(sep ? { listSeparator: sep } : {}), ...nulls };
    }
    default:
      return { type, ...nulls };
  }
}

/** A raw table column name: the header folded to snake_case ASCII-ish, or column_N. */
export function rawFieldName(header: string, index: number): string {
  const name = header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return name === '' || name.startsWith('_') || name === '_line' ? `column_${index + 1}` : name;
}

export interface PlanOptions extends MapOptions {
  /** Global overrides: `--date-format`, `--decimal`, null markers. */
  dateFormat?: string;
  decimal?: '.' | ',';
  nullValues?: string[];
  /**
   * Profile a sample first (see `ProfileOptions.sampleRows`); the loader then checks every value. A plan
   * for a load (this option set) also leaves the columns no field takes unprofiled (`notLoaded`).
   */
  sampleRows?: number;
}

/**
 * Profile + map in one call, the way `import` needs them: field types from the headers first (so text
 * fields are not scanned), then the profile, then the mapping.
 *
 * @returns the mapping for the loader and the profiles (for the dry run's reasons).
 * @throws InputError AMBIGUOUS_FORMAT, MISSING_COLUMN, or the mapping file's issues, all at once.
 * @example
 * ```ts
 * const { mapping } = await planImport(engine, staged, { mappingFile: readMappingFile('m.yaml') });
 * await loadStaged(engine, staged, mapping);
 * ```
 */
export async function planImport(
  engine: Engine,
  staged: StagedSource,
  options: PlanOptions = {},
): Promise<{ mapping: Mapping; profiles: ColumnProfile[] }> {
  const file = options.mappingFile;
  const fieldTypes = fieldTypesFromHeaders(staged, options);
  const notLoaded = options.sampleRows === undefined ? [] : columnsNotLoaded(staged, options);
  const columns: Record<string, ParseOptions> = {};
  for (const [name, entry] of Object.entries(file?.columns ?? {}))
    if (entry.parse?.type)
      columns[name] = { ...file?.parse, ...entry.parse, type: entry.parse.type } as ParseOptions;
  const dateFormat = options.dateFormat ?? file?.parse?.dateFormat;
  const decimal = options.decimal ?? file?.parse?.decimal;
  const nullValues = options.nullValues ?? file?.nullValues;
  const profiles = await profileColumns(engine, staged, {
    fieldTypes,
    columns,
    ...(dateFormat ? { dateFormat } : {}),
    ...(decimal ? { decimalHint: decimal } : {}),
    ...(nullValues ? { nullValues } : {}),
    ...(options.sampleRows !== undefined ? { sampleRows: options.sampleRows } : {}),
    ...(notLoaded.length ? { notLoaded: new Set(notLoaded) } : {}),
  });
  const parse: Partial<ParseOptions> = {
    ...options.parse,
    ...(dateFormat ? { dateFormat } : {}),
    ...(decimal ? { decimal } : {}),
  };
  return { mapping: mapColumns(staged, profiles, { ...options, parse }), profiles };
}
