import { InputError } from '../../errors.js';
import {
  assertNotSystemTable,
  CANONICAL_TABLES,
  type Engine,
  identPart,
  join,
  raw,
  type SqlFragment,
  sql,
  TABLE_DDL,
} from '../../store/index.js';
import { textSql } from '../parse-sql.js';
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

/** Columns per conversion check and per conversion (see `loadRawTable`). */
const CONV_CHUNK = 64;

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
  // Each chunk of columns is checked by its own statement (one statement over 1,000 columns takes DuckDB
  // minutes to plan); `_raw_conv` joins the chunks' first bad column and reasons by line.
  const chunks: SqlFragment[] = [];
  for (let from = 0; from < bad.length; from += CONV_CHUNK) {
    const idx = bad.slice(from, from + CONV_CHUNK).map((_, i) => from + i);
    // Each column's check is computed once, in an inner projection, and read three times outside it.
    const flag = (i: number) => raw(`_b${i}`);
    const inner = join([
      sql`s._line`,
      ...idx.map((i) => sql`${bad[i]!} AS ${flag(i)}`),
      ...idx.map((i) => sql`s.${identPart(columns[i]!.staged)} AS ${raw(`_v${i}`)}`),
    ]);
    chunks.push(
      sql`SELECT _line, nullif(concat_ws('; ', ${join(
        idx.map(
          (i) =>
            sql`CASE WHEN ${flag(i)} THEN ${textSql(`column "${columns[i]?.source}": expected ${describeParseOptions(columns[i]!.parse)}`)} END`,
        ),
      )}), '') AS r, CASE ${join(
        idx.map((i) => sql`WHEN ${flag(i)} THEN ${textSql(columns[i]!.source)}`),
        ' ',
      )} END AS col, CASE ${join(
        idx.map((i) => sql`WHEN ${flag(i)} THEN ${raw(`_v${i}`)}`),
        ' ',
      )} END AS raw FROM (SELECT ${inner} FROM ${src} s) b`,
    );
  }
  const convSql = (n: number) => {
    const names = Array.from({ length: n }, (_, j) => `_rc${j}`);
    if (n === 0) return sql`SELECT s._line, '' AS _reason, NULL AS _col, NULL AS _raw FROM ${src} s`;
    return sql`SELECT _rc0._line, coalesce(concat_ws('; ', ${join(names.map((t) => sql`${raw(t)}.r`))}), '') AS _reason,
      coalesce(${join(names.map((t) => sql`${raw(t)}.col`))}) AS _col,
      coalesce(${join(names.map((t) => sql`${raw(t)}.raw`))}) AS _raw
      FROM ${raw(names.join(' JOIN ').replace(/ JOIN (_rc\d+)/g, ' JOIN $1 USING (_line)'))}`;
  };
  const rawRow = sql`json_object(${join(staged.columns.map((c) => sql`${c.name}, s.${identPart(c.staged)}`))})`;
  const typed = columns.map(
    (c) => sql`${parseValueSql(sql`s.${identPart(c.staged)}`, c.parse)} AS ${identPart(c.field)}`,
  );
  const lineage = options.source ?? staged.source;
  const summary = await engine.transaction(async (tx) => {
    // The load's own clock: now() is the transaction's start, so finished_at = started_at + the elapsed time.
    const began = performance.now();
    const [row] = await tx.query(`SELECT coalesce(max(load_id), 0) + 1 AS id FROM loads`);
    const loadId = Number(row?.id ?? 1);
    await tx.exec(sql`INSERT INTO loads (load_id, source, target, format, started_at, status, options, mapping)
      VALUES (${loadId}, ${staged.source}, ${`raw:${table}`}, ${staged.format}, now()::TIMESTAMP, 'running',
              ${JSON.stringify({ source: lineage, detected: staged.detected })}, ${JSON.stringify(mapping)})`);
    for (const [j, chunk] of chunks.entries())
      await tx.exec(sql`CREATE OR REPLACE TEMP TABLE ${raw(`_rc${j}`)} AS ${chunk}`);
    await tx.exec(sql`CREATE TEMP TABLE _raw_conv AS ${convSql(chunks.length)}`);
    for (const j of chunks.keys()) await tx.exec(`DROP TABLE IF EXISTS _rc${j}`);
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
    if (typed.length <= CONV_CHUNK) {
      await tx.exec(sql`CREATE OR REPLACE TABLE ${identPart(table)} AS
        SELECT ${join(typed)} FROM ${src} s JOIN _raw_conv c ON c._line = s._line WHERE c._reason = '' ORDER BY s._line`);
    } else {
      // A wide file: each chunk of columns is converted by its own statement (one CREATE TABLE of 1,000
      // conversions took DuckDB 14 s to plan), then the chunks are put side by side by line.
      const fields = new Set(columns.map((c) => c.field.toLowerCase()));
      let line = '_line_no';
      while (fields.has(line)) line = `_${line}`;
      const parts: string[] = [];
      for (let from = 0; from < typed.length; from += CONV_CHUNK) {
        const part = `_rt${parts.length}`;
        await tx.exec(sql`CREATE OR REPLACE TEMP TABLE ${raw(part)} AS
          SELECT s._line AS ${raw(line)}, ${join(typed.slice(from, from + CONV_CHUNK))}
          FROM ${src} s JOIN _raw_conv c ON c._line = s._line WHERE c._reason = ''`);
        parts.push(part);
      }
      const from = parts.map((p, i) => (i === 0 ? p : `JOIN ${p} USING (${line})`)).join(' ');
      await tx.exec(sql`CREATE OR REPLACE TABLE ${identPart(table)} AS
        SELECT ${raw(parts.map((p) => `${p}.* EXCLUDE (${line})`).join(', '))}
        FROM ${raw(from)} ORDER BY ${raw(line)}`);
      for (const p of parts) await tx.exec(`DROP TABLE IF EXISTS ${p}`);
    }
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
    await tx.exec(sql`UPDATE loads SET status = 'loaded',
      finished_at = started_at + to_milliseconds(CAST(${Math.round(performance.now() - began)} AS BIGINT)), read = ${read},
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
