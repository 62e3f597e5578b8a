import { InputError } from '../errors.js';
import { type CanonicalTable, type Engine, identPart, join, raw, sql } from '../store/index.js';
import { guessTarget, type MappingFile, mapBasic, readMappingFile, type SourceSpec } from './basic-stage.js';
import { type BasketImportOptions, importBaskets } from './baskets/import.js';
import type { CsvDelimiter, CsvEncoding } from './csv/sniff.js';
import { stageCsv } from './csv/stage.js';
import { parseValueSql } from './load/convert.js';
import { IMPORT_ORDER, TARGETS } from './load/fields.js';
import { type LoadOptions, type LoadSummary, loadStaged } from './load/load.js';
import { loadRawTable, parseRawTableName, type RawColumn } from './load/raw-table.js';
import { ambiguousDateError, profileColumns } from './profile.js';
import type { Mapping, ParseOptions, StagedSource } from './types.js';

/** What to import and how to read it. */
export interface ImportSpec extends SourceSpec {
  /** The canonical table to load; guessed from the headers when omitted. */
  target?: CanonicalTable;
  /** Import as a raw table of this name instead (`--as`). */
  as?: string;
  /** A mapping file (JSON or YAML) overriding the header mapping. */
  mappingFile?: string;
  /** Basket files (`format: 'baskets'`): lead fields, order-id prefix, default order date. */
  baskets?: BasketImportOptions;
}

export interface ImportProgress {
  phase: 'stage' | 'profile' | 'map' | 'load';
  /** Step within the phase (load: prepare, convert, rejects, check, upsert, finish). */
  step: string;
  done: number;
  total: number;
}

export interface ImportOptions extends Omit<LoadOptions, 'onProgress'> {
  /** Describe what would be loaded (mapping, detected formats, a preview) and change nothing. */
  dryRun?: boolean;
  /** Rows in the dry-run preview (default 5). */
  previewRows?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** What a dry run reports. */
export interface DryRunDescription {
  source: string;
  format: string;
  target: string;
  rows: number;
  detected: Record<string, string | number | boolean>;
  mapping: { source: string; field: string; parse: ParseOptions; reason: string }[];
  unmapped: string[];
  preview: Record<string, unknown>[];
}

export type ImportResult =
  | ({ dryRun: false; columns?: RawColumn[] } & LoadSummary)
  | ({ dryRun: true } & DryRunDescription);

/**
 * Imports one source: stage (copy as text into a temporary table) → profile (column types) → map
 * (headers → fields) → load (convert, validate, reject, upsert in one transaction). The staging tables
 * are dropped afterwards, also when the load fails.
 */
export async function importSource(
  engine: Engine,
  spec: ImportSpec,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const report = (phase: ImportProgress['phase'], step: string, done = 0, total = 1) =>
    options.onProgress?.({ phase, step, done, total });
  if ((spec.format ?? formatOf(spec.path)) === 'baskets') return importBaskets(engine, spec, options);
  const rawName = spec.as === undefined ? undefined : parseRawTableName(spec.as);
  const file: MappingFile | undefined = spec.mappingFile ? readMappingFile(spec.mappingFile) : undefined;
  report('stage', 'read');
  const staged = await stage(engine, spec);
  try {
    report('profile', 'types');
    const profiles = await profileColumns(engine, staged, {
      ...(spec.dateFormat ? { dateFormat: spec.dateFormat } : {}),
      ...(spec.decimal ? { decimalHint: spec.decimal } : {}),
    });
    // A typed field uses the formats the profiler found even when a few values did not fit (they are rejected).
    const profile = Object.fromEntries(
      profiles.map((p) => [p.name, { ...p.formats, ...p.parse } as ParseOptions]),
    );
    report('map', 'columns');
    const target = rawName ? 'raw' : (spec.target ?? file?.target ?? guessTarget(staged));
    if (!target) {
      throw new InputError(
        `${staged.source}: could not tell which table these columns belong to (${staged.columns.map((c) => c.name).join(', ')}). Pass --target TABLE (one of ${IMPORT_ORDER.join(', ')}) or --as NAME for a raw table.`,
        { columns: staged.columns.map((c) => c.name) },
        { code: 'MISSING_COLUMN' },
      );
    }
    const mapping = mapBasic(staged, target, profile, file);
    for (const c of mapping.columns) {
      const p = profiles.find((x) => x.name === c.source);
      const dateField =
        c.parse.type === 'date' || c.parse.type === 'timestamp' || isDateField(target, c.field);
      if (p?.ambiguousDate && dateField && !c.parse.dateFormat) throw ambiguousDateError(staged.source, p);
    }
    if (options.dryRun)
      return { dryRun: true, ...(await describe(engine, staged, mapping, options.previewRows ?? 5)) };
    const onProgress = (p: { step: string; done: number; total: number }) =>
      report('load', p.step, p.done, p.total);
    if (rawName) {
      const summary = await loadRawTable(engine, staged, mapping, rawName, { ...options, onProgress });
      return { dryRun: false, ...summary };
    }
    const summary = await loadStaged(engine, staged, mapping, { ...options, onProgress });
    return { dryRun: false, ...summary };
  } finally {
    await staged.cleanup();
  }
}

function isDateField(target: CanonicalTable | 'raw', field: string): boolean {
  if (target === 'raw') return false;
  const spec = TARGETS[target].fields.find((f) => f.field === field);
  return spec?.type === 'date' || spec?.type === 'timestamp';
}

async function stage(engine: Engine, spec: ImportSpec): Promise<StagedSource> {
  const format = spec.format ?? formatOf(spec.path);
  if (format !== 'csv') {
    throw new InputError(
      `${spec.path}: expected a CSV or TSV file (.csv, .tsv, .txt); "${format}" files are not supported yet. Export the data as CSV, or pass --format csv if it is one.`,
      { path: spec.path, format },
      { code: 'UNKNOWN_FORMAT' },
    );
  }
  return stageCsv(engine, spec.path, {
    ...(spec.delimiter ? { delimiter: parseDelimiter(spec.delimiter) } : {}),
    ...(spec.encoding ? { encoding: parseEncoding(spec.encoding) } : {}),
  });
}

const DELIMITERS: Record<string, CsvDelimiter> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  pipe: '|',
  whitespace: 'whitespace',
  space: 'whitespace',
};

