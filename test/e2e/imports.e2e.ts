/**
 * Issue 18: the Imports page shows each load's time and has an upload button; the import runs as a job and
 * the page shows its result in the dashboard's language. In English on a desktop and in Dutch at phone width.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../../web/src/i18n.js';
import { expectSignedIn, launchBrowser, type RunningServer, signIn, startServer } from './support.js';

let server: RunningServer;
let browser: Browser;
let dir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-e2e-upload-'));
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openAs(locale: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, server.url, server.tokens.admin);
  return page;
}

describe.each([
  {
    lang: 'en' as const,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
    id: 'U1',
    word: 'Imported',
  },
  {
    lang: 'nl' as const,
    locale: 'nl-NL',
    viewport: { width: 390, height: 844 },
    id: 'U2',
    word: 'geïmporteerd',
  },
])('upload on the Imports page ($lang, $viewport.width px)', ({ lang, locale, viewport, id, word }) => {
  it('imports a file as a job, says the result and lists the load with its time', async () => {
    const t = DICTIONARIES[lang];
    const file = join(dir, `customers-${lang}.csv`);
    writeFileSync(
      file,
      `customer_id,first_name,last_name,email,country\n${id},Ada,Lovelace,ada-${lang}@example.org,NL\n`,
    );
    const page = await openAs(locale, viewport);
    await page.selectOption('[data-testid="language"]', lang);
    await page.goto(`${server.url}/#/imports`);
    await page.waitForSelector('nav a[href="#/imports"][aria-current="page"]');
    await expectSignedIn(page);
    // Two tables load separately (rejects, loads): wait for the loads table's load-time column itself.
    await expect
      .poll(async () => page.locator('main').innerText(), { timeout: 30_000 })
      .toContain(t['imports.seconds']);
    await page.setInputFiles('[data-testid="upload-file"]', file);
    await page.click('[data-testid="upload"]');
    const result = page.locator('[data-testid="upload-result"]');
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toContain(`customers-${lang}.csv`);
    expect(text).toContain(word);
    expect(text).toMatch(/1 /);
    // The new load is listed with its load time.
    const loads = page.locator('main table').nth(1);
    await expect.poll(async () => loads.innerText()).toContain(`customers-${lang}.csv`);
    // The load's status in words of the language, not the stored key.
    expect(await loads.innerText()).toContain(t['imports.status.loaded']);
    if (lang !== 'en') expect(await loads.innerText()).not.toMatch(/\bloaded\b/);
    // Nothing is wider than the screen at phone width.
    const box = await page.locator('main').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 1);
  });
});
