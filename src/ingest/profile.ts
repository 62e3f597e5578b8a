/**
 * Profiles every staged text column in SQL over all rows and infers how to parse it: integer, number
 * (dot or comma decimal, thousands separators, currency symbols), boolean, date (ISO, dd/mm/yyyy,
 * mm/dd/yyyy, dd.mm.yyyy, dd-mm-yyyy, yyyymmdd), timestamp, or text.
 *
 * Cheap casts decide most columns in one scan; only columns that start like numbers or dates but did
 * not cast get a second scan with regular expressions. A date column whose values all fit both
 * day-first and month-first is an error that says how to choose, never a guess.
 */
import { InputError } from '../errors.js';
import { type Engine, ident, identPart, join, raw, type SqlFragment, sql } from '../store/index.js';
import {
  cleanTextSql,
  DEFAULT_FALSE_VALUES,
  DEFAULT_TRUE_VALUES,
  negativeParensSql,
  textSql,
} from './parse-sql.js';
import type { ParseOptions, StagedColumn, StagedSource } from './types.js';

export interface ProfileOptions {
  /** Parse options per source column name that replace inference (from a mapping file). */
  columns?: Record<string, ParseOptions>;
  /** A date format for every date column (`--date-format '%d/%m/%Y'`). */
  dateFormat?: string;
  /**
   * Which decimal separator to assume when values fit both readings ('1,234' or '1.234' only).
   * Default: ',' when the file is `;`-separated, else '.'.
   */
  decimalHint?: '.' | ',';
  /** Texts that mean "no value" in every column. */
  nullValues?: string[];
  /**
   * The field type each source column will be loaded as, when the mapping is known from the headers
   * (see `mapHeaders`). Text and boolean fields are then not scanned at all; the others only for their
   * format. Saves whole scans on big files.
   */
  fieldTypes?: Record<string, ParseOptions['type']>;
  /**
   * Profile only the first this many records when the source has more, and keep that profile only if
   * every scanned column is a number field read with a decimal point or an ISO-date field: formats the
   * loader can check on every value as it converts (see `ColumnProfile.sampled`). Otherwise (or when a
   * column needs more than that) every record is profiled. Default: every record.
   */
  sampleRows?: number;
  /**
   * Columns the load will not read (no field takes them): not scanned, profiled as text. A load saves
   * their scans, and a sample's profile need not be checkable in them.
   */
  notLoaded?: ReadonlySet<string>;
}

/**
 * How the loader checks, on every value, a format read from a profiled sample: `number` (no value with
 * a comma, space, apostrophe or currency sign), `date` (every value an ISO date), or a day/month/year
 * `pattern`: the profile of every record picks the same format when at most `maxBad` non-blank values
 * (and fewer than a third of them) parse with it and have its exact shape (see `ColumnProfile.sampled`).
 */
export type FormatCheck = 'number' | 'date' | { pattern: string; maxBad: number };

export interface ColumnProfile {
  name: string;
  staged: string;
  /** How to parse the column: the inferred type when every value fits it, else 'string'. */
  parse: ParseOptions;
  /**
   * Formats seen in most values even when not all fit (a date column with a few bad values stays
   * 'string' in `parse` but keeps its `dateFormat` here), so a mapping to a typed field can use them.
   */
  formats: Pick<ParseOptions, 'dateFormat' | 'decimal' | 'thousands' | 'stripSymbols'>;
  /** Non-blank values. */
  nonBlank: number;
  /** Up to 5 distinct example values from the first rows. */
  examples: string[];
  /** Why: 'declared by the source', 'all 120 values are dates like 31/01/2024 (%d/%m/%Y)', … */
  reason: string;
  /** Set when day-first and month-first both fit every date value. */
  ambiguousDate?: { formats: [string, string]; examples: string[] };
  /**
   * Set when the format was read from the first `rows` records only (`sampleRows`). The loader checks
   * every value with the test the full profile would apply: no value with a comma, space, apostrophe
   * or currency sign (`number`), every value an ISO date (`date`), or, for day/month/year dates, few
   * enough values off the format's exact shape that the counts of every record cannot choose another
   * (`pattern`, see {@link FormatCheck}). When all pass, a profile of every record gives this same
   * result; when one does not, it profiles every record and converts again.
   */
  sampled?: { rows: number; check: FormatCheck };
  /**
   * @internal A day/month/year date's decision, with the check that keeps it valid for the whole file:
   * set by the profiler, kept only in a sample's profile (as `sampled.check`).
   */
  datePattern?: { pattern: string; maxBad: number };
}

const BOOLEAN_WORDS = [...DEFAULT_TRUE_VALUES, ...DEFAULT_FALSE_VALUES].filter((v) => v !== '0' && v !== '1');
/** Stripped from both ends of a number: currency signs, spaces, no-break and thin spaces. */
const SYMBOLS = '€$£¥₽ \u00a0\u202f';

interface QuickStats {
  n: number;
  dbl: number;
  int: number;
  lz: number;
  date: number;
  ts: number;
  bool: number;
  typedStart: number;
  minLen: number | null;
  maxLen: number | null;
  ymd8: number;
}

