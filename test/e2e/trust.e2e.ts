import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../../web/src/i18n.js';
import {
  launchBrowser,
  newDesktopPage,
  openRoute,
  type RunningServer,
  reportFailure,
  SCREENSHOTS,
  signIn,
  startServer,
} from './support.js';

/** Issue 18: the field dictionary in the dashboard (labels, not keys) in the page's language. */
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleLines: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newDesktopPage(browser, pageErrors, consoleLines);
  await signIn(page, server.url, server.tokens.analyst);
});

beforeEach(({ task, onTestFailed }) => {
  consoleLines.length = 0;
  onTestFailed(() => reportFailure(page, task.name, server, consoleLines));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function setLanguage(lang: 'en' | 'nl' | 'ru') {
  await page.selectOption('[data-testid="language"]', lang);
  await page.waitForFunction(
    (l) =>
      (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
        .lang === l,
    lang,
  );
}

const CASES = [
  {
    lang: 'en' as const,
    recency: 'days since the last order',
    repeat: 'repeat purchases',
    error: 'expected a known column, found "rec"',
  },
  {
    lang: 'nl' as const,
    recency: 'dagen sinds de laatste bestelling',
    repeat: 'herhaalaankopen',
    error: 'verwacht een bekende kolom, gevonden "rec"',
  },
  {
    lang: 'ru' as const,
    recency: 'дней с последнего заказа',
    repeat: 'повторных покупок',
    error: 'ожидался известный столбец, найдено "rec"',
  },
];

describe('segment field picker', () => {
  it.each(CASES)(
    'shows field labels, not keys, and errors in the language ($lang)',
    async ({ lang, recency, repeat, error }) => {
      await openRoute(page, server.url, 'segments');
      await setLanguage(lang);
      expect(await page.innerText('main h1')).toBe(DICTIONARIES[lang]['segments.title']);
      // The picker lists labels in the page's language and inserts the key.
      const picker = page.locator('[data-testid="segment-field-picker"]');
      await page.waitForFunction(
        (text) =>
          [
            ...(
              globalThis as unknown as {
                document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> };
              }
            ).document.querySelectorAll('[data-testid="segment-field-picker"] option'),
          ].some((o) => o.textContent === text),
        recency,
      );
      const options = await picker.locator('option').allInnerTexts();
      expect(options).toContain(recency);
      expect(options).toContain(repeat);
      expect(options).not.toContain('recency_days');
      await page.fill('#segment-expression', '');
      await picker.selectOption('recency_days');
      expect(await page.inputValue('#segment-expression')).toBe('recency_days ');
      // Let the picker's caret placement (next animation frame) happen before the next edit.
      await page.waitForFunction(
        () =>
          new Promise((resolve) =>
            (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(
              () => resolve(true),
            ),
          ),
      );
      // Autocompletion chips show labels too; typing part of a label finds the field.
      await page.fill('#segment-expression', 'rec');
      await page.press('#segment-expression', 'End');
      const chip = page.locator('.suggestions button[data-field="recency_days"]');
      await chip.waitFor();
      expect(await chip.innerText()).toBe(recency);
      // The server's error about the unfinished expression is in the page's language.
      // (waits for the answer in this language: the previous language's error may still be shown)
      await page.waitForFunction(
        (text) =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string | null } | null };
            }
          ).document
            .querySelector('[data-testid="segment-error"]')
            ?.textContent?.includes(text) ?? false,
        error,
      );
      expect(await page.innerText('[data-testid="segment-error"]')).toContain(error);
      await page.screenshot({ path: join(SCREENSHOTS, `segments-fields-${lang}.png`), fullPage: false });
    },
  );
});

describe('segment size history and delete', () => {
  it.each([
    { lang: 'en' as const, name: 'e2e_history_en' },
    { lang: 'nl' as const, name: 'e2e_history_nl' },
  ])('shows a size chart per stored segment and deletes one ($lang)', async ({ lang, name }) => {
    const admin = await newDesktopPage(browser, pageErrors, consoleLines);
    try {
      await signIn(admin, server.url, server.tokens.admin);
      await openRoute(admin, server.url, 'segments');
      await admin.selectOption('[data-testid="language"]', lang);
      const t = DICTIONARIES[lang];
      await admin.fill('#segment-expression', 'orders >= 2');
      await admin.fill('[data-testid="segment-name"]', name);
      await admin.click(`button:has-text("${t['segments.save']}")`);
      const row = admin.locator('tr', { hasText: name });
      const chart = row.locator('[data-testid="segment-size-chart"]');
      await chart.waitFor();
      expect(await chart.getAttribute('data-points')).toBe('1');
      expect(await chart.getAttribute('aria-label')).toContain(
        t['segments.historyLabel'].split('{sizes}')[0] as string,
      );
      expect(await admin.innerText('main')).toContain(t['segments.history']);
      await admin.screenshot({ path: join(SCREENSHOTS, `segments-history-${lang}.png`), fullPage: true });
      // An export says how many it wrote and who was left out, and why (issue 18).
      const download = admin.waitForEvent('download');
      await row.getByRole('button', { name: 'CSV' }).click();
      await download;
      await admin.waitForSelector('[data-testid="segment-exported"]');
      const said = await admin.innerText('[data-testid="segment-exported"]');
      expect(said).toContain(lang === 'en' ? 'Left out:' : 'Weggelaten:');
      expect(said).toContain(name);
      admin.once('dialog', (d) => void d.accept());
      await row.locator('[data-testid="segment-delete"]').click();
      await admin.waitForSelector('[data-testid="segment-deleted"]');
      expect(await admin.innerText('[data-testid="segment-deleted"]')).toBe(
        t['segments.deleted'].replace('{name}', name),
      );
      await admin.locator('tr', { hasText: name }).waitFor({ state: 'detached' });
    } finally {
      await admin.close();
    }
  });
});

describe('Customer 360 in plain labels', () => {
  it.each([
    { lang: 'en' as const, consent: 'e-mail consent', id: 'customer number' },
    { lang: 'nl' as const, consent: 'toestemming e-mail', id: 'klantnummer' },
  ])('names the profile’s fields by their labels ($lang)', async ({ lang, consent, id }) => {
    await openRoute(page, server.url, 'customers');
    await setLanguage(lang);
    await page.goto(`${server.url}/#/customer/C0001`);
    await page.waitForSelector('dl.profile dt[data-field="consent_email"]');
    await page.waitForFunction(
      (text) =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document.querySelector('dl.profile dt[data-field="consent_email"]')?.textContent === text,
      consent,
    );
    expect(await page.innerText('dl.profile dt[data-field="customer_id"]')).toBe(id);
    expect(await page.innerText('dl.profile')).not.toContain('consent_email');
  });
});

describe('segment profile in plain labels', () => {
  it('names the averaged attributes by their labels (nl)', async () => {
    await openRoute(page, server.url, 'segments');
    await setLanguage('nl');
    await page.fill('#segment-expression', 'orders >= 2');
    await page.waitForSelector('[data-testid="segment-count"]');
    await page.click(`button:has-text("${DICTIONARIES.nl['segments.profile']}")`);
    const cell = page.locator('.profile-box [data-field="recency_days"]');
    await cell.waitFor();
    expect(await cell.innerText()).toBe('dagen sinds de laatste bestelling');
  });
});
