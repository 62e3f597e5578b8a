import { totalmem } from 'node:os';
import { InputError } from '../errors.js';
import {
  applySuppressions,
  type CanonicalTable,
  DuckDbEngine,
  type Engine,
  hasParquetTransfer,
  identPart,
  join,
  type RemoteConnectionOptions,
  raw,
  sql,
  stringLiteral,
} from '../store/index.js';
import { type BasketImportOptions, importBaskets } from './baskets/import.js';
import type { CsvDelimiter, CsvEncoding } from './csv/sniff.js';
import { parseValueSql } from './load/convert.js';
import { IMPORT_ORDER } from './load/fields.js';
import { type LoadOptions, type LoadSummary, loadStaged } from './load/load.js';
import { loadRawTable, parseRawTableName, type RawColumn } from './load/raw-table.js';
import { planImport } from './mapping/map-columns.js';
import { type MappingFile, readMappingFile } from './mapping/mapping-file.js';
import { importThroughMirror } from './mirror-import.js';
import { stageMySql } from './mysql/stage.js';
import { stagePostgres } from './postgres/stage.js';
import type { ColumnProfile } from './profile.js';
import { type FileFormat, stageFile } from './stage-file.js';
import type { Mapping, ParseOptions, StagedSource } from './types.js';

/** A file and how to read it (everything but the path is detected when omitted). */
export interface SourceSpec {
  path: string;
  format?: FileFormat | 'baskets';
  delimiter?: string;
  encoding?: string;
  decimal?: '.' | ',';
  dateFormat?: string;
  /** Excel: the sheet to import. */
  sheet?: string;
  /**
   * Names for the source's columns, in order (`--columns`): for a file without a header line (the
   * CDNOW log), or to replace the header's names. `-` or an empty name skips that column.
   */
  columns?: readonly string[];
}

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
  /** Read a database table or query instead of the file at `path` (`--postgres` / `--mysql`). */
  database?: DatabaseSourceSpec;
}

/** A PostgreSQL or MySQL/MariaDB table or query as an import source. */
export interface DatabaseSourceSpec extends RemoteConnectionOptions {
  engine: 'postgres' | 'mysql';
  /** Table (`schema.table`) to read. */
  table?: string;
  /** SELECT to read instead (runs read-only); `$1` (PostgreSQL) or `?` (MySQL) take `params`. */
  query?: string;
  params?: readonly unknown[];
  /** Rows staged so far, for progress bars. */
  onProgress?: (rowsStaged: number) => void;
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
  /**
   * DuckDB's memory limit while the import runs (e.g. `'4GB'`), restored afterwards; `null` leaves the
   * engine's setting alone. Default: {@link importMemoryLimit}.
   */
  memoryLimit?: string | null;
  /** @internal Records profiled before the loader checks every value (default 100,000); tests make it small. */
  profileSampleRows?: number;
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
  | ({ dryRun: false; columns?: RawColumn[]; sheets?: LoadSummary[] } & LoadSummary)
  | ({ dryRun: true; sheets?: DryRunDescription[] } & DryRunDescription);

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
  const result = await importAnySource(engine, spec, options);
  if (result.dryRun || !(engine instanceof DuckDbEngine)) return result;
  // Erased people stay erased: an old export imported again does not bring them back (issue 19).
  const removed = await applySuppressions(engine);
  if (!removed.length) return result;
  const note = `erased people found again and removed: ${removed.map((r) => `${r.table} ${r.rows} ${r.action}`).join(', ')}`;
  return { ...result, warnings: [...result.warnings, note] };
}

async function importAnySource(
  engine: Engine,
  spec: ImportSpec,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (!(engine instanceof DuckDbEngine) && hasParquetTransfer(engine)) {
    // No multi-statement transactions there: stage, validate and upsert in a DuckDB mirror, then swap in.
    return importThroughMirror(engine, (mirror) => importSource(mirror, spec, options));
  }
  const limit = options.memoryLimit === undefined ? importMemoryLimit() : options.memoryLimit;
  if (limit === null || !(engine instanceof DuckDbEngine)) return importUnderLimit(engine, spec, options);
  // DuckDB's own default (80% of the machine) lets a big import hold gigabytes of buffers: cap it for
  // the import, spilling to its temporary folder beyond that, and restore the caller's setting after.
  // DuckDB shows a limit rounded (2.7 GiB for 3GB): a default limit comes back exactly by RESET, a
  // limit the caller set comes back as shown.
  const current = async () =>
    (await engine.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]?.v ?? '';
  const before = await current();
  await engine.exec('RESET memory_limit');
  const byDefault = (await current()) === before;
  try {
    await engine.exec(sql`SET memory_limit = ${stringLiteral(limit)}`);
  } catch (cause) {
    if (byDefault) await engine.exec('RESET memory_limit');
    else await engine.exec(sql`SET memory_limit = ${stringLiteral(before)}`);
    throw new InputError(
      `The import's memory limit ${limit} is too small: DuckDB already holds more memory than that. Give a few hundred MB or more (e.g. --memory-limit 500MB), or none for no cap.`,
      { memoryLimit: limit },
      { cause, code: 'INVALID_ARGUMENT' },
    );
  }
  try {
    return await importUnderLimit(engine, spec, options);
  } finally {
    await engine.exec(byDefault ? 'RESET memory_limit' : sql`SET memory_limit = ${stringLiteral(before)}`);
  }
}