function parseDelimiter(text: string): CsvDelimiter {
  const d = DELIMITERS[text.toLowerCase()];
  if (!d) {
    throw new InputError(
      `--delimiter: expected one of , ; | \\t (or comma, semicolon, pipe, tab, whitespace), got "${text}".`,
      { delimiter: text },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return d;
}

const ENCODINGS: Record<string, CsvEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8-bom',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
};

function parseEncoding(text: string): CsvEncoding {
  const e = ENCODINGS[text.toLowerCase()];
  if (!e) {
    throw new InputError(
      `--encoding: expected one of ${Object.keys(ENCODINGS).join(', ')}, got "${text}".`,
      { encoding: text },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return e;
}

function formatOf(path: string): string {
  const m = /\.([A-Za-z0-9]+)(\.gz)?$/.exec(path);
  const ext = (m?.[1] ?? '').toLowerCase();
  if (['csv', 'tsv', 'txt', 'tab'].includes(ext)) return 'csv';
  if (ext === 'basket' || ext === 'baskets') return 'baskets';
  return ext || 'unknown';
}

async function describe(
  engine: Engine,
  staged: StagedSource,
  mapping: Mapping,
  previewRows: number,
): Promise<DryRunDescription> {
  const cols = mapping.columns.map((c) => {
    const s = staged.columns.find((x) => x.name === c.source);
    return sql`${parseValueSql(sql`${identPart(s?.staged ?? c.source)}`, c.parse)} AS ${identPart(c.field)}`;
  });
  const table = staged.table
    .split('.')
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join('.');
  const preview = cols.length
    ? await engine.query(sql`SELECT ${join(cols)} FROM ${raw(table)} ORDER BY _line LIMIT ${previewRows}`)
    : [];
  return {
    source: staged.source,
    format: staged.format,
    target: mapping.target,
    rows: staged.rowsRead,
    detected: staged.detected,
    mapping: mapping.columns.map((c) => ({ ...c, reason: mapping.reasons[c.source] ?? '' })),
    unmapped: mapping.unmapped,
    preview,
  };
}
