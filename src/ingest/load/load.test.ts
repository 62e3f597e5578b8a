import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppError, InputError } from '../../errors.js';
import type { DuckDbEngine } from '../../store/index.js';
import { loadStaged } from './load.js';
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

type Cells = (string | null)[];

async function load(
  target: Parameters<typeof mappingFor>[0],
  header: string[],
  rows: Cells[],
  options: Parameters<typeof loadStaged>[3] = {},
  name: string = target,
) {
  const staged = await stageRows(engine, name, header, rows);
  try {
    return await loadStaged(engine, staged, mappingFor(target, staged), options);
  } finally {
    await staged.cleanup();
  }
}

async function rejects(loadId: number) {
  return engine.query<{
    line: number;
    column_name: string | null;
    raw_value: string | null;
    reason: string;
    kind: string;
  }>(
    `SELECT line, column_name, raw_value, reason, kind FROM rejects WHERE load_id = ${loadId} ORDER BY line, kind`,
  );
}

function reconciles(s: {
  read: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  inserted: number;
  updated: number;
  unchanged: number;
}) {
  expect(s.read).toBe(s.loaded + s.rejected + s.duplicates);
  expect(s.loaded).toBe(s.inserted + s.updated + s.unchanged);
}

const CUSTOMERS_HEADER = ['customer_id', 'first_name', 'email', 'gender', 'country', 'birth_date'];
const CUSTOMERS: Cells[] = [
  ['c1', 'Anna', 'Anna@Example.com ', 'vrouw', 'Nederland', '1980-04-01'],
  ['c2', 'Boris', 'boris@example.ru', 'мужской', 'Россия', '1975-12-31'],
  ['c3', 'Chloé', 'chloe@example.fr', 'Femme', 'Allemagne', '1990-01-15'],
  ['c4', 'Dieter', 'dieter@example.de', 'männlich', 'Deutschland', null],
  ['c5', 'Eve', 'eve@example.com', 'divers', 'United Kingdom', '2001-07-07'],
];

