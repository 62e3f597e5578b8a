import { extname } from 'node:path';
import { refreshSalesAggregatesIfStale } from '../../../analytics/sales/index.js';
import { recordSegmentSizes } from '../../../analytics/segments/index.js';
import type { Language } from '../../../analytics/shared/field-labels.js';
import { translateReason } from '../../../analytics/shared/server-text.js';
import { InputError, type Issue, inputErrorFromIssues } from '../../../errors.js';
import {
  type ConflictRule,
  IMPORT_ORDER,
  type ImportOptions,
  type ImportResult,
  type ImportSpec,
  importSource,
  withDuckDbImport,
} from '../../../ingest/index.js';
import { CANONICAL_TABLES, type CanonicalTable } from '../../../store/index.js';
import type { Command, OptionValues } from '../command.js';
import {
  DATABASE_IMPORT_OPTIONS,
  DATABASE_IMPORT_USAGE,
  type DatabaseImport,
  parseDatabaseFlags,
  runDatabaseImport,
} from './import-database.js';

const USAGE = `Usage: clientele import FILE... [options]

Loads files into the datamart: each is staged, its columns profiled and mapped to a canonical table,
every row converted and validated in SQL, bad rows kept in the rejects table, and the rest upserted by
natural key, all in one transaction per file (a failed load changes nothing). Import in this order so
that references resolve: ${IMPORT_ORDER.join(' → ')}.

Options:
  --target TABLE          canonical table (${CANONICAL_TABLES.join(', ')}); guessed from the headers if omitted
  --as NAME               import as a raw table NAME with inferred column types (replaced on re-import)
  --mapping FILE          mapping file (YAML/JSON): { target, columns: { "Header": "field" | { field, type, … } } }
  --dry-run               show the mapping, detected formats and a preview; change nothing
  --format F              csv, xlsx, parquet, json, ndjson or baskets (default from the file extension)
  --sheet NAME            sheet of an .xlsx workbook
  --date-format F         strptime format of dates, e.g. %d/%m/%Y
  --decimal , | .         decimal separator of numbers
  --encoding E            utf-8 (default) or latin-1
  --delimiter D           field separator (, ; | \\t)
  --columns NAMES         names of the file's columns, in order, comma-separated ('-' skips one): for a
                          file without a header line, e.g. --columns=-,customer_id,order_date,-,total
  --source NAME           the system the rows come from (crm, shop …): lineage and customer id namespace
  --max-reject-rate R     fail (exit 2, nothing changes) when more than this fraction of rows is rejected
                          (default 0.5; 1 turns the check off), e.g. 0.05
  --create-customers      create the customers that orders name but the datamart does not know (default:
                          only when the datamart has no customers yet, e.g. a transaction log on its own)
  --rejects-out FILE      write the load's rejects and duplicates to a CSV file
  --conflict RULE         customers from several sources: newest (default) or source-priority
  --source-priority LIST  sources in priority order for --conflict source-priority, e.g. crm,shop
  --default-country CC    country for phone numbers without +prefix (ISO-2, e.g. NL)
  --allow-negative        accept negative prices and amounts (refunds, corrections)
  --memory-limit SIZE     DuckDB's memory cap while importing, e.g. 4GB (default: a quarter of the
                          machine, at most 1,200 MB; beyond it DuckDB spills to disk); none = no cap
Basket files (--format baskets: one transaction per line, items separated by --delimiter, as Groceries):
  each line becomes an order (id PREFIX + line number) with one order line per item (sku = item);
  unknown items become products; without --lead customer each basket gets its own customer (id = order id).
  --lead FIELDS           fields before the items: order, customer, date (e.g. customer,date)
  --order-prefix P        order-id prefix (default: file name and a dash, e.g. groceries-)
  --order-date DATE       date of orders without a date field (default: the file's modification date)
  --trim                  trim spaces around items (default: keep them, as arules does)

${DATABASE_IMPORT_USAGE}

JSON fields (one file): read, loaded, rejected, duplicates, inserted, updated, unchanged, loadId, source,
target, format, seconds, warnings, merges, conflicts, conflictRule, customersCreated, guestOrders, topReasons[{reason,
rows, lines, example, fix}], related[{target, inserted, updated, unchanged}]; several files: loads[…] plus totals{read, loaded, rejected, duplicates, inserted, updated,
unchanged, merges, conflicts, seconds}. --dry-run: source, format, target, rows, detected, mapping, unmapped, preview.

Examples:
  clientele import customers.csv --source crm --default-country NL
  clientele import order-lines.csv --target order_lines --source crm --max-reject-rate 0.01 --rejects-out rejects.csv
  clientele import Telco-Customer-Churn.csv --as telco_churn
  clientele import CDNOW_sample.txt --target orders --columns=-,customer_id,order_date,-,total
  clientele import export.csv --dry-run
  clientele import groceries.csv --format baskets --order-date 2024-01-31
  clientele import --postgres postgres://crm@db/crm --table crm.customers --source crm
  clientele import --mysql mysql://shop@db/magento --preset magento --json`;

