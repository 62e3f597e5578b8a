import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../../errors.js';
import { DuckDbEngine, type Engine, ident, join, sql } from '../../store/index.js';
import type { DryRunDescription, ImportOptions, ImportResult } from '../import-source.js';
import { type LoadSummary, loadStaged } from '../load/load.js';
import { createTextStagingTable, type TextStagingTable } from '../staging-table.js';
import type { Mapping, ParseOptions, StagedSource } from '../types.js';
import type { BasketParseOptions } from './parse.js';
import { readBasketFile } from './read.js';

/**
 * How a basket file becomes orders. Each non-blank line is one order; each distinct item on it one order
 * line (sku = the item text, quantity = how often it appears on the line, unit_price 0 because basket
 * files carry no prices). Without lead fields, line n of `groceries.csv` becomes order `groceries-n` of a
 * synthetic customer with the same id (one customer per basket, as a basket file knows no customers);
 * `lead: ['customer', 'date']` reads a real customer id and order date from the first fields instead.
 * Items unknown to products are added as products (sku = name = the item); existing products and
 * customers are left as they are.
 */
export interface BasketImportOptions extends BasketParseOptions {
  /** Order-id prefix (default: the file name without extension and a dash, e.g. `groceries-`). */
  orderPrefix?: string;
  /** Order date for lines without a date field (ISO). Default: the file's modification date, with a warning. */
  orderDate?: string;
}

export interface BasketImportSpec {
  path: string;
  delimiter?: string;
  baskets?: BasketImportOptions;
}

const LINE_COLUMNS = [
  'order_id',
  'line_no',
  'sku',
  'quantity',
  'unit_price',
  'customer_id',
  'order_date',
] as const;

/**
 * Imports a basket file (one transaction per line, items separated by a delimiter, as R arules' Groceries)
 * into customers, products, orders and order_lines through the standard loader, all in one transaction:
 * a failed load changes nothing. Lines that cannot be read are rejects (kept in the rejects table).
 *
 * @throws InputError FILE_NOT_FOUND, INVALID_INPUT (bad options), REJECT_RATE_EXCEEDED.
 */