describe('loadStaged: customers', () => {
  it('normalises gender and country synonyms in five languages and e-mail case', async () => {
    const s = await load('customers', CUSTOMERS_HEADER, CUSTOMERS);
    expect(s).toMatchObject({ read: 5, loaded: 5, inserted: 5, rejected: 0, duplicates: 0 });
    const rows = await engine.query(
      'SELECT customer_id, email_norm, gender, country FROM customers ORDER BY 1',
    );
    expect(rows).toEqual([
      { customer_id: 'c1', email_norm: 'anna@example.com', gender: 'f', country: 'NL' },
      { customer_id: 'c2', email_norm: 'boris@example.ru', gender: 'm', country: 'RU' },
      { customer_id: 'c3', email_norm: 'chloe@example.fr', gender: 'f', country: 'DE' },
      { customer_id: 'c4', email_norm: 'dieter@example.de', gender: 'm', country: 'DE' },
      { customer_id: 'c5', email_norm: 'eve@example.com', gender: 'x', country: 'GB' },
    ]);
  });

  it('rejects bad rows with line, column, raw value, reason and the raw row; counts reconcile', async () => {
    const s = await load('customers', CUSTOMERS_HEADER, [
      ['c1', 'Anna', 'anna@example.com', 'f', 'NL', '1980-04-01'],
      ['c2', 'Bad mail', 'not-an-email', 'm', 'NL', null],
      ['c3', 'Bad gender', 'c3@example.com', 'banana', 'NL', null],
      ['c4', 'Bad country', 'c4@example.com', 'f', 'Atlantis', null],
      ['c5', 'Too old', 'c5@example.com', 'f', 'NL', '1850-01-01'],
      ['c6', 'Future', 'c6@example.com', 'f', 'NL', '2999-01-01'],
      ['c7', 'Bad date', 'c7@example.com', 'f', 'NL', '31/31/2020'],
      [null, 'No id', 'c8@example.com', 'f', 'NL', null],
    ]);
    reconciles(s);
    expect(s).toMatchObject({ read: 8, loaded: 1, rejected: 7, duplicates: 0 });
    const r = await rejects(s.loadId);
    expect(r.map((x) => [x.line, x.column_name, x.raw_value])).toEqual([
      [3, 'email', 'not-an-email'],
      [4, 'gender', 'banana'],
      [5, 'country', 'Atlantis'],
      [6, 'birth_date', '1850-01-01'],
      [7, 'birth_date', '2999-01-01'],
      [8, 'birth_date', '31/31/2020'],
      [9, 'customer_id', null],
    ]);
    expect(r[0]?.reason).toMatch(/e-mail address/);
    expect(r[1]?.reason).toMatch(/expected a gender/);
    expect(r[2]?.reason).toMatch(/expected a country/);
    expect(r[3]?.reason).toMatch(/between 1900-01-01 and today/);
    expect(r[5]?.reason).toMatch(/expected a date/);
    expect(r[6]?.reason).toMatch(/value is required/);
    expect(r.every((x) => x.kind === 'rejected')).toBe(true);
    const [raw] = await engine.query<{ raw_row: string }>(`SELECT raw_row FROM rejects WHERE line = 3`);
    expect(JSON.parse(raw?.raw_row ?? '{}')).toMatchObject({ customer_id: 'c2', email: 'not-an-email' });
    const [loadRow] = await engine.query(
      `SELECT status, read, loaded, rejected, duplicates FROM loads WHERE load_id = ${s.loadId}`,
    );
    expect(loadRow).toEqual({ status: 'loaded', read: 8, loaded: 1, rejected: 7, duplicates: 0 });
  });

  it('lists every problem of a row in its reason', async () => {
    const s = await load('customers', CUSTOMERS_HEADER, [
      ['c1', 'X', 'bad', 'banana', 'Atlantis', '1800-01-01'],
    ]);
    const [r] = await rejects(s.loadId);
    expect(r?.reason.split('; ')).toHaveLength(4);
  });

  it('keeps the last occurrence of a repeated key and records the others as duplicates', async () => {
    const s = await load('customers', CUSTOMERS_HEADER, [
      ['c1', 'First', 'a@example.com', 'f', 'NL', null],
      ['c2', 'Other', 'b@example.com', 'm', 'NL', null],
      ['c1', 'Last', 'a@example.com', 'f', 'NL', null],
    ]);
    reconciles(s);
    expect(s).toMatchObject({ read: 3, loaded: 2, duplicates: 1, rejected: 0 });
    expect(await engine.query(`SELECT first_name FROM customers WHERE customer_id = 'c1'`)).toEqual([
      { first_name: 'Last' },
    ]);
    const r = await rejects(s.loadId);
    expect(r).toEqual([
      {
        line: 2,
        column_name: 'customer_id',
        raw_value: 'c1',
        reason: expect.stringMatching(/same key as line 4/),
        kind: 'duplicate',
      },
    ]);
  });

  it('re-importing the same rows changes nothing; a newer export updates only changed rows', async () => {
    const first = await load('customers', CUSTOMERS_HEADER, CUSTOMERS);
    const before = await snapshot(engine);
    const again = await load('customers', CUSTOMERS_HEADER, CUSTOMERS);
    expect(again).toMatchObject({ read: 5, loaded: 5, inserted: 0, updated: 0, unchanged: 5 });
    const after = await snapshot(engine);
    const strip = (s: Record<string, unknown[]>) => ({ ...s, loads: [], rejects: [] });
    expect(strip(after)).toEqual(strip(before));
    const changed = CUSTOMERS.map((r) => [...r]);
    changed[1]![1] = 'Borislav';
    changed.push(['c6', 'Fay', 'fay@example.com', 'f', 'FR', null]);
    const newer = await load('customers', CUSTOMERS_HEADER, changed);
    expect(newer).toMatchObject({ read: 6, loaded: 6, inserted: 1, updated: 1, unchanged: 4 });
    reconciles(newer);
    const rows = await engine.query(`SELECT customer_id, first_name, load_id FROM customers ORDER BY 1`);
    expect(rows.find((r) => r.customer_id === 'c2')).toEqual({
      customer_id: 'c2',
      first_name: 'Borislav',
      load_id: newer.loadId,
    });
    expect(rows.find((r) => r.customer_id === 'c1')).toEqual({
      customer_id: 'c1',
      first_name: 'Anna',
      load_id: first.loadId,
    });
  });

  it('fails with a clear error when a required column is missing', async () => {
    const staged = await stageRows(engine, 'nocol', ['name', 'email'], [['x', 'x@example.com']]);
    const error = await loadStaged(engine, staged, mappingFor('customers', staged)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/"name", which is not a field of customers/);
    expect((error as Error).message).toMatch(/expected a column for customers.customer_id/);
  });
});

const LINES_HEADER = [
  'order_id',
  'customer_id',
  'order_date',
  'channel',
  'promo_code',
  'sku',
  'quantity',
  'unit_price',
  'discount',
];

async function seedCustomers() {
  await load('customers', CUSTOMERS_HEADER, CUSTOMERS);
}

