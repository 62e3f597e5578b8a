/**
 * Acting on what the analyst sees (issue 18): a cluster run stays on the Clusters page after a reload (it is
 * kept in the datamart), and each cluster opens the segment builder on `cluster = N` with the same count;
 * in English on a desktop and in German at phone width.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../../web/src/i18n.js';
import { launchBrowser, type RunningServer, signIn, startServer } from './support.js';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function openAs(locale: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, server.url, server.tokens.analyst);
  return page;
}

async function setLanguage(page: Page, lang: 'en' | 'de') {
  await page.selectOption('[data-testid="language"]', lang);
  await page.waitForFunction(
    (l) =>
      (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
        .lang === l,
    lang,
  );
}

const digits = (text: string) => text.replace(/\D/g, '');

describe.each([
  { lang: 'en' as const, locale: 'en-GB', viewport: DESKTOP, k: '3' },
  { lang: 'de' as const, locale: 'de-DE', viewport: PHONE, k: '2' },
])(
  'a cluster run kept and opened as a segment ($lang, $viewport.width px)',
  ({ lang, locale, viewport, k }) => {
    it('shows the run again after a reload and opens a cluster in the segment builder with its count', async () => {
      const page = await openAs(locale, viewport);
      await setLanguage(page, lang);
      const t = DICTIONARIES[lang];
      await page.goto(`${server.url}/#/clusters`);
      await page.locator('.actions input').fill(k);
      await page.getByRole('button', { name: t['clusters.run'] }).click();
      // The German run follows the English one: the page shows that earlier run until the new one is done.
      await expect
        .poll(() => page.locator('[data-testid="cluster-segment-link"]').count(), { timeout: 30_000 })
        .toBe(Number(k));

      await page.reload();
      const link = page.locator('[data-testid="cluster-segment-link"]').last();
      await link.waitFor();
      expect(await page.locator('[data-testid="cluster-segment-link"]').count()).toBe(Number(k));
      await page.locator('[data-testid="cluster-ran-at"]').waitFor();
      const size = digits(await link.innerText());
      const expression = decodeURIComponent(
        ((await link.getAttribute('href')) ?? '').replace('#/segments/', ''),
      );
      expect(expression).toMatch(/^cluster = \d+$/);
      await link.click();
      await page.waitForSelector('[data-testid="segment-count"]');
      expect(await page.locator('#segment-expression').inputValue()).toBe(expression);
      await page.waitForFunction(
        (v) =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string | null } | null };
            }
          ).document
            .querySelector('[data-testid="segment-count"]')
            ?.textContent?.replace(/\D/g, '') === v,
        size,
      );
    });
  },
);