/**
 * Profiles all columns of a staged source.
 *
 * @param engine - the engine holding the staged table.
 * @param staged - the staged source.
 * @param options - overrides and hints.
 * @returns one profile per staged column, in order.
 * @throws InputError AMBIGUOUS_FORMAT when a date column fits both dd/mm and mm/dd and no format is given.
 * @example
 * ```ts
 * const profiles = await profileColumns(engine, staged, { decimalHint: ',' });
 * profiles[3].parse // { type: 'number', decimal: ',', thousands: '.' }
 * ```
 */
export async function profileColumns(
  engine: Engine,
  staged: StagedSource,
  options: ProfileOptions = {},
): Promise<ColumnProfile[]> {
  const { sampleRows, ...rest } = options;
  if (sampleRows === undefined || staged.rowsRead <= sampleRows)
    return (await profileEvery(engine, staged, rest)).map(({ datePattern: _p, ...p }) => p);
  const sample = `${staged.records?.table ?? staged.table}_sample`;
  await engine.exec(
    sql`CREATE OR REPLACE TEMP VIEW ${ident(sample)} AS SELECT * FROM ${ident(staged.records?.table ?? staged.table)} LIMIT ${raw(String(Math.floor(sampleRows)))}`,
  );
  let sampled: ColumnProfile[] | null;
  try {
    const profiles = await profileEvery(
      engine,
      { ...staged, records: { table: sample, firstLine: staged.records?.firstLine ?? 1 } },
      rest,
    ).catch((error: unknown) => {
      // A sample that looks ambiguous may not be: the whole column decides.
      if (error instanceof InputError && error.code === 'AMBIGUOUS_FORMAT') return null;
      throw error;
    });
    sampled = profiles && checkableSample(profiles, staged, rest, sampleRows);
  } finally {
    await engine.exec(sql`DROP VIEW IF EXISTS ${ident(sample)}`);
  }
  return (sampled ?? (await profileEvery(engine, staged, rest))).map(({ datePattern: _p, ...p }) => p);
}

/**
 * The sample's profiles with `sampled` set, when every column that was scanned is a header-typed number
 * field read as plain numbers with a decimal point, or a header-typed date field read as ISO dates;
 * null otherwise (some column's format cannot be checked value by value).
 */
function checkableSample(
  profiles: ColumnProfile[],
  staged: StagedSource,
  options: ProfileOptions,
  rows: number,
): ColumnProfile[] | null {
  const decimalHint = options.decimalHint ?? (staged.detected.delimiter === 'semicolon' ? ',' : '.');
  const out: ColumnProfile[] = [];
  for (const [i, p] of profiles.entries()) {
    const c = staged.columns[i];
    const fieldType = c ? options.fieldTypes?.[c.name] : undefined;
    const scanned =
      c !== undefined &&
      options.columns?.[c.name] === undefined &&
      c.declared === undefined &&
      fieldType !== 'string' &&
      fieldType !== 'boolean' &&
      !options.notLoaded?.has(c.name);
    if (!scanned) {
      out.push(p);
      continue;
    }
    const { nullValues: _n, ...parse } = p.parse;
    const plainNumber =
      (fieldType === 'number' || fieldType === 'integer') &&
      decimalHint === '.' &&
      parse.type === fieldType &&
      parse.decimal === '.' &&
      Object.keys(parse).length === 2;
    const isoDate =
      (fieldType === 'date' || fieldType === 'timestamp') &&
      parse.type === 'date' &&
      Object.keys(parse).length === 1;
    // A day/month/year date (`m/d/yyyy H:MM`, `dd.mm.yyyy` …) decided from the values that parse.
    const patternDate =
      (fieldType === 'date' || fieldType === 'timestamp') &&
      (parse.type === 'date' || parse.type === 'timestamp') &&
      parse.dateFormat !== undefined &&
      Object.keys(parse).length === 2 &&
      p.datePattern !== undefined;
    if (!plainNumber && !isoDate && !patternDate) return null;
    const check: FormatCheck = plainNumber ? 'number' : isoDate ? 'date' : p.datePattern!;
    out.push({
      ...p,
      reason: `${p.reason} (in the first ${rows} records; every value is checked as it loads)`,
      sampled: { rows, check },
    });
  }
  return out;
}