describe('loadStaged: flat order lines', () => {
  it('loads distinct orders and their lines in one load, numbering lines per order', async () => {
    await seedCustomers();
    const s = await load('order_lines', LINES_HEADER, [
      ['o1', 'c1', '2024-03-01', 'webshop', 'SPRING', 'A', '2', '9.99', '0'],
      ['o1', 'c1', '2024-03-01', 'webshop', 'SPRING', 'B', '1', '5', null],
      ['o2', 'c2', '2024-03-02', 'winkel', null, 'A', '1', '9.99', '1'],
    ]);
    reconciles(s);
    expect(s).toMatchObject({ read: 3, loaded: 3, inserted: 3, rejected: 0 });
    expect(s.related).toEqual([{ target: 'orders', inserted: 2, updated: 0, unchanged: 0 }]);
    expect(
      await engine.query(
        `SELECT order_id, customer_id, order_date, channel, promo_code, status FROM orders ORDER BY 1`,
      ),
    ).toEqual([
      {
        order_id: 'o1',
        customer_id: 'c1',
        order_date: '2024-03-01',
        channel: 'web',
        promo_code: 'SPRING',
        status: 'completed',
      },
      {
        order_id: 'o2',
        customer_id: 'c2',
        order_date: '2024-03-02',
        channel: 'store',
        promo_code: null,
        status: 'completed',
      },
    ]);
    expect(
      await engine.query(
        `SELECT order_id, line_no, sku, quantity, unit_price, discount FROM order_lines ORDER BY 1, 2`,
      ),
    ).toEqual([
      { order_id: 'o1', line_no: 1, sku: 'A', quantity: 2, unit_price: 9.99, discount: 0 },
      { order_id: 'o1', line_no: 2, sku: 'B', quantity: 1, unit_price: 5, discount: 0 },
      { order_id: 'o2', line_no: 1, sku: 'A', quantity: 1, unit_price: 9.99, discount: 1 },
    ]);
  });

  it('rejects unknown customers, quantities ≤ 0 and negative prices, and keeps the whole order out', async () => {
    await seedCustomers();
    const s = await load('order_lines', LINES_HEADER, [
      ['o1', 'c1', '2024-03-01', 'web', null, 'A', '1', '10', null],
      ['o2', 'nobody', '2024-03-01', 'web', null, 'A', '1', '10', null],
      ['o3', 'c2', '2024-03-01', 'web', null, 'A', '0', '10', null],
      ['o3', 'c2', '2024-03-01', 'web', null, 'B', '1', '10', null],
      ['o4', 'c3', '2024-03-01', 'web', null, 'A', '1', '-3', null],
      ['o5', 'c3', 'yesterday', 'web', null, 'A', '1', '3', null],
    ]);
    reconciles(s);
    expect(s).toMatchObject({ read: 6, loaded: 1, rejected: 5 });
    const r = await rejects(s.loadId);
    expect(r.map((x) => [x.line, x.column_name])).toEqual([
      [3, 'customer_id'],
      [4, 'quantity'],
      [5, null],
      [6, 'unit_price'],
      [7, 'order_date'],
    ]);
    expect(r[0]?.reason).toMatch(/known customer/);
    expect(r[1]?.reason).toMatch(/a quantity other than 0/);
    expect(r[2]?.reason).toMatch(/another line of order "o3" was rejected \(line 4\)/);
    expect(r[3]?.reason).toMatch(/price ≥ 0/);
    expect(await engine.query(`SELECT order_id FROM orders`)).toEqual([{ order_id: 'o1' }]);
  });

  it('accepts negative prices with allowNegative', async () => {
    await seedCustomers();
    const s = await load(
      'order_lines',
      LINES_HEADER,
      [['o9', 'c1', '2024-03-01', 'web', null, 'A', '1', '-3', null]],
      {
        allowNegative: true,
      },
    );
    expect(s).toMatchObject({ loaded: 1, rejected: 0 });
  });

  it('is idempotent and incremental for orders and lines', async () => {
    await seedCustomers();
    const rows: Cells[] = [
      ['o1', 'c1', '2024-03-01', 'web', null, 'A', '2', '9.99', null],
      ['o1', 'c1', '2024-03-01', 'web', null, 'B', '1', '5', null],
    ];
    await load('order_lines', LINES_HEADER, rows);
    const again = await load('order_lines', LINES_HEADER, rows);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(again.related).toEqual([{ target: 'orders', inserted: 0, updated: 0, unchanged: 1 }]);
    const newer = await load('order_lines', LINES_HEADER, [
      ['o1', 'c1', '2024-03-01', 'store', null, 'A', '3', '9.99', null],
      ['o1', 'c1', '2024-03-01', 'store', null, 'B', '1', '5', null],
    ]);
    expect(newer).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(newer.related).toEqual([{ target: 'orders', inserted: 0, updated: 1, unchanged: 0 }]);
    expect(await engine.query(`SELECT channel FROM orders`)).toEqual([{ channel: 'store' }]);
  });

  it('order lines without order columns must reference known orders', async () => {
    await seedCustomers();
    await load('orders', ['order_id', 'customer_id', 'order_date'], [['o1', 'c1', '2024-01-01']]);
    const s = await load(
      'order_lines',
      ['order_id', 'line_no', 'sku', 'quantity', 'unit_price'],
      [
        ['o1', '1', 'A', '1', '2'],
        ['o2', '1', 'A', '1', '2'],
        ['o1', '0', 'A', '1', '2'],
      ],
    );
    reconciles(s);
    const r = await rejects(s.loadId);
    expect(r.map((x) => [x.line, x.column_name])).toEqual([
      [3, 'order_id'],
      [4, 'line_no'],
    ]);
    expect(r[0]?.reason).toMatch(/known order/);
  });
});

