/**
 * Issue 18: money is shown in the datamart's currency (the `currency` setting), not always in euros: the
 * dashboard reads it from GET /api/me. In English on a desktop and in Dutch at phone width.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/store/index.js';
import { DICTIONARIES, formatCurrency } from '../../web/src/i18n.js';
import {
  expectSignedIn,
  launchBrowser,
  type RunningServer,
  seedAnalysedShop,
  signIn,
  startServer,
} from './support.js';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer(async (engine) => {
    await seedAnalysedShop(engine);
    await setSetting(engine, 'currency', 'USD');
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function openAs(locale: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, server.url, server.tokens.analyst);
  return page;
}

describe.each([
  { lang: 'en' as const, locale: 'en-GB', viewport: { width: 1280, height: 900 } },
  { lang: 'nl' as const, locale: 'nl-NL', viewport: { width: 390, height: 844 } },
])('amounts in the datamart’s currency ($lang, $viewport.width px)', ({ lang, locale, viewport }) => {
  it('shows net revenue in dollars on Overview and Value, and says the currency', async () => {
    const page = await openAs(locale, viewport);
    await page.selectOption('[data-testid="language"]', lang);
    const t = DICTIONARIES[lang];
    const api = (await (
      await fetch(`${server.url}/api/overview`, {
        headers: { authorization: `Bearer ${server.tokens.analyst}` },
      })
    ).json()) as { kpis: { revenue: number } };
    const dollars = formatCurrency(lang, api.kpis.revenue, 'USD');
    expect(dollars).toContain('$');
    for (const id of ['overview', 'value']) {
      await page.goto(`${server.url}/#/${id}`);
      await page.waitForSelector(`nav a[href="#/${id}"][aria-current="page"]`);
      await expectSignedIn(page);
      const card = page.locator('.kpi', {
        has: page.locator('.kpi-label', { hasText: t['overview.revenue'] }),
      });
      await expect
        .poll(async () => (await card.first().locator('.kpi-value').innerText()).trim())
        .toBe(dollars);
    }
    expect(await page.locator('main').innerText()).not.toContain('€');
    expect(await page.locator('main p.muted').first().innerText()).toContain('USD');
  });
});
