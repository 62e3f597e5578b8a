/**
 * One meaning per number, seen in the browser: Overview and Value show the same net revenue and the same
 * buyers, each figure says its base, and a segment value no customer has is flagged with the known values;
 * in English on a desktop and in Dutch / French at phone width.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARIES, formatCurrency, formatNumber } from '../../web/src/i18n.js';
import {
  expectSignedIn,
  launchBrowser,
  type RunningServer,
  SCREENSHOTS,
  signIn,
  startServer,
} from './support.js';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
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

async function go(page: Page, id: string) {
  await page.goto(`${server.url}/#/${id}`);
  await page.waitForSelector(`nav a[href="#/${id}"][aria-current="page"]`);
  await page.waitForSelector('main h1');
  await expectSignedIn(page);
  await page.locator('.kpi').first().waitFor();
}

/** The value shown on the KPI card with this label. */
async function kpi(page: Page, label: string): Promise<string> {
  const card = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: label }) }).first();
  return (await card.locator('.kpi-value').innerText()).trim();
}

async function setLanguage(page: Page, lang: 'en' | 'nl' | 'fr') {
  await page.selectOption('[data-testid="language"]', lang);
  await page.waitForFunction(
    (l) =>
      (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
        .lang === l,
    lang,
  );
}

describe.each([
  { lang: 'en' as const, locale: 'en-GB', viewport: DESKTOP },
  { lang: 'nl' as const, locale: 'nl-NL', viewport: PHONE },
])('figures agree on Overview and Value ($lang, $viewport.width px)', ({ lang, locale, viewport }) => {
  it('shows one net revenue and one buyer count, each with its base', async () => {
    const page = await openAs(locale, viewport);
    await setLanguage(page, lang);
    const t = DICTIONARIES[lang];
    const api = (await (
      await fetch(`${server.url}/api/overview`, {
        headers: { authorization: `Bearer ${server.tokens.analyst}` },
      })
    ).json()) as { kpis: { revenue: number; buyers: number } };
    await go(page, 'overview');
    const overviewRevenue = await kpi(page, t['overview.revenue']);
    expect(overviewRevenue).toBe(formatCurrency(lang, api.kpis.revenue));
    expect(await kpi(page, t['overview.buyers'])).toBe(formatNumber(lang, api.kpis.buyers));
    expect(await page.locator('.kpi-hint', { hasText: t['overview.revenueHint'] }).count()).toBe(1);
    // The cards use the screen's width (no side menu squeezing them at phone width) and none is wider than it.
    const box = await page.locator('.kpis').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 1);
    if (viewport.width < 700) expect(box!.width).toBeGreaterThan(viewport.width * 0.85);
    await page.screenshot({
      path: join(SCREENSHOTS, `figures-overview-${lang}-${viewport.width}.png`),
      fullPage: true,
    });
    await go(page, 'value');
    expect(await kpi(page, t['overview.revenue'])).toBe(overviewRevenue);
    const base = await page.locator('main p.muted').first().innerText();
    expect(base).toContain(formatNumber(lang, api.kpis.buyers));
    expect(await page.locator('main').innerText()).toContain(t['overview.grossSales']);
    await page.screenshot({
      path: join(SCREENSHOTS, `figures-value-${lang}-${viewport.width}.png`),
      fullPage: true,
    });
  });
});

describe.each([
  { lang: 'en' as const, locale: 'en-GB', viewport: DESKTOP, phrase: 'no customer has' },
  { lang: 'fr' as const, locale: 'fr-FR', viewport: PHONE, phrase: 'aucun client n’a' },
])('a segment value no customer has ($lang, $viewport.width px)', ({ lang, locale, viewport, phrase }) => {
  it('is flagged with the known values while the analyst types', async () => {
    const page = await openAs(locale, viewport);
    await setLanguage(page, lang);
    await page.goto(`${server.url}/#/segments`);
    await page.waitForSelector('[data-testid="segment-count"]');
    await page.locator('#segment-expression').fill("country in ('NL', 'Atlantis')");
    const warning = page.locator('[data-testid="segment-warning"]');
    await warning.waitFor();
    const text = await warning.innerText();
    expect(text).toContain(phrase);
    expect(text).toContain("'Atlantis'");
    expect(text).toContain("'NL'");
    // The members the live count counts, next to it.
    const preview = page.locator('table', {
      has: page.locator('caption', { hasText: DICTIONARIES[lang]['segments.preview'] }),
    });
    await preview.waitFor();
    const rows = await preview.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(10);
    await page.screenshot({ path: join(SCREENSHOTS, `segment-unknown-value-${lang}-${viewport.width}.png`) });
    await page.locator('#segment-expression').fill("country = 'NL'");
    await warning.waitFor({ state: 'detached' });
  });
});

describe('an expired token', () => {
  it('brings back the sign-in form instead of an error on every page', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'de-DE', timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/#token=expired-or-revoked`);
    await page.waitForSelector('main form.signin');
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    // Signing in with a valid token opens the dashboard again.
    await page.fill('main form.signin input', server.tokens.analyst);
    await page.locator('main form.signin button[type="submit"]').click();
    await page.goto(`${server.url}/#/overview`);
    await page.locator('.kpi').first().waitFor();
  });
});

describe.each([
  { lang: 'en' as const, locale: 'en-GB', viewport: DESKTOP },
  { lang: 'nl' as const, locale: 'nl-NL', viewport: PHONE },
])('a segment from an RFM cell ($lang, $viewport.width px)', ({ lang, locale, viewport }) => {
  it('opens the segment builder on that RFM segment with the same count', async () => {
    const page = await openAs(locale, viewport);
    await setLanguage(page, lang);
    await page.goto(`${server.url}/#/rfm`);
    const link = page.locator('[data-testid="rfm-segment-link"]').first();
    await link.waitFor();
    // The link reads the segment's name in the page's language; the expression keeps the stored name.
    const name = (await link.getAttribute('data-segment')) ?? '';
    const row = page.locator('tr', { has: link });
    const customers = (await row.locator('td').nth(1).innerText()).trim();
    await link.click();
    await page.waitForSelector('[data-testid="segment-count"]');
    expect(await page.locator('#segment-expression').inputValue()).toBe(`rfm_segment = '${name}'`);
    await page.waitForFunction(
      (v) =>
        (globalThis as unknown as BrowserDocument).document.querySelector('[data-testid="segment-count"]')
          ?.textContent === v,
      customers,
    );
  });
});

interface BrowserDocument {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}