describe('loadStaged: other tables', () => {
  it('campaign events: event-type synonyms, campaign and customer references', async () => {
    await seedCustomers();
    await load(
      'campaigns',
      ['campaign_id', 'name', 'channel', 'keywords', 'cost'],
      [
        ['k1', 'Spring', 'E-mail', 'garden|spring', '100'],
        ['k2', 'Bad', 'E-mail', null, '-5'],
      ],
    );
    expect(await engine.query(`SELECT campaign_id, channel, keywords FROM campaigns`)).toEqual([
      { campaign_id: 'k1', channel: 'email', keywords: ['garden', 'spring'] },
    ]);
    const s = await load(
      'campaign_events',
      ['campaign_id', 'customer_id', 'event_type', 'event_time'],
      [
        ['k1', 'c1', 'geopend', '2024-03-01 10:00:00'],
        ['k1', 'c2', 'Clicked', '2024-03-01 10:05:00'],
        ['k1', 'c3', 'Kontrollgruppe', '2024-03-01 00:00:00'],
        ['k1', 'c4', 'отписка', '2024-03-02 00:00:00'],
        ['k9', 'c1', 'open', '2024-03-01 10:00:00'],
        ['k1', 'zz', 'open', '2024-03-01 10:00:00'],
        ['k1', 'c1', 'waved', '2024-03-01 10:00:00'],
        ['k1', 'c1', 'open', '2024-03-01 10:00:00'],
      ],
    );
    reconciles(s);
    expect(s).toMatchObject({ read: 8, loaded: 4, rejected: 3, duplicates: 1 });
    expect(await engine.query(`SELECT customer_id, event_type FROM campaign_events ORDER BY 1`)).toEqual([
      { customer_id: 'c1', event_type: 'open' },
      { customer_id: 'c2', event_type: 'click' },
      { customer_id: 'c3', event_type: 'holdout' },
      { customer_id: 'c4', event_type: 'unsubscribe' },
    ]);
    const r = await rejects(s.loadId);
    expect(r.filter((x) => x.kind === 'rejected').map((x) => x.column_name)).toEqual([
      'campaign_id',
      'customer_id',
      'event_type',
    ]);
  });

  it('ranges: satisfaction, ratings, coordinates, shares; kinds and languages', async () => {
    await seedCustomers();
    const sc = await load(
      'service_contacts',
      ['contact_id', 'customer_id', 'contact_time', 'channel', 'satisfaction', 'duration_minutes'],
      [
        ['s1', 'c1', '2024-01-01 09:00:00', 'Telefon', '8', '5'],
        ['s2', 'c1', '2024-01-01 09:00:00', 'chat', '11', '5'],
        ['s3', 'c1', '2024-01-01 09:00:00', 'chat', '5', '-1'],
      ],
    );
    expect(sc).toMatchObject({ loaded: 1, rejected: 2 });
    expect(await engine.query(`SELECT channel FROM service_contacts`)).toEqual([{ channel: 'phone' }]);
    const tx = await load(
      'customer_texts',
      ['text_id', 'customer_id', 'kind', 'language', 'rating', 'body'],
      [
        ['t1', 'c1', 'Bewertung', 'DE', '4', 'Gut'],
        ['t2', 'c1', 'review', 'en', '7', 'Great'],
        ['t3', null, 'avis', 'fr', null, 'Bien'],
        ['t4', 'c1', 'review', 'en', '3', null],
      ],
    );
    expect(tx).toMatchObject({ loaded: 2, rejected: 2 });
    expect(await engine.query(`SELECT text_id, kind, language FROM customer_texts ORDER BY 1`)).toEqual([
      { text_id: 't1', kind: 'review', language: 'de' },
      { text_id: 't3', kind: 'review', language: 'fr' },
    ]);
    const area = await load(
      'area_data',
      ['country', 'postcode', 'latitude', 'urban_share'],
      [
        ['Nederland', '1012 ab', '52.37', '0.9'],
        ['NL', '1013AB', '95', '0.5'],
        ['NL', '1014AB', '52', '1.5'],
      ],
    );
    expect(area).toMatchObject({ loaded: 1, rejected: 2 });
    expect(await engine.query(`SELECT country, postcode FROM area_data`)).toEqual([
      { country: 'NL', postcode: '1012AB' },
    ]);
    const p = await load(
      'products',
      ['sku', 'name', 'price', 'unit_cost', 'currency'],
      [
        ['A', 'Apple', '1.5', '0.5', '€'],
        ['B', 'Bad', '-1', '0.5', 'EUR'],
        ['C', 'Bad currency', '1', '0.5', 'euros'],
      ],
    );
    expect(p).toMatchObject({ loaded: 1, rejected: 2 });
    expect(await engine.query(`SELECT sku, currency FROM products`)).toEqual([{ sku: 'A', currency: 'EUR' }]);
  });

  it('parses European numbers and dates through the mapping parse options', async () => {
    await seedCustomers();
    const staged = await stageRows(
      engine,
      'eu',
      ['order_id', 'customer_id', 'order_date', 'sku', 'unit_price'],
      [['o1', 'c1', '31/12/2023', 'A', '1.234,50']],
    );
    const mapping = mappingFor('order_lines', staged);
    for (const c of mapping.columns) {
      if (c.field === 'order_date') c.parse = { type: 'date', dateFormat: '%d/%m/%Y' };
      if (c.field === 'unit_price') c.parse = { type: 'number', decimal: ',', thousands: '.' };
    }
    await loadStaged(engine, staged, mapping);
    expect(
      await engine.query(
        `SELECT o.order_date, l.unit_price FROM orders o JOIN order_lines l USING (order_id)`,
      ),
    ).toEqual([{ order_date: '2023-12-31', unit_price: 1234.5 }]);
  });
});

