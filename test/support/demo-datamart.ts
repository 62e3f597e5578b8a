import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFeatures } from '../../src/analytics/features/index.js';
import { buildRfm } from '../../src/analytics/rfm/index.js';
import { type DemoManifest, generateDemo } from '../../src/demo/index.js';
import { importSource } from '../../src/ingest/index.js';
import { type DuckDbEngine, migrate } from '../../src/store/index.js';

/** The tables a demo datamart needs for lookalikes and area analyses (no events, texts or service contacts). */
const TARGETS = new Set(['customers', 'area_data', 'products', 'orders', 'order_lines']);

/**
 * Generates a small demo shop, imports its customers, area data, products and orders through the real import
 * path and builds the feature table and RFM scores as of the demo's asOf. Deterministic for a seed.
 */
export async function seedDemo(
  engine: DuckDbEngine,
  options: { customers: number; seed: number; asOf?: string },
): Promise<DemoManifest> {
  const asOf = options.asOf ?? '2026-06-30';
  const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-dm-'));
  try {
    const { manifest } = await generateDemo({
      customers: options.customers,
      seed: options.seed,
      outDir: dir,
      asOf,
    });
    await migrate(engine);
    for (const f of manifest.files) {
      if (!TARGETS.has(f.target)) continue;
      await importSource(
        engine,
        {
          path: resolve(dir, f.file),
          target: f.target,
          format: f.format,
          ...(f.sheet ? { sheet: f.sheet } : {}),
        },
        { source: f.source, ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}) },
      );
    }
    await buildFeatures(engine, { asOf });
    await buildRfm(engine, { asOf });
    return manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
