import { createRng } from '../shared/rng.js';

/**
 * @internal A small synthetic shop with planted cross-sell affinities, for tests and benches: buyers of
 * P030…P039 go on to buy P060…P069 (one follower each), buyers of both P012 and P014 go on to buy P025;
 * everything else is bought by popularity.
 * Returns plain SQL INSERT text made from our own generated values (no user input).
 */
export interface TestShopOptions {
  customers: number;
  seed: number;
  /** Chance a customer with the trigger items buys the planted consequent in a later order. */
  affinity: number;
}

export function testShopSql(options: TestShopOptions): string[] {
  const rng = createRng(options.seed);
  const products: string[] = [];
  const catalog = Array.from({ length: 120 }, (_, i) => `P${String(i).padStart(3, '0')}`);
  catalog.forEach((sku, i) => {
    const top = i % 3 === 0 ? 'Food' : i % 3 === 1 ? 'Drinks' : 'Home';
    products.push(
      `('${sku}', 'Product ${sku}', '${top} > Group ${i % 5}', ${10 + i}, ${5 + i / 2}, 'test', 1)`,
    );
  });
  // Popularity: P00 most popular, then decreasing.
  const weights = catalog.map((_, i) => 1 / (1 + i) ** 0.5);
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let u = rng.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u <= 0) return catalog[i]!;
    }
    return catalog[catalog.length - 1]!;
  };
  const customers: string[] = [];
  const orders: string[] = [];
  const lines: string[] = [];
  let orderNo = 0;
  const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
  for (let c = 0; c < options.customers; c++) {
    const id = `C${String(c).padStart(5, '0')}`;
    customers.push(`('${id}', false, 'test', 1)`);
    const nOrders = 1 + rng.int(4);
    const owned = new Set<string>();
    const planned: { sku: string; after: number }[] = [];
    for (let o = 0; o < nOrders; o++) {
      const d = rng.int(270);
      const items = new Set<string>();
      const size = 1 + rng.int(3);
      while (items.size < size) items.add(pick());
      // Triggers: some customers buy one of P030…P039, or the pair P012 + P014.
      if (rng.next() < 0.3) items.add(`P0${30 + rng.int(10)}`);
      if (rng.next() < 0.05) {
        items.add('P012');
        items.add('P014');
      }
      for (const p of planned) if (p.after <= d && !owned.has(p.sku)) items.add(p.sku);
      for (const s of items) owned.add(s);
      for (let t = 0; t < 10; t++) {
        if (items.has(`P0${30 + t}`) && rng.next() < options.affinity)
          planned.push({ sku: `P0${60 + t}`, after: d + 1 });
      }
      if (items.has('P012') && items.has('P014') && rng.next() < options.affinity)
        planned.push({ sku: 'P025', after: d + 1 });
      orderNo++;
      const oid = `O${orderNo}`;
      orders.push(`('${oid}', '${id}', DATE '${day(d)}', 'test', 1)`);
      for (const [k, sku] of [...items].entries())
        lines.push(`('${oid}', ${k + 1}, '${sku}', 1, 10, 'test', 1)`);
    }
    // The planted follow-up purchase, in a final order.
    const later = planned.filter((p) => !owned.has(p.sku));
    if (later.length) {
      orderNo++;
      const oid = `O${orderNo}`;
      const d = Math.min(364, Math.max(...later.map((p) => p.after)) + rng.int(60));
      orders.push(`('${oid}', '${id}', DATE '${day(d)}', 'test', 1)`);
      for (const [k, sku] of [...new Set(later.map((p) => p.sku))].entries()) {
        lines.push(`('${oid}', ${k + 1}, '${sku}', 1, 10, 'test', 1)`);
      }
    }
  }
  return [
    `INSERT INTO products (sku, name, category_path, price, unit_cost, source, load_id) VALUES ${products.join(',')}`,
    `INSERT INTO customers (customer_id, is_prospect, source, load_id) VALUES ${customers.join(',')}`,
    `INSERT INTO orders (order_id, customer_id, order_date, source, load_id) VALUES ${orders.join(',')}`,
    `INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, source, load_id) VALUES ${lines.join(',')}`,
  ];
}