/**
 * DuckDB's memory limit for an import: a quarter of the machine's memory, at most 1,200 MB, so that a
 * 10-million-line file loads in under 2 GB of process memory (`bench/RESULTS.md`, issue 2).
 *
 * @param totalBytes - the machine's memory (default: `os.totalmem()`).
 * @returns a DuckDB size, e.g. `'1200MB'`.
 */
export function importMemoryLimit(totalBytes = totalmem()): string {
  const mb = Math.max(256, Math.min(1200, Math.floor(totalBytes / 4 / 1e6)));
  return `${mb}MB`;
}

async function importUnderLimit(
  engine: Engine,
  spec: ImportSpec,
  options: ImportOptions,
): Promise<ImportResult> {
  const report = (phase: ImportProgress['phase'], step: string, done = 0, total = 1) =>
    options.onProgress?.({ phase, step, done, total });
  if ((spec.format ?? formatOf(spec.path)) === 'baskets') return importBaskets(engine, spec, options);
  const rawName = spec.as === undefined ? undefined : parseRawTableName(spec.as);
  let file: MappingFile | undefined = spec.mappingFile ? readMappingFile(spec.mappingFile) : undefined;
  report('stage', 'read');
  const sources = await stage(engine, spec);
  if (sources.length > 1) return importSheets(engine, spec, sources, file, options);
  const named = spec.columns ? nameColumns(sources[0]!, spec.columns, file) : undefined;
  const staged = named?.staged ?? sources[0]!;
  file = named?.file ?? file;
  try {
    report('profile', 'types');
    // A canonical load profiles a sample first: the loader checks every value against its formats.
    const sampled = !options.dryRun && !rawName;
    const { mapping, profiles } = await planSource(
      engine,
      staged,
      spec,
      file,
      rawName,
      sampled ? (options.profileSampleRows ?? PROFILE_SAMPLE_ROWS) : undefined,
    );
    report('map', 'columns');
    if (options.dryRun)
      return { dryRun: true, ...(await describeStaged(engine, staged, mapping, options.previewRows ?? 5)) };
    const onProgress = (p: { step: string; done: number; total: number }) =>
      report('load', p.step, p.done, p.total);
    if (rawName) {
      const summary = await loadRawTable(engine, staged, mapping, rawName, { ...options, onProgress });
      return { dryRun: false, ...withStagingWarnings(summary, staged) };
    }
    const load = loadOptions(options, file, onProgress);
    const checks = new Map(profiles.flatMap((p) => (p.sampled ? [[p.name, p.sampled.check] as const] : [])));
    if (checks.size > 0)
      load.formatCheck = {
        columns: checks,
        replan: async () => {
          report('profile', 'types');
          return (await planSource(engine, staged, spec, file, rawName)).mapping;
        },
      };
    const summary = await loadStaged(engine, staged, mapping, load);
    return { dryRun: false, ...withStagingWarnings(summary, staged) };
  } finally {
    await staged.cleanup();
  }
}

/** Adds what staging noticed (renamed duplicate headers) to the load's warnings. */
function withStagingWarnings<T extends { warnings: string[] }>(summary: T, staged: StagedSource): T {
  const renamed = staged.detected.renamedHeaders;
  if (typeof renamed !== 'string') return summary;
  return {
    ...summary,
    warnings: [...summary.warnings, `${staged.source}: duplicate column names were renamed: ${renamed}.`],
  };
}

/**
 * The staged source with the columns named by `--columns` (skipped ones keep `column_N` and are
 * ignored through the mapping file's entries).
 */
