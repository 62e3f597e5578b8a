import type { CanonicalTable, Engine } from '../../store/index.js';
import { identPart, join, sql } from '../../store/index.js';
import type { Mapping, StagedSource } from '../types.js';

/**
 * @internal Test helper: stages rows of text as the file stagers do (a TEMP table of VARCHAR columns plus
 * `_line`), so loader tests need no file reader.
 */
export async function stageRows(
  engine: Engine,
  name: string,
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  options: { source?: string; firstLine?: number } = {},
): Promise<StagedSource> {
  const table = `_test_stage_${name}`;
  const staged = columns.map((_, i) => `c${i}`);
  await engine.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${identPart(table)} (_line BIGINT, ${join(
      staged.map((c) => sql`${identPart(c)} VARCHAR`),
    )})`,
  );
  const first = options.firstLine ?? 2;
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    await engine.exec(
      sql`INSERT INTO ${identPart(table)} VALUES ${join(
        part.map((r, j) => sql`(${first + i + j}, ${join(staged.map((_, k) => sql`${r[k] ?? null}`))})`),
      )}`,
    );
  }
  return {
    table,
    columns: columns.map((n, i) => ({ name: n, staged: staged[i] ?? '' })),
    source: options.source ?? `${name}.csv`,
    format: 'csv',
    rowsRead: rows.length,
    structuralRejectsTable: null,
    structuralRejects: 0,
    detected: {},
    async cleanup() {
      await engine.exec(sql`DROP TABLE IF EXISTS ${identPart(table)}`);
    },
  };
}

/** @internal Maps every staged column whose name is a field (or `field:format`) onto that field. */
export function mappingFor(target: CanonicalTable, staged: StagedSource, dateFormat?: string): Mapping {
  return {
    target,
    columns: staged.columns.map((c) => ({
      source: c.name,
      field: c.name,
      parse: { type: 'string', ...(dateFormat ? { dateFormat } : {}) },
    })),
    unmapped: [],
    reasons: {},
  };
}