async function profileEvery(
  engine: Engine,
  staged: StagedSource,
  options: ProfileOptions,
): Promise<ColumnProfile[]> {
  const decimalHint = options.decimalHint ?? (staged.detected.delimiter === 'semicolon' ? ',' : '.');
  const examples = await exampleValues(engine, staged);
  const results: (ColumnProfile | null)[] = staged.columns.map((c, i) => {
    const given = options.columns?.[c.name];
    const base = { name: c.name, staged: c.staged, nonBlank: 0, examples: examples[i] ?? [] };
    if (given) return { ...base, parse: given, formats: {}, reason: 'given in the mapping file' };
    if (options.notLoaded?.has(c.name))
      return { ...base, parse: { type: 'string' }, formats: {}, reason: 'not loaded: no field takes it' };
    if (c.declared) return { ...base, parse: c.declared, formats: {}, reason: 'declared by the source' };
    const fieldType = options.fieldTypes?.[c.name];
    if (fieldType === 'string' || fieldType === 'boolean')
      return {
        ...base,
        parse: { type: fieldType },
        formats: {},
        reason: `loaded as a ${fieldType === 'string' ? 'text' : 'yes/no'} field`,
      };
    return null;
  });
  // One scan settles most columns: the number fields' format, the cheap statistics of the others, and
  // (for columns the headers say are dates) the date counts. On a staged view each scan re-reads the file.
  const fast = numberFieldCandidates(staged, results, options, decimalHint);
  const rest = staged.columns
    .map((c, i) => ({ c, i }))
    .filter(({ i }) => results[i] === null && !fast.some((f) => f.i === i));
  const dateTyped = rest.filter(({ c }) =>
    ['date', 'timestamp'].includes(options.fieldTypes?.[c.name] ?? ''),
  );
  const [fastStats = [], firstStats = [], dateStats = []] = await scanGroups(
    engine,
    staged,
    [
      { columns: fast.map((x) => x.c), metrics: NUMBER_FIELD_METRICS },
      { columns: rest.map((x) => x.c), metrics: FIRST_METRICS },
      { columns: dateTyped.map((x) => x.c), metrics: DATE_METRICS },
    ],
    options,
  );
  decideNumberFields(fast, fastStats, results, examples);
  const known = new Map<string, Record<string, number | null>>();
  rest.forEach(({ c }, k) => {
    known.set(c.staged, { ...firstStats[k] });
  });
  dateTyped.forEach(({ c }, k) => {
    Object.assign(known.get(c.staged) ?? {}, dateStats[k]);
  });
  const todo = staged.columns.map((c, i) => ({ c, i })).filter(({ i }) => results[i] === null);
  if (todo.length > 0) {
    const quick = await quickStats(
      engine,
      staged,
      todo.map((t) => t.c),
      options,
      known,
    );
    await countYmd8(
      engine,
      staged,
      todo.map((t) => t.c),
      quick,
      options,
    );
    const slow: { c: StagedColumn; i: number; q: QuickStats }[] = [];
    todo.forEach(({ c, i }, k) => {
      const q = quick[k]!;
      const decided = decideQuick(q, decimalHint);
      if (decided)
        results[i] = {
          name: c.name,
          staged: c.staged,
          examples: examples[i] ?? [],
          nonBlank: q.n,
          ...decided,
        };
      else slow.push({ c, i, q });
    });
    for (const { c, i, q } of slow) {
      results[i] = await profileSlow(engine, staged, c, q, examples[i] ?? [], options, decimalHint);
    }
  }
  const profiles = results as ColumnProfile[];
  for (const p of profiles) {
    if (p.ambiguousDate && p.parse.type === 'date' && !p.parse.dateFormat)
      throw ambiguousDateError(staged.source, p);
  }
  return profiles.map((p) => withNulls(p, options.nullValues));
}

/** The AMBIGUOUS_FORMAT error for a date column that fits both day-first and month-first. */
export function ambiguousDateError(source: string, profile: ColumnProfile): InputError {
  const [a, b] = profile.ambiguousDate?.formats ?? ['%d/%m/%Y', '%m/%d/%Y'];
  const ex = (profile.ambiguousDate?.examples ?? profile.examples).slice(0, 3).map((v) => `"${v}"`);
  return new InputError(
    `${source}, column "${profile.name}": expected dates in one known order, found values that fit both day-first (${a}) and month-first (${b}), e.g. ${ex.join(', ')}. ` +
      `Choose one: --date-format '${a}' (or '${b}'), or in a mapping file: columns: { "${profile.name}": { parse: { type: date, dateFormat: '${a}' } } }.`,
    { source, column: profile.name, formats: [a, b], examples: ex },
    { code: 'AMBIGUOUS_FORMAT' },
  );
}

function withNulls(p: ColumnProfile, nullValues: string[] | undefined): ColumnProfile {
  if (!nullValues?.length || p.parse.nullValues) return p;
  return { ...p, parse: { ...p.parse, nullValues } };
}

async function exampleValues(engine: Engine, staged: StagedSource): Promise<string[][]> {
  if (staged.columns.length === 0) return [];
  const cols = join(staged.columns.map((c) => sql`${ident(c.staged)}`));
  const rows = await engine.query(sql`SELECT ${cols} FROM ${ident(staged.table)} LIMIT 50`);
  return staged.columns.map((c) => {
    const seen = new Set<string>();
    for (const r of rows) {
      const v = r[c.staged];
      if (typeof v === 'string' && v.trim() !== '' && seen.size < 5) seen.add(v.trim());
    }
    return [...seen];
  });
}

type Metric = (t: SqlFragment) => SqlFragment;

/** The table whole-column scans read: the parallel records view when the stager has one. */
function scanned(staged: StagedSource): string {
  return staged.records?.table ?? staged.table;
}

