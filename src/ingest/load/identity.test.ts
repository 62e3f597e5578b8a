import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../store/index.js';
import { loadStaged } from './load.js';
import { mergeReport } from './merge-report.js';
import { mappingFor, stageRows } from './test-staging.js';
import { snapshot, tempDatamart } from './test-support.js';

let db: Awaited<ReturnType<typeof tempDatamart>>;
let engine: DuckDbEngine;
beforeEach(async () => {
  db = await tempDatamart();
  engine = db.engine;
});
afterEach(async () => {
  await db.dispose();
});

async function load(
  target: Parameters<typeof mappingFor>[0],
  header: string[],
  rows: (string | null)[][],
  options: Parameters<typeof loadStaged>[3] = {},
) {
  const staged = await stageRows(engine, `${target}_${options.source ?? 'x'}`, header, rows);
  try {
    return await loadStaged(engine, staged, mappingFor(target, staged), options);
  } finally {
    await staged.cleanup();
  }
}

const H = ['customer_id', 'first_name', 'email', 'phone', 'city', 'updated_at'];

describe('identity resolution', () => {
  it('merges a person known from another source by e-mail or phone instead of duplicating', async () => {
    await load(
      'customers',
      H,
      [
        ['crm-1', 'Anna', 'anna@example.com', '+31 6 12345678', 'Utrecht', '2024-01-01 00:00:00'],
        ['crm-2', 'Bert', 'bert@example.com', null, 'Delft', '2024-01-01 00:00:00'],
      ],
      { source: 'crm', defaultCountry: 'NL' },
    );
    const shop = await load(
      'customers',
      H,
      [
        ['9001', 'Anna', ' ANNA@example.com', null, null, null],
        ['9002', 'Bertje', null, '06-12345678', null, null],
        ['9003', 'Carla', 'carla@example.com', null, 'Gouda', null],
      ],
      { source: 'shop', defaultCountry: 'NL' },
    );
    expect(shop).toMatchObject({ read: 3, loaded: 3, inserted: 1, merges: 2 });
    expect(
      await engine.query(`SELECT customer_id, first_name, phone_e164 FROM customers ORDER BY 1`),
    ).toEqual([
      { customer_id: '9003', first_name: 'Carla', phone_e164: null },
      { customer_id: 'crm-1', first_name: 'Bertje', phone_e164: '+31612345678' },
      { customer_id: 'crm-2', first_name: 'Bert', phone_e164: null },
    ]);
    expect(
      await engine.query(
        `SELECT id_source, source_id, customer_id, matched_by FROM customer_identities ORDER BY 1, 2`,
      ),
    ).toEqual([
      { id_source: 'crm', source_id: 'crm-1', customer_id: 'crm-1', matched_by: 'new' },
      { id_source: 'crm', source_id: 'crm-2', customer_id: 'crm-2', matched_by: 'new' },
      { id_source: 'shop', source_id: '9001', customer_id: 'crm-1', matched_by: 'email' },
      { id_source: 'shop', source_id: '9002', customer_id: 'crm-1', matched_by: 'phone' },
      { id_source: 'shop', source_id: '9003', customer_id: '9003', matched_by: 'new' },
    ]);
    const report = await mergeReport(engine, { loadId: shop.loadId });
    expect(report.merges.map((m) => [m.sourceId, m.customerId, m.matchedBy])).toEqual([
      ['9001', 'crm-1', 'email'],
      ['9002', 'crm-1', 'phone'],
    ]);
    // 9002 carried "Bertje", but crm-1 was Anna: a conflict on first_name, settled by the rule (no dates on
    // the shop rows, so the later load wins) and recorded, never silently overwritten.
    expect(report.conflicts).toEqual([
      expect.objectContaining({
        customerId: 'crm-1',
        field: 'first_name',
        keptValue: 'Bertje',
        otherValue: 'Anna',
        rule: 'newest',
      }),
      expect.objectContaining({
        customerId: 'crm-1',
        field: 'first_name',
        keptValue: 'Bertje',
        otherValue: 'Anna',
        rule: 'newest (same load)',
      }),
    ]);
    expect(shop.conflicts).toBe(2);
  });

  it('orders from a source reference that source’s customer ids, resolved through customer_identities', async () => {
    await load('customers', H, [['crm-1', 'Anna', 'anna@example.com', null, null, null]], { source: 'crm' });
    await load('customers', H, [['777', 'Anna', 'anna@example.com', null, null, null]], { source: 'shop' });
    const s = await load(
      'order_lines',
      ['order_id', 'customer_id', 'order_date', 'sku', 'unit_price'],
      [
        ['S1', '777', '2024-05-01', 'A', '10'],
        ['S2', 'crm-1', '2024-05-01', 'A', '10'],
        ['S3', '778', '2024-05-01', 'A', '10'],
      ],
      { source: 'shop' },
    );
    expect(s).toMatchObject({ loaded: 2, rejected: 1 });
    expect(await engine.query(`SELECT order_id, customer_id, source FROM orders ORDER BY 1`)).toEqual([
      { order_id: 'S1', customer_id: 'crm-1', source: 'shop' },
      { order_id: 'S2', customer_id: 'crm-1', source: 'shop' },
    ]);
  });

  it('orders of another source reach a merged customer through any of its source ids', async () => {
    await load('customers', H, [['crm-1', 'Anna', 'anna@example.com', null, null, null]], { source: 'crm' });
    await load('customers', H, [['777', 'Anna', 'anna@example.com', null, null, null]], { source: 'shop' });
    // The same id naming different customers in two sources is ambiguous: never guessed.
    await load('customers', H, [['55', 'Bert', 'bert@example.com', null, null, null]], { source: 'crm' });
    await load('customers', H, [['55', 'Carla', 'carla@example.com', null, null, null]], { source: 'shop' });
    const s = await load(
      'order_lines',
      ['order_id', 'customer_id', 'order_date', 'sku', 'unit_price'],
      [
        ['W1', '777', '2024-05-01', 'A', '10'],
        ['W2', 'crm-1', '2024-05-02', 'A', '10'],
        ['W3', 'shop:55', '2024-05-03', 'A', '10'],
        ['W4', '778', '2024-05-04', 'A', '10'],
      ],
      { source: 'web' },
    );
    expect(s).toMatchObject({ read: 4, loaded: 3, rejected: 1 });
    expect(await engine.query(`SELECT order_id, customer_id FROM orders ORDER BY 1`)).toEqual([
      { order_id: 'W1', customer_id: 'crm-1' },
      { order_id: 'W2', customer_id: 'crm-1' },
      { order_id: 'W3', customer_id: 'shop:55' },
    ]);
    const [reject] = await engine.query<{ line: number; raw_value: string; reason: string }>(
      `SELECT line, raw_value, reason FROM rejects WHERE load_id = ${s.loadId}`,
    );
    expect(reject).toMatchObject({ line: 5, raw_value: '778' });
    expect(reject?.reason).toContain('a known customer');
    // '55' is the canonical id of crm's Bert, so it names him; the crm source's orders see their own ids.
    const crm = await load(
      'order_lines',
      ['order_id', 'customer_id', 'order_date', 'sku', 'unit_price'],
      [['C1', '777', '2024-06-01', 'A', '10']],
      { source: 'crm' },
    );
    expect(crm).toMatchObject({ loaded: 1, rejected: 0 });
    expect(await engine.query(`SELECT customer_id FROM orders WHERE order_id = 'C1'`)).toEqual([
      { customer_id: 'crm-1' },
    ]);
  });

  it('newest rule: the row with the later updated_at wins each conflicting field', async () => {
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, 'Utrecht', '2024-06-01 00:00:00']], {
      source: 'crm',
    });
    const older = await load(
      'customers',
      H,
      [['s1', 'Anne', 'anna@example.com', null, 'Delft', '2024-01-01 00:00:00']],
      { source: 'shop' },
    );
    expect(older).toMatchObject({ merges: 1, conflicts: 2, updated: 0, unchanged: 1 });
    expect(await engine.query(`SELECT first_name, city FROM customers`)).toEqual([
      { first_name: 'Anna', city: 'Utrecht' },
    ]);
    const newer = await load(
      'customers',
      H,
      [['s1', 'Anne', 'anna@example.com', null, 'Delft', '2024-09-01 00:00:00']],
      { source: 'shop' },
    );
    expect(newer).toMatchObject({ merges: 0, conflicts: 2, updated: 1 });
    expect(await engine.query(`SELECT first_name, city, updated_at FROM customers`)).toEqual([
      { first_name: 'Anne', city: 'Delft', updated_at: '2024-09-01T00:00:00.000Z' },
    ]);
    const report = await mergeReport(engine);
    expect(
      report.conflicts.filter((c) => c.field === 'city').map((c) => [c.keptValue, c.otherValue]),
    ).toEqual([
      ['Utrecht', 'Delft'],
      ['Delft', 'Utrecht'],
    ]);
  });

  it('source-priority rule: the higher-priority source keeps its values whatever the dates', async () => {
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, 'Utrecht', '2020-01-01 00:00:00']], {
      source: 'crm',
    });
    const s = await load(
      'customers',
      H,
      [['s1', 'Anne', 'anna@example.com', null, 'Delft', '2024-01-01 00:00:00']],
      {
        source: 'shop',
        conflict: 'source-priority',
        sourcePriority: ['crm', 'shop'],
      },
    );
    expect(s).toMatchObject({ merges: 1, conflicts: 2, conflictRule: 'source-priority' });
    expect(await engine.query(`SELECT first_name, city FROM customers`)).toEqual([
      { first_name: 'Anna', city: 'Utrecht' },
    ]);
    const shopFirst = await load(
      'customers',
      H,
      [['s1', 'Anne', 'anna@example.com', null, 'Delft', '2019-01-01 00:00:00']],
      {
        source: 'shop',
        conflict: 'source-priority',
        sourcePriority: ['shop', 'crm'],
      },
    );
    expect(shopFirst).toMatchObject({ updated: 1 });
    expect(await engine.query(`SELECT first_name, city FROM customers`)).toEqual([
      { first_name: 'Anne', city: 'Delft' },
    ]);
  });

  it('source-priority: a source updates a value it supplied itself, though a higher source made the customer', async () => {
    const rule = { conflict: 'source-priority', sourcePriority: ['crm', 'shop'] } as const;
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, null, null]], {
      source: 'crm',
      ...rule,
    });
    // The shop fills the city the CRM lacks: the city is now the shop's value.
    const first = await load('customers', H, [['s1', 'Anna', 'anna@example.com', null, 'Delft', null]], {
      source: 'shop',
      ...rule,
    });
    expect(first).toMatchObject({ merges: 1, conflicts: 0, updated: 1 });
    // A later shop export with another city: the shop's own earlier value gives way (no conflict); its
    // other first name still loses to the CRM's (a conflict, the CRM's value kept).
    const again = await load('customers', H, [['s1', 'Anne', 'anna@example.com', null, 'Leiden', null]], {
      source: 'shop',
      ...rule,
    });
    expect(again).toMatchObject({ updated: 1, conflicts: 1 });
    expect(await engine.query('SELECT first_name, city FROM customers')).toEqual([
      { first_name: 'Anna', city: 'Leiden' },
    ]);
    // The CRM may overwrite the shop's city (it ranks first) and then owns it again.
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, 'Gouda', null]], {
      source: 'crm',
      ...rule,
    });
    const blocked = await load('customers', H, [['s1', 'Anna', 'anna@example.com', null, 'Breda', null]], {
      source: 'shop',
      ...rule,
    });
    expect(blocked).toMatchObject({ conflicts: 1, unchanged: 1 });
    expect(await engine.query('SELECT city FROM customers')).toEqual([{ city: 'Gouda' }]);
  });

  it('empty values never erase, and fill gaps without a conflict', async () => {
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, null, null]], { source: 'crm' });
    const s = await load('customers', H, [['s1', null, 'anna@example.com', null, 'Delft', null]], {
      source: 'shop',
    });
    expect(s).toMatchObject({ conflicts: 0, updated: 1 });
    expect(await engine.query(`SELECT first_name, city FROM customers`)).toEqual([
      { first_name: 'Anna', city: 'Delft' },
    ]);
  });

  it('rows of one load that share an e-mail become one customer', async () => {
    const s = await load(
      'customers',
      H,
      [
        ['a', 'Anna', 'anna@example.com', null, null, null],
        ['b', 'Anna', 'ANNA@example.com', null, 'Delft', null],
      ],
      { source: 'crm' },
    );
    expect(s).toMatchObject({ read: 2, loaded: 2, inserted: 1, updated: 1, merges: 1 });
    expect(await engine.query(`SELECT customer_id, city FROM customers`)).toEqual([
      { customer_id: 'a', city: 'Delft' },
    ]);
    const again = await load(
      'customers',
      H,
      [
        ['a', 'Anna', 'anna@example.com', null, null, null],
        ['b', 'Anna', 'ANNA@example.com', null, 'Delft', null],
      ],
      { source: 'crm' },
    );
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, merges: 0 });
  });

  it('an id already used by another source gets a prefixed canonical id', async () => {
    await load('customers', H, [['42', 'Anna', 'anna@example.com', null, null, null]], { source: 'crm' });
    await load('customers', H, [['42', 'Zoe', 'zoe@example.com', null, null, null]], { source: 'shop' });
    expect(await engine.query(`SELECT customer_id, first_name FROM customers ORDER BY 1`)).toEqual([
      { customer_id: '42', first_name: 'Anna' },
      { customer_id: 'shop:42', first_name: 'Zoe' },
    ]);
  });

  it('re-importing a merged source changes nothing', async () => {
    await load('customers', H, [['c1', 'Anna', 'anna@example.com', null, 'Utrecht', null]], {
      source: 'crm',
    });
    await load('customers', H, [['s1', 'Anne', 'anna@example.com', null, 'Delft', null]], { source: 'shop' });
    const before = await snapshot(engine);
    const again = await load('customers', H, [['s1', 'Anne', 'anna@example.com', null, 'Delft', null]], {
      source: 'shop',
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, merges: 0 });
    const after = await snapshot(engine);
    for (const t of ['customers', 'customer_identities', 'identity_merges'])
      expect(after[t]).toEqual(before[t]);
  });
});
