/**
 * The dashboard served from a ClickHouse datamart (chdb, issue 17): the fixed shop is imported through the
 * DuckDB mirror, features and RFM are built on ClickHouse, and a real browser opens the overview, the customer
 * list with a customer 360 and the RFM grid, as it does on DuckDB (dashboard.e2e.ts).
 *
 * chdb is never a dependency (DEPENDENCIES.md): CI installs it with `npm install --no-save chdb@3.4.0`.
 * Without it the file is skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../../src/analytics/features/index.js';
import { buildRfm } from '../../src/analytics/rfm/index.js';
import { importThroughMirror } from '../../src/ingest/index.js';
import { createApp, createToken } from '../../src/services/http/index.js';
import { type Engine, hasParquetTransfer, openDatamart } from '../../src/store/index.js';
import { seedShop } from '../support/shop.js';
import { launchBrowser, newDesktopPage, openRoute, signIn, WEB_DIST } from './support.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn('chdb is not installed: dashboard on ClickHouse skipped (npm install --no-save chdb@3.4.0)');

describe.skipIf(!chdb)('the dashboard served from a ClickHouse (chdb) datamart', () => {
  let dir: string;
  let engine: Engine;
  let server: ServerType;
  let url: string;
  let token: string;
  let browser: Browser;
  let page: Page;
  const log: string[] = [];
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-e2e-ch-'));
    engine = await openDatamart({ db: `chdb:${join(dir, 'ch')}` });
    if (!hasParquetTransfer(engine)) throw new Error('expected a ClickHouse engine');
    await importThroughMirror(engine, (mirror) => seedShop(mirror));
    await buildFeatures(engine, { asOf: '2026-06-24' });
    await buildRfm(engine, { asOf: '2026-06-24' });
    const { app } = await createApp(engine, { staticDir: WEB_DIST, log: (l) => log.push(l) });
    token = (await createToken(engine, 'analyst', 'analyst')).token;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    page = await newDesktopPage(browser, pageErrors, consoleLines);
    await signIn(page, url, token);
  }, 300_000);

  afterEach(() => {
    expect(pageErrors, consoleLines.join('\n')).toEqual([]);
    expect(log, 'server log').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the overview with its KPIs and two charts', async () => {
    await openRoute(page, url, 'overview');
    await page.locator('.kpi').first().waitFor();
    expect(await page.locator('.kpi').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(2);
    const api = (await (
      await fetch(`${url}/api/overview`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { kpis: { orders: number } };
    expect(api.kpis.orders).toBeGreaterThan(0);
  });

  it('pages the customers and opens a customer 360 (audited)', async () => {
    await openRoute(page, url, 'customers');
    await page.getByText(/Rows 1–25 of 200/).waitFor();
    await page.locator('tbody tr').first().click();
    await page.waitForSelector('ol.timeline li');
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(0);
    const [audited] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'customer.read'`,
    );
    expect(audited?.n).toBeGreaterThan(0);
  });

  it('shows the RFM grid', async () => {
    await openRoute(page, url, 'rfm');
    await page.locator('main table, main svg').first().waitFor();
    expect(await page.locator('main').innerText()).toMatch(/Champions|At risk|Loyal/);
  });
});