interface ScanGroup {
  columns: StagedColumn[];
  metrics: Record<string, Metric>;
}

/**
 * One scan computing each group's metrics for each of its columns; returns, per group, metric → value
 * per column. No query when no group has a column.
 */
async function scanGroups(
  engine: Engine,
  staged: StagedSource,
  groups: ScanGroup[],
  options: ProfileOptions,
): Promise<Record<string, number | null>[][]> {
  // A wide file's columns are scanned in chunks: one statement with thousands of aggregates takes DuckDB
  // longer to plan than to run (1,000 columns: minutes for 200 rows); a file of up to SCAN_CHUNK columns is
  // still read in one scan.
  const pairs = groups.flatMap((g, gi) => g.columns.map((c, k) => ({ g, gi, c, k })));
  if (pairs.length === 0) return groups.map(() => []);
  const row: Record<string, unknown> = {};
  for (let from = 0; from < pairs.length; from += SCAN_CHUNK) {
    const chunk = pairs.slice(from, from + SCAN_CHUNK);
    // The cleaned text of each column is computed once, in an inner projection: repeated in every
    // metric, trim() would run a dozen times per value.
    const cleaned = new Map<string, string>();
    for (const { c } of chunk) if (!cleaned.has(c.staged)) cleaned.set(c.staged, `t${cleaned.size}`);
    const parts = chunk.flatMap(({ g, gi, c, k }) => {
      const t = sql`${identPart(cleaned.get(c.staged) ?? '')}`;
      return Object.entries(g.metrics).map(([name, m]) => sql`${m(t)} AS ${raw(`"g${gi}_p${k}_${name}"`)}`);
    });
    const inner = [...cleaned].map(
      ([staged, alias]) =>
        sql`${cleanTextSql(engine.dialect, sql`${ident(staged)}`, { nullValues: options.nullValues ?? [] })} AS ${identPart(alias)}`,
    );
    const [part] = await engine.query(
      sql`SELECT ${join(parts)} FROM (SELECT ${join(inner)} FROM ${ident(scanned(staged))})`,
    );
    Object.assign(row, part);
  }
  return groups.map((g, gi) =>
    g.columns.map((_, k) =>
      Object.fromEntries(
        Object.keys(g.metrics).map((name) => {
          const v = row[`g${gi}_p${k}_${name}`];
          return [name, v === null || v === undefined ? null : Number(v)];
        }),
      ),
    ),
  );
}

/** Columns per profiling scan (see `scanGroups`). */
const SCAN_CHUNK = 64;

async function scan(
  engine: Engine,
  staged: StagedSource,
  columns: StagedColumn[],
  metrics: Record<string, Metric>,
  options: ProfileOptions,
): Promise<Record<string, number | null>[]> {
  const [out = []] = await scanGroups(engine, staged, [{ columns, metrics }], options);
  return out;
}

const BOOL_WORDS_SQL = join(BOOLEAN_WORDS.map(textSql));

/** The first, cheap statistics of a column: counts of casts that pass, yes/no words, lengths. */
const FIRST_METRICS: Record<string, Metric> = {
  n: (t) => sql`count(${t})`,
  dbl: (t) => sql`count(TRY_CAST(${t} AS DOUBLE))`,
  bool: (t) => sql`count(*) FILTER (WHERE lower(${t}) IN (${BOOL_WORDS_SQL}))`,
  typed: (t) =>
    sql`count(*) FILTER (WHERE ascii(${t}) BETWEEN 48 AND 57 OR left(${t}, 1) IN ('+', '-', '.', '€', '$', '£', '¥', '₽'))`,
  minlen: (t) => sql`min(length(${t}))`,
  maxlen: (t) => sql`max(length(${t}))`,
};

/** ISO dates and timestamps (the second phase, for columns that start like dates). */
const DATE_METRICS: Record<string, Metric> = {
  date: (t) =>
    sql`count(*) FILTER (WHERE substr(${t}, 5, 1) = '-' AND length(${t}) <= 10 AND TRY_CAST(${t} AS DATE) IS NOT NULL)`,
  ts: (t) =>
    sql`count(*) FILTER (WHERE substr(${t}, 5, 1) = '-' AND length(${t}) >= 10 AND TRY_CAST(${t} AS TIMESTAMP) IS NOT NULL)`,
};

/**
 * The cheap statistics, in phases so each column pays only for the tests it can still pass: casts are
 * the costly part on millions of rows, and a text column fails the number test at once. `known` holds
 * statistics already counted in an earlier scan (same metrics, same values), keyed by staged column.
 */
