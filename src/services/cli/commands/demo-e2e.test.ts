import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../../test/support/cli.js';
import { DuckDbEngine } from '../../../store/index.js';

/** End to end: `clientele demo` generates, imports every file through the real import path and reports. */

const dir = mkdtempSync(join(tmpdir(), 'clientele-demo-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCliCaptured;

interface FileImport {
  file: string;
  target: string;
  status: string;
  read: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  merges: number;
  reconciled: boolean;
  error: { message: string } | null;
}

describe('clientele demo (end to end)', () => {
  const out = join(dir, 'data');
  const db = join(dir, 'demo.duckdb');

  it('imports every generated file, reconciles every load, rejects the planted problems and runs every step', async () => {
    const r = await cli(['demo', '--customers', '400', '--seed', '11', '--out', out, '--db', db, '--json']);
    const json = JSON.parse(r.stdout);
    const report = json.error ? json.error.details.report : json;
    const failures = (report.imports as FileImport[])
      .filter((i) => i.status !== 'loaded')
      .map((i) => `${i.file}: ${i.error?.message}`);
    expect(failures).toEqual([]);
    expect(r.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const byFile = new Map((report.imports as FileImport[]).map((i) => [i.file, i]));
    for (const i of byFile.values()) {
      expect(i.reconciled, i.file).toBe(true);
      expect(i.read, i.file).toBe(i.loaded + i.rejected + i.duplicates);
    }
    for (const f of manifest.files) expect(byFile.get(f.file)!.read, f.file).toBe(f.rows);
    // The planted problems: duplicates found, bad rows rejected.
    expect(byFile.get('klanten_nl_be.csv')!.duplicates).toBe(1);
    expect(byFile.get('orders.csv')!.duplicates).toBe(1);
    expect(byFile.get('orders.csv')!.rejected).toBe(4); // 3 bad dates + 1 unknown customer
    expect(byFile.get('order_lines.csv')!.rejected).toBeGreaterThanOrEqual(2 + 1); // negatives + orphans
    expect(byFile.get('prospects.csv')!.rejected).toBe(2);
    expect(byFile.get('prospects.csv')!.merges).toBe(manifest.planted.identities.leadsAlsoCustomers);
    // The datamart holds what was generated (minus the rejected prospects).
    expect(report.summary.customers).toBe(manifest.counts.customers - 2);
    expect(report.summary.prospects).toBe(manifest.counts.prospects - 2);
    expect(report.summary.orders).toBe(manifest.counts.orders - 3);
    expect(report.summary.firstOrder >= manifest.from).toBe(true);
    expect(report.summary.lastOrder < manifest.asOf).toBe(true);
    expect(Object.keys(report.steps)).toEqual(
      expect.arrayContaining(['dataQuality', 'salesRhythm', 'campaignLift']),
    );
    expect(report.steps.salesRhythm.weekendShare).toBeGreaterThan(0.3);
    // Campaign intelligence: the planted lift of most themes lies inside the measured 95% interval.
    const themes = report.steps.campaigns.themes as { covered: boolean }[];
    expect(themes.length).toBeGreaterThan(3);
    expect(report.steps.campaigns.covered).toBeGreaterThanOrEqual(Math.ceil(themes.length * 0.7));
    // The loop ends in the report for marketing experts, written next to the demo's files.
    expect(report.steps.report.file).toBe(join(out, 'demo-report.html'));
    expect(readFileSync(join(out, 'demo-report.html'), 'utf8')).toContain('Recommendations');
    expect(report.steps.report.recommendations.length).toBeGreaterThan(0);
    const engine = await DuckDbEngine.open(db, { readOnly: true });
    try {
      const [row] = await engine.query('SELECT count(*) AS n FROM rejects');
      expect(Number(row!.n)).toBe(report.totals.rejected + report.totals.duplicates);
      // Marked as a demo datamart, so the next `clientele demo` may replace it.
      const mark = await engine.query("SELECT value FROM meta WHERE key = 'demo'");
      expect(JSON.parse(String(mark[0]!.value))).toEqual({ seed: 11, customers: 400, asOf: '2026-06-30' });
    } finally {
      await engine.close();
    }
  });
});
