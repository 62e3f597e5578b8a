import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageCount } from '../../src/services/report/pdf.js';
import { DuckDbEngine } from '../../src/store/index.js';
import { runCliCaptured } from '../support/cli.js';
import { seedAnalysedShop } from './support.js';

/** `clientele report --pdf`: Debian's Chromium prints the report (CI installs it, as for the browser tests). */
const dir = mkdtempSync(join(tmpdir(), 'clientele-report-pdf-'));
const db = join(dir, 'shop.duckdb');

beforeAll(async () => {
  const engine = await DuckDbEngine.open(db);
  await seedAnalysedShop(engine);
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clientele report --pdf', () => {
  it('prints the report to a PDF of several A4 pages in the chosen language', async () => {
    const html = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    const r = await runCliCaptured([
      'report',
      '--lang',
      'de',
      '--out',
      html,
      '--pdf',
      pdf,
      '--db',
      db,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(bytes)).toBeGreaterThanOrEqual(2);
    expect(r.json.pages).toBe(pdfPageCount(bytes));
    // A4 portrait: 595 × 842 points (Chromium writes 594.96 × 841.92).
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(bytes.toString('latin1'));
    expect(Math.round(Number(box?.[1]))).toBe(595);
    expect(Math.round(Number(box?.[2]))).toBe(842);
  });
});
