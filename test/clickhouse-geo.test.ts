/**
 * Parity of the area outputs (issue 14): a segment against its areas, penetration and potential per area, at
 * every level and minimum cell size, on DuckDB and on ClickHouse (in-process through chdb). A small demo shop
 * is imported into both through the real import path, the feature view built on each; every figure must agree
 * within 1e-9 (relative). Focused on geo so it stays fast; the whole demo pipeline is in clickhouse-parity.
 *
 * chdb is never a dependency (see DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`.
 * Without it the suite is skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../src/analytics/features/index.js';
import { GEO_LEVELS, geoPenetration, geoPotential, geoProfile } from '../src/analytics/geo/index.js';
import { DEFAULT_AS_OF, type DemoResult, generateDemo } from '../src/demo/index.js';
import { importSource, withImportBatch } from '../src/ingest/index.js';
import { type Engine, openDatamart } from '../src/store/index.js';
import { differences } from './support/differences.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: DuckDB/ClickHouse geo parity skipped (npm install --no-save chdb@3.4.0)',
  );

const SEGMENT = 'orders >= 2';

async function importDemo(engine: Engine, demo: DemoResult): Promise<void> {
  await withImportBatch(engine, async (target) => {
    for (const f of demo.manifest.files)
      await importSource(
        target,
        {
          path: resolve(demo.outDir, f.file),
          target: f.target,
          format: f.format,
          ...(f.sheet ? { sheet: f.sheet } : {}),
        },
        { source: f.source, ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}) },
      );
  });
  await buildFeatures(engine, { asOf: demo.manifest.asOf });
}

/** Every area output, keyed by what was asked. */
async function areaOutputs(engine: Engine): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const level of GEO_LEVELS)
    for (const minCellSize of [1, 10]) {
      const at = { level, minCellSize };
      out[`penetration ${level} k${minCellSize}`] = await geoPenetration(engine, at);
      out[`segment penetration ${level} k${minCellSize}`] = await geoPenetration(engine, {
        ...at,
        segment: SEGMENT,
      });
      out[`potential ${level} k${minCellSize}`] = await geoPotential(engine, { ...at, seed: SEGMENT });
    }
  for (const minCellSize of [1, 10])
    out[`profile k${minCellSize}`] = await geoProfile(engine, { segment: SEGMENT, minCellSize });
  return out;
}

describe.skipIf(!chdb)('area outputs on DuckDB and ClickHouse (chdb)', () => {
  let dir: string;
  let duck: Engine;
  let ch: Engine;
  const found: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-geo-parity-'));
    const demo = await generateDemo({
      customers: 300,
      seed: 7,
      outDir: join(dir, 'data'),
      asOf: DEFAULT_AS_OF,
    });
    duck = await openDatamart({ db: ':memory:' });
    ch = await openDatamart({ db: `chdb:${join(dir, 'ch')}` });
    for (const [name, engine] of [
      ['duckdb', duck],
      ['clickhouse', ch],
    ] as const) {
      await importDemo(engine, demo);
      found[name] = await areaOutputs(engine);
    }
  }, 600_000);

  afterAll(async () => {
    await duck?.close();
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes something to compare: areas, merged cells and a profile with indices', () => {
    const a = found.duckdb as Record<string, { cells?: unknown[]; measures?: { index: number | null }[] }>;
    expect(a['penetration area k1']?.cells?.length).toBeGreaterThan(3);
    expect(a['potential prefix k10']?.cells?.length).toBeGreaterThan(0);
    expect(a['profile k1']?.measures?.some((m) => m.index !== null)).toBe(true);
  });

  it('gives the same penetration, potential and profile at every level and cell size (within 1e-9)', () => {
    expect(differences(found.duckdb, found.clickhouse, 1e-9)).toEqual([]);
  });
});
