import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildFeatures } from '../../src/analytics/features/index.js';
import { buildRfm } from '../../src/analytics/rfm/index.js';
import type { DuckDbEngine } from '../../src/store/index.js';
import { DICTIONARIES, LANGUAGES } from '../../web/src/i18n.js';
import { seedShop } from '../support/shop.js';
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

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleLines: string[] = [];

/** The fixed shop plus one area per postcode it uses, around four real cities (about two customers each). */
async function seed(engine: DuckDbEngine): Promise<void> {
  await seedShop(engine);
  await engine.exec(`INSERT INTO area_data (country, postcode, area_name, region, households, median_income,
      purchasing_power_index, urban_share, mean_age, latitude, longitude, source, load_id)
    SELECT c, (1000 + i)::VARCHAR, 'Area ' || i, 'R' || (i % 3), 500 + 7 * i, 30000 + 150 * i, 90 + i % 20,
      0.5 + (i % 5) / 10, 35 + i % 15, lat + (i % 9) / 50, lon + (i / 9) / 40, 'e2e', 1
    FROM range(0, 90) t(i),
      (VALUES ('NL', 52.37, 4.90), ('DE', 50.94, 6.96), ('FR', 45.76, 4.84), ('BE', 51.05, 3.72)) v(c, lat, lon)`);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await buildRfm(engine, { asOf: '2026-06-24' });
}

beforeAll(async () => {
  server = await startServer(seed);
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

/** A column key as the datamart spells it (snake_case), which a reader should never see. */
const RAW_KEY = /\b[a-z]+_[a-z_]+\b/;

function open(id: string): Promise<void> {
  return openRoute(page, server.url, id);
}

describe('areas page', () => {
  it('draws penetration on a map from the area coordinates, with a legend, labels and no small cell', async () => {
    await open('areas');
    await page.waitForSelector('main figure svg');
    const main = await page.innerText('main');
    expect(main).toContain('Customers per 1,000 households');
    expect(main).toMatch(/areas shown, each with at least 10 customers/);
    // One dot per shown cell; the shop's areas hold about two customers each, so they are merged per prefix.
    const dots = await page.locator('main figure svg [aria-label="dot"] circle').count();
    expect(dots).toBeGreaterThanOrEqual(3);
    expect(await page.locator('main figure svg [aria-label="text"] text').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'areas-en.png'), fullPage: true });
  });

  it('switches to potential and finds statistical twins among prospects', async () => {
    await open('areas');
    // The shop's best customers by order count (the default, RFM Champions, fits the demo shop).
    await page.fill('[data-testid="geo-segment"]', 'orders >= 7');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.selectOption('[data-testid="geo-measure"]', 'potential');
    await page.waitForSelector('text=Potential value');
    await page.waitForSelector('main figure svg [aria-label="dot"] circle');
    await page.getByRole('button', { name: 'Find twins' }).click();
    await page.waitForSelector('[data-testid="twins"] table', { timeout: 30_000 });
    const twins = await page.innerText('[data-testid="twins"]');
    expect(twins).toContain('Very similar');
    expect(twins).toContain('Compared on:');
    expect(twins).not.toMatch(/Compared on:[^\n]*\borders\b/);
    // Features and drivers in plain words: no column key (income_band, area_households …) anywhere.
    expect(twins).not.toMatch(RAW_KEY);
    expect(twins).toContain('households in the area');
    expect(
      await page.locator('[data-testid="twins"] table').nth(1).locator('tbody tr').count(),
    ).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save the twins as a segment' }).click();
    await page.waitForSelector('text=Saved as segment "champion_twins"', { timeout: 30_000 });
  });

  it('names the twins’ features and drivers in the page’s language (Dutch), never by a column key', async () => {
    await page.selectOption('[data-testid="language"]', 'nl');
    await open('areas');
    await page.fill('[data-testid="geo-segment"]', 'orders >= 7');
    await page.getByRole('button', { name: DICTIONARIES.nl['geo.apply'] }).click();
    await page.getByRole('button', { name: DICTIONARIES.nl['geo.twins.find'] }).click();
    await page.waitForSelector('[data-testid="twins"] table', { timeout: 30_000 });
    const twins = await page.innerText('[data-testid="twins"]');
    expect(twins).toContain('Vergeleken op:');
    expect(twins).toContain('huishoudens in het gebied');
    expect(twins).not.toMatch(RAW_KEY);
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('is translated in all five languages', async () => {
    for (const lang of LANGUAGES) {
      await page.selectOption('[data-testid="language"]', lang);
      await open('areas');
      await page.selectOption('[data-testid="geo-measure"]', 'penetration');
      await page.waitForSelector('main figure svg');
      const text = await page.innerText('body');
      expect(await page.innerText('main h1')).toBe(DICTIONARIES[lang]['geo.title']);
      expect(text).toContain(DICTIONARIES[lang]['geo.legend.penetration']);
      expect(text).toContain(DICTIONARIES[lang]['geo.size']);
      expect(Object.keys(DICTIONARIES.en).filter((k) => k.startsWith('geo.') && text.includes(k))).toEqual(
        [],
      );
      await page.screenshot({ path: join(SCREENSHOTS, `areas-${lang}.png`), fullPage: true });
    }
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
