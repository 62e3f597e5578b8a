/**
 * Ingest benchmark (issues 2, 12 and 20): a generated order-lines CSV (10,000,000 lines by default; set
 * INGEST_BENCH_LINES) loaded into the datamart's `orders` and `order_lines` (100,000 customers loaded first)
 * by Clientele's import (stage → profile → map → validate → upsert, one transaction) and by the floor
 * (bench/ingest-floor.ts: the same rows into the same two tables with the least SQL and nothing checked).
 * Each run is a whole child process (node start-up, module loading, open, load, close: wall time measured
 * around the process, CPU = user + system of the whole process), the sides alternating A B A B …
 * (INGEST_BENCH_PAIRS rounds, default 3) so both meet the same load; per round the ratio, then medians.
 * INGEST_BENCH_SIDES (default floor,import) may add `duckdb` (DuckDB's own CREATE TABLE AS read_csv of the
 * file, one table) and `cli` (`clientele import` as the CLI runs it: also rebuilds the sales pre-aggregate).
 * Target (issue 20): the import within 1.15× the floor; peak RSS < 2 GB. Files go to bench/data/ (ignored).
 * INGEST_BENCH_ONLY=xlsx runs only the 100,000-row workbook import. INGEST_BENCH_MEMORY_LIMIT caps DuckDB's
 * memory on every side; the import sets its own cap during the import (importMemoryLimit()), which
 * INGEST_BENCH_CLIENTELE_MEMORY_LIMIT replaces ('none': no cap). INGEST_TRACE=N makes each child print its
 * N heaviest statements to stderr (shown).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importMemoryLimit, importSource } from '../src/ingest/index.js';
import { DuckDbEngine, openDatamart, sql } from '../src/store/index.js';
import { child, interleaved } from './ingest-rounds.js';

const lines = Number(process.env.INGEST_BENCH_LINES ?? 10_000_000);
const customers = 100_000;
const dataDir = join(import.meta.dirname, 'data');
mkdirSync(dataDir, { recursive: true });
const linesCsv = join(dataDir, `order-lines-${lines}.csv`);
const customersCsv = join(dataDir, `customers-${customers}.csv`);

async function generate(): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  if (!existsSync(customersCsv)) {
    await engine.exec(sql`COPY (
      SELECT 'C' || lpad(CAST(i AS VARCHAR), 7, '0') AS customer_id, 'user' || i || '@example.com' AS email,
             CASE i % 3 WHEN 0 THEN 'f' WHEN 1 THEN 'm' ELSE 'x' END AS gender, 'NL' AS country
      FROM range(${customers}) t(i)) TO ${customersCsv} (HEADER)`);
  }
  if (!existsSync(linesCsv)) {
    // About 3 lines per order; order-level columns repeated on each line (the common export shape).
    await engine.exec(sql`COPY (
      SELECT 'O' || lpad(CAST(i // 3 AS VARCHAR), 9, '0') AS order_id,
             'C' || lpad(CAST(hash(i // 3) % ${customers} AS VARCHAR), 7, '0') AS customer_id,
             DATE '2022-01-01' + CAST(hash(i // 3) % 1000 AS INTEGER) AS order_date,
             CASE hash(i // 3) % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'store' ELSE 'app' END AS channel,
             CASE WHEN hash(i // 3) % 10 = 0 THEN 'PROMO10' END AS promo_code,
             'SKU' || lpad(CAST(hash(i) % 5000 AS VARCHAR), 5, '0') AS sku,
             1 + hash(i) % 3 AS quantity,
             round(1 + (hash(i) % 20000) / 100.0, 2) AS unit_price,
             CASE WHEN hash(i) % 7 = 0 THEN 1.5 ELSE 0 END AS discount
      FROM range(${lines}) t(i)) TO ${linesCsv} (HEADER)`);
  }
  await engine.close();
}

/** A 100,000-row order-lines workbook, written with exceljs's streaming writer. */
async function generateXlsx(path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const ws = wb.addWorksheet('lines');
  ws.addRow(['order_id', 'customer_id', 'order_date', 'sku', 'quantity', 'unit_price']).commit();
  for (let i = 0; i < rows; i++) {
    const order = Math.floor(i / 3);
    ws.addRow([
      `X${order}`,
      `C${String(order % customers).padStart(7, '0')}`,
      new Date(Date.UTC(2023, 0, 1 + (order % 365))),
      `SKU${String(i % 5000).padStart(5, '0')}`,
      1 + (i % 3),
      Math.round(100 + (i % 20000)) / 100,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

const only = process.env.INGEST_BENCH_ONLY;
if (only !== 'xlsx') await generate();
else if (!existsSync(customersCsv)) await generate();
const mib = (p: string) => (statSync(p).size / 1024 / 1024).toFixed(1);
if (only !== 'xlsx') {
  console.log(
    `order-lines CSV: ${lines.toLocaleString('en')} lines, ${mib(linesCsv)} MiB; DuckDB memory_limit ${process.env.INGEST_BENCH_MEMORY_LIMIT ?? 'default (80% of RAM)'}; import's memory_limit ${process.env.INGEST_BENCH_CLIENTELE_MEMORY_LIMIT ?? `${importMemoryLimit()} (its default)`}`,
  );
}

// A datamart with the customers loaded, copied fresh for each run.
const base = join(dataDir, 'ingest-base.duckdb');
rmSync(base, { force: true });
rmSync(`${base}.wal`, { force: true });
{
  const engine = await openDatamart({ db: base });
  const r = await importSource(engine, { path: customersCsv, target: 'customers' });
  await engine.close();
  if (r.dryRun || r.loaded !== customers) throw new Error('customers did not load');
}

const duckDb = join(dataDir, 'ingest-duckdb.duckdb');
const ourDb = join(dataDir, 'ingest-clientele.duckdb');
const fresh = (p: string) => {
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
};
fresh(duckDb);
fresh(ourDb);
if (only !== 'xlsx') {
  const pairs = Number(process.env.INGEST_BENCH_PAIRS ?? 3);
  const sides = (process.env.INGEST_BENCH_SIDES ?? 'floor,import').split(',').map((x) => x.trim());
  const runs = interleaved(sides, pairs, (side) => {
    if (side === 'duckdb') {
      fresh(duckDb);
      return child(['duckdb', duckDb, linesCsv]);
    }
    fresh(ourDb);
    copyFileSync(base, ourDb);
    if (side === 'floor') return child(['floor', ourDb, linesCsv]);
    if (side === 'import') return child(['clientele', ourDb, linesCsv, 'order_lines']);
    if (side === 'cli') return child(['cli', ourDb, linesCsv, 'order_lines']);
    throw new Error(`INGEST_BENCH_SIDES: unknown side ${side} (duckdb, floor, import, cli)`);
  });
  const last = (runs.import ?? runs.cli)?.at(-1)?.summary;
  if (last) console.log(`summary: ${JSON.stringify(last)}`);
}

if (only !== 'csv') {
  const xlsx = join(dataDir, 'order-lines-100000.xlsx');
  await generateXlsx(xlsx, 100_000);
  fresh(ourDb);
  copyFileSync(base, ourDb);
  const x = child(['clientele', ourDb, xlsx, 'order_lines']);
  console.log(
    `clientele import of a 100,000-row .xlsx (${mib(xlsx)} MiB): ${x.seconds.toFixed(2)} s, peak RSS ${x.peakRssMiB.toFixed(0)} MiB, ${x.rows} lines loaded`,
  );
}
for (const p of [duckDb, ourDb, base]) {
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
}
