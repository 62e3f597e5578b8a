import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageCount } from '../../src/services/report/pdf.js';
import { DuckDbEngine } from '../../src/store/index.js';
import { runCliCaptured } from '../support/cli.js';
import {
  launchBrowser,
  newDesktopPage,
  openRoute,
  type RunningServer,
  reportFailure,
  seedAnalysedShop,
  signIn,
  startServer,
} from './support.js';

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

describe('the Overview page’s report button', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [locale, lang, button, heading] of [
    ['en-GB', 'en', 'Report for marketing (HTML)', 'Customer report'],
    ['nl-NL', 'nl', 'Rapport voor marketing (HTML)', 'Klantenrapport'],
  ] as const)
    it(`downloads the report in the dashboard's language (${lang})`, async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale,
        timezoneId: 'UTC',
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      try {
        await signIn(page, server.url, server.tokens.analyst);
        await openRoute(page, server.url, 'overview');
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: button }).click();
        const file = await download;
        expect(file.suggestedFilename()).toBe(`clientele-report-${lang}.html`);
        const html = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).toContain(heading);
        expect(pageErrors).toEqual([]);
      } catch (e) {
        await reportFailure(page, `report button ${lang}`, server, consoleLines);
        throw e;
      } finally {
        await context.close();
      }
    });

  it('reads on a phone: the page is no wider than the screen, wide tables scroll inside it', async () => {
    const res = await fetch(`${server.url}/api/report?lang=ru`, {
      headers: { authorization: `Bearer ${server.tokens.analyst}` },
    });
    expect(res.status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });
    const page = await context.newPage();
    try {
      await page.setContent(await res.text());
      await page.getByRole('heading', { name: 'Отчёт о клиентах' }).waitFor();
      const widths = await page.evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document.documentElement;
        return { scroll: d.scrollWidth, client: d.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    } finally {
      await context.close();
    }
  });

  it('tells a viewer the report is for analysts', async () => {
    const page = await newDesktopPage(browser, pageErrors, consoleLines);
    try {
      await signIn(page, server.url, server.tokens.viewer);
      await openRoute(page, server.url, 'overview');
      await page.getByTestId('report-button').click();
      await expect(page.getByTestId('report-error').textContent()).resolves.toMatch(/analyst/i);
    } finally {
      await page.context().close();
    }
  });
});
