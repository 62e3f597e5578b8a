import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlDatabase, execMySql } from '../../../test/support/databases.js';
import { DuckDbEngine } from '../../store/index.js';
import { MAGENTO_TARGETS, type MagentoTarget, stageMagento } from './magento.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'magento');

let engine: DuckDbEngine;
let url: string;
let prefixedUrl: string;

/** Loads the Magento schema subset and the seed shop, optionally with a table prefix. */
async function seedShop(dbUrl: string, prefix = ''): Promise<void> {
  const withPrefix = (text: string) =>
    prefix
      ? text.replace(
          /\b(eav_entity_type|eav_attribute|customer_entity|customer_address_entity|catalog_product_entity(?:_varchar|_decimal)?|sales_order(?:_item)?)\b(?=[\s(,])/g,
          `${prefix}$1`,
        )
      : text;
  await execMySql(dbUrl, [
    `SET time_zone = '+00:00'`,
    withPrefix(readFileSync(join(FIXTURES, 'schema.sql'), 'utf8')),
    withPrefix(readFileSync(join(FIXTURES, 'seed.sql'), 'utf8')),
  ]);
}

beforeAll(async () => {
  url = await createMySqlDatabase('magento');
  prefixedUrl = await createMySqlDatabase('magento_prefixed');
  await seedShop(url);
  await seedShop(prefixedUrl, 'mg_');
  engine = await DuckDbEngine.open();
});

afterAll(async () => {
  await engine?.close();
});

async function stagedRows(target: MagentoTarget, dbUrl = url, tablePrefix?: string) {
  const { staged, mapping } = await stageMagento(engine, { url: dbUrl }, target, { tablePrefix });
  try {
    const select = staged.columns.map((c) => `${c.staged} AS "${c.name}"`).join(', ');
    const rows = await engine.query(`SELECT ${select} FROM ${staged.table} ORDER BY _line`);
    return { staged, mapping, rows };
  } finally {
    await staged.cleanup();
  }
}

describe('Magento 2 preset', () => {
  it('reads registered customers with their billing address, and one guest customer per guest e-mail', async () => {
    const { staged, mapping, rows } = await stagedRows('customers');
    expect(staged.source).toBe('magento:customer_entity');
    expect(mapping.target).toBe('customers');
    expect(mapping.reasons.email).toBe('preset magento');
    const types = Object.fromEntries(staged.columns.map((c) => [c.name, c.declared?.type]));
    expect(types).toMatchObject({ birth_date: 'date', created_at: 'timestamp', customer_id: 'string' });
    expect(rows.map((r) => [r.customer_id, r.email, r.gender, r.city, r.country])).toEqual([
      ['1', 'anna@example.nl', 'female', 'Amsterdam', 'NL'],
      ['2', 'joerg.mueller@example.de', 'male', 'Berlin', 'DE'],
      ['3', 'Elodie.Martin@Example.FR', null, null, null],
      ['4', 'sam@example.com', null, null, null],
      ['guest:guest.buyer@example.com', 'guest.buyer@example.com', null, null, null],
    ]);
    expect(rows[1]).toMatchObject({
      first_name: 'Jörg',
      street: 'Invalidenstraße 10, Hinterhaus',
      postcode: '10115',
      phone: '030 1234567',
    });
    expect(rows[0]).toMatchObject({ birth_date: '1985-04-12', created_at: '2023-01-15 10:00:00.000000' });
    // The guest's first order and last update.
    expect(rows[4]).toMatchObject({
      first_name: 'Gus',
      created_at: '2024-03-05 08:00:00.000000',
      updated_at: '2024-05-02 10:00:00.000000',
    });
  });

  it('reads product name, price and cost from the EAV tables at the admin store', async () => {
    const { rows } = await stagedRows('products');
    expect(rows).toEqual([
      {
        sku: 'WS12',
        name: 'Radiant Tee',
        price: '22.000000',
        unit_cost: '8.500000',
        created_at: '2022-11-01 09:00:00.000000',
      },
      {
        sku: 'MH01',
        name: 'Chaz Kangeroo Hoodie',
        price: '52.000000',
        unit_cost: null,
        created_at: '2022-11-02 09:00:00.000000',
      },
      {
        sku: 'MH01-M-Black',
        name: 'Chaz Kangeroo Hoodie-M-Black',
        price: '52.000000',
        unit_cost: '20.000000',
        created_at: '2022-11-02 09:00:00.000000',
      },
      {
        sku: 'MH01-L-Black',
        name: 'Chaz Kangeroo Hoodie-L-Black',
        price: '52.000000',
        unit_cost: '20.000000',
        created_at: '2022-11-02 09:00:00.000000',
      },
      {
        sku: '24-MB01',
        name: 'Joust Duffle Bag',
        price: '34.000000',
        unit_cost: '12.000000',
        created_at: '2022-10-15 09:00:00.000000',
      },
    ]);
  });

  it('reads orders with positive discounts, canonical statuses and guests resolved by e-mail', async () => {
    const { staged, rows } = await stagedRows('orders');
    const types = Object.fromEntries(staged.columns.map((c) => [c.name, c.declared?.type]));
    expect(types).toMatchObject({
      order_date: 'date',
      order_time: 'timestamp',
      discount: 'number',
      total: 'number',
    });
    expect(
      rows.map((r) => [r.order_id, r.customer_id, r.order_date, r.promo_code, r.discount, r.status]),
    ).toEqual([
      ['000000001', '1', '2024-01-10', null, '0.0000', 'completed'],
      ['000000002', '1', '2024-02-14', 'VALENTINE10', '6.8000', 'completed'],
      ['000000003', '2', '2024-03-01', null, '0.0000', 'returned'],
      ['000000004', 'guest:guest.buyer@example.com', '2024-03-05', null, '0.0000', 'pending'],
      // A guest checkout with a registered customer's e-mail (other case) belongs to that customer.
      ['000000005', '2', '2024-04-01', null, '0.0000', 'completed'],
      ['000000006', '3', '2024-04-02', null, '0.0000', 'cancelled'],
      ['000000007', 'guest:guest.buyer@example.com', '2024-05-01', null, '0.0000', 'completed'],
    ]);
    expect(rows[0]).toMatchObject({ channel: 'web', shipping: '5.0000', total: '79.0000', currency: 'EUR' });
  });

  it('reads order lines once per product: configurable children are not counted twice', async () => {
    const { rows, staged } = await stagedRows('order_lines');
    expect(staged.columns.find((c) => c.name === 'line_no')?.declared?.type).toBe('integer');
    expect(
      rows.map((r) => [r.order_id, r.line_no, r.sku, r.quantity, r.unit_price, r.returned_quantity]),
    ).toEqual([
      ['000000001', '1', 'WS12', '1.0000', '22.0000', '0.0000'],
      ['000000001', '2', 'MH01-M-Black', '1.0000', '52.0000', '0.0000'],
      ['000000002', '1', '24-MB01', '2.0000', '34.0000', '0.0000'],
      ['000000003', '1', 'WS12', '3.0000', '22.0000', '3.0000'],
      ['000000004', '1', '24-MB01', '1.0000', '34.0000', '0.0000'],
      ['000000005', '1', 'MH01-L-Black', '1.0000', '52.0000', '0.0000'],
      ['000000006', '1', 'WS12', '1.0000', '22.0000', '0.0000'],
      ['000000007', '1', 'WS12', '2.0000', '22.0000', '0.0000'],
    ]);
  });

  it('reconciles every order: lines − discount + shipping = grand total', async () => {
    const lines = (await stagedRows('order_lines')).rows;
    const orders = (await stagedRows('orders')).rows;
    for (const order of orders) {
      const goods = lines
        .filter((l) => l.order_id === order.order_id)
        .reduce((sum, l) => sum + Number(l.quantity) * Number(l.unit_price), 0);
      expect(goods - Number(order.discount) + Number(order.shipping)).toBeCloseTo(Number(order.total), 6);
    }
  });

  it('reads an installation with a table prefix', async () => {
    for (const target of MAGENTO_TARGETS) {
      const plain = await stagedRows(target);
      const prefixed = await stagedRows(target, prefixedUrl, 'mg_');
      expect(prefixed.rows).toEqual(plain.rows);
    }
    const { staged } = await stageMagento(engine, { url: prefixedUrl }, 'orders', { tablePrefix: 'mg_' });
    expect(staged.source).toBe('magento:mg_sales_order');
    await staged.cleanup();
  });

  it('names the missing Magento table when the database is not a Magento shop', async () => {
    await expect(stageMagento(engine, { url: prefixedUrl }, 'orders')).rejects.toThrow(
      /reading magento:sales_order: Table '.*\.sales_order' doesn't exist/,
    );
  });
});
