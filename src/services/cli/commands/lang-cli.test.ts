import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { seedShop } from '../../../../test/support/shop.js';
import { buildFeatures } from '../../../analytics/features/index.js';
import { DuckDbEngine } from '../../../store/index.js';

/** Issue 18: the CLI speaks --lang / CLIENTELE_LANG: field labels in its tables, server-written names. */
let dir: string;
let db: string;
const cli = cliOn(() => db);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-lang-cli-'));
  db = join(dir, 'mart.duckdb');
  const engine = await DuckDbEngine.open(db);
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('field labels in CLI tables', () => {
  it('features describe shows labels and units in --lang', async () => {
    const en = await cli('features', 'describe');
    expect(en.exitCode).toBe(0);
    expect(en.stdout).toMatch(/repeat_order_days\s+repeat purchases\s+number/);
    const nl = await cli('features', 'describe', '--lang', 'nl');
    expect(nl.stdout).toMatch(/repeat_order_days\s+herhaalaankopen\s+aantal/);
    expect(nl.stdout).toContain('dagen van het aanmaken van het account tot de peildatum');
  });

  it('segment profile names attributes by their labels', async () => {
    const ru = await cli('segment', 'show', '--expr', 'orders >= 2', '--lang', 'ru');
    expect(ru.exitCode).toBe(0);
    expect(ru.stdout).toContain('дней с последнего заказа');
    expect(ru.stdout).not.toMatch(/^recency_days\b/m);
  });
});
