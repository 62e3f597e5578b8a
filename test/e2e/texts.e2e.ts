import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../src/store/index.js';
import { DICTIONARIES, LANGUAGES } from '../../web/src/i18n.js';
import {
  launchBrowser,
  newDesktopPage,
  openRoute,
  type RunningServer,
  reportFailure,
  SCREENSHOTS,
  seedAnalysedShop,
  signIn,
  startServer,
} from './support.js';

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleLines: string[] = [];

// Reviews in five languages by the shop's top customers: the first ones negative and recent (alerts).
const BODIES = [
  ['en', 'The parcel arrived late and the item was broken. Very disappointed.'],
  ['nl', 'Het pakket kwam te laat en het product was kapot. Niet tevreden.'],
  ['fr', 'Très bonne qualité et livraison rapide, je recommande.'],
  ['de', 'Sehr zufrieden, schnelle Lieferung und gute Qualität.'],
  ['ru', 'Отличное качество, быстрая доставка. Рекомендую!'],
  ['en', 'Great price and excellent quality, very happy.'],
];

async function seed(engine: DuckDbEngine): Promise<void> {
  await seedAnalysedShop(engine);
  const top = await engine.query<{ customer_id: string }>(
    `SELECT o.customer_id FROM orders o JOIN order_lines l USING (order_id) GROUP BY 1 ORDER BY sum(l.quantity * l.unit_price) DESC, 1 LIMIT ${BODIES.length}`,
  );
  const values = BODIES.map(
    ([lang, body], i) =>
      `('e2e${i}', '${top[i]?.customer_id}', 'review', TIMESTAMP '2026-06-1${i} 10:00:00', '${lang}', ${i < 2 ? 1 : 5}, '${(body as string).replace(/'/g, "''")}', 'e2e', 1)`,
  );
  await engine.exec(
    `INSERT INTO customer_texts (text_id, customer_id, kind, text_time, language, rating, body, source, load_id) VALUES ${values.join(',')}`,
  );
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

function open(id: string): Promise<void> {
  return openRoute(page, server.url, id);
}

describe('voice of the customer page', () => {
  it('analyses texts on request, then shows sentiment over time, topics with examples, segments and alerts', async () => {
    await open('texts');
    expect(await page.innerText('main')).toContain('none analysed yet');
    await page.getByRole('button', { name: 'Analyse texts' }).click();
    await page.waitForSelector('main figure svg, main svg[role="img"], main svg', { timeout: 20_000 });
    await page.waitForSelector('text=Sentiment over time');
    const main = await page.innerText('main');
    expect(main).toContain('6 of 6 texts analysed');
    expect(main).toContain('Delivery');
    expect(main).toContain('The parcel arrived late');
    // Segments come from the saved RFM scores of the seeded shop.
    expect(main).not.toContain('One group: save RFM segments');
    // The two negative reviews were written by top customers in the last 30 days: alerts.
    const alerts = page.locator('table').last();
    expect(await alerts.locator('tbody tr').count()).toBe(2);
    // The chart has a line per language.
    expect(await page.locator('main svg [aria-label="line"] path').count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'texts-en.png'), fullPage: true });
  });

  it('opens the customer 360 of an alert and shows the text with its sentiment in the timeline', async () => {
    await open('texts');
    await page.waitForSelector('text=Alerts: valuable customers');
    await page.locator('table').last().locator('tbody tr button').first().click();
    await page.waitForSelector('ol.timeline li.tl-text');
    expect(await page.locator('ol.timeline li.tl-text').first().innerText()).toMatch(/negative/);
  });

  it('is translated in all five languages', async () => {
    for (const lang of LANGUAGES) {
      await page.selectOption('[data-testid="language"]', lang);
      await open('texts');
      const text = await page.innerText('body');
      expect(text).toContain(DICTIONARIES[lang]['texts.overTime']);
      // Text languages by name in the page's language (Portuguese, Portugees …), never by code.
      for (const code of ['en', 'nl', 'fr', 'de', 'ru'] as const)
        expect(text, `${lang}: ${code}`).toContain(DICTIONARIES[lang][`texts.lang.${code}`]);
      expect(
        await page
          .locator('main td')
          .filter({ hasText: /^\s*(en|nl|fr|de|ru|pt|und)\s*$/ })
          .count(),
      ).toBe(0);
      expect(Object.keys(DICTIONARIES.en).filter((k) => k.startsWith('texts.') && text.includes(k))).toEqual(
        [],
      );
    }
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('passes an axe accessibility check with no serious violation', async () => {
    await open('texts');
    await page.waitForSelector('text=Sentiment over time');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id} ${v.help} ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`),
    ).toEqual([]);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
