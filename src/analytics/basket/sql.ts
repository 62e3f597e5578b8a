import { type Dialect, type SqlFragment, sql } from '../../store/index.js';
import { countedOrderSql, customerOrderSql } from '../revenue/index.js';

/** Where baskets come from in the datamart: which item, which basket, which window. */
export interface BasketSource {
  /** An item is a product (sku) or a category (a prefix of products.category_path). */
  level: 'product' | 'category';
  /** Category levels kept from the top (1 = top level); null = the whole path. */
  categoryDepth: number | null;
  /** Separator of category_path levels (default ' > '). */
  categorySeparator: string;
  /** One basket per order, or per customer over the window. */
  per: 'order' | 'customer';
  /** Order-date window [from, to), ISO dates; null = open. */
  from: string | null;
  to: string | null;
}

export const defaultSource: Readonly<BasketSource> = Object.freeze({
  level: 'product',
  categoryDepth: null,
  categorySeparator: ' > ',
  per: 'order',
  from: null,
  to: null,
});

/** Order lines in the window that were not cancelled nor fully returned, with their item key and label. */
function linesCte(d: Dialect, s: BasketSource): SqlFragment {
  const window = [
    s.from === null ? sql`` : sql` AND o.order_date >= ${d.dateParam(s.from)}`,
    s.to === null ? sql`` : sql` AND o.order_date < ${d.dateParam(s.to)}`,
  ];
  const category =
    s.categoryDepth === null
      ? sql`p.category_path`
      : d.pathPrefix(sql`p.category_path`, s.categorySeparator, s.categoryDepth);
  const key = s.level === 'product' ? sql`l.sku` : category;
  const label = s.level === 'product' ? sql`coalesce(p.name, l.sku)` : category;
  const basketKey = s.per === 'order' ? sql`o.order_id` : sql`o.customer_id`;
  // Per customer, guest orders (no customer id) are no one's basket; per order they are baskets like any.
  const guests = s.per === 'order' ? sql`` : sql` AND ${customerOrderSql('o')}`;
  return sql`lines AS (
    SELECT ${basketKey} AS basket_key, ${key} AS item_key, ${label} AS item_label
    FROM order_lines l
    JOIN orders o ON o.order_id = l.order_id
    LEFT JOIN products p ON p.sku = l.sku
    WHERE ${countedOrderSql('o')} AND l.quantity > l.returned_quantity${window[0]}${window[1]}${guests}
  )`;
}

/**
 * The shared CTEs: distinct (basket, item) pairs, dense basket numbers, and the item dictionary with
 * ids by descending basket frequency (ties by key) — the item-id encoding is done here, in the engine.
 * A product label is its name, with the sku added where two products share a name.
 */
function basketCtes(d: Dialect, s: BasketSource): SqlFragment {
  return sql`WITH ${linesCte(d, s)},
  pairs AS (SELECT DISTINCT basket_key, item_key FROM lines WHERE item_key IS NOT NULL),
  keys AS (
    SELECT basket_key, row_number() OVER (ORDER BY basket_key) - 1 AS basket
    FROM (SELECT DISTINCT basket_key FROM pairs) b
  ),
  labels AS (SELECT item_key, min(item_label) AS item_label FROM lines GROUP BY item_key),
  freq AS (SELECT item_key, count(*) AS n FROM pairs GROUP BY item_key),
  dict AS (
    SELECT f.item_key, f.n, row_number() OVER (ORDER BY f.n DESC, f.item_key) - 1 AS item_id,
      CASE WHEN count(*) OVER (PARTITION BY lb.item_label) > 1
        THEN concat(lb.item_label, ' (', f.item_key, ')') ELSE lb.item_label END AS label
    FROM freq f JOIN labels lb ON lb.item_key = f.item_key
  )`;
}

/** Item dictionary: item_id, item_key, label, n (baskets holding the item), by item_id. */
export function itemDictionarySql(d: Dialect, s: BasketSource): SqlFragment {
  return sql`${basketCtes(d, s)}
  SELECT item_id, item_key, label, n FROM dict ORDER BY item_id`;
}

/** Basket numbers and their keys (order ids or customer ids), by basket. */
export function basketKeysSql(d: Dialect, s: BasketSource): SqlFragment {
  return sql`${basketCtes(d, s)}
  SELECT basket, basket_key FROM keys ORDER BY basket`;
}

/** Encoded (basket, item_id) pairs; items in fewer than `minCount` baskets are left out in the engine. */
export function encodedPairsSql(d: Dialect, s: BasketSource, minCount: number): SqlFragment {
  return sql`${basketCtes(d, s)}
  SELECT k.basket, di.item_id
  FROM pairs p
  JOIN keys k ON k.basket_key = p.basket_key
  JOIN dict di ON di.item_key = p.item_key
  WHERE di.n >= ${minCount}
  ORDER BY k.basket, di.item_id`;
}