/** A DuckDB memory size: a number and a unit. */
const MEMORY_SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

const FORMATS = ['csv', 'tsv', 'xlsx', 'parquet', 'json', 'ndjson', 'baskets'];

const TOTAL_KEYS = [
  'read',
  'loaded',
  'rejected',
  'duplicates',
  'inserted',
  'updated',
  'unchanged',
  'merges',
  'conflicts',
  'seconds',
] as const;

export const importCommand: Command = {
  name: 'import',
  summary: 'load CSV/Excel/Parquet/JSON files into the datamart (validated, rejects kept, idempotent upsert)',
  usage: USAGE,
  options: {
    target: { type: 'string' },
    as: { type: 'string' },
    mapping: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    format: { type: 'string' },
    sheet: { type: 'string' },
    'date-format': { type: 'string' },
    decimal: { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    columns: { type: 'string' },
    source: { type: 'string' },
    'max-reject-rate': { type: 'string' },
    'create-customers': { type: 'boolean' },
    'rejects-out': { type: 'string' },
    conflict: { type: 'string' },
    'source-priority': { type: 'string' },
    'default-country': { type: 'string' },
    'allow-negative': { type: 'boolean', default: false },
    'memory-limit': { type: 'string' },
    lead: { type: 'string' },
    'order-prefix': { type: 'string' },
    'order-date': { type: 'string' },
    trim: { type: 'boolean', default: false },
    ...DATABASE_IMPORT_OPTIONS,
  },
  async run(ctx) {
    const files = [...ctx.args];
    const { spec, options, database } = parseFlags(ctx.values, files);
    // A dry run changes nothing, so it needs no datamart file: a missing one is an empty scratch datamart.
    const engine = await ctx.openDb({ scratchIfMissing: options.dryRun === true });
    const results: ImportResult[] = [];
    try {
      if (database) {
        // On ClickHouse the source is read into the DuckDB mirror and the changed tables swapped in.
        const imported = await withDuckDbImport(engine, 'Import from a database', (duck) =>
          runDatabaseImport(ctx, duck, database, spec, options),
        );
        for (const result of imported) {
          results.push(result);
          printHuman(ctx.out.line, result, ctx.lang);
        }
      }
      for (const [index, path] of files.entries()) {
        const bar = ctx.progress(`import ${path}`, 1);
        const rejectsOut =
          options.rejectsOut && files.length > 1
            ? numbered(options.rejectsOut, index + 1)
            : options.rejectsOut;
        const result = await importSource(
          engine,
          { ...spec, path },
          {
            ...options,
            rejectsOut,
            onProgress: (p) => {
              const weights = { stage: 0, profile: 0.3, map: 0.35, load: 0.4 };
              bar.update(
                weights[p.phase] + (p.phase === 'load' ? (0.6 * p.done) / p.total : 0),
                `${p.phase} ${p.step}`,
              );
            },
          },
        );
        bar.done(result.dryRun ? 'dry run' : `${result.loaded} loaded, ${result.rejected} rejected`);
        results.push(result);
        printHuman(ctx.out.line, result, ctx.lang);
      }
      // The sales cube's daily pre-aggregate follows the data (rebuilt only when the data changed).
      if (results.some((r) => !r.dryRun)) {
        try {
          const refreshed = await refreshSalesAggregatesIfStale(engine);
          if (refreshed) ctx.out.line(`Sales pre-aggregate rebuilt (${refreshed.daily} daily rows).`);
        } catch (error) {
          // The import itself succeeded; the cube computes from the order lines until a refresh works.
          ctx.out.line(
            `Warning: the sales pre-aggregate could not be rebuilt (${(error as Error).message}); \`clientele sales\` computes from the order lines until \`clientele sales --refresh\` succeeds.`,
          );
        }
        // Each stored segment's size after the import joins its history: a point per import, changed or not.
        const sizes = await recordSegmentSizes(engine, { now: new Date(), everyHours: 0 }).catch(() => null);
        if (sizes?.recorded.length) ctx.out.line(`Segment sizes recorded: ${sizes.recorded.join(', ')}.`);
      }
    } finally {
      await engine.close();
    }
    if (results.length === 1) return results[0];
    const loads = results.filter((r) => !r.dryRun);
    const totals = Object.fromEntries(
      TOTAL_KEYS.map((k) => [k, loads.reduce((s, r) => s + (r[k] as number), 0)]),
    );
    if (results.length > 1 && loads.length)
      ctx.out.line(`Total: ${formatCounts(totals as Record<string, number>)}`);
    return { loads: results, totals };
  },
};

function parseFlags(
  values: OptionValues,
  files: string[],
): { spec: Omit<ImportSpec, 'path'>; options: ImportOptions; database: DatabaseImport | null } {
  const issues: Issue[] = [];
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const database = parseDatabaseFlags(values, files, issues);
  if (files.length === 0 && !database) {
    issues.push({
      where: 'FILE',
      message: 'expected at least one file to import, got none. Example: clientele import customers.csv',
    });
  }
  const target = str('target');
  if (target !== undefined && !(CANONICAL_TABLES as readonly string[]).includes(target)) {
    issues.push({
      where: '--target',
      message: `expected one of ${CANONICAL_TABLES.join(', ')}, got "${target}". For any other table use --as NAME.`,
    });
  }
  if (target !== undefined && str('as') !== undefined) {
    issues.push({
      where: '--as',
      message: 'expected either --target or --as, got both. Use --as for a raw table.',
    });
  }
  const decimal = str('decimal');
  if (decimal !== undefined && decimal !== ',' && decimal !== '.') {
    issues.push({ where: '--decimal', message: `expected "," or ".", got "${decimal}".` });
  }
  const memoryText = str('memory-limit');
  if (memoryText !== undefined && memoryText !== 'none' && !MEMORY_SIZE.test(memoryText)) {
    issues.push({
      where: '--memory-limit',
      message: `expected a size such as 800MB, 4GB or 2.5GiB, or none, got "${memoryText}".`,
    });
  }
  const rateText = str('max-reject-rate');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && (!Number.isFinite(rate) || rate < 0 || rate > 1)) {
    issues.push({
      where: '--max-reject-rate',
      message: `expected a fraction between 0 and 1 (0.05 = 5%), got "${rateText}".`,
    });
  }
  const conflict = str('conflict');
  if (conflict !== undefined && conflict !== 'newest' && conflict !== 'source-priority') {
    issues.push({ where: '--conflict', message: `expected newest or source-priority, got "${conflict}".` });
  }
  const priority = str('source-priority')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (conflict === 'source-priority' && !priority?.length) {
    issues.push({
      where: '--source-priority',
      message:
        'expected a comma-separated list of sources (e.g. crm,shop) with --conflict source-priority, got none.',
    });
  }
  const country = str('default-country');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    issues.push({
      where: '--default-country',
      message: `expected a 2-letter country code like NL, got "${country}".`,
    });
  }
  const format = str('format');
  if (format !== undefined && !FORMATS.includes(format)) {
    issues.push({ where: '--format', message: `expected one of ${FORMATS.join(', ')}, got "${format}".` });
  }
  const lead = str('lead')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of lead ?? []) {
    if (!['order', 'customer', 'date'].includes(f)) {
      issues.push({ where: '--lead', message: `expected order, customer or date, got "${f}".` });
    }
  }
  const orderDate = str('order-date');
  if (orderDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(orderDate)) {
    issues.push({ where: '--order-date', message: `expected a date YYYY-MM-DD, got "${orderDate}".` });
  }
  if (issues.length) {
    const error = inputErrorFromIssues(
      'clientele import: bad arguments (run `clientele import --help`):',
      issues,
    );
    throw new InputError(error.message, error.details, { code: 'INVALID_ARGUMENT' });
  }
  return {
    database,
    spec: {
      ...(target ? { target: target as CanonicalTable } : {}),
      ...(str('as') !== undefined ? { as: str('as') } : {}),
      ...(str('mapping') ? { mappingFile: str('mapping') } : {}),
      ...(format ? { format: format === 'tsv' ? 'csv' : (format as NonNullable<ImportSpec['format']>) } : {}),
      ...(format === 'baskets'
        ? {
            baskets: {
              ...(lead?.length ? { lead: lead as ('order' | 'customer' | 'date')[] } : {}),
              ...(str('order-prefix') !== undefined ? { orderPrefix: str('order-prefix') } : {}),
              ...(orderDate ? { orderDate } : {}),
              trim: values.trim === true,
            },
          }
        : {}),
      ...(str('sheet') ? { sheet: str('sheet') } : {}),
      ...(str('date-format') ? { dateFormat: str('date-format') } : {}),
      ...(decimal ? { decimal: decimal as ',' | '.' } : {}),
      ...(str('encoding') ? { encoding: str('encoding') } : {}),
      ...(str('delimiter') ? { delimiter: str('delimiter') } : {}),
      ...(str('columns') !== undefined ? { columns: (str('columns') ?? '').split(',') } : {}),
    },
    options: {
      dryRun: values['dry-run'] === true,
      ...(str('source') ? { source: str('source') } : {}),
      maxRejectRate: rate ?? DEFAULT_MAX_REJECT_RATE,
      ...(values['create-customers'] === true ? { createCustomers: true } : {}),
      ...(str('rejects-out') ? { rejectsOut: str('rejects-out') } : {}),
      ...(conflict ? { conflict: conflict as ConflictRule } : {}),
      ...(priority?.length ? { sourcePriority: priority } : {}),
      ...(country ? { defaultCountry: country.toUpperCase() } : {}),
      allowNegative: values['allow-negative'] === true,
      ...(memoryText !== undefined ? { memoryLimit: memoryText === 'none' ? null : memoryText } : {}),
    },
  };
}

