import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/services/cli/main.js';
import type { DuckDbEngine } from '../../src/store/index.js';
import { launchBrowser, type RunningServer, SCREENSHOTS, signIn, startServer } from './support.js';

let dir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-e2e-demo-'));
  const db = join(dir, 'demo.duckdb');
  const out: string[] = [];
  const r = await runCli(
    ['demo', '--customers', '400', '--seed', '7', '--out', join(dir, 'files'), '--db', db, '--no-serve'],
    {
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
    },
  );
  if (r.exitCode !== 0) throw new Error(`clientele demo failed:\n${out.join('')}`);
  server = await startServer(async (engine: DuckDbEngine) => {
    await engine.exec(`ATTACH '${db.replaceAll("'", "''")}' AS demo (READ_ONLY)`);
    await engine.exec('COPY FROM DATABASE demo TO memory');
    await engine.exec('DETACH demo');
  }, ':memory:');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard on the demo shop', () => {
  it('shows the demo’s customers, its churn model with reasons, and a customer 360 with scores', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await signIn(page, server.url, server.tokens.analyst);
    await page.locator('.kpi').first().waitFor();
    const [c] = await server.engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM customers WHERE NOT is_prospect',
    );
    expect((await page.locator('.kpi-value').first().innerText()).replace(/\D/g, '')).toBe(String(c!.n));
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-overview.png'), fullPage: true });
    await page.goto(`${server.url}/#/risk`);
    await page.getByRole('cell', { name: 'churn_risk' }).waitFor();
    await page.waitForSelector('text=Highest scores today');
    await page.locator('table').nth(1).locator('tbody tr').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-risk.png'), fullPage: true });
    await page.locator('table').nth(1).locator('tbody tr').first().click();
    await page.waitForSelector('ul.scores li');
    expect(await page.locator('ul.scores').innerText()).toMatch(
      /churn_risk: \d+(\.\d)?%[\s\S]*the score (slightly|moderately|strongly)/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-customer.png'), fullPage: true });
  });
});
