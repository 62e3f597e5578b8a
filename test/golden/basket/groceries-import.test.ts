/**
 * Golden: Groceries imported through the normal import path (`clientele import FILE --format baskets`),
 * then mined from the datamart's order lines with `clientele basket rules|itemsets --json`. Expected
 * numbers: ../shared/data/groceries/README.md (R arules `apriori`, published outputs). Counts exact.
 * Note: the loader trims text, so the item `"cream cheese "` is stored as `"cream cheese"`; no other item
 * has that name, so every count and metric is unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDatamart, runCliCaptured } from '../../../test/support/cli.js';

const FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'groceries',
  'groceries.csv',
);
const dir = mkdtempSync(join(tmpdir(), 'clientele-groceries-'));
const db = join(dir, 'groceries.duckdb');

const cli = (args: string[]) => runCliCaptured([...args, '--db', db, '--json']);

function lengths(rules: { lhs: string[]; rhs: string[] }[]): Record<number, number> {
  const d: Record<number, number> = {};
  for (const r of rules) d[r.lhs.length + r.rhs.length] = (d[r.lhs.length + r.rhs.length] ?? 0) + 1;
  return d;
}

let imported: Record<string, unknown>;
beforeAll(async () => {
  await initDatamart(db);
  const r = await cli(['import', FILE, '--format', 'baskets', '--order-date', '2024-01-31']);
  expect(r.stderr).toBe('');
  imported = r.json;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Groceries through clientele import --format baskets', () => {
  it('loads 9,835 orders with 43,367 order lines and 169 products, nothing rejected', () => {
    expect(imported).toMatchObject({
      read: 43367,
      loaded: 43367,
      rejected: 0,
      duplicates: 0,
      format: 'baskets',
    });
    const related = Object.fromEntries(
      (imported.related as { target: string; inserted: number }[]).map((r) => [r.target, r.inserted]),
    );
    expect(related).toEqual({ customers: 9835, products: 169, orders: 9835 });
  });

  it('gives 410 rules (3:29, 4:229, 5:140, 6:12) at 0.001 / 0.8, top {liquor, red/blush wine} ⇒ {bottled beer}', async () => {
    const r = await cli(['basket', 'rules', '--min-support', '0.001', '--min-confidence', '0.8']);
    expect(r.exitCode).toBe(0);
    const rules = r.json.rules as { lhs: string[]; rhs: string[]; lift: number; count: number }[];
    expect(r.json.count).toBe(410);
    expect(r.json.transactions).toBe(9835);
    expect(lengths(rules)).toEqual({ 3: 29, 4: 229, 5: 140, 6: 12 });
    expect(rules[0]).toMatchObject({ lhs: ['liquor', 'red/blush wine'], rhs: ['bottled beer'], count: 19 });
    expect(rules[0]!.lift).toBeCloseTo(11.23527, 5);
  });

  it('gives 5,668 rules (2:11, 3:1461, 4:3211, 5:939, 6:46) at 0.001 / 0.5 and 392 after redundancy pruning', async () => {
    const r = await cli(['basket', 'rules', '--min-support', '0.001', '--min-confidence', '0.5']);
    expect(r.json.count).toBe(5668);
    expect(lengths(r.json.rules as { lhs: string[]; rhs: string[] }[])).toEqual({
      2: 11,
      3: 1461,
      4: 3211,
      5: 939,
      6: 46,
    });
    const pruned = await cli([
      'basket',
      'rules',
      '--min-support',
      '0.001',
      '--min-confidence',
      '0.8',
      '--remove-redundant',
    ]);
    expect(pruned.json).toMatchObject({ count: 392, generated: 410, redundant: 18 });
  });

  it('finds 13,492 frequent itemsets at 0.001 (157/2981/6831/3137/376/10) and mlxtend’s 413 multi-rhs rules', async () => {
    const r = await cli(['basket', 'itemsets', '--min-support', '0.001']);
    expect(r.json.count).toBe(13492);
    expect(r.json.bySize).toEqual({ 1: 157, 2: 2981, 3: 6831, 4: 3137, 5: 376, 6: 10 });
    const multi = await cli([
      'basket',
      'rules',
      '--min-support',
      '0.001',
      '--min-confidence',
      '0.8',
      '--multi-rhs',
    ]);
    expect(multi.json.count).toBe(413);
  });
});