function nameColumns(
  staged: StagedSource,
  names: readonly string[],
  file: MappingFile | undefined,
): { staged: StagedSource; file: MappingFile } {
  if (names.length > staged.columns.length)
    throw new InputError(
      `${staged.source}: --columns names ${names.length} columns, but the file has ${staged.columns.length} (${staged.columns.map((c) => c.name).join(', ')}). Name at most ${staged.columns.length}, in order; '-' skips one.`,
      { columns: names, found: staged.columns.map((c) => c.name) },
      { code: 'INVALID_ARGUMENT' },
    );
  const out: MappingFile = { ...(file ?? {}), columns: { ...(file?.columns ?? {}) } };
  const columns = staged.columns.map((c, i) => {
    const given = names[i]?.trim();
    if (given === undefined) return c;
    if (given === '' || given === '-') {
      out.columns[c.name] = { field: null };
      return c;
    }
    return { ...c, name: given };
  });
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name))
      throw new InputError(
        `${staged.source}: --columns names "${c.name}" twice. Give each column its own name ('-' skips one).`,
        { columns: names },
        { code: 'INVALID_ARGUMENT' },
      );
    seen.add(c.name);
  }
  return { staged: { ...staged, columns, cleanup: () => staged.cleanup() }, file: out };
}

/**
 * Records profiled before a canonical load trusts a number or ISO-date field's format (a profile of
 * every record costs as much as reading the file again; the loader checks every value anyway).
 */
const PROFILE_SAMPLE_ROWS = 100_000;

/** Profile + map one staged source: field types come from the headers first, so text is never scanned. */
function planSource(
  engine: Engine,
  staged: StagedSource,
  spec: ImportSpec,
  file: MappingFile | undefined,
  rawName: string | undefined,
  sampleRows?: number,
): Promise<{ mapping: Mapping; profiles: ColumnProfile[] }> {
  const target = rawName ? 'raw' : spec.target;
  return planImport(engine, staged, {
    ...(target ? { target } : {}),
    ...(file ? { mappingFile: file } : {}),
    ...(spec.dateFormat ? { dateFormat: spec.dateFormat } : {}),
    ...(spec.decimal ? { decimal: spec.decimal } : {}),
    ...(sampleRows !== undefined ? { sampleRows } : {}),
  });
}

function loadOptions(
  options: ImportOptions,
  file: MappingFile | undefined,
  onProgress: LoadOptions['onProgress'],
): LoadOptions {
  return {
    ...options,
    ...(options.source === undefined && file?.source ? { source: file.source } : {}),
    ...(options.defaultCountry === undefined && file?.defaultCountry
      ? { defaultCountry: file.defaultCountry }
      : {}),
    ...(onProgress ? { onProgress } : {}),
  };
}

/**
 * A workbook imported without `--sheet`: each sheet is mapped on its own (its own target, detected from
 * its headers unless `target` is given) and loaded in import order (customers before orders …), all in
 * one transaction: one sheet failing (or exceeding `--max-reject-rate`) leaves the datamart as it was.
 * The result sums the sheets and lists each sheet's summary in `sheets`.
 */