async function quickStats(
  engine: Engine,
  staged: StagedSource,
  columns: StagedColumn[],
  options: ProfileOptions,
  known: ReadonlyMap<string, Record<string, number | null>> = new Map(),
): Promise<QuickStats[]> {
  const missing = columns.filter((c) => known.get(c.staged)?.n === undefined);
  const counted = await scan(engine, staged, missing, FIRST_METRICS, options);
  const stats: QuickStats[] = columns.map((c) => {
    const f = known.get(c.staged) ?? counted[missing.indexOf(c)] ?? {};
    return {
      n: f.n ?? 0,
      dbl: f.dbl ?? 0,
      int: 0,
      lz: 0,
      date: 0,
      ts: 0,
      bool: f.bool ?? 0,
      typedStart: f.typed ?? 0,
      minLen: f.minlen ?? null,
      maxLen: f.maxlen ?? null,
      ymd8: 0,
    };
  });
  const numeric = columns
    .map((c, k) => ({ c, k }))
    .filter(({ k }) => stats[k]!.n > 0 && stats[k]!.dbl === stats[k]!.n);
  const ints = await scan(
    engine,
    staged,
    numeric.map((x) => x.c),
    {
      int: (t) =>
        sql`count(*) FILTER (WHERE NOT contains(${t}, '.') AND NOT contains(lower(${t}), 'e') AND TRY_CAST(${t} AS BIGINT) IS NOT NULL)`,
      lz: (t) => sql`count(*) FILTER (WHERE ${t} LIKE '0_%' AND NOT contains(${t}, '.'))`,
    },
    options,
  );
  numeric.forEach(({ k }, j) => {
    stats[k]!.int = ints[j]?.int ?? 0;
    stats[k]!.lz = ints[j]?.lz ?? 0;
  });
  const datey = columns
    .map((c, k) => ({ c, k }))
    .filter(({ k }) => {
      const q = stats[k]!;
      return q.n > 0 && q.dbl < q.n && q.bool < q.n && q.typedStart >= q.n * 0.5;
    });
  const toCount = datey.filter(({ c }) => known.get(c.staged)?.date === undefined);
  const dates = await scan(
    engine,
    staged,
    toCount.map((x) => x.c),
    DATE_METRICS,
    options,
  );
  for (const { c, k } of datey) {
    const j = toCount.findIndex((x) => x.c === c);
    const d = j >= 0 ? dates[j] : known.get(c.staged);
    stats[k]!.date = d?.date ?? 0;
    stats[k]!.ts = d?.ts ?? 0;
  }
  return stats;
}

/**
 * Columns that will load as number fields only need their format. When no value holds a comma, a space,
 * an apostrophe or a currency sign, the decimal point is the only reading, and one cheap scan (no casts)
 * settles it; values that are no number at all are the loader's to reject.
 */
function numberFieldCandidates(
  staged: StagedSource,
  results: (ColumnProfile | null)[],
  options: ProfileOptions,
  decimalHint: '.' | ',',
): { c: StagedColumn; i: number; type: 'number' | 'integer' }[] {
  if (decimalHint !== '.' || !options.fieldTypes) return [];
  return staged.columns
    .map((c, i) => ({ c, i, type: options.fieldTypes?.[c.name] }))
    .filter(
      (x): x is { c: StagedColumn; i: number; type: 'number' | 'integer' } =>
        results[x.i] === null && (x.type === 'number' || x.type === 'integer'),
    );
}

/**
 * Whether cleaned text holds a comma, a space, an apostrophe or a currency sign: a number field with
 * no such value is read with a decimal point. The loader uses the same test to check a sampled profile.
 */
export function numberPunctuationSql(t: SqlFragment): SqlFragment {
  return sql`(contains(${t}, ',') OR contains(${t}, ' ') OR contains(${t}, '''') OR contains(${t}, '€') OR contains(${t}, '$') OR contains(${t}, '£') OR contains(${t}, '¥') OR contains(${t}, '₽') OR contains(${t}, '(') OR contains(${t}, ${'\u00a0'}))`;
}

const NUMBER_FIELD_METRICS: Record<string, Metric> = {
  n: (t) => sql`count(${t})`,
  odd: (t) => sql`count(*) FILTER (WHERE ${numberPunctuationSql(t)})`,
};

function decideNumberFields(
  columns: { c: StagedColumn; i: number; type: 'number' | 'integer' }[],
  stats: Record<string, number | null>[],
  results: (ColumnProfile | null)[],
  examples: string[][],
): void {
  columns.forEach(({ c, i, type }, k) => {
    if ((stats[k]?.odd ?? 1) !== 0) return;
    results[i] = {
      name: c.name,
      staged: c.staged,
      examples: examples[i] ?? [],
      nonBlank: stats[k]?.n ?? 0,
      parse: { type, decimal: '.' },
      formats: { decimal: '.' },
      reason: `loaded as a ${type} field; no value holds a comma, space or currency sign: decimal point`,
    };
  });
}

/**
 * Counts yyyymmdd dates, only in columns of 8-digit integers: strptime is slow on text that does not
 * fit, so it runs only where every value could be one.
 */
