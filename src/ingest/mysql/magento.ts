/**
 * The Magento 2 preset: reads a Magento 2.4 (Open Source) shop database on MySQL/MariaDB into the canonical
 * customers, products, orders and order_lines tables. Each table is one read-only query, staged like any
 * MySQL query; the queries alias their columns to canonical field names, so the mapping is fixed.
 *
 * What the queries settle, so the analytics see one clean shop:
 * - Products come from `catalog_product_entity` plus the EAV attributes `name` (varchar), `price` and `cost`
 *   (decimal) of the `catalog_product` entity type at the admin store (store_id 0), looked up by
 *   attribute_code through `eav_attribute` (attribute ids differ between installations).
 * - Order lines keep only rows without a parent (`parent_item_id IS NULL`): a configurable product's
 *   parent row carries the price, the quantity and the chosen child's SKU, while its child row repeats the
 *   SKU at price 0. Counting both would double the quantities. Bundles are counted once, at their parent.
 * - Discounts: Magento stores an order's `discount_amount` as a negative number; the canonical discount
 *   is the amount off (≥ 0). Item discounts are already positive.
 * - Guests: an order without `customer_id` belongs to the registered customer with the same e-mail
 *   (compared trimmed and case-folded), else to a guest customer `guest:<e-mail>` that the customers query
 *   creates once per e-mail, so one guest's repeated orders stay one customer.
 * - Statuses: Magento's `complete` → completed, `closed` (fully refunded) → returned, `canceled` and
 *   `fraud` → cancelled, `pending`, `pending_payment`, `processing`, `holded`, `payment_review` → pending;
 *   a custom status is passed on as it is (the loader keeps it and warns).
 * - Times: read in UTC (Magento stores UTC); `order_date` is the UTC date of `created_at`.
 */
import type { CanonicalTable, DuckDbEngine, SqlFragment } from '../../store/index.js';
import { ident, sql } from '../../store/index.js';
import type { Mapping, StagedSource } from '../types.js';
import { type MySqlSourceOptions, stageMySqlQuery } from './stage.js';

/** The canonical tables the preset fills, in the order they must be loaded (references resolve). */
export const MAGENTO_TARGETS = [
  'customers',
  'products',
  'orders',
  'order_lines',
] as const satisfies readonly CanonicalTable[];

export type MagentoTarget = (typeof MAGENTO_TARGETS)[number];

/** The Magento table each target is read from (for messages and `StagedSource.source`). */
export const MAGENTO_SOURCE_TABLES: Readonly<Record<MagentoTarget, string>> = {
  customers: 'customer_entity',
  products: 'catalog_product_entity',
  orders: 'sales_order',
  order_lines: 'sales_order_item',
};

/** The id namespace of Magento's customer ids in `customer_identities.id_source`. */
export const MAGENTO_ID_SOURCE = 'magento';

export interface MagentoOptions {
  /** The installation's table prefix (Magento's `db-prefix`), e.g. `mg_`; default none. */
  tablePrefix?: string;
}

/** A Magento table name with the installation's prefix, quoted. */
function table(options: MagentoOptions, name: string): SqlFragment {
  return sql`${ident(`${options.tablePrefix ?? ''}${name}`)}`;
}

/** `LOWER(TRIM(e-mail))`: how Magento e-mails are compared (Magento itself is case-insensitive). */
function emailKey(column: SqlFragment): SqlFragment {
  return sql`LOWER(TRIM(${column}))`;
}

function customersSql(o: MagentoOptions): SqlFragment {
  const registered = sql`
    SELECT CAST(c.entity_id AS CHAR) AS customer_id, c.firstname AS first_name, c.lastname AS last_name,
           c.email AS email, a.telephone AS phone,
           CASE c.gender WHEN 1 THEN 'male' WHEN 2 THEN 'female' END AS gender,
           c.dob AS birth_date, REPLACE(a.street, ${'\n'}, ', ') AS street, a.postcode AS postcode,
           a.city AS city, a.region AS region, a.country_id AS country,
           c.created_at AS created_at, c.updated_at AS updated_at
    FROM ${table(o, 'customer_entity')} c
    LEFT JOIN ${table(o, 'customer_address_entity')} a ON a.entity_id = c.default_billing`;
  const guests = sql`
    SELECT CONCAT('guest:', g.email_key), g.first_name, g.last_name, g.email_key, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, g.created_at, g.updated_at
    FROM (SELECT ${emailKey(sql`o.customer_email`)} AS email_key, MAX(o.customer_firstname) AS first_name,
                 MAX(o.customer_lastname) AS last_name, MIN(o.created_at) AS created_at,
                 MAX(o.updated_at) AS updated_at
          FROM ${table(o, 'sales_order')} o
          WHERE o.customer_id IS NULL AND TRIM(o.customer_email) <> ''
          GROUP BY ${emailKey(sql`o.customer_email`)}) g
    WHERE NOT EXISTS (SELECT 1 FROM ${table(o, 'customer_entity')} r
                      WHERE ${emailKey(sql`r.email`)} = g.email_key)`;
  return sql`${registered} UNION ALL ${guests} ORDER BY customer_id`;
}

