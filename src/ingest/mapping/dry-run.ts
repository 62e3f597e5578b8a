/**
 * What `clientele import --dry-run` shows: the detected formats, the mapping with its reasons, the
 * unmapped columns and a preview of parsed rows, computed in SQL with the same `parseValueSql` the loader uses.
 */
import { type Engine, ident, identPart, join, sql } from '../../store/index.js';
import { describeParseOptions, isUnparseableSql, parseValueSql } from '../parse-sql.js';
import type { Mapping, ParseOptions, StagedSource } from '../types.js';

export interface DryRunColumn {
  source: string;
  field: string;
  parse: ParseOptions;
  /** `describeParseOptions(parse)`: 'a date (%d/%m/%Y)'. */
  reads: string;
  reason: string;
  /** Non-blank values that do not parse with `parse` (they would be rejected or loaded as NULL). */
  unparseable: number;
}

export interface ImportPreview {
  source: string;
  format: string;
  target: string;
  /** How the target was chosen (given, mapping file, or detected and why). */
  targetReason: string;
  /** Records read, including structurally broken ones. */
  rows: number;
  structuralRejects: number;
  detected: Record<string, string | number | boolean>;
  mapping: DryRunColumn[];
  unmapped: { source: string; reason: string }[];
  /** The first parsed rows: `_line` plus one property per mapped field. */
  preview: Record<string, unknown>[];
}

/**
 * Describes what an import would do, without changing anything.
 *
 * @param engine - the engine holding the staged table.
 * @param staged - the staged source.
 * @param mapping - from {@link mapColumns}.
 * @param previewRows - rows in the preview (default 5).
 * @example
 * ```ts
 * const preview = await previewImport(engine, staged, mapColumns(staged, profiles));
 * preview.mapping[0] // { source: 'Klantnummer', field: 'customer_id', reads: 'text', reason: 'header synonym …' }
 * ```
 */
export async function previewImport(
  engine: Engine,
  staged: StagedSource,
  mapping: Mapping,
  previewRows = 5,
): Promise<ImportPreview> {
  const d = engine.dialect;
  const stagedOf = (source: string) => staged.columns.find((c) => c.name === source)?.staged ?? source;
  // A mapping-file constant is the same text on every row.
  const textOf = (c: { source: string; constant?: string }) =>
    c.constant !== undefined ? sql`CAST(${c.constant} AS VARCHAR)` : sql`${ident(stagedOf(c.source))}`;
  const cols = mapping.columns.map(
    (c) => sql`${parseValueSql(d, textOf(c), c.parse)} AS ${identPart(c.field)}`,
  );
  const preview = await engine.query(
    sql`SELECT ${join([sql`_line`, ...cols])} FROM ${ident(staged.table)} ORDER BY _line LIMIT ${previewRows}`,
  );
  const bad = mapping.columns.map(
    (c, i) =>
      sql`count(*) FILTER (WHERE ${isUnparseableSql(d, textOf(c), c.parse)}) AS ${identPart(`b${i}`)}`,
  );
  const [counts] = bad.length
    ? await engine.query(sql`SELECT ${join(bad)} FROM ${ident(staged.table)}`)
    : [{}];
  return {
    source: staged.source,
    format: staged.format,
    target: mapping.target,
    targetReason: mapping.reasons['(target)'] ?? 'given',
    rows: staged.rowsRead,
    structuralRejects: staged.structuralRejects,
    detected: staged.detected,
    mapping: mapping.columns.map((c, i) => ({
      source: c.source,
      field: c.field,
      parse: c.parse,
      reads: describeParseOptions(c.parse),
      reason: mapping.reasons[c.source] ?? '',
      unparseable: Number(counts?.[`b${i}`] ?? 0),
    })),
    unmapped: mapping.unmapped.map((u) => ({ source: u, reason: mapping.reasons[u] ?? '' })),
    preview,
  };
}