async function countYmd8(
  engine: Engine,
  staged: StagedSource,
  columns: StagedColumn[],
  quick: QuickStats[],
  options: ProfileOptions,
): Promise<void> {
  const candidates = columns
    .map((c, k) => ({ c, k, q: quick[k]! }))
    .filter(({ q }) => q.n > 0 && q.int === q.n && q.minLen === 8 && q.maxLen === 8);
  if (candidates.length === 0) return;
  const parts = candidates.map(({ c, k }) => {
    const t = cleanTextSql(engine.dialect, sql`${ident(c.staged)}`, { nullValues: options.nullValues ?? [] });
    return sql`count(*) FILTER (WHERE CAST(try_strptime(${t}, '%Y%m%d') AS DATE) BETWEEN DATE '1900-01-01' AND DATE '2100-12-31') AS ${raw(`"y${k}"`)}`;
  });
  const [row] = await engine.query(sql`SELECT ${join(parts)} FROM ${ident(scanned(staged))}`);
  for (const { k, q } of candidates) q.ymd8 = Number(row?.[`y${k}`] ?? 0);
}

type Decision = Pick<ColumnProfile, 'parse' | 'formats' | 'reason'> &
  Partial<Pick<ColumnProfile, 'ambiguousDate' | 'datePattern'>>;

/** Decides what the cheap casts already prove; null when a regex scan is needed. */
function decideQuick(q: QuickStats, decimalHint: '.' | ','): Decision | null {
  const all = (k: number) => q.n > 0 && k === q.n;
  if (q.n === 0) return { parse: { type: 'string' }, formats: {}, reason: 'no values' };
  if (all(q.int) && q.lz > 0)
    return {
      parse: { type: 'string' },
      formats: {},
      reason: `digits with leading zeros (codes, not numbers)`,
    };
  if (all(q.ymd8) && q.minLen === 8 && q.maxLen === 8)
    return {
      parse: { type: 'date', dateFormat: '%Y%m%d' },
      formats: { dateFormat: '%Y%m%d' },
      reason: `all ${q.n} values are 8-digit dates (%Y%m%d)`,
    };
  if (all(q.int))
    return { parse: { type: 'integer' }, formats: {}, reason: `all ${q.n} values are integers` };
  if (all(q.bool))
    return { parse: { type: 'boolean' }, formats: {}, reason: `all ${q.n} values are yes/no words` };
  if (all(q.date))
    return { parse: { type: 'date' }, formats: {}, reason: `all ${q.n} values are ISO dates (%Y-%m-%d)` };
  if (all(q.ts) || (q.date + q.ts === q.n && q.ts > 0))
    return { parse: { type: 'timestamp' }, formats: {}, reason: `all ${q.n} values are ISO timestamps` };
  // Most values are ISO dates: the format is that; the rest are rejected as they load. (Not so for
  // yes/no words: 'No internet service' beside yes/no is a category, not a typo. A boolean field
  // rejects the values that are no yes/no word as it loads.)
  const most = (k: number) => q.n > 0 && k * 2 > q.n;
  if (most(q.date + q.ts))
    return {
      parse: { type: q.ts > q.date ? 'timestamp' : 'date' },
      formats: {},
      reason: `${q.date + q.ts} of ${q.n} values are ISO ${q.ts > q.date ? 'timestamps' : 'dates'}; the ${q.n - q.date - q.ts} others will be rejected`,
    };
  // With a comma-decimal hint, '1.234' may be one thousand two hundred …: the slow scan decides.
  if (all(q.dbl) && decimalHint === '.')
    return {
      parse: { type: 'number', decimal: '.' },
      formats: { decimal: '.' },
      reason: `all ${q.n} values are numbers`,
    };
  if (q.typedStart < q.n * 0.5)
    return {
      parse: { type: 'string' },
      formats: {},
      reason: 'text (most values do not start like a number or date)',
    };
  return null;
}

const NUM = {
  plain: '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?',
  intOnly: '[+-]?[0-9]+',
  commaDec: '[+-]?[0-9]+,[0-9]+',
  comma3: '[+-]?[0-9]{1,3},[0-9]{3}',
  dotThousands: '[+-]?[0-9]{1,3}([.][0-9]{3})+(,[0-9]+)?',
  spaceThousands: '[+-]?[0-9]{1,3}([ \u00a0\u202f][0-9]{3})+(,[0-9]+)?',
  commaThousands: '[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?',
  apostropheThousands: "[+-]?[0-9]{1,3}('[0-9]{3})+([.][0-9]+)?",
} as const;

const TIME = '( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?';
/** Day, month and year parts (a year of four or two digits) joined by one separator. */
const DATE_FAMILIES = {
  '/': '[0-9]{1,2}/[0-9]{1,2}/([0-9]{4}|[0-9]{2})',
  '.': '[0-9]{1,2}[.][0-9]{1,2}[.]([0-9]{4}|[0-9]{2})',
  '-': '[0-9]{1,2}-[0-9]{1,2}-([0-9]{4}|[0-9]{2})',
} as const;

/** The same families with a two-digit year only (`31/12/24`: read with `%y`). */
const SHORT_YEAR = {
  '/': '[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}',
  '.': '[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{2}',
  '-': '[0-9]{1,2}-[0-9]{1,2}-[0-9]{2}',
} as const;

