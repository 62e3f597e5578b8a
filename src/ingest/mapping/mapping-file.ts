/**
 * The mapping file (YAML or JSON): overrides the target table, which source column feeds which field,
 * and how each column is parsed. Validated with zod; every bad field is reported at once.
 *
 * ```yaml
 * source: crm-export            # display name of the source (default: the file path)
 * target: customers             # canonical table, or leave out to detect it from the headers
 * defaultCountry: NL            # country for phone numbers and postcodes without one
 * nullValues: ['n/a', '-']      # texts that mean "no value" in every column
 * parse: { dateFormat: '%d/%m/%Y', decimal: ',' }   # defaults for every column
 * columns:
 *   Klantnr: customer_id                            # column → field
 *   Geb. datum: { field: birth_date, parse: { type: date, dateFormat: '%d-%m-%Y' } }
 *   Opmerking: null                                 # ignore this column
 *   language: { value: pt }                         # a constant: every row's language is 'pt'
 * ```
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, type Issue, inputErrorFromIssues } from '../../errors.js';
import { CANONICAL_TABLES, type CanonicalTable } from '../../store/index.js';
import type { ParseOptions } from '../types.js';

const parseOptionsSchema = z
  .object({
    type: z.enum(['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'list']).optional(),
    decimal: z.enum(['.', ',']).optional(),
    thousands: z.enum(['', '.', ',', ' ', "'"]).optional(),
    dateFormat: z
      .string()
      .regex(/%[YmdyHMSf]/, "a strptime format such as '%d/%m/%Y'")
      .optional(),
    trueValues: z.array(z.string()).optional(),
    falseValues: z.array(z.string()).optional(),
    listSeparator: z.string().min(1).optional(),
    nullValues: z.array(z.string()).optional(),
    stripSymbols: z.string().optional(),
  })
  .strict();

const columnSchema = z.union([
  z.string().min(1),
  z.null(),
  z
    .object({
      field: z.string().min(1).optional(),
      parse: parseOptionsSchema.optional(),
      /** A constant for every row (the key need not be a column of the source). */
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    })
    .strict(),
]);

const mappingFileSchema = z
  .object({
    source: z.string().min(1).optional(),
    target: z.enum(['raw', ...CANONICAL_TABLES]).optional(),
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'a two-letter ISO country code such as NL')
      .optional(),
    nullValues: z.array(z.string()).optional(),
    parse: parseOptionsSchema.optional(),
    columns: z.record(z.string(), columnSchema).optional(),
  })
  .strict();

/** One column's entry: the field it feeds (`null` = ignore the column) and parse options. */
export interface MappingFileColumn {
  field: string | null;
  parse?: Partial<ParseOptions>;
  /** A constant loaded into `field` on every row (`language: { value: pt }`). */
  value?: string;
}

/** A validated mapping file. */
export interface MappingFile {
  source?: string;
  target?: CanonicalTable | 'raw';
  defaultCountry?: string;
  nullValues?: string[];
  /** Parse defaults for every column (e.g. one date format for the whole file). */
  parse?: Partial<ParseOptions>;
  /** Source column name → entry. Columns not listed are mapped by their header. */
  columns: Record<string, MappingFileColumn>;
}

/**
 * Validates a mapping file's content (already parsed from YAML/JSON).
 *
 * @param data - the parsed content.
 * @param where - the file name, for messages.
 * @throws InputError listing every bad field at once.
 */
export function parseMappingFile(data: unknown, where = 'mapping file'): MappingFile {
  const result = mappingFileSchema.safeParse(data ?? {});
  if (!result.success) {
    const issues: Issue[] = result.error.issues.map((i) => ({
      where: `${where}: ${i.path.length ? i.path.join('.') : '(top level)'}`,
      message: issueMessage(i),
    }));
    throw inputErrorFromIssues(
      `${where}: the mapping file has ${issues.length} problem${issues.length === 1 ? '' : 's'}; fix them all and retry (docs/import.md describes the format).`,
      issues,
    );
  }
  const d = result.data;
  const columns: Record<string, MappingFileColumn> = {};
  for (const [name, entry] of Object.entries(d.columns ?? {})) {
    if (entry === null) columns[name] = { field: null };
    else if (typeof entry === 'string') columns[name] = { field: entry };
    else
      columns[name] = {
        field: entry.field ?? name,
        ...(entry.parse ? { parse: entry.parse as Partial<ParseOptions> } : {}),
        ...(entry.value !== undefined ? { value: String(entry.value) } : {}),
      };
  }
  return {
    ...(d.source ? { source: d.source } : {}),
    ...(d.target ? { target: d.target as CanonicalTable | 'raw' } : {}),
    ...(d.defaultCountry ? { defaultCountry: d.defaultCountry.toUpperCase() } : {}),
    ...(d.nullValues ? { nullValues: d.nullValues } : {}),
    ...(d.parse ? { parse: d.parse as Partial<ParseOptions> } : {}),
    columns,
  };
}

/**
 * Reads and validates a mapping file: `.json` as JSON, anything else as YAML (a superset of JSON).
 *
 * @throws ConfigError when the file cannot be read or parsed; InputError listing every bad field.
 */
export function readMappingFile(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      `${path}: could not read the mapping file (${(cause as NodeJS.ErrnoException).code}). Check the path.`,
      { path },
      { cause },
    );
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigError(
      `${path}: expected ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}, found a syntax error: ${(cause as Error).message.split('\n')[0]}. Fix the file.`,
      { path },
      { cause },
    );
  }
  return parseMappingFile(data, path);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union')
    return 'expected a field name, null (ignore the column), { field, parse: { type, dateFormat, decimal, … } }, or a constant { value: pt }';
  return issue.message;
}
