import type { Issue } from '../../../errors.js';
import {
  type ImportOptions,
  type ImportResult,
  type ImportSpec,
  importMagento,
  importSource,
} from '../../../ingest/index.js';
import { type DuckDbEngine, describeConnection } from '../../../store/index.js';
import type { CommandContext, CommandOptions, OptionValues } from '../command.js';

/** The `clientele import` flags for database sources. */
export const DATABASE_IMPORT_OPTIONS: CommandOptions = {
  postgres: { type: 'string' },
  mysql: { type: 'string' },
  table: { type: 'string' },
  query: { type: 'string' },
  preset: { type: 'string' },
  'table-prefix': { type: 'string' },
};

export const DATABASE_IMPORT_USAGE = `Database sources (instead of FILE):
  --postgres URL          read from PostgreSQL, e.g. postgres://user:pass@host:5432/crm
  --mysql URL             read from MySQL/MariaDB, e.g. mysql://user:pass@host:3306/shop
  --table T               the table (or view) to read, schema.table allowed
  --query SQL             a SELECT to read instead; runs in a READ ONLY transaction
  --preset magento        with --mysql: load a Magento 2 shop's customers, products, orders and
                          order lines in that order (customer ids recorded under source "magento")
  --table-prefix P        the Magento installation's table prefix, if any`;

/** A parsed database source. */
export interface DatabaseImport {
  engine: 'postgres' | 'mysql';
  url: string;
  table?: string;
  query?: string;
  preset?: 'magento';
  tablePrefix?: string;
}

/** Reads the database flags; `null` when none is given (a file import). Problems go into `issues`. */
export function parseDatabaseFlags(
  values: OptionValues,
  files: readonly string[],
  issues: Issue[],
): DatabaseImport | null {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const postgres = str('postgres');
  const mysql = str('mysql');
  const table = str('table');
  const query = str('query');
  const preset = str('preset');
  const tablePrefix = str('table-prefix');
  if (postgres === undefined && mysql === undefined) {
    for (const flag of ['table', 'query', 'preset', 'table-prefix'])
      if (str(flag) !== undefined)
        issues.push({
          where: `--${flag}`,
          message: 'expected --postgres URL or --mysql URL with it, got neither.',
        });
    return null;
  }
  if (postgres !== undefined && mysql !== undefined)
    issues.push({
      where: '--postgres/--mysql',
      message: 'expected one database, got both. Import them one after the other.',
    });
  if (files.length > 0)
    issues.push({
      where: 'FILE',
      message: `expected no file with --postgres/--mysql, got ${files.join(', ')}. Import files in a separate command.`,
    });
  if (preset !== undefined) {
    if (preset !== 'magento')
      issues.push({ where: '--preset', message: `expected magento, got "${preset}".` });
    if (mysql === undefined)
      issues.push({
        where: '--preset',
        message: 'expected --mysql URL with --preset magento (Magento runs on MySQL/MariaDB).',
      });
    if (table !== undefined || query !== undefined)
      issues.push({
        where: '--preset',
        message: 'expected no --table or --query with --preset: the preset knows its tables.',
      });
  } else if ((table === undefined) === (query === undefined)) {
    issues.push({
      where: '--table/--query',
      message: `expected exactly one of --table T or --query SQL with a database, got ${table === undefined ? 'neither' : 'both'}.`,
    });
  }
  if (tablePrefix !== undefined && preset === undefined)
    issues.push({
      where: '--table-prefix',
      message: 'expected --preset magento with it; for one table pass the full name to --table.',
    });
  return {
    engine: postgres !== undefined ? 'postgres' : 'mysql',
    url: (postgres ?? mysql)!,
    ...(table !== undefined ? { table } : {}),
    ...(query !== undefined ? { query } : {}),
    ...(preset === 'magento' ? { preset } : {}),
    ...(tablePrefix !== undefined ? { tablePrefix } : {}),
  };
}

/** Runs a database import: one table or query, or the Magento preset's four tables. */
export async function runDatabaseImport(
  ctx: CommandContext,
  engine: DuckDbEngine,
  db: DatabaseImport,
  spec: Omit<ImportSpec, 'path'>,
  options: ImportOptions,
): Promise<ImportResult[]> {
  const server = describeConnection(db.engine, { url: db.url });
  if (db.preset === 'magento') {
    const bar = ctx.progress(`import magento ${server}`, 1);
    const results = await importMagento(
      engine,
      { url: db.url },
      {
        ...options,
        ...(db.tablePrefix !== undefined ? { tablePrefix: db.tablePrefix } : {}),
        onProgress: (p) => bar.update(p.done / Math.max(1, p.total), `${p.phase} ${p.step}`),
      },
    );
    bar.done(`${results.length} tables`);
    return results;
  }
  const what = db.table ?? 'query';
  const bar = ctx.progress(`import ${db.engine}:${what}`, 1);
  const result = await importSource(
    engine,
    {
      ...spec,
      path: `${server} ${what}`,
      database: {
        engine: db.engine,
        url: db.url,
        ...(db.table !== undefined ? { table: db.table } : {}),
        ...(db.query !== undefined ? { query: db.query } : {}),
        onProgress: (rows) => bar.update(0, `staged ${rows} rows`),
      },
    },
    {
      ...options,
      onProgress: (p) =>
        bar.update(p.phase === 'load' ? p.done / Math.max(1, p.total) : 0, `${p.phase} ${p.step}`),
    },
  );
  bar.done(result.dryRun ? 'dry run' : `${result.loaded} loaded, ${result.rejected} rejected`);
  return [result];
}