async function importSheets(
  engine: Engine,
  spec: ImportSpec,
  sources: StagedSource[],
  file: MappingFile | undefined,
  options: ImportOptions,
): Promise<ImportResult> {
  try {
    if (spec.as !== undefined) {
      throw new InputError(
        `${spec.path}: --as makes one raw table, but the workbook has ${sources.length} sheets (${sources.map((s) => s.source).join(', ')}). Pass --sheet NAME to import one of them as a raw table.`,
        { sheets: sources.map((s) => s.source) },
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const planned: { staged: StagedSource; mapping: Mapping }[] = [];
    for (const staged of sources) {
      options.onProgress?.({
        phase: 'profile',
        step: staged.source,
        done: planned.length,
        total: sources.length,
      });
      planned.push({ staged, mapping: (await planSource(engine, staged, spec, file, undefined)).mapping });
    }
    const rank = (m: Mapping) => IMPORT_ORDER.indexOf(m.target as CanonicalTable);
    planned.sort((a, b) => rank(a.mapping) - rank(b.mapping));
    if (options.dryRun) {
      const sheets: DryRunDescription[] = [];
      for (const { staged, mapping } of planned)
        sheets.push(await describeStaged(engine, staged, mapping, options.previewRows ?? 5));
      return { dryRun: true, ...sheets[0]!, sheets };
    }
    const sheets = await engine.transaction(async (tx) => {
      const out: LoadSummary[] = [];
      for (const [i, { staged, mapping }] of planned.entries()) {
        const onProgress: LoadOptions['onProgress'] = (p) =>
          options.onProgress?.({
            phase: 'load',
            step: `${staged.source}: ${p.step}`,
            done: i,
            total: planned.length,
          });
        const sheetOptions = loadOptions(options, file, onProgress);
        if (options.rejectsOut) sheetOptions.rejectsOut = numberedPath(options.rejectsOut, i + 1);
        out.push(await loadStaged(tx, staged, mapping, sheetOptions));
      }
      return out;
    });
    return { dryRun: false, ...workbookSummary(spec.path, sheets), sheets };
  } finally {
    for (const s of sources) await s.cleanup();
  }
}

/** The sum of the sheets' summaries (counts add up, so read = loaded + rejected + duplicates still holds). */
function workbookSummary(path: string, sheets: LoadSummary[]): LoadSummary {
  const sum = (
    k:
      | 'read'
      | 'loaded'
      | 'inserted'
      | 'updated'
      | 'unchanged'
      | 'rejected'
      | 'duplicates'
      | 'merges'
      | 'conflicts'
      | 'customersCreated'
      | 'guestOrders'
      | 'seconds',
  ) => sheets.reduce((n, s) => n + s[k], 0);
  const first = sheets[0]!;
  return {
    loadId: first.loadId,
    source: path,
    target: [...new Set(sheets.map((s) => s.target))].join(', '),
    format: first.format,
    read: sum('read'),
    loaded: sum('loaded'),
    inserted: sum('inserted'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    rejected: sum('rejected'),
    duplicates: sum('duplicates'),
    seconds: sum('seconds'),
    warnings: sheets.flatMap((s) => s.warnings),
    merges: sum('merges'),
    conflicts: sum('conflicts'),
    customersCreated: sum('customersCreated'),
    guestOrders: sum('guestOrders'),
    topReasons: sheets.flatMap((s) => s.topReasons).slice(0, 5),
    conflictRule: sheets.find((s) => s.conflictRule)?.conflictRule ?? null,
    related: sheets.flatMap((s) => s.related),
  };
}

/** `rejects.csv` → `rejects-2.csv`. */
function numberedPath(path: string, n: number): string {
  const m = /^(.*?)(\.[^./\\]*)?$/.exec(path);
  return `${m?.[1] ?? path}-${n}${m?.[2] ?? ''}`;
}

async function stage(engine: Engine, spec: ImportSpec): Promise<StagedSource[]> {
  if (spec.database) return [await stageDatabase(engine, spec.database)];
  if (!(engine instanceof DuckDbEngine)) {
    throw new InputError(
      `${spec.path}: files are staged in the DuckDB datamart; expected a DuckDB engine, got another. Import into a DuckDB datamart (--db FILE.duckdb).`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const format = spec.format === 'baskets' ? undefined : spec.format;
  const staged = await stageFile(engine, spec.path, {
    ...(format ? { format } : {}),
    ...(spec.sheet !== undefined ? { sheet: spec.sheet } : {}),
    ...(spec.delimiter ? { delimiter: parseDelimiter(spec.delimiter) } : {}),
    ...(spec.encoding ? { encoding: parseEncoding(spec.encoding) } : {}),
  });
  if (staged.length === 0)
    throw new InputError(
      `${spec.path}: expected a sheet with rows, found only empty sheets. Check the workbook.`,
      { file: spec.path },
      { code: 'EMPTY_INPUT' },
    );
  return staged;
}

function stageDatabase(engine: Engine, source: DatabaseSourceSpec): Promise<StagedSource> {
  if (!(engine instanceof DuckDbEngine)) {
    // Database rows are copied in through DuckDB's Appender, which the other engines do not have.
    throw new InputError(
      `Import from ${source.engine}: expected the DuckDB datamart as the target, got another engine. ` +
        'Import into a DuckDB datamart (--db FILE.duckdb).',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const { engine: kind, ...options } = source;
  return kind === 'postgres' ? stagePostgres(engine, options) : stageMySql(engine, options);
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

/** What a dry run shows for a staged source and its mapping (also used by the Magento preset). */
export async function describeStaged(
  engine: Engine,
  staged: StagedSource,
  mapping: Mapping,
  previewRows: number,
): Promise<DryRunDescription> {
  const cols = mapping.columns.map((c) => {
    const s = staged.columns.find((x) => x.name === c.source);
    const text =
      c.constant !== undefined
        ? sql`CAST(${c.constant} AS VARCHAR)`
        : sql`${identPart(s?.staged ?? c.source)}`;
    return sql`${parseValueSql(text, c.parse)} AS ${identPart(c.field)}`;
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
