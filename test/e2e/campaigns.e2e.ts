import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engagementProfile } from '../../src/analytics/campaigns/index.js';
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

/** Two campaigns on the seeded shop: one that works (30 of 120 sent buy, 2 of 40 held out), one without a holdout. */
async function seed(engine: DuckDbEngine): Promise<void> {
  await seedAnalysedShop(engine);
  await engine.exec(`
    INSERT INTO campaigns (campaign_id, name, channel, start_date, keywords, cost, source, load_id) VALUES
      ('EM-WORKS', 'Spring mail', 'email', DATE '2026-03-02', ['fashion'], 50, 'e2e', 1),
      ('EM-NOCTRL', 'Summer mail', 'email', DATE '2026-05-04', ['summer'], 20, 'e2e', 1);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-WORKS', 'C' || lpad(i::VARCHAR, 4, '0'), CASE WHEN i <= 120 THEN 'sent' ELSE 'holdout' END,
        TIMESTAMP '2026-03-02 08:00:00', 'e2e', 1 FROM range(1, 161) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-NOCTRL', 'C' || lpad(i::VARCHAR, 4, '0'), 'sent', TIMESTAMP '2026-05-04 08:00:00', 'e2e', 1
      FROM range(1, 61) t(i);
    INSERT INTO campaign_events (campaign_id, customer_id, event_type, event_time, source, load_id)
      SELECT 'EM-WORKS', 'C' || lpad(i::VARCHAR, 4, '0'), 'open', TIMESTAMP '2026-03-02 09:00:00', 'e2e', 1
      FROM range(1, 61) t(i);
    INSERT INTO orders (order_id, customer_id, order_date, order_time, total, source, load_id)
      SELECT 'E2E' || i, 'C' || lpad(i::VARCHAR, 4, '0'), DATE '2026-03-04', TIMESTAMP '2026-03-04 10:00:00', 40, 'e2e', 1
      FROM range(1, 161) t(i) WHERE i <= 30 OR i > 158;
  `);
  await engagementProfile(engine, { asOf: '2026-06-24', save: true });
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

describe('campaigns page', () => {
  it('shows each campaign with its funnel, lift and interval, the lift chart, segments and pressure', async () => {
    await open('campaigns');
    await page.waitForSelector('text=Lift of Spring mail by segment');
    await page.waitForSelector('[aria-busy="true"]', { state: 'detached' });
    const main = await page.innerText('main');
    expect(main).toContain('Spring mail');
    expect(main).toContain('Summer mail');
    expect(main).toContain('Marketing pressure');
    // The lift chart has a dot per campaign with a holdout.
    expect(await page.locator('main figure svg [aria-label="dot"] circle').count()).toBe(1);
    // Segments by country of the selected campaign add up to the 120 sent.
    const segTable = page.locator('table').nth(1);
    const sent = await segTable.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(sent.reduce((s, x) => s + Number(x.replace(/\D/g, '')), 0)).toBe(120);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaigns-en.png'), fullPage: true });
  });

  it('tells one story in two languages: one outcome for KPIs and table, campaign names, translated pressure classes', async () => {
    for (const lang of ['en', 'de'] as const) {
      const dict = DICTIONARIES[lang];
      await page.selectOption('[data-testid="language"]', lang);
      await open('campaigns');
      await page.waitForSelector(`text=${dict['campaigns.bySegment'].replace('{campaign}', 'Spring mail')}`);
      await page.waitForSelector('[aria-busy="true"]', { state: 'detached' });
      const main = await page.innerText('main');
      // Titles name the campaign, not its id.
      expect(main).not.toContain('EM-WORKS');
      // The outcome definition and its window are said on the page.
      expect(await page.innerText('[data-testid="campaigns-outcome"]')).toContain('14');
      // KPI "conversions within 14 days" = the table's conversions column, and not 0 (30 of 120 sent bought).
      const kpi = async (key: 'campaigns.conversionsWithin' | 'campaigns.revenueWithin') =>
        page
          .locator('.kpi', { hasText: dict[key].replace('{days}', '14') })
          .locator('.kpi-value')
          .innerText();
      const digits = (x: string) => Number(x.replace(/\D/g, ''));
      const list = page.locator('table').first();
      const headers = await list.locator('thead th').allInnerTexts();
      const col = (label: string) => headers.indexOf(label) + 1;
      const conv = await list
        .locator(`tbody tr td:nth-child(${col(dict['campaigns.conversions'])})`)
        .allInnerTexts();
      const total = conv.reduce((s, x) => s + digits(x), 0);
      expect(total).toBeGreaterThanOrEqual(30);
      expect(digits(await kpi('campaigns.conversionsWithin'))).toBe(total);
      expect(digits(await kpi('campaigns.revenueWithin'))).toBeGreaterThanOrEqual(1200);
      // Pressure classes as labels in the language, sends in the window as a whole count.
      const pressure = page.locator('table').last();
      const classes = await pressure.locator('tbody tr td:nth-child(1)').allInnerTexts();
      expect(classes).toEqual([
        dict['campaigns.class.saturated'],
        dict['campaigns.class.onTarget'],
        dict['campaigns.class.underSolicited'],
      ]);
      for (const x of await pressure.locator('tbody tr td:nth-child(3)').allInnerTexts())
        expect(x).toMatch(/^(\d+|—)$/);
    }
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('shows a viewer only the segments with enough contacts, and says how many are left out', async () => {
    const counts = async (p: Page) => {
      await p.waitForSelector('text=Lift of Spring mail by segment');
      await p.waitForSelector('[aria-busy="true"]', { state: 'detached' });
      const segTable = p.locator('table').nth(1);
      return (await segTable.locator('tbody tr').allInnerTexts()).map((row) =>
        row
          .split('\t')
          .slice(1, 3)
          .map((x) => Number(x.replace(/\D/g, ''))),
      );
    };
    await open('campaigns');
    const analystRows = await counts(page);
    const viewer = await newDesktopPage(browser, pageErrors, consoleLines);
    try {
      await signIn(viewer, server.url, server.tokens.viewer);
      await openRoute(viewer, server.url, 'campaigns');
      const viewerRows = await counts(viewer);
      const small = (n: number) => n > 0 && n < 10;
      expect(analystRows.some(([sent, held]) => small(sent!) || small(held!))).toBe(true);
      expect(viewerRows.some(([sent, held]) => small(sent!) || small(held!))).toBe(false);
      const left = analystRows.length - viewerRows.length;
      expect(left).toBeGreaterThan(0);
      expect(await viewer.innerText('[data-testid="campaigns-suppressed"]')).toContain(String(left));
    } finally {
      await viewer.close();
    }
  });

  it('shows the engagement profile in the customer 360', async () => {
    await page.goto(`${server.url}/#/customer/C0001`);
    await page.waitForSelector('[data-testid="customer-campaigns"]');
    expect(await page.innerText('[data-testid="customer-campaigns"]')).toMatch(
      /E-mail engagement\s+(loyal readers|window shoppers)/,
    );
  });

  it('shows RFO as opens and clicks (not purchase RFM) on the RFM page', async () => {
    await open('rfm');
    await page.selectOption('main select', 'rfo');
    await page.waitForSelector('text=RFO: recency and frequency of opens');
    await page.waitForSelector('text=Open × click map');
    expect(await page.innerText('main')).toMatch(/loyal readers|window shoppers|dormant/);
  });

  it('is translated in all five languages', async () => {
    for (const lang of LANGUAGES) {
      await page.selectOption('[data-testid="language"]', lang);
      await open('campaigns');
      const text = await page.innerText('body');
      expect(text).toContain(DICTIONARIES[lang]['campaigns.liftChart']);
      expect(text).toContain(DICTIONARIES[lang]['nav.campaigns']);
      expect(
        Object.keys(DICTIONARIES.en).filter((k) => k.startsWith('campaigns.') && text.includes(k)),
      ).toEqual([]);
    }
    await page.selectOption('[data-testid="language"]', 'en');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