function productsSql(o: MagentoOptions): SqlFragment {
  const value = (alias: string, valueTable: string, code: string) =>
    sql`LEFT JOIN ${table(o, valueTable)} ${sql`${ident(alias)}`}
          ON ${ident(`${alias}.entity_id`)} = p.entity_id AND ${ident(`${alias}.store_id`)} = 0
         AND ${ident(`${alias}.attribute_id`)} = (SELECT ea.attribute_id FROM ${table(o, 'eav_attribute')} ea
             JOIN ${table(o, 'eav_entity_type')} et ON et.entity_type_id = ea.entity_type_id
             WHERE et.entity_type_code = 'catalog_product' AND ea.attribute_code = ${code})`;
  return sql`
    SELECT p.sku AS sku, nm.value AS name, pr.value AS price, co.value AS unit_cost, p.created_at AS created_at
    FROM ${table(o, 'catalog_product_entity')} p
    ${value('nm', 'catalog_product_entity_varchar', 'name')}
    ${value('pr', 'catalog_product_entity_decimal', 'price')}
    ${value('co', 'catalog_product_entity_decimal', 'cost')}
    ORDER BY p.entity_id`;
}

/** The order id users know (the increment id, e.g. 000000042); the entity id when it is missing. */
const ORDER_ID = sql`COALESCE(o.increment_id, CAST(o.entity_id AS CHAR))`;

function ordersSql(o: MagentoOptions): SqlFragment {
  return sql`
    SELECT ${ORDER_ID} AS order_id,
           COALESCE(CAST(o.customer_id AS CHAR), CAST(r.entity_id AS CHAR),
                    CONCAT('guest:', ${emailKey(sql`o.customer_email`)})) AS customer_id,
           DATE(o.created_at) AS order_date, o.created_at AS order_time, 'web' AS channel,
           o.coupon_code AS promo_code, ABS(COALESCE(o.discount_amount, 0)) AS discount,
           COALESCE(o.shipping_amount, 0) AS shipping, o.grand_total AS total,
           o.order_currency_code AS currency,
           CASE o.status
             WHEN 'complete' THEN 'completed' WHEN 'closed' THEN 'returned'
             WHEN 'canceled' THEN 'cancelled' WHEN 'fraud' THEN 'cancelled'
             WHEN 'pending' THEN 'pending' WHEN 'pending_payment' THEN 'pending'
             WHEN 'processing' THEN 'pending' WHEN 'holded' THEN 'pending' WHEN 'payment_review' THEN 'pending'
             ELSE o.status END AS status
    FROM ${table(o, 'sales_order')} o
    LEFT JOIN (SELECT ${emailKey(sql`email`)} AS email_key, MIN(entity_id) AS entity_id
               FROM ${table(o, 'customer_entity')} GROUP BY ${emailKey(sql`email`)}) r
      ON o.customer_id IS NULL AND r.email_key = ${emailKey(sql`o.customer_email`)}
    ORDER BY o.entity_id`;
}

function orderLinesSql(o: MagentoOptions): SqlFragment {
  return sql`
    SELECT ${ORDER_ID} AS order_id,
           ROW_NUMBER() OVER (PARTITION BY i.order_id ORDER BY i.item_id) AS line_no,
           i.sku AS sku, i.qty_ordered AS quantity, i.price AS unit_price,
           COALESCE(i.discount_amount, 0) AS discount, COALESCE(i.qty_refunded, 0) AS returned_quantity
    FROM ${table(o, 'sales_order_item')} i
    JOIN ${table(o, 'sales_order')} o ON o.entity_id = i.order_id
    WHERE i.parent_item_id IS NULL
    ORDER BY i.order_id, i.item_id`;
}

/**
 * The read query for one canonical table, built with the `sql` tag (identifiers in double quotes: run it
 * with ANSI_QUOTES, as `stageMagento` does).
 */
export function magentoSql(target: MagentoTarget, options: MagentoOptions = {}): SqlFragment {
  switch (target) {
    case 'customers':
      return customersSql(options);
    case 'products':
      return productsSql(options);
    case 'orders':
      return ordersSql(options);
    case 'order_lines':
      return orderLinesSql(options);
  }
}

/** The fixed mapping: every staged column already carries its canonical field name and declared type. */
export function magentoMapping(target: MagentoTarget, staged: StagedSource): Mapping {
  return {
    target,
    columns: staged.columns.map((c) => ({
      source: c.name,
      field: c.name,
      parse: c.declared ?? { type: 'string' },
    })),
    unmapped: [],
    reasons: Object.fromEntries(staged.columns.map((c) => [c.name, 'preset magento'])),
  };
}

/**
 * Stages one canonical table's worth of a Magento shop and returns it with its mapping, ready for the
 * loader (load it with source `magento`, in `MAGENTO_TARGETS` order).
 *
 * @param engine The datamart engine (DuckDB) that receives the staging table.
 * @param connection The shop database (URL or parts); `table` and `query` are ignored.
 * @param target Which canonical table to read.
 * @throws ConnectorError (CONNECTION_FAILED) when the database is unreachable or lacks a Magento table;
 *   the message names the missing table.
 * @example
 * const { staged, mapping } = await stageMagento(engine, { url: 'mysql://shop@db/magento' }, 'orders');
 */
export async function stageMagento(
  engine: DuckDbEngine,
  connection: MySqlSourceOptions,
  target: MagentoTarget,
  options: MagentoOptions = {},
): Promise<{ staged: StagedSource; mapping: Mapping }> {
  const { table: _table, query: _query, ...conn } = connection;
  const staged = await stageMySqlQuery(engine, conn, {
    fragment: magentoSql(target, options),
    source: `magento:${options.tablePrefix ?? ''}${MAGENTO_SOURCE_TABLES[target]}`,
  });
  return { staged, mapping: magentoMapping(target, staged) };
}
