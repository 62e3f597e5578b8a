import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('server-written text in --lang / CLIENTELE_LANG', () => {
  it('names RFM segments in nl and ru, and keeps English', async () => {
    const en = await cli('rfm');
    const nl = await cli('rfm', '--lang', 'nl');
    const previous = process.env.CLIENTELE_LANG;
    process.env.CLIENTELE_LANG = 'ru';
    const ru = await cli('rfm').finally(() => {
      if (previous === undefined) delete process.env.CLIENTELE_LANG;
      else process.env.CLIENTELE_LANG = previous;
    });
    expect(en.stdout).toMatch(/^(Champions|Lost|At risk)\s/m);
    expect(nl.stdout).toMatch(/^(Kampioenen|Verloren|Risico)\s/m);
    expect(ru.stdout).toMatch(/^(Чемпионы|Потерянные|Под угрозой)\s/m);
    expect(nl.stdout).not.toMatch(/^Champions\s/m);
  });

  it('says errors in nl and ru (the --json body stays English)', async () => {
    const en = await cli('segment', 'count', 'rec');
    expect(en.exitCode).toBe(2);
    expect(en.stderr).toContain('expected a known column, found "rec"');
    const nl = await cli('segment', 'count', 'rec', '--lang', 'nl');
    expect(nl.stderr).toContain('De segmentexpressie kan niet worden gebruikt:');
    expect(nl.stderr).toContain('verwacht een bekende kolom, gevonden "rec"');
    const ru = await cli('segment', 'count', 'rec', '--lang', 'ru', '--json');
    expect(ru.stderr).toContain('ожидался известный столбец, найдено "rec"');
    expect(ru.json.error.message).toContain('expected a known column');
  });

  it('says reject reasons of an import in nl and ru', async () => {
    const file = join(dir, 'orders-bad.csv');
    writeFileSync(file, 'order_id,customer_id,order_date,total\nX1,C0001,2025-13-07,10\n');
    const flags = ['--target', 'orders', '--max-reject-rate', '1'];
    const en = await cli('import', file, ...flags);
    const nl = await cli('import', file, ...flags, '--lang', 'nl');
    const ru = await cli('import', file, ...flags, '--lang', 'ru');
    expect(en.stdout).toMatch(/rejected 1× column "order_date" → order_date: expected a date/);
    expect(nl.stdout).toMatch(/rejected 1× kolom "order_date" → order_date: verwacht een datum/);
    expect(ru.stdout).toMatch(/rejected 1× столбец "order_date" → order_date: ожидалась дата/);
  });
});

describe('numbers, dates and money in --lang', () => {
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  it('keeps English as it was and follows nl and de: decimal comma, date order, money with the currency', async () => {
    const en = await cli('profit');
    expect(en.stdout).toMatch(
      /^Profit as of 2026-06-24 over \d+ customers .*: €[\d,]+\.\d\d from net revenue/m,
    );
    const nl = plain((await cli('profit', '--lang', 'nl')).stdout);
    expect(nl).toMatch(/^Profit as of 24-06-2026 over \d+ customers .*: € [\d.]+,\d\d from net revenue/m);
    const de = plain((await cli('rfm', '--lang', 'de')).stdout);
    expect(de).toMatch(/^RFM as of 24\.06\.2026: /m);
    // The monetary column in euros, frequency with a decimal comma.
    expect(de).toMatch(/\d+ €/);
    expect(de).toMatch(/\d,\d+/);
    expect(de).not.toMatch(/\d\.\d\d\s/);
  });
});
