/**
 * Ingest benchmark (issue 2): a generated order-lines CSV (10,000,000 lines by default; set
 * INGEST_BENCH_LINES) imported by Clientele (stage → profile → map → validate → upsert orders and
 * order_lines in one transaction) versus DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(...)`
 * of the same file, side by side. Each side runs in its own child process (peak RSS = that process).
 * Targets: our time ≤ 1.3× DuckDB's; peak RSS < 2 GB. Files go to bench/data/ (ignored by git).
 * A third side, the floor (bench/ingest-floor.ts), writes the same rows into the datamart's two tables with
 * the least SQL and no checks: what any import into that schema costs at least on this machine.
 * INGEST_BENCH_ONLY=csv runs only the CSV comparison, =xlsx only the workbook import.
 * INGEST_BENCH_MEMORY_LIMIT caps DuckDB's memory on both sides; the import sets its own cap during the
 * import (importMemoryLimit()), which INGEST_BENCH_CLIENTELE_MEMORY_LIMIT replaces ('none': no cap).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importMemoryLimit, importSource } from '../src/ingest/index.js';
import { DuckDbEngine, openDatamart, sql } from '../src/store/index.js';

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

function child(args: string[]): {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  rows: number;
  summary?: unknown;
} {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', CLIENTELE_NO_PROGRESS: '1' },
      maxBuffer: 1 << 24,
    },
  );
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last);
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
for (const p of [duckDb, ourDb]) {
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
}
if (only !== 'xlsx') {
  const duck = child(['duckdb', duckDb, linesCsv]);
  copyFileSync(base, ourDb);
  const floor = child(['floor', ourDb, linesCsv]);
  rmSync(ourDb, { force: true });
  rmSync(`${ourDb}.wal`, { force: true });
  copyFileSync(base, ourDb);
  const ours = child(['clientele', ourDb, linesCsv, 'order_lines']);
  const ratio = ours.seconds / duck.seconds;
  console.log(
    `DuckDB read_csv → table: ${duck.seconds.toFixed(2)} s (CPU ${duck.cpuSeconds.toFixed(2)} s), peak RSS ${duck.peakRssMiB.toFixed(0)} MiB, ${duck.rows} rows`,
  );
  console.log(
    `floor (two tables, nothing checked): ${floor.seconds.toFixed(2)} s (CPU ${floor.cpuSeconds.toFixed(2)} s), peak RSS ${floor.peakRssMiB.toFixed(0)} MiB, ${floor.rows} lines; ${(floor.seconds / duck.seconds).toFixed(2)}× DuckDB's time`,
  );
  console.log(
    `clientele import:        ${ours.seconds.toFixed(2)} s (CPU ${ours.cpuSeconds.toFixed(2)} s), peak RSS ${ours.peakRssMiB.toFixed(0)} MiB, ${ours.rows} lines loaded`,
  );
  console.log(
    `ratio ${ratio.toFixed(2)}× wall, ${(ours.cpuSeconds / duck.cpuSeconds).toFixed(2)}× CPU (target ≤ 1.3×), ${(ours.seconds / floor.seconds).toFixed(2)}× the floor; peak RSS target < 2048 MiB; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`summary: ${JSON.stringify(ours.summary)}`);
}

if (only !== 'csv') {
  const xlsx = join(dataDir, 'order-lines-100000.xlsx');
  await generateXlsx(xlsx, 100_000);
  rmSync(ourDb, { force: true });
  rmSync(`${ourDb}.wal`, { force: true });
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