describe('loadStaged: failures leave the datamart as it was', () => {
  it('--max-reject-rate: rolls back, lists top reasons with lines, writes the rejects CSV', async () => {
    await seedCustomers();
    const before = await snapshot(engine);
    const out = joinPath(db.dir, 'rejects.csv');
    const error = await load(
      'order_lines',
      LINES_HEADER,
      [
        ['o1', 'c1', '2024-03-01', 'web', null, 'A', '1', '10', null],
        ['o2', 'nobody', '2024-03-01', 'web', null, 'A', '1', '10', null],
        ['o3', 'nobody', '2024-03-01', 'web', null, 'A', '1', '10', null],
        ['o4', 'c1', '2024-03-01', 'web', null, 'A', 'x', '10', null],
      ],
      { maxRejectRate: 0.5, rejectsOut: out },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as AppError).code).toBe('REJECT_RATE_EXCEEDED');
    expect((error as Error).message).toMatch(/3 of 4 rows rejected/);
    expect((error as Error).message).toMatch(/known customer.*2 rows \(lines 3, 4\)/);
    expect((error as Error).message).toMatch(/nothing was loaded/);
    expect(await snapshot(engine)).toEqual(before);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line,kind,column_name,raw_value,reason,raw_row');
    expect(csv).toHaveLength(4);
  });

  for (const step of ['start', 'convert', 'rejects', 'upsert-orders', 'upsert', 'finish']) {
    it(`a failure after step "${step}" rolls everything back`, async () => {
      await seedCustomers();
      await load('order_lines', LINES_HEADER, [
        ['o0', 'c1', '2024-03-01', 'web', null, 'A', '1', '10', null],
      ]);
      const before = await snapshot(engine);
      const error = await load(
        'order_lines',
        LINES_HEADER,
        [
          ['o0', 'c1', '2024-03-01', 'store', null, 'A', '2', '10', null],
          ['o1', 'c1', '2024-03-01', 'web', null, 'A', '1', '10', null],
          ['o2', 'nobody', '2024-03-01', 'web', null, 'A', '1', '10', null],
        ],
        {
          afterStep: (s) => {
            if (s === step) throw new Error(`forced failure after ${s}`);
          },
        },
      ).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`forced failure after ${step}`);
      expect(await snapshot(engine)).toEqual(before);
      const temp = await engine.query(
        `SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, '_load_')`,
      );
      expect(temp).toEqual([]);
    });
  }
});