async function profileSlow(
  engine: Engine,
  staged: StagedSource,
  c: StagedColumn,
  q: QuickStats,
  examples: string[],
  options: ProfileOptions,
  decimalHint: '.' | ',',
): Promise<ColumnProfile> {
  const d = engine.dialect;
  const t = cleanTextSql(d, sql`${ident(c.staged)}`, { nullValues: options.nullValues ?? [] });
  const s = negativeParensSql(d.trimChars(t, SYMBOLS), SYMBOLS);
  const m = (x: SqlFragment, re: string) => sql`regexp_full_match(${x}, ${re})`;
  const cnt = (cond: SqlFragment) => sql`count(*) FILTER (WHERE ${cond})`;
  const numParts = Object.entries(NUM).map(([k, re]) => sql`${cnt(m(s, re))} AS ${raw(`"n_${k}"`)}`);
  const dateParts = Object.entries(DATE_FAMILIES).flatMap(([sep, re], k) => [
    sql`${cnt(m(t, re + TIME))} AS ${raw(`"d${k}"`)}`,
    sql`${cnt(m(t, `${re} [0-9]{1,2}:[0-9]{2}`))} AS ${raw(`"d${k}_hm"`)}`,
    sql`${cnt(m(t, `${re} [0-9]{1,2}:[0-9]{2}:[0-9]{2}`))} AS ${raw(`"d${k}_hms"`)}`,
    sql`${cnt(m(t, SHORT_YEAR[sep as keyof typeof SHORT_YEAR] + TIME))} AS ${raw(`"d${k}_y2"`)}`,
  ]);
  const [row = {}] = await engine.query(
    sql`SELECT ${join([...numParts, ...dateParts, sql`${cnt(sql`${s} <> ${t}`)} AS "sym"`])} FROM ${ident(scanned(staged))}`,
  );
  const g = (k: string) => Number(row[k] ?? 0);
  const base = { name: c.name, staged: c.staged, nonBlank: q.n, examples };

  // Dates first: a value like 01.02.2024 also looks like a number with dot thousands.
  const families = Object.keys(DATE_FAMILIES).map((sep, k) => ({
    sep,
    n: g(`d${k}`),
    hm: g(`d${k}_hm`),
    hms: g(`d${k}_hms`),
    y2: g(`d${k}_y2`),
  }));
  const best = families.sort((x, y) => y.n - x.n)[0]!;
  if (best.n >= q.n * 0.5 && best.n > 0) {
    return { ...base, ...(await decideDate(engine, staged, t, q.n, best, examples, options)) };
  }

  const numbers = decideNumber(q.n, g, decimalHint, g('sym') > 0);
  if (numbers) return { ...base, ...numbers };
  return { ...base, parse: { type: 'string' }, formats: {}, reason: 'text (values of mixed kinds)' };
}

/**
 * Decides a day/month/year column from the values that parse: the order (day-first or month-first)
 * that more values fit wins; a minority that fits neither (`31/02/2025`, `00/06/2024`) is left for the
 * loader to reject row by row. Ambiguous only when the valid values cannot decide (each fits both).
 */
async function decideDate(
  engine: Engine,
  staged: StagedSource,
  t: SqlFragment,
  n: number,
  f: { sep: string; n: number; hm: number; hms: number; y2: number },
  examples: string[],
  options: ProfileOptions,
): Promise<Decision> {
  const year = f.y2 * 2 > f.n ? '%y' : '%Y';
  const dayFirst = `%d${f.sep}%m${f.sep}${year}`;
  const monthFirst = `%m${f.sep}%d${f.sep}${year}`;
  const time = f.hms >= f.hm && f.hms > 0 ? ' %H:%M:%S' : f.hm > 0 ? ' %H:%M' : '';
  const isTimestamp = f.hm + f.hms > f.n / 2;
  const fmt = (date: string) => (isTimestamp ? date + time : date);
  const parse = (format: string) =>
    isTimestamp ? engine.dialect.tryParseTimestamp(t, format) : engine.dialect.tryParseDate(t, format);
  const type = isTimestamp ? 'timestamp' : 'date';
  if (options.dateFormat) {
    const [row] = await engine.query(
      sql`SELECT count(${parse(options.dateFormat)}) AS ok FROM ${ident(scanned(staged))}`,
    );
    return dateDecision(type, options.dateFormat, Number(row?.ok ?? 0), n, 'given', undefined);
  }
  const [row] = await engine.query(
    sql`SELECT count(${parse(fmt(dayFirst))}) AS d, count(${parse(fmt(monthFirst))}) AS m,
      count(*) FILTER (WHERE ${parse(fmt(dayFirst))} IS NOT NULL AND ${parse(fmt(monthFirst))} IS NOT NULL) AS both
      FROM ${ident(scanned(staged))}`,
  );
  const d = Number(row?.d ?? 0);
  const m = Number(row?.m ?? 0);
  const both = Number(row?.both ?? 0);
  const fitText = `${d} of ${n} values fit day-first, ${m} month-first`;
  // What keeps this decision for a whole file when it was read from a sample: values of the chosen
  // format's exact shape (the separator, year digits and time of day counted above) that parse with it.
  // The values that do not are at most as many as those that fit only the chosen order here (fewer for a
  // strict majority), so the other order cannot win; fewer than a third, so the year digits, the time
  // of day and the type cannot change either (see FormatCheck).
  const sep = f.sep === '.' ? '[.]' : f.sep;
  const shape = `[0-9]{1,2}${sep}[0-9]{1,2}${sep}${year === '%y' ? '[0-9]{2}' : '[0-9]{4}'}${
    isTimestamp ? (time === ' %H:%M:%S' ? ' [0-9]{1,2}:[0-9]{2}:[0-9]{2}' : ' [0-9]{1,2}:[0-9]{2}') : ''
  }`;
  const withPattern = (decision: Decision, onlyChosen: number, strict: boolean): Decision => {
    const maxBad = strict ? onlyChosen - 1 : onlyChosen;
    return decision.parse.type === 'string' || decision.ambiguousDate || maxBad < 0
      ? decision
      : { ...decision, datePattern: { pattern: shape, maxBad } };
  };
  if (d > m || (f.sep === '.' && d === m))
    return withPattern(
      dateDecision(
        type,
        fmt(dayFirst),
        d,
        n,
        d === m ? 'day first: dotted dates are always day.month.year' : `day first: ${fitText}`,
        undefined,
      ),
      d - both,
      f.sep !== '.',
    );
  if (m > d)
    return withPattern(
      dateDecision(type, fmt(monthFirst), m, n, `month first: ${fitText}`, undefined),
      m - both,
      true,
    );
  if (d === 0)
    return { parse: { type: 'string' }, formats: {}, reason: 'text (looks like dates, but none is one)' };
  // Every valid value fits both orders (d === m === both): the data cannot decide.
  return dateDecision(
    type,
    fmt(dayFirst),
    d,
    n,
    `both day-first and month-first fit all ${both} valid values`,
    {
      formats: [fmt(dayFirst), fmt(monthFirst)],
      examples,
    },
  );
}

