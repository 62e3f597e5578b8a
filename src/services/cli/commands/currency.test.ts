import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { seedShop } from '../../../../test/support/shop.js';
import { buildFeatures } from '../../../analytics/features/index.js';
import { buildRfm } from '../../../analytics/rfm/index.js';
import { DuckDbEngine } from '../../../store/index.js';
import { createApp, createToken } from '../../http/index.js';
import { gatherReport, renderReport } from '../../report/index.js';

/**
 * Issue 18: money was always shown as euros. The datamart's `currency` setting (ISO 4217, EUR by default)
 * names it for the CLI, the API (GET /api/me, which the dashboard reads), model reasons and the report.
 */
let dir: string;
let db: string;
const cli = cliOn(() => db);
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-currency-'));
  db = join(dir, 'mart.duckdb');
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await buildRfm(engine, { asOf: '2026-06-24' });
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function apiMe(): Promise<{ currency: string }> {
  const engine = await DuckDbEngine.open(db);
  try {
    const { app } = await createApp(engine, { log: () => undefined });
    const { token } = await createToken(engine, 'viewer', 'viewer');
    const res = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as { currency: string };
  } finally {
    await engine.close();
  }
}

async function report(lang: 'en' | 'nl') {
  const engine = await DuckDbEngine.open(db);
  try {
    const data = await gatherReport(engine, { lang });
    return { currency: data.currency, html: renderReport(data) };
  } finally {
    await engine.close();
  }
}

describe('the currency setting', () => {
  it('is EUR by default, said by the CLI, the API and the report', async () => {
    const settings = await cli('settings', '--json');
    expect(settings.json.settings.currency).toBe('EUR');
    expect((await apiMe()).currency).toBe('EUR');
    const profit = await cli('profit');
    expect(profit.stdout).toMatch(/from net revenue €[\d,]+\.\d\d/);
    const nl = await report('nl');
    expect(nl.currency).toBe('EUR');
    expect(nl.html).toContain('bedragen in EUR');
  });

  it('once set to USD, every surface shows dollars', async () => {
    const set = await cli('settings', 'set', 'currency', 'usd');
    expect(set.exitCode).toBe(0);
    expect((await cli('settings', '--json')).json.settings.currency).toBe('USD');
    const profit = await cli('profit');
    expect(profit.stdout).toMatch(/from net revenue US\$[\d,]+\.\d\d/);
    expect(profit.stdout).not.toContain('€');
    const nl = await cli('rfm', '--lang', 'nl');
    expect(plain(nl.stdout)).toMatch(/US\$ [\d.]+/);
    expect((await apiMe()).currency).toBe('USD');
    const en = await report('en');
    expect(en.currency).toBe('USD');
    expect(en.html).toContain('amounts in USD');
    expect(en.html).toMatch(/US\$[\d,]+/);
    expect(en.html).not.toContain('€');
  });

  it('refuses a code that is not a currency, saying what it expects', async () => {
    const bad = await cli('settings', 'set', 'currency', 'euro');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('expected a three-letter ISO 4217 currency code');
  });
});
