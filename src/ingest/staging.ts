/**
 * Shared helpers for stagers: temporary table names, the structural rejects table, cleanup.
 */
import { rm } from 'node:fs/promises';
import { type Engine, ident, sql } from '../store/index.js';

let counter = 0;

/** A fresh temporary table name prefix for one staged source (`__stage_7`). */
export function stagingName(): string {
  counter++;
  return `__stage_${process.pid}_${counter}`;
}

/** Creates the structural rejects table `(line BIGINT, reason VARCHAR, raw VARCHAR)`, empty. */
export async function createStructuralRejectsTable(engine: Engine, table: string): Promise<void> {
  await engine.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${ident(table)} (line BIGINT, reason VARCHAR, raw VARCHAR)`,
  );
}

/** Drops temporary tables/views and deletes temporary files; every step runs even if one fails. */
export function cleanupFn(
  engine: Engine,
  objects: { tables?: string[]; views?: string[]; files?: string[] },
): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    const errors: unknown[] = [];
    for (const v of objects.views ?? [])
      await engine.exec(sql`DROP VIEW IF EXISTS ${ident(v)}`).catch((e: unknown) => errors.push(e));
    for (const t of objects.tables ?? [])
      await engine.exec(sql`DROP TABLE IF EXISTS ${ident(t)}`).catch((e: unknown) => errors.push(e));
    for (const f of objects.files ?? []) await rm(f, { force: true }).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };
}
