import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { minCountFor } from './models/thresholds.js';
import { fromEncodedPairs, type Transactions } from './models/transactions.js';
import {
  type BasketSource,
  basketKeysSql,
  defaultSource,
  encodedPairsSql,
  itemDictionarySql,
} from './sql.js';

/** Baskets read from the datamart, encoded for mining. */
export interface DatamartBaskets {
  tx: Transactions;
  /** Basket key per basket number: order id, or customer id for per-customer baskets. */
  basketKeys: string[];
  /** Item key per item id: the sku, or the category prefix. */
  itemKeys: string[];
  source: BasketSource;
}

/**
 * Builds baskets from order lines in SQL (item-id encoding in the engine) and returns them as typed
 * arrays. `minSupport` lets the engine drop items that cannot be frequent before any row is transferred.
 *
 * @param engine the datamart
 * @param source item level (product, or category at a depth), basket per order or customer, date window
 * @param options `minSupport` (0–1) to drop rare items in the engine
 * @returns the encoded baskets, basket keys (order or customer ids) and item keys (sku or category)
 * @throws InputError EMPTY_INPUT when the window holds no order lines; QueryError from the engine.
 * @example
 * ```ts
 * const { tx } = await loadBaskets(engine, { level: 'category', categoryDepth: 2, per: 'customer' });
 * const { rules } = mineRules(tx, { minSupport: 0.01, minConfidence: 0.3 });
 * ```
 */
export async function loadBaskets(
  engine: Engine,
  source: Partial<BasketSource> = {},
  options: { minSupport?: number } = {},
): Promise<DatamartBaskets> {
  const s: BasketSource = { ...defaultSource, ...source };
  const d = engine.dialect;
  const dict = await engine.queryColumns(itemDictionarySql(d, s));
  const keys = await engine.queryColumns(basketKeysSql(d, s));
  const count = keys.basket?.length ?? 0;
  if (count === 0) {
    throw new InputError(
      `Baskets from order lines (${describeSource(s)}): expected at least one order line, found none. Import orders and order lines first (clientele import FILE), or widen --from/--to.`,
      { source: s },
      { code: 'EMPTY_INPUT' },
    );
  }
  const pairs = await engine.queryColumns(
    encodedPairsSql(d, s, options.minSupport ? minCountFor(options.minSupport, count) : 1),
  );
  const labels = (dict.label ?? []).map(String);
  const counts = (dict.n ?? []).map(Number);
  const basket = Uint32Array.from((pairs.basket ?? []) as number[], Number);
  const item = Uint32Array.from((pairs.item_id ?? []) as number[], Number);
  const tx = fromEncodedPairs(count, basket, item, labels);
  // Items left out by minCount still need their true counts (targeted mining, reasons).
  counts.forEach((n, i) => {
    tx.itemCounts[i] = n;
  });
  return {
    tx,
    basketKeys: (keys.basket_key ?? []).map(String),
    itemKeys: (dict.item_key ?? []).map(String),
    source: s,
  };
}

export function describeSource(s: BasketSource): string {
  const level =
    s.level === 'product' ? 'products' : `categories${s.categoryDepth ? ` (depth ${s.categoryDepth})` : ''}`;
  const window = s.from || s.to ? `, ${s.from ?? '…'} to ${s.to ?? '…'}` : '';
  return `${level} per ${s.per}${window}`;
}
