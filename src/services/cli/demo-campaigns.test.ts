import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoManifest, generateDemo } from '../../demo/index.js';
import { importSource } from '../../ingest/index.js';
import { DuckDbEngine, migrate } from '../../store/index.js';
import { type CampaignsRecovery, campaignsRecovery } from './demo-campaigns.js';

/**
 * The demo plants what each campaign analysis must find (src/demo/README.md, manifest.planted.campaignTruth):
 * an interest per contact behind the campaign keywords, a preferred open hour, over-mailed contacts whose
 * opens fall beyond 3 e-mails in 30 days, and a campaign that works in one country only. The files go
 * through the real importer; the measures of recovery are asserted here.
 */
const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-campaigns-'));
const AS_OF = '2026-06-30';
let engine: DuckDbEngine;
let manifest: DemoManifest;
let r: CampaignsRecovery;

beforeAll(async () => {
  const demo = await generateDemo({ customers: 3000, seed: 42, outDir: dir, asOf: AS_OF });
  manifest = demo.manifest;
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  const needed = ['customers', 'products', 'campaigns', 'orders', 'order_lines', 'campaign_events'];
  for (const f of manifest.files.filter((x) => needed.includes(x.target))) {
    await importSource(
      engine,
      { path: join(dir, f.file), target: f.target, format: f.format, ...(f.sheet ? { sheet: f.sheet } : {}) },
      { source: f.source, ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}) },
    );
  }
  r = await campaignsRecovery(engine, '2026-06-29', manifest, join(dir, manifest.planted.campaignTruth.file));
}, 240_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo: planted campaign truths recovered', () => {
  it('interests: the top interest of engaged contacts names their planted category about twice as often as the commonest guess', () => {
    expect(r.interests.flagged).toBeGreaterThan(200);
    expect(r.interests.precision).toBeGreaterThanOrEqual(0.3);
    expect(r.interests.precision).toBeGreaterThanOrEqual(1.8 * r.interests.baseline);
    // Of the contacts who clicked ≥ 2 campaigns tagged with their planted keyword, most have it on top.
    expect(r.interests.eligible).toBeGreaterThan(50);
    expect(r.interests.recall).toBeGreaterThanOrEqual(0.6);
  });

  it('send time: the best hour is the planted one (± 1 h) for contacts with enough events', () => {
    expect(r.sendTime.contacts).toBeGreaterThan(100);
    expect(r.sendTime.withinOneHour).toBeGreaterThanOrEqual(0.85);
    expect(r.sendTime.chance).toBeLessThan(0.3);
  });

  it('pressure: saturation found within one send of the planted point; the saturated are over-mailed', () => {
    const { plantedSaturationSends, foundSaturationSends } = r.pressure;
    expect(foundSaturationSends).not.toBeNull();
    expect(Math.abs(foundSaturationSends! - plantedSaturationSends)).toBeLessThanOrEqual(1);
    // Over-mailed contacts with e-mails in the pressure history (the others left before it).
    expect(r.pressure.overMailed).toBeLessThanOrEqual(manifest.planted.campaignTruth.overMailed);
    expect(r.pressure.overMailed).toBeGreaterThanOrEqual(0.8 * manifest.planted.campaignTruth.overMailed);
    expect(r.pressure.saturated).toBeGreaterThan(50);
    expect(r.pressure.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.pressure.recall).toBeGreaterThanOrEqual(0.4);
  });

  it('evaluation by segment: the campaign that works in one country has an interval above 0 there only', () => {
    const seg = r.segmentCampaign;
    expect(seg.found).toEqual([seg.planted]);
    for (const s of seg.segments) {
      expect(s.control, s.segment).toBeGreaterThan(15);
      if (s.segment !== seg.planted) expect(s.ciLow! <= 0 && s.ciHigh! >= 0, s.segment).toBe(true);
    }
  });
});
