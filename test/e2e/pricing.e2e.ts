import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectLifeEvents } from '../../src/analytics/lifeevents/index.js';
import type { DuckDbEngine } from '../../src/store/index.js';
import { seedShop } from '../support/shop.js';
import {
  launchBrowser,
  newDesktopPage,
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

/**
 * The fixed shop with Home on promotion every fourth week (price × 0.8, quantity × 2) and one customer, B1,
 * who starts buying baby clothes; life events detected before the server starts.
 */
async function seed(engine: DuckDbEngine): Promise<void> {
  await seedShop(engine);
  await engine.exec(`UPDATE order_lines SET unit_price = unit_price * 0.8, quantity = quantity * 2
    WHERE sku IN (SELECT sku FROM products WHERE category_path LIKE 'Home%')
      AND order_id IN (SELECT order_id FROM orders WHERE (date_diff('day', DATE '1970-01-05', order_date) // 7) % 4 = 0);
    INSERT INTO customers (customer_id, first_name, is_prospect, source, load_id) VALUES ('B1', 'Bea', false, 'seed', 1);
    INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id) VALUES ('BABY', 'Romper', 'Kids > Clothing > Baby', 19, 8, 'seed', 1);
    INSERT INTO orders (order_id, customer_id, order_date, channel, source, load_id) VALUES
      ('B1-1', 'B1', '2025-01-10', 'web', 'seed', 1), ('B1-2', 'B1', '2025-03-02', 'web', 'seed', 1),
      ('B1-3', 'B1', '2025-05-01', 'web', 'seed', 1), ('B1-4', 'B1', '2025-05-12', 'web', 'seed', 1),
      ('B1-5', 'B1', '2025-05-30', 'web', 'seed', 1);
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, discount, source, load_id) VALUES
      ('B1-1', 1, 'P1', 1, 13, 0, 'seed', 1), ('B1-2', 1, 'P2', 1, 16, 0, 'seed', 1),
      ('B1-3', 1, 'BABY', 1, 19, 0, 'seed', 1), ('B1-3', 2, 'BABY', 1, 19, 0, 'seed', 1),
      ('B1-4', 1, 'BABY', 2, 19, 0, 'seed', 1), ('B1-5', 1, 'BABY', 1, 19, 0, 'seed', 1);`);
  await detectLifeEvents(engine, { asOf: '2026-06-30' });
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

async function open(route: string): Promise<void> {
  await page.goto(`${server.url}/#/${route}`);
  await page.waitForSelector('main h1');
  await page.waitForSelector('[aria-busy="true"]', { state: 'detached' });
}

describe('price what-if page', () => {
  it('shows elasticities with intervals, simulates a price cut, and says when the data cannot answer', async () => {
    await open('pricing');
    await page.waitForSelector('[data-testid="pricing-elasticities"]');
    const table = await page.innerText('[data-testid="pricing-elasticities"]');
    expect(table).toMatch(/Home\s+-?−?\d/);
    expect(table).toContain('The data cannot support an answer');
    expect(await page.locator('main figure svg').count()).toBeGreaterThan(0);
    await page.selectOption('[data-testid="whatif-category"]', 'Home');
    await page.waitForSelector('[data-testid="whatif-result"]');
    expect(await page.innerText('[data-testid="whatif-result"]')).toMatch(/Units[\s\S]*Net revenue/);
    await page.selectOption('[data-testid="whatif-category"]', 'Men');
    await page.waitForSelector('[data-testid="whatif-unsupported"]');
    expect(await page.innerText('[data-testid="whatif-unsupported"]')).toMatch(/prices hardly moved/);
    await page.waitForSelector('[data-testid="break-even"]');
    expect(await page.innerText('[data-testid="break-even"]')).toContain('2025-Q1');
    await page.screenshot({ path: join(SCREENSHOTS, 'pricing-en.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('Customer 360 lists the customer’s life event with its evidence', async () => {
    await open('customer/B1');
    await page.waitForSelector('[data-testid="life-events"]');
    const text = await page.innerText('[data-testid="life-events"]');
    expect(text).toContain('New baby');
    expect(text).toMatch(/First purchase in baby products on 2025-05-01/);
  });
});