/** `--max-reject-rate` when not given: a load that rejects most of its rows fails (issue 12). */
export const DEFAULT_MAX_REJECT_RATE = 0.5;

function numbered(path: string, n: number): string {
  const ext = extname(path);
  return ext ? `${path.slice(0, -ext.length)}-${n}${ext}` : `${path}-${n}`;
}

function formatCounts(r: Record<string, number>): string {
  return `read ${r.read}, loaded ${r.loaded} (inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}), rejected ${r.rejected}, duplicates ${r.duplicates}`;
}

function printHuman(line: (text?: string) => void, r: ImportResult, lang: Language = 'en'): void {
  if (r.sheets && r.sheets.length > 1) {
    // A workbook imported sheet by sheet: one block per sheet, then the workbook's totals.
    for (const sheet of r.sheets) printHuman(line, { ...sheet, dryRun: r.dryRun } as ImportResult, lang);
    if (!r.dryRun)
      line(
        `${r.source}: ${r.sheets.length} sheets in one transaction: ${formatCounts(r as unknown as Record<string, number>)}`,
      );
    return;
  }
  if (r.dryRun) {
    line(`${r.source} (${r.format}, ${r.rows} rows) → ${r.target}  [dry run: nothing changed]`);
    for (const m of r.mapping)
      line(
        `  ${m.source} → ${m.field}  (${m.parse.type}${m.parse.dateFormat ? ` ${m.parse.dateFormat}` : ''}${m.parse.decimal === ',' ? ' decimal comma' : ''}; ${m.reason})`,
      );
    if (r.unmapped.length) line(`  not mapped: ${r.unmapped.join(', ')}`);
    line(`  preview: ${JSON.stringify(r.preview.slice(0, 3))}`);
    return;
  }
  line(
    `${r.source} → ${r.target} (load ${r.loadId}, ${r.seconds.toFixed(1)}s): ${formatCounts(r as unknown as Record<string, number>)}`,
  );
  for (const rel of r.related)
    line(
      `  also ${rel.target}: inserted ${rel.inserted}, updated ${rel.updated}, unchanged ${rel.unchanged}`,
    );
  if (r.merges || r.conflicts)
    line(`  identities merged: ${r.merges}, conflicts settled (${r.conflictRule}): ${r.conflicts}`);
  if (r.customersCreated) line(`  customers created: ${r.customersCreated}`);
  if (r.guestOrders)
    line(
      `  guest orders (no customer id): ${r.guestOrders}, counted in sales and revenue, not in customer analytics`,
    );
  for (const t of r.topReasons ?? [])
    line(
      `  rejected ${t.rows}× ${translateReason(t.reason, lang)}${t.example !== null ? `, e.g. "${t.example}"` : ''} (fix: ${t.fix})`,
    );
  if (r.rejected || r.duplicates)
    line(
      `  see: clientele sql "SELECT line, column_name, raw_value, reason FROM rejects WHERE load_id = ${r.loadId}"`,
    );
  for (const w of r.warnings) line(`  warning: ${w}`);
}