export async function importBaskets(
  engine: Engine,
  spec: BasketImportSpec,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (!(engine instanceof DuckDbEngine)) {
    throw new InputError(
      'Basket files are staged through DuckDB: open the datamart with the DuckDB engine.',
      {},
      { code: 'UNKNOWN_FORMAT' },
    );
  }
  const opts = spec.baskets ?? {};
  const report = (phase: 'stage' | 'load', step: string) =>
    options.onProgress?.({ phase, step, done: 0, total: 1 });
  report('stage', 'read');
  const parsed = await readBasketFile(spec.path, { ...opts, delimiter: opts.delimiter ?? spec.delimiter });
  const stem = basename(spec.path, extname(spec.path));
  const prefix = opts.orderPrefix ?? `${stem}-`;
  const warnings: string[] = [];
  let defaultDate = opts.orderDate ?? null;
  if (defaultDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(defaultDate)) {
    throw new InputError(
      `--order-date: expected a date YYYY-MM-DD, got "${defaultDate}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  if (defaultDate === null && !opts.lead?.includes('date')) {
    defaultDate = statSync(spec.path).mtime.toISOString().slice(0, 10);
    warnings.push(
      `${spec.path}: basket files carry no dates, so every order is dated ${defaultDate} (the file's modification date). Pass --order-date DATE or a date field (--lead date).`,
    );
  }
  if (!opts.lead?.includes('customer')) {
    warnings.push(
      `${spec.path}: no customer field, so each basket is its own customer (customer id = order id). Pass --lead customer if the first field is one.`,
    );
  }
  warnings.push(`${spec.path}: basket files carry no prices; unit_price is 0 on every order line.`);

  const lines = await createTextStagingTable(engine, 'basket_lines', LINE_COLUMNS.length + 1);
  const customers = await createTextStagingTable(engine, 'basket_customers', 3);
  const products = await createTextStagingTable(engine, 'basket_products', 3);
  const rejectsTable = `_stage_basket_rejects_${process.pid}_${Date.now() % 1e9}`;
  const tables: TextStagingTable[] = [lines, customers, products];
  try {
    const rejects = parsed.rejects.map((r) => ({ ...r }));
    const seenOrders = new Map<string, number>();
    const seenCustomers = new Set<string>();
    const seenItems = new Set<string>();
    for (const b of parsed.baskets) {
      const order = b.order ?? `${prefix}${b.line}`;
      const first = seenOrders.get(order);
      if (first !== undefined) {
        rejects.push({
          line: b.line,
          reason: `order ${order} was already read on line ${first}; one line per order`,
          raw: b.items.join(parsed.delimiter),
        });
        continue;
      }
      seenOrders.set(order, b.line);
      const customer = b.customer ?? order;
      if (!seenCustomers.has(customer)) {
        seenCustomers.add(customer);
        customers.append([customer, 'false', String(b.line)]);
      }
      const quantities = new Map<string, number>();
      for (const item of b.items) quantities.set(item, (quantities.get(item) ?? 0) + 1);
      let lineNo = 0;
      for (const [item, q] of quantities) {
        lineNo++;
        lines.append([
          order,
          String(lineNo),
          item,
          String(q),
          '0',
          customer,
          b.date ?? defaultDate,
          String(b.line),
        ]);
        if (!seenItems.has(item)) {
          seenItems.add(item);
          products.append([item, item, String(b.line)]);
        }
      }
    }
    await Promise.all(tables.map((t) => t.finish()));
    // Existing products and customers keep their data: only unknown ones are added. The loader trims
    // text, so `"cream cheese "` is stored as `"cream cheese"`: compare trimmed too.
    await engine.exec(
      sql`DELETE FROM ${ident(products.table)} WHERE c1 IN (SELECT sku FROM products) OR trim(c1) IN (SELECT sku FROM products)`,
    );
    const idSource = options.source ?? 'default';
    await engine.exec(sql`DELETE FROM ${ident(customers.table)} WHERE c1 IN (SELECT customer_id FROM customers)
      OR trim(c1) IN (SELECT customer_id FROM customers) OR c1 IN (SELECT source_id FROM customer_identities WHERE id_source = ${idSource})`);
    await engine.exec(
      sql`CREATE TEMP TABLE ${ident(rejectsTable)} (line BIGINT, reason VARCHAR, raw VARCHAR)`,
    );
    for (let i = 0; i < rejects.length; i += 500) {
      const rows = rejects.slice(i, i + 500).map((r) => sql`(${r.line}, ${r.reason}, ${r.raw})`);
      await engine.exec(sql`INSERT INTO ${ident(rejectsTable)} VALUES ${join(rows)}`);
    }
    const source = spec.path;
    const stagedLines = await staged(
      engine,
      lines,
      source,
      [...LINE_COLUMNS, 'file_line'],
      rejectsTable,
      rejects.length,
      {
        delimiter: parsed.delimiter,
        baskets: parsed.baskets.length,
        blankLines: parsed.blankLines,
        emptyItems: parsed.emptyItems,
        orderPrefix: prefix,
        lead: (opts.lead ?? []).join(',') || 'none',
      },
    );
    const stagedCustomers = await staged(
      engine,
      customers,
      source,
      ['customer_id', 'is_prospect', 'file_line'],
      null,
      0,
      {},
    );
    const stagedProducts = await staged(engine, products, source, ['sku', 'name', 'file_line'], null, 0, {});
    const lineMapping = mappingFor('order_lines', {
      order_id: 'string',
      line_no: 'integer',
      sku: 'string',
      quantity: 'number',
      unit_price: 'number',
      customer_id: 'string',
      order_date: 'date',
    });
    if (options.dryRun)
      return {
        dryRun: true,
        ...(await describeBaskets(engine, stagedLines, lineMapping, options.previewRows ?? 5)),
      };

    const loadOptions = { ...options, onProgress: undefined };
    const started = performance.now();
    const summary = await engine.transaction(async (tx) => {
      const related: LoadSummary['related'] = [];
      if (stagedCustomers.rowsRead > 0) {
        report('load', 'customers');
        const c = await loadStaged(
          tx,
          stagedCustomers,
          mappingFor('customers', { customer_id: 'string', is_prospect: 'boolean' }),
          loadOptions,
        );
        related.push({
          target: 'customers',
          inserted: c.inserted,
          updated: c.updated,
          unchanged: c.unchanged,
        });
      }
      if (stagedProducts.rowsRead > 0) {
        report('load', 'products');
        const p = await loadStaged(
          tx,
          stagedProducts,
          mappingFor('products', { sku: 'string', name: 'string' }),
          loadOptions,
        );
        related.push({
          target: 'products',
          inserted: p.inserted,
          updated: p.updated,
          unchanged: p.unchanged,
        });
      }
      report('load', 'order lines');
      const l = await loadStaged(tx, stagedLines, lineMapping, loadOptions);
      return { ...l, related: [...related, ...l.related] };
    });
    return {
      dryRun: false,
      ...summary,
      format: 'baskets',
      seconds: (performance.now() - started) / 1000,
      warnings: [...warnings, ...summary.warnings],
    };
  } finally {
    for (const t of tables) await t.drop();
    await engine.exec(sql`DROP TABLE IF EXISTS ${ident(rejectsTable)}`);
  }
}

async function staged(
  engine: DuckDbEngine,
  table: TextStagingTable,
  source: string,
  names: readonly string[],
  rejectsTable: string | null,
  structuralRejects: number,
  detected: Record<string, string | number | boolean>,
): Promise<StagedSource> {
  const [n] = await engine.query(sql`SELECT count(*) AS n FROM ${ident(table.table)}`);
  const rows = Number(n?.n ?? 0);
  return {
    table: table.table,
    columns: names.map((name, i) => ({ name, staged: table.columns[i]! })),
    source,
    format: 'baskets',
    rowsRead: rows + structuralRejects,
    structuralRejectsTable: rejectsTable,
    structuralRejects,
    detected,
    cleanup: () => table.drop(),
  };
}

function mappingFor(target: Mapping['target'], fields: Record<string, ParseOptions['type']>): Mapping {
  const columns = Object.entries(fields).map(([field, type]) => ({
    source: field,
    field,
    parse: (type === 'date'
      ? { type, dateFormat: '%Y-%m-%d' }
      : type === 'boolean'
        ? { type, trueValues: ['true'], falseValues: ['false'] }
        : { type }) as ParseOptions,
  }));
  return {
    target,
    columns,
    unmapped: ['file_line'],
    reasons: Object.fromEntries(columns.map((c) => [c.source, 'basket file'])),
  };
}

async function describeBaskets(
  engine: Engine,
  s: StagedSource,
  mapping: Mapping,
  previewRows: number,
): Promise<DryRunDescription> {
  const cols = s.columns.map((c) => sql`${ident(c.staged)} AS ${ident(c.name)}`);
  const preview = await engine.query(
    sql`SELECT ${join(cols)} FROM ${ident(s.table)} ORDER BY _line LIMIT ${previewRows}`,
  );
  return {
    source: s.source,
    format: 'baskets',
    target: 'order_lines',
    rows: s.rowsRead,
    detected: s.detected,
    mapping: mapping.columns.map((c) => ({ ...c, reason: 'basket file' })),
    unmapped: mapping.unmapped,
    preview,
  };
}
