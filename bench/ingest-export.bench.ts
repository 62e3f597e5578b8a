/**
 * A real shop export (issue 12): a 1,000,000-line flat Online-Retail-style file (InvoiceNo, StockCode,
 * Description, Quantity, InvoiceDate `m/d/yyyy H:MM`, UnitPrice, CustomerID written as a float `17850.0`,
 * Country) with about 20% guest lines (no CustomerID), cancellation invoices (`C…`, negative quantities),
 * returned lines (negative quantities in ordinary invoices) and 0.5% impossible dates (`2/30/2011`,
 * `13/5/2011`), imported as `--target order_lines` into an empty datamart (customers created from their ids).
 * Sides (INGEST_EXPORT_SIDES, default duckdb,floor,import; `cli` adds `clientele import` as the CLI runs
 * it, with its sales pre-aggregate rebuild): DuckDB's own CREATE TABLE AS read_csv of the file (one
 * table), the floor (the same rows into orders and order_lines with the least SQL, nothing checked:
 * bench/ingest-floor.ts) and the import. Each run is a whole child process, the sides interleaved
 * (INGEST_EXPORT_PAIRS rounds, default 3); per-round ratios, medians, peak RSS and the load average.
 * INGEST_EXPORT_LINES changes the size. Files go to bench/data/ (ignored by git).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEngine, sql } from '../src/store/index.js';
import { child, interleaved } from './ingest-rounds.js';
import { median } from './util.js';

const lines = Number(process.env.INGEST_EXPORT_LINES ?? 1_000_000);
const pairs = Number(process.env.INGEST_EXPORT_PAIRS ?? 3);
const dataDir = join(import.meta.dirname, 'data');
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, `online-retail-${lines}.csv`);

/**
 * About 4 lines per invoice; per invoice (hash of its number): 2% are cancellations (`C` + number, every
 * quantity negative), 20% guests (blank CustomerID); 1% of ordinary lines are returns (negative quantity);
 * 0.5% of lines carry an impossible date (day 30 of February, or month 13).
 */
async function generate(): Promise<void> {
  if (existsSync(file)) return;
  const engine = await DuckDbEngine.open(':memory:');
  await engine.exec(sql`COPY (
    WITH l AS (
      SELECT i, i // 4 AS inv, hash(i // 4) AS h, hash(i) AS hl FROM range(${lines}) t(i)
    )
    SELECT CASE WHEN h % 50 = 0 THEN 'C' ELSE '' END || CAST(536365 + inv AS VARCHAR) AS "InvoiceNo",
      'SKU' || lpad(CAST(hl % 4000 AS VARCHAR), 5, '0') AS "StockCode",
      'ITEM ' || CAST(hl % 4000 AS VARCHAR) AS "Description",
      CASE WHEN h % 50 = 0 OR hl % 100 = 1 THEN -1 ELSE 1 END * CAST(1 + hl % 12 AS INTEGER) AS "Quantity",
      CASE WHEN hl % 400 = 7 THEN '2/30/2011 10:15'
           WHEN hl % 400 = 8 THEN '13/5/2011 09:00'
           ELSE strftime(TIMESTAMP '2010-12-01 08:00' + INTERVAL (h % 370) DAY + INTERVAL (h % 600) MINUTE, '%-m/%-d/%Y %-H:%M')
      END AS "InvoiceDate",
      round(0.25 + (hl % 5000) / 100.0, 2) AS "UnitPrice",
      CASE WHEN h % 5 = 1 THEN '' ELSE CAST(12346 + h % 4000 AS VARCHAR) || '.0' END AS "CustomerID",
      CASE h % 4 WHEN 0 THEN 'United Kingdom' WHEN 1 THEN 'Germany' WHEN 2 THEN 'France' ELSE 'EIRE' END AS "Country"
    FROM l ORDER BY i) TO ${file} (HEADER)`);
  await engine.close();
}

await generate();
console.log(
  `flat export: ${lines.toLocaleString('en')} lines, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`,
);
const floorDb = join(dataDir, 'export-floor.duckdb');
const ourDb = join(dataDir, 'export-clientele.duckdb');
const fresh = (p: string) => {
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
};
const sides = (process.env.INGEST_EXPORT_SIDES ?? 'duckdb,floor,import').split(',').map((x) => x.trim());
const runs = interleaved(sides, pairs, (side) => {
  if (side === 'duckdb') {
    fresh(floorDb);
    return child(['duckdb', floorDb, file]);
  }
  if (side === 'floor') {
    fresh(floorDb);
    return child(['floor', floorDb, file, 'export']);
  }
  fresh(ourDb);
  if (side === 'import') return child(['clientele', ourDb, file, 'order_lines']);
  if (side === 'cli') return child(['cli', ourDb, file, 'order_lines']);
  throw new Error(`INGEST_EXPORT_SIDES: unknown side ${side} (duckdb, floor, import, cli)`);
});
if (runs.duckdb && (runs.import ?? runs.cli)) {
  const ours = (runs.import ?? runs.cli)!;
  const perRound = ours.map((x, k) => x.wallSeconds / runs.duckdb![k]!.wallSeconds);
  console.log(
    `${runs.import ? 'import' : 'cli'} / DuckDB read_csv per round: ${perRound.map((x) => x.toFixed(2)).join(', ')} wall (median ${median(perRound).toFixed(2)}×)`,
  );
}
const s = (runs.import ?? runs.cli)?.at(-1)?.summary ?? {};
console.log(
  `import: read ${s.read}, loaded ${s.loaded}, rejected ${s.rejected}, duplicates ${s.duplicates}, guest orders ${s.guestOrders}, customers created ${s.customersCreated}; orders ${JSON.stringify(s.related)}`,
);
fresh(floorDb);
fresh(ourDb);
