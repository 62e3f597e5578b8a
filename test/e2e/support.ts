import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildFeatures } from '../../src/analytics/features/index.js';
import { buildRfm } from '../../src/analytics/rfm/index.js';
import { createApp, createToken } from '../../src/services/http/index.js';
import { DuckDbEngine } from '../../src/store/index.js';
import { seedShop } from '../support/shop.js';

export const WEB_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });
/** Screenshots of failed tests (git-ignored), to see what the browser showed. */
export const FAILURES = join(SCREENSHOTS, 'failed');

export interface RunningServer {
  url: string;
  tokens: { viewer: string; analyst: string; admin: string };
  engine: DuckDbEngine;
  /** Lines the server logged (internal errors), shown when a test fails. */
  log: string[];
  stop(): Promise<void>;
}

/** The fixed shop with its feature table and RFM scores built as of its last order day. */
export async function seedAnalysedShop(engine: DuckDbEngine): Promise<void> {
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await buildRfm(engine, { asOf: '2026-06-24' });
}

export async function startServer(
  seed: (engine: DuckDbEngine) => Promise<void> = seedAnalysedShop,
  dbName = 'e2e.duckdb',
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-e2e-'));
  const engine = await DuckDbEngine.open(dbName === ':memory:' ? ':memory:' : join(dir, dbName));
  await seed(engine);
  const log: string[] = [];
  const { app } = await createApp(engine, { staticDir: WEB_DIST, log: (line) => log.push(line) });
  const tokens = {
    viewer: (await createToken(engine, 'viewer', 'viewer')).token,
    analyst: (await createToken(engine, 'analyst', 'analyst')).token,
    admin: (await createToken(engine, 'admin', 'admin')).token,
  };
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    engine,
    log,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens the dashboard with a `#token=…` link and waits until it shows a signed-in page. Fails at once, with
 * what the page shows, when it shows the sign-in form instead of waiting for content that will never come.
 */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/#token=${token}`);
  await page.waitForSelector('main h1');
  await expectSignedIn(page);
}

export async function expectSignedIn(page: Page): Promise<void> {
  if ((await page.locator('main form.signin').count()) > 0)
    throw new Error(
      `The dashboard shows the sign-in form: the token of the #token= link was not kept (url ${page.url()}).`,
    );
}

/** A desktop page (1280×900, en-GB, UTC) that collects page errors and console errors into the given lists. */
export async function newDesktopPage(
  browser: Browser,
  pageErrors: string[],
  consoleLines: string[],
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleLines.push(`${m.type()}: ${m.text()}`);
  });
  return page;
}

/**
 * Opens a dashboard page by its route id and waits until its nav link is current, its heading is up, the
 * session still holds and nothing is loading (a selector wait: the dashboard's CSP forbids evaluating strings).
 */
export async function openRoute(page: Page, url: string, id: string): Promise<void> {
  await page.goto(`${url}/#/${id}`);
  await page.waitForSelector(`nav a[href="#/${id}"][aria-current="page"]`);
  await page.waitForSelector('main h1');
  await expectSignedIn(page);
  await page.waitForSelector('[aria-busy="true"]', { state: 'detached' });
}

/** Saves a screenshot and prints the page's text, console errors and the server log for a failed test. */
export async function reportFailure(
  page: Page | undefined,
  name: string,
  server: RunningServer | undefined,
  consoleLines: string[],
): Promise<void> {
  const lines = [`--- failed: ${name}`];
  if (page && !page.isClosed()) {
    mkdirSync(FAILURES, { recursive: true });
    const file = join(FAILURES, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
    await page.screenshot({ path: file, fullPage: true });
    lines.push(`url: ${page.url()}`, `screenshot: ${file}`);
    lines.push(`main: ${(await page.innerText('main')).slice(0, 1500)}`);
  }
  lines.push(`browser console: ${consoleLines.join('\n') || '(nothing)'}`);
  lines.push(`server log: ${server?.log.join('\n') || '(nothing)'}`);
  console.error(lines.join('\n'));
}