/**
 * A date column's decision once its format is known: typed when at least half the values parse (the
 * rest are rejected row by row as they load, each with its value and this format), else text.
 */
function dateDecision(
  type: 'date' | 'timestamp',
  format: string,
  ok: number,
  n: number,
  why: string,
  ambiguous: ColumnProfile['ambiguousDate'],
): Decision {
  const formats = ambiguous ? {} : { dateFormat: format };
  const amb = ambiguous ? { ambiguousDate: ambiguous } : {};
  if (ok * 2 < n || ok === 0)
    return {
      parse: { type: 'string' },
      formats,
      reason: `text: only ${ok} of ${n} values are ${type}s (${format}; ${why})`,
      ...amb,
    };
  const minority = ok < n ? `; ${n - ok} values that are not will be rejected` : '';
  return {
    parse: ambiguous ? { type } : { type, dateFormat: format },
    formats,
    reason: `${ok === n ? 'all' : `${ok} of`} ${n} values are ${type}s (${format}; ${why})${minority}`,
    ...amb,
  };
}

function decideNumber(
  n: number,
  g: (k: string) => number,
  decimalHint: '.' | ',',
  symbols: boolean,
): Decision | null {
  const strip = symbols ? { stripSymbols: SYMBOLS } : {};
  // The patterns are disjoint within each reading, so the fits add up.
  const dotK = g('n_dotThousands');
  const spaceK = g('n_spaceThousands');
  const commaK = g('n_commaThousands');
  const aposK = g('n_apostropheThousands');
  const euFits = g('n_intOnly') + g('n_commaDec') + dotK + spaceK;
  const usFits = g('n_plain') + Math.max(commaK, aposK);
  // '1,234' or '1.234' alone fit both readings: the hint (the file's delimiter) decides, and says so.
  const eu = euFits > usFits || (euFits === usFits && decimalHint === ',');
  const fits = eu ? euFits : usFits;
  if (fits === 0 || fits < n * 0.5) return null;
  const thousands: ParseOptions['thousands'] = eu
    ? dotK >= spaceK && dotK > 0
      ? '.'
      : spaceK > 0
        ? ' '
        : undefined
    : commaK >= aposK && commaK > 0
      ? ','
      : aposK > 0
        ? "'"
        : undefined;
  const parse: ParseOptions = {
    type: 'number',
    decimal: eu ? ',' : '.',
    ...(thousands ? { thousands } : {}),
    ...strip,
  };
  const { type: _type, ...formats } = parse;
  const why = `decimal ${eu ? 'comma' : 'point'}${thousands ? `, thousands '${thousands}'` : ''}${euFits === usFits ? ` (both readings fit; chose the ${eu ? "comma, as the file is ';'-separated" : 'point'})` : ''}${symbols ? ', currency symbols ignored' : ''}`;
  if (fits < n)
    return {
      parse,
      formats,
      reason: `${fits} of ${n} values are numbers (${why}); the ${n - fits} that are not will be rejected`,
    };
  return { parse, formats, reason: `all ${n} values are numbers (${why})` };
}
