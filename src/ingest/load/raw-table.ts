import { InputError } from '../../errors.js';
import {
  assertNotSystemTable,
  CANONICAL_TABLES,
  type Engine,
  identPart,
  join,
  raw,
  sql,
  TABLE_DDL,
} from '../../store/index.js';
import type { Mapping, StagedSource } from '../types.js';
import { describeParseOptions, isBlankSql, parseValueSql, sqlType } from './convert.js';
import { type LoadOptions, type LoadSummary, topRejectReasons, writeRejects } from './load.js';
import { stagedRef } from './validate.js';

/**
 * `import FILE --as NAME`: any source as its own table, with the profiled column types. The table is
 * replaced atomically (one transaction: the old table stays until the new one is complete), registered in
 * `raw_tables` (columns with their types) and usable by SQL, segments and models. A non-blank value that
 * does not parse as its column's type rejects the row (kept in `rejects`), so nothing is lost silently.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Checks a raw table name: a plain identifier that is not one of the datamart's own tables. */
export function parseRawTableName(name: string): string {
  if (!NAME.test(name)) {
    throw new InputError(
      `--as "${name}": expected a table name of letters, digits and underscores (not starting with a digit, at most 63 characters). Example: --as telco_churn`,
      { name },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  assertNotSystemTable(name, '--as');
  const lower = name.toLowerCase();
  if (Object.keys(TABLE_DDL).includes(lower) || (CANONICAL_TABLES as readonly string[]).includes(lower)) {
    throw new InputError(
      `--as "${name}": that is one of the datamart's own tables. Pick another name (e.g. --as ${lower}_raw), or load into it with --target ${lower}.`,
      { name },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return name;
}

export interface RawColumn {
  name: string;
  type: string;
  parse: string;
}

export async function loadRawTable(
  engine: Engine,
  staged: StagedSource,
  mapping: Mapping,
  name: string,
  options: Pick<LoadOptions, 'maxRejectRate' | 'rejectsOut' | 'source' | 'afterStep' | 'onProgress'> = {},
): Promise<LoadSummary & { columns: RawColumn[] }> {
  const started = performance.now();
  const table = parseRawTableName(name);
  const columns = mapping.columns.map((c) => {
    const s = staged.columns.find((x) => x.name === c.source);
    if (!s) {
      throw new InputError(
        `mapping for "${c.field}": expected a column "${c.source}" in ${staged.source}; found: ${staged.columns.map((x) => x.name).join(', ')}.`,
      );
    }
    return { ...c, staged: s.staged };
  });
  const seen = new Set<string>();
  for (const c of columns) {
    const key = c.field.toLowerCase();
    if (seen.has(key)) {
      throw new InputError(
        `${staged.source}: two columns are both named "${c.field}" (names are case-insensitive in SQL). Rename one in the file or the mapping.`,
      );
    }
    seen.add(key);
  }
  const src = sql`${raw(stagedRef(staged))}`;
  const bad = columns.map(
    (c) =>
      sql`(NOT ${isBlankSql(sql`s.${identPart(c.staged)}`, c.parse)} AND ${parseValueSql(sql`s.${identPart(c.staged)}`, c.parse)} IS NULL)`,
  );
  const reason = bad.length
    ? sql`concat_ws('; ', ${join(
        bad.map(
          (b, i) =>
            sql`CASE WHEN ${b} THEN ${`column "${columns[i]?.source}": expected ${describeParseOptions(columns[i]!.parse)}`} END`,
        ),
      )})`
    : sql`''`;
  const firstCol = bad.length
    ? sql`CASE ${join(
        bad.map((b, i) => sql`WHEN ${b} THEN ${columns[i]?.source}`),
        ' ',
      )} END`
    : sql`NULL`;
  const firstRaw = bad.length
    ? sql`CASE ${join(
        bad.map((b, i) => sql`WHEN ${b} THEN s.${identPart(columns[i]!.staged)}`),
        ' ',
      )} END`
    : sql`NULL`;
  const rawRow = sql`json_object(${join(staged.columns.map((c) => sql`${c.name}, s.${identPart(c.staged)}`))})`;
  const typed = columns.map(
    (c) => sql`${parseValueSql(sql`s.${identPart(c.staged)}`, c.parse)} AS ${identPart(c.field)}`,
  );
  const lineage = options.source ?? staged.source;
  const summary = await engine.transaction(async (tx) => {
    const [row] = await tx.query(`SELECT coalesce(max(load_id), 0) + 1 AS id FROM loads`);
    const loadId = Number(row?.id ?? 1);
    await tx.exec(sql`INSERT INTO loads (load_id, source, target, format, started_at, status, options, mapping)
      VALUES (${loadId}, ${staged.source}, ${`raw:${table}`}, ${staged.format}, now()::TIMESTAMP, 'running',
              ${JSON.stringify({ source: lineage, detected: staged.detected })}, ${JSON.stringify(mapping)})`);
    await tx.exec(sql`CREATE TEMP TABLE _raw_conv AS
      SELECT s._line, ${reason} AS _reason, ${firstCol} AS _col, ${firstRaw} AS _raw FROM ${src} s`);
    await tx.exec(sql`INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind, raw_row)
      SELECT ${loadId}, ${staged.source}, ${table}, c._line, c._col, c._raw, c._reason, 'rejected', ${rawRow}
      FROM _raw_conv c JOIN ${src} s ON s._line = c._line WHERE c._reason <> ''`);
    if (staged.structuralRejectsTable && staged.structuralRejects > 0) {
      await tx.exec(sql`INSERT INTO rejects (load_id, source, target, line, column_name, raw_value, reason, kind, raw_row)
        SELECT ${loadId}, ${staged.source}, ${table}, line, NULL, raw, reason, 'rejected', NULL
        FROM ${raw(staged.structuralRejectsTable)}`);
    }
    const [counts] = await tx.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE _reason <> '') AS bad FROM _raw_conv`,
    );
    const read = Number(counts?.n ?? 0) + staged.structuralRejects;
    const rejected = Number(counts?.bad ?? 0) + staged.structuralRejects;
    if (options.maxRejectRate !== undefined && read > 0 && rejected / read > options.maxRejectRate) {
      if (options.rejectsOut) await writeRejects(tx, loadId, options.rejectsOut);
      throw new InputError(
        `${staged.source}: ${rejected} of ${read} rows rejected, more than --max-reject-rate ${options.maxRejectRate}; the table "${table}" was not changed. See the reasons with --rejects-out FILE, or raise --max-reject-rate.`,
        { rejected, read },
        { code: 'REJECT_RATE_EXCEEDED' },
      );
    }
    if (options.afterStep) await options.afterStep('convert');
    await tx.exec(sql`CREATE OR REPLACE TABLE ${identPart(table)} AS
      SELECT ${join(typed)} FROM ${src} s JOIN _raw_conv c ON c._line = s._line WHERE c._reason = '' ORDER BY s._line`);
    if (options.afterStep) await options.afterStep('replace');
    const described: RawColumn[] = columns.map((c) => ({
      name: c.field,
      type: sqlType(c.parse),
      parse: describeParseOptions(c.parse),
    }));
    const loaded = read - rejected;
    await tx.exec(sql`DELETE FROM raw_tables WHERE lower(name) = lower(${table})`);
    await tx.exec(sql`INSERT INTO raw_tables (name, source, load_id, rows, columns, created_at)
      VALUES (${table}, ${staged.source}, ${loadId}, ${loaded}, ${JSON.stringify(described)}, now()::TIMESTAMP)`);
    await tx.exec(sql`UPDATE loads SET status = 'loaded', finished_at = now()::TIMESTAMP, read = ${read},
      loaded = ${loaded}, inserted = ${loaded}, rejected = ${rejected} WHERE load_id = ${loadId}`);
    await tx.exec('DROP TABLE IF EXISTS _raw_conv');
    const result: LoadSummary & { columns: RawColumn[] } = {
      loadId,
      source: staged.source,
      target: table,
      format: staged.format,
      read,
      loaded,
      inserted: loaded,
      updated: 0,
      unchanged: 0,
      rejected,
      duplicates: 0,
      seconds: 0,
      warnings: [],
      merges: 0,
      customersCreated: 0,
      guestOrders: 0,
      topReasons: rejected > 0 ? await topRejectReasons(tx, loadId) : [],
      conflicts: 0,
      conflictRule: null,
      related: [],
      columns: described,
    };
    return result;
  });
  await engine.exec('DROP TABLE IF EXISTS _raw_conv');
  if (options.rejectsOut) await writeRejects(engine, summary.loadId, options.rejectsOut);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
