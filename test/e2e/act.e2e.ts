/**
 * Acting on what the analyst sees (issue 18): a cluster run stays on the Clusters page after a reload (it is
 * kept in the datamart), and each cluster opens the segment builder on `cluster = N` with the same count;
 * in English on a desktop and in German at phone width.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModel, scoreTable, storeScores, trainModel } from '../../src/analytics/predict/index.js';
import type { DuckDbEngine } from '../../src/store/index.js';
import { DICTIONARIES } from '../../web/src/i18n.js';
import { launchBrowser, type RunningServer, seedAnalysedShop, signIn, startServer } from './support.js';

/** The analysed shop plus a churn model (churn_risk) with its scores stored, so the Risk page has bands. */
async function seedWithChurnModel(engine: DuckDbEngine): Promise<void> {
  await seedAnalysedShop(engine);
  await engine.exec(`CREATE OR REPLACE TABLE churn_train AS
    SELECT customer_id, as_of, recency_days, orders, revenue, CASE WHEN recency_days > 120 THEN 1 ELSE 0 END AS label
    FROM customer_features WHERE last_order IS NOT NULL`);
  const trained = await trainModel(engine, {
    table: 'churn_train',
    target: 'label',
    idColumn: 'customer_id',
    folds: 3,
    name: 'churn_risk',
    params: { seed: 1, gbdt: { trees: 20, maxLeaves: 4, minSamplesLeaf: 5 } },
  });
  await saveModel(engine, trained.model);
  const { rows } = await scoreTable(engine, trained.model, 'churn_train');
  await storeScores(engine, 'churn_risk', '2026-06-24', rows);
}

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer(seedWithChurnModel);
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

async function setLanguage(page: Page, lang: 'en' | 'de' | 'fr') {
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

describe('a churn-risk band opened as a segment (fr, 1280 px)', () => {
  it('opens the high band of churn_risk in the segment builder with the count of those customers', async () => {
    const page = await openAs('fr-FR', DESKTOP);
    await setLanguage(page, 'fr');
    await page.goto(`${server.url}/#/risk`);
    const bands = page.locator('[data-testid="risk-band-link"]');
    await bands.first().waitFor();
    expect(await bands.count()).toBe(3);
    expect((await bands.first().innerText()).trim()).toBe(DICTIONARIES.fr['risk.band.high']);
    await bands.first().click();
    await page.waitForSelector('[data-testid="segment-count"]');
    expect(await page.locator('#segment-expression').inputValue()).toBe('churn_risk >= 0.7');
    const [row] = await server.engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM customer_scores WHERE churn_risk >= 0.7',
    );
    expect(Number(row!.n)).toBeGreaterThan(0);
    await page.waitForFunction(
      (v) =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document
          .querySelector('[data-testid="segment-count"]')
          ?.textContent?.replace(/\D/g, '') === v,
      String(row!.n),
    );
  });
});
